//! The repository's packs, each with its entries' object kinds, so that a
//! delta-tree traversal can be restricted to one kind of object.
//!
//! `gix-pack`'s `traverse_with_index` decodes every object of a pack. A
//! history scan needs the trees first (to attribute blobs to paths) and
//! the blobs afterwards; decoding every object in both passes would do the
//! blob work twice. Git deltas an object only against one of the same
//! kind, so the entries of one kind form whole delta trees of their own,
//! which `gix_pack::cache::delta::Tree::traverse` resolves in parallel,
//! each base inflated once.

use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;

use gix::object::Kind;
use gix::odb::pack;
use gix::ObjectId;

/// One pack entry: where it is, what it is, and its base (ofs-deltas).
#[derive(Debug, Clone, Copy)]
pub struct PackEntry {
    pub offset: u64,
    pub oid: ObjectId,
    /// `None` when the header cannot be read or the base is not in the pack.
    pub kind: Option<Kind>,
    /// Pack offset of the delta base, for ofs-deltas.
    pub ofs_base: Option<u64>,
}

/// An opened pack and its entries in pack order.
pub struct Pack {
    pub bundle: pack::Bundle,
    pub entries: Vec<PackEntry>,
}

/// Where the repository's own packs are.
pub fn pack_dir(repo: &gix::Repository) -> PathBuf {
    repo.common_dir().join("objects").join("pack")
}

/// The pack index files in `dir`.
fn pack_indices(dir: &Path) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "idx"))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

/// Open every pack in `dir` (see [`pack_dir`]). An unreadable pack is left
/// out: its objects are read one by one later, and those reads report what
/// is broken.
pub fn open_packs(dir: &Path, hash: gix::hash::Kind) -> Vec<Pack> {
    pack_indices(dir)
        .into_iter()
        .filter_map(|idx| pack::Bundle::at(&idx, hash).ok())
        .map(|bundle| {
            let entries = entries(&bundle);
            Pack { bundle, entries }
        })
        .collect()
}

/// Every entry of the pack in offset order, with its kind resolved through
/// its delta base.
fn entries(bundle: &pack::Bundle) -> Vec<PackEntry> {
    let (data, index) = (&bundle.pack, &bundle.index);
    let mut out: Vec<PackEntry> = index
        .iter()
        .map(|e| PackEntry {
            offset: e.pack_offset,
            oid: e.oid,
            kind: None,
            ofs_base: None,
        })
        .collect();
    out.sort_unstable_by_key(|e| e.offset);
    let at = |out: &[PackEntry], offset: u64| out.binary_search_by_key(&offset, |e| e.offset).ok();
    // Ref-delta bases may come later in the pack: (entry, base position).
    let mut by_ref: Vec<(usize, usize)> = Vec::new();
    for i in 0..out.len() {
        let Ok(entry) = data.entry(out[i].offset) else {
            continue;
        };
        use pack::data::entry::Header::*;
        match entry.header {
            Commit => out[i].kind = Some(Kind::Commit),
            Tree => out[i].kind = Some(Kind::Tree),
            Blob => out[i].kind = Some(Kind::Blob),
            Tag => out[i].kind = Some(Kind::Tag),
            OfsDelta { base_distance } => {
                let base = entry.checked_base_pack_offset(base_distance);
                out[i].ofs_base = base;
                // The base precedes its ofs-delta, so its kind is known by now
                // (unless it is a ref-delta resolved below).
                match base.and_then(|b| at(&out, b)) {
                    Some(b) if out[b].kind.is_some() => out[i].kind = out[b].kind,
                    Some(b) => by_ref.push((i, b)),
                    None => {}
                }
            }
            RefDelta { base_id } => {
                if let Some(b) = index
                    .lookup(base_id)
                    .map(|p| index.pack_offset_at_index(p))
                    .and_then(|o| at(&out, o))
                {
                    by_ref.push((i, b));
                }
            }
        }
    }
    // Chains through ref-deltas: settle until nothing changes (rare; thin
    // packs completed by `index-pack --fix-thin` and some other writers).
    loop {
        let mut changed = false;
        for &(i, b) in &by_ref {
            if out[i].kind.is_none() && out[b].kind.is_some() {
                out[i].kind = out[b].kind;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    out
}

/// Decode every entry of `kind` in `pack`, each delta base inflated once,
/// from up to `threads` threads (0 = one per core). `inspect(data, entry,
/// object)` gets each object's bytes once; `T` is per-entry state that
/// comes back with the outcome. Returns `None` if the traversal failed
/// part-way (whatever `inspect` did not see must be read another way).
pub fn traverse<T, F>(
    pack: &Pack,
    kind: Kind,
    threads: usize,
    make: impl Fn(&PackEntry) -> T,
    inspect: F,
) -> Option<Vec<T>>
where
    T: Send,
    F: FnMut(&mut T, &pack::data::Entry, &[u8]) -> Result<(), gix::Error> + Send + Clone,
{
    let bundle = &pack.bundle;
    let interrupt = AtomicBool::new(false);
    let index = &bundle.index;
    // Entries of other kinds are simply absent: an entry's range then runs
    // over them to the next one kept, which is harmless since inflating a
    // zlib stream stops at its end. The pack's first entry is always kept
    // (as a no-op): `from_offsets_in_pack` starts reading right after the
    // pack header and cannot skip to a later first offset.
    let tree = pack::cache::delta::Tree::from_offsets_in_pack(
        bundle.pack.path(),
        pack.entries
            .iter()
            .enumerate()
            .filter(|(i, e)| *i == 0 || e.kind == Some(kind))
            .map(|(_, e)| (e.offset, (e.kind == Some(kind)).then(|| make(e)))),
        &|e: &(u64, Option<T>)| e.0,
        &|id| Ok(index.lookup(id).map(|i| index.pack_offset_at_index(i))),
        &mut gix::progress::Discard,
        &interrupt,
        bundle.index.object_hash(),
    )
    .ok()?;
    let mut inspect = inspect;
    let outcome = tree
        .traverse(
            |slice, pack: &pack::data::File| pack.entry_slice(slice),
            &bundle.pack,
            bundle.pack.pack_end() as u64,
            move |data: &mut (u64, Option<T>), _: &dyn gix::progress::Progress, ctx| match &mut data
                .1
            {
                Some(t) => inspect(t, ctx.entry, ctx.decompressed),
                None => Ok(()),
            },
            pack::cache::delta::traverse::Options {
                object_progress: Box::new(gix::progress::Discard),
                size_progress: &mut gix::progress::Discard,
                thread_limit: (threads > 0).then_some(threads),
                should_interrupt: &interrupt,
                object_hash: bundle.index.object_hash(),
                alloc_limit_bytes: None,
            },
        )
        .ok()?;
    Some(
        outcome
            .roots
            .into_iter()
            .chain(outcome.children)
            .filter_map(|i| i.data.1)
            .collect(),
    )
}
