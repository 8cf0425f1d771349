//! Secret findings as SARIF results. The raw secret appears nowhere unless
//! the report is unredacted; the fingerprint is rule + path + secret, so it
//! survives lines inserted above and never depends on the commit.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use serde_sarif::sarif::{Region, Result as SarifResult, Suppression};

use super::{
    file_location, level, log, message, problem_severity, result, rule_name, rules_by_id, run,
    suppression, ResultDoc, RuleDoc,
};
use crate::finding::{Finding, SuppressionKind};
use crate::report::SecretsReport;
use crate::rules::{Confidence, Severity};

/// The `partialFingerprints` key. Bump the version if the fingerprint
/// recipe ever changes, so GitHub does not match old alerts to new results.
pub const FINGERPRINT_KEY: &str = "guardrailFingerprint/v1";
/// Tags every secret rule carries, whatever its own tags.
const SECRET_TAGS: [&str; 3] = ["security", "secret", "external/cwe/cwe-798"];
/// History scans can find one secret in hundreds of places; a few related
/// locations help, hundreds drown the alert.
const MAX_RELATED: usize = 5;

pub fn secrets_sarif(report: &SecretsReport<'_>) -> Value {
    let shown: Vec<&Finding> = report.shown().collect();
    let (rules, index) = rules_by_id(
        &shown,
        |f| f.rule_id.as_str(),
        |f| secret_rule_doc(report, f),
    );
    let results = shown
        .iter()
        .map(|f| secret_result(report, f, index[f.rule_id.as_str()]))
        .collect();
    log(vec![run(rules, results, &report.kind.automation_id())])
}

/// The descriptor of a secret rule, from the rule set when it still knows
/// the rule, else from what the finding carries.
pub(super) fn secret_rule_doc(report: &SecretsReport<'_>, f: &Finding) -> RuleDoc {
    let rule = report.rules.get(&f.rule_id).map(|r| &r.spec);
    let description = rule.map_or(f.description.as_str(), |r| r.description.as_str());
    let severity = rule.map_or(f.severity, |r| r.severity);
    let confidence = rule.map_or(f.confidence, |r| r.confidence);
    let reference = rule.and_then(|r| r.references.first().cloned());
    let mut tags: Vec<String> = rule.map(|r| r.tags.clone()).unwrap_or_default();
    for t in SECRET_TAGS {
        if !tags.iter().any(|x| x == t) {
            tags.push(t.to_string());
        }
    }
    let (help_text, help_markdown) = secret_help(&f.rule_id, description, reference.as_deref());
    RuleDoc {
        id: f.rule_id.clone(),
        name: rule_name(&f.rule_id),
        short_description: description.to_string(),
        full_description: format!(
            "{description} found in the scanned files (rule `{}`, {} severity, {} confidence).",
            f.rule_id,
            severity.as_str(),
            confidence.as_str()
        ),
        help_text,
        help_markdown,
        help_uri: reference,
        level: level(severity),
        security_severity: Some(severity.security_score()),
        tags,
        properties: BTreeMap::from([
            ("precision".to_string(), json!(precision(confidence))),
            (
                "problem.severity".to_string(),
                json!(problem_severity(severity)),
            ),
        ]),
    }
}

fn secret_help(id: &str, description: &str, reference: Option<&str>) -> (String, String) {
    let text = format!(
        "A {description} is committed in plain text. Anyone who can read the repository \
         (or its history) can use it.\n\
         To fix: 1. revoke or rotate the credential at its provider; \
         2. load it from the environment or a secret manager instead of the source; \
         3. if it was pushed, treat it as leaked even after removing it, since git history keeps it.\n\
         If it is not a real secret (a test value, a placeholder), add `guardrail:allow` in a comment \
         on the line, or add the finding's fingerprint to .guardrailignore, or record it in a baseline \
         with --write-baseline."
    );
    let mut md = format!(
        "## {description}\n\n\
         Rule `{id}` found a {description} committed in plain text. Anyone who can read the \
         repository, or its history, can use it.\n\n\
         ### How to fix\n\n\
         1. **Revoke or rotate** the credential at its provider. Removing it from the code is \
         not enough once it has been pushed: git history keeps it.\n\
         2. Load it at run time from the environment or a secret manager instead.\n\
         3. Optionally purge it from history (`git filter-repo`).\n\n\
         ### False positive?\n\n\
         - add `guardrail:allow` in a comment on the line, or\n\
         - add the finding's fingerprint (`{FINGERPRINT_KEY}` in SARIF, `fingerprint` in JSON) \
         to `.guardrailignore`, or\n\
         - record current findings with `guardrail secrets --write-baseline baseline.json` and \
         scan with `--baseline baseline.json`.\n"
    );
    if let Some(r) = reference {
        md.push_str(&format!("\nToken format: <{r}>\n"));
    }
    (text, md)
}

