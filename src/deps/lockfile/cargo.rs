//! `Cargo.lock`, v1 (with `[root]` or `[metadata]` checksums) to v4.

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::{Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

#[derive(Deserialize)]
struct CargoLock {
    version: Option<Spanned<i64>>,
    #[serde(default)]
    package: Vec<Spanned<Pkg>>,
    root: Option<Spanned<Pkg>>,
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct Pkg {
    name: Spanned<String>,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

const CRATES_IO: [&str; 2] = [
    "registry+https://github.com/rust-lang/crates.io-index",
    "sparse+https://index.crates.io/",
];

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: CargoLock = toml::from_str(cx.text).map_err(|e| cx.toml_err(e))?;
    let format_version = match &lock.version {
        Some(v) if matches!(*v.get_ref(), 3 | 4) => format!("v{}", v.get_ref()),
        Some(v) => {
            return Err(cx.unknown_version("Cargo.lock", v.get_ref().to_string(), "v1 to v4"))
        }
        None if lock.root.is_some() || !lock.metadata.is_empty() => "v1".to_string(),
        None => "v2".to_string(),
    };
    // v1 keeps checksums in `[metadata]` as `"checksum NAME VERSION (SOURCE)" = HASH`.
    let mut meta_sums: HashMap<&str, &str> = HashMap::new();
    for (k, v) in &lock.metadata {
        if let (Some(rest), Some(sum)) = (k.strip_prefix("checksum "), v.as_str()) {
            if sum != "<none>" {
                meta_sums.insert(rest, sum);
            }
        }
    }
    let entries: Vec<&Spanned<Pkg>> = lock.root.iter().chain(lock.package.iter()).collect();
    let mut packages = Vec::with_capacity(entries.len());
    for sp in &entries {
        let p = sp.get_ref();
        let line = cx.line_of(p.name.span().start);
        let source = match p.source.as_deref() {
            None => Source::Path(".".into()),
            Some(s) if CRATES_IO.contains(&s) => Source::Registry(None),
            Some(s) => {
                if let Some(url) = s.strip_prefix("git+") {
                    Source::Git(url.to_string())
                } else if let Some(url) = s
                    .strip_prefix("registry+")
                    .or_else(|| s.strip_prefix("sparse+"))
                {
                    Source::Registry(Some(url.to_string()))
                } else {
                    Source::Url(s.to_string())
                }
            }
        };
        let key = match &p.source {
            Some(s) => format!("{} {} ({})", p.name.get_ref(), p.version, s),
            None => format!("{} {}", p.name.get_ref(), p.version),
        };
        let sum = p
            .checksum
            .as_deref()
            .or_else(|| meta_sums.get(key.as_str()).copied());
        let hashes = sum
            .map(|s| vec![("SHA-256".to_string(), s.to_ascii_lowercase())])
            .unwrap_or_default();
        packages.push(cx.package(
            p.name.get_ref().clone(),
            p.version.clone(),
            Scope::Runtime,
            source,
            line,
            hashes,
        ));
    }

    // Dependencies are `NAME`, `NAME VERSION` or `NAME VERSION (SOURCE)`,
    // with just enough detail to be unambiguous.
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, sp) in entries.iter().enumerate() {
        by_name
            .entry(sp.get_ref().name.get_ref())
            .or_default()
            .push(i);
    }
    let mut edges = Vec::new();
    for (from, sp) in entries.iter().enumerate() {
        for dep in &sp.get_ref().dependencies {
            let mut parts = dep.splitn(3, ' ');
            let name = parts.next().unwrap_or_default();
            let version = parts.next();
            let source = parts
                .next()
                .map(|s| s.trim_start_matches('(').trim_end_matches(')'));
            let Some(cands) = by_name.get(name) else {
                return Err(cx.err(
                    cx.line_of(sp.span().start),
                    format!(
                        "dependency {dep:?} of {} is not in the lockfile",
                        sp.get_ref().name.get_ref()
                    ),
                ));
            };
            let to = cands.iter().copied().find(|&i| {
                let q = entries[i].get_ref();
                version.is_none_or(|v| q.version == v)
                    && source.is_none_or(|s| q.source.as_deref() == Some(s))
            });
            if let Some(to) = to {
                edges.push(Edge { from, to });
            }
        }
    }
    Ok((Some(format_version), packages, edges))
}
