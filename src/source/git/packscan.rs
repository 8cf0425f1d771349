//! Inflate the wanted blobs by decoding whole packs in pack order with
//! `gix-pack`'s delta-tree traversal: each delta base is inflated once and
//! its children are resolved from it, in parallel, instead of walking a
//! delta chain per blob (what a per-id lookup does). This is what makes a
//! history scan approach the cost of reading every object once. Blobs not
//! found in a pack (loose objects, alternates) are left for the caller.

use std::collections::HashMap;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use gix::odb::pack;
use gix::ObjectId;

use super::deltascan::Record;
use super::packindex::{self, Pack};

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

/// Count the children of every blob delta base in the pack (ofs-deltas
/// only; ref-deltas are rare outside thin packs and are simply scanned whole).
fn delta_bases(pack: &Pack) -> Bases {
    let mut bases: HashMap<u64, (u32, Option<Arc<Record>>, usize)> = HashMap::new();
    for e in &pack.entries {
        if e.kind == Some(gix::object::Kind::Blob) {
            if let Some(b) = e.ofs_base {
                bases.entry(b).or_insert((0, None, 0)).0 += 1;
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

/// Call `each(i, blob)` for every `wanted[i]` found in a pack, at most once
/// per blob, from up to `threads` threads. Returns which were found. With
/// `delta`, a blob whose pack entry is a delta against a blob `each` kept a
/// record for gets that record and the delta's instructions. Only the
/// packs' blobs are decoded (see [`packindex`]).
pub fn scan_packs(
    packs: &[Pack],
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
    for p in packs {
        let bases = if delta {
            delta_bases(p)
        } else {
            Mutex::new(HashMap::new())
        };
        let (index, done, bases, pack) = (&index, &done, &bases, &p.bundle.pack);
        let mut scratch = Scratch::default();
        let processor = move |item: &mut Item, _: &pack::data::Entry, data: &[u8]| {
            let lock = || bases.lock().unwrap_or_else(|p| p.into_inner());
            let (offset, base_offset) = (item.offset, item.ofs_base);
            if let Some(i) = item.wanted {
                if !done[i].swap(true, Ordering::Relaxed) {
                    let keep = delta && lock().contains_key(&offset);
                    let base = base_offset.filter(|_| delta).and_then(|b| {
                        lock()
                            .get(&b)
                            .and_then(|(_, r, len)| r.clone().map(|r| (r, *len)))
                    });
                    let Scratch {
                        inflate,
                        delta: buf,
                    } = &mut scratch;
                    // The traversal inflated the delta but does not hand it
                    // out: inflate its instructions again (they are small).
                    let ops = match base {
                        Some(_) => pack.entry(offset).ok().and_then(|raw| {
                            buf.resize(raw.decompressed_size as usize, 0);
                            pack.decompress_entry(&raw, inflate, buf)
                                .ok()
                                .map(|_| &buf[..])
                        }),
                        None => None,
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
                        if let Some(slot) = lock().get_mut(&offset) {
                            slot.1 = record.map(Arc::new);
                            slot.2 = data.len();
                        }
                    }
                    if buf.capacity() > 1 << 20 {
                        *buf = Vec::new();
                    }
                }
            }
            // The base's record is dropped with its last child.
            if let Some(b) = base_offset.filter(|_| delta) {
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
        // A pack that fails part-way is not fatal: whatever it did not
        // deliver is read object by object afterwards, and those reads
        // name the blob that is broken.
        let _ = packindex::traverse(
            p,
            gix::object::Kind::Blob,
            threads,
            |e| Item {
                offset: e.offset,
                ofs_base: e.ofs_base,
                wanted: index.get(&e.oid).copied(),
            },
            processor,
        );
    }
    done.into_iter().map(AtomicBool::into_inner).collect()
}

/// Per pack entry state of the blob traversal.
struct Item {
    offset: u64,
    ofs_base: Option<u64>,
    /// Position in `wanted`, if the blob is wanted at all.
    wanted: Option<usize>,
}
