//! The cached index: a loaded [`Database`] serialised with `postcard`, kept
//! next to the data (or in the user cache dir when the data is read-only,
//! or in a directory the caller names), and reused while a fingerprint of
//! the data files (paths, sizes, mtimes) is unchanged.

use std::path::{Path, PathBuf};
use std::time::UNIX_EPOCH;

use serde::{Deserialize, Serialize};

use super::load::{load, LoadError};
use super::{Advisory, Database};
use rayon::prelude::*;

/// Bump when the model changes shape so old caches are ignored.
const FORMAT: u32 = 4;
const FILE_NAME: &str = ".guardrail-index.bin";

/// The cache file is this header (postcard) followed by the advisories in
/// chunks, each its own postcard blob, so they decode in parallel (decoding
/// is most of a cached load). The chunks sit outside the header as raw
/// bytes: as a serde `Vec<u8>` each byte went through the sequence visitor
/// one at a time.
#[derive(Serialize, Deserialize)]
struct Header {
    format: u32,
    fingerprint: String,
    /// The database without its advisories.
    db: Database,
    /// Byte length of each chunk, in file order.
    chunk_lens: Vec<u64>,
}

const CHUNKS: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CacheUse {
    /// The index was read from the cache.
    Hit,
    /// Parsed from the files; the cache was (re)written when possible.
    Miss,
    /// Caching was turned off.
    Off,
}

/// Where the cached index may be read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IndexCache<'a> {
    /// Neither: every load parses the files.
    Off,
    /// Next to the data when it is writable, else in the user cache dir.
    Auto,
    /// Only in this directory, one file per database path: for a database
    /// that must not be written to (fixtures in a source tree, a shared
    /// copy) or a CI cache directory.
    In(&'a Path),
}

/// Load `root`, from the cached index (next to the data, or in the user
/// cache dir) when it is current.
pub fn load_cached(root: &Path, use_cache: bool) -> Result<(Database, CacheUse), LoadError> {
    let cache = if use_cache {
        IndexCache::Auto
    } else {
        IndexCache::Off
    };
    load_indexed(root, cache)
}

/// Load `root`, reading and writing the cached index where `cache` says.
pub fn load_indexed(root: &Path, cache: IndexCache<'_>) -> Result<(Database, CacheUse), LoadError> {
    if cache == IndexCache::Off {
        return Ok((load(root)?, CacheUse::Off));
    }
    if !root.exists() {
        return Err(LoadError::Missing {
            path: root.to_path_buf(),
        });
    }
    let candidates = cache_paths(root, cache);
    // The stat walk is mostly waiting on the file system and decoding is
    // all CPU: do both at once, and check the fingerprint afterwards. A
    // stale cache costs one wasted decode; a current one saves the walk's
    // share of the load.
    let (fp, first) = rayon::join(
        || fingerprint(root),
        || {
            candidates
                .iter()
                .enumerate()
                .find_map(|(i, c)| Some((i, read_cache(c)?)))
        },
    );
    let mut rest = 0;
    if let Some((i, (cached_fp, db))) = first {
        if cached_fp == fp {
            return Ok((db, CacheUse::Hit));
        }
        rest = i + 1;
    }
    for c in &candidates[rest..] {
        if let Some((cached_fp, db)) = read_cache(c) {
            if cached_fp == fp {
                return Ok((db, CacheUse::Hit));
            }
        }
    }
    let mut db = load(root)?;
    let advisories = std::mem::take(&mut db.advisories);
    let per = advisories.len().div_ceil(CHUNKS).max(1);
    let chunks: Vec<Vec<u8>> = advisories
        .chunks(per)
        .filter_map(|c| postcard::to_allocvec(c).ok())
        .collect();
    let mut cached = Header {
        format: FORMAT,
        fingerprint: fp,
        db,
        chunk_lens: chunks.iter().map(|c| c.len() as u64).collect(),
    };
    if let Ok(mut bytes) = postcard::to_allocvec(&cached) {
        for c in &chunks {
            bytes.extend_from_slice(c);
        }
        // A read-only DB (a CI checkout of shared data) falls back to the
        // user cache dir; failing both only costs speed.
        for c in &candidates {
            if write_atomic(c, &bytes).is_ok() {
                break;
            }
        }
    }
    cached.db.advisories = advisories;
    Ok((cached.db, CacheUse::Miss))
}

