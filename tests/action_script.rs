//! The GitHub Action's shell logic (`scripts/action/run.sh`, `install.sh`),
//! run with the environment a workflow step would have, on real git
//! repositories in temp dirs, with the real binary (`GUARDRAIL_BIN`).
//! Needs `bash` and `jq`, which every GitHub-hosted runner has.

mod git_support;

use std::path::{Path, PathBuf};
use std::process::Command;

use git_support::{git_in, token, Repo};
use tempfile::TempDir;

fn script(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("scripts/action")
        .join(name)
}

struct Step {
    code: i32,
    stdout: String,
    stderr: String,
    output: String,
    summary: String,
    /// RUNNER_TEMP, where the reports are: kept until the test is done.
    _runner: TempDir,
}

impl Step {
    /// A `key=value` line the script wrote to $GITHUB_OUTPUT.
    fn out(&self, key: &str) -> Option<String> {
        self.output
            .lines()
            .find_map(|l| l.strip_prefix(&format!("{key}=")).map(str::to_owned))
    }
}

/// Runs `scripts/action/<name>` in `workspace` the way the action's step
/// does: inputs as GUARDRAIL_* variables, GitHub's files in a runner temp dir.
fn step(name: &str, workspace: &Path, env: &[(&str, &str)]) -> Step {
    assert!(
        Command::new("jq").arg("--version").output().is_ok(),
        "these tests need jq on PATH (GitHub-hosted runners have it)"
    );
    let runner = TempDir::new().unwrap();
    let output = runner.path().join("github_output");
    let summary = runner.path().join("step_summary");
    let mut cmd = Command::new("bash");
    cmd.arg(script(name))
        .current_dir(workspace)
        .env("GUARDRAIL_BIN", env!("CARGO_BIN_EXE_guardrail"))
        .env("GITHUB_WORKSPACE", workspace)
        .env("GITHUB_OUTPUT", &output)
        .env("GITHUB_STEP_SUMMARY", &summary)
        .env("RUNNER_TEMP", runner.path())
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env("GIT_CONFIG_NOSYSTEM", "1");
    for var in [
        "GUARDRAIL_BASE",
        "GUARDRAIL_HEAD",
        "GUARDRAIL_ARGS",
        "GITHUB_EVENT_PATH",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("bash runs");
    let step = Step {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
        output: std::fs::read_to_string(&output).unwrap_or_default(),
        summary: std::fs::read_to_string(&summary).unwrap_or_default(),
        _runner: runner,
    };
    step
}

fn event_file(dir: &Path, json: serde_json::Value) -> PathBuf {
    let p = dir.join("event.json");
    std::fs::write(&p, serde_json::to_vec(&json).unwrap()).unwrap();
    p
}

fn pr_event(base: &str, head: &str) -> serde_json::Value {
    serde_json::json!({
        "action": "synchronize",
        "number": 7,
        "pull_request": {"base": {"sha": base, "ref": "main"}, "head": {"sha": head, "ref": "feature"}}
    })
}

/// main has an old secret; the PR branch adds a new one in its second commit.
struct PrRepo {
    repo: Repo,
    base: String,
    head: String,
    new_secret: String,
}

fn pr_repo() -> PrRepo {
    let repo = Repo::new();
    repo.write("README.md", "demo\n");
    repo.write("old.env", format!("GITHUB_TOKEN={}\n", token(1)));
    let base = repo.commit("base with a pre-existing secret");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("src/lib.rs", "pub fn f() {}\n");
    repo.commit("harmless change");
    let new_secret = token(2);
    repo.write(
        "config/new.env",
        format!("# deploy\nGITHUB_TOKEN={new_secret}\n"),
    );
    let head = repo.commit("add deploy config");
    PrRepo {
        repo,
        base,
        head,
        new_secret,
    }
}

#[test]
fn secrets_pr_finds_the_secret_added_in_the_range_and_outputs_the_sarif_path() {
    let pr = pr_repo();
    let events = TempDir::new().unwrap();
    let event = event_file(events.path(), pr_event(&pr.base, &pr.head));
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ],
    );
    assert_eq!(
        s.code, 1,
        "findings fail the step\n{}\n{}",
        s.stdout, s.stderr
    );

    let sarif_path = s.out("sarif-file").expect("sarif-file in GITHUB_OUTPUT");
    assert!(Path::new(&sarif_path).is_absolute(), "{sarif_path}");
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif_path).unwrap()).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    // Only the PR's addition; the secret already on main is not this PR's.
    assert_eq!(uris, ["config/new.env"], "{sarif}");
    assert_eq!(results[0]["ruleId"], "github-pat-classic");
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startLine"],
        2
    );
    assert_eq!(results[0]["properties"]["commit"], pr.head.as_str());

    assert_eq!(s.out("findings").as_deref(), Some("1"));
    assert_eq!(s.out("exit-code").as_deref(), Some("1"));
    assert_eq!(
        s.out("sarif-category").as_deref(),
        Some("guardrail/secrets/range/")
    );
    assert!(s.summary.contains("`github-pat-classic`"), "{}", s.summary);
    assert!(s.summary.contains("`config/new.env:2`"), "{}", s.summary);
    assert!(s.summary.contains(&pr.head[..12]), "{}", s.summary);
    assert!(!s.summary.contains("old.env"), "{}", s.summary);
    // Redacted everywhere: the summary is public on the run page.
    assert!(!s.summary.contains(&pr.new_secret));
    assert!(!std::fs::read_to_string(&sarif_path)
        .unwrap()
        .contains(&pr.new_secret));
}

