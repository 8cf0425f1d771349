//! `package-lock.json` / `npm-shrinkwrap.json`: lockfileVersion 1 (nested
//! `dependencies`), 2 and 3 (`packages` keyed by install path).
//!
//! One package per install path: the same name@version installed in two
//! places is two entries, as in the lockfile (the diff and the SBOM
//! collapse them). The root project and workspace folders are kept as
//! `Source::Path`; `link: true` entries are skipped (their target is an
//! entry of its own).

use std::collections::{BTreeMap, HashMap};

use serde::de::IgnoredAny;
use serde::Deserialize;

use super::jsonpos::visit_keys;
use super::{parse_digest, Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Package, Scope, Source};

#[derive(Deserialize)]
struct PackageLock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    name: Option<String>,
    version: Option<String>,
    packages: Option<BTreeMap<String, Entry>>,
    /// v1's tree; v2 repeats it for old npm, and it is skipped unparsed.
    #[serde(default)]
    #[allow(dead_code)]
    dependencies: IgnoredAny,
}

#[derive(Deserialize)]
struct PackageLockV1 {
    #[serde(default)]
    dependencies: BTreeMap<String, EntryV1>,
}

/// A v2/v3 `packages` entry. Dependency maps are read for their keys only.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry {
    name: Option<String>,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    peer: bool,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dependencies: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    optional_dependencies: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    peer_dependencies: BTreeMap<String, IgnoredAny>,
}

/// A v1 `dependencies` entry: nested entries and `requires`.
#[derive(Deserialize)]
struct EntryV1 {
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    requires: BTreeMap<String, IgnoredAny>,
    #[serde(default)]
    dependencies: BTreeMap<String, EntryV1>,
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let lock: PackageLock = serde_json::from_str(cx.text).map_err(|e| cx.json_err(e))?;
    let version = match &lock.lockfile_version {
        Some(serde_json::Value::Number(n)) => n.as_u64(),
        _ => None,
    };
    let version = match version {
        Some(v @ 1..=3) => v,
        _ => {
            let shown = lock
                .lockfile_version
                .as_ref()
                .map(|v| v.to_string())
                .unwrap_or_else(|| "(missing)".into());
            return Err(cx.unknown_version(
                "package-lock.json lockfileVersion",
                shown,
                "lockfileVersion 1, 2 and 3",
            ));
        }
    };

    // Install path -> (entry, line).
    let mut entries: Vec<(String, Entry)> = Vec::new();
    let mut lines: HashMap<String, usize> = HashMap::new();
    if version >= 2 {
        let Some(pkgs) = lock.packages else {
            return Err(cx.err(1, format!("lockfileVersion {version} without \"packages\"")));
        };
        visit_keys(cx.text, |parents, key, off| {
            if parents.len() == 1 && parents[0] == "packages" {
                lines.insert(key.to_string(), off);
            }
        });
        entries.extend(pkgs);
    } else {
        // v1: the root is implicit; nested `dependencies` become paths.
        let root = Entry {
            name: lock.name.clone(),
            version: lock.version.clone(),
            ..Entry::default()
        };
        entries.push((String::new(), root));
        let v1: PackageLockV1 = serde_json::from_str(cx.text).map_err(|e| cx.json_err(e))?;
        flatten_v1("", v1.dependencies, &mut entries);
        visit_keys(cx.text, |parents, key, off| {
            // ["dependencies", a, "dependencies", b, ...] -> node_modules/a/node_modules/b/...
            if parents.len() % 2 == 1 && parents.iter().step_by(2).all(|p| p == "dependencies") {
                let mut path = String::new();
                for name in parents
                    .iter()
                    .skip(1)
                    .step_by(2)
                    .map(String::as_str)
                    .chain([key])
                {
                    if !path.is_empty() {
                        path.push('/');
                    }
                    path.push_str("node_modules/");
                    path.push_str(name);
                }
                lines.insert(path, off);
            }
        });
    }

