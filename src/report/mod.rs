//! Report writers: text, JSON, SARIF (and, for deps, markdown and
//! CycloneDX). Redaction and the scan-kind categories live here so every
//! writer does them the same way.

pub mod cyclonedx;
pub mod image;
pub mod inventory;
pub mod json;
pub mod redact;
pub mod review;
pub mod sarif;
pub mod spdx;
pub mod text;
pub mod workflows;

use crate::finding::Finding;
use crate::rules::RuleSet;
use crate::source::ScanStats;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
}

/// What was scanned; becomes SARIF `automationDetails.id` so GitHub keeps
/// one category per kind of scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScanKind {
    Directory,
    History,
    Range,
    Staged,
}

impl ScanKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanKind::Directory => "directory",
            ScanKind::History => "history",
            ScanKind::Range => "range",
            ScanKind::Staged => "staged",
        }
    }
    pub fn automation_id(self) -> String {
        format!("guardrail/secrets/{}/", self.as_str())
    }
}

/// Everything a secrets report writer needs.
pub struct SecretsReport<'a> {
    /// All findings, suppressed ones included; writers drop suppressed ones
    /// unless `include_suppressed`.
    pub findings: &'a [Finding],
    pub stats: &'a ScanStats,
    pub rules: &'a RuleSet,
    pub kind: ScanKind,
    pub redact: bool,
    pub include_suppressed: bool,
}

impl SecretsReport<'_> {
    /// The findings this report shows.
    pub fn shown(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| self.include_suppressed || !f.is_suppressed())
    }

    /// The secret as it may be written.
    pub fn secret_text(&self, f: &Finding) -> String {
        if self.redact {
            redact::redact(&f.secret)
        } else {
            f.secret.clone()
        }
    }
}
