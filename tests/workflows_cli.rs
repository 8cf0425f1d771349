//! `guardrail workflows` end to end: the real binary on workflow files in
//! temp dirs: findings and exit codes, every output format (SARIF checked
//! against the 2.1.0 schema), suppression, bad input, `--fix-pins`.

mod common;

use common::Workspace;
use serde_json::Value;

const SHA: &str = "11bd71901bbe5b1630ceea73d27597364c9af683";

/// A pull_request_target workflow with an injection, a tag pin and a
/// missing permissions block.
const BAD: &str = r#"on: pull_request_target
jobs:
  triage:
    runs-on: ubuntu-latest
    steps:
      - uses: actions/checkout@v4
      - run: echo "${{ github.event.pull_request.title }}"
"#;

fn good() -> String {
    format!(
        "on: push\npermissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n    steps:\n      - uses: actions/checkout@{SHA} # v4.2.2\n        with:\n          persist-credentials: false\n      - run: make test\n"
    )
}

fn rule_ids(v: &Value) -> Vec<String> {
    v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["rule_id"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn findings_exit_1_with_file_line_column_and_a_clean_repo_exits_0() {
    let ws = Workspace::new();
    ws.write(".github/workflows/good.yml", good());
    let run = ws.run(&["workflows"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(run.stdout.contains("0 finding(s)"), "{}", run.stdout);

    ws.write(".github/workflows/bad.yml", BAD);
    let run = ws.run(&["workflows", "--color", "never"]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout
            .contains(".github/workflows/bad.yml:7:20 high expression-injection"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(".github/workflows/bad.yml:6:9 high unpinned-action"),
        "{}",
        run.stdout
    );
    let json = ws.run(&["workflows", "--format", "json"]).json();
    assert_eq!(
        rule_ids(&json),
        [
            "missing-permissions",
            "unpinned-action",
            "expression-injection"
        ]
    );
    assert_eq!(json["stats"]["files_audited"], 2);
    assert_eq!(json["findings"][2]["line"], 7);
    assert_eq!(json["findings"][2]["column"], 20);
    assert_eq!(json["findings"][2]["job"], "triage");

    // --fail-on high: the medium finding alone would not fail.
    let medium_only = BAD
        .replace("@v4", &format!("@{SHA} # v4.2.2"))
        .replace("echo \"${{ github.event.pull_request.title }}\"", "echo hi");
    ws.write(".github/workflows/bad.yml", medium_only);
    assert_eq!(ws.run(&["workflows", "--fail-on", "high"]).code, 0);
    assert_eq!(ws.run(&["workflows"]).code, 1);
    let bad = ws.run(&["workflows", "--fail-on", "severe"]);
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("--fail-on"), "{}", bad.stderr);
}

#[test]
fn action_files_anywhere_in_the_tree_are_audited() {
    let ws = Workspace::new();
    ws.write(
        ".github/actions/setup/action.yml",
        "name: setup\ndescription: d\nruns:\n  using: composite\n  steps:\n    - uses: someone/tool@main\n    - shell: bash\n      run: echo \"${{ github.head_ref }}\"\n",
    );
    // Ignored by .gitignore: not audited.
    ws.write(".gitignore", "vendor/\n");
    ws.write(
        "vendor/x/action.yml",
        "runs:\n  using: composite\n  steps:\n    - uses: a/b@v1\n",
    );
    let json = ws.run(&["workflows", "--format", "json"]).json();
    assert_eq!(
        json["files"],
        serde_json::json!([".github/actions/setup/action.yml"])
    );
    assert_eq!(rule_ids(&json), ["unpinned-action", "expression-injection"]);
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
fn sarif_validates_and_carries_category_rules_positions_and_suppressions() {
    let ws = Workspace::new();
    ws.write(
        ".github/workflows/bad.yml",
        BAD.replace("@v4\n", "@v4 # guardrail:allow unpinned-action\n"),
    );
    let run = ws.run(&["workflows", "--format", "sarif", "--include-suppressed"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let v = run.json();
    let errors = sarif_schema_errors(&v);
    assert!(errors.is_empty(), "{errors:#?}");
    let run0 = &v["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "guardrail/workflows/");
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    assert_eq!(
        ids,
        [
            "expression-injection",
            "missing-permissions",
            "unpinned-action"
        ]
    );
    let inj = &rules[0];
    assert_eq!(inj["properties"]["security-severity"], "8.0");
    assert!(
        inj["help"]["text"].as_str().unwrap().contains("env"),
        "{inj}"
    );
    assert!(inj["helpUri"]
        .as_str()
        .unwrap()
        .starts_with("https://docs.github.com/"));
    let results = run0["results"].as_array().unwrap();
    let r = results
        .iter()
        .find(|r| r["ruleId"] == "expression-injection")
        .unwrap();
    let region = &r["locations"][0]["physicalLocation"]["region"];
    assert_eq!(
        (region["startLine"].as_i64(), region["startColumn"].as_i64()),
        (Some(7), Some(20))
    );
    assert!(r["partialFingerprints"]["guardrailWorkflow/v1"].is_string());
    let pinned = results
        .iter()
        .find(|r| r["ruleId"] == "unpinned-action")
        .unwrap();
    assert_eq!(pinned["suppressions"][0]["kind"], "inSource");
    // Without --include-suppressed the allowed result is left out.
    let v = ws.run(&["workflows", "--format", "sarif"]).json();
    assert_eq!(v["runs"][0]["results"].as_array().unwrap().len(), 2);
}

#[test]
fn config_allow_trusted_actions_and_bad_config() {
    let ws = Workspace::new();
    ws.write(".github/workflows/bad.yml", BAD);
    ws.write(
        "guardrail.toml",
        "[workflows]\nallow = [\"missing-permissions\"]\ntrusted_actions = [\"actions/*\"]\n",
    );
    let json = ws.run(&["workflows", "--format", "json"]).json();
    assert_eq!(rule_ids(&json), ["expression-injection"]);
    assert_eq!(json["stats"]["suppressed"], 1);
    ws.write(
        "guardrail.toml",
        "[workflows]\nallow = [\"no-such-rule\"]\n",
    );
    let run = ws.run(&["workflows"]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr.contains("no-such-rule") && run.stderr.contains("guardrail.toml"),
        "{}",
        run.stderr
    );
    ws.write("guardrail.toml", "[workflows]\nalow = []\n");
    let run = ws.run(&["workflows"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("alow"), "{}", run.stderr);
}

#[test]
fn bad_input_is_one_line_naming_the_file_and_the_audit_goes_on() {
    let ws = Workspace::new();
    ws.write(".github/workflows/bad.yml", BAD);
    ws.write(".github/workflows/broken.yml", "on: [push\njobs:\n  a: {\n");
    // Nine levels of ten aliases: a billion nodes if expanded.
    let mut bomb = String::from("on: push\nx0: &a0 [l, l, l, l, l, l, l, l, l, l]\n");
    for i in 1..10 {
        let p = i - 1;
        bomb.push_str(&format!(
            "x{i}: &a{i} [{}]\n",
            vec![format!("*a{p}"); 10].join(", ")
        ));
    }
    bomb.push_str("jobs: {}\n");
    ws.write(".github/workflows/bomb.yml", bomb);
    // 10 MB of a valid workflow.
    let mut big = good();
    while big.len() < 10 * 1024 * 1024 {
        big.push_str("# padding padding padding padding padding padding padding padding\n");
    }
    ws.write(".github/workflows/big.yml", big);
    ws.write(".github/workflows/binary.yml", [0xff, 0xfe, 0x00, 0x01]);

    let started = std::time::Instant::now();
    let run = ws.run(&["workflows", "--format", "json"]);
    let elapsed = started.elapsed();
    assert_eq!(run.code, 2, "{}", run.stderr);
    // The good file's findings are still reported.
    let json = run.json();
    assert_eq!(rule_ids(&json).len(), 3, "{json}");
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("error: "))
        .collect();
    for (file, what) in [
        ("broken.yml", "invalid YAML at line"),
        ("bomb.yml", "anchor/alias bomb"),
        ("big.yml", "larger than the 1.0 MiB limit"),
        ("binary.yml", "not UTF-8"),
    ] {
        assert!(
            errors
                .iter()
                .any(|l| l.contains(&format!(".github/workflows/{file}: ")) && l.contains(what)),
            "{file}: {}",
            run.stderr
        );
    }
    assert!(
        run.stderr.contains("4 file(s) could not be audited"),
        "{}",
        run.stderr
    );
    // A bounded parse: the bomb and the big file do not take long (loose
    // bound, a shared machine; the point is "not minutes").
    assert!(elapsed.as_secs() < 60, "{elapsed:?}");

    // Raising the limit audits the big file (a 10 MB parse, no error for it).
    let run = ws.run(&[
        "workflows",
        "--max-file-size",
        "20000000",
        "--format",
        "json",
    ]);
    assert!(!run.stderr.contains("big.yml"), "{}", run.stderr);
    assert!(run.json()["files"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f == ".github/workflows/big.yml"));
}

#[test]
fn fix_pins_prints_then_writes_and_the_result_passes_the_pin_rule() {
    let ws = Workspace::new();
    let wf = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4 # v4\n      - uses: actions/cache@v4.2.3\n      - uses: someone/unknown@v2\n";
    ws.write(".github/workflows/ci.yml", wf);
    let run = ws.run(&["workflows", "--fix-pins"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stdout.contains(&format!(
            ".github/workflows/ci.yml:7: actions/checkout@v4 -> actions/checkout@{SHA} # v4.2.2"
        )),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains(".github/workflows/ci.yml:9: someone/unknown@v2: no pin known"),
        "{}",
        run.stdout
    );
    assert_eq!(
        ws.read(".github/workflows/ci.yml"),
        wf,
        "printing changes nothing"
    );

    // A pin file resolves the unknown one.
    ws.write(
        "pins.toml",
        "[[pin]]\naction = \"someone/unknown\"\nversion = \"v2.0.1\"\nsha = \"0123456789abcdef0123456789abcdef01234567\"\n",
    );
    let run = ws.run(&["workflows", "--fix-pins", "--write", "--pins", "pins.toml"]);
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("pinned 3 action(s) in 1 file(s)"),
        "{}",
        run.stdout
    );
    let fixed = ws.read(".github/workflows/ci.yml");
    assert!(
        fixed.contains(&format!("- uses: actions/checkout@{SHA} # v4.2.2\n")),
        "{fixed}"
    );
    assert!(
        fixed.contains(
            "- uses: someone/unknown@0123456789abcdef0123456789abcdef01234567 # v2.0.1\n"
        ),
        "{fixed}"
    );
    let json = ws.run(&["workflows", "--format", "json"]).json();
    assert!(
        !rule_ids(&json).contains(&"unpinned-action".to_string()),
        "{json}"
    );
}
