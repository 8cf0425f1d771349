//! `guardrail deps inventory`, `deps diff` and `sbom`, run as the real
//! binary on real lockfiles and real git repositories made in temp dirs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use serde_json::Value;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles")
}

fn guardrail(args: &[&str], cwd: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run guardrail")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn copy(rel: &str, to: &Path) {
    std::fs::create_dir_all(to.parent().unwrap()).unwrap();
    std::fs::copy(fixtures().join(rel), to).unwrap();
}

fn git(dir: &Path, args: &[&str]) {
    let st = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .status()
        .unwrap();
    assert!(st.success(), "git {args:?}");
}

#[test]
fn inventory_of_a_monorepo_goes_on_past_a_bad_lockfile() {
    let t = tempfile::tempdir().unwrap();
    let root = t.path();
    copy(
        "cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock",
        &root.join("Cargo.lock"),
    );
    copy(
        "pypi/pallets-flask/0109e496/uv.lock",
        &root.join("py/uv.lock"),
    );
    copy(
        "npm/actions-checkout/3d3c42e5/package-lock.json",
        &root.join("web/package-lock.json"),
    );
    // Skipped: vendored trees and gitignored paths.
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        &root.join("web/node_modules/x/Cargo.lock"),
    );
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        &root.join("target/Cargo.lock"),
    );
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        &root.join("ignored/Cargo.lock"),
    );
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(root.join("bad")).unwrap();
    std::fs::write(
        root.join("bad/poetry.lock"),
        "[[package]]\nname = \"a\"\nversion = \"1\"\n[[package]\n",
    )
    .unwrap();

    let o = guardrail(&["deps", "inventory", "--format", "json"], root);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    let err = stderr(&o);
    assert!(
        err.contains("error: bad/poetry.lock:4: invalid TOML"),
        "{err}"
    );
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let paths: Vec<&str> = v["lockfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["Cargo.lock", "py/uv.lock", "web/package-lock.json"]);
    assert_eq!(v["lockfiles"][0]["packages"].as_array().unwrap().len(), 63);
    assert_eq!(v["lockfiles"][1]["packages"].as_array().unwrap().len(), 83);
    assert_eq!(v["lockfiles"][2]["packages"].as_array().unwrap().len(), 587);
    assert_eq!(v["errors"].as_array().unwrap().len(), 1);

    std::fs::remove_dir_all(root.join("bad")).unwrap();
    let o = guardrail(
        &["deps", "inventory", "--format", "markdown", "-o", "inv.md"],
        root,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let md = std::fs::read_to_string(root.join("inv.md")).unwrap();
    assert!(md.contains("| Package | Version | Scope | Source | Line |"));
    assert!(md.contains("| @actions/core |"), "scoped npm name kept");
}

#[test]
fn inventory_of_a_missing_path_is_an_input_error() {
    let t = tempfile::tempdir().unwrap();
    let o = guardrail(&["deps", "inventory", "nope"], t.path());
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("nope: no such file or directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn diff_between_two_files_of_real_successive_revisions() {
    let base = fixtures().join("npm/actions-checkout/9c1e94e0/package-lock.json");
    let head = fixtures().join("npm/actions-checkout/3d3c42e5/package-lock.json");
    let o = guardrail(
        &[
            "deps",
            "diff",
            "--base-file",
            base.to_str().unwrap(),
            "--head-file",
            head.to_str().unwrap(),
            "--format",
            "json",
        ],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let d = &v["lockfiles"][0];
    assert_eq!(d["status"], "modified");
    // Independent check: name -> versions on each side, from the raw JSON.
    let versions = |p: &Path| {
        let j: Value = serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap();
        let mut m = std::collections::BTreeMap::<String, std::collections::BTreeSet<String>>::new();
        for (k, e) in j["packages"].as_object().unwrap() {
            let name = match k.rsplit_once("node_modules/") {
                Some((_, n)) => n,
                None => e["name"].as_str().unwrap(),
            };
            if let Some(ver) = e["version"].as_str() {
                m.entry(name.to_string())
                    .or_default()
                    .insert(ver.to_string());
            }
        }
        m
    };
    let (b, h) = (versions(&base), versions(&head));
    let only_head = h.keys().filter(|k| !b.contains_key(*k)).count();
    let only_base = b.keys().filter(|k| !h.contains_key(*k)).count();
    let added: Vec<&str> = d["added"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    let removed: Vec<&str> = d["removed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    // Names new on one side are added/removed; a name on both sides whose
    // version sets differ is changed (or, with several versions, may add).
    assert!(added.len() >= only_head && removed.len() >= only_base);
    for n in h.keys().filter(|k| !b.contains_key(*k)) {
        assert!(added.contains(&n.as_str()), "{n} not reported added");
    }
    let changed = d["changed"].as_array().unwrap();
    assert!(changed.len() > 20);
    for c in changed {
        let n = c["name"].as_str().unwrap();
        assert!(b[n].contains(c["old"]["version"].as_str().unwrap()));
        assert!(h[n].contains(c["new"]["version"].as_str().unwrap()));
        assert!(!h[n].contains(c["old"]["version"].as_str().unwrap()));
    }
    let md = guardrail(
        &[
            "deps",
            "diff",
            "--base-file",
            base.to_str().unwrap(),
            "--head-file",
            head.to_str().unwrap(),
            "--format",
            "markdown",
        ],
        Path::new(env!("CARGO_MANIFEST_DIR")),
    );
    let md = stdout(&md);
    assert!(md.starts_with("## Dependency changes"));
    assert!(md.contains("| Change | Package | Old | New | Scope |"));
}

#[test]
fn diff_between_git_revisions_reads_the_object_database() {
    let t = tempfile::tempdir().unwrap();
    let repo = t.path();
    git(repo, &["init", "-q", "-b", "main"]);
    copy(
        "cargo/burntsushi-ripgrep/985394a1/Cargo.lock",
        &repo.join("Cargo.lock"),
    );
    copy(
        "pypi/pallets-flask/0109e496/uv.lock",
        &repo.join("py/uv.lock"),
    );
    copy(
        "npm/actions-checkout/9c1e94e0/package-lock.json",
        &repo.join("old/package-lock.json"),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "base"]);
    copy(
        "cargo/burntsushi-ripgrep/81bed786/Cargo.lock",
        &repo.join("Cargo.lock"),
    );
    std::fs::remove_dir_all(repo.join("old")).unwrap();
    copy(
        "pypi/python-poetry-poetry/a5887d84/poetry.lock",
        &repo.join("tool/poetry.lock"),
    );
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "head"]);
    // The working tree differs from both revisions and must not matter.
    std::fs::write(repo.join("Cargo.lock"), "not toml [[[").unwrap();
    std::fs::write(repo.join("py/uv.lock"), "").unwrap();

    let o = guardrail(
        &[
            "deps", "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
        ],
        repo,
    );
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let files: Vec<(&str, &str)> = v["lockfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| (d["path"].as_str().unwrap(), d["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        files,
        [
            ("Cargo.lock", "modified"),
            ("old/package-lock.json", "removed"),
            ("py/uv.lock", "unchanged"),
            ("tool/poetry.lock", "added")
        ]
    );
    // Removed: each distinct name@version of the old lockfile once.
    let old: Value = serde_json::from_str(
        &std::fs::read_to_string(
            fixtures().join("npm/actions-checkout/9c1e94e0/package-lock.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let distinct: std::collections::BTreeSet<(String, String)> = old["packages"]
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, e)| {
            let n = k
                .rsplit_once("node_modules/")
                .map_or_else(|| e["name"].as_str().unwrap(), |(_, n)| n);
            (n.to_string(), e["version"].as_str().unwrap().to_string())
        })
        .collect();
    assert!(distinct.len() > 500);
    assert_eq!(
        v["lockfiles"][1]["removed"].as_array().unwrap().len(),
        distinct.len()
    );
    assert_eq!(v["lockfiles"][3]["added"].as_array().unwrap().len(), 68);
    let cargo = &v["lockfiles"][0];
    let regex = cargo["changed"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "regex")
        .unwrap();
    assert_eq!(regex["old"]["version"], "1.5.5");
    assert_eq!(regex["new"]["version"], "1.11.1");
    // Same answer as diffing the two files.
    let f = guardrail(
        &[
            "deps",
            "diff",
            "--base-file",
            fixtures()
                .join("cargo/burntsushi-ripgrep/985394a1/Cargo.lock")
                .to_str()
                .unwrap(),
            "--head-file",
            fixtures()
                .join("cargo/burntsushi-ripgrep/81bed786/Cargo.lock")
                .to_str()
                .unwrap(),
            "--format",
            "json",
        ],
        repo,
    );
    let fv: Value = serde_json::from_str(&stdout(&f)).unwrap();
    for k in ["added", "removed", "changed"] {
        assert_eq!(
            fv["lockfiles"][0][k].as_array().unwrap().len(),
            cargo[k].as_array().unwrap().len(),
            "{k}"
        );
    }

    // A malformed lockfile in a revision: reported, the rest still diffed, exit 2.
    git(repo, &["checkout", "-q", "--", "Cargo.lock"]);
    std::fs::write(repo.join("py/uv.lock"), "version = 1\n[[package]\n").unwrap();
    git(repo, &["add", "-A"]);
    git(repo, &["commit", "-qm", "broken"]);
    let o = guardrail(&["deps", "diff", "--base", "HEAD~2"], repo);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("HEAD:py/uv.lock:2: invalid TOML"),
        "{}",
        stderr(&o)
    );
    assert!(stdout(&o).contains("Cargo.lock (modified)"));

    let o = guardrail(&["deps", "diff", "--base", "no-such-rev"], repo);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no-such-rev"), "{}", stderr(&o));
}
