//! SARIF 2.1.0 for the GitHub Security tab, built with `serde-sarif`.
//!
//! This module holds the parts every guardrail SARIF log shares (the log and
//! run envelope, the tool, rule descriptors and their order, results,
//! locations, suppressions); [`secrets`] turns secret findings into rules
//! and results, [`deps`] does the same for `deps audit` / `deps review`.

mod deps;
mod image;
mod secrets;
mod workflows;

use std::collections::BTreeMap;

use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Suppression, Tool, ToolComponent,
};

pub use deps::deps_sarif;
pub use image::{image_sarif, vuln_fingerprint, VULN_FINGERPRINT_KEY};
pub use secrets::secrets_sarif;
pub use workflows::workflows_sarif;

use crate::rules::Severity;

pub const SCHEMA_URI: &str = "https://json.schemastore.org/sarif-2.1.0.json";
pub const TOOL_NAME: &str = "guardrail";
/// Where a SARIF viewer sends people who want to know what the tool is.
/// `repository` in Cargo.toml wins once the project has one.
pub const INFORMATION_URI: &str = match option_env!("CARGO_PKG_REPOSITORY") {
    Some(uri) if !uri.is_empty() => uri,
    _ => "https://github.com/guardrail-scanner/guardrail",
};
/// Every guardrail location is relative to the checkout; GitHub resolves
/// `%SRCROOT%` to the repository root.
pub const SRCROOT: &str = "%SRCROOT%";

/// What a rule descriptor says; built by each kind of scan.
#[derive(Debug, Clone)]
pub struct RuleDoc {
    pub id: String,
    /// Readable identifier (`GithubPatClassic`).
    pub name: String,
    pub short_description: String,
    pub full_description: String,
    pub help_text: String,
    pub help_markdown: String,
    pub help_uri: Option<String>,
    /// `defaultConfiguration.level`.
    pub level: ResultLevel,
    /// GitHub's `security-severity` (a CVSS-like score); omitted when unknown.
    pub security_severity: Option<f64>,
    pub tags: Vec<String>,
    /// Further `properties` a kind of scan adds (CodeQL's `precision`...).
    pub properties: BTreeMap<String, Value>,
}

/// A `reportingDescriptor` with the properties GitHub reads:
/// `security-severity` (a string holding a CVSS-like score), `tags`, and
/// whatever else the scan put in `properties`.
pub fn rule_descriptor(doc: RuleDoc) -> ReportingDescriptor {
    let mut extra = doc.properties;
    if let Some(score) = doc.security_severity {
        extra.insert(
            "security-severity".to_string(),
            Value::String(format!("{score:.1}")),
        );
    }
    let properties = PropertyBag::builder()
        .tags(doc.tags)
        .additional_properties(extra)
        .build();
    let help = MultiformatMessageString::builder()
        .text(doc.help_text)
        .markdown(doc.help_markdown)
        .build();
    let config = ReportingConfiguration::builder()
        .level(serde_json::to_value(doc.level).expect("level serialises"))
        .build();
    let descriptor = ReportingDescriptor::builder()
        .id(doc.id)
        .name(doc.name)
        .short_description(text(&doc.short_description))
        .full_description(text(&doc.full_description))
        .help(help)
        .default_configuration(config)
        .properties(properties);
    match doc.help_uri {
        Some(uri) => descriptor.help_uri(uri).build(),
        None => descriptor.build(),
    }
}

/// The rules of a run: one per distinct id, sorted by id, each described
/// from the first item that carries it; with each id's index (`ruleIndex`).
pub fn rules_by_id<T>(
    items: &[T],
    id: impl Fn(&T) -> &str,
    doc: impl Fn(&T) -> RuleDoc,
) -> (Vec<ReportingDescriptor>, BTreeMap<String, usize>) {
    let mut first: BTreeMap<&str, &T> = BTreeMap::new();
    for item in items {
        first.entry(id(item)).or_insert(item);
    }
    let index = first
        .keys()
        .enumerate()
        .map(|(i, id)| (id.to_string(), i))
        .collect();
    let rules = first
        .into_values()
        .map(|item| rule_descriptor(doc(item)))
        .collect();
    (rules, index)
}

/// What every guardrail result carries; callers add related locations and
/// suppressions to the returned result where they have them.
pub struct ResultDoc {
    pub rule_id: String,
    pub rule_index: usize,
    pub level: ResultLevel,
    pub message: String,
    pub location: Location,
    /// The `partialFingerprints` key (versioned, e.g. `guardrailFingerprint/v1`).
    pub fingerprint_key: &'static str,
    pub fingerprint: String,
    pub properties: BTreeMap<String, Value>,
}