/// A cache of this format, with the fingerprint it was written for.
fn read_cache(path: &Path) -> Option<(String, Database)> {
    let bytes = std::fs::read(path).ok()?;
    let (c, mut rest): (Header, &[u8]) = postcard::take_from_bytes(&bytes).ok()?;
    if c.format != FORMAT {
        return None;
    }
    let mut chunks = Vec::with_capacity(c.chunk_lens.len());
    for &len in &c.chunk_lens {
        // A truncated or corrupt file is a miss, never a panic.
        let len = usize::try_from(len).ok().filter(|&l| l <= rest.len())?;
        let (chunk, tail) = rest.split_at(len);
        chunks.push(chunk);
        rest = tail;
    }
    if !rest.is_empty() {
        return None;
    }
    let parts: Vec<Option<Vec<Advisory>>> = chunks
        .par_iter()
        .map(|b| postcard::from_bytes(b).ok())
        .collect();
    let mut db = c.db;
    for p in parts {
        db.advisories.extend(p?);
    }
    Some((c.fingerprint, db))
}

fn cache_paths(root: &Path, cache: IndexCache<'_>) -> Vec<PathBuf> {
    let abs = std::path::absolute(root).unwrap_or_else(|_| root.to_path_buf());
    let key = crate::util::sha256_hex(&[abs.to_string_lossy().as_bytes()]);
    let file = format!("{}.bin", &key[..16]);
    if let IndexCache::In(dir) = cache {
        return vec![dir.join(file)];
    }
    let mut v = Vec::new();
    // Next to the data only where the data is writable by its mode bits:
    // root ignores permissions, and a read-only shared copy is not ours.
    let writable = |p: &Path| std::fs::metadata(p).is_ok_and(|m| !m.permissions().readonly());
    if abs.is_dir() {
        if writable(&abs) {
            v.push(abs.join(FILE_NAME));
        }
    } else if let (Some(parent), Some(name)) = (abs.parent(), abs.file_name()) {
        if writable(parent) {
            v.push(parent.join(format!(".{}{FILE_NAME}", name.to_string_lossy())));
        }
    }
    v.push(super::fetch::cache_dir().join("index").join(file));
    v
}

pub(crate) fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let tmp = dir.join(format!(
        ".tmp-{}-{}",
        std::process::id(),
        path.file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default()
    ));
    std::fs::write(&tmp, bytes)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })
}

/// Paths, sizes and modification times of everything the loader reads.
/// Subdirectories are walked in parallel: on a cached load, this stat walk
/// is a large share of the time.
pub fn fingerprint(root: &Path) -> String {
    fn walk(dir: &Path, root: &Path) -> Vec<String> {
        let Ok(rd) = std::fs::read_dir(dir) else {
            return Vec::new();
        };
        let mut files = Vec::new();
        let mut dirs = Vec::new();
        for e in rd.flatten() {
            if e.file_name().to_string_lossy().starts_with('.') {
                continue;
            }
            let Ok(ft) = e.file_type() else { continue };
            if ft.is_dir() {
                dirs.push(e.path());
            } else if ft.is_file() {
                // The entry's own metadata is a stat relative to the open
                // directory, not a walk of the whole path again.
                files.push(stamp_meta(&e.path(), root, e.metadata().ok()));
            }
        }
        let nested: Vec<Vec<String>> = dirs.par_iter().map(|d| walk(d, root)).collect();
        files.extend(nested.into_iter().flatten());
        files
    }
    let mut lines = if root.is_dir() {
        walk(root, root)
    } else {
        vec![stamp(root, root)]
    };
    lines.sort();
    crate::util::sha256_hex(&[lines.join("\n").as_bytes()])
}

fn stamp(p: &Path, root: &Path) -> String {
    stamp_meta(p, root, std::fs::metadata(p).ok())
}

fn stamp_meta(p: &Path, root: &Path, meta: Option<std::fs::Metadata>) -> String {
    let (len, mtime) = meta
        .map(|m| {
            let t = m
                .modified()
                .ok()
                .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                .map(|d| d.as_nanos())
                .unwrap_or(0);
            (m.len(), t)
        })
        .unwrap_or((0, 0));
    format!(
        "{}\t{len}\t{mtime}",
        p.strip_prefix(root).unwrap_or(p).display()
    )
}
