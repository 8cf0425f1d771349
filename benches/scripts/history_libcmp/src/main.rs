//! Enumerate every object of a repository, keep the blobs, inflate each
//! once, and sum their sizes: with gix and with git2, single-threaded and
//! on all cores. Prints one line per variant with seconds and MB/s.
use std::time::Instant;

use rayon::prelude::*;

fn gix_ids(repo: &gix::Repository) -> Vec<gix::ObjectId> {
    let mut ids: Vec<_> = repo
        .objects
        .iter()
        .expect("odb iter")
        .filter_map(Result::ok)
        .filter(|id| {
            repo.find_header(*id)
                .is_ok_and(|h| h.kind() == gix::object::Kind::Blob)
        })
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn gix_run(path: &str, threads: usize) -> (usize, u64) {
    let mut repo = gix::open(path).expect("open");
    repo.object_cache_size_if_unset(64 << 20);
    let ids = gix_ids(&repo);
    let sync = repo.into_sync();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let bytes: u64 = pool.install(|| {
        ids.par_iter()
            .map_init(
                || {
                    let mut r = sync.to_thread_local();
                    r.object_cache_size_if_unset(64 << 20);
                    r
                },
                |r, id| r.find_object(*id).map(|o| o.data.len() as u64).unwrap_or(0),
            )
            .sum()
    });
    (ids.len(), bytes)
}

/// Every blob of every pack, decoded in pack order with gix-pack's
/// delta-tree traversal (each delta base inflated once).
fn gix_pack_run(path: &str, threads: usize) -> (usize, u64) {
    use gix::odb::pack;
    use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
    let repo = gix::open(path).expect("open");
    let dir = repo.common_dir().join("objects/pack");
    let (n, bytes) = (AtomicUsize::new(0), AtomicU64::new(0));
    for e in std::fs::read_dir(dir).unwrap() {
        let p = e.unwrap().path();
        if p.extension().is_none_or(|x| x != "idx") {
            continue;
        }
        let b = pack::Bundle::at(&p, repo.object_hash()).unwrap();
        let (n, bytes) = (&n, &bytes);
        b.index
            .traverse_with_index(
                &b.pack,
                move |kind, data: &[u8], _e: &pack::index::Entry, _: &dyn gix::progress::Progress| -> Result<(), gix::Error> {
                    if kind == gix::object::Kind::Blob {
                        n.fetch_add(1, Ordering::Relaxed);
                        bytes.fetch_add(data.len() as u64, Ordering::Relaxed);
                    }
                    Ok(())
                },
                &mut gix::progress::Discard,
                &Default::default(),
                pack::index::traverse::with_index::Options {
                    thread_limit: Some(threads),
                    check: pack::index::traverse::SafetyCheck::SkipFileAndObjectChecksumVerification,
                    alloc_limit_bytes: None,
                },
            )
            .unwrap();
    }
    (n.into_inner(), bytes.into_inner())
}

fn git2_ids(repo: &git2::Repository) -> Vec<git2::Oid> {
    let odb = repo.odb().unwrap();
    let mut all = Vec::new();
    odb.foreach(|id| {
        all.push(*id);
        true
    })
    .unwrap();
    let mut ids: Vec<_> = all
        .into_iter()
        .filter(|id| odb.read_header(*id).is_ok_and(|(_, k)| k == git2::ObjectType::Blob))
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

fn git2_run(path: &str, threads: usize) -> (usize, u64) {
    let repo = git2::Repository::open(path).unwrap();
    let ids = git2_ids(&repo);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let bytes: u64 = pool.install(|| {
        ids.par_iter()
            .map_init(
                || git2::Repository::open(path).unwrap(),
                |r, id| {
                    // `odb()` hands out the repository's cached handle.
                    let odb = r.odb().unwrap();
                    odb.read(*id).map(|o| o.len() as u64).unwrap_or(0)
                },
            )
            .sum()
    });
    (ids.len(), bytes)
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: history_libcmp REPO [gix|git2] [threads]");
    let only = std::env::args().nth(2);
    let threads: Vec<usize> = match std::env::args().nth(3) {
        Some(t) => vec![t.parse().unwrap()],
        None => vec![1, 2],
    };
    for lib in ["gixpack", "gix", "git2"] {
        if only.as_deref().is_some_and(|o| o != lib) {
            continue;
        }
        for &t in &threads {
            let start = Instant::now();
            let (n, bytes) = match lib {
                "gixpack" => gix_pack_run(&path, t),
                "gix" => gix_run(&path, t),
                _ => git2_run(&path, t),
            };
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{lib:5} threads={t} blobs={n} bytes={bytes} time={secs:.2}s rate={:.1} MB/s",
                bytes as f64 / 1e6 / secs
            );
        }
    }
}
