//! Which of two overlapping findings `drop_overlapped_low_confidence` keeps.

use super::*;
use crate::rules::parse_pack;

/// Rules `outer` (`KEY=<secret>`) and `inner` (`<secret>` alone) that both
/// find the secret of `KEY=tok_...`, with the given confidences and
/// `supersedes` lists.
fn scanner(outer: (&str, &[&str]), inner: (&str, &[&str])) -> Scanner {
    let list = |ids: &[&str]| {
        ids.iter()
            .map(|i| format!("\"{i}\""))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let pack = format!(
        r#"
[[rules]]
id = "outer"
description = "d"
regex = '''KEY=(tok_[a-z0-9]{{12}})'''
keywords = ["key="]
severity = "high"
confidence = "{}"
supersedes = [{}]
[rules.examples]
positive = ["x"]
negative = ["y"]

[[rules]]
id = "inner"
description = "d"
regex = '''\b(tok_[a-z0-9]{{12}})\b'''
keywords = ["tok_"]
severity = "high"
confidence = "{}"
supersedes = [{}]
[rules.examples]
positive = ["x"]
negative = ["y"]
"#,
        outer.0,
        list(outer.1),
        inner.0,
        list(inner.1)
    );
    let mut set = RuleSet::new();
    set.add_specs(parse_pack(&pack, "test").expect("pack").rules, "test")
        .expect("rules");
    Scanner::new(set)
}

fn reported(s: &Scanner, text: &str) -> Vec<String> {
    let mut ids: Vec<String> = s
        .scan("a.env", text.as_bytes())
        .into_iter()
        .map(|f| f.rule_id)
        .collect();
    ids.sort();
    ids
}

const TEXT: &str = "KEY=tok_4k2m9q7x1z8w\n";

#[test]
fn equal_confidence_without_supersedes_keeps_both() {
    let s = scanner(("high", &[]), ("high", &[]));
    assert_eq!(reported(&s, TEXT), ["inner", "outer"]);
}

#[test]
fn supersedes_drops_the_other_rule_at_equal_confidence() {
    let s = scanner(("high", &["inner"]), ("high", &[]));
    assert_eq!(reported(&s, TEXT), ["outer"]);
    // Direction matters: the inner rule can supersede the outer one too.
    let s = scanner(("high", &[]), ("high", &["outer"]));
    assert_eq!(reported(&s, TEXT), ["inner"]);
    // And at a lower confidence of the superseded rule.
    let s = scanner(("high", &["inner"]), ("medium", &[]));
    assert_eq!(reported(&s, TEXT), ["outer"]);
}

#[test]
fn supersedes_does_not_beat_a_higher_confidence() {
    let s = scanner(("low", &["inner"]), ("high", &[]));
    assert_eq!(reported(&s, TEXT), ["inner"]);
}

#[test]
fn mutual_supersedes_keeps_both() {
    let s = scanner(("high", &["inner"]), ("high", &["outer"]));
    assert_eq!(reported(&s, TEXT), ["inner", "outer"]);
}

#[test]
fn supersedes_needs_overlapping_secrets() {
    let s = scanner(("high", &["inner"]), ("high", &[]));
    // `inner` finds a second token elsewhere on the line: it stays.
    assert_eq!(
        reported(&s, "KEY=tok_4k2m9q7x1z8w other=tok_9z8y7x6w5v4u\n"),
        ["inner", "outer"]
    );
}

#[test]
fn builtin_supersedes_name_builtin_rules() {
    let set = crate::rules::builtin_rules().expect("built-in rules");
    let ids: std::collections::HashSet<&str> = set.rules().iter().map(|r| r.id()).collect();
    let mut named = 0;
    for r in set.rules() {
        for id in &r.spec.supersedes {
            assert!(
                ids.contains(id.as_str()),
                "{}: supersedes unknown rule {id}",
                r.id()
            );
            assert_ne!(id, r.id(), "{} supersedes itself", r.id());
            named += 1;
        }
    }
    assert!(named > 0, "no built-in rule uses supersedes");
}

#[test]
fn gcp_key_file_is_reported_once() {
    let set = crate::rules::builtin_rules().expect("built-in rules");
    let gcp = set
        .rules()
        .iter()
        .find(|r| r.id() == "gcp-service-account-key")
        .expect("gcp rule");
    let (text, _) = examples::expand_positive(gcp, 0).expect("example");
    let s = Scanner::new(set.clone());
    let ids: Vec<String> = s
        .scan("keys/prod-sa.json", text.as_bytes())
        .into_iter()
        .map(|f| f.rule_id)
        .collect();
    assert_eq!(ids, ["gcp-service-account-key"]);
}

/// Overlapping findings of one confidence: the more specific detector
/// wins (rule over credential-file/hash over structured over the line
/// tier), and a format-aware finding beats a structured one whatever the
/// structured detector's confidence.
#[test]
fn specificity_decides_between_detectors() {
    use crate::rules::{Confidence, Detector};
    let spec = |id: &str, detector: Detector, confidence: Confidence| {
        let mut s = crate::rules::parse_pack(
            &format!(
                "[[rules]]\nid = \"{id}\"\ndescription = \"d\"\nregex = 'x'\nkeywords = [\"x\"]\nseverity = \"low\"\n"
            ),
            "t.toml",
        )
        .unwrap()
        .rules
        .remove(0);
        s.detector = detector;
        s.confidence = confidence;
        s
    };
    let mut set = RuleSet::new();
    set.add_specs(
        vec![
            spec("provider", Detector::Rule, Confidence::Medium),
            spec("credfile", Detector::CredentialFile, Confidence::Medium),
            spec("structured", Detector::Structured, Confidence::Medium),
            spec("line-tier", Detector::Rule, Confidence::Low),
        ],
        "t.toml",
    )
    .unwrap();
    let m = |rule: usize, confidence: Option<Confidence>| RawMatch {
        rule,
        secret: 10..20,
        matched: 0..20,
        entropy: 4.0,
        inline_allowed: false,
        confidence,
        key_path: None,
        tags: Vec::new(),
    };
    let kept = |ms: Vec<RawMatch>| {
        let mut ms = ms;
        drop_overlapped_low_confidence(&mut ms, &set);
        ms.iter()
            .map(|m| set.rules()[m.rule].id().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(kept(vec![m(2, None), m(3, None)]), vec!["structured"]);
    // A test fixture: structured at low still beats the line tier.
    assert_eq!(
        kept(vec![m(2, Some(Confidence::Low)), m(3, None)]),
        vec!["structured"]
    );
    assert_eq!(kept(vec![m(1, None), m(2, None)]), vec!["credfile"]);
    assert_eq!(kept(vec![m(0, None), m(1, None)]), vec!["provider"]);
    // A structured finding it thought high still yields to a format rule.
    assert_eq!(
        kept(vec![m(0, None), m(2, Some(Confidence::High))]),
        vec!["provider"]
    );
    // Higher confidence still wins over the line tier's.
    assert_eq!(
        kept(vec![m(3, None), m(2, Some(Confidence::High))]),
        vec!["structured"]
    );
}
