//! The second-tier lockfile formats on hand-written files in each tool's
//! layout (tests/fixtures/lockfiles/handmade), checked against hand-made
//! lists of what each file pins.

use std::path::{Path, PathBuf};

use guardrail::deps::lockfile::{parse_file, parse_str};
use guardrail::deps::model::{Lockfile, LockfileFormat, Scope, Source};

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles/handmade")
}

fn load(rel: &str) -> Lockfile {
    parse_file(&dir().join(rel), rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (name, version, scope, line) of every package, in order.
fn summary(l: &Lockfile) -> Vec<(String, String, Scope, usize)> {
    l.packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.scope, p.location.line))
        .collect()
}

fn row(n: &str, v: &str, s: Scope, line: usize) -> (String, String, Scope, usize) {
    (n.into(), v.into(), s, line)
}

fn edge_names(l: &Lockfile) -> Vec<(String, String)> {
    let mut v: Vec<_> = l
        .edges
        .iter()
        .map(|e| {
            (
                l.packages[e.from].name.clone(),
                l.packages[e.to].name.clone(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn requirements_pins_includes_hashes() {
    use Scope::Runtime as R;
    let l = load("requirements/requirements.txt");
    assert_eq!(
        summary(&l),
        [
            row("flask", "3.1.2", R, 3),
            row("requests", "2.32.3", R, 5),
            row("zope-interface", "7.2", R, 6),
            row("pywin32", "306", R, 9),
            row("importlib-metadata", "6.7.0", R, 11),
            row("jinja2", "3.1.6", R, 2),
            row("markupsafe", "3.0.2", R, 3),
        ]
    );
    assert_eq!(
        l.packages[5].location.file,
        "requirements/requirements-base.txt"
    );
    assert_eq!(l.packages[0].hashes[0].0, "SHA-256");
    assert_eq!(l.packages[2].purl, "pkg:pypi/zope-interface@7.2");
    // Environment markers are kept verbatim, without the options after them.
    let markers: Vec<Option<&str>> = l.packages.iter().map(|p| p.markers.as_deref()).collect();
    assert_eq!(
        markers,
        [
            None,
            Some(r#"python_version >= "3.8""#),
            None,
            Some(r#"sys_platform == "win32""#),
            Some(r#"python_version < "3.8""#),
            None,
            None,
        ]
    );
    assert_eq!(l.packages[3].hashes.len(), 1, "hash after the marker");
    // From a git blob there is no directory: includes are not followed.
    let text = std::fs::read_to_string(dir().join("requirements/requirements.txt")).unwrap();
    let l = parse_str(&text, "requirements-dev.txt", LockfileFormat::Requirements).unwrap();
    assert_eq!(l.packages.len(), 5);
    assert!(l.packages.iter().all(|p| p.scope == Scope::Dev));
}

#[test]
fn pipfile_lock() {
    let l = load("pipenv/Pipfile.lock");
    assert_eq!(
        summary(&l),
        [
            row("certifi", "2025.1.31", Scope::Runtime, 19),
            row("typing-extensions", "4.12.2", Scope::Runtime, 27),
            row("mylib", "", Scope::Runtime, 31),
            row("pytest", "8.3.5", Scope::Dev, 37),
        ]
    );
    assert_eq!(
        l.packages[0].markers.as_deref(),
        Some("python_version >= '3.6'")
    );
    assert_eq!(l.packages[1].markers, None);
    assert!(
        matches!(&l.packages[2].source, Source::Git(u) if u.ends_with("#0123456789abcdef0123456789abcdef01234567"))
    );
}

#[test]
fn composer_lock() {
    let l = load("composer/composer.lock");
    assert_eq!(
        summary(&l),
        [
            row("monolog/monolog", "3.8.1", Scope::Runtime, 8),
            row("psr/log", "3.0.2", Scope::Runtime, 28),
            row("phpunit/phpunit", "11.5.3", Scope::Dev, 40),
        ]
    );
    assert_eq!(l.packages[0].purl, "pkg:composer/monolog/monolog@3.8.1");
    assert_eq!(
        edge_names(&l),
        [("monolog/monolog".into(), "psr/log".into())]
    );
    assert_eq!(l.packages[1].hashes.len(), 1);
}

#[test]
fn gemfile_lock() {
    use Scope::Runtime as R;
    let l = load("bundler/Gemfile.lock");
    assert_eq!(
        summary(&l),
        [
            row("private_gem", "0.3.0", R, 5),
            row("myapp", "1.0.0", R, 11),
            row("nokogiri", "1.18.3-x86_64-linux-gnu", R, 17),
            row("racc", "1.8.1", R, 19),
            row("rack", "3.1.10", R, 20),
        ]
    );
    assert!(matches!(&l.packages[0].source, Source::Git(_)));
    assert_eq!(l.packages[1].source, Source::Path(".".into()));
    assert_eq!(l.packages[4].source, Source::Registry(None));
    assert_eq!(
        edge_names(&l),
        [
            ("myapp".into(), "rack".into()),
            ("nokogiri".into(), "racc".into()),
            ("private_gem".into(), "rack".into())
        ]
    );
}

#[test]
fn go_mod_with_replace() {
    use Scope::Runtime as R;
    let l = load("go/go.mod");
    assert_eq!(
        summary(&l),
        [
            row("github.com/pkg/errors", "v0.9.1", R, 6),
            row("golang.org/x/text", "v0.22.0", R, 7),
            row("github.com/example/local", "v1.0.0", R, 8),
            row("github.com/stretchr/testify", "v1.10.0", R, 11),
        ]
    );
    assert_eq!(l.packages[2].source, Source::Path("../local".into()));
    assert_eq!(
        l.packages[0].purl,
        "pkg:golang/github.com/pkg/errors@v0.9.1"
    );
}

#[test]
fn yarn_v1_and_berry() {
    use Scope::Runtime as R;
    let v1 = load("yarn-v1/yarn.lock");
    assert_eq!(v1.format_version.as_deref(), Some("v1"));
    assert_eq!(
        summary(&v1),
        [
            row("@babel/code-frame", "7.26.2", R, 5),
            row("js-tokens", "4.0.0", R, 12),
            row("mylib", "1.0.0", R, 17)
        ]
    );
    assert_eq!(
        edge_names(&v1),
        [("@babel/code-frame".into(), "js-tokens".into())]
    );
    assert!(matches!(&v1.packages[2].source, Source::Git(_)));
    assert_eq!(v1.packages[0].hashes[0].0, "SHA-512");

    let berry = load("yarn-berry/yarn.lock");
    assert_eq!(berry.format_version.as_deref(), Some("berry __metadata 8"));
    assert_eq!(
        summary(&berry),
        [
            row("@babel/code-frame", "7.26.2", R, 8),
            row("app", "0.0.0-use.local", R, 17),
            row("js-tokens", "4.0.0", R, 25)
        ]
    );
    assert_eq!(berry.packages[1].source, Source::Path(".".into()));
    assert_eq!(
        edge_names(&berry),
        [
            ("@babel/code-frame".into(), "js-tokens".into()),
            ("app".into(), "@babel/code-frame".into())
        ]
    );
}

#[test]
fn pnpm_v6_and_v9_agree() {
    use Scope::{Dev as D, Runtime as R};
    for (rel, lines) in [
        ("pnpm-v6/pnpm-lock.yaml", [19, 23, 30, 39, 45]),
        ("pnpm-v9/pnpm-lock.yaml", [21, 24, 28, 33, 36]),
    ] {
        let l = load(rel);
        assert_eq!(
            summary(&l),
            [
                row("js-tokens", "4.0.0", R, lines[0]),
                row("loose-envify", "1.4.0", R, lines[1]),
                row("react-dom", "18.3.1", R, lines[2]),
                row("react", "18.3.1", R, lines[3]),
                row("typescript", "5.7.3", D, lines[4]),
            ],
            "{rel}"
        );
        assert_eq!(
            edge_names(&l),
            [
                ("loose-envify".into(), "js-tokens".into()),
                ("react".into(), "loose-envify".into()),
                ("react-dom".into(), "loose-envify".into()),
                ("react-dom".into(), "react".into()),
            ],
            "{rel}"
        );
    }
}

#[test]
fn malformed_second_tier_files() {
    let e = parse_str(
        "lockfileVersion: '6.0'\npackages:\n  /a@1.0.0: [\n",
        "pnpm-lock.yaml",
        LockfileFormat::PnpmLock,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("pnpm-lock.yaml:"), "{e}");
    assert!(e.to_string().contains("invalid YAML"), "{e}");
    let e = parse_str(
        "lockfileVersion: '10.0'\n",
        "pnpm-lock.yaml",
        LockfileFormat::PnpmLock,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .contains("unsupported pnpm-lock.yaml lockfileVersion version 10.0"),
        "{e}"
    );
    let e = parse_str(
        "a@^1:\n  resolved \"x\"\n",
        "yarn.lock",
        LockfileFormat::YarnLock,
    )
    .unwrap_err();
    assert_eq!(e.to_string(), "yarn.lock:1: entry \"a@^1\" has no version");
    let e = parse_str(
        "GEM\n  specs:\n    rack 3.1\n",
        "Gemfile.lock",
        LockfileFormat::GemfileLock,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("Gemfile.lock:3:"), "{e}");
    let e = parse_str(
        "module x\nrequire github.com/a/b\n",
        "go.mod",
        LockfileFormat::GoMod,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("go.mod:2:"), "{e}");
    let e = parse_str(
        "{\"packages\": [{\"name\": 1}]}",
        "composer.lock",
        LockfileFormat::ComposerLock,
    )
    .unwrap_err();
    assert!(
        e.to_string().starts_with("composer.lock:1: invalid JSON"),
        "{e}"
    );
}

fn sha256(l: &Lockfile, i: usize) -> Option<&str> {
    l.packages[i]
        .hashes
        .iter()
        .find(|(a, _)| a == "SHA-256")
        .map(|(_, h)| h.as_str())
}

/// go 1.17+ go.mod with its go.sum: the go.mod is the inventory, the go.sum
/// only adds content hashes (of the replacement when one applies); the
/// go.sum's other modules (test deps of deps, /go.mod-only versions) are
/// not added.
#[test]
fn go_mod_with_go_sum_adds_hashes_only() {
    use Scope::Runtime as R;
    let l = load("go/go.mod");
    assert_eq!(l.format_version.as_deref(), Some("go 1.23"));
    assert_eq!(
        summary(&l),
        [
            row("github.com/pkg/errors", "v0.9.1", R, 6),
            row("golang.org/x/text", "v0.22.0", R, 7),
            row("github.com/example/local", "v1.0.0", R, 8),
            row("github.com/stretchr/testify", "v1.10.0", R, 11),
        ]
    );
    // Values decoded by hand from the go.sum's h1: base64.
    assert_eq!(
        sha256(&l, 0),
        Some("94dd5aaff89aa2c9802bb669cacc36c78ca608a76ac9e3f0a744a09dd240ad8e")
    );
    assert_eq!(
        sha256(&l, 1),
        Some("a1bb32261982afcab00ec4360da4e09a78feb19db49338f619561670c39b69a2")
    );
    assert_eq!(
        sha256(&l, 2),
        None,
        "a local replacement has no go.sum line"
    );
    assert!(sha256(&l, 3).is_some());
    assert!(l.packages.iter().all(|p| p.location.file == "go/go.mod"));
}

/// Before Go 1.17 a go.mod lists direct requirements only: the go.sum's
/// built modules are added (highest content version per module; a
/// /go.mod-only version is not built).
#[test]
fn go_116_mod_takes_indirect_modules_from_go_sum() {
    use Scope::Runtime as R;
    let l = load("go116/go.mod");
    assert_eq!(
        summary(&l),
        [
            row("github.com/sirupsen/logrus", "v1.8.1", R, 6),
            row(
                "golang.org/x/net",
                "v0.0.0-20210428140749-89ef3d95e781",
                R,
                7
            ),
            row("github.com/davecgh/go-spew", "v1.1.1", R, 1),
            row("github.com/stretchr/testify", "v1.2.2", R, 5),
            row(
                "golang.org/x/sys",
                "v0.0.0-20210423082822-04245dca01da",
                R,
                11
            ),
            row("golang.org/x/text", "v0.3.6", R, 14),
        ]
    );
    assert_eq!(l.packages[1].location.file, "go116/go.mod");
    assert_eq!(l.packages[4].location.file, "go116/go.sum");
    assert_eq!(
        sha256(&l, 4),
        Some("6a505c7093476ef06fa6dbd0cf12902a923ad7e22bdd6aacba1e9e2ad215792e")
    );
}

#[test]
fn go_sum_alone_dedupes_go_mod_lines() {
    let text = std::fs::read_to_string(dir().join("go/go.sum")).unwrap();
    let l = parse_str(&text, "go.sum", LockfileFormat::GoSum).unwrap();
    let got: Vec<(String, String, usize)> = l
        .packages
        .iter()
        .map(|p| (p.name.clone(), p.version.clone(), p.location.line))
        .collect();
    let want = [
        ("github.com/davecgh/go-spew", "v1.1.1", 1),
        ("github.com/pkg/errors", "v0.9.1", 4),
        ("github.com/pmezard/go-difflib", "v1.0.0", 6),
        ("github.com/stretchr/testify", "v1.10.0", 8),
        ("golang.org/x/text", "v0.22.0", 11),
        ("gopkg.in/yaml.v3", "v3.0.1", 13),
    ];
    let want: Vec<(String, String, usize)> = want
        .iter()
        .map(|(n, v, l)| (n.to_string(), v.to_string(), *l))
        .collect();
    assert_eq!(got, want);
    // 14 lines, 8 module versions, 2 of them /go.mod only.
    assert_eq!(text.lines().count(), 14);
    assert!(l.packages.iter().all(|p| p.hashes.len() == 1));
    assert_eq!(l.packages[5].purl, "pkg:golang/gopkg.in/yaml.v3@v3.0.1");
}

/// A real go.mod/go.sum pair (rustls-platform-verifier's Go test helper,
/// shipped in its crate).
#[test]
fn real_go_sum_from_rustls_platform_verifier() {
    let rel = "go/rustls-platform-verifier/go.mod";
    let path = dir().parent().unwrap().join(rel);
    let l = parse_file(&path, rel).unwrap();
    assert_eq!(l.packages.len(), 1);
    let p = &l.packages[0];
    assert_eq!(
        (p.name.as_str(), p.version.as_str()),
        ("golang.org/x/crypto", "v0.0.0-20211117183948-ae814b36b871")
    );
    assert_eq!(
        p.hashes,
        [(
            "SHA-256".to_string(),
            "fe910edc60ff0016008ee6a4512eb14849a6972552e24c41364780f6d2c98932".to_string()
        )]
    );
}

#[test]
fn malformed_go_sum() {
    let e = parse_str(
        "github.com/a/b v1.0.0 h1:AAAA\ngithub.com/a/b v1.0.0\n",
        "go.sum",
        LockfileFormat::GoSum,
    )
    .unwrap_err();
    assert!(e.to_string().starts_with("go.sum:1: "), "{e}");
    assert!(e.to_string().contains("not an h1: SHA-256 hash"), "{e}");
    let good = "h1:".to_string() + &"A".repeat(43) + "=";
    let e = parse_str(
        &format!("github.com/a/b v1.0.0 {good}\ngithub.com/a/b v1.0.0\n"),
        "go.sum",
        LockfileFormat::GoSum,
    )
    .unwrap_err();
    assert!(
        e.to_string()
            .starts_with("go.sum:2: expected `module version hash`"),
        "{e}"
    );
    // Next to a go.mod, a bad go.sum is the error, named by its own path.
    let t = tempfile::tempdir().unwrap();
    std::fs::write(t.path().join("go.mod"), "module x\n\ngo 1.22\n").unwrap();
    std::fs::write(t.path().join("go.sum"), "x v1 h1:%%%\n").unwrap();
    let e = parse_file(&t.path().join("go.mod"), "app/go.mod").unwrap_err();
    assert!(e.to_string().starts_with("app/go.sum:1: "), "{e}");
}

#[test]
fn discovery_reads_go_sum_with_its_go_mod() {
    use guardrail::deps::discover::discover;
    let (found, errors) = discover(&dir());
    assert!(errors.is_empty(), "{errors:?}");
    let go: Vec<&str> = found
        .iter()
        .map(|f| f.display.as_str())
        .filter(|d| d.starts_with("go"))
        .collect();
    assert_eq!(go, ["go/go.mod", "go116/go.mod"]);
    // A go.sum with no go.mod beside it is a lockfile of its own.
    let t = tempfile::tempdir().unwrap();
    std::fs::create_dir(t.path().join("sub")).unwrap();
    std::fs::copy(dir().join("go/go.sum"), t.path().join("sub/go.sum")).unwrap();
    let (found, _) = discover(t.path());
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].display, "sub/go.sum");
    assert_eq!(found[0].format, LockfileFormat::GoSum);
}
