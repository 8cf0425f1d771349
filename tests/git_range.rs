//! `guardrail secrets --git --range A..B` and `--since-commit`: only lines
//! the range adds.

mod git_support;

use git_support::{git_in, guardrail, token, try_git_in, Repo};

/// main: settings.py with an old secret. pr: touches settings.py (not the
/// secret's line) and adds a new secret elsewhere.
fn pr_repo() -> (Repo, String) {
    let repo = Repo::new();
    let mut lines: Vec<String> = (0..20).map(|i| format!("OPTION_{i} = {i}")).collect();
    lines[10] = format!("OLD_TOKEN = \"{}\"", token(20));
    repo.write("settings.py", lines.join("\n") + "\n");
    repo.commit("settings");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    lines[11] = "OPTION_11 = 'changed'".into();
    repo.write("settings.py", lines.join("\n") + "\n");
    repo.write("client.py", format!("NEW_TOKEN = \"{}\"\n", token(21)));
    let c = repo.commit("pr change");
    (repo, c)
}

#[test]
fn pr_range_reports_added_secret_not_the_old_one_it_touches() {
    let (repo, pr_commit) = pr_repo();
    for args in [
        vec![
            "secrets", "--git", "--range", "main..pr", "--format", "json",
        ],
        vec!["secrets", "--range", "main..pr", "--format", "json"],
    ] {
        let run = guardrail(repo.path(), &args);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(run.json()["scan"], "range");
        let f = run.findings();
        assert_eq!(f.len(), 1, "{f:?}");
        assert_eq!(f[0]["path"], "client.py");
        assert_eq!(f[0]["commit"], pr_commit.as_str());
        assert_eq!(f[0]["commit_summary"], "pr change");
    }
    // --since-commit A is A..HEAD (HEAD is pr).
    let run = guardrail(
        repo.path(),
        &[
            "secrets",
            "--git",
            "--since-commit",
            "main",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.findings().len(), 1);
    // The full history has both.
    let all = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(all.findings().len(), 2);
}

#[test]
fn secret_added_then_removed_inside_the_range_is_reported() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.write("a.txt", format!("a\nT={}\n", token(22)));
    let added = repo.commit("oops");
    repo.write("a.txt", "a\n");
    repo.commit("fix");
    let run = guardrail(
        repo.path(),
        &[
            "secrets", "--git", "--range", "main..pr", "--format", "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["commit"], added.as_str());
    assert_eq!(f[0]["line"], 2);
}

#[test]
fn merging_the_base_in_does_not_report_base_content_but_resolutions_count() {
    let repo = Repo::new();
    repo.write("shared.txt", "base\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.write("shared.txt", "pr side\n");
    repo.commit("pr edit");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("main.env", format!("M={}\n", token(23)));
    repo.write("shared.txt", "main side\n");
    repo.commit("main adds a secret");
    repo.git(&["checkout", "-q", "pr"]);
    let (ok, msg) = try_git_in(repo.path(), &["merge", "-q", "main", "-m", "merge main"]);
    assert!(!ok, "expected a conflict: {msg}");
    // A merge in progress, not a failure to start one.
    repo.git(&["rev-parse", "-q", "--verify", "MERGE_HEAD"]);
    repo.write("shared.txt", format!("resolved R={}\n", token(24)));
    let merge_commit = repo.commit("merge main into pr");
    let run = guardrail(
        repo.path(),
        &[
            "secrets", "--git", "--range", "main..pr", "--format", "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["path"], "shared.txt");
    assert_eq!(f[0]["commit"], merge_commit.as_str());
    // main's secret is there, in history: the range just does not own it.
    let all = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]).findings();
    assert!(all.iter().any(|x| x["path"] == "main.env"), "{all:?}");
}

#[test]
fn renaming_a_file_with_an_old_secret_reports_nothing() {
    let repo = Repo::new();
    let body: String = (0..10).map(|i| format!("line {i}\n")).collect();
    repo.write("old.py", format!("{body}KEY = \"{}\"\n", token(25)));
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "pr"]);
    repo.git(&["mv", "old.py", "new.py"]);
    repo.commit("pure rename");
    repo.git(&["mv", "new.py", "newer.py"]);
    repo.write("newer.py", format!("{body}KEY = \"{}\"\nmore\n", token(25)));
    repo.commit("rename and edit");
    let run = guardrail(
        repo.path(),
        &[
            "secrets", "--git", "--range", "main..pr", "--format", "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn unknown_revision_is_one_clear_line_and_exit_2() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("a");
    let run = guardrail(repo.path(), &["secrets", "--git", "--range", "nope..HEAD"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("unknown revision \"nope\""),
        "{}",
        run.stderr
    );
    let run = guardrail(repo.path(), &["secrets", "--git", "--range", "HEAD"]);
    assert_eq!(run.code, 2);
    assert!(run.stderr.contains("invalid range"), "{}", run.stderr);
}

#[test]
fn range_past_a_shallow_boundary_says_fetch_more_history() {
    let origin = Repo::new();
    origin.write("a.txt", "0\n");
    origin.commit("c0");
    origin.git(&["branch", "old"]);
    for i in 1..5 {
        origin.write("a.txt", format!("{i}\n"));
        origin.commit(&format!("c{i}"));
    }
    origin.write("b.env", format!("B={}\n", token(26)));
    origin.commit("secret");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git_in(
        clone.path(),
        &[
            "clone",
            "-q",
            "--depth",
            "2",
            "--no-single-branch",
            &url,
            "c",
        ],
    );
    let dir = clone.path().join("c");
    let run = guardrail(
        &dir,
        &["secrets", "--git", "--range", "origin/old..origin/main"],
    );
    assert_eq!(run.code, 2, "{}{}", run.stdout, run.stderr);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    assert!(run.stderr.contains("shallow"), "{}", run.stderr);
    // A range inside the fetched depth works.
    let run = guardrail(
        &dir,
        &[
            "secrets",
            "--git",
            "--range",
            "HEAD~1..HEAD",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(run.findings().len(), 1);
}
