//! `Gemfile.lock`: the `specs:` of the `GEM`, `GIT` and `PATH` sections
//! (`    name (version)`, their dependencies indented two more). Bundler
//! records no groups here, so every gem is runtime.

use std::collections::HashMap;

use super::{Ctx, LockfileError, Parsed};
use crate::deps::model::{Edge, Scope, Source};

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let mut packages = Vec::new();
    let mut deps: Vec<Vec<String>> = Vec::new();
    let mut section = "";
    let mut remote = String::new();
    let mut revision = String::new();
    let mut in_specs = false;
    for (i, line) in cx.text.lines().enumerate() {
        if !line.starts_with(' ') && !line.is_empty() {
            section = line.trim();
            remote.clear();
            revision.clear();
            in_specs = false;
            continue;
        }
        if !matches!(section, "GEM" | "GIT" | "PATH") {
            continue;
        }
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        if indent == 2 {
            in_specs = trimmed == "specs:";
            if let Some(r) = trimmed.strip_prefix("remote: ") {
                remote = r.to_string();
            }
            if let Some(r) = trimmed.strip_prefix("revision: ") {
                revision = r.to_string();
            }
            continue;
        }
        if !in_specs {
            continue;
        }
        let (name, paren) = match trimmed.split_once(' ') {
            Some((n, rest)) => (n, Some(rest)),
            None => (trimmed, None),
        };
        if indent == 4 {
            let Some(version) = paren
                .and_then(|p| p.strip_prefix('('))
                .and_then(|p| p.strip_suffix(')'))
            else {
                return Err(cx.err(i + 1, format!("spec {trimmed:?} has no (version)")));
            };
            let source = match section {
                "GIT" => Source::Git(if revision.is_empty() {
                    remote.clone()
                } else {
                    format!("{remote}#{revision}")
                }),
                "PATH" => Source::Path(remote.clone()),
                _ if remote.trim_end_matches('/') == "https://rubygems.org" => {
                    Source::Registry(None)
                }
                _ => Source::Registry(Some(remote.clone())),
            };
            packages.push(cx.package(
                name.to_string(),
                version.to_string(),
                Scope::Runtime,
                source,
                i + 1,
                Vec::new(),
            ));
            deps.push(Vec::new());
        } else if indent == 6 {
            if let Some(d) = deps.last_mut() {
                d.push(name.to_string());
            }
        }
    }
    let index: HashMap<&str, usize> = packages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.name.as_str(), i))
        .collect();
    let mut edges = Vec::new();
    for (from, ds) in deps.iter().enumerate() {
        for d in ds {
            if let Some(&to) = index.get(d.as_str()) {
                edges.push(Edge { from, to });
            }
        }
    }
    Ok((None, packages, edges))
}
