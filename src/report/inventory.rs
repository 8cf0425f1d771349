//! Text, JSON and markdown for `deps inventory` and `deps diff`. The
//! markdown is the table a reviewer reads in a job summary.

use std::fmt::Write;

use serde::Serialize;

use crate::deps::diff::{Direction, LockfileDiff, LockfileStatus};
use crate::deps::model::{Lockfile, Package, Scope, Source};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum DepsFormat {
    Text,
    Json,
    Markdown,
}

fn scope_str(s: Scope) -> &'static str {
    match s {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
        Scope::Peer => "peer",
    }
}

pub fn source_str(s: &Source) -> String {
    match s {
        Source::Registry(None) => "registry".into(),
        Source::Registry(Some(u)) => format!("registry {u}"),
        Source::Git(u) => format!("git {u}"),
        Source::Path(p) => format!("path {p}"),
        Source::Url(u) => format!("url {u}"),
    }
}

/// ` ; <markers>` for a package installed only where its environment
/// markers hold, as pip writes them.
fn markers_suffix(p: &Package) -> String {
    p.markers
        .as_deref()
        .map(|m| format!(" ; {m}"))
        .unwrap_or_default()
}

/// Markdown table cells: pipes and line breaks would end the cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

#[derive(Serialize)]
struct InventoryJson<'a> {
    lockfiles: &'a [Lockfile],
    errors: &'a [String],
}

pub fn inventory(lockfiles: &[Lockfile], errors: &[String], format: DepsFormat) -> String {
    match format {
        DepsFormat::Json => json(&InventoryJson { lockfiles, errors }),
        DepsFormat::Text => inventory_text(lockfiles),
        DepsFormat::Markdown => inventory_markdown(lockfiles, errors),
    }
}

fn json<T: Serialize>(v: &T) -> String {
    // Our own plain structs: serialisation cannot fail.
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn header(l: &Lockfile) -> String {
    let fv = l
        .format_version
        .as_deref()
        .map(|v| format!(" {v}"))
        .unwrap_or_default();
    format!(
        "{} ({}{fv}): {} packages",
        l.path,
        l.format.ecosystem().as_str(),
        l.packages.len()
    )
}

fn inventory_text(lockfiles: &[Lockfile]) -> String {
    let mut out = String::new();
    let mut total = 0;
    for l in lockfiles {
        let _ = writeln!(out, "{}", header(l));
        for p in &l.packages {
            let _ = writeln!(
                out,
                "  {} {}  {}  {}  {}:{}{}",
                p.name,
                p.version,
                scope_str(p.scope),
                source_str(&p.source),
                p.location.file,
                p.location.line,
                markers_suffix(p)
            );
        }
        total += l.packages.len();
    }
    let _ = writeln!(out, "{} lockfiles, {total} packages", lockfiles.len());
    out
}

fn inventory_markdown(lockfiles: &[Lockfile], errors: &[String]) -> String {
    let mut out = String::from("## Dependency inventory\n\n");
    for l in lockfiles {
        let _ = writeln!(out, "### `{}`\n\n{}\n", l.path, cell(&header(l)));
        out.push_str("| Package | Version | Scope | Source | Line |\n|---|---|---|---|---|\n");
        for p in &l.packages {
            let _ = writeln!(
                out,
                "| {} | {}{} | {} | {} | {} |",
                cell(&p.name),
                cell(&p.version),
                cell(&markers_suffix(p)),
                scope_str(p.scope),
                cell(&source_str(&p.source)),
                p.location.line
            );
        }
        out.push('\n');
    }
    errors_markdown(&mut out, errors);
    out
}

fn errors_markdown(out: &mut String, errors: &[String]) {
    if !errors.is_empty() {
        out.push_str("### Not read\n\n");
        for e in errors {
            let _ = writeln!(out, "- {}", cell(e));
        }
        out.push('\n');
    }
}

#[derive(Serialize)]
struct DiffJson<'a> {
    lockfiles: &'a [LockfileDiff],
    errors: &'a [String],
}

