//! `deps diff` marks a version change as an upgrade or a downgrade by the
//! ecosystem's own version order, not by string order. Most cases below are
//! chosen so that comparing the strings gives the wrong answer (checked by
//! the first test), and all run through the real binary twice: on two
//! files, and on two commits of a temp git repository.

mod common;

use std::collections::BTreeMap;

use common::Workspace;

/// (name, base version, head version, expected direction).
type Case = (&'static str, &'static str, &'static str, &'static str);

const PYPI: &[Case] = &[
    ("minor-ten", "1.9", "1.10", "upgrade"),
    ("to-rc", "2.0", "2.0rc1", "downgrade"),
    ("post-release", "1.0", "1.0.post1", "upgrade"),
    ("drop-post", "1.0.post1", "1.0", "downgrade"),
    ("dev-to-alpha", "1.0.dev0", "1.0a1", "upgrade"),
    ("epoch", "2024.1", "1!0.1", "upgrade"),
    ("zero-padding", "1.0", "1.0.0", "changed"),
];

const NPM: &[Case] = &[
    ("beta-eleven", "1.0.0-beta.2", "1.0.0-beta.11", "upgrade"),
    ("to-rc", "1.0.0", "1.0.0-rc.1", "downgrade"),
    ("alpha-longer", "1.0.0-alpha", "1.0.0-alpha.1", "upgrade"),
    ("major-ten", "9.0.0", "10.0.0", "upgrade"),
    ("@scope/pkg", "2.10.0", "2.9.9", "downgrade"),
];

const CRATES: &[Case] = &[
    ("minor-ten", "0.9.0", "0.10.0", "upgrade"),
    ("to-rc", "1.0.0", "1.0.0-rc.1", "downgrade"),
    ("patch-ten", "1.2.10", "1.2.9", "downgrade"),
];

const GO: &[Case] = &[
    (
        "example.com/pseudo-to-tag",
        "v0.0.0-20200101000000-abcdef123456",
        "v0.0.1",
        "upgrade",
    ),
    (
        "example.com/tag-to-pseudo",
        "v1.2.4",
        "v1.2.4-0.20210101000000-abcdef123456",
        "downgrade",
    ),
    ("example.com/minor-ten", "v1.10.0", "v1.9.0", "downgrade"),
    (
        "example.com/incompatible",
        "v2.0.0+incompatible",
        "v10.0.0+incompatible",
        "upgrade",
    ),
];

const GEMS: &[Case] = &[
    ("minor-ten", "1.9", "1.10", "upgrade"),
    ("rc-to-final", "2.0.0.rc1", "2.0.0", "upgrade"),
    ("to-pre", "3.0", "3.0.a", "downgrade"),
    ("zero-padding", "3.0", "3.0.0", "changed"),
];

fn requirements(side: usize, cases: &[Case]) -> String {
    cases
        .iter()
        .map(|c| format!("{}=={}\n", c.0, [c.1, c.2][side]))
        .collect()
}

fn package_lock(side: usize, cases: &[Case]) -> String {
    let mut packages = serde_json::Map::new();
    packages.insert(
        String::new(),
        serde_json::json!({"name": "app", "version": "1.0.0"}),
    );
    for c in cases {
        packages.insert(
            format!("node_modules/{}", c.0),
            serde_json::json!({ "version": ([c.1, c.2][side]) }),
        );
    }
    serde_json::to_string_pretty(&serde_json::json!({
        "name": "app", "version": "1.0.0", "lockfileVersion": 3, "requires": true,
        "packages": packages,
    }))
    .unwrap()
}

fn cargo_lock(side: usize, cases: &[Case]) -> String {
    let mut s = String::from("version = 3\n");
    for c in cases {
        s += &format!(
            "\n[[package]]\nname = \"{}\"\nversion = \"{}\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
            c.0,
            [c.1, c.2][side]
        );
    }
    s
}

fn go_mod(side: usize, cases: &[Case]) -> String {
    let mut s = String::from("module example.com/app\n\ngo 1.22\n\nrequire (\n");
    for c in cases {
        s += &format!("\t{} {}\n", c.0, [c.1, c.2][side]);
    }
    s + ")\n"
}

fn gemfile_lock(side: usize, cases: &[Case]) -> String {
    let mut s = String::from("GEM\n  remote: https://rubygems.org/\n  specs:\n");
    for c in cases {
        s += &format!("    {} ({})\n", c.0, [c.1, c.2][side]);
    }
    s += "\nPLATFORMS\n  ruby\n\nDEPENDENCIES\n";
    for c in cases {
        s += &format!("  {}\n", c.0);
    }
    s
}

