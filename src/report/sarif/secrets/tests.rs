use serde_json::Value;

use super::*;
use crate::finding::{CommitInfo, Occurrence};
use crate::report::ScanKind;
use crate::rules::RuleSet;
use crate::source::ScanStats;

fn token(seed: u64) -> String {
    crate::detect::examples::expand("⟪ghp_[A-Za-z0-9]{36}⟫", seed)
        .unwrap()
        .1
        .remove(0)
}

fn guardrail_detector() -> crate::rules::Detector {
    crate::rules::Detector::Rule
}

fn finding(path: &str, line: usize, secret: &str) -> Finding {
    Finding {
        rule_id: "github-pat-classic".into(),
        description: "GitHub personal access token (classic)".into(),
        severity: Severity::Critical,
        confidence: Confidence::High,
        detector: guardrail_detector(),
        key_path: None,
        tags: Vec::new(),
        path: path.into(),
        line,
        column: 14,
        end_line: line,
        end_column: 13 + secret.chars().count(),
        secret: secret.into(),
        fingerprint: Finding::compute_fingerprint("github-pat-classic", path, secret.as_bytes()),
        entropy: 4.876_543,
        commit: None,
        other_occurrences: 0,
        related: Vec::new(),
        suppressed: None,
    }
}

fn history_finding(secret: &str) -> Finding {
    let mut f = finding("config/app env.yml", 3, secret);
    f.commit = Some(CommitInfo {
        commit: "0123456789abcdef0123456789abcdef01234567".into(),
        author: "Ada Lovelace".into(),
        email: "ada@example.org".into(),
        date: "2024-05-01T12:00:00+00:00".into(),
        summary: "add config".into(),
    });
    f.other_occurrences = 7;
    f.related = (0..7)
        .map(|i| Occurrence {
            path: format!("old/{i}.yml"),
            line: i + 1,
            commit: Some(format!("{i:040}")),
        })
        .collect();
    f
}

fn sarif(findings: &[Finding], kind: ScanKind, redact: bool, include_suppressed: bool) -> Value {
    let rules: RuleSet = crate::rules::builtin_rules().unwrap();
    let stats = ScanStats::default();
    secrets_sarif(&SecretsReport {
        findings,
        stats: &stats,
        rules: &rules,
        kind,
        redact,
        include_suppressed,
    })
}

fn schema_errors(v: &Value) -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sarif-schema-2.1.0.json"
    );
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap();
    validator
        .iter_errors(v)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect()
}

