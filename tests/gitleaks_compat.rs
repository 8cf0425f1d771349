//! Switching from gitleaks / detect-secrets: gitleaks configs, allowlists,
//! `.gitleaksignore`, `gitleaks:allow`, and detect-secrets baselines, run
//! through the real binary on files whose secrets are generated here.

mod git_support;

use std::collections::BTreeSet;
use std::path::Path;

use git_support::{guardrail, token, Repo, Run};

/// A token-shaped value generated from `pattern` at test time.
fn gen(pattern: &str, seed: u64) -> String {
    guardrail::detect::examples::expand(&format!("⟪{pattern}⟫"), seed)
        .unwrap()
        .1
        .remove(0)
}

fn write(root: &Path, rel: &str, text: &str) {
    let p = root.join(rel);
    std::fs::create_dir_all(p.parent().unwrap()).unwrap();
    std::fs::write(p, text).unwrap();
}

/// (path, rule id, line) of every reported finding.
fn hits(run: &Run) -> BTreeSet<(String, String, u64)> {
    run.findings()
        .iter()
        .map(|f| {
            (
                f["path"].as_str().unwrap().to_string(),
                f["rule_id"].as_str().unwrap().to_string(),
                f["line"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn hit(path: &str, rule: &str, line: u64) -> (String, String, u64) {
    (path.to_string(), rule.to_string(), line)
}

/// A team config as gitleaks users write it: a custom rule with one
/// allowlist per regexTarget, stopwords, an AND allowlist, a global path
/// allowlist, a rule using Go-only syntax and one using `\Q...\E` and
/// octal escapes (both translated).
const TEAM_CONFIG: &str = r#"
title = "team rules"

[[rules]]
id = "Custom_Token"
description = "Team service token"
regex = '''(?i)(?:token|key)\s*[=:]\s*["']?(cst_[a-z0-9]{24,28})\b'''
secretGroup = 1
keywords = ["cst_"]
tags = ["team"]

[[rules.allowlists]]
description = "explicit marker on the line"
regexTarget = "line"
regexes = ['''allow-this-line''']

[[rules.allowlists]]
regexTarget = "match"
regexes = ['''^(?i)key''']

[[rules.allowlists]]
regexes = ['''9999$''']
stopwords = ["dummy"]

[[rules.allowlists]]
condition = "AND"
paths = ['''^fixtures/''']
regexes = ['''^cst_test''']

[[rules]]
id = "go-only"
description = "Go's any-byte escape"
regex = '''ord_\C[0-9]{8}'''
keywords = ["ord_"]

[[rules]]
id = "quoted"
description = "quoted literal"
regex = '''\Qq.t+\E[\060-\071]{10}'''
keywords = ["q.t+"]

[allowlist]
paths = ['''^vendor/''']
"#;

fn cst(seed: u64) -> String {
    gen("cst_[a-z0-9]{24}", seed)
}

/// The tree TEAM_CONFIG is tested on; returns what must be reported.
fn team_tree(root: &Path) -> BTreeSet<(String, String, u64)> {
    write(root, ".gitleaks.toml", TEAM_CONFIG);
    let app = [
        format!("token = {}", cst(1)),
        format!("key = {}", cst(2)),
        format!("token = {} # allow-this-line", cst(3)),
        format!("note about the key; token = {}", cst(4)),
        format!("token = cst_{}9999", gen("[a-z0-9]{20}", 5)),
        format!("token = cst_dummy{}", gen("[a-z0-9]{19}", 6)),
        format!("token = {} # gitleaks:allow", cst(7)),
    ];
    write(root, "app.env", &(app.join("\n") + "\n"));
    write(
        root,
        "fixtures/a.env",
        &format!("token = cst_test{}\n", gen("[a-z0-9]{20}", 8)),
    );
    write(root, "fixtures/b.env", &format!("token = {}\n", cst(9)));
    write(
        root,
        "src/c.env",
        &format!("token = cst_test{}\n", gen("[a-z0-9]{20}", 10)),
    );
    write(root, "vendor/v.env", &format!("token = {}\n", cst(11)));
    write(
        root,
        "orders.txt",
        &format!("ord_x{}\n", gen("[0-9]{8}", 12)),
    );
    write(
        root,
        "quoted.txt",
        &format!("q.t+{}\n", gen("[0-9]{10}", 13)),
    );
    [
        hit("app.env", "Custom_Token", 1),
        hit("app.env", "Custom_Token", 4),
        hit("fixtures/b.env", "Custom_Token", 1),
        hit("src/c.env", "Custom_Token", 1),
        hit("quoted.txt", "quoted", 1),
    ]
    .into_iter()
    .collect()
}

#[test]
fn team_config_is_found_at_the_root_and_every_allowlist_kind_applies() {
    let dir = tempfile::tempdir().unwrap();
    let expected = team_tree(dir.path());
    let run = guardrail(dir.path(), &["secrets", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(hits(&run), expected, "{}", run.stderr);

    // Which config was loaded, and the Go-only rule: one warning naming it.
    assert!(
        run.stderr.contains("note: using gitleaks config")
            && run.stderr.contains("(no guardrail.toml at the root)"),
        "{}",
        run.stderr
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning: "))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(
        warnings[0].contains("rule `go-only`")
            && warnings[0].contains("escape")
            && warnings[0].ends_with("rule skipped"),
        "{}",
        warnings[0]
    );

    // gitleaks:allow suppresses inline (visible when asked).
    let all = guardrail(
        dir.path(),
        &["secrets", "--format", "json", "--include-suppressed"],
    );
    let inline: Vec<u64> = all
        .findings()
        .iter()
        .filter(|f| f["suppressed"] == "inline")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(inline, vec![7]);

    // --quiet drops the note, never the warning.
    let quiet = guardrail(dir.path(), &["secrets", "--quiet", "--format", "json"]);
    assert!(!quiet.stderr.contains("note:") && quiet.stderr.contains("warning:"));
}

#[test]
fn explicit_config_flag_loads_gitleaks_format_from_any_name() {
    let dir = tempfile::tempdir().unwrap();
    let expected = team_tree(dir.path());
    std::fs::rename(
        dir.path().join(".gitleaks.toml"),
        dir.path().join("team-rules.toml"),
    )
    .unwrap();
    let elsewhere = tempfile::tempdir().unwrap();
    let root = dir.path().to_str().unwrap();
    let cfg = dir.path().join("team-rules.toml");
    let run = guardrail(
        elsewhere.path(),
        &[
            "secrets",
            root,
            "--config",
            cfg.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(hits(&run), expected, "{}", run.stderr);
    // Without the config the custom rules do not exist.
    let none = guardrail(dir.path(), &["secrets", "--format", "json"]);
    assert!(hits(&none).iter().all(|(_, r, _)| r != "Custom_Token"));
}

#[test]
fn extending_the_defaults_with_disabled_rules_and_overrides() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let slack = gen("xoxb-[0-9]{12}-[0-9]{13}-[A-Za-z0-9]{24}", 21);
    write(root, "a.env", &format!("GITHUB_TOKEN={}\n", token(22)));
    write(
        root,
        "docs/setup.md",
        &format!("GITHUB_TOKEN={}\n", token(23)),
    );
    write(root, "s.env", &format!("SLACK_BOT_TOKEN={slack}\n"));
    write(
        root,
        "t.txt",
        &format!("id: tid_{}\n", gen("[0-9]{12}", 24)),
    );
    // Control run with the built-ins alone.
    let plain = guardrail(root, &["secrets", "--format", "json"]);
    let plain = hits(&plain);
    assert!(
        plain.contains(&hit("s.env", "slack-bot-token", 1)),
        "{plain:?}"
    );
    assert!(plain.contains(&hit("docs/setup.md", "github-pat-classic", 1)));

    write(
        root,
        ".gitleaks.toml",
        r#"
[extend]
useDefault = true
# gitleaks' ids: generic-api-key has guardrail equivalents under other names
disabledRules = ["slack-bot-token", "generic-api-key"]

[[rules]]
id = "github-pat"   # gitleaks' name for guardrail's github-pat-classic
[[rules.allowlists]]
paths = ['''^docs/''']

[[rules]]
id = "team-id"
description = "Team id"
regex = '''tid_[0-9]{12}'''
keywords = ["tid_"]
"#,
    );
    let run = guardrail(root, &["secrets", "--format", "json"]);
    assert!(!run.stderr.contains("warning:"), "{}", run.stderr);
    // With the Slack rule disabled, the token is still a literal under a
    // token key: the structured detector reports it.
    let expected: BTreeSet<_> = [
        hit("a.env", "github-pat-classic", 1),
        hit("s.env", "structured-token", 1),
        hit("t.txt", "team-id", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(hits(&run), expected, "{}", run.stderr);
}

#[test]
fn extending_another_config_by_path() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    write(
        root,
        "shared/base.toml",
        r#"
title = "org base"
[[rules]]
id = "base-a"
regex = '''aaa_[0-9]{10}'''
keywords = ["aaa_"]
[[rules]]
id = "base-b"
regex = '''bbb_[0-9]{10}'''
keywords = ["bbb_"]
[allowlist]
paths = ['''^third_party/''']
"#,
    );
    write(
        root,
        ".gitleaks.toml",
        r#"
[extend]
path = "shared/base.toml"
disabledRules = ["base-b"]
[[rules]]
id = "base-a"
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''legacy''']
"#,
    );
    let a = |s| format!("aaa_{}", gen("[0-9]{10}", s));
    write(root, "a.txt", &format!("{}\n{} legacy\n", a(31), a(32)));
    write(root, "b.txt", &format!("bbb_{}\n", gen("[0-9]{10}", 33)));
    write(root, "third_party/x.txt", &format!("{}\n", a(34)));
    let elsewhere = tempfile::tempdir().unwrap();
    let cfg = root.join(".gitleaks.toml");
    let run = guardrail(
        elsewhere.path(),
        &[
            "secrets",
            root.to_str().unwrap(),
            "--config",
            cfg.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let expected: BTreeSet<_> = [hit("a.txt", "base-a", 1)].into_iter().collect();
    assert_eq!(hits(&run), expected, "{}", run.stderr);
}

#[test]
fn gitleaksignore_both_fingerprint_forms() {
    let repo = Repo::new();
    repo.write("a.env", format!("# config\nGITHUB_TOKEN={}\n", token(41)));
    repo.write("b.env", format!("GITHUB_TOKEN={}\n", token(42)));
    repo.write("c.env", format!("GITHUB_TOKEN={}\n", token(43)));
    let c1 = repo.commit("add envs");
    // Untracked, so not part of the history scanned.
    repo.write(
        ".gitleaksignore",
        format!(
            "# from gitleaks\n{c1}:a.env:github-pat-classic:2\nb.env:github-pat:1 # gitleaks' id\n"
        ),
    );
    let hist = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    let expected: BTreeSet<_> = [hit("c.env", "github-pat-classic", 1)]
        .into_iter()
        .collect();
    assert_eq!(hits(&hist), expected, "{}", hist.stderr);
    let all = guardrail(
        repo.path(),
        &[
            "secrets",
            "--git",
            "--format",
            "json",
            "--include-suppressed",
        ],
    );
    let kinds: Vec<_> = all
        .findings()
        .iter()
        .filter_map(|f| f["suppressed"].as_str().map(str::to_string))
        .collect();
    assert_eq!(kinds, ["ignore-file", "ignore-file"]);

    // A directory scan has no commit: only the commit-less form applies.
    let dir = guardrail(repo.path(), &["secrets", "--format", "json"]);
    let expected: BTreeSet<_> = [
        hit("a.env", "github-pat-classic", 2),
        hit("c.env", "github-pat-classic", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(hits(&dir), expected, "{}", dir.stderr);

    repo.write(".gitleaksignore", "a.env:github-pat-classic\n");
    let bad = guardrail(repo.path(), &["secrets", "--format", "json"]);
    assert_eq!(bad.code, 2, "{}", bad.stderr);
    assert!(
        bad.stderr.contains(".gitleaksignore:1:")
            && bad.stderr.contains("not a gitleaks fingerprint"),
        "{}",
        bad.stderr
    );
}

#[test]
fn commit_allowlists_apply_to_history_findings() {
    let repo = Repo::new();
    repo.write("a.env", format!("GITHUB_TOKEN={}\n", token(51)));
    let c1 = repo.commit("first");
    repo.write("b.env", format!("GITHUB_TOKEN={}\n", token(52)));
    repo.write("b2.env", format!("GITHUB_TOKEN={}\n", token(53)));
    let c2 = repo.commit("second");
    repo.write(
        ".gitleaks.toml",
        format!(
            r#"
[extend]
useDefault = true
[[rules]]
id = "github-pat"
[[rules.allowlists]]
commits = ["{c1}"]
[[allowlists]]
condition = "AND"
commits = ["{}"]
paths = ['''^b\.env$''']
"#,
            &c2[..12]
        ),
    );
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    let expected: BTreeSet<_> = [hit("b2.env", "github-pat-classic", 1)]
        .into_iter()
        .collect();
    assert_eq!(hits(&run), expected, "{}", run.stderr);
}

fn sha1_hex(s: &str) -> String {
    use sha1::Digest;
    sha1::Sha1::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[test]
fn detect_secrets_baseline_suppresses_after_the_line_moved() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let (t1, t2) = (token(61), token(62));
    write(
        root,
        "app.py",
        &format!("import os\n\nGITHUB_TOKEN = \"{t1}\"\n"),
    );
    let outside = tempfile::tempdir().unwrap();
    let baseline = outside.path().join(".secrets.baseline");
    let json = serde_json::json!({
        "version": "1.5.0",
        "plugins_used": [{"name": "GitHubTokenDetector"}],
        "filters_used": [],
        "results": {
            "app.py": [{
                "type": "GitHub Token",
                "filename": "app.py",
                "hashed_secret": sha1_hex(&t1),
                "is_verified": false,
                "line_number": 3
            }]
        },
        "generated_at": "2024-01-01T00:00:00Z"
    });
    std::fs::write(&baseline, serde_json::to_string_pretty(&json).unwrap()).unwrap();
    let b = baseline.to_str().unwrap();

    let run = guardrail(root, &["secrets", "--baseline", b, "--format", "json"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);

    // The line moves, a new secret arrives, and the old one is copied
    // elsewhere: only the baseline's (file, secret) pair stays quiet.
    write(
        root,
        "app.py",
        &format!("import os\n\n# moved\n\n\nGITHUB_TOKEN = \"{t1}\"\nOTHER = \"{t2}\"\n"),
    );
    write(root, "copy.py", &format!("T = \"{t1}\"\n"));
    let run = guardrail(root, &["secrets", "--baseline", b, "--format", "json"]);
    let expected: BTreeSet<_> = [
        hit("app.py", "github-pat-classic", 7),
        hit("copy.py", "github-pat-classic", 1),
    ]
    .into_iter()
    .collect();
    assert_eq!(hits(&run), expected, "{}", run.stderr);
    let all = guardrail(
        root,
        &[
            "secrets",
            "--baseline",
            b,
            "--format",
            "json",
            "--include-suppressed",
        ],
    );
    let base: Vec<u64> = all
        .findings()
        .iter()
        .filter(|f| f["suppressed"] == "baseline")
        .map(|f| f["line"].as_u64().unwrap())
        .collect();
    assert_eq!(base, vec![6]);

    // Our own format still goes through the same flag.
    let ours = outside.path().join("ours.json");
    guardrail(
        root,
        &[
            "secrets",
            "--write-baseline",
            ours.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    let clean = guardrail(
        root,
        &[
            "secrets",
            "--baseline",
            ours.to_str().unwrap(),
            "--format",
            "json",
        ],
    );
    assert_eq!(clean.code, 0, "{}", clean.stderr);
}

/// With the real gitleaks at hand (/work/peers/gitleaks, or $GITLEAKS_BIN),
/// both tools read TEAM_CONFIG on the same tree and must agree, except on
/// the rule guardrail skips with a warning; and a fingerprint gitleaks
/// writes, put in `.gitleaksignore`, suppresses guardrail's finding.
#[test]
fn agrees_with_real_gitleaks_when_available() {
    let bin = std::env::var("GITLEAKS_BIN").unwrap_or_else(|_| "/work/peers/gitleaks".into());
    if !Path::new(&bin).is_file() {
        eprintln!("skipped: no gitleaks binary at {bin}");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let expected = team_tree(root);
    let report = tempfile::tempdir().unwrap();
    let out = report.path().join("gl.json");
    let status = std::process::Command::new(&bin)
        .args(["dir", ".", "--config", ".gitleaks.toml", "--no-banner"])
        .args([
            "--report-format",
            "json",
            "--report-path",
            out.to_str().unwrap(),
        ])
        .current_dir(root)
        .output()
        .unwrap();
    assert!(
        status.status.code() == Some(1),
        "{}",
        String::from_utf8_lossy(&status.stderr)
    );
    let gl: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    let gl = gl.as_array().unwrap();
    let theirs: BTreeSet<_> = gl
        .iter()
        .filter(|f| f["RuleID"] != "go-only")
        .map(|f| {
            hit(
                f["File"].as_str().unwrap(),
                f["RuleID"].as_str().unwrap(),
                f["StartLine"].as_u64().unwrap(),
            )
        })
        .collect();
    assert!(
        gl.iter().any(|f| f["RuleID"] == "go-only"),
        "gitleaks runs the Go-only rule"
    );
    let ours = guardrail(root, &["secrets", "--format", "json"]);
    assert_eq!(hits(&ours), theirs);
    assert_eq!(theirs, expected);

    let fp = gl
        .iter()
        .find(|f| f["File"] == "src/c.env")
        .map(|f| f["Fingerprint"].as_str().unwrap().to_string())
        .unwrap();
    write(root, ".gitleaksignore", &format!("{fp}\n"));
    let after = guardrail(root, &["secrets", "--format", "json"]);
    let mut left = expected.clone();
    left.remove(&hit("src/c.env", "Custom_Token", 1));
    assert_eq!(hits(&after), left);
}

/// gitleaks' own default config (embedded in its binary as TOML text) is
/// the largest real-world gitleaks config there is: it must load with only
/// the warning for its one path-only rule.
#[test]
fn real_gitleaks_default_config_loads_when_available() {
    let bin = std::env::var("GITLEAKS_BIN").unwrap_or_else(|_| "/work/peers/gitleaks".into());
    let Ok(data) = std::fs::read(&bin) else {
        eprintln!("skipped: no gitleaks binary at {bin}");
        return;
    };
    let marker = b"title = \"gitleaks config\"";
    let Some(start) = data.windows(marker.len()).position(|w| w == marker) else {
        eprintln!("skipped: no embedded default config in {bin}");
        return;
    };
    let len = data[start..].iter().position(|&b| b == 0).unwrap();
    let text = String::from_utf8_lossy(&data[start..start + len]);
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "gitleaks.toml", &text);
    assert!(text.matches("[[rules]]").count() > 150);
    let run = guardrail(
        dir.path(),
        &[
            "secrets",
            ".",
            "--config",
            "gitleaks.toml",
            "--format",
            "json",
        ],
    );
    let warnings: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("warning:"))
        .collect();
    assert_eq!(warnings.len(), 1, "{}", run.stderr);
    assert!(warnings[0].contains("rule `pkcs12-file`") && warnings[0].contains("path-only"));
    let rules = guardrail(dir.path(), &["rules", "list", "--config", "gitleaks.toml"]);
    assert!(rules.stdout.contains("generic-api-key"), "{}", rules.stderr);
}