/// (lockfile name, its cases, the lockfile text for side 0 (base) or 1 (head)).
type Writer = fn(usize, &[Case]) -> String;
const FILES: &[(&str, &[Case], Writer)] = &[
    ("requirements.txt", PYPI, requirements),
    ("package-lock.json", NPM, package_lock),
    ("Cargo.lock", CRATES, cargo_lock),
    ("go.mod", GO, go_mod),
    ("Gemfile.lock", GEMS, gemfile_lock),
];

/// name -> (old, new, direction) of one lockfile's diff in the JSON report.
fn changes(lockfile: &serde_json::Value) -> BTreeMap<String, (String, String, String)> {
    assert_eq!(lockfile["added"].as_array().unwrap().len(), 0, "{lockfile}");
    assert_eq!(
        lockfile["removed"].as_array().unwrap().len(),
        0,
        "{lockfile}"
    );
    lockfile["changed"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let s = |v: &serde_json::Value| v.as_str().unwrap().to_string();
            (
                s(&c["name"]),
                (
                    s(&c["old"]["version"]),
                    s(&c["new"]["version"]),
                    s(&c["direction"]),
                ),
            )
        })
        .collect()
}

fn expected(cases: &[Case]) -> BTreeMap<String, (String, String, String)> {
    cases
        .iter()
        .map(|c| {
            (
                c.0.to_string(),
                (c.1.to_string(), c.2.to_string(), c.3.to_string()),
            )
        })
        .collect()
}

#[test]
fn the_test_cases_defeat_string_order() {
    // Guard on the test itself: for every upgrade/downgrade case, plain
    // string comparison disagrees with the expected direction or cannot
    // tell (equal strings never occur).
    let mut fooled = 0;
    for (_, cases, _) in FILES {
        for c in *cases {
            let by_string = if c.1 < c.2 { "upgrade" } else { "downgrade" };
            if c.3 != "changed" && by_string != c.3 {
                fooled += 1;
            }
        }
    }
    assert!(
        fooled >= 12,
        "only {fooled} cases would fail a string compare"
    );
}

#[test]
fn directions_between_two_files() {
    let w = Workspace::new();
    for (name, cases, write) in FILES {
        w.write(&format!("base/{name}"), write(0, cases));
        w.write(&format!("head/{name}"), write(1, cases));
        let r = w.run(&[
            "deps",
            "diff",
            "--base-file",
            &format!("base/{name}"),
            "--head-file",
            &format!("head/{name}"),
            "--format",
            "json",
        ]);
        assert_eq!(r.code, 0, "{name}: {}", r.stderr);
        let v = r.json();
        let files = v["lockfiles"].as_array().unwrap();
        assert_eq!(files.len(), 1, "{name}");
        assert_eq!(changes(&files[0]), expected(cases), "{name}");
    }
}

#[test]
fn directions_between_two_git_revisions() {
    let w = Workspace::new();
    let git = |args: &[&str]| w.git(args);
    git(&["init", "-q"]);
    for side in 0..2 {
        for (name, cases, write) in FILES {
            w.write(&format!("eco/{name}"), write(side, cases));
        }
        git(&["add", "-A"]);
        git(&["commit", "-qm", ["base", "head"][side]]);
    }
    let r = w.run(&[
        "deps", "diff", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let v = r.json();
    let by_path: BTreeMap<&str, &serde_json::Value> = v["lockfiles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["path"].as_str().unwrap(), l))
        .collect();
    assert_eq!(by_path.len(), FILES.len(), "{:?}", by_path.keys());
    for (name, cases, _) in FILES {
        let l = by_path[format!("eco/{name}").as_str()];
        assert_eq!(l["status"], "modified");
        assert_eq!(changes(l), expected(cases), "{name}");
    }
    // The text report says the same, one line per change.
    let r = w.run(&["deps", "diff", "--base", "HEAD~1"]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout
            .contains("~ minor-ten 1.9 -> 1.10 (upgraded, runtime)"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("~ example.com/minor-ten v1.10.0 -> v1.9.0 (downgraded, runtime)"),
        "{}",
        r.stdout
    );
}

/// `deps diff` and `deps review` take the same base/head flags (one shared
/// clap struct) with the same rules.
#[test]
fn diff_and_review_share_the_sides_flags() {
    let w = Workspace::new();
    for cmd in ["diff", "review"] {
        let r = w.run(&["deps", cmd, "--base-file", "a/go.mod"]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains("--head-file <FILE>"),
            "{cmd}: {}",
            r.stderr
        );
        let r = w.run(&["deps", cmd, "--base", "HEAD", "--head-file", "go.mod"]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains("cannot be used with"),
            "{cmd}: {}",
            r.stderr
        );
        let r = w.run(&["deps", cmd]);
        assert_eq!(r.code, 2, "{cmd}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!(
                "deps {cmd} needs --base REV [--head REV] or --base-file FILE --head-file FILE"
            )),
            "{cmd}: {}",
            r.stderr
        );
    }
}
