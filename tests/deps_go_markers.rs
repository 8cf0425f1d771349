//! go.mod + go.sum read as one lockfile, and requirements markers, end to
//! end through the real binary: on disk and from git revisions.

mod common;

use common::Workspace;

fn handmade(rel: &str) -> String {
    std::fs::read_to_string(common::fixture_path("lockfiles/handmade").join(rel)).unwrap()
}

#[test]
fn inventory_reads_go_sum_with_go_mod_and_keeps_markers() {
    let w = Workspace::new();
    w.write("svc/go.mod", handmade("go/go.mod"))
        .write("svc/go.sum", handmade("go/go.sum"))
        .write("tools/go.sum", handmade("go116/go.sum"))
        .write(
            "py/requirements.txt",
            "pywin32==306 ; sys_platform == \"win32\"\nflask==3.1.2\n",
        );
    let r = w.run(&["deps", "inventory", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let files: Vec<(&str, &str, usize)> = v["lockfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["path"].as_str().unwrap(),
                l["format"].as_str().unwrap(),
                l["packages"].as_array().unwrap().len(),
            )
        })
        .collect();
    // svc/go.sum is read with svc/go.mod; tools/go.sum stands alone.
    assert_eq!(
        files,
        [
            ("py/requirements.txt", "requirements", 2),
            ("svc/go.mod", "go-mod", 4),
            ("tools/go.sum", "go-sum", 6),
        ]
    );
    let lf = &v["lockfiles"];
    assert_eq!(lf[0]["packages"][0]["markers"], "sys_platform == \"win32\"");
    assert!(lf[0]["packages"][1].get("markers").is_none());
    let errors = &lf[1]["packages"][0];
    assert_eq!(errors["name"], "github.com/pkg/errors");
    assert_eq!(
        errors["hashes"][0],
        serde_json::json!([
            "SHA-256",
            "94dd5aaff89aa2c9802bb669cacc36c78ca608a76ac9e3f0a744a09dd240ad8e"
        ])
    );
    let r = w.run(&["deps", "inventory", "py"]);
    assert!(
        r.stdout.contains(
            "pywin32 306  runtime  registry  requirements.txt:1 ; sys_platform == \"win32\""
        ),
        "{}",
        r.stdout
    );
    let r = w.run(&["deps", "inventory", "py", "--format", "markdown"]);
    assert!(
        r.stdout
            .contains("| pywin32 | 306 ; sys_platform == \"win32\" |"),
        "{}",
        r.stdout
    );
}

#[test]
fn git_diff_reads_go_sum_from_the_revision() {
    let w = Workspace::new();
    w.git(&["init", "-q"]);
    // Go 1.16: the go.sum carries the indirect modules, so a go.sum-only
    // change is a dependency change of the go.mod lockfile.
    w.write("go.mod", handmade("go116/go.mod"))
        .write("go.sum", handmade("go116/go.sum"));
    w.git(&["add", "-A"]);
    w.git(&["commit", "-qm", "base"]);
    let sum =
        handmade("go116/go.sum").replace("golang.org/x/text v0.3.6", "golang.org/x/text v0.3.8");
    w.write("go.sum", sum);
    w.git(&["commit", "-qam", "bump x/text"]);
    // A broken go.sum in the working tree must not matter.
    w.write("go.sum", "garbage\n");
    let r = w.run(&["deps", "diff", "--base", "HEAD~1", "--format", "json"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let l = v["lockfiles"].as_array().unwrap();
    assert_eq!(l.len(), 1, "go.sum is not a lockfile of its own: {v}");
    assert_eq!(l[0]["path"], "go.mod");
    let c = &l[0]["changed"][0];
    assert_eq!(c["name"], "golang.org/x/text");
    assert_eq!(c["old"]["version"], "v0.3.6");
    assert_eq!(c["new"]["version"], "v0.3.8");
    assert_eq!(c["direction"], "upgrade");
    assert_eq!(c["new"]["location"]["file"], "go.sum");
    // On disk the broken go.sum is an error naming it; exit 2.
    let r = w.run(&["deps", "inventory"]);
    assert_eq!(r.code, 2, "{}", r.stdout);
    assert!(
        r.stderr
            .contains("go.sum:1: expected `module version hash`"),
        "{}",
        r.stderr
    );
}

/// Two go.mod files on disk: each is read with the go.sum beside it.
#[test]
fn file_diff_reads_each_go_sum() {
    let w = Workspace::new();
    w.write("old/go.mod", handmade("go116/go.mod"))
        .write("old/go.sum", handmade("go116/go.sum"))
        .write("new/go.mod", handmade("go116/go.mod"))
        .write(
            "new/go.sum",
            handmade("go116/go.sum").replace(
                "github.com/davecgh/go-spew v1.1.1",
                "github.com/davecgh/go-spew v1.1.0",
            ),
        );
    let r = w.run(&[
        "deps",
        "diff",
        "--base-file",
        "old/go.mod",
        "--head-file",
        "new/go.mod",
        "--format",
        "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let c = &v["lockfiles"][0]["changed"];
    assert_eq!(c.as_array().unwrap().len(), 1, "{v}");
    assert_eq!(c[0]["name"], "github.com/davecgh/go-spew");
    assert_eq!(c[0]["direction"], "downgrade");
    assert_eq!(c[0]["old"]["location"]["file"], "old/go.sum");
}
