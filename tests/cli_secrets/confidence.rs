//! `--min-confidence` and the structured detector end to end: what is
//! reported by default, the key path in text and JSON, and the same cut in
//! a directory scan, a history scan, a range and the index.

use crate::common::{generate, Workspace};

/// A password under a nested YAML key (medium), a weak one in a test
/// fixture (low) and a generic line-tier match in a text file (low).
fn workspace() -> (Workspace, String) {
    let ws = Workspace::new();
    let pw = generate("[a-z]{6}[0-9]{3}#", 7);
    ws.write(
        "config/app.yml",
        format!("database:\n  production:\n    password: {pw}\n"),
    );
    ws.write(
        "tests/fixtures/users.yml",
        "admin:\n  password: fixture42x\n",
    );
    ws.write(
        "notes/setup.txt",
        format!("db_password = {}\n", generate("[A-Za-z0-9]{18}", 8)),
    );
    (ws, pw)
}

fn rules_and_confidences(run: &crate::common::Run) -> Vec<(String, String, String)> {
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["confidence"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn default_reports_medium_and_up_with_the_key_path() {
    let (ws, _) = workspace();
    let run = ws.run(&["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    let v = run.json();
    let f = &v["findings"].as_array().unwrap();
    assert_eq!(f.len(), 1, "{v}");
    assert_eq!(f[0]["rule_id"], "structured-password");
    assert_eq!(f[0]["detector"], "structured");
    assert_eq!(f[0]["key_path"], "database.production.password");
    assert_eq!(f[0]["confidence"], "medium");

    let text = ws.run(&["secrets", ".", "--color", "never"]);
    assert!(
        text.stdout
            .contains("config/app.yml:3:15 structured-password"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("key database.production.password"),
        "{}",
        text.stdout
    );
}

#[test]
fn min_confidence_low_adds_fixtures_and_the_line_tier_and_high_drops_medium() {
    let (ws, _) = workspace();
    let low = rules_and_confidences(&ws.run(&[
        "secrets",
        ".",
        "--format",
        "json",
        "--min-confidence",
        "low",
    ]));
    assert!(
        low.contains(&(
            "tests/fixtures/users.yml".into(),
            "structured-password".into(),
            "low".into()
        )),
        "{low:?}"
    );
    assert!(
        low.contains(&(
            "notes/setup.txt".into(),
            "generic-secret-assignment".into(),
            "low".into()
        )),
        "{low:?}"
    );
    let fixture = ws
        .run(&[
            "secrets",
            "tests",
            "--format",
            "json",
            "--min-confidence",
            "low",
        ])
        .json();
    assert_eq!(fixture["findings"][0]["tags"][0], "test-fixture");

    let high = ws.run(&[
        "secrets",
        ".",
        "--format",
        "json",
        "--min-confidence",
        "high",
    ]);
    assert_eq!(high.code, 0, "{high:?}");
    assert!(ws.run(&["secrets", ".", "--min-confidence", "none"]).code == 2);
}

#[test]
fn min_confidence_from_guardrail_toml_and_the_flag_wins() {
    let (ws, _) = workspace();
    ws.write("guardrail.toml", "min_confidence = \"low\"\n");
    assert_eq!(
        rules_and_confidences(&ws.run(&["secrets", ".", "--format", "json"])).len(),
        3
    );
    let flag = ws.run(&[
        "secrets",
        ".",
        "--format",
        "json",
        "--min-confidence",
        "medium",
    ]);
    assert_eq!(rules_and_confidences(&flag).len(), 1);
    ws.write("guardrail.toml", "min_confidence = \"sometimes\"\n");
    let bad = ws.run(&["secrets", "."]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("guardrail.toml"), "{}", bad.stderr);
}

#[test]
fn every_source_applies_the_same_cut() {
    let (ws, _) = workspace();
    ws.git(&["init", "-q", "-b", "main"]);
    ws.write("README.md", "start\n");
    ws.git(&["add", "README.md"]);
    ws.git(&["commit", "-qm", "start"]);
    ws.git(&["add", "-A"]);
    let staged = rules_and_confidences(&ws.run(&["secrets", "--staged", "--format", "json"]));
    ws.git(&["commit", "-qm", "config"]);
    let history = rules_and_confidences(&ws.run(&["secrets", "--git", "--format", "json"]));
    let range = rules_and_confidences(&ws.run(&[
        "secrets",
        "--git",
        "--range",
        "HEAD~1..HEAD",
        "--format",
        "json",
    ]));
    let dir = rules_and_confidences(&ws.run(&["secrets", ".", "--format", "json"]));
    let want = vec![(
        "config/app.yml".to_string(),
        "structured-password".to_string(),
        "medium".to_string(),
    )];
    for (what, got) in [
        ("dir", &dir),
        ("staged", &staged),
        ("history", &history),
        ("range", &range),
    ] {
        assert_eq!(got, &want, "{what}");
    }
    let history_low = rules_and_confidences(&ws.run(&[
        "secrets",
        "--git",
        "--format",
        "json",
        "--min-confidence",
        "low",
    ]));
    assert_eq!(history_low.len(), 3, "{history_low:?}");
    // A structured finding in history names the commit that introduced it.
    let h = ws.run(&["secrets", "--git", "--format", "json"]).json();
    assert_eq!(h["findings"][0]["commit_summary"], "config");
    assert_eq!(h["findings"][0]["key_path"], "database.production.password");
}