#[test]
fn directory_result_has_everything_github_reads() {
    let secret = token(1);
    let v = sarif(
        &[finding("src/.env", 2, &secret)],
        ScanKind::Directory,
        true,
        false,
    );
    assert!(schema_errors(&v).is_empty(), "{:?}", schema_errors(&v));
    assert_eq!(v["version"], "2.1.0");
    let run = &v["runs"][0];
    assert_eq!(
        run["automationDetails"]["id"],
        "guardrail/secrets/directory/"
    );
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "guardrail");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    let rule = &driver["rules"][0];
    assert_eq!(rule["id"], "github-pat-classic");
    assert_eq!(rule["name"], "GithubPatClassic");
    assert_eq!(rule["properties"]["security-severity"], "9.5");
    assert_eq!(rule["properties"]["precision"], "high");
    let tags: Vec<&str> = rule["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap())
        .collect();
    for t in ["github", "security", "secret", "external/cwe/cwe-798"] {
        assert!(tags.contains(&t), "{tags:?}");
    }
    assert!(rule["help"]["markdown"]
        .as_str()
        .unwrap()
        .contains("rotate"));
    assert!(rule["help"]["text"]
        .as_str()
        .unwrap()
        .contains("guardrail:allow"));

    let r = &run["results"][0];
    assert_eq!(r["ruleId"], "github-pat-classic");
    assert_eq!(r["ruleIndex"], 0);
    assert_eq!(r["level"], "error");
    let msg = r["message"]["text"].as_str().unwrap();
    assert!(
        msg.contains("github-pat-classic") && msg.contains(&redact(&secret)),
        "{msg}"
    );
    let loc = &r["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "src/.env");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    assert_eq!(loc["region"]["startLine"], 2);
    assert_eq!(loc["region"]["startColumn"], 14);
    assert_eq!(loc["region"]["endLine"], 2);
    // 40 characters from column 14: inclusive end 53, exclusive 54.
    assert_eq!(loc["region"]["endColumn"], 54);
    let fp = &r["partialFingerprints"][FINGERPRINT_KEY];
    assert_eq!(fp.as_str().unwrap().len(), 32);
    assert_eq!(r["properties"]["entropy"], 4.877);
    assert_eq!(r["properties"]["confidence"], "high");
    assert!(r.get("suppressions").is_none());
    assert!(!v.to_string().contains(&secret));
}

fn redact(s: &str) -> String {
    crate::report::redact::redact(s)
}

#[test]
fn history_result_names_commit_and_limits_related() {
    let secret = token(2);
    let v = sarif(&[history_finding(&secret)], ScanKind::History, true, false);
    assert!(schema_errors(&v).is_empty(), "{:?}", schema_errors(&v));
    let run = &v["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "guardrail/secrets/history/");
    let r = &run["results"][0];
    let msg = r["message"]["text"].as_str().unwrap();
    assert!(
        msg.contains("0123456789ab") && msg.contains("Ada Lovelace"),
        "{msg}"
    );
    assert!(msg.contains("2024-05-01"), "{msg}");
    let p = &r["properties"];
    assert_eq!(p["commit"], "0123456789abcdef0123456789abcdef01234567");
    assert_eq!(p["email"], "ada@example.org");
    assert_eq!(p["commit_summary"], "add config");
    assert_eq!(p["other_occurrences"], 7);
    assert_eq!(r["relatedLocations"].as_array().unwrap().len(), MAX_RELATED);
    assert_eq!(
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "config/app%20env.yml"
    );
    // The fingerprint is the same as a working-tree finding's: no commit in it.
    let plain = finding("config/app env.yml", 3, &secret);
    assert_eq!(r["partialFingerprints"][FINGERPRINT_KEY], plain.fingerprint);
    assert!(!v.to_string().contains(&secret));
}

#[test]
fn suppressed_findings_only_when_asked_with_their_kind() {
    let mut a = finding("a.txt", 1, &token(3));
    a.suppressed = Some(SuppressionKind::Inline);
    let mut b = finding("b.txt", 1, &token(4));
    b.suppressed = Some(SuppressionKind::Baseline);
    let mut c = finding("c.txt", 1, &token(5));
    c.suppressed = Some(SuppressionKind::IgnoreFile);
    let all = [a, b, c];

    let hidden = sarif(&all, ScanKind::Directory, true, false);
    assert_eq!(hidden["runs"][0]["results"].as_array().unwrap().len(), 0);
    assert_eq!(
        hidden["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
    assert!(
        schema_errors(&hidden).is_empty(),
        "{:?}",
        schema_errors(&hidden)
    );

    let shown = sarif(&all, ScanKind::Directory, true, true);
    assert!(
        schema_errors(&shown).is_empty(),
        "{:?}",
        schema_errors(&shown)
    );
    let results = shown["runs"][0]["results"].as_array().unwrap();
    let kinds: Vec<&str> = results
        .iter()
        .map(|r| r["suppressions"][0]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["inSource", "external", "external"]);
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["status"] == "accepted"));
    // One rule descriptor shared by the three results.
    assert_eq!(
        shown["runs"][0]["tool"]["driver"]["rules"]
            .as_array()
            .unwrap()
            .len(),
        1
    );
}

#[test]
fn raw_secret_only_without_redaction() {
    let secret = token(6);
    let f = [history_finding(&secret)];
    let redacted = sarif(&f, ScanKind::History, true, false).to_string();
    assert!(!redacted.contains(&secret));
    assert!(
        !redacted.contains(&secret[8..]),
        "no long tail of the secret either"
    );
    let raw = sarif(&f, ScanKind::History, false, false);
    assert!(raw.to_string().contains(&secret));
    assert_eq!(raw["runs"][0]["results"][0]["properties"]["secret"], secret);
}

#[test]
fn unknown_rule_falls_back_to_the_finding() {
    let mut f = finding("x.cfg", 9, &token(7));
    f.rule_id = "my-own-rule".into();
    f.severity = Severity::Medium;
    f.confidence = Confidence::Low;
    let v = sarif(&[f], ScanKind::Staged, true, false);
    assert!(schema_errors(&v).is_empty(), "{:?}", schema_errors(&v));
    let rule = &v["runs"][0]["tool"]["driver"]["rules"][0];
    assert_eq!(rule["id"], "my-own-rule");
    assert_eq!(rule["properties"]["security-severity"], "5.5");
    assert_eq!(rule["properties"]["precision"], "low");
    assert_eq!(v["runs"][0]["results"][0]["level"], "warning");
}

#[test]
fn the_schema_check_can_fail() {
    let mut v = sarif(
        &[finding("a.txt", 1, &token(8))],
        ScanKind::Directory,
        true,
        false,
    );
    v["runs"][0]["results"][0]["level"] = Value::String("fatal".into());
    v["runs"][0]["tool"]["driver"]["informationUri"] = Value::String("not a uri".into());
    v["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"] =
        serde_json::json!(0);
    let errors = schema_errors(&v);
    assert_eq!(errors.len(), 3, "{errors:?}");
}
