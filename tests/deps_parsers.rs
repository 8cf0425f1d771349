//! Lockfile parsers on real lockfiles (tests/fixtures/lockfiles), checked
//! against counts made independently of the parsers.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use guardrail::deps::lockfile::{parse_file, parse_str, pep503, LockfileError};
use guardrail::deps::model::{Ecosystem, Lockfile, LockfileFormat, Scope, Source};
use proptest::prelude::*;

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/lockfiles")
}

fn load(rel: &str) -> Lockfile {
    let p = fixtures().join(rel);
    parse_file(&p, rel).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

/// (path, format column, packages column) of MANIFEST.tsv.
fn manifest() -> Vec<(String, String, usize)> {
    let text = std::fs::read_to_string(fixtures().join("MANIFEST.tsv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[10].to_string(), f[6].to_string(), f[7].parse().unwrap())
        })
        .collect()
}

#[test]
fn counts_match_manifest() {
    let m = manifest();
    assert!(m.len() >= 20, "manifest rows: {}", m.len());
    for (path, format, count) in m {
        // The manifest counts only top-level entries of lockfileVersion 1.
        if format == "lockfileVersion 1" {
            continue;
        }
        let l = load(&path);
        assert_eq!(l.packages.len(), count, "{path} ({format})");
    }
}

/// Every entry of a v1 lockfile's nested `dependencies`, counted on the
/// untyped JSON, plus the root.
fn v1_count(v: &serde_json::Value) -> usize {
    v.get("dependencies")
        .and_then(|d| d.as_object())
        .map(|d| d.values().map(|e| 1 + v1_count(e)).sum())
        .unwrap_or(0)
}

#[test]
fn npm_v1_counts_nested_entries() {
    for rel in [
        "npm/actions-checkout/e347bba9/package-lock.json",
        "npm/actions-checkout/93ea575c/package-lock.json",
    ] {
        let text = std::fs::read_to_string(fixtures().join(rel)).unwrap();
        let v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let l = load(rel);
        assert_eq!(l.format_version.as_deref(), Some("lockfileVersion 1"));
        assert_eq!(l.packages.len(), v1_count(&v) + 1, "{rel}");
        assert!(l.packages.len() > 700);
    }
}

#[test]
fn npm_matches_npm_ls() {
    for c in ["26d48e8e", "3d3c42e5"] {
        let dir = fixtures().join("npm/actions-checkout").join(c);
        let expected: BTreeSet<String> = std::fs::read_to_string(dir.join("npm-ls.txt"))
            .unwrap()
            .lines()
            .map(str::to_string)
            .collect();
        let l = load(&format!("npm/actions-checkout/{c}/package-lock.json"));
        let got: BTreeSet<String> = l
            .packages
            .iter()
            .filter(|p| !matches!(p.source, Source::Path(_)))
            .map(|p| format!("{}@{}", p.name, p.version))
            .collect();
        assert!(expected.len() > 500);
        assert_eq!(got, expected, "{c}");
    }
}

#[test]
fn npm_scopes_flags_and_purls() {
    let rel = "npm/actions-checkout/3d3c42e5/package-lock.json";
    let text = std::fs::read_to_string(fixtures().join(rel)).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    let dev = v["packages"]
        .as_object()
        .unwrap()
        .values()
        .filter(|e| e["dev"] == true)
        .count();
    let l = load(rel);
    assert_eq!(
        l.packages.iter().filter(|p| p.scope == Scope::Dev).count(),
        dev
    );
    assert!(dev > 100);
    let core = l
        .packages
        .iter()
        .find(|p| p.name == "@actions/core")
        .unwrap();
    assert!(
        core.purl.starts_with("pkg:npm/%40actions/core@"),
        "{}",
        core.purl
    );
    assert_eq!(core.scope, Scope::Runtime);
    assert_eq!(core.hashes[0].0, "SHA-512");
    assert_eq!(core.hashes[0].1.len(), 128);
    // The root depends on its direct dependencies.
    let root = l
        .packages
        .iter()
        .position(|p| p.source == Source::Path(".".into()))
        .unwrap();
    let core_i = l
        .packages
        .iter()
        .position(|p| p.name == "@actions/core")
        .unwrap();
    assert!(l.edges.iter().any(|e| e.from == root && e.to == core_i));
}

/// The 1-based line of every package names it.
#[test]
fn lines_point_at_the_package() {
    for (path, _, _) in manifest() {
        let l = load(&path);
        let text = std::fs::read_to_string(fixtures().join(&path)).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for p in &l.packages {
            if l.format == LockfileFormat::PackageLockJson && p.source == Source::Path(".".into()) {
                continue;
            }
            let line = lines[p.location.line - 1];
            let ok = match p.ecosystem {
                Ecosystem::PyPI => {
                    line.contains("name = ") && pep503(line.split('"').nth(1).unwrap()) == p.name
                }
                _ => {
                    line.contains(&format!("\"{}\"", p.name))
                        || line.contains(&format!("/{}\"", p.name))
                }
            };
            assert!(
                ok,
                "{path}:{} does not name {}: {line}",
                p.location.line, p.name
            );
        }
    }
}

#[test]
fn cargo_versions_sources_checksums_edges() {
    // v1 with [metadata] checksums.
    let l = load("cargo/rustsec-rustsec/8bba3a0f/Cargo.lock");
    assert_eq!(l.format_version.as_deref(), Some("v1"));
    let with_sum = l.packages.iter().filter(|p| !p.hashes.is_empty()).count();
    let text =
        std::fs::read_to_string(fixtures().join("cargo/rustsec-rustsec/8bba3a0f/Cargo.lock"))
            .unwrap();
    assert_eq!(
        with_sum,
        text.lines()
            .filter(|l| l.starts_with("\"checksum "))
            .count()
    );
    // Every dependency string resolves to exactly one edge.
    for rel in [
        "cargo/rustsec-rustsec/7fad63bd/Cargo.lock",
        "cargo/burntsushi-ripgrep/cf3a33ce/Cargo.lock",
    ] {
        let text = std::fs::read_to_string(fixtures().join(rel)).unwrap();
        let v: toml::Value = toml::from_str(&text).unwrap();
        let declared: usize = v
            .get("package")
            .and_then(|p| p.as_array())
            .into_iter()
            .flatten()
            .chain(v.get("root"))
            .map(|p| {
                p.get("dependencies")
                    .and_then(|d| d.as_array())
                    .map_or(0, |d| d.len())
            })
            .sum();
        let l = load(rel);
        assert_eq!(l.edges.len(), declared, "{rel}");
    }
    let l = load("cargo/burntsushi-ripgrep/81bed786/Cargo.lock");
    assert_eq!(l.format_version.as_deref(), Some("v4"));
    let rg = l.packages.iter().find(|p| p.name == "ripgrep").unwrap();
    assert_eq!(rg.source, Source::Path(".".into()));
    let regex = l.packages.iter().find(|p| p.name == "regex").unwrap();
    assert_eq!(regex.source, Source::Registry(None));
    assert_eq!(regex.purl, format!("pkg:cargo/regex@{}", regex.version));
}

#[test]
fn uv_scopes_from_reachability() {
    let l = load("pypi/pallets-flask/83dbcb22/uv.lock");
    let get = |n: &str| {
        l.packages
            .iter()
            .find(|p| p.name == n)
            .unwrap_or_else(|| panic!("{n}"))
    };
    assert_eq!(get("flask").source, Source::Path(".".into()));
    assert_eq!(get("blinker").scope, Scope::Runtime);
    assert_eq!(get("werkzeug").scope, Scope::Runtime);
    // Only in the `async` extra (and dev groups): optional wins over dev.
    assert_eq!(get("asgiref").scope, Scope::Optional);
    assert_eq!(get("ruff").scope, Scope::Dev);
    // Two versions of one name, one per Python fork.
    let sphinx: Vec<_> = l.packages.iter().filter(|p| p.name == "sphinx").collect();
    assert_eq!(sphinx.len(), 3);
    assert!(sphinx.iter().all(|p| p.scope == Scope::Dev));
    assert!(get("blinker")
        .hashes
        .iter()
        .all(|(a, h)| a == "SHA-256" && h.len() == 64));
    assert!(!get("blinker").hashes.is_empty());
}

#[test]
fn poetry_versions_groups_and_sources() {
    let pre = load("pypi/python-poetry-poetry/13bd6400/poetry.lock");
    assert_eq!(pre.format_version.as_deref(), Some("pre-1.0"));
    let aspy = pre.packages.iter().find(|p| p.name == "aspy-yaml").unwrap();
    assert_eq!(aspy.scope, Scope::Dev);
    assert_eq!(aspy.hashes.len(), 2);
    assert_eq!(aspy.purl, "pkg:pypi/aspy-yaml@1.1.1");

    let v21 = load("pypi/python-poetry-poetry/298068d3/poetry.lock");
    assert_eq!(v21.format_version.as_deref(), Some("lock-version 2.1"));
    let core = v21
        .packages
        .iter()
        .find(|p| p.name == "poetry-core")
        .unwrap();
    assert_eq!(
        core.source,
        Source::Git("https://github.com/python-poetry/poetry-core.git#e3998b0e111dc03e4aa721fd054c48e5c7de6fc5".into())
    );
    let text =
        std::fs::read_to_string(fixtures().join("pypi/python-poetry-poetry/298068d3/poetry.lock"))
            .unwrap();
    let main = text
        .lines()
        .filter(|l| l.starts_with("groups = [") && l.contains("\"main\""))
        .count();
    let runtime_like = v21
        .packages
        .iter()
        .filter(|p| matches!(p.scope, Scope::Runtime | Scope::Optional))
        .count();
    assert_eq!(runtime_like, main);
    assert!(v21.packages.iter().any(|p| p.scope == Scope::Dev));

    let v11 = load("pypi/python-poetry-poetry/3f20e030/poetry.lock");
    let appdirs = v11.packages.iter().find(|p| p.name == "appdirs").unwrap();
    assert_eq!(appdirs.hashes.len(), 2);
}

fn err_of(text: &str, name: &str, format: LockfileFormat) -> LockfileError {
    parse_str(text, name, format).expect_err("must fail")
}

#[test]
fn malformed_inputs_name_file_and_line() {
    let e = err_of(
        "version = 3\n\n[[package]]\nname = \"a\"\nversion = \n",
        "Cargo.lock",
        LockfileFormat::CargoLock,
    );
    assert!(
        e.to_string().starts_with("Cargo.lock:5: invalid TOML"),
        "{e}"
    );
    let e = err_of(
        "{\n  \"lockfileVersion\": 3,\n  \"packages\": {,}\n}",
        "package-lock.json",
        LockfileFormat::PackageLockJson,
    );
    assert!(
        e.to_string()
            .starts_with("package-lock.json:3: invalid JSON"),
        "{e}"
    );
    // A well-formed file with a field of the wrong type: still file:line.
    let e = err_of(
        "version = 1\n\n[[package]]\nname = 3\n",
        "uv.lock",
        LockfileFormat::UvLock,
    );
    assert!(e.to_string().starts_with("uv.lock:4: invalid TOML"), "{e}");
    // A Cargo.lock dependency that names no package.
    let e = err_of(
        "version = 3\n[[package]]\nname = \"a\"\nversion = \"1.0.0\"\ndependencies = [\"b\"]\n",
        "Cargo.lock",
        LockfileFormat::CargoLock,
    );
    assert!(e.to_string().contains("\"b\""), "{e}");
}

#[test]
fn unknown_versions_are_clear_errors() {
    let e = err_of(
        "{\"lockfileVersion\": 7, \"packages\": {}}",
        "package-lock.json",
        LockfileFormat::PackageLockJson,
    );
    assert_eq!(
        e.to_string(),
        "package-lock.json: unsupported package-lock.json lockfileVersion version 7 (this build reads lockfileVersion 1, 2 and 3)"
    );
    let e = err_of("version = 9\n", "Cargo.lock", LockfileFormat::CargoLock);
    assert!(
        e.to_string().contains("unsupported Cargo.lock version 9"),
        "{e}"
    );
    let e = err_of("version = 2\n", "uv.lock", LockfileFormat::UvLock);
    assert!(
        e.to_string().contains("unsupported uv.lock version 2"),
        "{e}"
    );
    let e = err_of(
        "[metadata]\nlock-version = \"3.0\"\n",
        "poetry.lock",
        LockfileFormat::PoetryLock,
    );
    assert!(
        e.to_string()
            .contains("unsupported poetry.lock version 3.0"),
        "{e}"
    );
}

/// PEP 503 as its reference regex: `re.sub(r"[-_.]+", "-", name).lower()`.
fn pep503_reference(name: &str) -> String {
    regex::Regex::new(r"[-_.]+")
        .unwrap()
        .replace_all(name, "-")
        .to_lowercase()
}

proptest! {
    #[test]
    fn pep503_matches_reference(name in "[A-Za-z0-9][A-Za-z0-9._-]{0,30}") {
        let n = pep503(&name);
        prop_assert_eq!(&n, &pep503_reference(&name));
        prop_assert_eq!(pep503(&n), n.clone());
        prop_assert!(!n.contains("--") && !n.contains('_') && !n.contains('.'));
    }
}
