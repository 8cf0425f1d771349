//! Lints every GitHub workflow and action YAML in the repository:
//! `.github/workflows/*.yml`, `examples/workflows/*.yml` and `action.yml`.
//!
//! Rules: the file parses; every third-party `uses:` is pinned to a 40-hex
//! commit and carries a `# vX.Y.Z` comment; every workflow declares
//! `permissions` (top level, or on every job); a `pull_request_target`
//! workflow never checks out the PR's head; no `${{ github.event.* }}` (or
//! `github.head_ref`) expression is pasted into a `run:` script, where it
//! would be shell text an attacker can write.
//!
//! The checker is hand-written here (a few dozen lines over serde_yaml_ng's
//! `Value`): actionlint and zizmor are not Rust crates, and the rules we need
//! are few. The `checker_*` tests at the bottom prove each rule can trip.

use std::path::{Path, PathBuf};

use regex::Regex;
use serde_yaml_ng::{Mapping, Value};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    Parse,
    Unpinned,
    VersionComment,
    LocalActionMissing,
    Permissions,
    PrTargetCheckout,
    EventInRun,
}

#[derive(Debug)]
struct Problem {
    rule: Rule,
    message: String,
}

fn problem(rule: Rule, message: impl Into<String>) -> Problem {
    Problem {
        rule,
        message: message.into(),
    }
}

fn get<'a>(v: &'a Value, key: &str) -> Option<&'a Value> {
    v.as_mapping().and_then(|m| m.get(key))
}

/// Every string under a mapping key `key`, anywhere in the document, with a
/// dotted location for messages.
fn collect<'a>(v: &'a Value, key: &str, at: &str, out: &mut Vec<(String, &'a str)>) {
    match v {
        Value::Mapping(m) => {
            for (k, child) in m {
                let name = k
                    .as_str()
                    .map(str::to_owned)
                    .unwrap_or_else(|| format!("{k:?}"));
                let here = if at.is_empty() {
                    name.clone()
                } else {
                    format!("{at}.{name}")
                };
                if name == key {
                    if let Some(s) = child.as_str() {
                        out.push((here.clone(), s));
                    }
                }
                collect(child, key, &here, out);
            }
        }
        Value::Sequence(items) => {
            for (i, child) in items.iter().enumerate() {
                collect(child, key, &format!("{at}[{i}]"), out);
            }
        }
        Value::Tagged(t) => collect(&t.value, key, at, out),
        _ => {}
    }
}

