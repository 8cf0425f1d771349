//! Writers for `deps audit` / `deps review`: markdown for a job summary,
//! JSON and text. Their SARIF comes from the shared SARIF writer
//! ([`crate::report::sarif::deps_sarif`]).

use serde_json::json;

use crate::deps::review::{Finding, Report, Status};

/// Stable JSON (`version: 1`):
/// `{version, mode: "audit"|"review", failed, counts{present, introduced,
/// fixed, still_present, unmatched}, findings[], unmatched[], warnings[]}`.
/// A finding: `status` (`present`, `introduced`, `fixed`, `still_present`),
/// `package` (the inventory model, with `location{file, line}`), `id`, `ids`
/// (all aliases, `id` first), `summary`, `details`, `severity`
/// (`unknown`..`critical`), `cvss_score`, `cvss_vector`, `kind`
/// (`vulnerability`, `unmaintained`, `unsound`, `notice`, `denied`),
/// `informational`, `fixed` (versions or requirements), `url`,
/// `base_version` (review), `allowed` (the reason, when allowed), `failing`.
pub fn to_json(report: &Report) -> serde_json::Value {
    json!({
        "version": 1,
        "mode": report.mode,
        "failed": report.failed,
        "counts": {
            "present": report.count(Status::Present),
            "introduced": report.count(Status::Introduced),
            "fixed": report.count(Status::Fixed),
            "still_present": report.count(Status::StillPresent),
            "unmatched": report.unmatched.len(),
        },
        "findings": report.findings,
        "unmatched": report.unmatched,
        "warnings": report.warnings,
    })
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn ids_md(f: &Finding) -> String {
    let v = &f.vuln;
    let first = if v.url.is_empty() {
        format!("`{}`", cell(&v.id))
    } else {
        format!("[{}]({})", cell(&v.id), v.url)
    };
    let rest: Vec<String> = v.ids.iter().skip(1).map(|i| cell(i)).collect();
    if rest.is_empty() {
        first
    } else {
        format!("{first} ({})", rest.join(", "))
    }
}

fn sev_md(f: &Finding) -> String {
    let v = &f.vuln;
    let mut s = if v.informational {
        v.kind.to_string()
    } else {
        v.severity.as_str().to_string()
    };
    if let Some(score) = v.cvss_score {
        s.push_str(&format!(" ({score:.1})"));
    }
    s
}

fn table(out: &mut String, rows: &[&Finding], with_base: bool) {
    if with_base {
        out.push_str("| package | version | was | advisory | severity | summary | fix |\n|---|---|---|---|---|---|---|\n");
    } else {
        out.push_str("| package | version | advisory | severity | summary | fix |\n|---|---|---|---|---|---|\n");
    }
    for f in rows {
        let v = &f.vuln;
        let mut summary = cell(&v.summary);
        if let Some(r) = &f.allowed {
            summary.push_str(&format!(" *(allowed: {})*", cell(r)));
        }
        let fix = if v.fixed.is_empty() {
            "none".to_string()
        } else {
            cell(&v.fixed.join(", "))
        };
        let base = if with_base {
            format!(" {} |", cell(f.base_version.as_deref().unwrap_or("")))
        } else {
            String::new()
        };
        out.push_str(&format!(
            "| {}{} `{}` | {} |{} {} | {} | {} | {} |\n",
            if f.failing { "❌ " } else { "" },
            v.package.ecosystem.as_str(),
            cell(&v.package.name),
            cell(&v.package.version),
            base,
            ids_md(f),
            sev_md(f),
            summary,
            fix
        ));
    }
}

/// Markdown for `$GITHUB_STEP_SUMMARY`.
pub fn to_markdown(report: &Report, title: &str) -> String {
    let mut out = format!("## {title}\n\n");
    let sections: &[(Status, &str, bool)] = if report.mode == "audit" {
        &[(Status::Present, "Vulnerabilities", false)]
    } else {
        &[
            (Status::Introduced, "Introduced by this change", false),
            (Status::Fixed, "Fixed by this change", true),
            (Status::StillPresent, "Still present", true),
        ]
    };
    if report.mode == "review" {
        out.push_str(&format!(
            "**{}** introduced, **{}** fixed, **{}** still present.",
            report.count(Status::Introduced),
            report.count(Status::Fixed),
            report.count(Status::StillPresent)
        ));
    } else {
        out.push_str(&format!(
            "**{}** known vulnerabilities and notices.",
            report.count(Status::Present)
        ));
    }
    out.push_str(if report.failed {
        " Result: **failed** (❌ marks what fails the gate).\n\n"
    } else {
        " Result: passed.\n\n"
    });
    for (status, heading, with_base) in sections {
        let rows: Vec<&Finding> = report
            .findings
            .iter()
            .filter(|f| f.status == *status)
            .collect();
        out.push_str(&format!("### {heading} ({})\n\n", rows.len()));
        if rows.is_empty() {
            out.push_str("None.\n\n");
        } else {
            table(&mut out, &rows, *with_base);
            out.push('\n');
        }
    }
    if !report.unmatched.is_empty() {
        out.push_str(&format!("### Not checked ({})\n\nThese could not be matched and are **not** known to be safe:\n\n", report.unmatched.len()));
        for u in &report.unmatched {
            out.push_str(&format!(
                "- `{}` {}: {}\n",
                cell(&u.package.name),
                cell(&u.package.version),
                cell(&u.reason)
            ));
        }
        out.push('\n');
    }
    out
}

/// Plain text for a terminal.
pub fn to_text(report: &Report) -> String {
    let mut out = String::new();
    for f in &report.findings {
        let v = &f.vuln;
        let loc = format!("{}:{}", v.package.location.file, v.package.location.line);
        out.push_str(&format!(
            "{}{:<13} {} {} {}  {} [{}] {}\n",
            if f.failing { "FAIL " } else { "     " },
            f.status.as_str(),
            v.package.name,
            v.package.version,
            v.ids.join("/"),
            loc,
            sev_md(f),
            v.summary
        ));
        if !v.fixed.is_empty() && f.status != Status::Fixed {
            out.push_str(&format!("      upgrade to: {}\n", v.fixed.join(", ")));
        }
        if let Some(r) = &f.allowed {
            out.push_str(&format!("      allowed: {r}\n"));
        }
    }
    for u in &report.unmatched {
        out.push_str(&format!(
            "UNMATCHED {} {}: {}\n",
            u.package.name, u.package.version, u.reason
        ));
    }
    out.push_str(&format!(
        "{} finding(s); {}\n",
        report.findings.len(),
        if report.failed { "failed" } else { "passed" }
    ));
    out
}
