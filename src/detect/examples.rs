//! Runs the positive and negative examples that every rule carries. Used by
//! the unit tests and by `guardrail rules check`.
//!
//! In a positive example, `⟪REGEX⟫` stands for a string generated from REGEX
//! (ASCII only) with a seed derived from the rule id, so the same rule always
//! gets the same token and no live-looking token is stored in the repository.

use rand::RngExt;
use rand::SeedableRng;

use super::Scanner;
use crate::rules::Rule;

const OPEN: char = '⟪';
const CLOSE: char = '⟫';
/// An example starting with `⟦PATH⟧` is scanned under PATH.
const PATH_OPEN: char = '⟦';
const PATH_CLOSE: char = '⟧';

/// The path an example is scanned under and its text.
pub fn example_path<'a>(text: &'a str, default: &'a str) -> (&'a str, &'a str) {
    if let Some(rest) = text.strip_prefix(PATH_OPEN) {
        if let Some(close) = rest.find(PATH_CLOSE) {
            return (&rest[..close], &rest[close + PATH_CLOSE.len_utf8()..]);
        }
    }
    (default, text)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExampleKind {
    Positive,
    Negative,
}

#[derive(Debug, Clone)]
pub struct ExampleFailure {
    pub rule_id: String,
    pub kind: ExampleKind,
    pub index: usize,
    pub message: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kind = match self.kind {
            ExampleKind::Positive => "positive",
            ExampleKind::Negative => "negative",
        };
        write!(
            f,
            "rule `{}`: {kind} example #{}: {}",
            self.rule_id,
            self.index + 1,
            self.message
        )
    }
}

/// Expand every `⟪REGEX⟫` in `template`; returns the text and the generated
/// values in order.
pub fn expand(template: &str, seed: u64) -> Result<(String, Vec<String>), String> {
    let mut rng = rand::rngs::Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut out = String::with_capacity(template.len());
    let mut values = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find(OPEN) {
        out.push_str(&rest[..open]);
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after
            .find(CLOSE)
            .ok_or_else(|| format!("unclosed {OPEN} in example"))?;
        let pattern = &after[..close];
        let hir = regex_syntax::ParserBuilder::new()
            .unicode(false)
            .utf8(true)
            .build()
            .parse(pattern)
            .map_err(|e| format!("generator regex {pattern:?}: {e}"))?;
        let gen = rand_regex::Regex::with_hir(hir, 64)
            .map_err(|e| format!("generator regex {pattern:?}: {e}"))?;
        let value: String = rng.sample(&gen);
        out.push_str(&value);
        values.push(value);
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    Ok((out, values))
}

fn seed_for(rule_id: &str, index: usize) -> u64 {
    let h = crate::util::sha256_hex(&[rule_id.as_bytes(), &index.to_le_bytes()]);
    u64::from_str_radix(&h[..16], 16).unwrap_or(0)
}

/// Expand positive example `index` of a rule (as `rules check` and the corpus do).
pub fn expand_positive(rule: &Rule, index: usize) -> Result<(String, Vec<String>), String> {
    expand(
        &rule.spec.examples.positive[index],
        seed_for(&rule.spec.id, index),
    )
}

/// Check one rule's examples against `scanner` (which must contain the rule).
pub fn check_rule(scanner: &Scanner, rule: &Rule) -> Vec<ExampleFailure> {
    let id = rule.id();
    let path = rule.spec.examples.path.as_deref().unwrap_or("example.txt");
    let mut failures = Vec::new();
    let fail = |kind, index, message: String| ExampleFailure {
        rule_id: id.to_string(),
        kind,
        index,
        message,
    };
    if rule.spec.examples.positive.is_empty() {
        failures.push(fail(
            ExampleKind::Positive,
            0,
            "rule has no positive examples".into(),
        ));
    }
    if rule.spec.examples.negative.is_empty() {
        failures.push(fail(
            ExampleKind::Negative,
            0,
            "rule has no negative examples".into(),
        ));
    }
    for i in 0..rule.spec.examples.positive.len() {
        let (text, values) = match expand_positive(rule, i) {
            Ok(x) => x,
            Err(e) => {
                failures.push(fail(ExampleKind::Positive, i, e));
                continue;
            }
        };
        let (path, text) = example_path(&text, path);
        let found: Vec<String> = scanner
            .scan(path, text.as_bytes())
            .into_iter()
            .filter(|f| f.rule_id == id)
            .map(|f| f.secret)
            .collect();
        if found.is_empty() {
            failures.push(fail(
                ExampleKind::Positive,
                i,
                format!("no match in {text:?}"),
            ));
        } else if !values.is_empty() && !found.iter().any(|s| values.contains(s)) {
            failures.push(fail(
                ExampleKind::Positive,
                i,
                format!("matched {found:?}, expected the secret to be one of {values:?}"),
            ));
        }
    }
    for (i, text) in rule.spec.examples.negative.iter().enumerate() {
        let (path, text) = example_path(text, path);
        let hits: Vec<String> = scanner
            .scan(path, text.as_bytes())
            .into_iter()
            .filter(|f| f.rule_id == id)
            .map(|f| f.secret)
            .collect();
        if !hits.is_empty() {
            failures.push(fail(
                ExampleKind::Negative,
                i,
                format!("unexpectedly matched {hits:?} in {text:?}"),
            ));
        }
    }
    failures
}

/// Check every rule of the scanner.
pub fn check_all(scanner: &Scanner) -> Vec<ExampleFailure> {
    scanner
        .rules()
        .rules()
        .iter()
        .flat_map(|r| check_rule(scanner, r))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expansion_is_deterministic_and_matches_pattern() {
        let (a, va) = expand("k=⟪ghp_[A-Za-z0-9]{36}⟫;", 7).unwrap();
        let (b, _) = expand("k=⟪ghp_[A-Za-z0-9]{36}⟫;", 7).unwrap();
        assert_eq!(a, b);
        assert_eq!(va.len(), 1);
        assert!(regex::Regex::new("^ghp_[A-Za-z0-9]{36}$")
            .unwrap()
            .is_match(&va[0]));
        assert!(a.starts_with("k=ghp_") && a.ends_with(';'));
    }

    #[test]
    fn unclosed_marker_is_an_error() {
        assert!(expand("⟪abc", 1).is_err());
    }
}