#[test]
fn secrets_pr_base_and_head_from_env_with_fail_on_none_and_a_category() {
    let pr = pr_repo();
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GUARDRAIL_BASE", &pr.base),
            ("GUARDRAIL_HEAD", &pr.head),
            ("GUARDRAIL_FAIL_ON", "none"),
            ("GUARDRAIL_SARIF_CATEGORY", "guardrail-pr"),
        ],
    );
    assert_eq!(
        s.code, 0,
        "fail-on none reports without failing\n{}",
        s.stderr
    );
    assert_eq!(s.out("findings").as_deref(), Some("1"));
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.out("sarif-file").unwrap()).unwrap())
            .unwrap();
    assert_eq!(sarif["runs"][0]["automationDetails"]["id"], "guardrail-pr");
    assert_eq!(s.out("sarif-category").as_deref(), Some("guardrail-pr"));
}

#[test]
fn secrets_pr_fail_on_applies_the_severity_threshold() {
    let pr = pr_repo();
    let env = |level| {
        step(
            "run.sh",
            pr.repo.path(),
            &[
                ("GUARDRAIL_COMMAND", "secrets-pr"),
                ("GUARDRAIL_BASE", &pr.base),
                ("GUARDRAIL_HEAD", &pr.head),
                ("GUARDRAIL_FAIL_ON", level),
            ],
        )
    };
    // github-pat-classic is critical: at or above every threshold.
    assert_eq!(env("critical").code, 1);
    assert_eq!(env("low").code, 1);
    let bad = env("severe");
    assert_eq!(bad.code, 2);
    assert!(bad.stderr.contains("fail-on 'severe'"), "{}", bad.stderr);
}

#[test]
fn args_reach_guardrail_with_quotes_honoured() {
    let pr = pr_repo();
    // Only a rule that does not match these files: the PR comes out clean.
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GUARDRAIL_BASE", &pr.base),
            ("GUARDRAIL_HEAD", &pr.head),
            ("GUARDRAIL_ARGS", "--rule 'aws-access-key-id'"),
        ],
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(s.out("findings").as_deref(), Some("0"));
    assert!(s.summary.contains("No secrets found"), "{}", s.summary);
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GUARDRAIL_BASE", &pr.base),
            ("GUARDRAIL_HEAD", &pr.head),
            ("GUARDRAIL_ARGS", "--rule 'aws-access-key-id"),
        ],
    );
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("unbalanced quotes"), "{}", s.stderr);
}

