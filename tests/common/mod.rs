//! A temp directory to scan and a way to run the real `guardrail` binary on
//! it; fixtures, git repositories made with the `git` CLI, and (in [`deps`])
//! what the dependency and advisory tests share.
#![allow(dead_code)] // each test crate uses a different part of it

pub mod deps;

use std::borrow::BorrowMut;
use std::path::{Path, PathBuf};
use std::process::Command;

use tempfile::TempDir;

/// What one run of the binary left behind.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}): {}", self.stdout))
    }
}

/// A scratch directory tree plus an empty HOME, so the machine's global
/// gitignore and git config cannot change what a test sees.
pub struct Workspace {
    dir: TempDir,
    home: TempDir,
}

impl Workspace {
    pub fn new() -> Self {
        Workspace {
            dir: tempfile::tempdir().unwrap(),
            home: tempfile::tempdir().unwrap(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    /// Write a file (creating parent directories).
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, contents).unwrap();
        self
    }

    /// Copy `tests/fixtures/FIXTURE` to `rel` in the workspace.
    pub fn copy_fixture(&self, fixture: &str, rel: &str) -> &Self {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::copy(fixture_path(fixture), &p)
            .unwrap_or_else(|e| panic!("copy fixture {fixture}: {e}"));
        self
    }

    /// Run `git ARGS` in the workspace root (identity set, no user config).
    pub fn git(&self, args: &[&str]) {
        git(self.home(), self.root(), args)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    /// Run `guardrail ARGS` with the workspace root as working directory.
    pub fn run(&self, args: &[&str]) -> Run {
        self.run_in(self.root(), args)
    }

    pub fn run_in(&self, cwd: &Path, args: &[&str]) -> Run {
        run_command(self.command(cwd, args))
    }

    /// The command, for tests that need to adjust it (e.g. drop privileges).
    pub fn command(&self, cwd: &Path, args: &[&str]) -> Command {
        command_for(env!("CARGO_BIN_EXE_guardrail"), self.home.path(), cwd, args)
    }

    pub fn home(&self) -> &Path {
        self.home.path()
    }
}

pub fn command_for(program: &str, home: &Path, cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(program);
    cmd.args(args)
        .current_dir(cwd)
        .env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join(".config"))
        .env("XDG_CACHE_HOME", home.join(".cache"))
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env_remove("GIT_DIR")
        .env("NO_COLOR", "1");
    forget_guardrail_env(&mut cmd);
    // An advisory index is never written next to a database the test reads
    // (tests/fixtures): parallel tests would race on it, and a warm checkout
    // would behave differently from a clean one.
    cmd.env("GUARDRAIL_INDEX_DIR", home.join(".cache/guardrail-index"));
    cmd
}

/// The real binary with none of the caller's `GUARDRAIL_*` settings, for
/// tests that set their own working directory and environment.
pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guardrail"));
    forget_guardrail_env(&mut cmd);
    cmd
}

/// A developer's own database, mirror or cache dir must not leak into a test.
fn forget_guardrail_env(cmd: &mut Command) {
    for var in [
        "GUARDRAIL_DB",
        "GUARDRAIL_OSV_URL",
        "GUARDRAIL_CACHE_DIR",
        "GUARDRAIL_INDEX_DIR",
    ] {
        cmd.env_remove(var);
    }
}

/// Run a command (owned or borrowed) to completion.
pub fn run_command(mut cmd: impl BorrowMut<Command>) -> Run {
    let out = cmd.borrow_mut().output().expect("command runs");
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

/// A token-shaped value generated at test time from `pattern` (a regex
/// between ⟪ ⟫), so no live-looking secret is committed.
pub fn generate(pattern: &str, seed: u64) -> String {
    guardrail::detect::examples::expand(&format!("⟪{pattern}⟫"), seed)
        .unwrap()
        .1
        .remove(0)
}

/// A classic GitHub PAT shape (the built-in `github-pat-classic` rule).
pub fn ghp(seed: u64) -> String {
    generate("ghp_[A-Za-z0-9]{36}", seed)
}

/// Assert that `haystack` does not contain `secret`, nor any long piece of it.
pub fn assert_no_secret(haystack: &str, secret: &str, what: &str) {
    assert!(!haystack.contains(secret), "{what} contains the raw secret");
    // Redaction keeps at most 4 characters; 8 consecutive ones is a leak.
    for w in secret.as_bytes().windows(8).skip(4) {
        let piece = std::str::from_utf8(w).unwrap();
        assert!(
            !haystack.contains(piece),
            "{what} contains {piece:?} of the secret"
        );
    }
}

/// `tests/fixtures`.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// A file or directory under `tests/fixtures`.
pub fn fixture_path(rel: &str) -> PathBuf {
    fixtures().join(rel)
}

/// Copy a directory tree.
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let dest = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &dest);
        } else {
            std::fs::copy(e.path(), &dest).unwrap();
        }
    }
}

/// Run `git ARGS` in `dir` with a fixed identity, no signing, and `home` as
/// HOME (so the machine's git config cannot change what a test sees).
pub fn git(home: &Path, dir: &Path, args: &[&str]) {
    let mut a = vec![
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.com",
        "-c",
        "commit.gpgsign=false",
    ];
    a.extend_from_slice(args);
    let r = run_command(command_for("git", home, dir, &a));
    assert_eq!(r.code, 0, "git {args:?}: {}", r.stderr);
}

/// Every schema error of `doc` (at most five), or a pass.
pub fn assert_valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .take(5)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}
