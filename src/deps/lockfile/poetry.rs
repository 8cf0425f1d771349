//! `poetry.lock`: pre-1.0 (`[metadata.hashes]`), 1.x (`category`,
//! `[metadata.files]`), 2.x (`groups`, per-package `files`).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::{parse_digest, pep503, Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

#[derive(Deserialize)]
struct PoetryLock {
    #[serde(default)]
    package: Vec<Pkg>,
    #[serde(default)]
    metadata: Metadata,
}

#[derive(Deserialize, Default)]
struct Metadata {
    #[serde(rename = "lock-version")]
    lock_version: Option<Spanned<String>>,
    /// 1.x: `name = [{file, hash}]`.
    #[serde(default)]
    files: BTreeMap<String, Vec<FileHash>>,
    /// pre-1.0: `name = ["hex", ...]`.
    #[serde(default)]
    hashes: BTreeMap<String, Vec<String>>,
}

#[derive(Deserialize)]
struct Pkg {
    name: Spanned<String>,
    version: String,
    category: Option<String>,
    groups: Option<Vec<String>>,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dependencies: BTreeMap<String, toml::Value>,
    #[serde(default)]
    files: Vec<FileHash>,
    source: Option<PkgSource>,
}

#[derive(Deserialize)]
struct FileHash {
    hash: Option<String>,
}

#[derive(Deserialize)]
struct PkgSource {
    #[serde(rename = "type")]
    kind: String,
    url: Option<String>,
    resolved_reference: Option<String>,
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: PoetryLock = toml::from_str(cx.text).map_err(|e| cx.toml_err(e))?;
    let format_version = match &lock.metadata.lock_version {
        Some(v) => {
            let major = v.get_ref().split('.').next().unwrap_or_default();
            if !matches!(major, "1" | "2") {
                return Err(cx.unknown_version(
                    "poetry.lock",
                    v.get_ref().clone(),
                    "lock-version 1.x and 2.x",
                ));
            }
            format!("lock-version {}", v.get_ref())
        }
        None => "pre-1.0".to_string(),
    };
    let by_name: HashMap<String, usize> = lock
        .package
        .iter()
        .enumerate()
        .map(|(i, p)| (pep503(p.name.get_ref()), i))
        .collect();
    let meta_files: HashMap<String, &Vec<FileHash>> = lock
        .metadata
        .files
        .iter()
        .map(|(k, v)| (pep503(k), v))
        .collect();
    let meta_hashes: HashMap<String, &Vec<String>> = lock
        .metadata
        .hashes
        .iter()
        .map(|(k, v)| (pep503(k), v))
        .collect();

    let mut packages = Vec::with_capacity(lock.package.len());
    let mut edges = Vec::new();
    for (from, p) in lock.package.iter().enumerate() {
        let name = pep503(p.name.get_ref());
        let main = match (&p.groups, &p.category) {
            (Some(g), _) => g.iter().any(|g| g == "main"),
            (None, Some(c)) => c == "main",
            (None, None) => true,
        };
        let scope = match (main, p.optional) {
            (false, _) => Scope::Dev,
            (true, true) => Scope::Optional,
            (true, false) => Scope::Runtime,
        };
        let source = match &p.source {
            None => Source::Registry(None),
            Some(s) => {
                let url = s.url.clone().unwrap_or_default();
                match s.kind.as_str() {
                    "git" => Source::Git(match &s.resolved_reference {
                        Some(r) => format!("{url}#{r}"),
                        None => url,
                    }),
                    "directory" | "file" => Source::Path(url),
                    "url" => Source::Url(url),
                    _ => Source::Registry(Some(url)),
                }
            }
        };
        let mut hashes = Vec::new();
        let files = meta_files.get(&name).copied().unwrap_or(&p.files);
        for h in files.iter().filter_map(|f| f.hash.as_deref()) {
            if let Some(d) = parse_digest(h) {
                hashes.push(d);
            }
        }
        for h in meta_hashes.get(&name).into_iter().flat_map(|v| v.iter()) {
            hashes.push(("SHA-256".to_string(), h.to_ascii_lowercase()));
        }
        hashes.dedup();
        for dep in p.dependencies.keys() {
            if let Some(&to) = by_name.get(&pep503(dep)) {
                edges.push(Edge { from, to });
            }
        }
        packages.push(cx.package(
            name,
            p.version.clone(),
            scope,
            source,
            cx.line_of(p.name.span().start),
            hashes,
        ));
    }
    Ok((Some(format_version), packages, edges))
}
