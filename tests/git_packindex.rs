//! The history scan's fast paths over packs: every tree and every blob of
//! a real (`git repack`ed) repository comes out of the per-kind delta-tree
//! traversals. They fall back to per-object reads silently (same findings,
//! slower), so only a test like this one notices when they stop working.

mod git_support;

use std::collections::HashSet;

use git_support::Repo;
use guardrail::source::git::{self, packindex, tree::TreeCache};

/// Ids of the objects of `kind` in the repository, from `git cat-file`.
fn ids_of(repo: &Repo, kind: &str) -> HashSet<String> {
    repo.git(&[
        "cat-file",
        "--batch-all-objects",
        "--batch-check=%(objecttype) %(objectname)",
    ])
    .lines()
    .filter_map(|l| l.strip_prefix(kind)?.strip_prefix(' ').map(str::to_string))
    .collect()
}

fn history(repo: &Repo) {
    for c in 0..30 {
        for f in 0..6 {
            let lines: String = (0..40)
                .map(|l| format!("line {l} of file {f} in dir {} v{}\n", f % 3, c / (f + 1)))
                .collect();
            repo.write(&format!("d{}/sub{}/f{f}.txt", f % 3, f % 2), lines);
        }
        repo.commit(&format!("commit {c}"));
    }
}

#[test]
fn every_tree_and_blob_comes_from_the_pack_traversals() {
    let repo = Repo::new();
    history(&repo);
    // Loose objects only so far: nothing is packed, nothing decoded here.
    let dir = packindex::pack_dir(&git::open(repo.path()).expect("open"));
    assert!(packindex::open_packs(&dir, gix::hash::Kind::Sha1).is_empty());

    // Deltas computed from scratch (trees and blobs are both deltified,
    // and the pack starts with commits, not with trees or blobs).
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);
    let packs = packindex::open_packs(&dir, gix::hash::Kind::Sha1);
    assert_eq!(packs.len(), 1);
    let deltas = packs[0]
        .entries
        .iter()
        .filter(|e| e.ofs_base.is_some())
        .count();
    assert!(deltas > 20, "{deltas} deltas");

    let trees = ids_of(&repo, "tree");
    let cache = TreeCache::from_packs(&packs, 2, usize::MAX);
    assert_eq!(cache.len(), trees.len());

    let blobs = ids_of(&repo, "blob");
    // Each blob is handed out once, with its bytes.
    let mut seen: Vec<String> = packindex::traverse(
        &packs[0],
        gix::object::Kind::Blob,
        2,
        |e| (e.oid.to_string(), false),
        |slot, entry, data| {
            slot.1 = entry.header.as_kind() == Some(gix::object::Kind::Blob)
                && data.starts_with(b"line 0 of file");
            Ok(())
        },
    )
    .expect("traversal succeeds")
    .into_iter()
    .filter_map(|(id, ok)| ok.then_some(id))
    .collect();
    seen.sort();
    let mut want: Vec<String> = blobs.into_iter().collect();
    want.sort();
    assert_eq!(seen, want);

    // Past the byte budget trees are left to per-id reads.
    let small = TreeCache::from_packs(&packs, 2, 600);
    assert!(small.len() < trees.len(), "{}", small.len());
}
