//! End-to-end tests of `guardrail secrets` on directories: exit codes and
//! the text, JSON and SARIF outputs. Config, suppression and walker cases
//! live in the sibling modules.

#[path = "../common/mod.rs"]
mod common;

mod confidence;
mod config;
mod suppress;
mod walk;

use common::{assert_no_secret, ghp, Workspace};
use serde_json::Value;

/// The summary line ends with the time the scan took; snapshots must not.
fn normalise_time(text: &str) -> String {
    let re = regex::Regex::new(r" in \d+\.\d\ds").unwrap();
    re.replace_all(text, " in [TIME]").into_owned()
}

fn two_leaks() -> (Workspace, String, String) {
    let ws = Workspace::new();
    let (a, b) = (ghp(1), ghp(2));
    ws.write("app/.env", format!("# local settings\nGITHUB_TOKEN={a}\n"));
    ws.write(
        "deploy/ci.yml",
        format!("steps:\n  - run: ./release\n    env:\n      TOKEN: \"{b}\"\n"),
    );
    ws.write("README.md", "nothing to see here\n");
    (ws, a, b)
}

#[test]
fn exit_codes_0_clean_1_findings_2_bad_input() {
    let ws = Workspace::new();
    ws.write("a.txt", "hello\n");
    let clean = ws.run(&["secrets", "."]);
    assert_eq!(clean.code, 0, "{clean:?}");

    ws.write("b.txt", format!("token = {}\n", ghp(3)));
    let dirty = ws.run(&["secrets", "."]);
    assert_eq!(dirty.code, 1, "{dirty:?}");

    let missing = ws.run(&["secrets", "no/such/dir"]);
    assert_eq!(missing.code, 2);
    assert_eq!(missing.stderr.lines().count(), 1, "{}", missing.stderr);
    assert!(missing.stderr.contains("no/such/dir"), "{}", missing.stderr);

    let usage = ws.run(&["secrets", ".", "--format", "yaml"]);
    assert_eq!(usage.code, 2, "{usage:?}");
}

#[test]
fn default_path_is_the_working_directory() {
    let (ws, _, _) = two_leaks();
    let run = ws.run_in(&ws.path("app"), &["secrets", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v = run.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], ".env");
}

#[test]
fn text_output_snapshot() {
    let (ws, a, b) = two_leaks();
    let run = ws.run(&["secrets", ".", "--color", "never"]);
    assert_eq!(run.code, 1);
    assert_no_secret(&run.stdout, &a, "text output");
    assert_no_secret(&run.stdout, &b, "text output");
    insta::assert_snapshot!("text_two_leaks", normalise_time(&run.stdout));
}

#[test]
fn text_output_snapshot_clean() {
    let ws = Workspace::new();
    ws.write("src/main.rs", "fn main() {}\n");
    let run = ws.run(&["secrets", ".", "--color", "never"]);
    assert_eq!(run.code, 0);
    insta::assert_snapshot!("text_clean", normalise_time(&run.stdout));
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let (ws, _, _) = two_leaks();
    // stdout is a pipe here, so `auto` means no colour.
    let auto = ws.run(&["secrets", "."]);
    assert!(!auto.stdout.contains('\x1b'), "{}", auto.stdout);
    let always = ws.run(&["secrets", ".", "--color", "always"]);
    assert!(always.stdout.contains("\x1b["), "{}", always.stdout);
}

