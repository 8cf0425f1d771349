//! The commit graph of a scan, in topological order, oldest first.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap, HashSet};

use gix::ObjectId;

use super::{one_line, GitError};

#[derive(Debug, Clone)]
pub struct CommitNode {
    pub id: ObjectId,
    pub tree: ObjectId,
    /// All parents, in order, whether or not they are in the graph.
    pub parents: Vec<ObjectId>,
    /// Committer time, seconds since the epoch (tie-break for the order).
    pub time: i64,
    /// The commit's parents are not in the repository (shallow boundary).
    pub truncated: bool,
}

#[derive(Debug, Default)]
pub struct Graph {
    pub nodes: Vec<CommitNode>,
    /// Indices into `nodes`: parents before children, then oldest first.
    pub order: Vec<usize>,
}

impl Graph {
    pub fn is_truncated(&self) -> bool {
        self.nodes.iter().any(|n| n.truncated)
    }
}

/// Every commit that a ref (or HEAD) points at, tags peeled.
pub fn ref_tips(repo: &gix::Repository) -> Result<Vec<ObjectId>, GitError> {
    let refs = repo
        .references()
        .map_err(|e| GitError::Refs(one_line(&e.to_string())))?;
    let iter = refs
        .all()
        .map_err(|e| GitError::Refs(one_line(&e.to_string())))?;
    let mut tips = Vec::new();
    for r in iter {
        let Ok(mut r) = r else { continue };
        // Refs to trees or blobs (rare) carry no commit to attribute to.
        if let Ok(c) = r.peel_to_commit() {
            tips.push(c.id);
        }
    }
    if let Ok(id) = repo.head_id() {
        tips.push(id.detach());
    }
    tips.sort();
    tips.dedup();
    Ok(tips)
}

/// Load every commit reachable from `tips`, not descending into `hidden`.
pub fn load(
    repo: &gix::Repository,
    tips: &[ObjectId],
    hidden: &HashSet<ObjectId>,
) -> Result<Graph, GitError> {
    let shallow = super::shallow_boundary(repo);
    let mut index: HashMap<ObjectId, usize> = HashMap::new();
    let mut nodes: Vec<CommitNode> = Vec::new();
    let mut stack: Vec<ObjectId> = tips
        .iter()
        .filter(|t| !hidden.contains(*t))
        .copied()
        .collect();
    while let Some(id) = stack.pop() {
        if index.contains_key(&id) {
            continue;
        }
        let err = |e: gix::Error| GitError::Object {
            what: "commit",
            id: id.to_string(),
            message: one_line(&e.to_string()),
        };
        let commit = repo.find_commit(id).map_err(err)?;
        let tree = commit.tree_id().map_err(err)?.detach();
        let time = commit.time().map(|t| t.seconds).unwrap_or(0);
        let parents: Vec<ObjectId> = commit.parent_ids().map(|p| p.detach()).collect();
        let truncated =
            shallow.contains(&id) || parents.iter().any(|p| !repo.has_object(p.as_ref()));
        if !truncated {
            for p in &parents {
                if !hidden.contains(p) && !index.contains_key(p) {
                    stack.push(*p);
                }
            }
        }
        index.insert(id, nodes.len());
        nodes.push(CommitNode {
            id,
            tree,
            parents,
            time,
            truncated,
        });
    }
    let order = topo_order(&nodes, &index);
    Ok(Graph { nodes, order })
}

/// Kahn's algorithm: a commit comes after all of its parents in the graph;
/// among the ready ones the oldest (committer time, then id) goes first,
/// so the order is deterministic. Hand-rolled because gix's walks yield
/// newest first, and attribution needs the oldest introduction.
fn topo_order(nodes: &[CommitNode], index: &HashMap<ObjectId, usize>) -> Vec<usize> {
    let mut pending = vec![0usize; nodes.len()];
    let mut children: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        if n.truncated {
            continue;
        }
        let mut seen = HashSet::new();
        for p in &n.parents {
            if let Some(&pi) = index.get(p) {
                if seen.insert(pi) {
                    pending[i] += 1;
                    children[pi].push(i);
                }
            }
        }
    }
    let mut ready: BinaryHeap<Reverse<(i64, ObjectId, usize)>> = nodes
        .iter()
        .enumerate()
        .filter(|(i, _)| pending[*i] == 0)
        .map(|(i, n)| Reverse((n.time, n.id, i)))
        .collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(Reverse((_, _, i))) = ready.pop() {
        order.push(i);
        for &c in &children[i] {
            pending[c] -= 1;
            if pending[c] == 0 {
                ready.push(Reverse((nodes[c].time, nodes[c].id, c)));
            }
        }
    }
    order
}
