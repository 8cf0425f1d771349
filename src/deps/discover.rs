//! Find the lockfiles under a path: respects .gitignore (also outside a
//! git repository), skips hidden directories and the vendored-dependency
//! trees `node_modules`, `target` and `.venv`.

use std::path::{Path, PathBuf};

use super::lockfile::{companions, detect_format};
use super::model::LockfileFormat;

/// A lockfile found on disk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub path: PathBuf,
    /// Relative to the scanned directory, `/`-separated (or the path as
    /// given when a single file was named).
    pub display: String,
    pub format: LockfileFormat,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such file or directory")]
    Missing(String),
    #[error("{0}: not a lockfile name this build recognises")]
    NotALockfile(String),
    #[error("{path}: {message}")]
    Walk { path: String, message: String },
}

const SKIP_DIRS: [&str; 3] = ["node_modules", "target", ".venv"];

/// Every lockfile under `root` (or `root` itself when it is a file), sorted
/// by path. Walk errors (an unreadable directory) are returned beside the
/// results so the caller can report them and go on.
pub fn discover(root: &Path) -> (Vec<Found>, Vec<DiscoverError>) {
    let shown = root.display().to_string();
    if root.is_file() {
        return match detect_format(root) {
            Some(format) => (
                vec![Found {
                    path: root.to_path_buf(),
                    display: shown,
                    format,
                }],
                Vec::new(),
            ),
            None => (Vec::new(), vec![DiscoverError::NotALockfile(shown)]),
        };
    }
    if !root.is_dir() {
        return (Vec::new(), vec![DiscoverError::Missing(shown)]);
    }
    let walker = ignore::WalkBuilder::new(root)
        .require_git(false)
        .follow_links(false)
        .filter_entry(|e| {
            !(e.file_type().is_some_and(|t| t.is_dir())
                && e.file_name()
                    .to_str()
                    .is_some_and(|n| SKIP_DIRS.contains(&n)))
        })
        .build();
    let mut found = Vec::new();
    let mut errors = Vec::new();
    for entry in walker {
        match entry {
            Ok(e) => {
                if !e.file_type().is_some_and(|t| t.is_file()) {
                    continue;
                }
                let Some(format) = detect_format(e.path()) else {
                    continue;
                };
                let rel = e.path().strip_prefix(root).unwrap_or(e.path());
                let display = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy())
                    .collect::<Vec<_>>()
                    .join("/");
                found.push(Found {
                    path: e.path().to_path_buf(),
                    display,
                    format,
                });
            }
            Err(err) => errors.push(DiscoverError::Walk {
                path: shown.clone(),
                message: err.to_string(),
            }),
        }
    }
    // A go.sum beside a go.mod is read with it, not as a lockfile of its own.
    let shadowed = companions(found.iter().map(|f| f.display.as_str()));
    found.retain(|f| !shadowed.contains(&f.display));
    found.sort_by(|a, b| a.display.cmp(&b.display));
    (found, errors)
}
