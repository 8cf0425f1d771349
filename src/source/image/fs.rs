//! The final filesystem: layers applied in order with the OCI whiteout
//! rules. A layer's whiteouts (`.wh.name`) and opaque markers
//! (`.wh..wh..opq`) delete from the layers below it, never from itself; a
//! file replacing a directory (or the other way round) replaces its whole
//! subtree.

use std::collections::BTreeMap;

use super::layer::{resolve_link, Entry, EntryKind};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The layer whose version of the path is final.
    pub layer: usize,
    /// The first layer of the path's current, unbroken existence (a
    /// deletion starts it over).
    pub since: usize,
    pub kind: EntryKind,
}

#[derive(Debug, Default)]
pub struct FinalFs {
    nodes: BTreeMap<String, Node>,
}

fn remove_tree(nodes: &mut BTreeMap<String, Node>, path: &str, keep_self: bool) {
    if !keep_self {
        nodes.remove(path);
    }
    let prefix = if path.is_empty() {
        String::new()
    } else {
        format!("{path}/")
    };
    let doomed: Vec<String> = nodes
        .range(prefix.clone()..)
        .take_while(|(k, _)| k.starts_with(&prefix))
        .map(|(k, _)| k.clone())
        .collect();
    for k in doomed {
        nodes.remove(&k);
    }
}

impl FinalFs {
    /// Apply each layer's entries, bottom layer first.
    pub fn build<'a>(layers: impl IntoIterator<Item = &'a [Entry]>) -> FinalFs {
        let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
        for (l, entries) in layers.into_iter().enumerate() {
            for e in entries {
                match e.kind {
                    EntryKind::Whiteout => remove_tree(&mut nodes, &e.path, false),
                    EntryKind::Opaque => remove_tree(&mut nodes, &e.path, true),
                    _ => {}
                }
            }
            // Deletions above apply to lower layers only: the entries of
            // this layer go in after all of them.
            for e in entries {
                if matches!(e.kind, EntryKind::Whiteout | EntryKind::Opaque) {
                    continue;
                }
                let is_dir = e.kind == EntryKind::Dir;
                // A file under what a lower layer had as a file: that file
                // became a directory.
                let mut cut = 0;
                while let Some(i) = e.path[cut..].find('/') {
                    let anc = &e.path[..cut + i];
                    if nodes.get(anc).is_some_and(|n| n.kind != EntryKind::Dir) {
                        nodes.remove(anc);
                    }
                    cut += i + 1;
                }
                if !is_dir {
                    remove_tree(&mut nodes, &e.path, true);
                }
                let since = match nodes.get(&e.path) {
                    // A path whose type changed is a new thing.
                    Some(old) if (old.kind == EntryKind::Dir) == is_dir => old.since,
                    _ => l,
                };
                nodes.insert(
                    e.path.clone(),
                    Node {
                        layer: l,
                        since,
                        kind: e.kind.clone(),
                    },
                );
            }
        }
        FinalFs { nodes }
    }

    pub fn get(&self, path: &str) -> Option<&Node> {
        self.nodes.get(path)
    }

    /// Follow symlinks (up to 40, as the kernel does) to what `path`
    /// finally names; `None` when it dangles or loops.
    pub fn resolve(&self, path: &str) -> Option<(String, &Node)> {
        let mut p = path.to_string();
        for _ in 0..40 {
            let n = self.nodes.get(&p)?;
            match &n.kind {
                EntryKind::Symlink(t) => p = resolve_link(&p, t)?,
                _ => return Some((p, n)),
            }
        }
        None
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&String, &Node)> {
        self.nodes.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn e(path: &str, kind: EntryKind) -> Entry {
        Entry {
            path: path.into(),
            kind,
        }
    }

    #[test]
    fn whiteouts_opaque_and_replacement() {
        use EntryKind::*;
        let l0 = vec![
            e("etc", Dir),
            e("etc/a", File),
            e("etc/b", File),
            e("opt", Dir),
            e("opt/x/y", File),
            e("srv/f", File),
            e("usr/lib/os-release", File),
            e("etc/os-release", Symlink("../usr/lib/os-release".into())),
        ];
        let l1 = vec![
            e("etc/a", Whiteout),
            e("opt", Opaque),
            e("opt/new", File),
            e("etc/b", File),
        ];
        let l2 = vec![e("srv", File), e("etc/a", File)];
        let fs = FinalFs::build([&l0[..], &l1[..], &l2[..]]);
        assert_eq!(fs.get("etc/a").map(|n| (n.layer, n.since)), Some((2, 2)));
        assert_eq!(fs.get("etc/b").map(|n| (n.layer, n.since)), Some((1, 0)));
        assert!(fs.get("opt/x/y").is_none());
        assert_eq!(fs.get("opt/new").map(|n| n.layer), Some(1));
        assert!(fs.get("opt").is_some(), "an opaque directory itself stays");
        assert!(
            fs.get("srv/f").is_none(),
            "a file replacing a directory hides its tree"
        );
        assert_eq!(
            fs.resolve("etc/os-release").map(|(p, _)| p).as_deref(),
            Some("usr/lib/os-release")
        );
        // A whiteout in a layer does not delete that layer's own entry.
        let same = vec![e("x", File), e("x", Whiteout)];
        assert!(FinalFs::build([&same[..]]).get("x").is_some());
    }
}
