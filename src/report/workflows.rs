//! `guardrail workflows` as text and JSON (SARIF: [`super::sarif`]).

use std::collections::BTreeMap;
use std::fmt::Write;

use serde_json::{json, Value};

use crate::workflows::{Finding, Report};

/// Everything a workflow report writer needs.
pub struct WorkflowsReport<'a> {
    pub report: &'a Report,
    pub include_suppressed: bool,
}

impl WorkflowsReport<'_> {
    pub fn shown(&self) -> impl Iterator<Item = &Finding> {
        let all = self.include_suppressed;
        self.report
            .findings
            .iter()
            .filter(move |f| all || f.suppressed.is_none())
    }
}

pub fn workflows_text(r: &WorkflowsReport<'_>, color: bool) -> String {
    let (bold, red, yellow, dim, reset) = if color {
        ("\x1b[1m", "\x1b[31m", "\x1b[33m", "\x1b[2m", "\x1b[0m")
    } else {
        ("", "", "", "", "")
    };
    let mut out = String::new();
    let mut rules = BTreeMap::new();
    for f in r.shown() {
        let sev = f.rule.severity.as_str();
        let c = if sev == "high" || sev == "critical" {
            red
        } else {
            yellow
        };
        let _ = write!(
            out,
            "{bold}{}:{}:{}{reset} {c}{sev} {}{reset}: {}",
            f.path, f.line, f.column, f.rule.id, f.message
        );
        if let Some(s) = f.suppressed {
            let _ = write!(
                out,
                " {dim}[suppressed: {}]{reset}",
                serde_json::to_value(s)
                    .unwrap_or_default()
                    .as_str()
                    .unwrap_or("")
            );
        }
        let _ = writeln!(out, "\n  {dim}{:>4} | {}{reset}", f.line, f.snippet);
        rules.insert(f.rule.id.as_str(), f.rule);
    }
    for rule in rules.values() {
        let fix = rule.fix.split_whitespace().collect::<Vec<_>>().join(" ");
        let _ = writeln!(
            out,
            "{bold}{}{reset} ({}): {}\n  {dim}fix: {fix}\n  see: {}{reset}",
            rule.id,
            rule.severity.as_str(),
            rule.title,
            rule.references.first().map(String::as_str).unwrap_or("")
        );
    }
    let rep = r.report;
    let reported = rep.reported().count();
    let suppressed = rep.findings.len() - reported;
    let files: std::collections::BTreeSet<&str> = rep.reported().map(|f| f.path.as_str()).collect();
    let _ = writeln!(
        out,
        "{reported} finding(s) in {} of {} file(s) audited ({suppressed} suppressed){}",
        files.len(),
        rep.files.len(),
        if reported > 0 {
            "; allow one with `# guardrail:allow RULE-ID` on its line, or `[workflows] allow` in guardrail.toml"
        } else {
            ""
        }
    );
    out
}

pub fn finding_json(f: &Finding) -> Value {
    let mut v = json!({
        "rule_id": f.rule.id,
        "severity": f.rule.severity.as_str(),
        "title": f.rule.title,
        "path": f.path,
        "line": f.line,
        "column": f.column,
        "message": f.message,
        "snippet": f.snippet,
        "job": f.job,
        "fingerprint": f.fingerprint,
        "help_uri": f.rule.references.first(),
    });
    if let Some(s) = f.suppressed {
        v["suppressed"] = json!(s);
    }
    v
}

pub fn workflows_json(r: &WorkflowsReport<'_>) -> Value {
    let rep = r.report;
    let findings: Vec<Value> = r.shown().map(finding_json).collect();
    let reported = rep.reported().count();
    json!({
        "version": 1,
        "scan": "workflows",
        "findings": findings,
        "files": rep.files,
        "errors": rep.errors,
        "warnings": rep.warnings,
        "stats": {
            "files_audited": rep.files.len(),
            "findings": reported,
            "suppressed": rep.findings.len() - reported,
            "errors": rep.errors.len(),
        }
    })
}
