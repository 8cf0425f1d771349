//! Suppression by fingerprint: `.guardrailignore` and baseline files.
//! Baselines store fingerprints and secret hashes, never the secret.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, SuppressionKind};

pub const IGNORE_FILE: &str = ".guardrailignore";

#[derive(Debug, thiserror::Error)]
pub enum SuppressError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("baseline {}: {message}", path.display())]
    Baseline { path: PathBuf, message: String },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct BaselineEntry {
    pub fingerprint: String,
    pub rule_id: String,
    pub path: String,
    /// SHA-256 of the secret: recognises the same secret after a rename.
    pub secret_sha256: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineFile {
    pub version: u32,
    pub tool: String,
    pub findings: Vec<BaselineEntry>,
}

/// Everything that suppresses by fingerprint.
#[derive(Debug, Default)]
pub struct Suppressions {
    ignored: HashSet<String>,
    baseline_fingerprints: HashSet<String>,
    baseline_secrets: HashSet<(String, String)>,
}

impl Suppressions {
    /// Read `.guardrailignore` at `root` if there is one: one fingerprint a
    /// line, `#` comments.
    pub fn load_ignore_file(&mut self, root: &Path) -> Result<(), SuppressError> {
        let path = root.join(IGNORE_FILE);
        if !path.is_file() {
            return Ok(());
        }
        let text = std::fs::read_to_string(&path).map_err(|source| SuppressError::Read {
            path: path.clone(),
            source,
        })?;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            if !line.is_empty() {
                self.ignored.insert(line.to_string());
            }
        }
        Ok(())
    }

    pub fn load_baseline(&mut self, path: &Path) -> Result<(), SuppressError> {
        let text = std::fs::read_to_string(path).map_err(|source| SuppressError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let file: BaselineFile =
            serde_json::from_str(&text).map_err(|e| SuppressError::Baseline {
                path: path.to_path_buf(),
                message: format!("line {}, column {}: {e}", e.line(), e.column()),
            })?;
        for e in file.findings {
            self.baseline_fingerprints.insert(e.fingerprint);
            self.baseline_secrets.insert((e.rule_id, e.secret_sha256));
        }
        Ok(())
    }

    /// Mark findings that a fingerprint suppresses (inline marks stay).
    pub fn apply(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            if self.ignored.contains(&f.fingerprint) {
                f.suppressed = Some(SuppressionKind::IgnoreFile);
            } else if self.baseline_fingerprints.contains(&f.fingerprint)
                || self
                    .baseline_secrets
                    .contains(&(f.rule_id.clone(), f.secret_hash()))
            {
                f.suppressed = Some(SuppressionKind::Baseline);
            }
        }
    }
}

/// Write a baseline of `findings` (all of them, suppressed or not).
pub fn write_baseline(path: &Path, findings: &[Finding]) -> Result<(), SuppressError> {
    let mut entries: Vec<BaselineEntry> = findings
        .iter()
        .map(|f| BaselineEntry {
            fingerprint: f.fingerprint.clone(),
            rule_id: f.rule_id.clone(),
            path: f.path.clone(),
            secret_sha256: f.secret_hash(),
        })
        .collect();
    entries.sort_by(|a, b| (&a.path, &a.fingerprint).cmp(&(&b.path, &b.fingerprint)));
    entries.dedup();
    let file = BaselineFile {
        version: 1,
        tool: "guardrail".into(),
        findings: entries,
    };
    let text = serde_json::to_string_pretty(&file).expect("baseline serialises");
    std::fs::write(path, text + "\n").map_err(|source| SuppressError::Write {
        path: path.to_path_buf(),
        source,
    })
}
