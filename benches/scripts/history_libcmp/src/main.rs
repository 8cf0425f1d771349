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
                || git2::Repository::open(path).unwrap().odb().unwrap(),
                |odb, id| odb.read(*id).map(|o| o.len() as u64).unwrap_or(0),
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
    for lib in ["gix", "git2"] {
        if only.as_deref().is_some_and(|o| o != lib) {
            continue;
        }
        for &t in &threads {
            let start = Instant::now();
            let (n, bytes) = if lib == "gix" { gix_run(&path, t) } else { git2_run(&path, t) };
            let secs = start.elapsed().as_secs_f64();
            println!(
                "{lib:5} threads={t} blobs={n} bytes={bytes} time={secs:.2}s rate={:.1} MB/s",
                bytes as f64 / 1e6 / secs
            );
        }
    }
}
