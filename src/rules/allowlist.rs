//! Compiled allowlists: per rule, and global (from config).

use regex::bytes::Regex;

use super::{AllowlistSpec, RegexTarget, RuleError};

/// What an allowlist is checked against for one candidate finding.
pub struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: &'a str,
}

#[derive(Debug, Clone)]
pub struct Allowlist {
    regexes: Vec<Regex>,
    target: RegexTarget,
    stopwords: Vec<String>,
    paths: Vec<regex::Regex>,
}

impl Allowlist {
    /// `owner` names the rule (or `global allowlist`) in errors.
    pub fn compile(spec: &AllowlistSpec, owner: &str) -> Result<Self, RuleError> {
        let regex_err = |what: &'static str, e: regex::Error| RuleError::Regex {
            id: owner.to_string(),
            what,
            message: one_line(&e.to_string()),
        };
        Ok(Allowlist {
            regexes: spec
                .regexes
                .iter()
                .map(|r| Regex::new(r).map_err(|e| regex_err("allowlist", e)))
                .collect::<Result<_, _>>()?,
            target: spec.regex_target,
            stopwords: spec
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            paths: spec
                .paths
                .iter()
                .map(|r| regex::Regex::new(r).map_err(|e| regex_err("allowlist path", e)))
                .collect::<Result<_, _>>()?,
        })
    }

    pub fn allows(&self, c: &Candidate<'_>) -> bool {
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        if self.regexes.iter().any(|r| r.is_match(target)) {
            return true;
        }
        if !self.stopwords.is_empty() {
            let secret = String::from_utf8_lossy(c.secret).to_ascii_lowercase();
            if self.stopwords.iter().any(|w| secret.contains(w.as_str())) {
                return true;
            }
        }
        self.paths.iter().any(|r| r.is_match(c.path))
    }

    /// True when only path criteria are set, so a whole file can be skipped.
    pub fn allows_path(&self, path: &str) -> bool {
        self.paths.iter().any(|r| r.is_match(path))
    }
}

/// regex errors are multi-line ASCII art; keep the last meaningful line.
pub(crate) fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .last()
        .unwrap_or(msg)
        .to_string()
}
