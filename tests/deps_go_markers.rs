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

/// The Go advisory for golang.org/x/text before 0.3.7 (GO-2021-0113), as
/// vuln.go.dev publishes it in OSV.
const GO_2021_0113: &str = r#"{
  "schema_version": "1.3.1",
  "id": "GO-2021-0113",
  "modified": "2024-05-20T16:03:47Z",
  "published": "2021-10-06T17:51:21Z",
  "aliases": ["CVE-2021-38561", "GHSA-ppp9-7jff-5vj2"],
  "summary": "Out-of-bounds read in golang.org/x/text/language",
  "details": "Due to improper index calculation, an incorrectly formatted language tag can cause Parse to panic via an out of bounds read. If Parse is used to process untrusted user inputs, this may be used as a vector for a denial of service attack.",
  "affected": [{
    "package": {"name": "golang.org/x/text", "ecosystem": "Go"},
    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.7"}]}],
    "ecosystem_specific": {"imports": [{"path": "golang.org/x/text/language", "symbols": ["Parse"]}]}
  }],
  "references": [{"type": "FIX", "url": "https://go.dev/cl/340830"}],
  "database_specific": {"url": "https://pkg.go.dev/vuln/GO-2021-0113", "review_status": "REVIEWED"}
}"#;

/// `deps review --base-file/--head-file` reads the go.sum beside each
/// go.mod, like discovery and the git-revision path: a Go 1.16 go.mod
/// names only direct requirements, so golang.org/x/text (indirect) is
/// known from go.sum alone, and the advisory against it is found there.
#[test]
fn file_review_reads_each_go_sum() {
    let w = Workspace::new();
    w.write("db/GO-2021-0113.json", GO_2021_0113);
    let fixed_sum =
        handmade("go116/go.sum").replace("golang.org/x/text v0.3.6", "golang.org/x/text v0.3.8");
    w.write("old/go.mod", handmade("go116/go.mod"))
        .write("old/go.sum", fixed_sum)
        .write("new/go.mod", handmade("go116/go.mod"))
        .write("new/go.sum", handmade("go116/go.sum"));
    let review = |base: &str, head: &str| {
        w.run(&[
            "deps",
            "review",
            "--db",
            "db",
            "--base-file",
            base,
            "--head-file",
            head,
            "--format",
            "json",
        ])
    };
    let text_line = handmade("go116/go.sum")
        .lines()
        .position(|l| l.starts_with("golang.org/x/text v0.3.6 "))
        .unwrap()
        + 1;

    // x/text goes from 0.3.8 (fixed) to 0.3.6: introduced, the gate fails.
    let r = review("old/go.mod", "new/go.mod");
    assert_eq!(r.code, 1, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["counts"]["introduced"], 1, "{v}");
    let f = &v["findings"][0];
    assert_eq!(f["id"], "GO-2021-0113");
    assert_eq!(f["status"], "introduced");
    assert_eq!(f["package"]["name"], "golang.org/x/text");
    assert_eq!(f["package"]["version"], "v0.3.6");
    assert_eq!(f["package"]["location"]["file"], "new/go.sum");
    assert_eq!(f["package"]["location"]["line"], text_line);

    // The other way round the base's go.sum carries it: fixed.
    let r = review("new/go.mod", "old/go.mod");
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    assert_eq!(v["counts"]["fixed"], 1, "{v}");
    assert_eq!(v["findings"][0]["base_version"], "v0.3.6");

    // Without the go.sum beside it, the go.mod alone does not know x/text.
    std::fs::remove_file(w.path("new/go.sum")).unwrap();
    let r = review("old/go.mod", "new/go.mod");
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["findings"], serde_json::json!([]));
}
