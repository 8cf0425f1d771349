//! `yarn.lock`: v1 (yarn's own format) and Berry (v2+, YAML with a
//! `__metadata` block). Both are "descriptor list -> block of fields"
//! with two-space indentation, so one line-based reader handles both;
//! hand-rolled because v1 is not YAML and no maintained crate reads it.
//! yarn.lock records no dev/prod split: every package is runtime.

use std::collections::HashMap;

use super::{parse_digest, Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

struct Block {
    descriptors: Vec<String>,
    line: usize,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    link_soft: bool,
    deps: Vec<(String, String)>,
}

fn unquote(s: &str) -> &str {
    let s = s.trim();
    s.strip_prefix('"')
        .and_then(|s| s.strip_suffix('"'))
        .unwrap_or(s)
}

/// `name@range` -> name (a leading `@` belongs to a scoped name).
fn descriptor_name(d: &str) -> &str {
    match d.get(1..).and_then(|rest| rest.find('@')) {
        Some(p) => &d[..p + 1],
        None => d,
    }
}

/// `key value` (v1) or `key: value` (Berry).
fn field(s: &str) -> (&str, &str) {
    let s = s.trim();
    if let Some(rest) = s.strip_prefix('"') {
        if let Some(end) = rest.find('"') {
            let key = &rest[..end];
            let val = rest[end + 1..].trim_start_matches(':').trim();
            return (key, unquote(val));
        }
    }
    match s.find([' ', ':']) {
        Some(p) => (&s[..p], unquote(s[p + 1..].trim_start_matches(':'))),
        None => (s.trim_end_matches(':'), ""),
    }
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let berry = cx.text.contains("\n__metadata:") || cx.text.starts_with("__metadata:");
    let mut blocks: Vec<Block> = Vec::new();
    let mut metadata_version: Option<String> = None;
    let mut in_meta = false;
    let mut in_deps = false;
    for (i, line) in cx.text.lines().enumerate() {
        if line.trim().is_empty() || line.trim_start().starts_with('#') {
            continue;
        }
        let indent = line.len() - line.trim_start().len();
        if indent == 0 {
            let Some(head) = line.trim_end().strip_suffix(':') else {
                return Err(cx.err(
                    i + 1,
                    format!(
                        "expected `descriptor:` at column 1, found {:?}",
                        line.trim()
                    ),
                ));
            };
            in_meta = head == "__metadata";
            in_deps = false;
            if in_meta {
                continue;
            }
            let descriptors = head.split(", ").map(|d| unquote(d).to_string()).collect();
            blocks.push(Block {
                descriptors,
                line: i + 1,
                version: None,
                resolved: None,
                integrity: None,
                link_soft: false,
                deps: Vec::new(),
            });
            continue;
        }
        if in_meta {
            let (k, v) = field(line);
            if k == "version" {
                metadata_version = Some(v.to_string());
            }
            continue;
        }
        let Some(b) = blocks.last_mut() else {
            return Err(cx.err(i + 1, "indented line before any entry"));
        };
        let (k, v) = field(line);
        if indent == 2 {
            in_deps = matches!(k, "dependencies" | "optionalDependencies");
            match k {
                "version" => b.version = Some(v.to_string()),
                "resolved" | "resolution" => b.resolved = Some(v.to_string()),
                "integrity" | "checksum" => b.integrity = Some(v.to_string()),
                "linkType" => b.link_soft = v == "soft",
                _ => {}
            }
        } else if indent == 4 && in_deps {
            b.deps.push((k.to_string(), v.to_string()));
        }
    }
    if let Some(v) = &metadata_version {
        // Berry lockfile versions so far: 4 (yarn 2) to 8 (yarn 4).
        if v.parse::<u32>().map_or(true, |n| n > 8) {
            return Err(cx.unknown_version(
                "yarn.lock __metadata",
                v.clone(),
                "yarn v1 and Berry __metadata versions up to 8",
            ));
        }
    }
    let mut packages = Vec::with_capacity(blocks.len());
    let mut by_descriptor: HashMap<String, usize> = HashMap::new();
    for b in &blocks {
        let first = b
            .descriptors
            .first()
            .map(String::as_str)
            .unwrap_or_default();
        let name = descriptor_name(first).to_string();
        let Some(version) = b.version.clone() else {
            return Err(cx.err(b.line, format!("entry {first:?} has no version")));
        };
        let resolved = b.resolved.as_deref().unwrap_or_default();
        let source =
            if b.link_soft || resolved.contains("@workspace:") || resolved.contains("@link:") {
                Source::Path(
                    resolved
                        .rsplit_once(':')
                        .map(|(_, p)| p)
                        .unwrap_or(".")
                        .to_string(),
                )
            } else if resolved.contains("@file:") || resolved.contains("@portal:") {
                Source::Path(resolved.to_string())
            } else if resolved.starts_with("git")
                || resolved.contains("#commit=")
                || resolved.contains("@git")
            {
                Source::Git(resolved.to_string())
            } else if !berry && resolved.starts_with("http") && !resolved.contains("/-/") {
                Source::Url(resolved.to_string())
            } else {
                Source::Registry(None)
            };
        // v1 integrity is SRI (`sha512-...`); Berry's checksum is a cache
        // key (`10c0/<hex>`), not a digest of the registry tarball.
        let hashes = if berry {
            Vec::new()
        } else {
            b.integrity
                .as_deref()
                .and_then(parse_digest)
                .into_iter()
                .collect()
        };
        for d in &b.descriptors {
            by_descriptor.insert(d.clone(), packages.len());
        }
        packages.push(cx.package(name, version, Scope::Runtime, source, b.line, hashes));
    }
    let mut edges = Vec::new();
    for (from, b) in blocks.iter().enumerate() {
        for (name, range) in &b.deps {
            let to = by_descriptor
                .get(&format!("{name}@{range}"))
                .or_else(|| by_descriptor.get(&format!("{name}@npm:{range}")));
            if let Some(&to) = to {
                edges.push(Edge { from, to });
            }
        }
    }
    let fv = match metadata_version {
        Some(v) => format!("berry __metadata {v}"),
        None => "v1".to_string(),
    };
    Ok((Some(fv), packages, edges))
}
