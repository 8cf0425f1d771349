//! SARIF 2.1.0 for dependency findings: one rule per advisory, results at
//! the package's line in its lockfile, one `automationDetails.id` category
//! per command (`dependency-review/audit/`, `dependency-review/review/`).

use std::collections::BTreeMap;

use serde_json::{json, Value};

use crate::deps::review::{Finding, Report, Status};

pub fn to_sarif(report: &Report) -> Value {
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Fixed)
        .collect();
    let mut rules: BTreeMap<String, Value> = BTreeMap::new();
    for f in &shown {
        let v = &f.vuln;
        rules.entry(v.id.to_string()).or_insert_with(|| {
            let mut help = format!("{}\n\n", v.summary);
            if !v.details.is_empty() {
                help.push_str(&v.details);
                help.push_str("\n\n");
            }
            if v.fixed.is_empty() {
                help.push_str("No fixed version is known.");
            } else {
                help.push_str(&format!("Fixed in: {}", v.fixed.join(", ")));
            }
            if v.ids.len() > 1 {
                help.push_str(&format!("\n\nAliases: {}", v.ids[1..].join(", ")));
            }
            let mut props = json!({
                "tags": ["security", "dependency", v.package.ecosystem.as_str(), v.kind],
            });
            let score = v.cvss_score.or_else(|| v.severity.nominal_score());
            if let Some(s) = score {
                props["security-severity"] = json!(format!("{s:.1}"));
            }
            let mut rule = json!({
                "id": v.id,
                "name": v.id.replace(['-', ':'], "_"),
                "shortDescription": {"text": if v.summary.is_empty() { v.id.clone() } else { v.summary.clone() }},
                "fullDescription": {"text": if v.summary.is_empty() { v.id.clone() } else { v.summary.clone() }},
                "help": {"text": help.clone(), "markdown": help},
                "defaultConfiguration": {"level": level(f)},
                "properties": props,
            });
            if !v.url.is_empty() {
                rule["helpUri"] = json!(v.url);
            }
            rule
        });
    }
    let rule_index: BTreeMap<&String, usize> =
        rules.keys().enumerate().map(|(i, k)| (k, i)).collect();
    let results: Vec<Value> = shown
        .iter()
        .map(|f| {
            let v = &f.vuln;
            let fix = if v.fixed.is_empty() {
                "no fixed version known".to_string()
            } else {
                format!("upgrade to {}", v.fixed.join(" or "))
            };
            let mut msg = format!(
                "{} {} {} ({}): {}; {}",
                v.package.name,
                v.package.version,
                if f.status == Status::Introduced { "is newly affected by" } else { "is affected by" },
                v.ids.join(", "),
                v.summary,
                fix
            );
            if let Some(r) = &f.allowed {
                msg.push_str(&format!(" (allowed: {r})"));
            }
            let fp = crate::util::sha256_hex(&[
                v.package.ecosystem.as_str().as_bytes(),
                v.package.name.as_bytes(),
                v.id.as_bytes(),
                v.package.location.file.as_bytes(),
            ]);
            let mut r = json!({
                "ruleId": v.id,
                "ruleIndex": rule_index[&v.id.to_string()],
                "level": level(f),
                "message": {"text": msg},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": uri(&v.package.location.file), "uriBaseId": "%SRCROOT%"},
                        "region": {"startLine": v.package.location.line.max(1)}
                    }
                }],
                "partialFingerprints": {"guardrailDependency/v1": fp},
                "properties": {
                    "status": f.status,
                    "package": v.package.name,
                    "version": v.package.version,
                    "ecosystem": v.package.ecosystem.as_str(),
                    "purl": v.package.purl,
                }
            });
            if f.allowed.is_some() {
                r["suppressions"] = json!([{"kind": "external", "justification": f.allowed}]);
            }
            r
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "guardrail",
                "informationUri": "https://github.com/guardrail/guardrail",
                "semanticVersion": env!("CARGO_PKG_VERSION"),
                "rules": rules.into_values().collect::<Vec<_>>(),
            }},
            "automationDetails": {"id": format!("dependency-review/{}/", report.mode)},
            "results": results,
        }]
    })
}

fn level(f: &Finding) -> &'static str {
    use crate::deps::advisory::Severity::*;
    if f.vuln.informational {
        return "note";
    }
    match f.vuln.severity {
        Critical | High => "error",
        Medium => "warning",
        Low | Unknown => {
            if &*f.vuln.kind == "denied" {
                "error"
            } else {
                "note"
            }
        }
    }
}

/// Lockfile paths as relative URIs (forward slashes, spaces escaped).
fn uri(path: &str) -> String {
    path.replace('\\', "/")
        .trim_start_matches("./")
        .replace(' ', "%20")
}
