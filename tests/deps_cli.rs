//! `guardrail deps inventory`, `deps diff` and `sbom`, run as the real
//! binary on real lockfiles and real git repositories made in temp dirs.

mod common;

use std::path::{Path, PathBuf};

use serde_json::Value;

use common::Workspace;

/// A real lockfile under tests/fixtures/lockfiles.
fn lockfile(rel: &str) -> PathBuf {
    common::fixture_path("lockfiles").join(rel)
}

#[test]
fn inventory_of_a_monorepo_goes_on_past_a_bad_lockfile() {
    let w = Workspace::new();
    let root = w.root();
    let copy = |fixture: &str, rel: &str| {
        w.copy_fixture(&format!("lockfiles/{fixture}"), rel);
    };
    copy("cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock", "Cargo.lock");
    copy("pypi/pallets-flask/0109e496/uv.lock", "py/uv.lock");
    copy(
        "npm/actions-checkout/3d3c42e5/package-lock.json",
        "web/package-lock.json",
    );
    // Skipped: vendored trees and gitignored paths.
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        "web/node_modules/x/Cargo.lock",
    );
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        "target/Cargo.lock",
    );
    copy(
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
        "ignored/Cargo.lock",
    );
    std::fs::write(root.join(".gitignore"), "ignored/\n").unwrap();
    std::fs::create_dir_all(root.join("bad")).unwrap();
    std::fs::write(
        root.join("bad/poetry.lock"),
        "[[package]]\nname = \"a\"\nversion = \"1\"\n[[package]\n",
    )
    .unwrap();

    let o = w.run(&["deps", "inventory", "--format", "json"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    let err = &o.stderr;
    assert!(
        err.contains("error: bad/poetry.lock:4: invalid TOML"),
        "{err}"
    );
    let v = o.json();
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
    let o = w.run(&["deps", "inventory", "--format", "markdown", "-o", "inv.md"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let md = std::fs::read_to_string(root.join("inv.md")).unwrap();
    assert!(md.contains("| Package | Version | Scope | Source | Line |"));
    assert!(md.contains("| @actions/core |"), "scoped npm name kept");
}

#[test]
fn inventory_of_a_missing_path_is_an_input_error() {
    let o = Workspace::new().run(&["deps", "inventory", "nope"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("nope: no such file or directory"),
        "{}",
        o.stderr
    );
}

#[test]
fn diff_between_two_files_of_real_successive_revisions() {
    let base = lockfile("npm/actions-checkout/9c1e94e0/package-lock.json");
    let head = lockfile("npm/actions-checkout/3d3c42e5/package-lock.json");
    let w = Workspace::new();
    let o = w.run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
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
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v = o.json();
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
    let md = w.run_in(
        Path::new(env!("CARGO_MANIFEST_DIR")),
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
    );
    let md = md.stdout;
    assert!(md.starts_with("## Dependency changes"));
    assert!(md.contains("| Change | Package | Old | New | Scope |"));
}

#[test]
fn diff_between_git_revisions_reads_the_object_database() {
    let w = Workspace::new();
    let repo = w.root();
    let copy = |fixture: &str, rel: &str| {
        w.copy_fixture(&format!("lockfiles/{fixture}"), rel);
    };
    w.git(&["init", "-q", "-b", "main"]);
    copy("cargo/burntsushi-ripgrep/985394a1/Cargo.lock", "Cargo.lock");
    copy("pypi/pallets-flask/0109e496/uv.lock", "py/uv.lock");
    copy(
        "npm/actions-checkout/9c1e94e0/package-lock.json",
        "old/package-lock.json",
    );
    w.git(&["add", "-A"]);
    w.git(&["commit", "-qm", "base"]);
    copy("cargo/burntsushi-ripgrep/81bed786/Cargo.lock", "Cargo.lock");
    std::fs::remove_dir_all(repo.join("old")).unwrap();
    copy(
        "pypi/python-poetry-poetry/a5887d84/poetry.lock",
        "tool/poetry.lock",
    );
    w.git(&["add", "-A"]);
    w.git(&["commit", "-qm", "head"]);
    // The working tree differs from both revisions and must not matter.
    std::fs::write(repo.join("Cargo.lock"), "not toml [[[").unwrap();
    std::fs::write(repo.join("py/uv.lock"), "").unwrap();

    let o = w.run(&[
        "deps", "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
    ]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v = o.json();
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
        &std::fs::read_to_string(lockfile("npm/actions-checkout/9c1e94e0/package-lock.json"))
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
    let f = w.run(&[
        "deps",
        "diff",
        "--base-file",
        lockfile("cargo/burntsushi-ripgrep/985394a1/Cargo.lock")
            .to_str()
            .unwrap(),
        "--head-file",
        lockfile("cargo/burntsushi-ripgrep/81bed786/Cargo.lock")
            .to_str()
            .unwrap(),
        "--format",
        "json",
    ]);
    let fv = f.json();
    for k in ["added", "removed", "changed"] {
        assert_eq!(
            fv["lockfiles"][0][k].as_array().unwrap().len(),
            cargo[k].as_array().unwrap().len(),
            "{k}"
        );
    }

    // A malformed lockfile in a revision: reported, the rest still diffed, exit 2.
    w.git(&["checkout", "-q", "--", "Cargo.lock"]);
    std::fs::write(repo.join("py/uv.lock"), "version = 1\n[[package]\n").unwrap();
    w.git(&["add", "-A"]);
    w.git(&["commit", "-qm", "broken"]);
    let o = w.run(&["deps", "diff", "--base", "HEAD~2"]);
    assert_eq!(o.code, 2);
    assert!(
        o.stderr.contains("HEAD:py/uv.lock:2: invalid TOML"),
        "{}",
        o.stderr
    );
    assert!(o.stdout.contains("Cargo.lock (modified)"));

    let o = w.run(&["deps", "diff", "--base", "no-such-rev"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("no-such-rev"), "{}", o.stderr);
}

/// Revisions go through the same git layer as the secret scanner: outside a
/// repository and for an unknown revision, one line naming the thing, exit 2.
#[test]
fn deps_diff_names_a_missing_repository_and_an_unknown_revision() {
    let w = Workspace::new();
    let o = w.run(&["deps", "diff", "--base", "HEAD~1", "--head", "HEAD"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(o.stderr.contains("not a git repository"), "{}", o.stderr);
    assert_eq!(o.stderr.trim().lines().count(), 1, "{}", o.stderr);

    w.git(&["init", "-q"]);
    w.copy_fixture(
        "lockfiles/cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock",
        "Cargo.lock",
    );
    w.git(&["add", "."]);
    w.git(&["commit", "-qm", "lock"]);
    let o = w.run(&["deps", "diff", "--base", "no-such-rev", "--head", "HEAD"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(
        o.stderr.contains("unknown revision \"no-such-rev\""),
        "{}",
        o.stderr
    );
    assert_eq!(o.stderr.trim().lines().count(), 1, "{}", o.stderr);
}
