//! `composer.lock`: `packages` are runtime, `packages-dev` dev.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;

use super::jsonpos::visit_keys;
use super::{Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

#[derive(Deserialize)]
struct ComposerLock {
    #[serde(default)]
    packages: Vec<Pkg>,
    #[serde(default, rename = "packages-dev")]
    packages_dev: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: String,
    version: String,
    source: Option<Src>,
    dist: Option<Dist>,
    #[serde(default)]
    require: BTreeMap<String, serde_json::Value>,
}

#[derive(Deserialize)]
struct Src {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    reference: Option<String>,
}

#[derive(Deserialize)]
struct Dist {
    #[serde(rename = "type")]
    kind: Option<String>,
    url: Option<String>,
    shasum: Option<String>,
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: ComposerLock = serde_json::from_str(cx.text).map_err(|e| cx.json_err(e))?;
    // The `name` key of each array element, in file order, per section.
    let mut name_offsets: HashMap<String, Vec<usize>> = HashMap::new();
    visit_keys(cx.text, |parents, key, off| {
        if key == "name" && parents.len() == 2 && parents[1] == "[]" {
            name_offsets
                .entry(parents[0].clone())
                .or_default()
                .push(off);
        }
    });
    let mut packages = Vec::new();
    let mut requires = Vec::new();
    for (section, list, scope) in [
        ("packages", &lock.packages, Scope::Runtime),
        ("packages-dev", &lock.packages_dev, Scope::Dev),
    ] {
        let offs = name_offsets.get(section);
        for (i, p) in list.iter().enumerate() {
            let line = offs
                .and_then(|o| o.get(i))
                .map(|&o| cx.line_of(o))
                .unwrap_or(1);
            let path_dist = p
                .dist
                .as_ref()
                .is_some_and(|d| d.kind.as_deref() == Some("path"));
            let source = if path_dist {
                Source::Path(
                    p.dist
                        .as_ref()
                        .and_then(|d| d.url.clone())
                        .unwrap_or_default(),
                )
            } else {
                match &p.source {
                    Some(Src {
                        kind: Some(k),
                        url: Some(u),
                        reference,
                    }) if k == "git" && p.dist.is_none() => Source::Git(match reference {
                        Some(r) => format!("{u}#{r}"),
                        None => u.clone(),
                    }),
                    _ => Source::Registry(None),
                }
            };
            let hashes = p
                .dist
                .as_ref()
                .and_then(|d| d.shasum.as_deref())
                .filter(|s| s.len() == 40)
                .map(|s| vec![("SHA-1".to_string(), s.to_ascii_lowercase())])
                .unwrap_or_default();
            packages.push(cx.package(
                p.name.to_ascii_lowercase(),
                p.version.clone(),
                scope,
                source,
                line,
                hashes,
            ));
            requires.push(&p.require);
        }
    }
    let index: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (from, req) in requires.iter().enumerate() {
        for name in req.keys() {
            if let Some(&to) = index.get(name.to_ascii_lowercase().as_str()) {
                edges.push(Edge { from, to });
            }
        }
    }
    Ok((None, packages, edges))
}
