//! `go.mod`: the `require` directives (single and block form), with
//! `replace` directives applied. Versions are the module versions as
//! written (`v1.2.3`, pseudo-versions); `// indirect` requirements are
//! kept (they are in the build list too).

use std::collections::HashMap;

use super::{Ctx, LockfileError, Parsed};
use crate::deps::model::{Scope, Source};

/// A directive's words, without the trailing `// comment`.
fn words(line: &str) -> Vec<&str> {
    let code = line.split("//").next().unwrap_or_default();
    code.split_whitespace().collect()
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let mut requires: Vec<(String, String, usize)> = Vec::new();
    // old module (and optional version) -> new module (or local path) and version.
    let mut replaces: HashMap<String, (String, Option<String>)> = HashMap::new();
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
    let packages = requires
        .into_iter()
        .map(|(module, version, line)| {
            let (version, source) = match replaces.get(&module) {
                Some((new, None)) if new.starts_with('.') || new.starts_with('/') => {
                    (version, Source::Path(new.clone()))
                }
                Some((new, Some(v))) if new == &module => (v.clone(), Source::Registry(None)),
                Some((new, Some(v))) => (v.clone(), Source::Url(format!("{new}@{v}"))),
                _ => (version, Source::Registry(None)),
            };
            cx.package(module, version, Scope::Runtime, source, line, Vec::new())
        })
        .collect();
    Ok((None, packages, Vec::new()))
}
