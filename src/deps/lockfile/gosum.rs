//! `go.sum`: one `module version[/go.mod] h1:<base64>` line per checksum.
//! A module version usually has two lines: the hash of its content (the
//! zip) and the hash of its `go.mod` alone. A version with only the
//! `/go.mod` line had its go.mod read during version selection but its
//! code was never downloaded, so it is not in the build: it is no package.
//!
//! Alone, a go.sum yields one package per module: the highest version with
//! a content hash (minimal version selection builds the highest required
//! version; older content lines are leftovers of an untidy go.sum).
//!
//! Next to a go.mod (the usual case) the go.mod is the inventory (it has
//! the requirements, `replace` directives and line numbers) and the go.sum
//! only adds hashes, so nothing is counted twice. Exception: a go.mod for
//! Go before 1.17 lists only direct requirements (no module-graph pruning),
//! so there the go.sum's modules the go.mod does not name are added too.
//!
//! The `h1:` hash is a SHA-256 (over Go's "dirhash" summary of the module's
//! files, not over one archive); it is kept as `SHA-256` in hex, the only
//! way CycloneDX can carry it.

use std::collections::{BTreeMap, HashMap, HashSet};

use super::gomod;
use super::{parse_digest, Ctx, LockfileError, Parsed};
use crate::deps::model::{Ecosystem, Scope, Source};
use crate::deps::version;

/// One module version of a go.sum, its `/go.mod` line folded in.
struct Entry {
    module: String,
    version: String,
    /// The first line naming this version.
    line: usize,
    /// The go.sum has the content line: the code was downloaded.
    built: bool,
    /// The content hash, when its algorithm is one we know (`h1:`).
    content: Option<(String, String)>,
}

fn read(cx: &Ctx) -> Result<Vec<Entry>, LockfileError> {
    let mut out: Vec<Entry> = Vec::new();
    let mut index: HashMap<(String, String), usize> = HashMap::new();
    for (i, raw) in cx.text.lines().enumerate() {
        let w: Vec<&str> = raw.split_whitespace().collect();
        if w.is_empty() {
            continue;
        }
        let [module, version, hash] = w[..] else {
            return Err(cx.err(
                i + 1,
                format!("expected `module version hash`, found {:?}", raw.trim()),
            ));
        };
        let (version, is_mod) = match version.strip_suffix("/go.mod") {
            Some(v) => (v, true),
            None => (version, false),
        };
        // Only `h1:` exists today; a future algorithm is not an error.
        let digest = match hash.strip_prefix("h1:") {
            Some(b64) => Some(
                parse_digest(&format!("sha256-{b64}"))
                    .filter(|(_, hex)| hex.len() == 64)
                    .ok_or_else(|| cx.err(i + 1, format!("{hash:?} is not an h1: SHA-256 hash")))?,
            ),
            None if hash.contains(':') => None,
            None => return Err(cx.err(i + 1, format!("{hash:?} is not a go.sum hash"))),
        };
        let key = (module.to_string(), version.to_string());
        let at = *index.entry(key).or_insert_with(|| {
            out.push(Entry {
                module: module.to_string(),
                version: version.to_string(),
                line: i + 1,
                built: false,
                content: None,
            });
            out.len() - 1
        });
        if !is_mod {
            let e = &mut out[at];
            e.built = true;
            e.content = e.content.take().or(digest);
        }
    }
    Ok(out)
}

/// The built module versions: per module, the highest version with a
/// content line, in file order.
fn built(entries: &[Entry]) -> Vec<&Entry> {
    let mut best: BTreeMap<&str, &Entry> = BTreeMap::new();
    for e in entries.iter().filter(|e| e.built) {
        let b = best.entry(&e.module).or_insert(e);
        let newer = version::compare(Ecosystem::Go, &b.version, &e.version)
            .map(|o| o.is_lt())
            .unwrap_or(false);
        if newer {
            *b = e;
        }
    }
    let mut v: Vec<&Entry> = best.into_values().collect();
    v.sort_by_key(|e| e.line);
    v
}

fn hashes(e: &Entry) -> Vec<(String, String)> {
    e.content.iter().cloned().collect()
}

/// A go.sum on its own.
pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let entries = read(cx)?;
    let packages = built(&entries)
        .into_iter()
        .map(|e| {
            cx.package(
                e.module.clone(),
                e.version.clone(),
                Scope::Runtime,
                Source::Registry(None),
                e.line,
                hashes(e),
            )
        })
        .collect();
    Ok((None, packages, Vec::new()))
}

/// Whether a `go` directive version predates module-graph pruning (1.17).
/// No directive means 1.16 to the go command.
fn unpruned(go: Option<&str>) -> bool {
    let Some(g) = go else { return true };
    let mut parts = g.split('.').map(|p| p.parse::<u32>().unwrap_or(0));
    let major = parts.next().unwrap_or(0);
    let minor = parts.next().unwrap_or(0);
    (major, minor) < (1, 17)
}

/// A go.mod (`mod_cx`) with the go.sum beside it (`sum_cx`).
pub(super) fn combine(mod_cx: &Ctx, sum_cx: &Ctx) -> Result<Parsed, LockfileError> {
    let m = gomod::read(mod_cx)?;
    let entries = read(sum_cx)?;
    let by_key: HashMap<(&str, &str), &Entry> = entries
        .iter()
        .map(|e| ((e.module.as_str(), e.version.as_str()), e))
        .collect();
    let mut named: HashSet<String> = HashSet::new();
    let mut packages = Vec::with_capacity(m.requires.len());
    for r in m.requires {
        let hs = r
            .content
            .as_ref()
            .and_then(|(module, v)| by_key.get(&(module.as_str(), v.as_str())))
            .map(|e| hashes(e))
            .unwrap_or_default();
        named.insert(r.module.clone());
        if let Some((module, _)) = &r.content {
            named.insert(module.clone());
        }
        packages.push(mod_cx.package(r.module, r.version, Scope::Runtime, r.source, r.line, hs));
    }
    if unpruned(m.go.as_deref()) {
        for e in built(&entries) {
            if named.contains(&e.module) {
                continue;
            }
            packages.push(sum_cx.package(
                e.module.clone(),
                e.version.clone(),
                Scope::Runtime,
                Source::Registry(None),
                e.line,
                hashes(e),
            ));
        }
    }
    Ok((m.go.map(|g| format!("go {g}")), packages, Vec::new()))
}
