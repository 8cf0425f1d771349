//! Lockfiles at a git revision, read straight from the object database:
//! no checkout, the working tree is never touched.

use std::path::Path;

use gix::bstr::{BStr, ByteSlice};
use gix::objs::tree::EntryRef;
use gix::traverse::tree::{visit::Action, Recorder, Visit};

use crate::source::git::{self as git, GitError};

use super::lockfile::{companion_path, detect_format, parse_bytes_with, LockfileError};
use super::model::{Lockfile, LockfileFormat};

#[derive(Debug, thiserror::Error)]
pub enum GitRevError {
    /// Opening the repository or resolving the revision: the same errors,
    /// worded the same way, as the secret scanner's git sources.
    #[error(transparent)]
    Git(#[from] GitError),
    #[error("{rev}:{path}: {source}")]
    Read {
        rev: String,
        path: String,
        #[source]
        source: GitError,
    },
    #[error("{rev}: cannot list the tree: {message}")]
    Tree { rev: String, message: String },
    #[error("{rev}:{source}")]
    Parse {
        rev: String,
        #[source]
        source: LockfileError,
    },
}

/// A lockfile in a revision's tree.
#[derive(Debug, Clone)]
pub struct RevFile {
    /// Relative to the repository root, `/`-separated.
    pub path: String,
    pub format: LockfileFormat,
    pub id: gix::ObjectId,
    /// The file read together with this one (a go.mod's go.sum), which is
    /// then not listed on its own.
    pub companion: Option<(String, gix::ObjectId)>,
}

pub struct GitRepo {
    repo: gix::Repository,
}

const SKIP_DIRS: [&[u8]; 3] = [b"node_modules", b"target", b".venv"];

/// Records blobs, but does not descend into vendored-dependency trees.
struct Lister(Recorder);

impl Visit for Lister {
    fn pop_back_tracked_path_and_set_current(&mut self) {
        self.0.pop_back_tracked_path_and_set_current()
    }
    fn pop_front_tracked_path_and_set_current(&mut self) {
        self.0.pop_front_tracked_path_and_set_current()
    }
    fn push_back_tracked_path_component(&mut self, c: &BStr) {
        self.0.push_back_tracked_path_component(c)
    }
    fn push_path_component(&mut self, c: &BStr) {
        self.0.push_path_component(c)
    }
    fn pop_path_component(&mut self) {
        self.0.pop_path_component()
    }
    fn visit_tree(&mut self, entry: &EntryRef<'_>) -> Action {
        if SKIP_DIRS.contains(&entry.filename.as_bytes()) {
            return Action::Continue(false);
        }
        Action::Continue(true)
    }
    fn visit_nontree(&mut self, entry: &EntryRef<'_>) -> Action {
        if entry.mode.is_blob()
            && detect_format(Path::new(entry.filename.to_str_lossy().as_ref())).is_some()
        {
            return self.0.visit_nontree(entry);
        }
        Action::Continue(true)
    }
}

impl GitRepo {
    /// The repository containing `path` (searching upwards, like git).
    pub fn discover(path: &Path) -> Result<Self, GitRevError> {
        Ok(GitRepo {
            repo: git::open(path)?,
        })
    }

    /// Every lockfile in the tree of `rev`, sorted by path.
    pub fn lockfiles_at(&self, rev: &str) -> Result<Vec<RevFile>, GitRevError> {
        let commit = git::range::resolve(&self.repo, rev)?;
        let tree_err = |message: String| GitRevError::Tree {
            rev: rev.to_string(),
            message,
        };
        let tree = self
            .repo
            .find_commit(commit)
            .and_then(|c| c.tree())
            .map_err(|e| tree_err(git::one_line(&e.to_string())))?;
        let mut lister = Lister(Recorder::default());
        tree.traverse()
            .breadthfirst(&mut lister)
            .map_err(|e| tree_err(git::one_line(&e.to_string())))?;
        let mut out: Vec<RevFile> = lister
            .0
            .records
            .into_iter()
            .filter_map(|e| {
                let path = e.filepath.to_str_lossy().into_owned();
                let format = detect_format(Path::new(&path))?;
                Some(RevFile {
                    path,
                    format,
                    id: e.oid,
                    companion: None,
                })
            })
            .collect();
        let ids: std::collections::HashMap<String, gix::ObjectId> =
            out.iter().map(|f| (f.path.clone(), f.id)).collect();
        let mut shadowed = Vec::new();
        for f in &mut out {
            if let Some(c) = companion_path(&f.path) {
                if let Some(id) = ids.get(&c) {
                    shadowed.push(c.clone());
                    f.companion = Some((c, *id));
                }
            }
        }
        out.retain(|f| !shadowed.contains(&f.path));
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Read and parse a lockfile listed by [`Self::lockfiles_at`], with its
    /// companion.
    pub fn load(&self, rev: &str, file: &RevFile) -> Result<Lockfile, GitRevError> {
        let bytes = self.read(rev, file)?;
        let companion = match &file.companion {
            Some((path, id)) => Some((self.blob(rev, path, *id)?, path.as_str())),
            None => None,
        };
        parse_bytes_with(
            &bytes,
            &file.path,
            file.format,
            companion.as_ref().map(|(b, p)| (b.as_slice(), *p)),
        )
        .map_err(|source| GitRevError::Parse {
            rev: rev.to_string(),
            source,
        })
    }

    fn blob(&self, rev: &str, path: &str, id: gix::ObjectId) -> Result<Vec<u8>, GitRevError> {
        let mut buf = Vec::new();
        git::read_blob(&self.repo, id, &mut buf).map_err(|source| GitRevError::Read {
            rev: rev.to_string(),
            path: path.to_string(),
            source,
        })?;
        Ok(buf)
    }

    /// The bytes of a blob listed by [`Self::lockfiles_at`].
    pub fn read(&self, rev: &str, file: &RevFile) -> Result<Vec<u8>, GitRevError> {
        self.blob(rev, &file.path, file.id)
    }
}
