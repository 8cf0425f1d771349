//! What changed between two inventories: per lockfile, packages added,
//! removed and changed (old -> new, marked upgrade or downgrade by the
//! ecosystem's version order), and lockfiles added or removed.

use std::cmp::Ordering;
use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::model::{Ecosystem, Lockfile, Package};
use super::version;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum LockfileStatus {
    Added,
    Removed,
    Modified,
    Unchanged,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    Upgrade,
    Downgrade,
    /// Equal by the ecosystem's order (e.g. `1.0` vs `1.0.0`) or not
    /// comparable (a version string the ordering rejects).
    Changed,
}

#[derive(Debug, Clone, Serialize)]
pub struct Change {
    pub name: String,
    pub old: Package,
    pub new: Package,
    pub direction: Direction,
}

#[derive(Debug, Clone, Serialize)]
pub struct LockfileDiff {
    pub path: String,
    pub ecosystem: Ecosystem,
    pub status: LockfileStatus,
    pub added: Vec<Package>,
    pub removed: Vec<Package>,
    pub changed: Vec<Change>,
}

impl LockfileDiff {
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.removed.is_empty() && self.changed.is_empty()
    }
}

/// Pair lockfiles by path and diff each pair; a path on one side only is an
/// added or removed lockfile. Sorted by path.
pub fn diff_sets(base: &[Lockfile], head: &[Lockfile]) -> Vec<LockfileDiff> {
    let mut paths: BTreeMap<&str, (Option<&Lockfile>, Option<&Lockfile>)> = BTreeMap::new();
    for l in base {
        paths.entry(&l.path).or_default().0 = Some(l);
    }
    for l in head {
        paths.entry(&l.path).or_default().1 = Some(l);
    }
    paths
        .into_values()
        .filter_map(|(b, h)| diff_lockfiles(b, h))
        .collect()
}

/// Diff one lockfile's two sides; `None` when both are absent.
pub fn diff_lockfiles(base: Option<&Lockfile>, head: Option<&Lockfile>) -> Option<LockfileDiff> {
    let any = head.or(base)?;
    let ecosystem = any.format.ecosystem();
    let status = match (base, head) {
        (None, Some(_)) => LockfileStatus::Added,
        (Some(_), None) => LockfileStatus::Removed,
        _ => LockfileStatus::Modified,
    };
    let b = by_name(base);
    let h = by_name(head);
    let names: BTreeSet<&str> = b.keys().chain(h.keys()).copied().collect();
    let mut out = LockfileDiff {
        path: any.path.clone(),
        ecosystem,
        status,
        added: Vec::new(),
        removed: Vec::new(),
        changed: Vec::new(),
    };
    let empty = BTreeMap::new();
    for name in names {
        let bv = b.get(name).unwrap_or(&empty);
        let hv = h.get(name).unwrap_or(&empty);
        let mut gone: Vec<&Package> = bv
            .iter()
            .filter(|(v, _)| !hv.contains_key(*v))
            .map(|(_, p)| *p)
            .collect();
        let mut new: Vec<&Package> = hv
            .iter()
            .filter(|(v, _)| !bv.contains_key(*v))
            .map(|(_, p)| *p)
            .collect();
        let order = |a: &&Package, c: &&Package| {
            version::compare(ecosystem, &a.version, &c.version)
                .unwrap_or_else(|_| a.version.cmp(&c.version))
        };
        gone.sort_by(order);
        new.sort_by(order);
        // Several versions of one name on both sides: pair them in version
        // order (oldest with oldest); the surplus is added or removed.
        let pairs = gone.len().min(new.len());
        for (old, newp) in gone.iter().zip(&new).take(pairs) {
            let direction = match version::compare(ecosystem, &old.version, &newp.version) {
                Ok(Ordering::Less) => Direction::Upgrade,
                Ok(Ordering::Greater) => Direction::Downgrade,
                _ => Direction::Changed,
            };
            out.changed.push(Change {
                name: name.to_string(),
                old: (*old).clone(),
                new: (*newp).clone(),
                direction,
            });
        }
        out.removed
            .extend(gone[pairs..].iter().map(|p| (*p).clone()));
        out.added.extend(new[pairs..].iter().map(|p| (*p).clone()));
    }
    if status == LockfileStatus::Modified && out.is_empty() {
        out.status = LockfileStatus::Unchanged;
    }
    Some(out)
}

/// name -> version -> first package with that name and version (the same
/// name@version installed at several paths counts once).
fn by_name(l: Option<&Lockfile>) -> BTreeMap<&str, BTreeMap<&str, &Package>> {
    let mut m: BTreeMap<&str, BTreeMap<&str, &Package>> = BTreeMap::new();
    for p in l.into_iter().flat_map(|l| &l.packages) {
        m.entry(&p.name).or_default().entry(&p.version).or_insert(p);
    }
    m
}