#[test]
fn a_shallow_clone_without_the_base_explains_fetch_depth_and_exits_2() {
    let pr = pr_repo();
    let clones = TempDir::new().unwrap();
    let url = format!("file://{}", pr.repo.path().display());
    git_in(
        clones.path(),
        &[
            "clone", "-q", "--depth", "1", "--branch", "feature", &url, "shallow",
        ],
    );
    let shallow = clones.path().join("shallow");
    let event = event_file(clones.path(), pr_event(&pr.base, &pr.head));
    let s = step(
        "run.sh",
        &shallow,
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ],
    );
    assert_eq!(s.code, 2, "{}\n{}", s.stdout, s.stderr);
    assert!(s.stderr.contains("fetch-depth: 0"), "{}", s.stderr);
    assert!(
        s.stderr.contains(&format!("base {}", pr.base)),
        "{}",
        s.stderr
    );
    assert!(s.stderr.contains("shallow clone: true"), "{}", s.stderr);
    // An annotation for the run page and the same text in the summary.
    assert!(s.stdout.starts_with("::error "), "{}", s.stdout);
    assert!(s.summary.contains("fetch-depth: 0"), "{}", s.summary);
    assert_eq!(s.out("sarif-file"), None);
}

#[test]
fn no_pull_request_in_the_event_is_an_input_error() {
    let pr = pr_repo();
    let events = TempDir::new().unwrap();
    let event = event_file(
        events.path(),
        serde_json::json!({"schedule": "17 3 * * 1-5"}),
    );
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ],
    );
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("base and head"), "{}", s.stderr);
    // A SHA that is not one is refused before it reaches git.
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GUARDRAIL_BASE", "main; echo pwned"),
            ("GUARDRAIL_HEAD", &pr.head),
        ],
    );
    assert_eq!(s.code, 2);
    assert!(s.stderr.contains("is not a commit id"), "{}", s.stderr);
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[("GUARDRAIL_COMMAND", "secrets-everything")],
    );
    assert_eq!(s.code, 2);
    assert!(
        s.stderr.contains("unknown command 'secrets-everything'"),
        "{}",
        s.stderr
    );
}

#[test]
fn a_push_event_scans_before_to_after() {
    let pr = pr_repo();
    let events = TempDir::new().unwrap();
    let event = event_file(
        events.path(),
        serde_json::json!({"before": pr.base, "after": pr.head, "ref": "refs/heads/feature"}),
    );
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "secrets-pr"),
            ("GITHUB_EVENT_PATH", event.to_str().unwrap()),
        ],
    );
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert_eq!(s.out("findings").as_deref(), Some("1"));
}

#[test]
fn secrets_history_reports_every_secret_in_history() {
    let pr = pr_repo();
    let s = step(
        "run.sh",
        pr.repo.path(),
        &[("GUARDRAIL_COMMAND", "secrets-history")],
    );
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert_eq!(s.out("findings").as_deref(), Some("2"));
    assert!(s.summary.contains("old.env:1"), "{}", s.summary);
    assert!(s.summary.contains("config/new.env:2"), "{}", s.summary);
}

#[test]
fn sbom_writes_one_cyclonedx_file_per_lockfile() {
    let repo = Repo::new();
    let fixtures =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles/handmade");
    for (dir, file) in [("yarn-v1", "yarn.lock"), ("pipenv", "Pipfile.lock")] {
        let src = std::fs::read_dir(fixtures.join(dir))
            .unwrap()
            .filter_map(|e| e.ok().map(|e| e.path()))
            .find(|p| p.file_name().unwrap() == file)
            .unwrap_or_else(|| panic!("fixture {dir}/{file}"));
        repo.write(&format!("{dir}/{file}"), std::fs::read(src).unwrap());
    }
    repo.commit("lockfiles");
    let s = step("run.sh", repo.path(), &[("GUARDRAIL_COMMAND", "sbom")]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    let dir = PathBuf::from(s.out("sbom").expect("sbom output"));
    let mut boms: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    boms.sort();
    assert_eq!(boms.len(), 2, "{boms:?}");
    for name in &boms {
        let bom: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(dir.join(name)).unwrap()).unwrap();
        assert_eq!(bom["bomFormat"], "CycloneDX");
        let n = bom["components"].as_array().unwrap().len();
        assert!(n > 0, "{name}");
        assert!(s.summary.contains(&format!("| {n} |")), "{}", s.summary);
    }
    assert_eq!(s.out("sarif-file"), None);
}

