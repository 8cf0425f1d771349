//! Added lines: which lines of a new blob version are not in the old one,
//! and rename pairing so that a moved file does not count as all-new.

use std::collections::HashSet;

use gix::ObjectId;
use imara_diff::{Algorithm, Diff, InternedInput};

use super::tree::Change;
use crate::finding::Finding;

/// For each line of the new version (0-based), whether it was added.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AddedLines(Vec<bool>);

impl AddedLines {
    /// Lines of `new` that a line diff against `old` marks as added.
    pub fn between(old: &[u8], new: &[u8]) -> AddedLines {
        let input = InternedInput::new(old, new);
        let mut diff = Diff::compute(Algorithm::Histogram, &input);
        diff.postprocess_lines(&input);
        AddedLines(
            (0..input.after.len() as u32)
                .map(|i| diff.is_added(i))
                .collect(),
        )
    }

    /// Keep only lines added against both (a merge: added against every parent).
    pub fn intersect(&mut self, other: &AddedLines) {
        for (a, b) in self.0.iter_mut().zip(other.0.iter()) {
            *a = *a && *b;
        }
    }

    pub fn any(&self) -> bool {
        self.0.iter().any(|&a| a)
    }

    /// Whether any line of `first..=last` (1-based) was added.
    pub fn touches(&self, first: usize, last: usize) -> bool {
        let first = first.saturating_sub(1);
        let last = last.max(1) - 1;
        (first..=last.min(self.0.len().saturating_sub(1)))
            .any(|i| self.0.get(i).copied().unwrap_or(false))
    }

    /// Keep the findings that overlap an added line.
    pub fn filter(&self, findings: Vec<Finding>) -> Vec<Finding> {
        findings
            .into_iter()
            .filter(|f| self.touches(f.line, f.end_line))
            .collect()
    }
}

/// Files above this size are not compared for rename similarity (cost).
const RENAME_MAX_BYTES: usize = 1 << 20;
/// At most this many additions and deletions are paired per commit.
const RENAME_MAX_CANDIDATES: usize = 200;

/// Give added files (no old version) the deleted file they were renamed
/// from: an identical blob, else the deleted file sharing the most lines,
/// when that is at least half of the new file's lines. Like git's rename
/// detection, only within one commit (or one index-against-HEAD diff).
pub fn pair_renames(changes: &mut [Change], read: &mut dyn FnMut(ObjectId) -> Option<Vec<u8>>) {
    let deleted: Vec<(usize, ObjectId)> = changes
        .iter()
        .enumerate()
        .filter_map(|(i, c)| match (c.old, c.new) {
            (Some(o), None) => Some((i, o)),
            _ => None,
        })
        .take(RENAME_MAX_CANDIDATES)
        .collect();
    if deleted.is_empty() {
        return;
    }
    let mut used = vec![false; deleted.len()];
    let added: Vec<usize> = changes
        .iter()
        .enumerate()
        .filter(|(_, c)| c.old.is_none() && c.new.is_some())
        .map(|(i, _)| i)
        .take(RENAME_MAX_CANDIDATES)
        .collect();
    // Exact renames first.
    for &a in &added {
        let new = changes[a].new;
        if let Some(k) = (0..deleted.len()).find(|&k| !used[k] && Some(deleted[k].1) == new) {
            used[k] = true;
            changes[a].old = Some(deleted[k].1);
        }
    }
    let mut deleted_lines: Vec<Option<HashSet<Vec<u8>>>> = vec![None; deleted.len()];
    for &a in &added {
        if changes[a].old.is_some() {
            continue;
        }
        let Some(new) = changes[a].new.and_then(&mut *read) else {
            continue;
        };
        if new.len() > RENAME_MAX_BYTES {
            continue;
        }
        let new_lines: Vec<&[u8]> = new.split(|&b| b == b'\n').collect();
        let mut best: Option<(usize, usize)> = None;
        for k in 0..deleted.len() {
            if used[k] {
                continue;
            }
            if deleted_lines[k].is_none() {
                let set = read(deleted[k].1)
                    .filter(|d| d.len() <= RENAME_MAX_BYTES)
                    .map(|d| d.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect())
                    .unwrap_or_default();
                deleted_lines[k] = Some(set);
            }
            let set = deleted_lines[k].as_ref().expect("filled above");
            let common = new_lines.iter().filter(|l| set.contains(**l)).count();
            if best.is_none_or(|(_, c)| common > c) {
                best = Some((k, common));
            }
        }
        if let Some((k, common)) = best {
            if common * 2 >= new_lines.len() && common > 0 {
                used[k] = true;
                changes[a].old = Some(deleted[k].1);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn added_lines_are_the_new_ones() {
        let a = AddedLines::between(b"one\ntwo\nthree\n", b"one\nnew\ntwo\nthree\nlast");
        assert_eq!(a.0, vec![false, true, false, false, true]);
        assert!(a.touches(2, 2));
        assert!(!a.touches(3, 4));
        assert!(a.touches(4, 5));
    }

    #[test]
    fn merge_intersection_keeps_lines_new_to_both() {
        let mut a = AddedLines::between(b"x\n", b"x\ny\nz\n");
        let b = AddedLines::between(b"y\n", b"x\ny\nz\n");
        a.intersect(&b);
        assert_eq!(a.0, vec![false, false, true]);
    }
}
