//! Inline `guardrail:allow`, `.guardrailignore`, baselines, `--include-suppressed`.

use crate::common::{assert_no_secret, ghp, Workspace};

#[test]
fn inline_allow_suppresses_only_its_line() {
    let ws = Workspace::new();
    let (a, b) = (ghp(20), ghp(21));
    ws.write(
        "settings.py",
        format!("TEST_TOKEN = \"{a}\"  # guardrail:allow test fixture\nREAL = \"{b}\"\n"),
    );
    let run = ws.run(&["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v = run.json();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 2);
    assert_eq!(v["stats"]["suppressed"], 1);

    ws.write(
        "settings.py",
        format!("TEST_TOKEN = \"{a}\"  # guardrail:allow\n"),
    );
    let run = ws.run(&["secrets", "."]);
    assert_eq!(run.code, 0, "{run:?}");
    assert!(run.stdout.contains("(1 suppressed)"), "{}", run.stdout);
}

#[test]
fn include_suppressed_marks_them_in_every_format() {
    let ws = Workspace::new();
    let (a, b) = (ghp(22), ghp(23));
    ws.write("inline.txt", format!("x={a} // guardrail:allow\n"));
    ws.write("ignored.txt", format!("y={b}\n"));
    let fp = ws.run(&["secrets", ".", "--format", "json"]).json()["findings"][0]["fingerprint"]
        .as_str()
        .unwrap()
        .to_string();
    ws.write(
        ".guardrailignore",
        format!("# reviewed: test data\n{fp}  # ignored.txt\n"),
    );

    let text = ws.run(&["secrets", ".", "--include-suppressed", "--color", "never"]);
    assert_eq!(text.code, 0, "suppressed findings do not fail: {text:?}");
    assert!(
        text.stdout.contains("[suppressed: inline]"),
        "{}",
        text.stdout
    );
    assert!(
        text.stdout.contains("[suppressed: ignore-file]"),
        "{}",
        text.stdout
    );

    let json = ws.run(&["secrets", ".", "--format", "json", "--include-suppressed"]);
    assert_eq!(json.code, 0);
    let v = json.json();
    let kinds: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["suppressed"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["ignore-file", "inline"]);

    let sarif = ws.run(&["secrets", ".", "--format", "sarif", "--include-suppressed"]);
    assert_eq!(sarif.code, 0);
    assert_no_secret(&sarif.stdout, &a, "SARIF");
    let v = sarif.json();
    let results = v["runs"][0]["results"].as_array().unwrap();
    let kinds: Vec<&str> = results
        .iter()
        .map(|r| r["suppressions"][0]["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["external", "inSource"]);
    assert!(results
        .iter()
        .all(|r| r["suppressions"][0]["status"] == "accepted"));

    // Without the flag, suppressed findings are simply absent.
    let v = ws.run(&["secrets", ".", "--format", "sarif"]).json();
    assert!(v["runs"][0]["results"].as_array().unwrap().is_empty());
}

#[test]
fn baseline_round_trip_never_stores_the_secret() {
    let ws = Workspace::new();
    let (a, b, c) = (ghp(30), ghp(31), ghp(32));
    ws.write("old.env", format!("A={a}\nB={b}\n"));
    let baseline = ws.home().join("baseline.json");
    let baseline_arg = baseline.to_str().unwrap();

    let write = ws.run(&["secrets", ".", "--write-baseline", baseline_arg]);
    assert_eq!(write.code, 1, "writing a baseline still reports: {write:?}");
    let text = std::fs::read_to_string(&baseline).unwrap();
    assert_no_secret(&text, &a, "baseline");
    assert_no_secret(&text, &b, "baseline");
    assert!(
        !text.contains("ghp_"),
        "not even the redacted prefix: {text}"
    );
    let entries: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_eq!(entries["findings"].as_array().unwrap().len(), 2);

    let again = ws.run(&["secrets", ".", "--baseline", baseline_arg]);
    assert_eq!(again.code, 0, "{again:?}");

    // Lines inserted above and a new secret: only the new one is reported.
    ws.write("old.env", format!("# moved\n\nA={a}\nB={b}\nC={c}\n"));
    let new = ws.run(&[
        "secrets",
        ".",
        "--baseline",
        baseline_arg,
        "--format",
        "json",
    ]);
    assert_eq!(new.code, 1);
    let v = new.json();
    let findings = v["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1);
    assert_eq!(findings[0]["line"], 5);
    assert_eq!(v["stats"]["suppressed"], 2);

    // A renamed file keeps its secrets baselined (matched by secret hash).
    std::fs::rename(ws.path("old.env"), ws.path("new.env")).unwrap();
    let renamed = ws.run(&[
        "secrets",
        ".",
        "--baseline",
        baseline_arg,
        "--format",
        "json",
    ]);
    assert_eq!(renamed.json()["findings"].as_array().unwrap().len(), 1);

    let sarif = ws.run(&[
        "secrets",
        ".",
        "--baseline",
        baseline_arg,
        "--format",
        "sarif",
        "--include-suppressed",
    ]);
    let v = sarif.json();
    let external = v["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["suppressions"][0]["kind"] == "external")
        .count();
    assert_eq!(external, 2);
}

#[test]
fn bad_baseline_is_an_input_error_naming_the_file() {
    let ws = Workspace::new();
    ws.write("a.txt", "nothing\n");
    let bad = ws.home().join("broken-baseline.json");
    std::fs::write(&bad, "{\"version\": 1, \"findings\": [").unwrap();
    let run = ws.run(&["secrets", ".", "--baseline", bad.to_str().unwrap()]);
    assert_eq!(run.code, 2, "{run:?}");
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("broken-baseline.json"),
        "{}",
        run.stderr
    );

    let missing = ws.run(&["secrets", ".", "--baseline", "nope.json"]);
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("nope.json"), "{}", missing.stderr);
}