    let mut packages: Vec<Package> = Vec::with_capacity(entries.len());
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut links: HashMap<&str, &str> = HashMap::new();
    let mut kept: Vec<&(String, Entry)> = Vec::with_capacity(entries.len());
    for pair in &entries {
        let (path, e) = pair;
        if e.link {
            if let Some(target) = e.resolved.as_deref() {
                links.insert(path, target);
            }
            continue;
        }
        let installed_as = path.rsplit_once("node_modules/").map(|(_, n)| n);
        let name = match (&e.name, installed_as) {
            (Some(n), _) => n.clone(),
            (None, Some(n)) => n.to_string(),
            (None, None) => path.rsplit('/').next().unwrap_or_default().to_string(),
        };
        if name.is_empty() && !path.is_empty() {
            continue;
        }
        let source = source_of(path, e);
        let scope = if e.dev || e.dev_optional {
            Scope::Dev
        } else if e.optional {
            Scope::Optional
        } else if e.peer {
            Scope::Peer
        } else {
            Scope::Runtime
        };
        let hashes = e
            .integrity
            .as_deref()
            .unwrap_or_default()
            .split_whitespace()
            .filter_map(parse_digest)
            .collect();
        let line = lines
            .get(path.as_str())
            .map(|&o| cx.line_of(o))
            .unwrap_or(1);
        index.insert(path, packages.len());
        kept.push(pair);
        packages.push(cx.package(
            name,
            e.version.clone().unwrap_or_default(),
            scope,
            source,
            line,
            hashes,
        ));
    }

    let mut edges = Vec::new();
    for (from, (path, e)) in kept.iter().enumerate() {
        let names = e
            .dependencies
            .keys()
            .chain(e.optional_dependencies.keys())
            .chain(e.peer_dependencies.keys());
        for name in names {
            if let Some(to) = resolve(path, name, &index, &links) {
                edges.push(Edge { from, to });
            }
        }
    }
    edges.sort();
    edges.dedup();
    // BTreeMap order is by path; present packages in file order instead.
    let mut order: Vec<usize> = (0..packages.len()).collect();
    order.sort_by_key(|&i| packages[i].location.line);
    let mut new_pos = vec![0; packages.len()];
    for (new, &old) in order.iter().enumerate() {
        new_pos[old] = new;
    }
    let mut sorted: Vec<Option<Package>> = packages.into_iter().map(Some).collect();
    let packages = order
        .iter()
        .map(|&i| sorted[i].take().expect("each index once"))
        .collect();
    for e in &mut edges {
        e.from = new_pos[e.from];
        e.to = new_pos[e.to];
    }
    Ok((Some(format!("lockfileVersion {version}")), packages, edges))
}

fn flatten_v1(parent: &str, deps: BTreeMap<String, EntryV1>, out: &mut Vec<(String, Entry)>) {
    for (name, e) in deps {
        let path = if parent.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{parent}/node_modules/{name}")
        };
        out.push((
            path.clone(),
            Entry {
                version: e.version,
                resolved: e.resolved,
                integrity: e.integrity,
                dev: e.dev,
                optional: e.optional,
                // `requires` names what this entry depends on.
                dependencies: e.requires,
                ..Entry::default()
            },
        ));
        flatten_v1(&path, e.dependencies, out);
    }
}

fn source_of(path: &str, e: &Entry) -> Source {
    if !path.is_empty() && !path.contains("node_modules/") {
        return Source::Path(path.to_string());
    }
    if path.is_empty() {
        return Source::Path(".".into());
    }
    let spec = e
        .resolved
        .as_deref()
        .or(e.version.as_deref())
        .unwrap_or_default();
    if spec.starts_with("git") || spec.starts_with("github:") {
        Source::Git(spec.to_string())
    } else if let Some(p) = spec.strip_prefix("file:") {
        Source::Path(p.to_string())
    } else if spec.starts_with("http://") || spec.starts_with("https://") {
        // Registry tarballs live under `/<name>/-/<name>-<version>.tgz`.
        if spec.contains("/-/") {
            Source::Registry(None)
        } else {
            Source::Url(spec.to_string())
        }
    } else {
        Source::Registry(None)
    }
}

/// Node's resolution: `<dir>/node_modules/<name>`, walking up to the root.
fn resolve(
    from: &str,
    name: &str,
    index: &HashMap<&str, usize>,
    links: &HashMap<&str, &str>,
) -> Option<usize> {
    let mut dir = from;
    loop {
        let cand = if dir.is_empty() {
            format!("node_modules/{name}")
        } else {
            format!("{dir}/node_modules/{name}")
        };
        let target = links.get(cand.as_str()).copied().unwrap_or(&cand);
        if let Some(&i) = index.get(target) {
            return Some(i);
        }
        if dir.is_empty() {
            return None;
        }
        dir = match dir.rfind("node_modules/") {
            Some(0) | None => "",
            Some(pos) => &dir[..pos - 1],
        };
    }
}
