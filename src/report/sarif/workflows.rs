//! Workflow audit findings as SARIF: one rule per audit rule, results at
//! the offending key (line and column), category `guardrail/workflows/`.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use serde_sarif::sarif::Region;

use super::{
    file_location, level, log, problem_severity, result, rule_name, rules_by_id, run, suppression,
    ResultDoc, RuleDoc,
};
use crate::report::workflows::WorkflowsReport;
use crate::workflows::{Finding, Suppressed};

/// `runs[].automationDetails.id`.
pub const CATEGORY: &str = "guardrail/workflows/";
/// The `partialFingerprints` key. Bump the version if the recipe (rule,
/// path, job, evidence) changes.
pub const FINGERPRINT_KEY: &str = "guardrailWorkflow/v1";

pub fn workflows_sarif(r: &WorkflowsReport<'_>) -> Value {
    let shown: Vec<&Finding> = r.shown().collect();
    let (rules, index) = rules_by_id(&shown, |f| &f.rule.id, |f| rule_doc(f));
    let results = shown
        .iter()
        .map(|f| workflow_result(f, index[&f.rule.id]))
        .collect();
    log(vec![run(rules, results, CATEGORY)])
}

fn rule_doc(f: &Finding) -> RuleDoc {
    let rule = f.rule;
    let mut tags = vec!["security".to_string(), "github-actions".to_string()];
    tags.extend(rule.tags.iter().cloned());
    RuleDoc {
        id: rule.id.clone(),
        name: rule_name(&rule.id),
        short_description: rule.title.clone(),
        full_description: rule.attack.split_whitespace().collect::<Vec<_>>().join(" "),
        help_text: rule.help(),
        help_markdown: rule.help_markdown(),
        help_uri: rule.references.first().cloned(),
        level: level(rule.severity),
        security_severity: Some(rule.severity.security_score()),
        tags,
        properties: BTreeMap::from([
            ("precision".to_string(), json!("high")),
            (
                "problem.severity".to_string(),
                json!(problem_severity(rule.severity)),
            ),
        ]),
    }
}

fn workflow_result(f: &Finding, rule_index: usize) -> serde_sarif::sarif::Result {
    let region = Region::builder()
        .start_line(f.line.max(1) as i64)
        .start_column(f.column.max(1) as i64)
        .build();
    let mut properties =
        BTreeMap::from([("severity".to_string(), json!(f.rule.severity.as_str()))]);
    if let Some(j) = &f.job {
        properties.insert("job".to_string(), json!(j));
    }
    let mut out = result(ResultDoc {
        rule_id: f.rule.id.clone(),
        rule_index,
        level: level(f.rule.severity),
        message: f.message.clone(),
        location: file_location(&f.path, Some(region)),
        fingerprint_key: FINGERPRINT_KEY,
        fingerprint: f.fingerprint.clone(),
        properties,
    });
    out.suppressions = f.suppressed.map(|s| {
        vec![match s {
            Suppressed::Inline => suppression(
                "inSource",
                format!("guardrail:allow {} on the line", f.rule.id),
            ),
            Suppressed::Config => suppression("external", "[workflows] allow in guardrail.toml"),
        }]
    });
    out
}
