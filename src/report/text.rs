//! `--format text`: one line a finding, colour only on a terminal, a hint
//! how to allow a false positive, and a summary line.

use std::fmt::Write;

use super::SecretsReport;

pub fn secrets_text(report: &SecretsReport<'_>, color: bool) -> String {
    let (bold, red, dim, reset) = if color {
        ("\x1b[1m", "\x1b[31m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "")
    };
    let mut out = String::new();
    for f in report.shown() {
        let _ = write!(
            out,
            "{bold}{}:{}:{}{reset} {red}{}{reset} {}",
            f.path,
            f.line,
            f.column,
            f.rule_id,
            report.secret_text(f)
        );
        if let Some(k) = &f.key_path {
            let _ = write!(out, " {dim}key {k}{reset}");
        }
        if let Some(c) = &f.commit {
            let short = &c.commit[..c.commit.len().min(12)];
            let _ = write!(
                out,
                " {dim}commit {short} by {} <{}> {} \"{}\"{reset}",
                c.author, c.email, c.date, c.summary
            );
        }
        if f.other_occurrences > 0 {
            let _ = write!(out, " {dim}(+{} more){reset}", f.other_occurrences);
        }
        if let Some(kind) = f.suppressed {
            let _ = write!(
                out,
                " {dim}[suppressed: {}]{reset}",
                serde_json::to_value(kind)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("")
            );
        }
        out.push('\n');
    }
    let reported = report
        .findings
        .iter()
        .filter(|f| !f.is_suppressed())
        .count();
    let suppressed = report.findings.len() - reported;
    if reported > 0 {
        let _ = writeln!(
            out,
            "{dim}hint: a false positive? add `guardrail:allow` in a comment on the line, or its fingerprint to .guardrailignore (see --format json){reset}"
        );
    }
    let s = report.stats;
    let _ = writeln!(
        out,
        "{} file(s), {} scanned, {} finding(s){} in {:.2}s{}",
        s.files_scanned,
        human_bytes(s.bytes_scanned),
        reported,
        if suppressed > 0 {
            format!(" ({suppressed} suppressed)")
        } else {
            String::new()
        },
        s.duration_ms as f64 / 1000.0,
        if s.warnings > 0 {
            format!(", {} warning(s)", s.warnings)
        } else {
            String::new()
        },
    );
    out
}

pub fn human_bytes(n: u64) -> String {
    const UNITS: [&str; 4] = ["B", "KiB", "MiB", "GiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u < UNITS.len() - 1 {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}
