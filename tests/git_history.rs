//! `guardrail secrets --git`: full history on real repositories.

mod git_support;

use git_support::{git_in, guardrail, token, try_git_in, Repo};

#[test]
fn secret_added_then_deleted_is_found_by_history_not_by_a_directory_scan() {
    let repo = Repo::new();
    let t = token(1);
    repo.write("README.md", "hello\n");
    repo.write("config.env", format!("GITHUB_TOKEN={t}\n"));
    let c1 = repo.commit("add config");
    repo.write("config.env", "GITHUB_TOKEN=\n");
    repo.commit("remove token");

    let dir = guardrail(repo.path(), &["secrets", "--format", "json"]);
    assert_eq!(dir.code, 0, "{}", dir.stderr);
    assert!(dir.findings().is_empty());

    let hist = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(hist.code, 1, "{}", hist.stderr);
    assert_eq!(hist.json()["scan"], "history");
    let f = hist.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["rule_id"], "github-pat-classic");
    assert_eq!(f[0]["path"], "config.env");
    assert_eq!(f[0]["line"], 1);
    assert_eq!(f[0]["commit"], c1.as_str());
    assert_eq!(f[0]["author"], "Ada Tester");
    assert_eq!(f[0]["email"], "ada@example.com");
    assert_eq!(f[0]["commit_summary"], "add config");
    assert!(f[0]["date"].as_str().unwrap().starts_with("2023-11-14T"));
    // Redacted by default.
    assert_ne!(f[0]["secret"], t.as_str());

    let text = guardrail(repo.path(), &["secrets", "--git"]);
    assert!(
        text.stdout.contains(&format!("commit {}", &c1[..12])),
        "{}",
        text.stdout
    );
    assert!(text.stdout.contains("\"add config\""), "{}", text.stdout);
}

#[test]
fn same_secret_in_fifty_commits_is_one_finding_at_the_first() {
    let repo = Repo::new();
    let t = token(2);
    repo.write("app.cfg", format!("token = {t}\nversion = 0\n"));
    let first = repo.commit("commit 0");
    for i in 1..50 {
        repo.write("app.cfg", format!("token = {t}\nversion = {i}\n"));
        repo.commit(&format!("commit {i}"));
    }
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["commit"], first.as_str());
    assert_eq!(f[0]["other_occurrences"], 49);
    assert_eq!(f[0]["related"].as_array().unwrap().len(), 5);
    // 50 distinct blobs, each scanned exactly once.
    assert_eq!(run.json()["stats"]["files_scanned"], 50);
}

#[test]
fn a_blob_under_many_paths_and_commits_is_scanned_once() {
    let repo = Repo::new();
    let body = format!("k={}\n", token(3));
    repo.write("a/one.txt", &body);
    let c1 = repo.commit("one");
    repo.write("b/two.txt", &body);
    repo.write("c/three.txt", &body);
    repo.commit("copies");
    repo.write("unrelated.txt", "x\n");
    repo.commit("unrelated");
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.json()["stats"]["files_scanned"], 2);
    let f = run.findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "a/one.txt");
    assert_eq!(f[0]["commit"], c1.as_str());
}

#[test]
fn renamed_file_keeps_its_first_introduction() {
    let repo = Repo::new();
    repo.write("old/name.env", format!("T={}\n", token(4)));
    let c1 = repo.commit("add");
    repo.git(&["mv", "old/name.env", "new.env"]);
    repo.commit("rename");
    let f = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]).findings();
    assert_eq!(f.len(), 1);
    assert_eq!(f[0]["path"], "old/name.env");
    assert_eq!(f[0]["commit"], c1.as_str());
}

