//! Pinned `requirements*.txt`: `name==version` (and `===`) lines with
//! extras, environment markers and `--hash` options, joined across `\`
//! continuations. Unpinned lines (`>=`, URLs, `-e`) pin nothing and are
//! skipped. `-r` includes are followed by [`super::parse_file`] (on disk
//! only: a git blob has no directory to resolve them against).
//!
//! Scope: runtime, or dev when the file name says `dev` or `test`
//! (`requirements-dev.txt`), the common convention.

use std::sync::OnceLock;

use regex::Regex;

use super::{parse_digest, pep503, Ctx, LockfileError, Parsed};
use crate::deps::model::{Scope, Source};

fn pin_re() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[[^\]]*\])?\s*===?\s*([^\s;,\\]+)")
            .expect("static regex")
    })
}

/// Logical lines: (1-based first physical line, text without comments).
fn logical_lines(text: &str) -> Vec<(usize, String)> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut start = 0;
    for (i, raw) in text.lines().enumerate() {
        if cur.is_empty() {
            start = i + 1;
        }
        // A comment starts at `#` at line start or after whitespace.
        let mut line = raw;
        if let Some(pos) = raw
            .char_indices()
            .find(|&(p, c)| c == '#' && (p == 0 || raw[..p].ends_with(char::is_whitespace)))
            .map(|(p, _)| p)
        {
            line = &raw[..pos];
        }
        match line.trim_end().strip_suffix('\\') {
            Some(cont) => {
                cur.push_str(cont);
                cur.push(' ');
            }
            None => {
                cur.push_str(line);
                out.push((start, std::mem::take(&mut cur)));
            }
        }
    }
    if !cur.is_empty() {
        out.push((start, cur));
    }
    out
}

/// The `-r FILE` / `--requirement FILE` includes of a requirements file.
pub(super) fn includes(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (_, l) in logical_lines(text) {
        let l = l.trim();
        let rest = l
            .strip_prefix("-r")
            .or_else(|| l.strip_prefix("--requirement"))
            .map(|r| r.trim_start_matches('=').trim());
        if let Some(r) = rest.filter(|r| !r.is_empty()) {
            out.push(r.to_string());
        }
    }
    out
}

/// The environment markers of a requirement line: after the `;`, up to the
/// first option (`--hash=...`), whitespace collapsed (continuations join
/// lines with spaces).
fn markers(line: &str) -> Option<String> {
    let (_, rest) = line.split_once(';')?;
    let rest = match rest.find(" --") {
        Some(i) => &rest[..i],
        None => rest,
    };
    let m = rest.split_whitespace().collect::<Vec<_>>().join(" ");
    (!m.is_empty()).then_some(m)
}

pub(super) fn parse(cx: &Ctx) -> Result<Parsed, LockfileError> {
    let file_name = cx
        .file
        .rsplit('/')
        .next()
        .unwrap_or(cx.file)
        .to_ascii_lowercase();
    let scope = if file_name.contains("dev") || file_name.contains("test") {
        Scope::Dev
    } else {
        Scope::Runtime
    };
    let mut packages = Vec::new();
    for (line, l) in logical_lines(cx.text) {
        let l = l.trim();
        if l.is_empty() || l.starts_with('-') {
            continue;
        }
        let Some(c) = pin_re().captures(l) else {
            continue;
        };
        let hashes = l
            .split_whitespace()
            .filter_map(|t| {
                t.strip_prefix("--hash=")
                    .or_else(|| t.strip_prefix("--hash:"))
            })
            .filter_map(parse_digest)
            .collect();
        let mut p = cx.package(
            pep503(&c[1]),
            c[2].to_string(),
            scope,
            Source::Registry(None),
            line,
            hashes,
        );
        p.markers = markers(l);
        packages.push(p);
    }
    Ok((None, packages, Vec::new()))
}
