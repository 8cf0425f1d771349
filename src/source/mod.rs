//! Where bytes come from: the working tree, git history, a commit range,
//! the index.

pub mod fs;
pub mod git;
pub mod image;

use std::sync::atomic::{AtomicU64, Ordering};

/// Counters shared by the workers of one scan.
#[derive(Debug, Default)]
pub struct ScanCounters {
    pub files: AtomicU64,
    pub bytes: AtomicU64,
    pub skipped_binary: AtomicU64,
    pub skipped_large: AtomicU64,
    pub skipped_excluded: AtomicU64,
    pub warnings: AtomicU64,
}

/// A snapshot of the counters, for reports.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct ScanStats {
    pub files_scanned: u64,
    pub bytes_scanned: u64,
    pub files_skipped_binary: u64,
    pub files_skipped_too_large: u64,
    pub warnings: u64,
    pub duration_ms: u64,
}

impl ScanCounters {
    pub fn snapshot(&self, elapsed: std::time::Duration) -> ScanStats {
        ScanStats {
            files_scanned: self.files.load(Ordering::Relaxed),
            bytes_scanned: self.bytes.load(Ordering::Relaxed),
            files_skipped_binary: self.skipped_binary.load(Ordering::Relaxed),
            files_skipped_too_large: self.skipped_large.load(Ordering::Relaxed),
            warnings: self.warnings.load(Ordering::Relaxed),
            duration_ms: elapsed.as_millis() as u64,
        }
    }
}

/// Files whose first 8 KiB hold a NUL byte are binary, like git decides.
pub fn is_binary(data: &[u8]) -> bool {
    data[..data.len().min(8192)].contains(&0)
}
