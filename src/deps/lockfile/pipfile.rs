//! `Pipfile.lock` (pipfile-spec 6): `default` is runtime, `develop` dev.

use std::collections::BTreeMap;
use std::collections::HashMap;

use serde::Deserialize;

use super::jsonpos::visit_keys;
use super::{parse_digest, pep503, Ctx, LockfileError, Parsed};
use crate::deps::model::{Scope, Source};

#[derive(Deserialize)]
struct PipfileLock {
    #[serde(rename = "_meta")]
    meta: Option<Meta>,
    #[serde(default)]
    default: BTreeMap<String, Entry>,
    #[serde(default)]
    develop: BTreeMap<String, Entry>,
}

#[derive(Deserialize)]
struct Meta {
    #[serde(rename = "pipfile-spec")]
    spec: Option<i64>,
}

#[derive(Deserialize)]
struct Entry {
    version: Option<String>,
    #[serde(default)]
    hashes: Vec<String>,
    git: Option<String>,
    #[serde(rename = "ref")]
    reference: Option<String>,
    path: Option<String>,
    file: Option<String>,
    markers: Option<String>,
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: PipfileLock = serde_json::from_str(cx.text).map_err(|e| cx.json_err(e))?;
    let spec = lock.meta.as_ref().and_then(|m| m.spec).unwrap_or(6);
    if !(1..=6).contains(&spec) {
        return Err(cx.unknown_version(
            "Pipfile.lock pipfile-spec",
            spec.to_string(),
            "pipfile-spec up to 6",
        ));
    }
    let mut lines: HashMap<(String, String), usize> = HashMap::new();
    visit_keys(cx.text, |parents, key, off| {
        if parents.len() == 1 && (parents[0] == "default" || parents[0] == "develop") {
            lines.insert((parents[0].clone(), key.to_string()), off);
        }
    });
    let mut packages = Vec::new();
    for (section, entries, scope) in [
        ("default", &lock.default, Scope::Runtime),
        ("develop", &lock.develop, Scope::Dev),
    ] {
        for (name, e) in entries {
            let version = e.version.as_deref().unwrap_or_default();
            let version = version.strip_prefix("==").unwrap_or(version).to_string();
            let source = if let Some(g) = &e.git {
                Source::Git(match &e.reference {
                    Some(r) => format!("{g}#{r}"),
                    None => g.clone(),
                })
            } else if let Some(p) = &e.path {
                Source::Path(p.clone())
            } else if let Some(f) = &e.file {
                Source::Url(f.clone())
            } else {
                Source::Registry(None)
            };
            let line = lines
                .get(&(section.to_string(), name.clone()))
                .map(|&o| cx.line_of(o))
                .unwrap_or(1);
            let hashes = e.hashes.iter().filter_map(|h| parse_digest(h)).collect();
            let mut p = cx.package(pep503(name), version, scope, source, line, hashes);
            p.markers = e.markers.clone().filter(|m| !m.trim().is_empty());
            packages.push(p);
        }
    }
    packages.sort_by_key(|p| p.location.line);
    Ok((Some(format!("pipfile-spec {spec}")), packages, Vec::new()))
}
