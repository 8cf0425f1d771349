//! Rule specs compiled for matching.

use std::collections::HashMap;

use regex::bytes::{Regex, RegexBuilder};

use super::allowlist::one_line;
use super::{Allowlist, AllowlistSpec, Confidence, Filter, RuleError, RuleSpec, Severity};

#[derive(Debug, Clone)]
pub struct Rule {
    pub spec: RuleSpec,
    pub regex: Regex,
    /// Resolved capture group of the secret.
    pub secret_group: usize,
    pub path: Option<regex::Regex>,
    pub allowlists: Vec<Allowlist>,
    /// Where the rule came from (`builtin:aws.toml`, a config path).
    pub origin: String,
}

impl Rule {
    pub fn compile(spec: RuleSpec, origin: &str) -> Result<Rule, RuleError> {
        let invalid = |message: String| RuleError::Invalid {
            id: spec.id.clone(),
            message,
        };
        if spec.id.is_empty()
            || !spec
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(invalid(
                "id must be non-empty lower-case letters, digits and dashes".into(),
            ));
        }
        // Large alternations of fixed-width classes need more than the
        // default DFA budget; 64 MiB keeps them compiled instead of failing.
        let regex = RegexBuilder::new(&spec.regex)
            .size_limit(64 << 20)
            .build()
            .map_err(|e| RuleError::Regex {
                id: spec.id.clone(),
                what: "rule",
                message: one_line(&e.to_string()),
            })?;
        let groups = regex.captures_len() - 1;
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
        let path = spec
            .path
            .as_deref()
            .map(|p| {
                regex::Regex::new(p).map_err(|e| RuleError::Regex {
                    id: spec.id.clone(),
                    what: "path",
                    message: one_line(&e.to_string()),
                })
            })
            .transpose()?;
        let allowlists = spec
            .allowlist
            .iter()
            .map(|a| Allowlist::compile(a, &spec.id))
            .collect::<Result<_, _>>()?;
        Ok(Rule {
            regex,
            secret_group,
            path,
            allowlists,
            origin: origin.to_string(),
            spec,
        })
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

/// An ordered set of compiled rules plus the global allowlists.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    rules: Vec<Rule>,
    by_id: HashMap<String, usize>,
    pub global_allowlists: Vec<Allowlist>,
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