fn precision(c: Confidence) -> &'static str {
    match c {
        Confidence::High => "high",
        Confidence::Medium => "medium",
        Confidence::Low => "low",
    }
}

pub(super) fn secret_result(
    report: &SecretsReport<'_>,
    f: &Finding,
    rule_index: usize,
) -> SarifResult {
    let secret = report.secret_text(f);
    let mut text = format!("{} ({}): {secret}", f.description, f.rule_id);
    if let Some(c) = &f.commit {
        let short = &c.commit[..c.commit.len().min(12)];
        text.push_str(&format!(
            ", introduced in commit {short} by {} on {}",
            c.author, c.date
        ));
    }
    if f.other_occurrences > 0 {
        text.push_str(&format!(" (+{} more occurrence(s))", f.other_occurrences));
    }

    let region = Region::builder()
        .start_line(f.line as i64)
        .start_column(f.column as i64)
        .end_line(f.end_line as i64)
        // Finding columns are inclusive; SARIF's endColumn is exclusive.
        .end_column(f.end_column as i64 + 1)
        .build();

    let mut out = result(ResultDoc {
        rule_id: f.rule_id.clone(),
        rule_index,
        level: level(severity_of(report, f)),
        message: text,
        location: file_location(&f.path, Some(region)),
        fingerprint_key: FINGERPRINT_KEY,
        fingerprint: f.fingerprint.clone(),
        properties: result_properties(f, secret),
    });
    let related = related_locations(f);
    if !related.is_empty() {
        out.related_locations = Some(related);
    }
    out.suppressions = f.suppressed.map(|kind| vec![secret_suppression(kind)]);
    out
}

fn severity_of(report: &SecretsReport<'_>, f: &Finding) -> Severity {
    report
        .rules
        .get(&f.rule_id)
        .map_or(f.severity, |r| r.severity())
}

fn result_properties(f: &Finding, secret: String) -> BTreeMap<String, Value> {
    let mut p: BTreeMap<String, Value> = BTreeMap::new();
    p.insert("secret".into(), Value::String(secret));
    // Three decimals are plenty to compare against a rule's threshold.
    p.insert(
        "entropy".into(),
        json!((f.entropy * 1000.0).round() / 1000.0),
    );
    p.insert("confidence".into(), json!(f.confidence.as_str()));
    p.insert("severity".into(), json!(f.severity.as_str()));
    p.insert("detector".into(), json!(f.detector.as_str()));
    if let Some(k) = &f.key_path {
        p.insert("key_path".into(), json!(k));
    }
    if !f.tags.is_empty() {
        p.insert("tags".into(), json!(f.tags));
    }
    if let Some(c) = &f.commit {
        p.insert("commit".into(), json!(c.commit));
        p.insert("author".into(), json!(c.author));
        p.insert("email".into(), json!(c.email));
        p.insert("date".into(), json!(c.date));
        p.insert("commit_summary".into(), json!(c.summary));
    }
    if f.other_occurrences > 0 {
        p.insert("other_occurrences".into(), json!(f.other_occurrences));
    }
    p
}

fn related_locations(f: &Finding) -> Vec<serde_sarif::sarif::Location> {
    f.related
        .iter()
        .take(MAX_RELATED)
        .enumerate()
        .map(|(i, o)| {
            let region = Region::builder().start_line(o.line as i64).build();
            let mut loc = file_location(&o.path, Some(region));
            loc.id = Some(i as i64 + 1);
            loc.message = Some(message(match &o.commit {
                Some(c) => format!("same secret in commit {}", &c[..c.len().min(12)]),
                None => "same secret".to_string(),
            }));
            loc
        })
        .collect()
}

fn secret_suppression(kind: SuppressionKind) -> Suppression {
    match kind {
        SuppressionKind::Inline => suppression("inSource", "guardrail:allow on the line"),
        SuppressionKind::IgnoreFile => {
            suppression("external", "fingerprint listed in .guardrailignore")
        }
        SuppressionKind::Baseline => suppression("external", "recorded in the --baseline file"),
    }
}

#[cfg(test)]
mod tests;
