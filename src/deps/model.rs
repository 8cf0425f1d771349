//! The inventory model every lockfile parser produces.

use serde::{Deserialize, Serialize};

use super::ospkg::OsEcosystem;

/// Serialised as its OSV ecosystem string (`PyPI`, `Debian:12`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Ecosystem {
    PyPI,
    Npm,
    CratesIo,
    RubyGems,
    Packagist,
    Go,
    /// Java archives found in container images (`pom.properties`):
    /// inventoried; advisories are not matched yet (no Maven ordering).
    Maven,
    /// A distribution's packages (container images).
    Os(OsEcosystem),
}

impl Ecosystem {
    /// The OSV ecosystem name; for OS packages the distribution alone
    /// (`Debian`), see [`Ecosystem::osv_name`] for the release.
    pub fn as_str(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "PyPI",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "crates.io",
            Ecosystem::RubyGems => "RubyGems",
            Ecosystem::Packagist => "Packagist",
            Ecosystem::Go => "Go",
            Ecosystem::Maven => "Maven",
            Ecosystem::Os(o) => o.distro.osv_base(),
        }
    }
    /// The full OSV ecosystem string (`Debian:12`, `Alpine:v3.19`).
    pub fn osv_name(self) -> String {
        match self {
            Ecosystem::Os(o) => o.osv_name(),
            e => e.as_str().to_string(),
        }
    }
    /// The purl type.
    pub fn purl_type(self) -> &'static str {
        match self {
            Ecosystem::PyPI => "pypi",
            Ecosystem::Npm => "npm",
            Ecosystem::CratesIo => "cargo",
            Ecosystem::RubyGems => "gem",
            Ecosystem::Packagist => "composer",
            Ecosystem::Go => "golang",
            Ecosystem::Maven => "maven",
            Ecosystem::Os(o) => o.distro.purl_type(),
        }
    }
}

impl Serialize for Ecosystem {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.osv_name())
    }
}

impl<'de> Deserialize<'de> for Ecosystem {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <std::borrow::Cow<'de, str>>::deserialize(d)?;
        if s == "Maven" {
            return Ok(Ecosystem::Maven);
        }
        crate::deps::advisory::ecosystem_from_osv(&s)
            .ok_or_else(|| serde::de::Error::custom(format!("unknown ecosystem {s:?}")))
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Runtime,
    Dev,
    Optional,
    Peer,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase", tag = "kind", content = "url")]
pub enum Source {
    Registry(Option<String>),
    Git(String),
    Path(String),
    Url(String),
}

/// Where a package is declared: the lockfile and the 1-based line.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Location {
    pub file: String,
    pub line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Package {
    pub ecosystem: Ecosystem,
    /// Normalised per ecosystem (PEP 503 for PyPI; case kept for npm).
    pub name: String,
    /// Verbatim from the lockfile.
    pub version: String,
    pub scope: Scope,
    pub source: Source,
    pub purl: String,
    pub location: Location,
    /// Checksums as `(algorithm, hex or base64 value)` where the lockfile has them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub hashes: Vec<(String, String)>,
    /// PEP 508 environment markers (`python_version < "3.8"`), verbatim,
    /// where the lockfile conditions the package on them: the package is
    /// only installed where they hold.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub markers: Option<String>,
}

/// The lockfile formats the parsers understand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum LockfileFormat {
    UvLock,
    PoetryLock,
    PipfileLock,
    Requirements,
    PackageLockJson,
    YarnLock,
    PnpmLock,
    CargoLock,
    GemfileLock,
    ComposerLock,
    GoMod,
    GoSum,
}

impl LockfileFormat {
    pub fn ecosystem(self) -> Ecosystem {
        use LockfileFormat::*;
        match self {
            UvLock | PoetryLock | PipfileLock | Requirements => Ecosystem::PyPI,
            PackageLockJson | YarnLock | PnpmLock => Ecosystem::Npm,
            CargoLock => Ecosystem::CratesIo,
            GemfileLock => Ecosystem::RubyGems,
            ComposerLock => Ecosystem::Packagist,
            GoMod | GoSum => Ecosystem::Go,
        }
    }
}

/// `from` depends on `to`; both are indices into [`Lockfile::packages`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
}

/// One parsed lockfile: every entry it pins, in file order, and the
/// dependency edges where the format records them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lockfile {
    /// As given (relative to the scanned root, or the path in the revision).
    pub path: String,
    pub format: LockfileFormat,
    /// The format's own version marker (`lockfileVersion 3`, `version 1
    /// revision 3`, `v4`, ...), for messages and the SBOM.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub format_version: Option<String>,
    pub packages: Vec<Package>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<Edge>,
}
