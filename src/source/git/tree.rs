//! Tree walks: new blobs of a commit, the diff of two trees, a flat listing.
//!
//! Hand-rolled over `gix`'s decoded trees rather than `gix-diff`'s tree
//! diff: the history walk needs a global "seen" set that skips any subtree
//! already visited in an earlier commit, which is what makes it cost one
//! pass over distinct trees rather than one per commit.

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use gix::ObjectId;

use super::packindex::{self, Pack};
use super::{one_line, GitError};

/// One decoded tree entry, owned.
struct Entry {
    name: String,
    oid: ObjectId,
    kind: Kind,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Tree,
    /// Regular or executable file: the only blobs scanned.
    File,
    /// Symlinks and submodules.
    Other,
}

fn read_tree(repo: &gix::Repository, id: ObjectId) -> Result<Vec<Entry>, GitError> {
    let err = |e: gix::Error| GitError::Object {
        what: "tree",
        id: id.to_string(),
        message: one_line(&e.to_string()),
    };
    let tree = repo.find_tree(id).map_err(err)?;
    let decoded = tree.decode().map_err(err)?;
    Ok(decoded
        .entries
        .iter()
        .map(|e| Entry {
            name: e.filename.to_string(),
            oid: e.oid.to_owned(),
            kind: if e.mode.is_tree() {
                Kind::Tree
            } else if e.mode.is_blob() {
                Kind::File
            } else {
                Kind::Other
            },
        })
        .collect())
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}/{name}")
    }
}

/// Raw bytes of trees decoded ahead of the walk from the packs, by id.
///
/// Reading trees one by one by id resolves each one's delta chain through
/// a small LRU of bases, and in oldest-first order that means re-inflating
/// most of a chain per tree: it was half of a history scan's CPU. Decoding
/// the packs' trees as delta trees inflates each delta once, in parallel.
/// Bounded by a byte budget; trees past it (and loose ones) are read by id.
#[derive(Default)]
pub struct TreeCache {
    map: gix::hashtable::HashMap<ObjectId, Box<[u8]>>,
}