/// The `on:` triggers. YAML 1.1 readers turn the bare key `on` into `true`,
/// so accept both spellings.
fn triggers(doc: &Value) -> Vec<String> {
    let Some(m) = doc.as_mapping() else {
        return Vec::new();
    };
    let on = m.get("on").or_else(|| m.get(Value::Bool(true)));
    match on {
        Some(Value::String(s)) => vec![s.clone()],
        Some(Value::Sequence(items)) => items
            .iter()
            .filter_map(|v| v.as_str().map(str::to_owned))
            .collect(),
        Some(Value::Mapping(map)) => map
            .keys()
            .filter_map(|k| k.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    }
}

fn steps(job: &Value) -> impl Iterator<Item = &Value> {
    get(job, "steps")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
}

/// Checks one file's text. `root` (the repository) lets local `uses: ./dir`
/// be resolved; the self-tests pass `None`.
fn lint(name: &str, text: &str, root: Option<&Path>) -> Vec<Problem> {
    let mut found = Vec::new();
    let doc: Value = match serde_yaml_ng::from_str(text) {
        Ok(v) => v,
        Err(e) => return vec![problem(Rule::Parse, format!("{name}: {e}"))],
    };
    let Some(top) = doc.as_mapping() else {
        return vec![problem(Rule::Parse, format!("{name}: not a YAML mapping"))];
    };
    let jobs = top.get("jobs").and_then(Value::as_mapping);
    let is_action = top.contains_key("runs");
    if jobs.is_none() && !is_action {
        found.push(problem(
            Rule::Parse,
            format!("{name}: neither a workflow (`jobs:`) nor an action (`runs:`)"),
        ));
    }

    let pinned = Regex::new(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_./-]+@[0-9a-f]{40}$").unwrap();
    let mut uses = Vec::new();
    collect(&doc, "uses", "", &mut uses);
    for (at, target) in &uses {
        if let Some(local) = target.strip_prefix("./") {
            if let Some(root) = root {
                let dir = root.join(local);
                let ok = dir.is_file()
                    || dir.join("action.yml").is_file()
                    || dir.join("action.yaml").is_file();
                if !ok {
                    found.push(problem(
                        Rule::LocalActionMissing,
                        format!("{name}: {at}: local action {target} does not exist"),
                    ));
                }
            }
            continue;
        }
        if target.starts_with("docker://") {
            continue;
        }
        if !pinned.is_match(target) {
            found.push(problem(
                Rule::Unpinned,
                format!("{name}: {at}: `{target}` is not pinned to a full 40-hex commit SHA"),
            ));
            continue;
        }
        // The comment is not in the parsed YAML: find the line in the text.
        let comment = Regex::new(&format!(
            r"(?m)^\s*(-\s+)?uses:\s*{}\s+#\s*v\d+(\.\d+){{0,2}}\b",
            regex::escape(target)
        ))
        .unwrap();
        let lines = text.lines().filter(|l| l.contains(*target)).count();
        if comment.find_iter(text).count() != lines {
            found.push(problem(
                Rule::VersionComment,
                format!("{name}: {at}: `{target}` needs a `# vX.Y.Z` comment on its line"),
            ));
        }
    }

    if let Some(jobs) = jobs {
        lint_workflow(name, top, jobs, &doc, &mut found);
    }

    let event = Regex::new(r"\$\{\{[^}]*\bgithub\s*\.\s*(event\b|head_ref\b)").unwrap();
    let mut runs = Vec::new();
    collect(&doc, "run", "", &mut runs);
    for (at, script) in runs {
        if let Some(m) = event.find(script) {
            found.push(problem(
                Rule::EventInRun,
                format!(
                    "{name}: {at}: `{}` is interpolated into a run: script; pass it through env: instead",
                    m.as_str()
                ),
            ));
        }
    }
    found
}

fn lint_workflow(name: &str, top: &Mapping, jobs: &Mapping, doc: &Value, found: &mut Vec<Problem>) {
    if !top.contains_key("permissions") {
        for (job_name, job) in jobs {
            if get(job, "permissions").is_none() {
                found.push(problem(
                    Rule::Permissions,
                    format!(
                        "{name}: job {} has no `permissions:` and the workflow sets none at the top level",
                        job_name.as_str().unwrap_or("?")
                    ),
                ));
            }
        }
    }

    if triggers(doc).iter().any(|t| t == "pull_request_target") {
        // The head of a PR is attacker-controlled code; with the base
        // repository's secrets and write token in reach it must not be run,
        // so it must not be checked out.
        let head = Regex::new(
            r"github\.event\.pull_request\.head|github\.head_ref|refs/pull/|github\.event\.number",
        )
        .unwrap();
        for (job_name, job) in jobs {
            for step in steps(job) {
                let uses = get(step, "uses").and_then(Value::as_str).unwrap_or("");
                let with_ref = get(step, "with")
                    .and_then(|w| get(w, "ref").or_else(|| get(w, "repository")))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let run = get(step, "run").and_then(Value::as_str).unwrap_or("");
                let checkout_head =
                    uses.starts_with("actions/checkout@") && head.is_match(with_ref);
                let shell_head = run.contains("gh pr checkout")
                    || (run.contains("git fetch") && run.contains("pull/"));
                if checkout_head || shell_head {
                    found.push(problem(
                        Rule::PrTargetCheckout,
                        format!(
                            "{name}: job {}: a pull_request_target workflow checks out the PR head",
                            job_name.as_str().unwrap_or("?")
                        ),
                    ));
                }
            }
        }
    }
}

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn yaml_files(dir: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml")))
        .collect();
    files.sort();
    files
}

fn repository_files() -> Vec<PathBuf> {
    let root = repo_root();
    let mut files = yaml_files(&root.join(".github/workflows"));
    files.extend(yaml_files(&root.join("examples/workflows")));
    files.push(root.join("action.yml"));
    files
}

#[test]
fn every_workflow_and_action_in_the_repository_passes() {
    let root = repo_root();
    let files = repository_files();
    let names: Vec<String> = files
        .iter()
        .map(|p| p.strip_prefix(&root).unwrap().display().to_string())
        .collect();
    // Guard against a vacuous pass: the files this lint exists for are there.
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
            names.iter().any(|n| n == expected),
            "{expected} not found among {names:?}"
        );
    }
    let mut problems = Vec::new();
    for (path, name) in files.iter().zip(&names) {
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{name}: {e}"));
        problems.extend(lint(name, &text, Some(&root)));
    }
    let report: Vec<String> = problems
        .iter()
        .map(|p| format!("{:?}: {}", p.rule, p.message))
        .collect();
    assert!(report.is_empty(), "workflow lint:\n{}", report.join("\n"));
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

// ---- the checker can fail: each rule trips on a small bad file ----

const SHA: &str = "11bd71901bbe5b1630ceea73d27597364c9af683";

fn rules_of(text: &str) -> Vec<Rule> {
    lint("bad.yml", text, None)
        .into_iter()
        .map(|p| p.rule)
        .collect()
}