#[test]
fn install_passes_a_given_binary_through_and_refuses_odd_versions() {
    let dir = TempDir::new().unwrap();
    let s = step("install.sh", dir.path(), &[]);
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(
        s.out("bin").as_deref(),
        Some(env!("CARGO_BIN_EXE_guardrail"))
    );
    // A version goes into a download URL: only tag-shaped text is accepted,
    // and this fails before any network access.
    let s = step(
        "install.sh",
        dir.path(),
        &[
            ("GUARDRAIL_BIN", ""),
            ("GUARDRAIL_VERSION", "v1.0.0/../../evil"),
        ],
    );
    assert_eq!(s.code, 2, "{}", s.stderr);
    assert!(s.stderr.contains("is not a release tag"), "{}", s.stderr);
    assert_eq!(s.out("bin"), None);
}

#[test]
fn fail_on_above_a_findings_severity_reports_without_failing() {
    let repo = Repo::new();
    repo.write("README.md", "demo\n");
    let base = repo.commit("base");
    // gitlab-feed-token is a medium-severity rule.
    let (line, values) =
        guardrail::detect::examples::expand("FEED_TOKEN=⟪glft-[A-Za-z0-9]{24}⟫\n", 11).unwrap();
    repo.write("feeds.env", &line);
    let head = repo.commit("feed token");
    let run = |level| {
        step(
            "run.sh",
            repo.path(),
            &[
                ("GUARDRAIL_COMMAND", "secrets-pr"),
                ("GUARDRAIL_BASE", &base),
                ("GUARDRAIL_HEAD", &head),
                ("GUARDRAIL_FAIL_ON", level),
            ],
        )
    };
    let high = run("high");
    assert_eq!(high.code, 0, "{}", high.stderr);
    assert_eq!(high.out("findings").as_deref(), Some("1"));
    assert!(
        high.summary.contains("gitlab-feed-token"),
        "{}",
        high.summary
    );
    assert!(
        !high.summary.contains("this step fails"),
        "{}",
        high.summary
    );
    assert!(!high.summary.contains(&values[0]));
    let medium = run("medium");
    assert_eq!(medium.code, 1, "{}", medium.stderr);
    assert!(
        medium.summary.contains("this step fails"),
        "{}",
        medium.summary
    );
}

/// Needs `guardrail deps review` and the advisory fixtures
/// (`tests/fixtures/advisories`, real RustSec/GHSA data) from the advisories
/// branch; run by hand against that build it passed (41 introduced, exit 1).
#[test]
fn deps_review_reads_lockfiles_at_base_and_head_and_writes_sarif_and_summary() {
    let fx = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/advisories");
    let repo = Repo::new();
    repo.write(
        "Cargo.lock",
        std::fs::read(fx.join("lockfiles/rustsec-8bba3a0f.Cargo.lock")).unwrap(),
    );
    let base = repo.commit("base lockfile");
    repo.write(
        "Cargo.lock",
        std::fs::read(fx.join("lockfiles/rustsec-f79ca2bb.Cargo.lock")).unwrap(),
    );
    let head = repo.commit("upgrade");
    // The advisory index goes here, not next to the fixtures.
    let index = TempDir::new().unwrap();
    let run = |fail_on| {
        step(
            "run.sh",
            repo.path(),
            &[
                ("GUARDRAIL_COMMAND", "deps-review"),
                ("GUARDRAIL_BASE", &base),
                ("GUARDRAIL_HEAD", &head),
                ("GUARDRAIL_DB", fx.to_str().unwrap()),
                ("GUARDRAIL_INDEX_DIR", index.path().to_str().unwrap()),
                ("GUARDRAIL_DB_UPDATE", "false"),
                ("GUARDRAIL_FAIL_ON", fail_on),
            ],
        )
    };
    let s = run("high");
    assert_eq!(s.code, 1, "{}", s.stderr);
    let sarif: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(s.out("sarif-file").unwrap()).unwrap())
            .unwrap();
    let uris: Vec<&str> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        !uris.is_empty() && uris.iter().all(|u| *u == "Cargo.lock"),
        "{uris:?}"
    );
    assert!(s.summary.contains("Dependency review"), "{}", s.summary);
    assert!(s.summary.contains("introduced"), "{}", s.summary);
    assert_eq!(run("none").code, 0);
}

