//! `guardrail.toml`: discovery, `--config`, errors, extra rules, disabled
//! rules, allowlists and excludes. Config rules are defined here, so the
//! tests do not depend on which built-in rules exist.

use crate::common::{generate, ghp, Workspace};

/// A config rule of our own, and a token it matches.
const OWN_RULE: &str = r#"
[[rules]]
id = "acme-internal-token"
description = "ACME internal API token"
regex = '''\b(acme_[a-z0-9]{24})\b'''
keywords = ["acme_"]
severity = "high"
tags = ["acme"]
"#;

fn acme(seed: u64) -> String {
    generate("acme_[a-z0-9]{24}", seed)
}

fn rule_ids(ws: &Workspace, args: &[&str]) -> Vec<String> {
    let mut all = vec!["secrets", ".", "--format", "json"];
    all.extend_from_slice(args);
    let run = ws.run(&all);
    assert!(run.code < 2, "{run:?}");
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{}@{}",
                f["rule_id"].as_str().unwrap(),
                f["path"].as_str().unwrap()
            )
        })
        .collect()
}

#[test]
fn guardrail_toml_at_the_root_adds_rules() {
    let ws = Workspace::new();
    ws.write("svc/client.go", format!("const key = \"{}\"\n", acme(1)));
    ws.write("svc/gh.txt", ghp(40));
    assert_eq!(rule_ids(&ws, &[]), ["github-pat-classic@svc/gh.txt"]);

    ws.write("guardrail.toml", OWN_RULE);
    assert_eq!(
        rule_ids(&ws, &[]),
        [
            "acme-internal-token@svc/client.go",
            "github-pat-classic@svc/gh.txt"
        ]
    );
    // The rule reaches the SARIF descriptors with its own tags.
    let v = ws.run(&["secrets", ".", "--format", "sarif"]).json();
    let rule = &v["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "acme-internal-token");
    assert_eq!(rule["properties"]["security-severity"], "8.0");
    assert_eq!(rule["properties"]["tags"][0], "acme");
}

#[test]
fn explicit_config_wins_over_the_root_one() {
    let ws = Workspace::new();
    ws.write("a.txt", format!("{}\n{}\n", acme(2), ghp(41)));
    ws.write(
        "guardrail.toml",
        "disabled_rules = [\"github-pat-classic\"]\n",
    );
    assert!(rule_ids(&ws, &[]).is_empty());

    let other = ws.home().join("ci-guardrail.toml");
    std::fs::write(&other, OWN_RULE).unwrap();
    let ids = rule_ids(&ws, &["--config", other.to_str().unwrap()]);
    assert_eq!(
        ids,
        ["acme-internal-token@a.txt", "github-pat-classic@a.txt"]
    );

    let missing = ws.run(&["secrets", ".", "--config", "missing.toml"]);
    assert_eq!(missing.code, 2);
    assert!(
        missing.stderr.contains("missing.toml"),
        "{}",
        missing.stderr
    );
}

#[test]
fn unknown_key_is_exit_2_naming_key_and_file() {
    let ws = Workspace::new();
    ws.write("a.txt", "x\n");
    ws.write(
        "guardrail.toml",
        "disable_rules = [\"github-pat-classic\"]\n",
    );
    let run = ws.run(&["secrets", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("disable_rules"), "{}", run.stderr);
    assert!(run.stderr.contains("guardrail.toml"), "{}", run.stderr);
    assert!(run.stdout.is_empty());

    // An unknown key inside a rule is caught too.
    ws.write("guardrail.toml", format!("{OWN_RULE}sevrity = \"low\"\n"));
    let run = ws.run(&["secrets", "."]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("sevrity"), "{}", run.stderr);
}

#[test]
fn invalid_regex_is_exit_2_naming_the_rule() {
    let ws = Workspace::new();
    ws.write("a.txt", "x\n");
    ws.write("guardrail.toml", OWN_RULE.replace("{24})", "{24}"));
    let run = ws.run(&["secrets", "."]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("acme-internal-token"), "{}", run.stderr);
    assert!(run.stderr.contains("regex"), "{}", run.stderr);
}

#[test]
fn disabled_rules_and_unknown_ids() {
    let ws = Workspace::new();
    ws.write("a.txt", ghp(42));
    ws.write(
        "guardrail.toml",
        "disabled_rules = [\"github-pat-classic\"]\n",
    );
    let run = ws.run(&["secrets", "."]);
    assert_eq!(run.code, 0, "{run:?}");

    ws.write("guardrail.toml", "disabled_rules = [\"no-such-rule\"]\n");
    let run = ws.run(&["secrets", "."]);
    assert_eq!(
        run.code, 2,
        "a typo in disabled_rules must not pass silently"
    );
    assert!(run.stderr.contains("no-such-rule"), "{}", run.stderr);
}

#[test]
fn global_allowlist_by_path_stopword_and_regex() {
    let ws = Workspace::new();
    ws.write("fixtures/tokens.txt", ghp(43));
    ws.write("src/app.txt", ghp(44));
    ws.write("src/keep.txt", acme(3));
    ws.write("src/docs.txt", format!("{}\n", acme(4)));
    let allowed = acme(4);
    ws.write(
        "guardrail.toml",
        format!(
            "{OWN_RULE}\n[[allowlist]]\ndescription = \"test data\"\npaths = ['''^fixtures/''']\n\n\
             [[allowlist]]\nregexes = ['''^{allowed}$''']\n"
        ),
    );
    assert_eq!(
        rule_ids(&ws, &[]),
        [
            "github-pat-classic@src/app.txt",
            "acme-internal-token@src/keep.txt"
        ]
    );
}

#[test]
fn exclude_skips_paths() {
    let ws = Workspace::new();
    ws.write("vendor/lib/creds.txt", ghp(45));
    ws.write("build/out.txt", ghp(46));
    ws.write("src/ok.txt", "fine\n");
    ws.write("guardrail.toml", "exclude = [\"vendor/**\", \"build/\"]\n");
    let run = ws.run(&["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    // guardrail.toml and src/ok.txt.
    assert_eq!(run.json()["stats"]["files_scanned"], 2);
}
