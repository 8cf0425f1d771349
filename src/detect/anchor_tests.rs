//! The anchors `build.rs` precomputes for built-in context rules are the
//! ones the run-time analysis would choose, and are dropped when a word they
//! need is not in use.

use super::*;
use crate::rules::builtin_rules;

#[test]
fn precomputed_anchors_equal_the_run_time_choice() {
    let scanner = Scanner::new(builtin_rules().unwrap());
    let mut with_words = 0;
    for (r, rule) in scanner.rules.rules().iter().enumerate() {
        let fresh = Anchors::of(&rule.spec.regex, &scanner.words);
        match rule.builtin_anchors {
            AnchorFacts::Unknown => {
                assert_ne!(rule.scope, KeywordScope::File, "{}", rule.id());
                continue;
            }
            AnchorFacts::NoAnchors => assert_eq!(fresh, None, "{}", rule.id()),
            AnchorFacts::Words(words, scope) => {
                with_words += 1;
                let a = fresh
                    .as_ref()
                    .unwrap_or_else(|| panic!("{}: no anchors", rule.id()));
                let fresh_words: Vec<&str> =
                    a.words.iter().map(|&i| scanner.words[i].as_str()).collect();
                assert_eq!(fresh_words, words, "{}", rule.id());
                assert_eq!(a.scope, scope, "{}", rule.id());
            }
        }
        // Nothing left to work out at scan time.
        assert_eq!(
            scanner.anchors[r].get().cloned(),
            Some(fresh),
            "{}",
            rule.id()
        );
    }
    assert!(
        with_words >= 5,
        "only {with_words} rules with precomputed anchors"
    );
}

/// With the other rules that bring its anchor words removed, a rule cannot
/// use its precomputed anchors and works them out again among the words
/// still in use.
#[test]
fn anchors_are_recomputed_when_a_word_is_not_in_use() {
    let all = builtin_rules().unwrap();
    let lower = |r: &Rule| -> Vec<String> {
        r.spec
            .keywords
            .iter()
            .map(|k| k.to_ascii_lowercase())
            .collect()
    };
    let (id, words) = all
        .rules()
        .iter()
        .find_map(|r| match r.builtin_anchors {
            // Anchor words that are not the rule's own keywords.
            AnchorFacts::Words(words, _)
                if words.iter().all(|w| !lower(r).contains(&w.to_string())) =>
            {
                Some((r.id().to_string(), words))
            }
            _ => None,
        })
        .expect("a context rule anchored on other rules' keywords");
    let mut kept = RuleSet::new();
    for rule in all.rules() {
        if rule.id() == id || !lower(rule).iter().any(|k| words.contains(&k.as_str())) {
            kept.add(rule.clone()).unwrap();
        }
    }
    let scanner = Scanner::new(kept);
    let r = (0..scanner.rules.len())
        .find(|&r| scanner.rules.rules()[r].id() == id)
        .unwrap();
    assert!(
        scanner.anchors[r].get().is_none(),
        "{id}: stale anchors kept"
    );
    if let Some(a) = scanner.anchors(r) {
        for &i in &a.words {
            assert!(!words.contains(&scanner.words[i].as_str()), "{id}");
        }
    }
}
