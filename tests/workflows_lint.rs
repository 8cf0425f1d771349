//! The repository's own GitHub workflows and action files pass
//! `guardrail workflows`: `.github/workflows/*.yml`, `examples/workflows/*.yml`
//! and `action.yml` (every audit rule: pinning, permissions, pull_request_target
//! checkouts, expression injection, ...).
//!
//! Checks the audit does not make, kept here as conventions of this
//! repository: every SHA pin carries a `# vX.Y.Z` comment; every pin of an
//! action in guardrail's pin table (src/workflows/pins.rs), here and in the
//! docs, is exactly the table's pin; local `uses: ./dir` actions exist;
//! dependabot covers cargo and the actions.

use std::path::PathBuf;

use guardrail::workflows::pins::PinTable;
use guardrail::workflows::{self, AuditOptions, Target};
use regex::Regex;
use serde_yaml_ng::Value;

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn targets() -> Vec<Target> {
    let root = repo_root();
    let (mut targets, errors) = workflows::discover(&root);
    assert!(errors.is_empty(), "{errors:?}");
    let mut examples: Vec<PathBuf> = std::fs::read_dir(root.join("examples/workflows"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "yml" || x == "yaml"))
        .collect();
    examples.sort();
    targets.extend(examples.into_iter().map(|p| Target {
        display: p.strip_prefix(&root).unwrap().display().to_string(),
        path: p,
    }));
    targets
}

#[test]
fn every_workflow_and_action_in_the_repository_passes_the_audit() {
    let targets = targets();
    let names: Vec<&str> = targets.iter().map(|t| t.display.as_str()).collect();
    // Guard against a vacuous pass: the files this test exists for are there.
    for expected in [
        ".github/workflows/ci.yml",
        ".github/workflows/guardrails.yml",
        ".github/workflows/release.yml",
        "examples/workflows/pr.yml",
        "examples/workflows/history.yml",
        "examples/workflows/release.yml",
        "action.yml",
    ] {
        assert!(
            names.contains(&expected),
            "{expected} not found among {names:?}"
        );
    }
    let report = workflows::audit_targets(&targets, &AuditOptions::default());
    assert!(report.errors.is_empty(), "{:?}", report.errors);
    assert_eq!(report.files.len(), targets.len(), "{:?}", report.warnings);
    let problems: Vec<String> = report
        .findings
        .iter()
        .map(|f| {
            format!(
                "{}:{}:{} {} {}",
                f.path, f.line, f.column, f.rule.id, f.message
            )
        })
        .collect();
    assert!(
        problems.is_empty(),
        "guardrail workflows:\n{}",
        problems.join("\n")
    );
}

/// `uses: owner/repo[/path]@<40 hex>` with what follows on the line.
fn pins_in(text: &str) -> Vec<(String, String, String)> {
    let re = Regex::new(
        r"uses:\s*([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)(?:/[A-Za-z0-9_./-]+)?@([0-9a-f]{40})(.*)",
    )
    .unwrap();
    re.captures_iter(text)
        .map(|c| (c[1].to_string(), c[2].to_string(), c[3].to_string()))
        .collect()
}

#[test]
fn every_sha_pin_has_a_version_comment_and_matches_the_pin_table() {
    let root = repo_root();
    let table = PinTable::builtin();
    let mut files: Vec<PathBuf> = targets().into_iter().map(|t| t.path).collect();
    files.extend(["README.md", "docs/CI.md"].iter().map(|f| root.join(f)));
    let comment = Regex::new(r"^\s*#\s*(v\d+(?:\.\d+){0,2})\b").unwrap();
    let mut problems = Vec::new();
    let mut seen = 0;
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        let name = f.strip_prefix(&root).unwrap().display();
        for (action, sha, rest) in pins_in(&text) {
            seen += 1;
            let Some(version) = comment.captures(&rest).map(|c| c[1].to_string()) else {
                problems.push(format!("{name}: {action}@{sha} needs a `# vX.Y.Z` comment"));
                continue;
            };
            if let Some(pin) = table.get(&action) {
                if pin.sha != sha || pin.version != version {
                    problems.push(format!(
                        "{name}: {action}@{sha} # {version}, but the pin table has {} # {}: update one of them",
                        pin.sha, pin.version
                    ));
                }
            }
        }
    }
    assert!(seen > 20, "only {seen} pins found");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn pin_table_actions_are_the_ones_this_repository_uses() {
    // Each built-in pin is used by this repository's workflows or by
    // `guardrail init`'s templates, so none goes stale unnoticed.
    let root = repo_root();
    let mut text = String::new();
    for t in targets() {
        text.push_str(&std::fs::read_to_string(&t.path).unwrap());
    }
    for f in std::fs::read_dir(root.join("src/workflows/init/templates")).unwrap() {
        text.push_str(&std::fs::read_to_string(f.unwrap().path()).unwrap());
    }
    for pin in PinTable::builtin().pins() {
        assert!(
            text.contains(&format!("{}@", pin.action))
                || text.contains(&format!("@@uses {}", pin.action)),
            "{} is in the pin table but nothing uses it",
            pin.action
        );
    }
}

#[test]
fn local_actions_exist() {
    let root = repo_root();
    let re = Regex::new(r"(?m)^\s*(?:-\s+)?uses:\s*\./(\S*)").unwrap();
    for t in targets() {
        let text = std::fs::read_to_string(&t.path).unwrap();
        for c in re.captures_iter(&text) {
            let dir = root.join(&c[1]);
            let ok = dir.is_file()
                || dir.join("action.yml").is_file()
                || dir.join("action.yaml").is_file();
            assert!(ok, "{}: local action ./{} does not exist", t.display, &c[1]);
        }
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

#[test]
fn dependabot_covers_cargo_and_actions() {
    let text = std::fs::read_to_string(repo_root().join(".github/dependabot.yml")).unwrap();
    let doc: Value = serde_yaml_ng::from_str(&text).unwrap();
    let ecosystems: Vec<&str> = get(&doc, "updates")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(|u| get(u, "package-ecosystem").and_then(Value::as_str))
        .collect();
    assert!(ecosystems.contains(&"cargo"), "{ecosystems:?}");
    assert!(ecosystems.contains(&"github-actions"), "{ecosystems:?}");
}

#[test]
fn the_pin_checker_can_fail() {
    let bad = "uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683\nuses: actions/checkout@1111111111111111111111111111111111111111 # v4.2.2\n";
    let pins = pins_in(bad);
    assert_eq!(pins.len(), 2);
    assert!(pins[0].2.trim().is_empty());
    let table = PinTable::builtin();
    assert_ne!(table.get(&pins[1].0).unwrap().sha, pins[1].1);
}
