//! Lockfile parsing and inventory diff on real lockfiles from
//! tests/fixtures/lockfiles. Run: `cargo bench --bench lockfiles`.

use std::path::{Path, PathBuf};

use divan::{black_box, Bencher};
use guardrail::deps::diff::diff_lockfiles;
use guardrail::deps::lockfile::{detect_format, parse_bytes};
use guardrail::deps::model::Lockfile;

fn main() {
    divan::main();
}

fn fixture(rel: &str) -> (PathBuf, Vec<u8>) {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lockfiles")
        .join(rel);
    let bytes = std::fs::read(&p).expect("fixture");
    (p, bytes)
}

fn parse(rel: &str) -> Lockfile {
    let (p, bytes) = fixture(rel);
    parse_bytes(&bytes, rel, detect_format(&p).unwrap()).unwrap()
}

/// The largest lockfile in the shared set: package-lock v2, 1.3 MB, 1516 packages.
const NPM_LARGEST: &str = "npm/actions-checkout/26d48e8e/package-lock.json";

#[divan::bench(args = [
    NPM_LARGEST,
    "npm/actions-checkout/e347bba9/package-lock.json",
    "cargo/rustsec-rustsec/7fad63bd/Cargo.lock",
    "pypi/pallets-flask/83dbcb22/uv.lock",
    "pypi/python-poetry-poetry/298068d3/poetry.lock",
])]
fn parse_lockfile(bencher: Bencher, rel: &str) {
    let (p, bytes) = fixture(rel);
    let format = detect_format(&p).unwrap();
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench(|| parse_bytes(black_box(&bytes), rel, format).unwrap());
}

/// Baseline for the parse: serde_json into an untyped Value, no inventory.
#[divan::bench]
fn baseline_serde_json_value(bencher: Bencher) {
    let (_, bytes) = fixture(NPM_LARGEST);
    bencher.bench(|| serde_json::from_slice::<serde_json::Value>(black_box(&bytes)).unwrap());
}

/// Two successive real revisions: parse both and diff (what `deps diff` does per lockfile).
#[divan::bench(args = [
    ("npm/actions-checkout/93ea575c/package-lock.json", NPM_LARGEST),
    ("npm/actions-checkout/9c1e94e0/package-lock.json", "npm/actions-checkout/3d3c42e5/package-lock.json"),
])]
fn parse_and_diff(bencher: Bencher, (base, head): (&str, &str)) {
    let (bp, bb) = fixture(base);
    let (hp, hb) = fixture(head);
    bencher.bench(|| {
        let b = parse_bytes(&bb, "package-lock.json", detect_format(&bp).unwrap()).unwrap();
        let h = parse_bytes(&hb, "package-lock.json", detect_format(&hp).unwrap()).unwrap();
        diff_lockfiles(Some(&b), Some(&h))
    });
}

/// The diff alone, on already parsed lockfiles.
#[divan::bench]
fn diff_only(bencher: Bencher) {
    let b = parse("npm/actions-checkout/93ea575c/package-lock.json");
    let h = parse(NPM_LARGEST);
    bencher.bench(|| diff_lockfiles(Some(black_box(&b)), Some(black_box(&h))));
}
