//! Precision and recall of the built-in rules per family on the labelled
//! corpus (`corpus/`). Run with `cargo test --test corpus -- --nocapture`
//! to see the table.
//!
//! A finding is a true positive when it lies in the file of a planted secret
//! and its secret equals, contains or is contained in the planted value, or
//! its lines overlap the planted value's lines; every other finding is a
//! false positive. Recall of a family counts its planted secrets found by
//! any rule; precision counts the findings of the family's own rules.

#[path = "../corpus/materialise.rs"]
mod materialise;

use std::collections::{BTreeMap, BTreeSet};

use guardrail::detect::Scanner;
use guardrail::finding::Finding;
use guardrail::source::{fs, ScanCounters};
use materialise::Label;

const MIN_PLANTED: usize = 400;
const MIN_NEGATIVES: usize = 400;
const THRESHOLD: f64 = 0.95;

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Families {
    families: BTreeMap<String, FamilySpec>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct FamilySpec {
    rules: Vec<String>,
}

struct FamilyMap(Vec<(String, regex::Regex)>);

impl FamilyMap {
    fn load() -> FamilyMap {
        let path = materialise::corpus_dir().join("families.toml");
        let text = std::fs::read_to_string(&path).expect("corpus/families.toml");
        let f: Families = toml::from_str(&text).expect("corpus/families.toml parses");
        let mut v = Vec::new();
        for (name, spec) in f.families {
            for r in spec.rules {
                v.push((name.clone(), regex::Regex::new(&r).expect("family regex")));
            }
        }
        FamilyMap(v)
    }

    fn family_of(&self, rule_id: &str) -> String {
        self.0
            .iter()
            .find(|(_, re)| re.is_match(rule_id))
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| rule_id.split('-').next().unwrap_or(rule_id).to_string())
    }
}

fn matches(f: &Finding, l: &Label) -> bool {
    if f.path != l.file {
        return false;
    }
    let s = f.secret.as_str();
    let v = l.value.as_str();
    let value_hit = !s.is_empty() && (s == v || s.contains(v) || (s.len() >= 8 && v.contains(s)));
    value_hit || (f.line <= l.end_line && l.line <= f.end_line)
}

#[derive(Default)]
struct Row {
    planted: usize,
    detected: usize,
    tp: usize,
    fp: usize,
    has_rules: bool,
}

fn ratio(n: usize, d: usize) -> Option<f64> {
    (d > 0).then(|| n as f64 / d as f64)
}

fn fmt(r: Option<f64>) -> String {
    r.map_or_else(|| "   -  ".to_string(), |x| format!("{x:6.3}"))
}