#[test]
fn merges_attribute_to_the_branch_commit_and_to_conflict_resolutions() {
    let repo = Repo::new();
    repo.write("shared.txt", "base\n");
    repo.commit("base");
    repo.git(&["checkout", "-q", "-b", "feature"]);
    repo.write("feature.env", format!("A={}\n", token(5)));
    let on_feature = repo.commit("feature secret");
    repo.write("shared.txt", "feature side\n");
    repo.commit("feature edit");
    repo.git(&["checkout", "-q", "main"]);
    repo.write("shared.txt", "main side\n");
    repo.commit("main edit");
    // A conflicting merge whose resolution introduces a new secret.
    let (ok, msg) = try_git_in(
        repo.path(),
        &["merge", "-q", "--no-ff", "feature", "-m", "merge"],
    );
    assert!(!ok, "expected a conflict: {msg}");
    // A merge in progress, not a failure to start one.
    repo.git(&["rev-parse", "-q", "--verify", "MERGE_HEAD"]);
    repo.write("shared.txt", format!("resolved B={}\n", token(6)));
    let merge_commit = repo.commit("merge feature");

    let f = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]).findings();
    assert_eq!(f.len(), 2, "{f:?}");
    let by_path = |p: &str| f.iter().find(|x| x["path"] == p).expect(p).clone();
    assert_eq!(by_path("feature.env")["commit"], on_feature.as_str());
    assert_eq!(by_path("shared.txt")["commit"], merge_commit.as_str());
}

#[test]
fn binary_blobs_are_skipped() {
    let repo = Repo::new();
    let mut data = b"\x00\x01binary".to_vec();
    data.extend_from_slice(format!(" {} ", token(7)).as_bytes());
    repo.write("blob.bin", data);
    repo.commit("binary");
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
    assert_eq!(run.json()["stats"]["files_skipped_binary"], 1);
}

#[test]
fn empty_repository_is_clean() {
    let repo = Repo::new();
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    assert!(run.findings().is_empty());
}

#[test]
fn not_a_git_repository_is_one_clear_line_and_exit_2() {
    let dir = tempfile::tempdir().unwrap();
    let run = guardrail(dir.path(), &["secrets", "--git"]);
    assert_eq!(run.code, 2);
    assert_eq!(run.stderr.trim().lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("not a git repository"),
        "{}",
        run.stderr
    );
}

