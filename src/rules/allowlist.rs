//! Compiled allowlists: per rule, and global (from config).

use regex::bytes::Regex;

use super::{AllowCondition, AllowlistSpec, RegexTarget, RuleError};

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
    condition: AllowCondition,
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
            condition: spec.condition,
        })
    }

    pub fn allows(&self, c: &Candidate<'_>) -> bool {
        let target = match self.target {
            RegexTarget::Secret => c.secret,
            RegexTarget::Match => c.matched,
            RegexTarget::Line => c.line,
        };
        let regex = || self.regexes.iter().any(|r| r.is_match(target));
        let stopword = || {
            let secret = String::from_utf8_lossy(c.secret).to_ascii_lowercase();
            self.stopwords.iter().any(|w| secret.contains(w.as_str()))
        };
        let path = || self.paths.iter().any(|r| r.is_match(c.path));
        // (criterion is set, it matches) for each kind of criterion.
        let checks: [(bool, &dyn Fn() -> bool); 3] = [
            (!self.regexes.is_empty(), &regex),
            (!self.stopwords.is_empty(), &stopword),
            (!self.paths.is_empty(), &path),
        ];
        let mut set = checks.iter().filter(|(is_set, _)| *is_set);
        match self.condition {
            AllowCondition::Or => set.any(|(_, m)| m()),
            // An allowlist with no criteria allows nothing.
            AllowCondition::And => {
                checks.iter().any(|(is_set, _)| *is_set) && set.all(|(_, m)| m())
            }
        }
    }

    /// True when only path criteria are set, so a whole file can be skipped.
    pub fn allows_path(&self, path: &str) -> bool {
        let path_only = self.regexes.is_empty() && self.stopwords.is_empty();
        (self.condition == AllowCondition::Or || path_only)
            && self.paths.iter().any(|r| r.is_match(path))
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
