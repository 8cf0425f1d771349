//! A reported secret, as every source produces it and every report writer
//! consumes it. The raw secret is kept here; redaction happens when writing.

use serde::Serialize;

use crate::rules::{Confidence, Detector, Severity};

/// Where, in history, a finding entered the repository.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CommitInfo {
    pub commit: String,
    pub author: String,
    pub email: String,
    /// RFC 3339, author date.
    pub date: String,
    /// The commit message's first line (JSON `commit_summary`).
    #[serde(rename = "commit_summary")]
    pub summary: String,
}

/// Another place the same secret occurs (history scans).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub path: String,
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
}

/// Why a finding is not reported as a failure.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum SuppressionKind {
    /// `guardrail:allow` (or `gitleaks:allow`) on the line.
    Inline,
    /// Fingerprint listed in `.guardrailignore`.
    IgnoreFile,
    /// Present in the `--baseline` file.
    Baseline,
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub rule_id: String,
    pub description: String,
    pub severity: Severity,
    pub confidence: Confidence,
    /// How it was found: a regex rule, key-aware parsing of a config or
    /// source file, a credential file's format, a password-hash format.
    pub detector: Detector,
    /// Where a key-aware detector found the value, as the path of keys
    /// that lead to it (`database.production.password`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_path: Option<String>,
    /// Finding-level tags added to the rule's own (`test-fixture` for a
    /// value under `tests/`, reported at low confidence).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tags: Vec<String>,
    /// `/`-separated, relative to the scan root (or the repository root).
    pub path: String,
    /// 1-based, in Unicode scalar values for columns; end is inclusive of the
    /// last character (SARIF `endColumn` is exclusive, the writer adds one).
    pub line: usize,
    pub column: usize,
    pub end_line: usize,
    pub end_column: usize,
    /// The raw secret. Never written out unredacted unless asked.
    #[serde(skip)]
    pub secret: String,
    pub fingerprint: String,
    pub entropy: f64,
    #[serde(skip_serializing_if = "Option::is_none", flatten)]
    pub commit: Option<CommitInfo>,
    /// How many other places (commits, paths) hold the same secret.
    #[serde(skip_serializing_if = "is_zero")]
    pub other_occurrences: usize,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<Occurrence>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<SuppressionKind>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}

impl Finding {
    /// The fingerprint that baselines, `.guardrailignore` and SARIF
    /// `partialFingerprints` use: stable when lines move, different for
    /// different secrets, and never reversible to the secret.
    pub fn compute_fingerprint(rule_id: &str, path: &str, secret: &[u8]) -> String {
        let mut h = crate::util::sha256_hex(&[rule_id.as_bytes(), path.as_bytes(), secret]);
        h.truncate(32);
        h
    }

    /// SHA-256 of the secret alone, used by baselines to recognise the same
    /// secret after a file is renamed.
    pub fn secret_hash(&self) -> String {
        crate::util::sha256_hex(&[self.secret.as_bytes()])
    }

    pub fn is_suppressed(&self) -> bool {
        self.suppressed.is_some()
    }
}
