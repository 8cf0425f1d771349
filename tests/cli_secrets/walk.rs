//! The working-tree walker as a user meets it: hidden files, `.git/`,
//! .gitignore, binaries, size cap, symlinks, unreadable files.

use std::process::Command;

use crate::common::{ghp, run_command, Workspace};

fn paths(ws: &Workspace, args: &[&str]) -> Vec<String> {
    let mut all = vec!["secrets", ".", "--format", "json"];
    all.extend_from_slice(args);
    let run = ws.run(&all);
    assert!(run.code < 2, "{run:?}");
    run.json()["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn hidden_files_are_scanned_but_not_dot_git() {
    let ws = Workspace::new();
    let git = Command::new("git")
        .args(["init", "-q", "."])
        .current_dir(ws.root())
        .status()
        .expect("git runs");
    assert!(git.success());
    ws.write(".env", format!("GH={}\n", ghp(50)));
    ws.write(
        ".npmrc",
        format!("//npm.pkg.github.com/:_authToken={}\n", ghp(51)),
    );
    ws.write(
        ".docker/config.json",
        format!("{{\"auths\": {{\"x\": \"{}\"}}}}\n", ghp(52)),
    );
    ws.write(".git/leaked-note", format!("{}\n", ghp(53)));
    assert_eq!(paths(&ws, &[]), [".docker/config.json", ".env", ".npmrc"]);
}

#[test]
fn gitignore_is_honoured_unless_no_ignore() {
    let ws = Workspace::new();
    ws.write(".gitignore", "secrets.local\ntarget/\n");
    ws.write("secrets.local", ghp(54));
    ws.write("target/debug/out.txt", ghp(55));
    ws.write("kept.txt", ghp(56));
    assert_eq!(paths(&ws, &[]), ["kept.txt"]);
    assert_eq!(
        paths(&ws, &["--no-ignore"]),
        ["kept.txt", "secrets.local", "target/debug/out.txt"]
    );
}

#[test]
fn binary_files_are_skipped_and_listed_with_verbose() {
    let ws = Workspace::new();
    let mut blob = vec![0x7f, b'E', b'L', b'F', 0, 0];
    blob.extend_from_slice(ghp(57).as_bytes());
    ws.write("bin/tool", &blob);
    // Not UTF-8 but no NUL: still text, still scanned.
    let mut latin1 = b"caf\xe9 token=".to_vec();
    latin1.extend_from_slice(ghp(58).as_bytes());
    ws.write("latin1.txt", &latin1);

    let run = ws.run(&["secrets", ".", "--format", "json"]);
    let v = run.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "latin1.txt");
    assert_eq!(v["findings"][0]["column"], 12, "columns count characters");
    assert_eq!(v["stats"]["files_skipped_binary"], 1);
    assert!(
        !run.stderr.contains("bin/tool"),
        "quiet by default: {}",
        run.stderr
    );

    let verbose = ws.run(&["secrets", ".", "--verbose"]);
    let line = verbose
        .stderr
        .lines()
        .find(|l| l.contains("bin/tool"))
        .unwrap_or_else(|| panic!("no note for bin/tool: {}", verbose.stderr));
    assert!(line.contains("binary"), "{line}");
}

#[test]
fn max_file_size_skips_big_files() {
    let ws = Workspace::new();
    ws.write("small.txt", ghp(59));
    ws.write("big.txt", format!("{}{}\n", "a = 1\n".repeat(100), ghp(60)));
    assert_eq!(paths(&ws, &[]), ["big.txt", "small.txt"]);

    let run = ws.run(&["secrets", ".", "--format", "json", "--max-file-size", "100"]);
    let v = run.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["stats"]["files_skipped_too_large"], 1);
    let verbose = ws.run(&["secrets", ".", "--max-file-size", "100", "-v"]);
    assert!(
        verbose
            .stderr
            .lines()
            .any(|l| l.contains("big.txt") && l.contains("max-file-size")),
        "{}",
        verbose.stderr
    );
    let bad = ws.run(&["secrets", ".", "--max-file-size", "ten"]);
    assert_eq!(bad.code, 2);
}

#[cfg(unix)]
#[test]
fn symlinks_out_of_the_root_are_not_followed() {
    let ws = Workspace::new();
    let outside = tempfile::tempdir().unwrap();
    std::fs::write(outside.path().join("id_token"), ghp(61)).unwrap();
    std::fs::create_dir(outside.path().join("dir")).unwrap();
    std::fs::write(outside.path().join("dir/creds"), ghp(62)).unwrap();
    ws.write("repo/readme.txt", "hello\n");
    std::os::unix::fs::symlink(outside.path().join("id_token"), ws.path("repo/link")).unwrap();
    std::os::unix::fs::symlink(outside.path().join("dir"), ws.path("repo/linkdir")).unwrap();
    let run = ws.run(&["secrets", "repo", "--format", "json"]);
    assert_eq!(run.code, 0, "{run:?}");
    assert_eq!(run.json()["stats"]["files_scanned"], 1);
}

