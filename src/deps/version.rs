//! Version ordering per ecosystem, behind one function so the rest of the
//! crate never picks a comparator itself.
//!
//! - PyPI: PEP 440 (`pep440_rs`): epochs, pre/post/dev releases, local versions.
//! - npm, crates.io: SemVer 2 precedence (`semver`); build metadata is ignored.
//! - Go: SemVer with the mandatory `v` prefix; `+incompatible` is build metadata.
//! - RubyGems and Packagist: hand-rolled (see the submodules for why).
//! - Distributions (container images): dpkg (`debversion`), rpm's
//!   `rpmvercmp` (`rpm-version`), apk (hand-rolled, [`apk`]). Each is
//!   checked against the real tool in tests/image_versions.rs.

pub mod apk;
mod packagist;
mod rubygems;

use std::cmp::Ordering;
use std::str::FromStr;

use super::model::Ecosystem;
use super::ospkg::VersionScheme;

#[derive(Debug, thiserror::Error)]
#[error("{ecosystem} version {version:?}: {message}")]
pub struct VersionError {
    pub ecosystem: &'static str,
    pub version: String,
    pub message: String,
}

/// A version parsed once, to compare many times (range evaluation).
#[derive(Debug, Clone)]
pub enum Parsed {
    Pep440(pep440_rs::Version),
    Semver(semver::Version),
    Gem(Vec<rubygems::Seg>),
    Composer(Vec<packagist::Part>),
    Dpkg(debversion::Version),
    /// An `[epoch:]version[-release]` string, compared with `rpmvercmp`.
    Rpm(String),
    Apk(apk::Version),
}

impl Parsed {
    /// Order two versions parsed for the same ecosystem (and kind).
    pub fn cmp(&self, other: &Parsed) -> Ordering {
        match (self, other) {
            (Parsed::Pep440(a), Parsed::Pep440(b)) => a.cmp(b),
            (Parsed::Semver(a), Parsed::Semver(b)) => a.cmp_precedence(b),
            (Parsed::Gem(a), Parsed::Gem(b)) => rubygems::cmp(a, b),
            (Parsed::Composer(a), Parsed::Composer(b)) => packagist::cmp(a, b),
            (Parsed::Dpkg(a), Parsed::Dpkg(b)) => a.cmp(b),
            (Parsed::Rpm(a), Parsed::Rpm(b)) => rpm_version::rpm_evr_compare(a, b),
            (Parsed::Apk(a), Parsed::Apk(b)) => apk::cmp(a, b),
            // Callers parse both sides with the same function.
            _ => Ordering::Equal,
        }
    }
}

/// Parse a version by its ecosystem's rules.
pub fn parse(ecosystem: Ecosystem, v: &str) -> Result<Parsed, VersionError> {
    Ok(match ecosystem {
        Ecosystem::PyPI => Parsed::Pep440(pep440(v)?),
        Ecosystem::Npm | Ecosystem::CratesIo | Ecosystem::Go => return parse_semver(ecosystem, v),
        Ecosystem::RubyGems => Parsed::Gem(
            rubygems::parse(v).ok_or_else(|| err(ecosystem, v, "not a RubyGems version"))?,
        ),
        Ecosystem::Packagist => Parsed::Composer(
            packagist::parse(v).ok_or_else(|| err(ecosystem, v, "not a Composer version"))?,
        ),
        Ecosystem::Maven => {
            return Err(err(
                ecosystem,
                v,
                "Maven version ordering is not supported yet",
            ))
        }
        Ecosystem::Os(os) => parse_os(ecosystem, os.distro.scheme(), v)?,
    })
}

fn parse_os(ecosystem: Ecosystem, scheme: VersionScheme, v: &str) -> Result<Parsed, VersionError> {
    let t = v.trim();
    Ok(match scheme {
        VersionScheme::Dpkg => Parsed::Dpkg(
            t.parse::<debversion::Version>()
                .map_err(|e| err(ecosystem, v, &e.to_string()))?,
        ),
        VersionScheme::Rpm => {
            if t.is_empty() || t.chars().any(|c| c.is_whitespace()) {
                return Err(err(ecosystem, v, "not an rpm version"));
            }
            Parsed::Rpm(t.to_string())
        }
        VersionScheme::Apk => {
            Parsed::Apk(apk::parse(t).ok_or_else(|| err(ecosystem, v, "not an apk version"))?)
        }
    })
}

/// Parse as SemVer 2 whatever the ecosystem (OSV `SEMVER` ranges).
pub fn parse_semver(ecosystem: Ecosystem, v: &str) -> Result<Parsed, VersionError> {
    semver_lenient(v)
        .map(Parsed::Semver)
        .map_err(|m| err(ecosystem, v, &m))
}

/// Compare two versions of one ecosystem.
pub fn compare(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(ecosystem, a)?.cmp(&parse(ecosystem, b)?))
}

/// Check that `v` is a version `ecosystem` can order.
pub fn validate(ecosystem: Ecosystem, v: &str) -> Result<(), VersionError> {
    parse(ecosystem, v).map(|_| ())
}

/// SemVer 2 precedence regardless of ecosystem (OSV `SEMVER` ranges).
pub fn compare_semver(ecosystem: Ecosystem, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse_semver(ecosystem, a)?.cmp(&parse_semver(ecosystem, b)?))
}

/// SemVer with an optional leading `v` (Go always has one; OSV `SEMVER`
/// ranges and some npm data carry it too).
fn semver_lenient(v: &str) -> Result<semver::Version, String> {
    let t = v.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    semver::Version::parse(t).map_err(|e| e.to_string())
}

fn pep440(v: &str) -> Result<pep440_rs::Version, VersionError> {
    pep440_rs::Version::from_str(v.trim()).map_err(|e| err(Ecosystem::PyPI, v, &e.to_string()))
}

fn err(ecosystem: Ecosystem, version: &str, message: &str) -> VersionError {
    VersionError {
        ecosystem: ecosystem.as_str(),
        version: version.to_string(),
        message: message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Ecosystem::*;

    fn lt(e: Ecosystem, a: &str, b: &str) -> bool {
        compare(e, a, b).unwrap() == Ordering::Less
    }

    #[test]
    fn semver_prerelease_and_build() {
        assert!(lt(CratesIo, "1.0.0-alpha", "1.0.0"));
        assert!(lt(Npm, "1.0.0-beta.2", "1.0.0-beta.11"));
        assert_eq!(compare(Npm, "1.0.0+a", "1.0.0+b").unwrap(), Ordering::Equal);
        assert!(compare(CratesIo, "1.0", "1.0.0").is_err());
    }

    #[test]
    fn go_pseudo_and_incompatible() {
        assert!(lt(Go, "v0.0.0-20200101000000-abcdef123456", "v0.0.1"));
        assert_eq!(
            compare(Go, "v2.0.0+incompatible", "v2.0.0").unwrap(),
            Ordering::Equal
        );
    }

    #[test]
    fn pep440_orders() {
        assert!(lt(PyPI, "1.0.dev0", "1.0a0"));
        assert!(lt(PyPI, "1.0", "1.0.post1"));
        assert!(lt(PyPI, "1.0", "1.0+local"));
        assert!(lt(PyPI, "9.0", "1!0.1"));
        assert_eq!(compare(PyPI, "1.0", "1.0.0").unwrap(), Ordering::Equal);
        assert!(compare(PyPI, "not a version", "1").is_err());
    }
}