#[test]
fn shallow_clone_scans_what_is_there_and_warns() {
    let origin = Repo::new();
    origin.write("old.env", format!("OLD={}\n", token(8)));
    origin.commit("old secret");
    origin.remove("old.env");
    origin.commit("drop it");
    origin.write("x.txt", "1\n");
    origin.commit("x");
    origin.write("new.env", format!("NEW={}\n", token(9)));
    let recent = origin.commit("new secret");
    let clone = tempfile::tempdir().unwrap();
    let url = format!("file://{}", origin.path().display());
    git_in(clone.path(), &["clone", "-q", "--depth", "2", &url, "c"]);
    let run = guardrail(
        &clone.path().join("c"),
        &["secrets", "--git", "--format", "json"],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert!(
        run.stderr.contains("history is truncated"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("fetch-depth: 0"), "{}", run.stderr);
    let f = run.findings();
    assert_eq!(f.len(), 1, "{f:?}");
    assert_eq!(f[0]["commit"], recent.as_str());
}

#[test]
fn all_objects_adds_unreachable_blobs() {
    let repo = Repo::new();
    repo.write("a.txt", "nothing\n");
    repo.commit("a");
    repo.write("dangling.txt", format!("D={}\n", token(10)));
    repo.git(&["hash-object", "-w", "dangling.txt"]);
    repo.remove("dangling.txt");
    let plain = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(plain.code, 0, "{}", plain.stderr);
    let all = guardrail(
        repo.path(),
        &["secrets", "--git", "--all-objects", "--format", "json"],
    );
    assert_eq!(all.code, 1, "{}", all.stderr);
    let f = all.findings();
    assert_eq!(f.len(), 1);
    assert!(f[0]["path"].as_str().unwrap().contains("unreachable"));
    assert!(f[0].get("commit").is_none());
}

#[test]
fn suppressions_apply_to_history() {
    let repo = Repo::new();
    repo.write("a.env", format!("A={} # guardrail:allow\n", token(11)));
    repo.write("b.env", format!("B={}\n", token(12)));
    repo.commit("two");
    repo.write("b.env", "B=\n");
    repo.commit("drop b");
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    let f = run.findings();
    assert_eq!(f.len(), 1, "inline allow suppresses a.env: {f:?}");
    assert_eq!(f[0]["path"], "b.env");
    let fp = f[0]["fingerprint"].as_str().unwrap().to_string();
    repo.write(".guardrailignore", format!("{fp}\n"));
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert!(run.findings().is_empty());
    // Baselines too: write one, then nothing new is reported against it.
    std::fs::remove_file(repo.path().join(".guardrailignore")).unwrap();
    let base = repo.path().join("base.json");
    let b = base.to_str().unwrap();
    guardrail(repo.path(), &["secrets", "--git", "--write-baseline", b]);
    let run = guardrail(repo.path(), &["secrets", "--git", "--baseline", b]);
    assert_eq!(run.code, 0, "{}", run.stdout);
}

#[test]
fn no_progress_bar_when_stderr_is_not_a_terminal() {
    let repo = Repo::new();
    repo.write("a.txt", "a\n");
    repo.commit("a");
    let run = guardrail(repo.path(), &["secrets", "--git"]);
    assert_eq!(run.code, 0);
    assert!(run.stderr.is_empty(), "{}", run.stderr);
}

#[test]
fn blobs_over_max_file_size_are_skipped_and_counted() {
    let repo = Repo::new();
    let mut big = "x".repeat(5000);
    big.push_str(&format!("\nT={}\n", token(13)));
    repo.write("big.txt", big);
    repo.write("small.txt", "small\n");
    repo.commit("sizes");
    let run = guardrail(
        repo.path(),
        &[
            "secrets",
            "--git",
            "--max-file-size",
            "1000",
            "--format",
            "json",
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stdout);
    assert_eq!(run.json()["stats"]["files_skipped_too_large"], 1);
    assert_eq!(run.json()["stats"]["files_scanned"], 1);
    let run = guardrail(repo.path(), &["secrets", "--git", "--format", "json"]);
    assert_eq!(run.code, 1);
}

#[test]
fn packed_and_loose_objects_give_the_same_report() {
    let repo = Repo::new();
    let t = token(14);
    for i in 0..30 {
        let mut body: String = (0..200).map(|l| format!("line {l} of {i}\n")).collect();
        if (5..12).contains(&i) {
            body.push_str(&format!("KEY={t}\n"));
        }
        if i == 20 {
            body.push_str(&format!("OTHER={}\n", token(15)));
        }
        repo.write("src/main.txt", body);
        repo.write(&format!("many/f{i}.txt"), format!("file {i}\n"));
        repo.commit(&format!("c{i}"));
    }
    let strip = |mut v: serde_json::Value| {
        v["stats"]["duration_ms"] = 0.into();
        v
    };
    let args = ["secrets", "--git", "--format", "json"];
    let loose = strip(guardrail(repo.path(), &args).json());
    repo.git(&["repack", "-adq"]);
    repo.git(&["prune-packed"]);
    let packed = strip(guardrail(repo.path(), &args).json());
    assert_eq!(loose, packed);
    assert_eq!(packed["findings"].as_array().unwrap().len(), 2);
    // Half packed, half loose.
    repo.write("src/main.txt", format!("NEW={}\n", token(16)));
    repo.commit("after the pack");
    let mixed = guardrail(repo.path(), &args).json();
    assert_eq!(mixed["findings"].as_array().unwrap().len(), 3);
    assert_eq!(
        mixed["stats"]["files_scanned"],
        packed["stats"]["files_scanned"].as_u64().unwrap() + 1
    );
}
