//! A commit range (`A..B`): only the lines that the range's commits add.
//! Each commit is diffed against its first parent; a merge only counts
//! lines that are new against every parent (its conflict resolutions), so
//! merging the base branch in does not report the base branch's content.

use std::collections::HashSet;
use std::sync::atomic::Ordering;

use gix::ObjectId;

use super::group::{group, Located};
use super::lines::{pair_renames, AddedLines};
use super::{commit_info, commits, one_line, read_blob, tree, Diagnose, GitError, GitOptions};
use crate::detect::Scanner;
use crate::finding::Finding;
use crate::source::{is_binary, ScanCounters};

/// Split `A..B` (`A..` means `A..HEAD`). `A...B` means from the merge base.
pub fn parse_range(spec: &str) -> Result<(String, String, bool), GitError> {
    let (a, b, symmetric) = if let Some((a, b)) = spec.split_once("...") {
        (a, b, true)
    } else if let Some((a, b)) = spec.split_once("..") {
        (a, b, false)
    } else {
        return Err(GitError::BadRange(spec.to_string()));
    };
    let a = if a.is_empty() { "HEAD" } else { a };
    let b = if b.is_empty() { "HEAD" } else { b };
    if a.contains("..") || b.contains("..") {
        return Err(GitError::BadRange(spec.to_string()));
    }
    Ok((a.to_string(), b.to_string(), symmetric))
}

/// Resolve a revision to a commit id.
pub fn resolve(repo: &gix::Repository, spec: &str) -> Result<ObjectId, GitError> {
    let unknown = |message: String| GitError::UnknownRevision {
        spec: spec.to_string(),
        message,
    };
    let id = repo
        .rev_parse_single(spec)
        .map_err(|e| unknown(one_line(&e.to_string())))?;
    let commit = id
        .object()
        .and_then(|o| o.peel_to_commit())
        .map_err(|e| unknown(one_line(&e.to_string())))?;
    Ok(commit.id)
}

fn tree_of(repo: &gix::Repository, commit: ObjectId) -> Result<ObjectId, GitError> {
    let err = |e: gix::Error| GitError::Object {
        what: "commit",
        id: commit.to_string(),
        message: one_line(&e.to_string()),
    };
    Ok(repo
        .find_commit(commit)
        .map_err(err)?
        .tree_id()
        .map_err(err)?
        .detach())
}

pub fn scan_range(
    repo: &gix::Repository,
    scanner: &Scanner,
    spec: &str,
    opts: &GitOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) -> Result<Vec<Finding>, GitError> {
    let (a, b, symmetric) = parse_range(spec)?;
    let mut base = resolve(repo, &a)?;
    let head = resolve(repo, &b)?;
    if symmetric {
        base = repo
            .merge_base(base, head)
            .map_err(|e| GitError::UnknownRevision {
                spec: spec.to_string(),
                message: format!("no merge base: {}", one_line(&e.to_string())),
            })?
            .ok_or_else(|| GitError::UnknownRevision {
                spec: spec.to_string(),
                message: "the two sides share no history".into(),
            })?
            .detach();
    }
    let hidden: HashSet<ObjectId> = commits::load(repo, &[base], &HashSet::new())?
        .nodes
        .into_iter()
        .map(|n| n.id)
        .collect();
    let graph = commits::load(repo, &[head], &hidden)?;
    if let Some(n) = graph.nodes.iter().find(|n| n.truncated) {
        return Err(GitError::ShallowRange {
            range: spec.to_string(),
            commit: n.id.to_string(),
        });
    }

    let mut located = Vec::new();
    let mut buf = Vec::new();
    for (pos, &i) in graph.order.iter().enumerate() {
        let node = &graph.nodes[i];
        let parent_trees: Vec<ObjectId> = node
            .parents
            .iter()
            .map(|p| tree_of(repo, *p))
            .collect::<Result<_, _>>()?;
        let mut changes = tree::diff(repo, parent_trees.first().copied(), Some(node.tree))?;
        pair_renames(&mut changes, &mut |id| {
            let mut b = Vec::new();
            read_blob(repo, id, &mut b).ok().map(|_| b)
        });
        let mut found = Vec::new();
        for change in &changes {
            let Some(new) = change.new else { continue };
            if let Err(e) = read_blob(repo, new, &mut buf) {
                counters.warnings.fetch_add(1, Ordering::Relaxed);
                diagnose(&format!("warning: {}: {e}", change.path));
                continue;
            }
            if buf.len() as u64 > opts.max_file_size {
                counters.skipped_large.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            if is_binary(&buf) {
                counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
                continue;
            }
            let Some(added) = added_lines(repo, change, &parent_trees, new, &buf)? else {
                continue;
            };
            counters.files.fetch_add(1, Ordering::Relaxed);
            counters
                .bytes
                .fetch_add(buf.len() as u64, Ordering::Relaxed);
            found.extend(added.filter(scanner.scan(&change.path, &buf)));
        }
        if found.is_empty() {
            continue;
        }
        let info = commit_info(repo, node.id)?;
        for mut f in found {
            f.commit = Some(info.clone());
            located.push(Located {
                order: pos,
                finding: f,
            });
        }
    }
    Ok(group(located))
}

/// The lines of `new_data` this commit adds: against the first parent's
/// version (or the renamed-from file), and for a merge against every other
/// parent's version at the same path too. `None` when nothing is added.
fn added_lines(
    repo: &gix::Repository,
    change: &tree::Change,
    parent_trees: &[ObjectId],
    new: ObjectId,
    new_data: &[u8],
) -> Result<Option<AddedLines>, GitError> {
    let mut old_data = Vec::new();
    if let Some(old) = change.old {
        read_blob(repo, old, &mut old_data)?;
    }
    let mut added = AddedLines::between(&old_data, new_data);
    for &pt in parent_trees.iter().skip(1) {
        let other = tree::blob_at(repo, pt, &change.path)?;
        if other == Some(new) {
            // Taken as is from another parent: nothing new in this merge.
            return Ok(None);
        }
        let mut other_data = Vec::new();
        if let Some(o) = other {
            read_blob(repo, o, &mut other_data)?;
        }
        added.intersect(&AddedLines::between(&other_data, new_data));
    }
    Ok(added.any().then_some(added))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranges_parse() {
        assert_eq!(
            parse_range("origin/main..HEAD").unwrap(),
            ("origin/main".into(), "HEAD".into(), false)
        );
        assert_eq!(
            parse_range("abc..").unwrap(),
            ("abc".into(), "HEAD".into(), false)
        );
        assert_eq!(
            parse_range("a...b").unwrap(),
            ("a".into(), "b".into(), true)
        );
        assert!(parse_range("HEAD").is_err());
        assert!(parse_range("a..b..c").is_err());
    }
}
