//! Version ordering against osv-scalibr's vectors (tests/fixtures/versions,
//! see SOURCE.md). Every line where both sides are valid for the ecosystem
//! must agree; lines with a side our parser rejects (legacy, non-PEP 440
//! strings) must be rejected with an error, never ordered by guesswork.

use std::cmp::Ordering;

use guardrail::deps::model::Ecosystem;
use guardrail::deps::version::compare;

fn vectors(name: &str) -> Vec<(String, Ordering, String, usize)> {
    let path = format!(
        "{}/tests/fixtures/versions/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(&path).unwrap();
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let l = line.trim();
        if l.is_empty() || l.starts_with("# ") || l.starts_with("// ") {
            continue;
        }
        let parts: Vec<&str> = l.split_whitespace().collect();
        assert_eq!(parts.len(), 3, "{name}:{}: {l}", i + 1);
        let op = match parts[1] {
            "<" => Ordering::Less,
            ">" => Ordering::Greater,
            "=" => Ordering::Equal,
            o => panic!("{name}:{}: op {o}", i + 1),
        };
        out.push((parts[0].to_string(), op, parts[2].to_string(), i + 1));
    }
    out
}

/// (agreed, rejected lines); panics on any disagreement.
fn check(eco: Ecosystem, name: &str) -> (usize, Vec<String>) {
    let (mut ok, mut rejected) = (0, Vec::new());
    let mut wrong = Vec::new();
    for (a, op, b, line) in vectors(name) {
        match compare(eco, &a, &b) {
            Ok(o) if o == op => ok += 1,
            Ok(o) => wrong.push(format!("{name}:{line}: {a} {op:?} {b}, got {o:?}")),
            Err(e) => rejected.push(format!("{a} {b}: {e}")),
        }
    }
    assert!(
        wrong.is_empty(),
        "{} disagreements:\n{}",
        wrong.len(),
        wrong.join("\n")
    );
    (ok, rejected)
}

#[test]
fn semver_vectors_all_agree() {
    for eco in [Ecosystem::CratesIo, Ecosystem::Npm] {
        let (ok, rejected) = check(eco, "semver-versions.txt");
        // Rejected: components beyond u64 and `1.1.3.4.5` (not SemVer).
        assert!(rejected.len() <= 3, "{rejected:#?}");
        assert!(ok >= 80, "{ok}");
    }
}

#[test]
fn pep440_hand_written_vectors() {
    let (ok, rejected) = check(Ecosystem::PyPI, "pypi-versions.txt");
    assert!(ok >= 25, "{ok}");
    // Only legacy (non-PEP 440) strings are rejected: the Pokémon ones and `-class...`.
    assert!(
        rejected.len() <= 11 && rejected.iter().all(|r| r.contains("PyPI version")),
        "{rejected:#?}"
    );
}

#[test]
fn pep440_generated_vectors() {
    let (ok, rejected) = check(Ecosystem::PyPI, "pypi-versions-generated.txt");
    assert!(ok > 10_000, "agreed on {ok}, rejected {}", rejected.len());
}