fn good_workflow() -> String {
    format!(
        "on: push\npermissions: {{}}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@{SHA} # v4.2.2\n      - run: echo \"$TITLE\"\n        env:\n          TITLE: ${{{{ github.event.pull_request.title }}}}\n"
    )
}

#[test]
fn checker_accepts_a_good_workflow() {
    assert_eq!(rules_of(&good_workflow()), vec![]);
}

#[test]
fn checker_rejects_yaml_that_does_not_parse() {
    assert_eq!(rules_of("on: [push\njobs: {"), vec![Rule::Parse]);
    assert_eq!(rules_of("- just\n- a list\n"), vec![Rule::Parse]);
    assert_eq!(rules_of("name: neither\n"), vec![Rule::Parse]);
}

#[test]
fn checker_rejects_tags_branches_and_short_shas() {
    for bad in [
        "actions/checkout@v4 # v4",
        "actions/checkout@main",
        "actions/checkout@11bd719 # v4.2.2",
        "actions/checkout",
        "octo/reusable/.github/workflows/x.yml@v1",
    ] {
        let text = good_workflow().replace(&format!("actions/checkout@{SHA} # v4.2.2"), bad);
        assert_eq!(rules_of(&text), vec![Rule::Unpinned], "{bad}");
    }
    // Local actions and docker images are not third-party action refs.
    let local = good_workflow().replace(&format!("actions/checkout@{SHA} # v4.2.2"), "./");
    assert_eq!(rules_of(&local), vec![]);
}

#[test]
fn checker_wants_a_version_comment_on_a_pin() {
    let text = good_workflow().replace(" # v4.2.2", "");
    assert_eq!(rules_of(&text), vec![Rule::VersionComment]);
    // Also inside a composite action's steps.
    let action =
        format!("name: x\nruns:\n  using: composite\n  steps:\n    - uses: actions/cache@{SHA}\n");
    assert_eq!(rules_of(&action), vec![Rule::VersionComment]);
}

#[test]
fn checker_wants_permissions_on_the_workflow_or_every_job() {
    let none = good_workflow().replace("permissions: {}\n", "");
    assert_eq!(rules_of(&none), vec![Rule::Permissions]);
    let per_job = none.replace(
        "    runs-on: ubuntu-latest\n",
        "    runs-on: ubuntu-latest\n    permissions:\n      contents: read\n",
    );
    assert_eq!(rules_of(&per_job), vec![]);
    let second_job_bare =
        format!("{per_job}  b:\n    runs-on: ubuntu-latest\n    steps:\n      - run: true\n");
    assert_eq!(rules_of(&second_job_bare), vec![Rule::Permissions]);
}

#[test]
fn checker_rejects_pull_request_target_checking_out_the_head() {
    let target = good_workflow().replace(
        "on: push",
        "on:\n  pull_request_target:\n    types: [opened]",
    );
    assert_eq!(rules_of(&target), vec![], "checking out the base is fine");
    for with in [
        "ref: ${{ github.event.pull_request.head.sha }}",
        "ref: ${{ github.head_ref }}",
        "ref: refs/pull/${{ github.event.number }}/merge",
    ] {
        let text = target.replace(
            " # v4.2.2\n",
            &format!(" # v4.2.2\n        with:\n          {with}\n"),
        );
        assert_eq!(rules_of(&text), vec![Rule::PrTargetCheckout], "{with}");
    }
    let gh = target.replace("- run: echo \"$TITLE\"", "- run: gh pr checkout \"$PR\"");
    assert_eq!(rules_of(&gh), vec![Rule::PrTargetCheckout]);
    // The same checkout on plain pull_request is not this rule's business.
    let plain = good_workflow().replace(
        " # v4.2.2\n",
        " # v4.2.2\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n",
    );
    assert_eq!(rules_of(&plain), vec![]);
}

#[test]
fn checker_rejects_event_expressions_in_run_scripts() {
    for expr in [
        "${{ github.event.pull_request.title }}",
        "${{github.event.issue.body}}",
        "${{ toJSON(github.event) }}",
        "${{ github.head_ref }}",
    ] {
        let text = good_workflow().replace("echo \"$TITLE\"", &format!("echo \"{expr}\""));
        assert_eq!(rules_of(&text), vec![Rule::EventInRun], "{expr}");
    }
    // Block scalars and composite action steps are scripts too.
    let action = "name: x\nruns:\n  using: composite\n  steps:\n    - shell: bash\n      run: |\n        echo ok\n        git diff ${{ github.event.pull_request.base.sha }}\n";
    assert_eq!(rules_of(action), vec![Rule::EventInRun]);
    // Other contexts in run: are not flagged by this rule.
    let ok = good_workflow().replace("echo \"$TITLE\"", "echo \"${{ github.sha }}\"");
    assert_eq!(rules_of(&ok), vec![]);
}
