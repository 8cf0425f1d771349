//! The cached index is reused while the data is unchanged, rebuilt when a
//! file changes, and falls back to the cache dir when the DB is read-only.

use std::path::PathBuf;

use guardrail::deps::advisory::index::{load_cached, CacheUse};

fn copy_ranges(to: &std::path::Path) {
    let from = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/osv/ranges");
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
    }
}

#[test]
fn cache_hit_miss_and_invalidation() {
    let tmp = tempfile::tempdir().unwrap();
    std::env::set_var("GUARDRAIL_CACHE_DIR", tmp.path().join("cache"));
    let db = tmp.path().join("db");
    copy_ranges(&db);
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
