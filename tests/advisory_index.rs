//! The cached index is reused while the data is unchanged, rebuilt when a
//! file changes, and falls back to the cache dir when the DB is read-only.

mod common;

use std::path::PathBuf;

use guardrail::deps::advisory::index::{load_cached, CacheUse};

#[test]
fn cache_hit_miss_and_invalidation() {
    let tmp = tempfile::tempdir().unwrap();
    std::env::set_var("GUARDRAIL_CACHE_DIR", tmp.path().join("cache"));
    let db = tmp.path().join("db");
    common::copy_dir(&common::fixture_path("osv/ranges"), &db);
    let (a, u) = load_cached(&db, true).unwrap();
    assert_eq!(u, CacheUse::Miss);
    assert!(db.join(".guardrail-index.bin").is_file());
    let (b, u) = load_cached(&db, true).unwrap();
    assert_eq!(u, CacheUse::Hit);
    assert_eq!(a.advisories, b.advisories);
    assert_eq!(a.index, b.index);

    // Removing an advisory file changes the fingerprint: rebuilt, one fewer.
    std::fs::remove_file(db.join("limit.json")).unwrap();
    let (c, u) = load_cached(&db, true).unwrap();
    assert_eq!(u, CacheUse::Miss);
    assert_eq!(c.advisories.len() + 1, a.advisories.len());

    // A corrupt cache file is ignored, not trusted.
    std::fs::write(db.join(".guardrail-index.bin"), b"garbage").unwrap();
    let (d, u) = load_cached(&db, true).unwrap();
    assert_eq!(u, CacheUse::Miss);
    assert_eq!(d.advisories.len(), c.advisories.len());
}

/// The real shared data (../shared, or `GUARDRAIL_SHARED`), when present.
fn shared() -> Option<PathBuf> {
    let dir = std::env::var_os("GUARDRAIL_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    dir.join("advisories").is_dir().then_some(dir)
}

/// Review and audit give the same report from a cold load and from the
/// cached index: the real advisory DB against consecutive revisions of the
/// real lockfiles in ../shared/lockfiles.
#[test]
fn cold_and_cached_loads_review_alike_on_real_data() {
    use guardrail::deps::advisory::load;
    use guardrail::deps::lockfile::parse_file;
    use guardrail::deps::review::{audit, review};

    let Some(shared) = shared() else {
        eprintln!("skipped: no shared data (set GUARDRAIL_SHARED)");
        return;
    };
    let root = shared.join("advisories");
    // Keep the index out of the user's cache dir (the shared copy is read-only).
    let cache = tempfile::tempdir().unwrap();
    std::env::set_var("GUARDRAIL_CACHE_DIR", cache.path());
    let cold = load::load(&root).unwrap();
    let (_, first) = load_cached(&root, true).unwrap();
    let (cached, second) = load_cached(&root, true).unwrap();
    assert_ne!(first, CacheUse::Off);
    assert_eq!(second, CacheUse::Hit);
    assert_eq!(cached.advisories, cold.advisories);

    let policy = common::deps::policy();
    let mut pairs = 0;
    let mut findings = 0;
    for eco in ["cargo", "npm", "pypi"] {
        for repo in std::fs::read_dir(shared.join("lockfiles").join(eco)).unwrap() {
            let mut revs: Vec<PathBuf> = std::fs::read_dir(repo.unwrap().path())
                .unwrap()
                .flat_map(|d| std::fs::read_dir(d.unwrap().path()).unwrap())
                .map(|f| f.unwrap().path())
                .collect();
            revs.sort();
            let pkgs: Vec<_> = revs
                .iter()
                .map(|p| parse_file(p, &p.display().to_string()).unwrap().packages)
                .collect();
            for w in pkgs.windows(2) {
                let a = review(&cold, &w[0], &w[1], &policy);
                let b = review(&cached, &w[0], &w[1], &policy);
                assert_eq!(
                    serde_json::to_value(&a).unwrap(),
                    serde_json::to_value(&b).unwrap()
                );
                let a = audit(&cold, &w[1], &policy);
                let b = audit(&cached, &w[1], &policy);
                assert_eq!(
                    serde_json::to_value(&a).unwrap(),
                    serde_json::to_value(&b).unwrap()
                );
                pairs += 1;
                findings += a.findings.len();
            }
        }
    }
    assert!(pairs >= 20, "only {pairs} revision pairs");
    // The old rustsec and ripgrep lockfiles pin known-vulnerable crates.
    assert!(findings > 0);
}