pub fn result(doc: ResultDoc) -> SarifResult {
    let mut fingerprints = BTreeMap::new();
    fingerprints.insert(doc.fingerprint_key.to_string(), doc.fingerprint);
    SarifResult::builder()
        .rule_id(doc.rule_id)
        .rule_index(doc.rule_index as i64)
        .level(doc.level)
        .message(message(doc.message))
        .locations(vec![doc.location])
        .partial_fingerprints(fingerprints)
        .properties(
            PropertyBag::builder()
                .additional_properties(doc.properties)
                .build(),
        )
        .build()
}

/// An accepted suppression: `inSource` (a comment in the file) or
/// `external` (an ignore file, baseline or allow list), with the reason.
pub fn suppression(kind: &str, justification: impl Into<String>) -> Suppression {
    Suppression::builder()
        .kind(Value::String(kind.into()))
        .status(Value::String("accepted".into()))
        .justification(justification.into())
        .build()
}

/// The `run` of one kind of scan: the tool with its rules, the results, and
/// `automationDetails.id` so GitHub keeps one category per kind of scan.
pub fn run(rules: Vec<ReportingDescriptor>, results: Vec<SarifResult>, automation_id: &str) -> Run {
    let driver = ToolComponent::builder()
        .name(TOOL_NAME)
        .version(env!("CARGO_PKG_VERSION"))
        .semantic_version(env!("CARGO_PKG_VERSION"))
        .information_uri(INFORMATION_URI)
        .rules(rules)
        .build();
    Run::builder()
        .tool(Tool::builder().driver(driver).build())
        .results(results)
        .automation_details(RunAutomationDetails::builder().id(automation_id).build())
        // Our columns count Unicode scalar values, not UTF-16 code units.
        .column_kind(Value::String("unicodeCodePoints".into()))
        .build()
}

/// The whole log, as JSON.
pub fn log(runs: Vec<Run>) -> Value {
    let sarif = Sarif::builder()
        .schema(SCHEMA_URI)
        .version(Value::String("2.1.0".into()))
        .runs(runs)
        .build();
    serde_json::to_value(sarif).expect("SARIF serialises")
}

/// A location in a `%SRCROOT%`-relative file. Lines and columns are 1-based;
/// `end_column` is exclusive, as SARIF wants it.
pub fn file_location(path: &str, region: Option<Region>) -> Location {
    let artifact = ArtifactLocation::builder()
        .uri(path_to_uri(path))
        .uri_base_id(SRCROOT)
        .build();
    let physical = match region {
        Some(r) => PhysicalLocation::builder()
            .artifact_location(artifact)
            .region(r)
            .build(),
        None => PhysicalLocation::builder()
            .artifact_location(artifact)
            .build(),
    };
    Location::builder().physical_location(physical).build()
}

pub fn text(s: &str) -> MultiformatMessageString {
    MultiformatMessageString::builder().text(s).build()
}

pub fn message(s: impl Into<String>) -> Message {
    Message::builder().text(s.into()).build()
}

/// GitHub shows `error` as "Error", `warning` as "Warning", `note` as "Note".
pub fn level(severity: Severity) -> ResultLevel {
    match severity {
        Severity::Critical | Severity::High => ResultLevel::Error,
        Severity::Medium => ResultLevel::Warning,
        Severity::Low | Severity::Info => ResultLevel::Note,
    }
}

/// CodeQL's `problem.severity` for a rule of this severity.
pub fn problem_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "recommendation",
    }
}

/// `github-pat-classic` -> `GithubPatClassic`.
pub fn rule_name(id: &str) -> String {
    id.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut cs = w.chars();
            cs.next()
                .map(|c| c.to_ascii_uppercase().to_string() + cs.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative `/`-separated path as a URI reference: every byte outside
/// RFC 3986's unreserved set and `/` is percent-encoded. Hand-rolled because
/// it is these few lines and the `percent-encoding` crate is not otherwise
/// a dependency.
pub fn path_to_uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for &b in path.trim_start_matches("./").as_bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded_and_relative() {
        assert_eq!(path_to_uri("src/main.rs"), "src/main.rs");
        assert_eq!(path_to_uri("./a b/c#d.txt"), "a%20b/c%23d.txt");
        assert_eq!(path_to_uri("é.env"), "%C3%A9.env");
    }

    #[test]
    fn rule_names_are_pascal_case() {
        assert_eq!(rule_name("github-pat-classic"), "GithubPatClassic");
        assert_eq!(rule_name("aws-access-key-id"), "AwsAccessKeyId");
    }

    #[test]
    fn levels_follow_severity() {
        assert_eq!(level(Severity::Critical), ResultLevel::Error);
        assert_eq!(level(Severity::Medium), ResultLevel::Warning);
        assert_eq!(level(Severity::Info), ResultLevel::Note);
    }
}
