//! Real repositories made with the `git` CLI in temp dirs, and a runner for
//! the real binary. Shared by the `git_*` integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use tempfile::TempDir;

pub struct Repo {
    pub dir: TempDir,
    tick: std::cell::Cell<u64>,
}

/// A token-shaped value for the built-in `github-pat-classic` rule,
/// generated at test time (never a committed literal).
pub fn token(seed: u64) -> String {
    let (_, secrets) =
        guardrail::detect::examples::expand("⟪ghp_[A-Za-z0-9]{36}⟫", seed).expect("template");
    secrets.into_iter().next().expect("one secret")
}

/// A global git config that does not exist: reads see nothing, and a stray
/// write fails loudly. (Pointing it at /dev/null lets a config write replace
/// /dev/null with a regular file, breaking git for the whole machine.)
pub const NO_GLOBAL_GITCONFIG: &str = "/nonexistent/guardrail-tests/gitconfig";

pub fn git_in(dir: &Path, args: &[&str]) -> String {
    let (ok, out) = try_git_in(dir, args);
    assert!(ok, "git {args:?} failed: {out}");
    out
}

/// Run git; returns whether it succeeded and its stdout (or stderr).
pub fn try_git_in(dir: &Path, args: &[&str]) -> (bool, String) {
    let out = Command::new("git")
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", NO_GLOBAL_GITCONFIG)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_AUTHOR_NAME", "Ada Tester")
        .env("GIT_AUTHOR_EMAIL", "ada@example.com")
        .env("GIT_COMMITTER_NAME", "Ada Tester")
        .env("GIT_COMMITTER_EMAIL", "ada@example.com")
        .output()
        .expect("git runs");
    let text = if out.status.success() {
        &out.stdout
    } else {
        &out.stderr
    };
    (
        out.status.success(),
        String::from_utf8_lossy(text).trim().to_string(),
    )
}

impl Repo {
    pub fn new() -> Repo {
        let dir = tempfile::tempdir().expect("tempdir");
        git_in(dir.path(), &["init", "-q", "-b", "main"]);
        Repo {
            dir,
            tick: std::cell::Cell::new(0),
        }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    pub fn git(&self, args: &[&str]) -> String {
        git_in(self.path(), args)
    }

    pub fn write(&self, rel: &str, content: impl AsRef<[u8]>) {
        let p = self.path().join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, content).unwrap();
    }

    pub fn remove(&self, rel: &str) {
        std::fs::remove_file(self.path().join(rel)).unwrap();
    }

    /// `git add -A && git commit`, with strictly increasing dates so the
    /// order of commits is unambiguous. Returns the commit id.
    pub fn commit(&self, msg: &str) -> String {
        self.git(&["add", "-A"]);
        let t = self.tick.get() + 1;
        self.tick.set(t);
        let date = format!("{} +0000", 1_700_000_000 + t * 60);
        let out = Command::new("git")
            .args(["commit", "-q", "--allow-empty", "-m", msg])
            .current_dir(self.path())
            .env("GIT_CONFIG_GLOBAL", NO_GLOBAL_GITCONFIG)
            .env("GIT_CONFIG_NOSYSTEM", "1")
            .env("GIT_AUTHOR_NAME", "Ada Tester")
            .env("GIT_AUTHOR_EMAIL", "ada@example.com")
            .env("GIT_COMMITTER_NAME", "Ada Tester")
            .env("GIT_COMMITTER_EMAIL", "ada@example.com")
            .env("GIT_AUTHOR_DATE", &date)
            .env("GIT_COMMITTER_DATE", &date)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        self.git(&["rev-parse", "HEAD"])
    }
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}\nstderr: {}", self.stdout, self.stderr))
    }

    pub fn findings(&self) -> Vec<serde_json::Value> {
        self.json()["findings"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}

pub fn guardrail(dir: &Path, args: &[&str]) -> Run {
    let out: Output = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(args)
        .current_dir(dir)
        .env("GIT_CONFIG_GLOBAL", NO_GLOBAL_GITCONFIG)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("guardrail runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn bin_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_guardrail"))
        .parent()
        .unwrap()
        .to_path_buf()
}