#[test]
fn corpus_precision_and_recall_per_family() {
    let dir = tempfile::tempdir().unwrap();
    let corpus = materialise::corpus_dir();
    let labels = materialise::materialise(&corpus.join("tree"), dir.path()).unwrap();

    // The committed inventory must describe the committed markers.
    let inventory = materialise::labels_toml(&labels);
    let committed = std::fs::read_to_string(corpus.join("labels.toml")).unwrap_or_default();
    assert!(
        committed == inventory,
        "corpus/labels.toml is stale: run `cargo run --example corpus -- --write-labels`"
    );

    let positives: Vec<&Label> = labels.iter().filter(|l| l.positive).collect();
    let negatives: Vec<&Label> = labels.iter().filter(|l| !l.positive).collect();

    let rules = guardrail::rules::builtin_rules().expect("built-in rules compile");
    let families = FamilyMap::load();
    let ruled: BTreeSet<String> = rules
        .rules()
        .iter()
        .map(|r| families.family_of(r.id()))
        .collect();
    let scanner = Scanner::new(rules);
    let counters = ScanCounters::default();
    let diag = |m: &str| eprintln!("{m}");
    let findings: Vec<Finding> = fs::scan_path(
        dir.path(),
        &scanner,
        &fs::WalkOptions::default(),
        &counters,
        &diag,
    )
    .expect("scan")
    .into_iter()
    // What `guardrail secrets` reports by default (`--min-confidence medium`).
    .filter(|f| {
        !f.is_suppressed() && f.confidence >= guardrail::cli::secrets::DEFAULT_MIN_CONFIDENCE
    })
    .collect();

    let mut rows: BTreeMap<String, Row> = BTreeMap::new();
    let mut missed = Vec::new();
    for p in &positives {
        let row = rows.entry(p.class.clone()).or_default();
        row.planted += 1;
        if findings.iter().any(|f| matches(f, p)) {
            row.detected += 1;
        } else {
            missed.push(*p);
        }
    }
    let mut false_pos = Vec::new();
    for f in &findings {
        let row = rows.entry(families.family_of(&f.rule_id)).or_default();
        if positives.iter().any(|p| matches(f, p)) {
            row.tp += 1;
        } else {
            row.fp += 1;
            false_pos.push(f);
        }
    }
    for (name, row) in rows.iter_mut() {
        row.has_rules = ruled.contains(name);
    }

    println!(
        "\ncorpus: {} files, {} planted secrets, {} look-alikes, {} findings\n",
        counters.files.load(std::sync::atomic::Ordering::Relaxed),
        positives.len(),
        negatives.len(),
        findings.len()
    );
    println!(
        "{:<16} {:>7} {:>5} {:>4} {:>5} {:>4} {:>9} {:>7}  status",
        "family", "planted", "found", "FN", "TP", "FP", "precision", "recall"
    );
    let mut failures = Vec::new();
    let mut unruled = Vec::new();
    for (name, r) in &rows {
        let precision = ratio(r.tp, r.tp + r.fp);
        let recall = ratio(r.detected, r.planted);
        let low = |x: Option<f64>| x.is_some_and(|x| x < THRESHOLD);
        let status = if !r.has_rules {
            unruled.push(name.clone());
            "NO RULES"
        } else if low(precision) || low(recall) {
            failures.push(format!(
                "{name}: precision {} recall {}",
                fmt(precision),
                fmt(recall)
            ));
            "FAIL"
        } else {
            "ok"
        };
        println!(
            "{name:<16} {:>7} {:>5} {:>4} {:>5} {:>4} {:>9} {:>7}  {status}",
            r.planted,
            r.detected,
            r.planted - r.detected,
            r.tp,
            r.fp,
            fmt(precision),
            fmt(recall)
        );
    }

    // Look-alikes by kind: how many drew a false positive.
    let mut kinds: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    for n in &negatives {
        let e = kinds.entry(n.class.as_str()).or_default();
        e.0 += 1;
        if false_pos.iter().any(|f| matches(f, n)) {
            e.1 += 1;
        }
    }
    println!(
        "\n{:<20} {:>6} {:>8}",
        "look-alike kind", "count", "flagged"
    );
    for (k, (n, hit)) in &kinds {
        println!("{k:<20} {n:>6} {hit:>8}");
    }

    if !missed.is_empty() {
        println!("\nmissed planted secrets:");
        for p in &missed {
            println!(
                "  {}:{} [{}] {}",
                p.file,
                p.line,
                p.class,
                one_line(&p.value)
            );
        }
    }
    if !false_pos.is_empty() {
        println!("\nfalse positives:");
        for f in &false_pos {
            println!(
                "  {}:{} {} {}",
                f.path,
                f.line,
                f.rule_id,
                one_line(&f.secret)
            );
        }
    }
    if !unruled.is_empty() {
        println!(
            "\n!!! WARNING: {} famil{} have no built-in rules yet and are NOT enforced: {}",
            unruled.len(),
            if unruled.len() == 1 { "y" } else { "ies" },
            unruled.join(", ")
        );
    }

    assert!(
        positives.len() >= MIN_PLANTED,
        "only {} planted secrets (want {MIN_PLANTED})",
        positives.len()
    );
    assert!(
        negatives.len() >= MIN_NEGATIVES,
        "only {} look-alikes (want {MIN_NEGATIVES})",
        negatives.len()
    );
    assert!(
        failures.is_empty(),
        "families below {THRESHOLD}:\n{}",
        failures.join("\n")
    );
}

fn one_line(s: &str) -> String {
    let first = s.lines().next().unwrap_or("");
    if s.contains('\n') {
        format!("{first} ...")
    } else {
        first.to_string()
    }
}

#[test]
fn markers_expand_deterministically_and_reject_literal_secrets() {
    let (a, la) =
        materialise::expand_file("x.env", "K=⟪aws|AKIA[A-Z0-9]{16}⟫\nP=⟪~uuid:abc⟫\n").unwrap();
    let (b, _) =
        materialise::expand_file("x.env", "K=⟪aws|AKIA[A-Z0-9]{16}⟫\nP=⟪~uuid:abc⟫\n").unwrap();
    assert_eq!(a, b);
    assert_eq!(la.len(), 2);
    assert!(la[0].positive && la[0].class == "aws" && la[0].line == 1);
    assert!(a.starts_with("K=AKIA") && a.contains("\nP=abc\n"));
    assert!(!la[1].positive && la[1].line == 2 && la[1].value == "abc");
    assert!(materialise::expand_file("x", "⟪aws:AKIA1234⟫").is_err());
    assert!(materialise::expand_file("x", "⟪aws|[a-z]").is_err());
}