#[test]
fn workflows_audits_the_repository_and_lists_findings_in_the_summary() {
    let repo = Repo::new();
    repo.write(
        ".github/workflows/ci.yml",
        "on: pull_request\npermissions: {}\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          persist-credentials: false\n",
    );
    let s = step("run.sh", repo.path(), &[("GUARDRAIL_COMMAND", "workflows")]);
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert_eq!(s.out("findings").as_deref(), Some("1"));
    assert_eq!(
        s.out("sarif-category").as_deref(),
        Some("guardrail/workflows/")
    );
    assert!(
        s.summary
            .contains("`.github/workflows/ci.yml:7` | unpinned-action |"),
        "{}",
        s.summary
    );
    // fail-on above the finding's severity (high): reported, not failing.
    let s = step(
        "run.sh",
        repo.path(),
        &[
            ("GUARDRAIL_COMMAND", "workflows"),
            ("GUARDRAIL_FAIL_ON", "critical"),
        ],
    );
    assert_eq!(s.code, 0, "{}", s.stderr);
    assert_eq!(s.out("findings").as_deref(), Some("1"));
}

#[path = "image_support/mod.rs"]
mod image_support;

/// `command: image`: the tarball from `image-tar`, SARIF in the image's
/// category, the markdown table in the job summary, fail-on applied.
#[test]
fn image_scans_the_tarball_and_fills_the_summary() {
    use image_support::{config, docker_save, file, layer};
    let ws = TempDir::new().unwrap();
    let fx = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let l = layer(&[
        file(
            "etc/os-release",
            "ID=debian\nVERSION_ID=\"12\"\nPRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\n",
        ),
        file(
            "var/lib/dpkg/status",
            std::fs::read(fx.join("image/dpkg-status")).unwrap(),
        ),
    ]);
    let cfg = config(std::slice::from_ref(&l), &["ADD rootfs /"], &[]);
    let tarball = ws.path().join("app.tar");
    docker_save(
        &tarball,
        "ghcr.io/acme/app:2.0",
        std::slice::from_ref(&l),
        &cfg,
    );
    let index = TempDir::new().unwrap();
    let run = |fail_on: &str, tar: &str| {
        step(
            "run.sh",
            ws.path(),
            &[
                ("GUARDRAIL_COMMAND", "image"),
                ("GUARDRAIL_IMAGE_TAR", tar),
                ("GUARDRAIL_DB", fx.join("image/osv").to_str().unwrap()),
                ("GUARDRAIL_INDEX_DIR", index.path().to_str().unwrap()),
                ("GUARDRAIL_DB_UPDATE", "false"),
                ("GUARDRAIL_FAIL_ON", fail_on),
            ],
        )
    };
    let s = run("high", tarball.to_str().unwrap());
    assert_eq!(s.code, 1, "{}", s.stderr);
    assert_eq!(
        s.out("sarif-category").as_deref(),
        Some("guardrail/image/ghcr.io/acme/app/")
    );
    assert!(s.out("findings").is_some_and(|n| n != "0"), "{}", s.output);
    assert!(s.summary.contains("Image scan"), "{}", s.summary);
    assert!(s.summary.contains("DEBIAN-CVE-2099-1001"), "{}", s.summary);
    // fail-on critical: the critical advisory still fails the step.
    assert_eq!(run("critical", tarball.to_str().unwrap()).code, 1);
    assert_eq!(run("none", tarball.to_str().unwrap()).code, 0);
    let missing = run("", "");
    assert_eq!(missing.code, 2);
    assert!(missing.stderr.contains("image-tar"), "{}", missing.stderr);
}
