//! Rule specs compiled for matching.

use std::collections::HashMap;
use std::sync::OnceLock;

use regex_automata::meta::{self, Regex};
use regex_automata::util::syntax;

use super::allowlist::{one_line, LazyRegex};
use super::scope::{KeywordScope, Reach};
use super::{
    Allowlist, AllowlistSpec, Confidence, Detector, Filter, KeysSpec, RuleError, RuleSpec, Severity,
};

#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    /// Built on first use: most rules never see their keywords in a given
    /// scan, and building ~200 regex engines up front would dominate start-up.
    /// The regex, or the one-line reason it does not build.
    regex: OnceLock<Result<Regex, String>>,
    /// Resolved capture group of the secret.
    pub secret_group: usize,
    /// Where around a keyword hit the regex has to run (see `scope.rs`).
    pub scope: KeywordScope,
    /// How far one match can run (see `scope.rs`).
    pub reach: Reach,
    /// For a built-in rule of scope `File`: its anchors as `build.rs`
    /// found them (see `scope::Anchors`).
    pub builtin_anchors: AnchorFacts,
    /// Regex on the path, built on first use (see [`LazyRegex`]).
    path: Option<LazyRegex<regex::Regex>>,
    pub allowlists: Vec<Allowlist>,
    /// Where the rule came from (`builtin:aws.toml`, a config path).
    pub origin: String,
}

impl Rule {
    pub fn compile(spec: RuleSpec, origin: &str) -> Result<Rule, RuleError> {
        check_plain_id(&spec)?;
        Self::compile_checked_id(spec, origin)
    }

    /// A rule imported from another tool's config (gitleaks): its id keeps
    /// that tool's spelling (`Custom_Rule`, `1password-secret-key`), so
    /// fingerprints and ignore files written for that tool still match. Only
    /// ids that would corrupt one-line output are refused.
    pub fn compile_imported(spec: RuleSpec, origin: &str) -> Result<Rule, RuleError> {
        if spec.id.trim().is_empty() || spec.id.chars().any(char::is_control) {
            return Err(RuleError::Invalid {
                id: spec.id.clone(),
                message: "id must be non-empty and free of control characters".into(),
            });
        }
        Self::compile_checked_id(spec, origin)
    }

    /// A built-in rule whose regex the build script already parsed and
    /// analysed (`build.rs`): parsing ~250 regexes again would be most of
    /// start-up.
    pub(crate) fn compile_builtin(
        spec: RuleSpec,
        origin: &str,
        facts: RegexFacts,
    ) -> Result<Rule, RuleError> {
        check_plain_id(&spec)?;
        Self::compile_with(spec, origin, Some(facts))
    }

    fn compile_checked_id(spec: RuleSpec, origin: &str) -> Result<Rule, RuleError> {
        Self::compile_with(spec, origin, None)
    }

    fn compile_with(
        spec: RuleSpec,
        origin: &str,
        facts: Option<RegexFacts>,
    ) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            id: spec.id.clone(),
            message,
        };
        let builtin = facts.is_some();
        if spec.regex.is_empty() && spec.detector == Detector::Rule {
            return Err(invalid(
                "no regex: a rule of detector \"rule\" needs one (only other detectors may go without)"
                    .into(),
            ));
        }
        let RegexFacts {
            captures: groups,
            scope,
            reach,
            anchors: builtin_anchors,
        } = match facts {
            Some(f) => f,
            None => RegexFacts::of(&spec.id, &spec.regex, &spec.keywords)?,
        };
        let secret_group = match spec.secret_group {
            Some(g) if g > groups => {
                return Err(invalid(format!(
                    "secret_group = {g} but the regex has only {groups} capture group(s)"
                )))
            }
            Some(g) => g,
            None if groups >= 1 => 1,
            None => 0,
        };
        if spec.keywords.is_empty() && spec.keywordless_reason.is_none() {
            return Err(invalid(
                "no keywords: add keywords, or keywordless_reason to justify running on every file"
                    .into(),
            ));
        }
        if let Some(k) = spec.keywords.iter().find(|k| k.is_empty()) {
            return Err(invalid(format!("empty keyword {k:?}")));
        }
        if let Some(e) = spec.entropy {
            if !(0.0..=8.0).contains(&e) {
                return Err(invalid(format!(
                    "entropy {e} is outside 0..=8 bits per byte"
                )));
            }
        }
        let path = spec.path.as_deref().map(LazyRegex::new);
        let allowlists: Vec<Allowlist> =
            spec.allowlist.iter().map(Allowlist::compile_lazy).collect();
        // A user's rule is checked now, so a bad regex is reported at load
        // naming the rule; built-in ones are checked by tests.
        if !builtin {
            if let Some(p) = &path {
                p.force(&spec.id, "path")?;
            }
            for a in &allowlists {
                a.force(&spec.id)?;
            }
        }
        Ok(Rule {
            regex: OnceLock::new(),
            secret_group,
            scope,
            reach,
            builtin_anchors,
            path,
            allowlists,
            origin: origin.to_string(),
            spec,
        })
    }

    /// The compiled regex, or the reason it cannot be built (only a size
    /// limit can fail here; syntax was checked when the rule was loaded).
    pub fn regex(&self) -> Result<&Regex, RuleError> {
        self.regex
            .get_or_init(|| build_regex(&self.spec.regex).map_err(|e| one_line(&e.to_string())))
            .as_ref()
            .map_err(|message| RuleError::Regex {
                id: self.spec.id.clone(),
                what: "rule",
                message: message.clone(),
            })
    }

    /// Whether the rule runs on `path` (always, without a path regex).
    pub fn path_matches(&self, path: &str) -> bool {
        self.path.as_ref().is_none_or(|re| re.is_match(path))
    }

    /// Build every regex of the rule that is built on first use (the
    /// rule's, its path's, its allowlists'), reporting the first failure.
    pub fn build_all(&self) -> Result<(), RuleError> {
        self.build_now()?;
        if let Some(p) = &self.path {
            p.force(&self.spec.id, "path")?;
        }
        self.allowlists
            .iter()
            .try_for_each(|a| a.force(&self.spec.id))
    }

    /// Build the regex now, reporting failure (used for user rules, so a
    /// config error surfaces before the scan starts).
    pub fn build_now(&self) -> Result<(), RuleError> {
        if !self.has_regex() {
            return Ok(());
        }
        self.regex().map(|_| ())
    }

    /// Whether the rule has a regex to run (rules of the structured and
    /// other code detectors may have keywords only).
    pub fn has_regex(&self) -> bool {
        !self.spec.regex.is_empty()
    }

    pub fn id(&self) -> &str {
        &self.spec.id
    }
    pub fn severity(&self) -> Severity {
        self.spec.severity
    }
    pub fn confidence(&self) -> Confidence {
        self.spec.confidence
    }
    pub fn has_filter(&self, f: Filter) -> bool {
        self.spec.filters.contains(&f)
    }
}

