//! Staged changes (the pre-commit hook): lines added in the index against
//! HEAD. A repository without commits compares against the empty tree.

use std::collections::HashMap;
use std::sync::atomic::Ordering;

use gix::ObjectId;

use super::lines::{pair_renames, AddedLines};
use super::tree::{self, Change};
use super::{one_line, read_blob, Diagnose, GitError, GitOptions};
use crate::detect::Scanner;
use crate::finding::Finding;
use crate::source::{is_binary, ScanCounters};

/// Index entries that differ from HEAD, as changes (deletions included,
/// for rename pairing).
fn staged_changes(repo: &gix::Repository) -> Result<Vec<Change>, GitError> {
    let head_tree = match repo.head_commit() {
        Ok(c) => Some(
            c.tree_id()
                .map_err(|e| GitError::Object {
                    what: "commit",
                    id: c.id.to_string(),
                    message: one_line(&e.to_string()),
                })?
                .detach(),
        ),
        // Unborn HEAD: everything in the index is new.
        Err(_) => None,
    };
    let mut head: HashMap<String, ObjectId> = tree::diff(repo, None, head_tree)?
        .into_iter()
        .filter_map(|c| c.new.map(|n| (c.path, n)))
        .collect();
    let index = repo
        .index_or_empty()
        .map_err(|e| GitError::Index(one_line(&e.to_string())))?;
    let mut changes = Vec::new();
    for entry in index.entries() {
        let path = entry.path(&index).to_string();
        // Unmerged entries and intent-to-add placeholders hold no staged content.
        let is_file = entry.mode == gix::index::entry::Mode::FILE
            || entry.mode == gix::index::entry::Mode::FILE_EXECUTABLE;
        if entry.stage() != gix::index::entry::Stage::Unconflicted
            || entry
                .flags
                .contains(gix::index::entry::Flags::INTENT_TO_ADD)
            || !is_file
        {
            head.remove(&path);
            continue;
        }
        let old = head.remove(&path);
        if old != Some(entry.id) {
            changes.push(Change {
                path,
                old,
                new: Some(entry.id),
            });
        }
    }
    for (path, old) in head {
        changes.push(Change {
            path,
            old: Some(old),
            new: None,
        });
    }
    Ok(changes)
}

pub fn scan_staged(
    repo: &gix::Repository,
    scanner: &Scanner,
    opts: &GitOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) -> Result<Vec<Finding>, GitError> {
    let mut changes = staged_changes(repo)?;
    pair_renames(&mut changes, &mut |id| {
        let mut b = Vec::new();
        read_blob(repo, id, &mut b).ok().map(|_| b)
    });
    let mut findings = Vec::new();
    let (mut new_data, mut old_data) = (Vec::new(), Vec::new());
    for c in &changes {
        let Some(new) = c.new else { continue };
        if let Err(e) = read_blob(repo, new, &mut new_data) {
            counters.warnings.fetch_add(1, Ordering::Relaxed);
            diagnose(&format!("warning: {}: {e}", c.path));
            continue;
        }
        if new_data.len() as u64 > opts.max_file_size {
            counters.skipped_large.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        if is_binary(&new_data) {
            counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
            continue;
        }
        old_data.clear();
        if let Some(old) = c.old {
            read_blob(repo, old, &mut old_data)?;
        }
        let added = AddedLines::between(&old_data, &new_data);
        if !added.any() {
            continue;
        }
        counters.files.fetch_add(1, Ordering::Relaxed);
        counters
            .bytes
            .fetch_add(new_data.len() as u64, Ordering::Relaxed);
        findings.extend(added.filter(scanner.scan(&c.path, &new_data)));
    }
    findings.sort_by(|a, b| (&a.path, a.line, a.column).cmp(&(&b.path, b.line, b.column)));
    Ok(findings)
}
