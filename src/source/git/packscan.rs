//! Inflate the wanted blobs by decoding whole packs in pack order with
//! `gix-pack`'s delta-tree traversal: each delta base is inflated once and
//! its children are resolved from it, in parallel, instead of walking a
//! delta chain per blob (what a per-id lookup does). This is what makes a
//! history scan approach the cost of reading every object once. Blobs not
//! found in a pack (loose objects, alternates) are left for the caller.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gix::odb::pack;
use gix::ObjectId;

use super::deltascan::Record;

/// A blob stored as a delta against a blob already scanned: the base's
/// record, the base's length and the delta instructions.
pub struct DeltaOf<'a> {
    pub base: &'a Record,
    pub base_len: usize,
    pub ops: &'a [u8],
}

/// What `each` is told about one blob.
pub struct Blob<'a> {
    pub data: &'a [u8],
    pub delta: Option<DeltaOf<'a>>,
    /// Other pack entries are deltas against this one: return a record.
    pub keep: bool,
}

/// Per delta base: how many children have not been decoded yet, and the
/// record its blob left (if it was scanned).
type Bases = Mutex<HashMap<u64, (u32, Option<Arc<Record>>, usize)>>;

/// Count the children of every delta base in the pack (ofs-deltas only;
/// ref-deltas are rare outside thin packs and are simply scanned whole).
fn delta_bases(pack: &pack::data::File, index: &pack::index::File) -> Bases {
    let mut bases: HashMap<u64, (u32, Option<Arc<Record>>, usize)> = HashMap::new();
    for e in index.iter() {
        if let Ok(entry) = pack.entry(e.pack_offset) {
            if let pack::data::entry::Header::OfsDelta { base_distance } = entry.header {
                if let Some(b) = entry.checked_base_pack_offset(base_distance) {
                    bases.entry(b).or_insert((0, None, 0)).0 += 1;
                }
            }
        }
    }
    Mutex::new(bases)
}

/// Scratch state per traversal thread (cloned fresh, never shared).
#[derive(Default)]
struct Scratch {
    inflate: gix::zlib::Inflate,
    delta: Vec<u8>,
}

impl Clone for Scratch {
    fn clone(&self) -> Self {
        Scratch::default()
    }
}

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

/// Call `each(i, blob)` for every `wanted[i]` found in a pack, at most once
/// per blob, from up to `threads` threads. Returns which were found. With
/// `delta`, a blob whose pack entry is a delta against a blob `each` kept a
/// record for gets that record and the delta's instructions.
pub fn scan_packs(
    repo: &gix::Repository,
    wanted: &[ObjectId],
    threads: usize,
    delta: bool,
    each: &(dyn Fn(usize, Blob<'_>) -> Option<Record> + Sync),
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
        let bases = if delta {
            delta_bases(&bundle.pack, &bundle.index)
        } else {
            Mutex::new(HashMap::new())
        };
        let (index, done, bases, pack) = (&index, &done, &bases, &bundle.pack);
        let mut scratch = Scratch::default();
        let processor = move |kind: gix::object::Kind,
                              data: &[u8],
                              entry: &pack::index::Entry,
                              _: &dyn gix::progress::Progress|
              -> Result<(), gix::Error> {
            let raw = if delta {
                pack.entry(entry.pack_offset).ok()
            } else {
                None
            };
            let base_offset = raw.as_ref().and_then(|r| match r.header {
                pack::data::entry::Header::OfsDelta { base_distance } => {
                    r.checked_base_pack_offset(base_distance)
                }
                _ => None,
            });
            let lock = || bases.lock().unwrap_or_else(|p| p.into_inner());
            if kind == gix::object::Kind::Blob {
                if let Some(&i) = index.get(&entry.oid) {
                    if !done[i].swap(true, Ordering::Relaxed) {
                        let keep = delta && lock().contains_key(&entry.pack_offset);
                        let base = base_offset.and_then(|b| {
                            lock()
                                .get(&b)
                                .and_then(|(_, r, len)| r.clone().map(|r| (r, *len)))
                        });
                        let Scratch {
                            inflate,
                            delta: buf,
                        } = &mut scratch;
                        let ops = match (&base, &raw) {
                            (Some(_), Some(raw)) => {
                                buf.resize(raw.decompressed_size as usize, 0);
                                pack.decompress_entry(raw, inflate, buf)
                                    .ok()
                                    .map(|_| &buf[..])
                            }
                            _ => None,
                        };
                        let delta_of = match (&base, ops.and_then(super::deltascan::skip_sizes)) {
                            (Some((record, len)), Some((base_len, _, ops))) if base_len == *len => {
                                Some(DeltaOf {
                                    base: record,
                                    base_len,
                                    ops,
                                })
                            }
                            _ => None,
                        };
                        let record = each(
                            i,
                            Blob {
                                data,
                                delta: delta_of,
                                keep,
                            },
                        );
                        if keep {
                            if let Some(slot) = lock().get_mut(&entry.pack_offset) {
                                slot.1 = record.map(Arc::new);
                                slot.2 = data.len();
                            }
                        }
                        if buf.capacity() > 1 << 20 {
                            *buf = Vec::new();
                        }
                    }
                }
            }
            // The base's record is dropped with its last child.
            if let Some(b) = base_offset {
                let mut map = lock();
                if let Some(slot) = map.get_mut(&b) {
                    slot.0 = slot.0.saturating_sub(1);
                    if slot.0 == 0 {
                        map.remove(&b);
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