pub fn diff(diffs: &[LockfileDiff], errors: &[String], format: DepsFormat) -> String {
    match format {
        DepsFormat::Json => json(&DiffJson {
            lockfiles: diffs,
            errors,
        }),
        DepsFormat::Text => diff_text(diffs),
        DepsFormat::Markdown => diff_markdown(diffs, errors),
    }
}

fn status_str(s: LockfileStatus) -> &'static str {
    match s {
        LockfileStatus::Added => "added",
        LockfileStatus::Removed => "removed",
        LockfileStatus::Modified => "modified",
        LockfileStatus::Unchanged => "unchanged",
    }
}

fn direction_str(d: Direction) -> &'static str {
    match d {
        Direction::Upgrade => "upgraded",
        Direction::Downgrade => "downgraded",
        Direction::Changed => "changed",
    }
}

fn counts(d: &LockfileDiff) -> String {
    let n = |dir| d.changed.iter().filter(|c| c.direction == dir).count();
    let mut parts = vec![
        format!("{} added", d.added.len()),
        format!("{} removed", d.removed.len()),
        format!("{} upgraded", n(Direction::Upgrade)),
        format!("{} downgraded", n(Direction::Downgrade)),
    ];
    let other = n(Direction::Changed);
    if other > 0 {
        parts.push(format!("{other} changed"));
    }
    parts.join(", ")
}

fn diff_text(diffs: &[LockfileDiff]) -> String {
    let mut out = String::new();
    let mut changed_files = 0;
    for d in diffs
        .iter()
        .filter(|d| d.status != LockfileStatus::Unchanged)
    {
        changed_files += 1;
        let _ = writeln!(out, "{} ({}): {}", d.path, status_str(d.status), counts(d));
        for p in &d.added {
            let _ = writeln!(out, "  + {} {} ({})", p.name, p.version, scope_str(p.scope));
        }
        for p in &d.removed {
            let _ = writeln!(out, "  - {} {} ({})", p.name, p.version, scope_str(p.scope));
        }
        for c in &d.changed {
            let _ = writeln!(
                out,
                "  ~ {} {} -> {} ({}, {})",
                c.name,
                c.old.version,
                c.new.version,
                direction_str(c.direction),
                scope_str(c.new.scope)
            );
        }
    }
    if changed_files == 0 {
        out.push_str("no dependency changes\n");
    } else {
        let _ = writeln!(out, "{changed_files} lockfiles changed");
    }
    out
}

fn row(out: &mut String, change: &str, p: &Package, old: &str, new: &str) {
    let _ = writeln!(
        out,
        "| {change} | {} | {} | {} | {} |",
        cell(&p.name),
        cell(old),
        cell(new),
        scope_str(p.scope)
    );
}

fn diff_markdown(diffs: &[LockfileDiff], errors: &[String]) -> String {
    let mut out = String::from("## Dependency changes\n\n");
    let shown: Vec<&LockfileDiff> = diffs
        .iter()
        .filter(|d| d.status != LockfileStatus::Unchanged)
        .collect();
    if shown.is_empty() {
        out.push_str("No dependency changes.\n\n");
    }
    for d in shown {
        let _ = writeln!(
            out,
            "### `{}` ({})\n\n{}\n",
            cell(&d.path),
            status_str(d.status),
            counts(d)
        );
        if d.is_empty() {
            continue;
        }
        out.push_str("| Change | Package | Old | New | Scope |\n|---|---|---|---|---|\n");
        for p in &d.added {
            row(&mut out, "added", p, "", &p.version);
        }
        for p in &d.removed {
            row(&mut out, "removed", p, &p.version, "");
        }
        for c in &d.changed {
            row(
                &mut out,
                direction_str(c.direction),
                &c.new,
                &c.old.version,
                &c.new.version,
            );
        }
        out.push('\n');
    }
    errors_markdown(&mut out, errors);
    out
}
