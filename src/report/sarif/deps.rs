//! Dependency findings (`deps audit`, `deps review`) as SARIF: one rule per
//! advisory, results at the package's line in its lockfile, one
//! `automationDetails.id` category per command (`dependency-review/audit/`,
//! `dependency-review/review/`).

use std::collections::BTreeMap;

use serde_json::{json, Value};
use serde_sarif::sarif::{Region, ResultLevel};

use super::{file_location, log, result, rules_by_id, run, suppression, ResultDoc, RuleDoc};
use crate::deps::advisory::Severity;
use crate::deps::review::{Finding, Report, Status};

/// The `partialFingerprints` key of dependency results. Bump the version if
/// the recipe (ecosystem, package, advisory, lockfile) ever changes.
pub const FINGERPRINT_KEY: &str = "guardrailDependency/v1";

pub fn deps_sarif(report: &Report) -> Value {
    // Fixed findings are gone from head: nothing to point at.
    let shown: Vec<&Finding> = report
        .findings
        .iter()
        .filter(|f| f.status != Status::Fixed)
        .collect();
    let (rules, index) = rules_by_id(&shown, |f| &*f.vuln.id, |f| advisory_rule_doc(f));
    let results = shown
        .iter()
        .map(|f| dependency_result(f, index[&*f.vuln.id]))
        .collect();
    let category = format!("dependency-review/{}/", report.mode);
    log(vec![run(rules, results, &category)])
}

pub(super) fn advisory_rule_doc(f: &Finding) -> RuleDoc {
    let v = &f.vuln;
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
    let description = if v.summary.is_empty() {
        v.id.to_string()
    } else {
        v.summary.to_string()
    };
    RuleDoc {
        id: v.id.to_string(),
        name: v.id.replace(['-', ':'], "_"),
        short_description: description.clone(),
        full_description: description,
        help_text: help.clone(),
        help_markdown: help,
        help_uri: (!v.url.is_empty()).then(|| v.url.to_string()),
        level: level(f),
        security_severity: v.cvss_score.or_else(|| v.severity.nominal_score()),
        tags: vec![
            "security".into(),
            "dependency".into(),
            v.package.ecosystem.as_str().into(),
            v.kind.to_string(),
        ],
        properties: BTreeMap::new(),
    }
}

fn dependency_result(f: &Finding, rule_index: usize) -> serde_sarif::sarif::Result {
    let v = &f.vuln;
    let fix = if v.fixed.is_empty() {
        "no fixed version known".to_string()
    } else {
        format!("upgrade to {}", v.fixed.join(" or "))
    };
    let mut message = format!(
        "{} {} {} ({}): {}; {}",
        v.package.name,
        v.package.version,
        if f.status == Status::Introduced {
            "is newly affected by"
        } else {
            "is affected by"
        },
        v.ids.join(", "),
        v.summary,
        fix
    );
    if let Some(r) = &f.allowed {
        message.push_str(&format!(" (allowed: {r})"));
    }
    let fingerprint = crate::util::sha256_hex(&[
        v.package.ecosystem.as_str().as_bytes(),
        v.package.name.as_bytes(),
        v.id.as_bytes(),
        v.package.location.file.as_bytes(),
    ]);
    let region = Region::builder()
        .start_line(v.package.location.line.max(1) as i64)
        .build();
    // Paths read on Windows may carry backslashes; SARIF URIs use `/`.
    let path = v.package.location.file.replace('\\', "/");
    let properties = BTreeMap::from([
        ("status".to_string(), json!(f.status)),
        ("package".to_string(), json!(v.package.name)),
        ("version".to_string(), json!(v.package.version)),
        ("ecosystem".to_string(), json!(v.package.ecosystem.as_str())),
        ("purl".to_string(), json!(v.package.purl)),
    ]);
    let mut out = result(ResultDoc {
        rule_id: v.id.to_string(),
        rule_index,
        level: level(f),
        message,
        location: file_location(&path, Some(region)),
        fingerprint_key: FINGERPRINT_KEY,
        fingerprint,
        properties,
    });
    out.suppressions = f
        .allowed
        .as_ref()
        .map(|why| vec![suppression("external", why.clone())]);
    out
}

/// Informational notices (unmaintained, unsound...) never rank above a
/// note; a denied package is an error whatever its severity.
pub(super) fn level(f: &Finding) -> ResultLevel {
    if f.vuln.informational {
        return ResultLevel::Note;
    }
    match f.vuln.severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Unknown if &*f.vuln.kind == "denied" => ResultLevel::Error,
        Severity::Low | Severity::Unknown => ResultLevel::Note,
    }
}
