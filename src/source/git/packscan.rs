//! Inflate the wanted blobs by decoding whole packs in pack order with
//! `gix-pack`'s delta-tree traversal: each delta base is inflated once and
//! its children are resolved from it, in parallel, instead of walking a
//! delta chain per blob (what a per-id lookup does). This is what makes a
//! history scan approach the cost of reading every object once. Blobs not
//! found in a pack (loose objects, alternates) are left for the caller.

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use gix::odb::pack;
use gix::ObjectId;

/// The repository's own pack index files.
fn pack_indices(repo: &gix::Repository) -> Vec<PathBuf> {
    let dir = repo.common_dir().join("objects").join("pack");
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Call `each(i, data)` for every `wanted[i]` found in a pack, at most once
/// per blob, from up to `threads` threads. Returns which were found.
pub fn scan_packs(
    repo: &gix::Repository,
    wanted: &[ObjectId],
    threads: usize,
    each: &(dyn Fn(usize, &[u8]) + Sync),
) -> Vec<bool> {
    let mut index: gix::hashtable::HashMap<ObjectId, usize> = Default::default();
    index.reserve(wanted.len());
    for (i, id) in wanted.iter().enumerate() {
        index.entry(*id).or_insert(i);
    }
    let done: Vec<AtomicBool> = (0..wanted.len()).map(|_| AtomicBool::new(false)).collect();
    let interrupt = AtomicBool::new(false);
    for idx in pack_indices(repo) {
        let bundle = match pack::Bundle::at(&idx, repo.object_hash()) {
            Ok(b) => b,
            // An unreadable pack: its blobs fall back to per-object reads,
            // which report the problem blob by blob.
            Err(_) => continue,
        };
        let (index, done) = (&index, &done);
        let processor = move |kind: gix::object::Kind,
                              data: &[u8],
                              entry: &pack::index::Entry,
                              _: &dyn gix::progress::Progress|
              -> Result<(), gix::Error> {
            if kind == gix::object::Kind::Blob {
                if let Some(&i) = index.get(&entry.oid) {
                    if !done[i].swap(true, Ordering::Relaxed) {
                        each(i, data);
                    }
                }
            }
            Ok(())
        };
        let opts = pack::index::traverse::with_index::Options {
            thread_limit: (threads > 0).then_some(threads),
            // Ids come from the index; hashing every object again would
            // double the cost. Decode errors fall back to per-blob reads.
            check: pack::index::traverse::SafetyCheck::SkipFileAndObjectChecksumVerificationAndNoAbortOnDecodeError,
            alloc_limit_bytes: None,
        };
        // A pack that fails part-way is not fatal: whatever it did not
        // deliver is read object by object afterwards, and those reads
        // name the blob that is broken.
        let _ = bundle.index.traverse_with_index(
            &bundle.pack,
            processor,
            &mut gix::progress::Discard,
            &interrupt,
            opts,
        );
    }
    done.into_iter().map(AtomicBool::into_inner).collect()
}