#[cfg(unix)]
#[test]
fn fifo_does_not_hang_the_scan() {
    let ws = Workspace::new();
    ws.write("a.txt", ghp(63));
    let mk = Command::new("mkfifo")
        .arg(ws.path("pipe"))
        .status()
        .expect("mkfifo runs");
    assert!(mk.success());
    let run = ws.run(&["secrets", ".", "--format", "json"]);
    assert_eq!(run.code, 1, "{run:?}");
    assert_eq!(run.json()["findings"][0]["path"], "a.txt");
}

/// A command that runs `guardrail ARGS` where chmod 000 bites. chmod 000
/// stops everyone but root, and the tests run as root in CI containers, so
/// there the scan runs as `nobody` via `setpriv`; None when neither works.
#[cfg(unix)]
fn without_root(ws: &Workspace, probe: &str, args: &[&str]) -> Option<Command> {
    use std::os::unix::fs::PermissionsExt;
    if std::fs::File::open(ws.path(probe)).is_err() {
        return Some(ws.command(ws.root(), args));
    }
    if Command::new("setpriv").arg("--version").output().is_err() {
        return None;
    }
    // Let `nobody` traverse the temp dir.
    std::fs::set_permissions(ws.root(), std::fs::Permissions::from_mode(0o755)).unwrap();
    let mut all = vec![
        "--reuid=65534",
        "--regid=65534",
        "--clear-groups",
        env!("CARGO_BIN_EXE_guardrail"),
    ];
    all.extend_from_slice(args);
    Some(crate::common::command_for(
        "setpriv",
        ws.home(),
        ws.root(),
        &all,
    ))
}

#[cfg(unix)]
fn lock(ws: &Workspace, rel: &str) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(ws.path(rel), std::fs::Permissions::from_mode(0o000)).unwrap();
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_a_warning_and_the_scan_goes_on() {
    let ws = Workspace::new();
    ws.write("a.txt", ghp(64));
    ws.write("locked.txt", ghp(65));
    lock(&ws, "locked.txt");
    let Some(cmd) = without_root(&ws, "locked.txt", &["secrets", ".", "--color", "never"]) else {
        eprintln!("skipped: running as root and no setpriv to drop privileges");
        return;
    };
    let run = run_command(cmd);
    assert_eq!(
        run.code, 1,
        "the readable secret is still reported: {run:?}"
    );
    assert!(run.stdout.contains("a.txt:1:1"), "{}", run.stdout);
    let warning = run
        .stderr
        .lines()
        .find(|l| l.contains("locked.txt"))
        .unwrap_or_else(|| panic!("no warning: {}", run.stderr));
    assert!(warning.starts_with("warning:"), "{warning}");
    assert!(
        run.stdout.contains("1 warning(s)"),
        "summary counts it: {}",
        run.stdout
    );
}

#[cfg(unix)]
#[test]
fn unreadable_or_odd_path_argument_is_exit_2() {
    let ws = Workspace::new();
    ws.write("locked/a.txt", ghp(68));
    ws.write("f.txt", ghp(69));
    lock(&ws, "locked");
    lock(&ws, "f.txt");
    for target in ["locked", "f.txt"] {
        let Some(cmd) = without_root(&ws, "f.txt", &["secrets", target]) else {
            eprintln!("skipped: running as root and no setpriv to drop privileges");
            return;
        };
        let run = run_command(cmd);
        assert_eq!(run.code, 2, "{target}: {run:?}");
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
        assert!(run.stderr.contains(target), "{}", run.stderr);
    }
    let mk = Command::new("mkfifo")
        .arg(ws.path("pipe"))
        .status()
        .expect("mkfifo runs");
    assert!(mk.success());
    let run = ws.run(&["secrets", "pipe"]);
    assert_eq!(run.code, 2, "{run:?}");
    assert!(run.stderr.contains("pipe"), "{}", run.stderr);
}

#[test]
fn a_single_file_can_be_scanned() {
    let ws = Workspace::new();
    ws.write("one.env", format!("T={}\n", ghp(66)));
    ws.write("two.env", format!("T={}\n", ghp(67)));
    let run = ws.run(&["secrets", "one.env", "--format", "json"]);
    assert_eq!(run.code, 1);
    let v = run.json();
    assert_eq!(v["findings"].as_array().unwrap().len(), 1);
    assert_eq!(v["findings"][0]["path"], "one.env");
}
