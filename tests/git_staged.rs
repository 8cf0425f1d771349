//! `guardrail secrets --staged` and `guardrail install-hook`.

mod git_support;

use git_support::{bin_dir, guardrail, token, Repo, NO_GLOBAL_GITCONFIG};

#[test]
fn staged_changes_in_a_repository_without_commits() {
    let repo = Repo::new();
    repo.write("staged.env", format!("S={}\n", token(30)));
    repo.git(&["add", "staged.env"]);
    // Not staged: not reported.
    repo.write("loose.env", format!("L={}\n", token(31)));
    let run = guardrail(repo.path(), &["secrets", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.json()["scan"], "staged");
    let f = run.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["path"], "staged.env");
    assert!(f[0].get("commit").is_none());
}

#[test]
fn only_lines_added_against_head_count() {
    let repo = Repo::new();
    repo.write("app.py", format!("OLD = \"{}\"\nx = 1\n", token(32)));
    repo.commit("old secret");
    repo.write("app.py", format!("OLD = \"{}\"\nx = 2\n", token(32)));
    repo.git(&["add", "app.py"]);
    let run = guardrail(repo.path(), &["secrets", "--staged", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);

    repo.write("new.py", format!("\n\nNEW = \"{}\"\n", token(33)));
    repo.git(&["add", "new.py"]);
    let run = guardrail(repo.path(), &["secrets", "--staged", "--format", "json"]);
    assert_eq!(run.code, 1);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "new.py");
    assert_eq!(f[0]["line"], 3);
    // Staged in a subdirectory: still the repository's index.
    std::fs::create_dir(repo.path().join("sub")).unwrap();
    let run = guardrail(&repo.path().join("sub"), &["secrets", "--staged"]);
    assert_eq!(run.code, 1);
    assert!(run.stdout.contains("new.py:3:"), "{}", run.stdout);
}

#[test]
fn install_hook_writes_a_hook_that_blocks_the_commit() {
    let repo = Repo::new();
    let run = guardrail(repo.path(), &["install-hook"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    let hook = repo.path().join(".git/hooks/pre-commit");
    let script = std::fs::read_to_string(&hook).unwrap();
    assert!(script.contains("guardrail secrets --staged"), "{script}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_ne!(
            std::fs::metadata(&hook).unwrap().permissions().mode() & 0o111,
            0
        );
    }
    // Refuses to overwrite without --force.
    let again = guardrail(repo.path(), &["install-hook"]);
    assert_eq!(again.code, 2);
    assert!(again.stderr.contains("--force"), "{}", again.stderr);
    assert_eq!(guardrail(repo.path(), &["install-hook", "--force"]).code, 0);

    // The hook runs the real binary and blocks a commit with a secret.
    repo.write("leak.env", format!("X={}\n", token(34)));
    repo.git(&["add", "leak.env"]);
    let path = format!(
        "{}:{}",
        bin_dir().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = std::process::Command::new("git")
        .args(["commit", "-q", "-m", "leak"])
        .current_dir(repo.path())
        .env("PATH", path)
        .env("GIT_CONFIG_GLOBAL", NO_GLOBAL_GITCONFIG)
        .env("GIT_AUTHOR_NAME", "A")
        .env("GIT_AUTHOR_EMAIL", "a@example.com")
        .env("GIT_COMMITTER_NAME", "A")
        .env("GIT_COMMITTER_EMAIL", "a@example.com")
        .output()
        .unwrap();
    assert!(!out.status.success(), "the hook must block the commit");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(all.contains("leak.env:1:"), "{all}");
    assert!(all.contains("guardrail:allow"), "{all}");
}

#[test]
fn pre_commit_hooks_yaml_declares_the_hook() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/.pre-commit-hooks.yaml"
    ))
    .unwrap();
    assert!(text.contains("id: guardrail-secrets"));
    assert!(text.contains("language: rust"));
    assert!(text.contains("secrets --staged"));
}
