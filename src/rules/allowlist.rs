//! Compiled allowlists: per rule, and global (from config).

use std::sync::OnceLock;

use super::{AllowCondition, AllowlistSpec, RegexTarget, RuleError};

/// A regex type [`LazyRegex`] can build.
pub(crate) trait Buildable: Sized {
    fn build(pattern: &str) -> Result<Self, regex::Error>;
}

impl Buildable for regex::Regex {
    fn build(pattern: &str) -> Result<Self, regex::Error> {
        regex::Regex::new(pattern)
    }
}

impl Buildable for regex::bytes::Regex {
    fn build(pattern: &str) -> Result<Self, regex::Error> {
        regex::bytes::Regex::new(pattern)
    }
}

/// A regex built the first time it is matched. Built-in rules carry ~80
/// allowlist and path regexes, most with Unicode `(?i)`; building them all
/// up front was over half of start-up, and a typical scan needs a few.
/// Syntax is not checked here: built-in patterns are checked by tests, and
/// user patterns are built eagerly with [`LazyRegex::force`] at load time.
#[derive(Debug, Clone)]
pub(crate) struct LazyRegex<R> {
    pattern: String,
    /// The regex, or the one-line reason it does not build.
    cell: OnceLock<Result<R, String>>,
}

impl<R: Buildable> LazyRegex<R> {
    pub fn new(pattern: &str) -> Self {
        LazyRegex {
            pattern: pattern.to_string(),
            cell: OnceLock::new(),
        }
    }

    fn get(&self) -> &Result<R, String> {
        self.cell
            .get_or_init(|| R::build(&self.pattern).map_err(|e| one_line(&e.to_string())))
    }

    /// Build now; `owner` and `what` name the regex in the error.
    pub fn force(&self, owner: &str, what: &'static str) -> Result<(), RuleError> {
        self.get()
            .as_ref()
            .map(|_| ())
            .map_err(|message| RuleError::Regex {
                id: owner.to_string(),
                what,
                message: message.clone(),
            })
    }

    /// The regex; `None` if it does not build (never for a loaded rule).
    pub fn regex(&self) -> Option<&R> {
        self.get().as_ref().ok()
    }
}

impl LazyRegex<regex::Regex> {
    /// A regex that does not build matches nothing.
    pub fn is_match(&self, s: &str) -> bool {
        self.regex().is_some_and(|r| r.is_match(s))
    }
}

impl LazyRegex<regex::bytes::Regex> {
    pub fn is_match(&self, s: &[u8]) -> bool {
        self.regex().is_some_and(|r| r.is_match(s))
    }
}

/// What an allowlist is checked against for one candidate finding.
pub struct Candidate<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: &'a str,
}

#[derive(Debug, Clone)]
pub struct Allowlist {
    regexes: Vec<LazyRegex<regex::bytes::Regex>>,
    target: RegexTarget,
    stopwords: Vec<String>,
    paths: Vec<LazyRegex<regex::Regex>>,
    condition: AllowCondition,
}

impl Allowlist {
    /// `owner` names the rule (or `global allowlist`) in errors. Every
    /// regex is built here, so a bad one is reported at load.
    pub fn compile(spec: &AllowlistSpec, owner: &str) -> Result<Self, RuleError> {
        let a = Self::compile_lazy(spec);
        a.force(owner)?;
        Ok(a)
    }

    /// Regexes are built on first use (built-in rules, checked by tests).
    pub(crate) fn compile_lazy(spec: &AllowlistSpec) -> Self {
        Allowlist {
            regexes: spec.regexes.iter().map(|r| LazyRegex::new(r)).collect(),
            target: spec.regex_target,
            stopwords: spec
                .stopwords
                .iter()
                .map(|s| s.to_ascii_lowercase())
                .collect(),
            paths: spec.paths.iter().map(|r| LazyRegex::new(r)).collect(),
            condition: spec.condition,
        }
    }

    /// Build every regex now; the first that fails is the error.
    pub(crate) fn force(&self, owner: &str) -> Result<(), RuleError> {
        for r in &self.regexes {
            r.force(owner, "allowlist")?;
        }
        for r in &self.paths {
            r.force(owner, "allowlist path")?;
        }
        Ok(())
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
