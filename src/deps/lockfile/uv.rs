//! `uv.lock` (`version = 1`, every `revision` seen so far).
//!
//! uv records no per-package scope, so scopes come from reachability: what
//! the workspace members' `dependencies` reach is runtime, what only their
//! `optional-dependencies` reach is optional, what only `dev-dependencies`
//! groups reach is dev.

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};

use serde::Deserialize;
use toml::Spanned;

use super::{parse_digest, pep503, Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

#[derive(Deserialize)]
struct UvLock {
    version: Option<i64>,
    revision: Option<i64>,
    #[serde(default)]
    package: Vec<Pkg>,
}

#[derive(Deserialize)]
struct Pkg {
    name: Spanned<String>,
    version: Option<String>,
    source: Option<BTreeMap<String, toml::Value>>,
    #[serde(default)]
    dependencies: Vec<Dep>,
    #[serde(default, rename = "optional-dependencies")]
    optional: BTreeMap<String, Vec<Dep>>,
    #[serde(default, rename = "dev-dependencies")]
    dev: BTreeMap<String, Vec<Dep>>,
    sdist: Option<Artifact>,
    #[serde(default)]
    wheels: Vec<Artifact>,
}

#[derive(Deserialize)]
struct Dep {
    name: String,
    version: Option<String>,
    #[serde(default)]
    extra: Vec<String>,
}

#[derive(Deserialize)]
struct Artifact {
    hash: Option<String>,
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: UvLock = toml::from_str(cx.text).map_err(|e| cx.toml_err(e))?;
    let version = lock.version.unwrap_or(1);
    if version != 1 {
        return Err(cx.unknown_version("uv.lock", version.to_string(), "version 1"));
    }
    let format_version = match lock.revision {
        Some(r) => format!("version 1 revision {r}"),
        None => "version 1".to_string(),
    };
    let pkgs = &lock.package;
    let mut by_name: HashMap<String, Vec<usize>> = HashMap::new();
    for (i, p) in pkgs.iter().enumerate() {
        by_name.entry(pep503(p.name.get_ref())).or_default().push(i);
    }
    let resolve = |d: &Dep| -> Vec<usize> {
        let Some(c) = by_name.get(&pep503(&d.name)) else {
            return Vec::new();
        };
        match &d.version {
            Some(v) => c
                .iter()
                .copied()
                .filter(|&i| pkgs[i].version.as_deref() == Some(v))
                .collect(),
            None => c.clone(),
        }
    };

    // Edges: plain dependencies, plus the extras a dependent asks for.
    let mut edges = Vec::new();
    let mut out: Vec<Vec<(usize, Vec<String>)>> = vec![Vec::new(); pkgs.len()];
    for (from, p) in pkgs.iter().enumerate() {
        for d in &p.dependencies {
            for to in resolve(d) {
                edges.push(Edge { from, to });
                out[from].push((to, d.extra.clone()));
            }
        }
    }

    let is_member = |p: &Pkg| {
        p.source
            .as_ref()
            .is_some_and(|s| s.contains_key("editable") || s.contains_key("virtual"))
    };
    let mut scope: Vec<Option<Scope>> = vec![None; pkgs.len()];
    // Strongest scope first so a package reached several ways keeps it.
    for wanted in [Scope::Runtime, Scope::Optional, Scope::Dev] {
        let mut queue = VecDeque::new();
        for (i, p) in pkgs.iter().enumerate().filter(|(_, p)| is_member(p)) {
            if wanted == Scope::Runtime {
                queue.push_back((i, Vec::new()));
            }
            let groups = match wanted {
                Scope::Optional => Some(&p.optional),
                Scope::Dev => Some(&p.dev),
                _ => None,
            };
            for d in groups.into_iter().flat_map(|g| g.values()).flatten() {
                for to in resolve(d) {
                    queue.push_back((to, d.extra.clone()));
                }
            }
        }
        // Per pass: each node's edges once, each (node, extra) once, so
        // cycles terminate.
        let mut seen = vec![false; pkgs.len()];
        let mut seen_extra: HashSet<(usize, String)> = HashSet::new();
        while let Some((i, extras)) = queue.pop_front() {
            if !seen[i] {
                seen[i] = true;
                scope[i].get_or_insert(wanted);
                for (to, ex) in &out[i] {
                    queue.push_back((*to, ex.clone()));
                }
            }
            for e in extras {
                if !seen_extra.insert((i, e.clone())) {
                    continue;
                }
                for d in pkgs[i].optional.get(&e).into_iter().flatten() {
                    for to in resolve(d) {
                        queue.push_back((to, d.extra.clone()));
                    }
                }
            }
        }
    }

    let mut packages = Vec::with_capacity(pkgs.len());
    for (i, p) in pkgs.iter().enumerate() {
        let src = p.source.as_ref();
        let get = |k: &str| {
            src.and_then(|s| s.get(k))
                .and_then(|v| v.as_str())
                .map(str::to_string)
        };
        let source = if let Some(u) = get("git") {
            Source::Git(u)
        } else if let Some(u) = get("url") {
            Source::Url(u)
        } else if let Some(p) = get("editable")
            .or_else(|| get("virtual"))
            .or_else(|| get("path"))
            .or_else(|| get("directory"))
        {
            Source::Path(p)
        } else {
            Source::Registry(get("registry").filter(|r| r != "https://pypi.org/simple"))
        };
        let mut hashes: Vec<(String, String)> = Vec::new();
        for h in p
            .sdist
            .iter()
            .chain(&p.wheels)
            .filter_map(|a| a.hash.as_deref())
        {
            if let Some(d) = parse_digest(h) {
                if !hashes.contains(&d) {
                    hashes.push(d);
                }
            }
        }
        packages.push(cx.package(
            pep503(p.name.get_ref()),
            p.version.clone().unwrap_or_default(),
            scope[i].unwrap_or(Scope::Runtime),
            source,
            cx.line_of(p.name.span().start),
            hashes,
        ));
    }
    Ok((Some(format_version), packages, edges))
}
