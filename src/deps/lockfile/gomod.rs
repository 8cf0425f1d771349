//! `go.mod`: the `require` directives (single and block form), with
//! `replace` directives applied. Versions are the module versions as
//! written (`v1.2.3`, pseudo-versions); `// indirect` requirements are
//! kept (they are in the build list too). The sibling `go.sum`, when there
//! is one, is folded in by [`super::gosum::combine`].

use std::collections::HashMap;

use super::{Ctx, LockfileError, Parsed};
use crate::deps::model::{Scope, Source};

/// A directive's words, without the trailing `// comment`.
fn words(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or_default();
    code.split_whitespace().collect()
}

/// One requirement, after `replace` directives.
pub(super) struct Require {
    pub module: String,
    pub version: String,
    pub line: usize,
    pub source: Source,
    /// The module and version whose content is built (the replacement when
    /// one applies, else the requirement itself): the key into go.sum.
    /// `None` for a local-path replacement, which go.sum never lists.
    pub content: Option<(String, String)>,
}

pub(super) struct GoMod {
    /// The `go` directive's version (`1.21`), if any.
    pub go: Option<String>,
    pub requires: Vec<Require>,
}

pub(super) fn read(cx: &Ctx) -> Result<GoMod, LockfileError> {
    let mut requires: Vec<(String, String, usize)> = Vec::new();
    // old module (and optional version) -> new module (or local path) and version.
    let mut replaces: HashMap<String, (String, Option<String>)> = HashMap::new();
    let mut go = None;
    let mut block: Option<&str> = None;
    for (i, raw) in cx.text.lines().enumerate() {
        let w = words(raw);
        if w.is_empty() {
            continue;
        }
        let (directive, args): (&str, &[&str]) = match block {
            Some(_) if w[0] == ")" => {
                block = None;
                continue;
            }
            Some(b) => (b, &w[..]),
            None if w.len() == 2 && w[1] == "(" => {
                block = Some(match w[0] {
                    "require" => "require",
                    "replace" => "replace",
                    _ => "other",
                });
                continue;
            }
            None => (w[0], &w[1..]),
        };
        match directive {
            "go" => go = args.first().map(|s| s.to_string()),
            "require" => {
                let [module, version, ..] = args else {
                    return Err(cx.err(i + 1, format!("require without a version: {}", raw.trim())));
                };
                requires.push((
                    module.trim_matches('"').to_string(),
                    version.to_string(),
                    i + 1,
                ));
            }
            "replace" => {
                let Some(arrow) = args.iter().position(|a| *a == "=>") else {
                    return Err(cx.err(i + 1, "replace without =>"));
                };
                let old = args[0].to_string();
                let new = args
                    .get(arrow + 1)
                    .map(|s| s.to_string())
                    .unwrap_or_default();
                let ver = args.get(arrow + 2).map(|s| s.to_string());
                replaces.insert(old, (new, ver));
            }
            _ => {}
        }
    }
    let requires = requires
        .into_iter()
        .map(|(module, version, line)| {
            let (version, source, content) = match replaces.get(&module) {
                Some((new, None)) if new.starts_with('.') || new.starts_with('/') => {
                    (version, Source::Path(new.clone()), None)
                }
                Some((new, Some(v))) if new == &module => (
                    v.clone(),
                    Source::Registry(None),
                    Some((module.clone(), v.clone())),
                ),
                Some((new, Some(v))) => (
                    v.clone(),
                    Source::Url(format!("{new}@{v}")),
                    Some((new.clone(), v.clone())),
                ),
                _ => (
                    version.clone(),
                    Source::Registry(None),
                    Some((module.clone(), version)),
                ),
            };
            Require {
                module,
                version,
                line,
                source,
                content,
            }
        })
        .collect();
    Ok(GoMod { go, requires })
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let m = read(cx)?;
    let packages = m
        .requires
        .into_iter()
        .map(|r| {
            cx.package(
                r.module,
                r.version,
                Scope::Runtime,
                r.source,
                r.line,
                Vec::new(),
            )
        })
        .collect();
    Ok((m.go.map(|g| format!("go {g}")), packages, Vec::new()))
}