#[test]
fn json_contract() {
    let (ws, a, b) = two_leaks();
    let run = ws.run(&["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 1);
    assert_no_secret(&run.stdout, &a, "JSON");
    assert_no_secret(&run.stdout, &b, "JSON");
    let v = run.json();
    assert_eq!(v["version"], 1);
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    let f = &findings[0];
    for key in [
        "rule_id",
        "description",
        "severity",
        "path",
        "line",
        "column",
        "end_line",
        "end_column",
        "secret",
        "fingerprint",
        "entropy",
    ] {
        assert!(f.get(key).is_some(), "finding lacks {key}: {f}");
    }
    assert_eq!(f["rule_id"], "github-pat-classic");
    assert_eq!(f["severity"], "critical");
    assert_eq!(f["path"], "app/.env");
    assert_eq!(
        (f["line"].as_u64(), f["column"].as_u64()),
        (Some(2), Some(14))
    );
    assert_eq!(f["end_line"], 2);
    assert_eq!(
        f["end_column"],
        14 + 40 - 1,
        "inclusive end of a 40-char token"
    );
    assert_eq!(f["secret"], "ghp_*****");
    let fp = f["fingerprint"].as_str().unwrap();
    assert!(
        fp.len() == 32 && fp.bytes().all(|c| c.is_ascii_hexdigit()),
        "{fp}"
    );
    assert!(f["entropy"].as_f64().unwrap() > 3.5);
    let g = &findings[1];
    assert_eq!(g["path"], "deploy/ci.yml");
    assert_eq!(
        (g["line"].as_u64(), g["column"].as_u64()),
        (Some(4), Some(15))
    );

    let s = &v["stats"];
    assert_eq!(s["files_scanned"], 3);
    assert_eq!(s["findings"], 2);
    assert_eq!(s["suppressed"], 0);
    let bytes: u64 = ["app/.env", "deploy/ci.yml", "README.md"]
        .iter()
        .map(|p| ws.read(p).len() as u64)
        .sum();
    assert_eq!(s["bytes_scanned"], bytes);
}

#[test]
fn output_file_instead_of_stdout() {
    let (ws, a, _) = two_leaks();
    for format in ["text", "json", "sarif"] {
        let name = format!("report.{format}");
        let out = ws.home().join(&name);
        let run = ws.run(&[
            "secrets",
            ".",
            "--format",
            format,
            "-o",
            out.to_str().unwrap(),
        ]);
        assert_eq!(run.code, 1, "{run:?}");
        assert!(run.stdout.is_empty(), "{format}: stdout {:?}", run.stdout);
        let written = std::fs::read_to_string(&out).unwrap();
        assert!(written.contains("app/.env"), "{format}: {written}");
        assert_no_secret(&written, &a, &name);
        if format != "text" {
            serde_json::from_str::<Value>(&written).unwrap();
        }
    }
    let bad = ws.run(&["secrets", ".", "-o", "/nonexistent-dir/x.json"]);
    assert_eq!(bad.code, 2);
    assert!(
        bad.stderr.contains("/nonexistent-dir/x.json"),
        "{}",
        bad.stderr
    );
}

fn sarif_schema_errors(v: &Value) -> Vec<String> {
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
        .map(|e| format!("{e} at {}", e.instance_path()))
        .collect()
}

#[test]
fn sarif_is_valid_and_points_at_the_secret() {
    let (ws, a, b) = two_leaks();
    ws.write("dir with space/k.txt", format!("k={}\n", ghp(4)));
    let run = ws.run(&["secrets", ".", "--format", "sarif"]);
    assert_eq!(run.code, 1);
    assert_no_secret(&run.stdout, &a, "SARIF");
    assert_no_secret(&run.stdout, &b, "SARIF");
    let v = run.json();
    let errors = sarif_schema_errors(&v);
    assert!(errors.is_empty(), "{errors:#?}");

    let runs = v["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    assert_eq!(
        runs[0]["automationDetails"]["id"],
        "guardrail/secrets/directory/"
    );
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(rules.len(), 1, "only rules with results");
    assert_eq!(rules[0]["properties"]["security-severity"], "9.5");
    let results = runs[0]["results"].as_array().unwrap();
    assert_eq!(results.len(), 3);
    let loc = &results[0]["locations"][0]["physicalLocation"];
    assert_eq!(loc["artifactLocation"]["uri"], "app/.env");
    assert_eq!(loc["artifactLocation"]["uriBaseId"], "%SRCROOT%");
    let region = &loc["region"];
    assert_eq!(
        [
            &region["startLine"],
            &region["startColumn"],
            &region["endLine"],
            &region["endColumn"]
        ],
        [2, 14, 2, 54]
    );
    let uri = &results[2]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"];
    assert_eq!(uri, "dir%20with%20space/k.txt");
    // The SARIF fingerprint is the one JSON shows (and .guardrailignore takes).
    let json = ws.run(&["secrets", ".", "--format", "json"]).json();
    assert_eq!(
        results[0]["partialFingerprints"]["guardrailFingerprint/v1"],
        json["findings"][0]["fingerprint"]
    );
}

#[test]
fn no_redact_shows_the_secret_everywhere() {
    let (ws, a, b) = two_leaks();
    for format in ["text", "json", "sarif"] {
        let run = ws.run(&["secrets", ".", "--format", format, "--no-redact"]);
        assert_eq!(run.code, 1);
        assert!(
            run.stdout.contains(&a) && run.stdout.contains(&b),
            "{format}: {}",
            run.stdout
        );
    }
    let json = ws
        .run(&["secrets", ".", "--format", "json", "--no-redact"])
        .json();
    assert_eq!(json["findings"][0]["secret"], a.as_str());
}

fn sarif_fingerprints(ws: &Workspace) -> Vec<(String, String)> {
    let v = ws.run(&["secrets", ".", "--format", "sarif"]).json();
    v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap()
                    .to_string(),
                r["partialFingerprints"]["guardrailFingerprint/v1"]
                    .as_str()
                    .unwrap()
                    .to_string(),
            )
        })
        .collect()
}

#[test]
fn partial_fingerprints_survive_inserted_lines_and_tell_secrets_apart() {
    let ws = Workspace::new();
    let (a, b) = (ghp(10), ghp(11));
    ws.write("cfg.ini", format!("[auth]\ntoken={a}\nbackup={b}\n"));
    ws.write("other.ini", format!("token={a}\n"));
    let before = sarif_fingerprints(&ws);
    assert_eq!(before.len(), 3);
    ws.write(
        "cfg.ini",
        format!("; new header\n; more\n\n[auth]\n  token = {a}\nbackup={b}\n"),
    );
    let after = sarif_fingerprints(&ws);
    assert_eq!(before, after, "moving a secret down keeps its fingerprint");
    assert_ne!(
        before[0].1, before[1].1,
        "different secrets, different fingerprints"
    );
    assert_ne!(
        before[0].1, before[2].1,
        "same secret in another file is another result"
    );
}