impl TreeCache {
    pub fn from_packs(packs: &[Pack], threads: usize, budget: usize) -> Self {
        let used = AtomicUsize::new(0);
        let mut map = gix::hashtable::HashMap::default();
        for pack in packs {
            let used = &used;
            let decoded = packindex::traverse(
                pack,
                gix::object::Kind::Tree,
                threads,
                |e| (e.oid, None),
                move |slot: &mut (ObjectId, Option<Box<[u8]>>), _, data| {
                    if used.fetch_add(data.len(), Ordering::Relaxed) + data.len() <= budget {
                        slot.1 = Some(data.into());
                    }
                    Ok(())
                },
            );
            // A traversal that failed part-way leaves its trees to by-id reads.
            for (oid, data) in decoded.into_iter().flatten() {
                if let Some(data) = data {
                    map.insert(oid, data);
                }
            }
        }
        TreeCache { map }
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

/// Call `found(blob, path)` for every file blob under `tree` that is not in
/// `seen`, skipping subtrees already in `seen`, and add what it visits.
pub fn walk_new(
    repo: &gix::Repository,
    cache: &TreeCache,
    tree: ObjectId,
    seen: &mut gix::hashtable::HashSet<ObjectId>,
    found: &mut dyn FnMut(ObjectId, &str),
) -> Result<(), GitError> {
    if !seen.insert(tree) {
        return Ok(());
    }
    let mut stack = vec![(tree, String::new())];
    let mut fallback;
    let mut path = String::new();
    while let Some((id, prefix)) = stack.pop() {
        let err = |message: String| GitError::Object {
            what: "tree",
            id: id.to_string(),
            message,
        };
        let bytes: &[u8] = match cache.map.get(&id) {
            Some(b) => b,
            None => {
                fallback = repo
                    .find_tree(id)
                    .map_err(|e| err(one_line(&e.to_string())))?
                    .detach()
                    .data;
                &fallback
            }
        };
        // Entries decoded one at a time, nothing allocated per entry: a
        // corrupt entry fails the scan as a whole-tree decode would.
        for e in gix::objs::TreeRefIter::from_bytes(bytes, repo.object_hash()) {
            let e = e.map_err(|e| err(one_line(&e.to_string())))?;
            let new = || {
                let mut p = String::with_capacity(prefix.len() + 1 + e.filename.len());
                join_into(&mut p, &prefix, e.filename);
                p
            };
            if e.mode.is_tree() {
                if seen.insert(e.oid.to_owned()) {
                    stack.push((e.oid.to_owned(), new()));
                }
            } else if e.mode.is_blob() && seen.insert(e.oid.to_owned()) {
                path.clear();
                join_into(&mut path, &prefix, e.filename);
                found(e.oid.to_owned(), &path);
            }
        }
    }
    Ok(())
}

/// `prefix/name` into `out`, the name converted like [`read_tree`] does.
fn join_into(out: &mut String, prefix: &str, name: &gix::bstr::BStr) {
    use std::fmt::Write;
    if !prefix.is_empty() {
        out.push_str(prefix);
        out.push('/');
    }
    let _ = write!(out, "{name}");
}

/// A file that differs between two trees.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub path: String,
    pub old: Option<ObjectId>,
    pub new: Option<ObjectId>,
}

/// File changes from `old` (None = empty tree) to `new`, descending only
/// into subtrees whose ids differ.
pub fn diff(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
) -> Result<Vec<Change>, GitError> {
    let mut out = Vec::new();
    diff_into(repo, old, new, "", &mut out)?;
    Ok(out)
}

fn diff_into(
    repo: &gix::Repository,
    old: Option<ObjectId>,
    new: Option<ObjectId>,
    prefix: &str,
    out: &mut Vec<Change>,
) -> Result<(), GitError> {
    if old == new {
        return Ok(());
    }
    let old_entries = match old {
        Some(id) => read_tree(repo, id)?,
        None => Vec::new(),
    };
    let new_entries = match new {
        Some(id) => read_tree(repo, id)?,
        None => Vec::new(),
    };
    let mut old_by_name: HashMap<&str, &Entry> =
        old_entries.iter().map(|e| (e.name.as_str(), e)).collect();
    for n in &new_entries {
        let path = join(prefix, &n.name);
        let o = old_by_name.remove(n.name.as_str());
        if o.is_some_and(|o| o.oid == n.oid && o.kind == n.kind) {
            continue;
        }
        let (old_tree, old_file) = match o {
            Some(o) if o.kind == Kind::Tree => (Some(o.oid), None),
            Some(o) if o.kind == Kind::File => (None, Some(o.oid)),
            _ => (None, None),
        };
        match n.kind {
            Kind::Tree => {
                diff_into(repo, old_tree, Some(n.oid), &path, out)?;
                if let Some(f) = old_file {
                    out.push(Change {
                        path,
                        old: Some(f),
                        new: None,
                    });
                }
            }
            Kind::File => {
                if old_tree.is_some() {
                    diff_into(repo, old_tree, None, &path, out)?;
                }
                out.push(Change {
                    path,
                    old: old_file,
                    new: Some(n.oid),
                });
            }
            Kind::Other => {
                if old_tree.is_some() {
                    diff_into(repo, old_tree, None, &path, out)?;
                }
                if let Some(f) = old_file {
                    out.push(Change {
                        path,
                        old: Some(f),
                        new: None,
                    });
                }
            }
        }
    }
    // What is left of the old tree was deleted.
    let mut gone: Vec<&Entry> = old_by_name.into_values().collect();
    gone.sort_by(|a, b| a.name.cmp(&b.name));
    for o in gone {
        let path = join(prefix, &o.name);
        match o.kind {
            Kind::Tree => diff_into(repo, Some(o.oid), None, &path, out)?,
            Kind::File => out.push(Change {
                path,
                old: Some(o.oid),
                new: None,
            }),
            Kind::Other => {}
        }
    }
    Ok(())
}

/// The file blob at `path` in `tree`, if there is one.
pub fn blob_at(
    repo: &gix::Repository,
    tree: ObjectId,
    path: &str,
) -> Result<Option<ObjectId>, GitError> {
    let mut id = tree;
    let mut parts = path.split('/').peekable();
    while let Some(part) = parts.next() {
        let entries = read_tree(repo, id)?;
        let Some(e) = entries.into_iter().find(|e| e.name == part) else {
            return Ok(None);
        };
        match (e.kind, parts.peek().is_some()) {
            (Kind::Tree, true) => id = e.oid,
            (Kind::File, false) => return Ok(Some(e.oid)),
            _ => return Ok(None),
        }
    }
    Ok(None)
}
