//! Version ordering per ecosystem. (Placeholder: the advisory work replaces
//! this with PEP 440, SemVer, RubyGems, Packagist and Go orderings.)

use std::cmp::Ordering;

use super::model::Ecosystem;

#[derive(Debug, thiserror::Error)]
#[error("{ecosystem} version {version:?}: {message}")]
pub struct VersionError {
    pub ecosystem: &'static str,
    pub version: String,
    pub message: String,
}

/// Compare two versions of one ecosystem.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    let _ = ecosystem;
    Ok(a.cmp(b))
}
