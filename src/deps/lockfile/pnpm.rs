//! `pnpm-lock.yaml`, lockfileVersion 5.x to 9.0. Package keys are
//! `/name/1.0.0` (v5), `/name@1.0.0(peer@2)` (v6) and `name@1.0.0` (v9);
//! peer suffixes are dropped, the same name@version is one package. v9
//! has no `dev` flags, so its scopes come from reachability: importers'
//! `dependencies` (runtime), `optionalDependencies`, `devDependencies`,
//! through `snapshots`.

use std::collections::{HashMap, VecDeque};

use serde_yaml_ng::Value;

use super::{parse_digest, Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

fn s(v: &Value) -> Option<&str> {
    v.as_str()
}

/// `(name, version)` of a package key, peer suffix dropped.
fn split_key(key: &str, v5: bool) -> Option<(String, String)> {
    let key = key.strip_prefix('/').unwrap_or(key);
    let key = key.split('(').next().unwrap_or(key);
    if v5 {
        let (name, ver) = key.rsplit_once('/')?;
        let ver = ver.split('_').next().unwrap_or(ver);
        return Some((name.to_string(), ver.to_string()));
    }
    let at = key.get(1..)?.rfind('@')? + 1;
    Some((key[..at].to_string(), key[at + 1..].to_string()))
}

/// A dependency reference (`1.0.0(peer)`, `1.0.0_peer`, or a full key for
/// aliases) as `(name, version)`.
fn dep_target(name: &str, reference: &str, v5: bool) -> (String, String) {
    if reference.starts_with('/') || (reference.contains('@') && !reference.starts_with("link:")) {
        if let Some(t) = split_key(reference, v5) {
            return t;
        }
    }
    let r = reference.split('(').next().unwrap_or(reference);
    let r = if v5 {
        r.split('_').next().unwrap_or(r)
    } else {
        r
    };
    (name.to_string(), r.to_string())
}

/// Line of each key directly under the top-level `packages:`.
fn key_lines(text: &str) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            inside = line.trim_end() == "packages:";
            continue;
        }
        if inside && line.starts_with("  ") && !line.starts_with("   ") {
            let k = line.trim().trim_end_matches(':').trim_end_matches(" {}");
            let k = k.trim_end_matches(':').trim_matches(['\'', '"']);
            out.insert(k.to_string(), i + 1);
        }
    }
    out
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let doc: Value = serde_yaml_ng::from_str(cx.text).map_err(|e| {
        let line = e.location().map(|l| l.line()).unwrap_or(1);
        cx.err(line, format!("invalid YAML: {e}"))
    })?;
    let version_str = match &doc["lockfileVersion"] {
        Value::Number(n) => n.to_string(),
        Value::String(v) => v.clone(),
        _ => String::new(),
    };
    let major: u32 = version_str
        .split('.')
        .next()
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    if !(5..=9).contains(&major) {
        let shown = if version_str.is_empty() {
            "(missing)".into()
        } else {
            version_str.clone()
        };
        return Err(cx.unknown_version(
            "pnpm-lock.yaml lockfileVersion",
            shown,
            "lockfileVersion 5.x to 9.0",
        ));
    }
    let v5 = major == 5;
    let lines = key_lines(cx.text);
    let empty = serde_yaml_ng::Mapping::new();
    let pkgs = doc["packages"].as_mapping().unwrap_or(&empty);

    let mut packages = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (k, e) in pkgs {
        let Some(key) = s(k) else { continue };
        let Some((name, version)) = split_key(key, v5) else {
            return Err(cx.err(
                lines.get(key).copied().unwrap_or(1),
                format!("package key {key:?} has no version"),
            ));
        };
        if index.contains_key(&(name.clone(), version.clone())) {
            continue;
        }
        let res = &e["resolution"];
        let source = if let Some(repo) = s(&res["repo"]) {
            Source::Git(format!("{repo}#{}", s(&res["commit"]).unwrap_or_default()))
        } else if let Some(dir) = s(&res["directory"]) {
            Source::Path(dir.to_string())
        } else if let Some(t) = s(&res["tarball"]).filter(|t| !t.contains("/-/")) {
            Source::Url(t.to_string())
        } else {
            Source::Registry(None)
        };
        let scope = if e["dev"].as_bool() == Some(true) {
            Scope::Dev
        } else if e["optional"].as_bool() == Some(true) {
            Scope::Optional
        } else {
            Scope::Runtime
        };
        let hashes = s(&res["integrity"])
            .and_then(parse_digest)
            .into_iter()
            .collect();
        let line = lines.get(key).copied().unwrap_or(1);
        index.insert((name.clone(), version.clone()), packages.len());
        packages.push(cx.package(name, version, scope, source, line, hashes));
    }

    // Edges from `snapshots` (v9) or the package entries themselves.
    let graph = doc["snapshots"].as_mapping().unwrap_or(pkgs);
    let mut edges = Vec::new();
    for (k, e) in graph {
        let Some(from) = s(k)
            .and_then(|k| split_key(k, v5))
            .and_then(|t| index.get(&t).copied())
        else {
            continue;
        };
        for field in ["dependencies", "optionalDependencies"] {
            for (dn, dr) in e[field].as_mapping().unwrap_or(&empty) {
                if let (Some(dn), Some(dr)) = (s(dn), s(dr)) {
                    if let Some(&to) = index.get(&dep_target(dn, dr, v5)) {
                        edges.push(Edge { from, to });
                    }
                }
            }
        }
    }
    edges.sort();
    edges.dedup();

    if major >= 9 {
        let mut out: Vec<Vec<usize>> = vec![Vec::new(); packages.len()];
        for e in &edges {
            out[e.from].push(e.to);
        }
        let mut scope: Vec<Option<Scope>> = vec![None; packages.len()];
        for (field, wanted) in [
            ("dependencies", Scope::Runtime),
            ("optionalDependencies", Scope::Optional),
            ("devDependencies", Scope::Dev),
        ] {
            let mut queue = VecDeque::new();
            for (_, imp) in doc["importers"].as_mapping().unwrap_or(&empty) {
                for (dn, dv) in imp[field].as_mapping().unwrap_or(&empty) {
                    let r = s(&dv["version"]).or(s(dv));
                    if let (Some(dn), Some(r)) = (s(dn), r) {
                        if let Some(&i) = index.get(&dep_target(dn, r, false)) {
                            queue.push_back(i);
                        }
                    }
                }
            }
            while let Some(i) = queue.pop_front() {
                if scope[i].is_some() {
                    continue;
                }
                scope[i] = Some(wanted);
                queue.extend(out[i].iter().copied());
            }
        }
        for (p, sc) in packages.iter_mut().zip(scope) {
            p.scope = sc.unwrap_or(Scope::Runtime);
        }
    }
    packages.sort_by_key(|p| p.location.line);
    // Sorting moved packages: remap edges by (name, version).
    let pos: HashMap<(String, String), usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.name.clone(), p.version.clone()), i))
        .collect();
    let old: Vec<(String, String)> = {
        let mut v = vec![(String::new(), String::new()); index.len()];
        for (k, &i) in &index {
            v[i] = k.clone();
        }
        v
    };
    for e in &mut edges {
        e.from = pos[&old[e.from]];
        e.to = pos[&old[e.to]];
    }
    Ok((
        Some(format!("lockfileVersion {version_str}")),
        packages,
        edges,
    ))
}
