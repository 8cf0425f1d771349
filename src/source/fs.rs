//! The working tree: `ignore`'s parallel walker. Hidden files are scanned
//! (that is where `.env` and `.npmrc` live); only `.git/` is skipped.

use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;
use std::sync::Mutex;

use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use super::{is_binary, ScanCounters};
use crate::detect::Scanner;
use crate::finding::Finding;

pub const DEFAULT_MAX_FILE_SIZE: u64 = 10 * 1024 * 1024;

#[derive(Debug, Clone)]
pub struct WalkOptions {
    /// Scan files that .gitignore (and .ignore) exclude.
    pub no_ignore: bool,
    pub max_file_size: u64,
    /// gitignore-style globs to skip, relative to the root.
    pub exclude: Vec<String>,
    /// 0 = one per core.
    pub threads: usize,
    /// Report skipped binary files as notes.
    pub verbose: bool,
}

impl Default for WalkOptions {
    fn default() -> Self {
        WalkOptions {
            no_ignore: false,
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            exclude: Vec::new(),
            threads: 0,
            verbose: false,
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum WalkError {
    #[error("{}: no such file or directory", .0.display())]
    Missing(PathBuf),
    #[error("invalid exclude pattern {pattern:?}: {message}")]
    Exclude { pattern: String, message: String },
}

/// A diagnostic line for stderr (`warning: ...` or, when verbose, `note: ...`).
pub type Diagnose<'a> = &'a (dyn Fn(&str) + Sync);

/// Scan every file under `root` (or `root` itself when it is a file).
pub fn scan_path(
    root: &Path,
    scanner: &Scanner,
    opts: &WalkOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) -> Result<Vec<Finding>, WalkError> {
    let meta = std::fs::metadata(root).map_err(|_| WalkError::Missing(root.to_path_buf()))?;
    if meta.is_file() {
        let display = root.to_string_lossy().replace('\\', "/");
        return Ok(scan_file(
            root,
            &display,
            meta.len(),
            &mut Vec::new(),
            scanner,
            opts,
            counters,
            diagnose,
        ));
    }

    let mut overrides = OverrideBuilder::new(root);
    for pattern in &opts.exclude {
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| WalkError::Exclude {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    let overrides = overrides.build().map_err(|e| WalkError::Exclude {
        pattern: opts.exclude.join(", "),
        message: e.to_string(),
    })?;

    let mut builder = WalkBuilder::new(root);
    builder
        .hidden(false)
        .follow_links(false)
        .require_git(false)
        .git_ignore(!opts.no_ignore)
        .git_exclude(!opts.no_ignore)
        .git_global(!opts.no_ignore)
        .ignore(!opts.no_ignore)
        .parents(!opts.no_ignore)
        .overrides(overrides)
        .threads(opts.threads)
        .filter_entry(|e| e.file_name() != ".git");

    let found: Mutex<Vec<Finding>> = Mutex::new(Vec::new());
    builder.build_parallel().run(|| {
        let found = &found;
        // One read buffer per walker thread: a fresh `Vec` per file costs a
        // large allocation (an mmap for files over glibc's threshold) and
        // page faults on every file; reused, the pages stay mapped.
        let mut buf = Vec::new();
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(err) => {
                    counters.warnings.fetch_add(1, Ordering::Relaxed);
                    diagnose(&format!("warning: {}", one_line(&err.to_string())));
                    return WalkState::Continue;
                }
            };
            // Symlinks are never followed: their targets may be outside the root.
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if !ft.is_file() {
                return WalkState::Continue;
            }
            let path = entry.path();
            let rel = path.strip_prefix(root).unwrap_or(path);
            let rel = rel.to_string_lossy().replace('\\', "/");
            let len = match entry.metadata() {
                Ok(m) => m.len(),
                Err(err) => {
                    counters.warnings.fetch_add(1, Ordering::Relaxed);
                    diagnose(&format!("warning: {rel}: {}", one_line(&err.to_string())));
                    return WalkState::Continue;
                }
            };
            let mut f = scan_file(path, &rel, len, &mut buf, scanner, opts, counters, diagnose);
            if !f.is_empty() {
                found
                    .lock()
                    .unwrap_or_else(|p| p.into_inner())
                    .append(&mut f);
            }
            WalkState::Continue
        })
    });
    let mut findings = found.into_inner().unwrap_or_else(|p| p.into_inner());
    findings.sort_by(|a, b| {
        (&a.path, a.line, a.column, &a.rule_id).cmp(&(&b.path, b.line, b.column, &b.rule_id))
    });
    Ok(findings)
}

/// Scan one file, read into `buf` (its previous contents are dropped).
#[allow(clippy::too_many_arguments)]
fn scan_file(
    path: &Path,
    rel: &str,
    len: u64,
    buf: &mut Vec<u8>,
    scanner: &Scanner,
    opts: &WalkOptions,
    counters: &ScanCounters,
    diagnose: Diagnose<'_>,
) -> Vec<Finding> {
    if len > opts.max_file_size {
        counters.skipped_large.fetch_add(1, Ordering::Relaxed);
        if opts.verbose {
            diagnose(&format!(
                "note: {rel}: skipped, {len} bytes is over --max-file-size {}",
                opts.max_file_size
            ));
        }
        return Vec::new();
    }
    buf.clear();
    let read = std::fs::File::open(path).and_then(|mut f| {
        // `len` is a hint: the file may have grown or shrunk since.
        buf.reserve(usize::try_from(len).unwrap_or(0).saturating_add(1));
        f.read_to_end(buf)
    });
    let data: &[u8] = match read {
        Ok(_) => buf,
        Err(err) => {
            counters.warnings.fetch_add(1, Ordering::Relaxed);
            diagnose(&format!("warning: cannot read {rel}: {err}"));
            return Vec::new();
        }
    };
    if is_binary(data) {
        counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
        if opts.verbose {
            diagnose(&format!("note: {rel}: skipped, binary file"));
        }
        return Vec::new();
    }
    counters.files.fetch_add(1, Ordering::Relaxed);
    counters
        .bytes
        .fetch_add(data.len() as u64, Ordering::Relaxed);
    scanner.scan(rel, data)
}

fn one_line(s: &str) -> String {
    s.lines().next().unwrap_or(s).to_string()
}