/// Our own rules' ids: lower-case letters, digits and dashes.
fn check_plain_id(spec: &RuleSpec) -> Result<(), RuleError> {
    if spec.id.is_empty()
        || !spec
            .id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return Err(RuleError::Invalid {
            id: spec.id.clone(),
            message: "id must be non-empty lower-case letters, digits and dashes".into(),
        });
    }
    Ok(())
}

/// What matching needs to know from a rule's parsed regex.
#[derive(Debug, Clone, Copy)]
pub(crate) struct RegexFacts {
    /// Number of explicit capture groups.
    pub captures: usize,
    pub scope: KeywordScope,
    pub reach: Reach,
    pub anchors: AnchorFacts,
}

/// The anchors of a built-in rule of scope `File`, found by `build.rs`
/// among the keywords of all built-in rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AnchorFacts {
    /// Not worked out (not a built-in rule, or not of scope `File`).
    Unknown,
    /// Some match contains none of the built-in keywords.
    NoAnchors,
    /// Every match contains one of these (lower-case) words; windows
    /// around their hits have this scope.
    Words(&'static [&'static str], KeywordScope),
}

impl RegexFacts {
    /// Parse the regex (so a bad rule fails at load time with its id; the
    /// matching engine is built lazily by `Rule::regex`) and analyse it.
    fn of(id: &str, regex: &str, keywords: &[String]) -> Result<RegexFacts, RuleError> {
        if regex.is_empty() {
            // No regex: keywords select files for a detector; a line scope
            // gives the detector the lines of its hits.
            return Ok(RegexFacts {
                captures: 0,
                scope: KeywordScope::Line,
                reach: Reach::Line,
                anchors: AnchorFacts::NoAnchors,
            });
        }
        let hir = super::scope::parse(regex).map_err(|e| RuleError::Regex {
            id: id.to_string(),
            what: "rule",
            message: one_line(&e.to_string()),
        })?;
        Ok(RegexFacts {
            captures: hir.properties().explicit_captures_len(),
            scope: KeywordScope::of(&hir, keywords),
            reach: Reach::of(&hir),
            anchors: AnchorFacts::Unknown,
        })
    }
}

fn build_regex(pattern: &str) -> Result<Regex, Box<meta::BuildError>> {
    // Secrets are ASCII. Without Unicode mode `\b`, `\w` and `.` are byte
    // classes: the lazy DFA can then run on any haystack (a Unicode `\b`
    // makes it give up at the first non-ASCII byte and fall back to the
    // PikeVM, ~20x slower), and compiling is cheaper. A rule that needs
    // Unicode can still say `(?u)`. `utf8(false)`: haystacks are bytes.
    // Large alternations of fixed-width classes need more than the default
    // budget; 64 MiB keeps them compiled instead of failing.
    // The meta regex (not `regex::bytes`) because the matcher searches
    // windows of a file with `Input::span`, which keeps look-around (`\b`,
    // `^`) seeing the bytes outside the window.
    Regex::builder()
        .syntax(syntax::Config::new().unicode(false).utf8(false))
        .configure(
            Regex::config()
                .utf8_empty(false)
                .nfa_size_limit(Some(64 << 20)),
        )
        .build(pattern)
        .map_err(Box::new)
}

