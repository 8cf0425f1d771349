//! Advisory DB load and review benchmark (issue 5):
//! load RustSec + PyPA + the GitHub samples, then review a 2,000-package
//! lockfile diff. Cold = parse every file; cached = the postcard index.
//!
//!     cargo bench --bench advisories            # DB: ../shared/advisories
//!     GUARDRAIL_BENCH_DB=/path cargo bench --bench advisories
//!
//! Prints median wall times of several runs; the cold load is the baseline
//! the cached figures are quoted against. Only the work itself is timed:
//! each run's result (database, report) is dropped after its clock stops.
//! `GUARDRAIL_BENCH_ONLY=cached` skips the cold figures (for profiling).

use std::path::PathBuf;
use std::time::{Duration, Instant};

use guardrail::deps::advisory::index::{load_cached, CacheUse};
use guardrail::deps::advisory::{load, Database, Severity};
use guardrail::deps::config::DepsConfig;
use guardrail::deps::model::{Ecosystem, Location, Package, Scope, Source};
use guardrail::deps::review::{review, Policy};

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..runs {
        // Freeing the previous run's result is not part of this run.
        drop(last.take());
        let t = Instant::now();
        let out = f();
        times.push(t.elapsed());
        last = Some(out);
    }
    (median(times), last.unwrap())
}

/// 2,000 packages named after packages the DB knows (so matching does real
/// work), at versions that are often affected; head changes every 5th.
fn synth(db: &Database) -> (Vec<Package>, Vec<Package>) {
    let mut keys: Vec<&(Ecosystem, String)> = db.index.keys().collect();
    keys.sort();
    let mk = |eco: Ecosystem, name: &str, version: &str, line: usize| Package {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        scope: Scope::Runtime,
        source: Source::Registry(None),
        purl: String::new(),
        location: Location {
            file: "lock".into(),
            line,
        },
        hashes: Vec::new(),
        markers: None,
    };
    let mut base = Vec::new();
    let mut head = Vec::new();
    for i in 0..2000 {
        let (eco, name) = keys[i % keys.len()];
        let (old, new) = match eco {
            Ecosystem::PyPI => ("1.0", "2.0.1"),
            _ => ("0.1.0", "1.2.3"),
        };
        base.push(mk(*eco, name, old, i + 1));
        head.push(mk(*eco, name, if i % 5 == 0 { new } else { old }, i + 1));
    }
    (base, head)
}

fn main() {
    let root = std::env::var_os("GUARDRAIL_BENCH_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/advisories"));
    if !root.exists() {
        eprintln!(
            "skipped: {} not found (set GUARDRAIL_BENCH_DB)",
            root.display()
        );
        return;
    }
    // Keep the index cache out of the user's cache dir and out of a read-only DB.
    let cache = tempfile::tempdir().unwrap();
    std::env::set_var("GUARDRAIL_CACHE_DIR", cache.path());
    let policy = Policy {
        fail_on: Severity::Unknown,
        fail_on_any: false,
        allow_ids: Vec::new(),
        config: DepsConfig::default(),
        deny: Vec::new(),
        today: jiff::civil::date(2026, 1, 1),
    };

    let only_cached = std::env::var("GUARDRAIL_BENCH_ONLY").is_ok_and(|v| v == "cached");
    // First cached call writes the index; the timed ones read it.
    let (_, use0) = load_cached(&root, true).unwrap();
    let (hit, (db2, use1)) = time(9, || load_cached(&root, true).unwrap());
    assert_eq!(use1, CacheUse::Hit, "first call was {use0:?}");
    let (base, head) = synth(&db2);
    let (rev2, report) = time(9, || review(&db2, &base, &head, &policy));
    // What a user waits for: both steps back to back, timed as one.
    let (both, _) = time(9, || {
        let (db, _) = load_cached(&root, true).unwrap();
        let r = review(&db, &base, &head, &policy);
        (db, r)
    });
    println!(
        "db: {} ({} advisories)",
        root.display(),
        db2.advisories.len()
    );
    println!(
        "diff: {} base / {} head packages; {} findings",
        base.len(),
        head.len(),
        report.findings.len()
    );
    if only_cached {
        println!("cached index load        {:>9.1?}", hit);
        println!("review (2,000 packages)  {:>9.1?}", rev2);
        println!("cached load + review     {:>9.1?}  (one timed step)", both);
        return;
    }
    let (cold, db) = time(3, || load::load(&root).unwrap());
    assert_eq!(db2.advisories.len(), db.advisories.len());
    let (fp, _) = time(5, || guardrail::deps::advisory::index::fingerprint(&root));
    println!("fingerprint (stat walk)  {:>9.1?}", fp);
    println!("cold load                {:>9.1?}", cold);
    println!("cold load + review       {:>9.1?}", cold + rev2);
    println!(
        "cached index load        {:>9.1?}  ({:.1}x faster than cold)",
        hit,
        cold.as_secs_f64() / hit.as_secs_f64()
    );
    println!("review (2,000 packages)  {:>9.1?}", rev2);
    println!("cached load + review     {:>9.1?}  (one timed step)", both);
}
