//! Cross-check with cargo-audit on real Cargo.lock files.
//!
//! Runs only when `GUARDRAIL_CARGO_AUDIT` names a cargo-audit binary and
//! `GUARDRAIL_SHARED` the shared data dir (it needs ../shared's RustSec copy
//! and lockfiles, too big for fixtures); otherwise it prints why it skipped.
//! The RustSec copy is turned into a git repository in a temp dir, as
//! cargo-audit requires, and each lockfile is audited by both tools:
//! vulnerabilities and informational warnings must be the same sets of
//! (crate, version, advisory id).

mod common;

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::Command;

use guardrail::deps::advisory::load;
use guardrail::deps::review::audit;

use common::deps::{cargo_lock, policy};
use common::{copy_dir, git};

type Set = BTreeSet<(String, String, String)>;

#[test]
fn same_results_as_cargo_audit() {
    let (Some(bin), Some(shared)) = (
        std::env::var_os("GUARDRAIL_CARGO_AUDIT"),
        std::env::var_os("GUARDRAIL_SHARED"),
    ) else {
        eprintln!("skipped: set GUARDRAIL_CARGO_AUDIT=<cargo-audit binary> and GUARDRAIL_SHARED=<shared dir>");
        return;
    };
    let shared = PathBuf::from(shared);
    let tmp = tempfile::tempdir().unwrap();
    let dbdir = tmp.path().join("advisory-db");
    copy_dir(&shared.join("advisories/rustsec"), &dbdir);
    let home = tmp.path().join("home");
    std::fs::create_dir_all(&home).unwrap();
    git(&home, &dbdir, &["init", "-q", "-b", "main"]);
    git(&home, &dbdir, &["add", "-A"]);
    git(&home, &dbdir, &["commit", "-q", "-m", "snapshot"]);
    let db = load::load(&dbdir).unwrap();
    let policy = policy();
    let mut locks: Vec<PathBuf> = Vec::new();
    for repo in ["rustsec-rustsec", "burntsushi-ripgrep"] {
        for e in std::fs::read_dir(shared.join("lockfiles/cargo").join(repo))
            .unwrap()
            .flatten()
        {
            locks.push(e.path().join("Cargo.lock"));
        }
    }
    locks.sort();
    let mut report = Vec::new();
    let mut total = 0;
    for lock in &locks {
        let out = Command::new(&bin)
            .args(["audit", "--db"])
            .arg(&dbdir)
            .args(["--no-fetch", "--no-yanked", "--json", "-f"])
            .arg(lock)
            .env("CARGO_HOME", tmp.path().join("cargo-home"))
            .output()
            .unwrap();
        let v: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "{}: {e}: {}",
                lock.display(),
                String::from_utf8_lossy(&out.stderr)
            )
        });
        let mut theirs_v = Set::new();
        for item in v["vulnerabilities"]["list"]
            .as_array()
            .into_iter()
            .flatten()
        {
            theirs_v.insert((
                item["package"]["name"].as_str().unwrap().to_string(),
                item["package"]["version"].as_str().unwrap().to_string(),
                item["advisory"]["id"].as_str().unwrap().to_string(),
            ));
        }
        let mut theirs_w = Set::new();
        for (_kind, list) in v["warnings"].as_object().into_iter().flatten() {
            for item in list.as_array().into_iter().flatten() {
                if let Some(id) = item["advisory"]["id"].as_str() {
                    theirs_w.insert((
                        item["package"]["name"].as_str().unwrap().to_string(),
                        item["package"]["version"].as_str().unwrap().to_string(),
                        id.to_string(),
                    ));
                }
            }
        }
        let r = audit(&db, &cargo_lock(lock), &policy);
        let key = |f: &guardrail::deps::review::Finding| {
            (
                f.vuln.package.name.clone(),
                f.vuln.package.version.clone(),
                f.vuln.id.to_string(),
            )
        };
        // Known, intended difference: cargo-audit drops advisories limited to
        // other operating systems / architectures than the host's
        // (`[affected] os`/`arch`); a lockfile review cannot know the
        // target, so guardrail reports them. Left out of the comparison.
        let host_only = |id: &str| {
            db.advisories.iter().find(|a| a.id == id).is_some_and(|a| {
                std::fs::read_to_string(dbdir.join(&a.origin)).is_ok_and(|t| {
                    t.lines()
                        .any(|l| l.starts_with("os = ") || l.starts_with("arch = "))
                })
            })
        };
        let theirs_v: Set = theirs_v.into_iter().filter(|k| !host_only(&k.2)).collect();
        let ours_v: Set = r
            .findings
            .iter()
            .filter(|f| !f.vuln.informational && !host_only(&f.vuln.id))
            .map(key)
            .collect();
        let ours_w: Set = r
            .findings
            .iter()
            .filter(|f| f.vuln.informational)
            .map(key)
            .collect();
        total += theirs_v.len() + theirs_w.len();
        for (what, ours, theirs) in [
            ("vulnerabilities", &ours_v, &theirs_v),
            ("warnings", &ours_w, &theirs_w),
        ] {
            let only_ours: Vec<_> = ours.difference(theirs).collect();
            let only_theirs: Vec<_> = theirs.difference(ours).collect();
            if !only_ours.is_empty() || !only_theirs.is_empty() {
                report.push(format!(
                    "{} {what}: only guardrail {only_ours:?}; only cargo-audit {only_theirs:?}",
                    lock.display()
                ));
            }
        }
        eprintln!(
            "{}: {} vulnerabilities, {} warnings (both tools)",
            lock.display(),
            theirs_v.len(),
            theirs_w.len()
        );
    }
    assert!(
        total > 0,
        "cargo-audit found nothing at all: check the setup"
    );
    assert!(report.is_empty(), "differences:\n{}", report.join("\n"));
}
