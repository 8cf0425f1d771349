//! Git history, commit ranges and the index as secret sources, read with
//! `gix` (pure Rust; measured against `git2` in BENCHMARKS.md).
//!
//! - [`history::scan_history`]: every blob reachable from any ref, scanned
//!   once, attributed to the commit that first introduced it.
//! - [`range::scan_range`]: only lines added by the commits of `A..B`.
//! - [`staged::scan_staged`]: only lines added in the index against HEAD.

pub mod commits;
pub mod deltascan;
pub mod group;
pub mod history;
pub mod lines;
pub mod packindex;
pub mod packscan;
pub mod progress;
pub mod range;
pub mod staged;
pub mod tree;

use std::path::{Path, PathBuf};

use gix::ObjectId;

use crate::finding::CommitInfo;

pub use crate::source::fs::Diagnose;

#[derive(Debug, thiserror::Error)]
pub enum GitError {
    #[error("{}: not a git repository (or any parent up to the root)", .0.display())]
    NotARepo(PathBuf),
    #[error("{}: cannot open git repository: {message}", path.display())]
    Open { path: PathBuf, message: String },
    #[error("unknown revision {spec:?}: {message}")]
    UnknownRevision { spec: String, message: String },
    #[error("invalid range {0:?}: expected A..B (for example origin/main..HEAD)")]
    BadRange(String),
    #[error(
        "range {range} reaches past the shallow clone boundary at commit {commit}: \
         fetch more history (actions/checkout `fetch-depth: 0`, or `git fetch --unshallow`)"
    )]
    ShallowRange { range: String, commit: String },
    #[error("cannot read {what} {id}: {message}")]
    Object {
        what: &'static str,
        id: String,
        message: String,
    },
    #[error("cannot read the git index: {0}")]
    Index(String),
    #[error("cannot list references: {0}")]
    Refs(String),
}

/// Options shared by the git sources.
#[derive(Debug, Clone)]
pub struct GitOptions {
    /// Blobs larger than this are skipped (counted as too large).
    pub max_file_size: u64,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// Draw a progress bar on stderr (the caller decides: TTY and not quiet).
    pub progress: bool,
    /// History scans: also scan blobs that no ref reaches.
    pub all_objects: bool,
    /// Notes for skipped blobs.
    pub verbose: bool,
    /// History scans: scan a blob stored as a pack delta only around what
    /// the delta changed, carrying the base's findings over (same findings
    /// as a whole-blob scan; `--no-delta-scan` turns it off).
    pub delta_scan: bool,
}

impl Default for GitOptions {
    fn default() -> Self {
        GitOptions {
            max_file_size: crate::source::fs::DEFAULT_MAX_FILE_SIZE,
            threads: 0,
            progress: false,
            all_objects: false,
            verbose: false,
            delta_scan: true,
        }
    }
}

/// Open the repository that contains `path` (like `git -C path`).
pub fn open(path: &Path) -> Result<gix::Repository, GitError> {
    if !path.exists() {
        return Err(GitError::Open {
            path: path.to_path_buf(),
            message: "no such file or directory".into(),
        });
    }
    let mut repo = gix::discover(path).map_err(|e| {
        let message = one_line(&e.to_string());
        if message.contains("ot a git repository")
            || message.contains("Could not find a git repository")
        {
            GitError::NotARepo(path.to_path_buf())
        } else {
            GitError::Open {
                path: path.to_path_buf(),
                message,
            }
        }
    })?;
    // Consecutive versions of a file are delta chains in packs: a cache of
    // recently inflated objects makes walking them cheap.
    repo.object_cache_size_if_unset(32 << 20);
    Ok(repo)
}

/// Where reports put paths relative to: the work tree, or the git dir of a
/// bare repository.
pub fn root_dir(repo: &gix::Repository) -> PathBuf {
    repo.workdir()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| repo.git_dir().to_path_buf())
}

/// Commit provenance for reports.
pub fn commit_info(repo: &gix::Repository, id: ObjectId) -> Result<CommitInfo, GitError> {
    let err = |e: gix::Error| GitError::Object {
        what: "commit",
        id: id.to_string(),
        message: one_line(&e.to_string()),
    };
    let commit = repo.find_commit(id).map_err(err)?;
    let author = commit.author().map_err(err)?;
    let date = author
        .time()
        .ok()
        .and_then(|t| t.format(gix::date::time::format::ISO8601_STRICT).ok())
        .unwrap_or_default();
    let summary = commit
        .message_raw_sloppy()
        .to_string()
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
        .to_string();
    Ok(CommitInfo {
        commit: id.to_string(),
        author: author.name.to_string().trim().to_string(),
        email: author.email.to_string().trim().to_string(),
        date,
        summary,
    })
}

/// Read a blob's bytes into `buf`.
pub(crate) fn read_blob(
    repo: &gix::Repository,
    id: ObjectId,
    buf: &mut Vec<u8>,
) -> Result<(), GitError> {
    use gix::prelude::FindExt;
    repo.objects
        .find_blob(&id, buf)
        .map(|_| ())
        .map_err(|e| GitError::Object {
            what: "blob",
            id: id.to_string(),
            message: one_line(&e.to_string()),
        })
}

pub(crate) fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}

/// Ids of the commits at a shallow clone's boundary (their parents are
/// missing), empty for a complete repository.
pub fn shallow_boundary(repo: &gix::Repository) -> std::collections::HashSet<ObjectId> {
    repo.shallow_commits()
        .ok()
        .flatten()
        .map(|c| c.iter().copied().collect())
        .unwrap_or_default()
}
