//! SARIF 2.1.0 for the GitHub Security tab, built with `serde-sarif`.
//!
//! This module holds the parts every guardrail SARIF log shares (the log and
//! run envelope, the tool, rule descriptors, locations); [`secrets`] turns
//! secret findings into results. The dependency review reuses the same
//! envelope with its own rules and results.

mod secrets;

use std::collections::BTreeMap;

use serde_json::Value;
use serde_sarif::sarif::{
    ArtifactLocation, Location, Message, MultiformatMessageString, PhysicalLocation, PropertyBag,
    Region, ReportingConfiguration, ReportingDescriptor, Result as SarifResult, ResultLevel, Run,
    RunAutomationDetails, Sarif, Tool, ToolComponent,
};

pub use secrets::secrets_sarif;

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
    pub severity: Severity,
    pub tags: Vec<String>,
    /// CodeQL's `precision`: `very-high`, `high`, `medium`, `low`.
    pub precision: String,
}

/// A `reportingDescriptor` with the properties GitHub reads:
/// `security-severity` (a string holding a CVSS-like score), `tags`, `precision`.
pub fn rule_descriptor(doc: RuleDoc) -> ReportingDescriptor {
    let mut extra = BTreeMap::new();
    extra.insert(
        "security-severity".to_string(),
        Value::String(format!("{:.1}", doc.severity.security_score())),
    );
    extra.insert("precision".to_string(), Value::String(doc.precision));
    extra.insert(
        "problem.severity".to_string(),
        Value::String(problem_severity(doc.severity).to_string()),
    );
    let properties = PropertyBag::builder()
        .tags(doc.tags)
        .additional_properties(extra)
        .build();
    let help = MultiformatMessageString::builder()
        .text(doc.help_text)
        .markdown(doc.help_markdown)
        .build();
    let config = ReportingConfiguration::builder()
        .level(serde_json::to_value(level(doc.severity)).expect("level serialises"))
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

fn problem_severity(severity: Severity) -> &'static str {
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