/// An ordered set of compiled rules plus the global allowlists.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    by_id: HashMap<String, usize>,
    pub global_allowlists: Vec<Allowlist>,
    /// Key semantics of the structured detector, from every pack's and the
    /// config's `[keys]`.
    pub keys: KeysSpec,
}

impl RuleSet {
    pub fn new() -> Self {
        Self::default()
    }

    /// Add a rule; an id that is already present is an error naming both origins.
    pub fn add(&mut self, rule: Rule) -> Result<(), RuleError> {
        if let Some(&i) = self.by_id.get(rule.id()) {
            return Err(RuleError::Duplicate {
                id: rule.id().to_string(),
                first: self.rules[i].origin.clone(),
                second: rule.origin.clone(),
            });
        }
        self.by_id.insert(rule.id().to_string(), self.rules.len());
        self.rules.push(rule);
        Ok(())
    }

    /// Add a rule, replacing one with the same id (config overriding a built-in).
    pub fn upsert(&mut self, rule: Rule) {
        match self.by_id.get(rule.id()) {
            Some(&i) => self.rules[i] = rule,
            None => {
                self.by_id.insert(rule.id().to_string(), self.rules.len());
                self.rules.push(rule);
            }
        }
    }

    /// Compile and add every rule of a pack.
    pub fn add_specs(&mut self, specs: Vec<RuleSpec>, origin: &str) -> Result<(), RuleError> {
        for spec in specs {
            self.add(Rule::compile(spec, origin)?)?;
        }
        Ok(())
    }

    /// Remove rules by id; returns the ids that did not exist.
    pub fn disable(&mut self, ids: &[String]) -> Vec<String> {
        let unknown: Vec<String> = ids
            .iter()
            .filter(|id| !self.by_id.contains_key(id.as_str()))
            .cloned()
            .collect();
        self.rules.retain(|r| !ids.iter().any(|id| id == r.id()));
        self.reindex();
        unknown
    }

    /// Keep only the given rule ids (for `--rule`).
    pub fn retain_ids(&mut self, ids: &[String]) {
        self.rules.retain(|r| ids.iter().any(|id| id == r.id()));
        self.reindex();
    }

    fn reindex(&mut self) {
        self.by_id = self
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id().to_string(), i))
            .collect();
    }

    pub fn add_global_allowlist(&mut self, spec: &AllowlistSpec) -> Result<(), RuleError> {
        self.global_allowlists
            .push(Allowlist::compile(spec, "global allowlist")?);
        Ok(())
    }

    pub fn rules(&self) -> &[Rule] {
        &self.rules
    }
    pub fn get(&self, id: &str) -> Option<&Rule> {
        self.by_id.get(id).map(|&i| &self.rules[i])
    }
    pub fn len(&self) -> usize {
        self.rules.len()
    }
    pub fn is_empty(&self) -> bool {
        self.rules.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{parse_pack, Candidate};

    fn user_rule(extra: &str) -> Result<Rule, RuleError> {
        let pack = format!(
            "[[rules]]\nid = \"mine\"\ndescription = \"d\"\nregex = 'x(\\d+)'\n\
             keywords = [\"x\"]\nseverity = \"low\"\n{extra}"
        );
        let spec = parse_pack(&pack, "t.toml").unwrap().rules.remove(0);
        Rule::compile(spec, "t.toml")
    }

    /// Path and allowlist regexes are built lazily for built-ins only; a
    /// user's bad one is still an error at load, naming the rule.
    #[test]
    fn user_rule_bad_lazy_regexes_fail_at_load() {
        for (extra, what) in [
            ("path = '('\n", "path"),
            ("[[rules.allowlist]]\nregexes = ['[z-a]']\n", "allowlist"),
            ("[[rules.allowlist]]\npaths = ['a(']\n", "allowlist path"),
        ] {
            let msg = user_rule(extra).unwrap_err().to_string();
            assert!(
                msg.starts_with(&format!("rule `mine`: invalid {what} regex")),
                "{msg}"
            );
            assert_eq!(msg.lines().count(), 1, "{msg}");
        }
    }

    #[test]
    fn lazy_regexes_match_once_built() {
        let rule = user_rule(
            "path = '\\.env$'\n[[rules.allowlist]]\nregexes = ['^12']\n\
             paths = ['^vendor/']\ncondition = \"and\"\n",
        )
        .unwrap();
        assert!(rule.path_matches("a/.env") && !rule.path_matches("a/env.rs"));
        let cand = |secret: &'static [u8], path: &'static str| Candidate {
            secret,
            matched: secret,
            line: secret,
            path,
        };
        let a = &rule.allowlists[0];
        assert!(a.allows(&cand(b"123", "vendor/x")));
        assert!(!a.allows(&cand(b"123", "src/x")));
        assert!(!a.allows(&cand(b"312", "vendor/x")));
        rule.build_all().unwrap();
    }
}
