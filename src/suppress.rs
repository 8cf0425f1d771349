//! Suppression by fingerprint: `.guardrailignore`, gitleaks'
//! `.gitleaksignore`, and baseline files (ours, or detect-secrets').
//! Baselines store fingerprints and secret hashes, never the secret.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::finding::{Finding, SuppressionKind};

pub const IGNORE_FILE: &str = ".guardrailignore";
pub const GITLEAKS_IGNORE_FILE: &str = ".gitleaksignore";

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
    #[error("{}:{line}: {message}", path.display())]
    IgnoreLine {
        path: PathBuf,
        line: usize,
        message: String,
    },
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

/// detect-secrets' `.secrets.baseline`. A third-party format: unknown keys
/// are tolerated.
#[derive(Debug, Deserialize)]
struct DetectSecretsBaseline {
    results: BTreeMap<String, Vec<DetectSecretsEntry>>,
}

#[derive(Debug, Deserialize)]
struct DetectSecretsEntry {
    /// SHA-1 (hex) of the secret.
    hashed_secret: String,
}

/// A `.gitleaksignore` line: `commit:file:rule-id:line` (git scans) or
/// `file:rule-id:line` (directory scans; then it matches in any commit).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct GitleaksFingerprint {
    commit: Option<String>,
    path: String,
    rule_id: String,
    line: usize,
}

impl GitleaksFingerprint {
    fn parse(text: &str) -> Result<Self, String> {
        // From the right: a path may hold `:`, a line number and (in
        // practice) a rule id do not.
        let mut parts = text.rsplitn(3, ':');
        let (Some(line), Some(rule_id), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(format!(
                "`{text}` is not a gitleaks fingerprint (commit:file:rule-id:line or file:rule-id:line)"
            ));
        };
        let line = line
            .trim()
            .parse()
            .map_err(|_| format!("`{text}`: line `{line}` is not a number"))?;
        let (commit, path) = match rest.split_once(':') {
            Some((c, p)) if is_commit_id(c) => (Some(c.to_ascii_lowercase()), p),
            _ => (None, rest),
        };
        Ok(GitleaksFingerprint {
            commit,
            path: normalise_path(path),
            rule_id: rule_id.to_string(),
            line,
        })
    }
}

fn is_commit_id(s: &str) -> bool {
    (s.len() == 40 || s.len() == 64) && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Paths in third-party files: `/`-separated, without a leading `./`.
fn normalise_path(p: &str) -> String {
    let p = p.replace('\\', "/");
    let mut p = p.as_str();
    while let Some(rest) = p.strip_prefix("./") {
        p = rest;
    }
    p.to_string()
}

fn sha1_hex(data: &[u8]) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Everything that suppresses by fingerprint.
#[derive(Debug, Default)]
pub struct Suppressions {
    ignored: HashSet<String>,
    gitleaks_ignored: HashSet<GitleaksFingerprint>,
    baseline_fingerprints: HashSet<String>,
    baseline_secrets: HashSet<(String, String)>,
    /// detect-secrets entries: (path, SHA-1 of the secret).
    baseline_sha1: HashSet<(String, String)>,
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

    /// Read gitleaks' `.gitleaksignore` at `root` if there is one: one
    /// fingerprint a line, `#` comments. A malformed line is an error naming
    /// the file and line.
    pub fn load_gitleaks_ignore(&mut self, root: &Path) -> Result<(), SuppressError> {
        let path = root.join(GITLEAKS_IGNORE_FILE);
        if !path.is_file() {
            return Ok(());
        }
        let text = std::fs::read_to_string(&path).map_err(|source| SuppressError::Read {
            path: path.clone(),
            source,
        })?;
        for (i, line) in text.lines().enumerate() {
            let line = line.split('#').next().unwrap_or("").trim();
            if line.is_empty() {
                continue;
            }
            let fp =
                GitleaksFingerprint::parse(line).map_err(|message| SuppressError::IgnoreLine {
                    path: path.clone(),
                    line: i + 1,
                    message,
                })?;
            // gitleaks' default-rule ids name our equivalents too, so a
            // team's existing file keeps working after the switch.
            if let Some(ours) = crate::config::gitleaks::aliases(&fp.rule_id) {
                for id in ours {
                    self.gitleaks_ignored.insert(GitleaksFingerprint {
                        rule_id: id.to_string(),
                        ..fp.clone()
                    });
                }
            }
            self.gitleaks_ignored.insert(fp);
        }
        Ok(())
    }

    /// Read a baseline: ours (`guardrail secrets --write-baseline`) or
    /// detect-secrets' `.secrets.baseline`, told apart by their keys.
    pub fn load_baseline(&mut self, path: &Path) -> Result<(), SuppressError> {
        let text = std::fs::read_to_string(path).map_err(|source| SuppressError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let bad = |e: serde_json::Error| SuppressError::Baseline {
            path: path.to_path_buf(),
            message: format!("line {}, column {}: {e}", e.line(), e.column()),
        };
        let value: serde_json::Value = serde_json::from_str(&text).map_err(bad)?;
        let detect_secrets = value.get("results").is_some() && value.get("findings").is_none();
        if detect_secrets {
            let file: DetectSecretsBaseline =
                serde_json::from_value(value).map_err(|e| SuppressError::Baseline {
                    path: path.to_path_buf(),
                    message: format!("detect-secrets baseline: {e}"),
                })?;
            for (file_name, entries) in file.results {
                let file_name = normalise_path(&file_name);
                for e in entries {
                    self.baseline_sha1
                        .insert((file_name.clone(), e.hashed_secret.to_ascii_lowercase()));
                }
            }
            return Ok(());
        }
        // Re-parse from the text so errors keep their line and column.
        let file: BaselineFile = serde_json::from_str(&text).map_err(bad)?;
        for e in file.findings {
            self.baseline_fingerprints.insert(e.fingerprint);
            self.baseline_secrets.insert((e.rule_id, e.secret_sha256));
        }
        Ok(())
    }

    fn gitleaks_ignores(&self, f: &Finding) -> bool {
        if self.gitleaks_ignored.is_empty() {
            return false;
        }
        let mut fp = GitleaksFingerprint {
            commit: None,
            path: f.path.clone(),
            rule_id: f.rule_id.clone(),
            line: f.line,
        };
        // The commit-less form matches in any commit, as in gitleaks.
        if self.gitleaks_ignored.contains(&fp) {
            return true;
        }
        fp.commit = f.commit.as_ref().map(|c| c.commit.to_ascii_lowercase());
        fp.commit.is_some() && self.gitleaks_ignored.contains(&fp)
    }

    fn detect_secrets_lists(&self, f: &Finding) -> bool {
        !self.baseline_sha1.is_empty()
            && self
                .baseline_sha1
                .contains(&(f.path.clone(), sha1_hex(f.secret.as_bytes())))
    }

    /// Mark findings that a fingerprint suppresses (inline marks stay).
    pub fn apply(&self, findings: &mut [Finding]) {
        for f in findings.iter_mut().filter(|f| f.suppressed.is_none()) {
            if self.ignored.contains(&f.fingerprint) || self.gitleaks_ignores(f) {
                f.suppressed = Some(SuppressionKind::IgnoreFile);
            } else if self.baseline_fingerprints.contains(&f.fingerprint)
                || self
                    .baseline_secrets
                    .contains(&(f.rule_id.clone(), f.secret_hash()))
                || self.detect_secrets_lists(f)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_gitleaks_fingerprint_forms() {
        let sha = "0123456789abcdef0123456789abcdef01234567";
        let fp = GitleaksFingerprint::parse(&format!("{sha}:a/b:c.env:github-pat:12")).unwrap();
        assert_eq!(fp.commit.as_deref(), Some(sha));
        assert_eq!(
            (fp.path.as_str(), fp.rule_id.as_str(), fp.line),
            ("a/b:c.env", "github-pat", 12)
        );
        let fp = GitleaksFingerprint::parse("./src/x.py:Custom_Rule:3").unwrap();
        assert_eq!(fp.commit, None);
        assert_eq!(
            (fp.path.as_str(), fp.rule_id.as_str(), fp.line),
            ("src/x.py", "Custom_Rule", 3)
        );
        assert!(GitleaksFingerprint::parse("src/x.py:3").is_err());
        let err = GitleaksFingerprint::parse("src/x.py:r:three").unwrap_err();
        assert!(err.contains("three"), "{err}");
    }

    #[test]
    fn sha1_matches_the_known_vector() {
        assert_eq!(sha1_hex(b"abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
    }

    #[test]
    fn baseline_that_is_neither_format_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("b.json");
        std::fs::write(&p, "{\"version\": 1}").unwrap();
        let err = Suppressions::default()
            .load_baseline(&p)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("b.json") && err.contains("missing field"),
            "{err}"
        );
    }
}
