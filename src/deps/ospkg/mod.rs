//! Operating-system packages in a container image's filesystem: the
//! distribution (`/etc/os-release`), its package database (dpkg, apk, rpm)
//! and the OSV ecosystem (`Debian:12`, `Ubuntu:22.04`, `Alpine:v3.19`...)
//! its advisories are filed under.

pub mod apk;
pub mod dpkg;
pub mod osrelease;
pub mod rpm;
pub mod sqlite;

use std::fmt;

/// How a distribution orders its package versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VersionScheme {
    /// `dpkg --compare-versions`.
    Dpkg,
    /// apk-tools' `apk version -t`.
    Apk,
    /// rpm's `rpmvercmp` over epoch, version and release.
    Rpm,
}

/// A distribution with advisories in OSV, or one we can only inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Distro {
    Debian,
    Ubuntu,
    Alpine,
    Wolfi,
    Chainguard,
    AlmaLinux,
    RockyLinux,
    /// Any other distribution of this package format: inventoried (SBOM),
    /// not matched (OSV has no ecosystem for it).
    Other(VersionScheme),
}

impl Distro {
    pub fn scheme(self) -> VersionScheme {
        match self {
            Distro::Debian | Distro::Ubuntu => VersionScheme::Dpkg,
            Distro::Alpine | Distro::Wolfi | Distro::Chainguard => VersionScheme::Apk,
            Distro::AlmaLinux | Distro::RockyLinux => VersionScheme::Rpm,
            Distro::Other(s) => s,
        }
    }

    /// The OSV ecosystem's base name (before any `:release`).
    pub fn osv_base(self) -> &'static str {
        match self {
            Distro::Debian => "Debian",
            Distro::Ubuntu => "Ubuntu",
            Distro::Alpine => "Alpine",
            Distro::Wolfi => "Wolfi",
            Distro::Chainguard => "Chainguard",
            Distro::AlmaLinux => "AlmaLinux",
            Distro::RockyLinux => "Rocky Linux",
            Distro::Other(VersionScheme::Dpkg) => "deb",
            Distro::Other(VersionScheme::Apk) => "apk",
            Distro::Other(VersionScheme::Rpm) => "rpm",
        }
    }

    /// The purl type of its packages.
    pub fn purl_type(self) -> &'static str {
        match self.scheme() {
            VersionScheme::Dpkg => "deb",
            VersionScheme::Apk => "apk",
            VersionScheme::Rpm => "rpm",
        }
    }

    /// Whether OSV names this distribution's ecosystems with a release.
    fn has_release(self) -> bool {
        !matches!(self, Distro::Wolfi | Distro::Chainguard | Distro::Other(_))
    }

    fn from_osv_base(s: &str) -> Option<Distro> {
        Some(match s {
            "Debian" => Distro::Debian,
            "Ubuntu" => Distro::Ubuntu,
            "Alpine" => Distro::Alpine,
            "Wolfi" => Distro::Wolfi,
            "Chainguard" => Distro::Chainguard,
            "AlmaLinux" => Distro::AlmaLinux,
            "Rocky Linux" => Distro::RockyLinux,
            _ => return None,
        })
    }
}

/// A distribution release, inline so the ecosystem stays `Copy` (it keys
/// the advisory index). OSV's releases are short (`12`, `22.04`,
/// `Pro:18.04`, `v3.19` stored as `3.19`); longer ones are not ours.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Release {
    len: u8,
    bytes: [u8; 23],
}

impl Release {
    pub const ANY: Release = Release {
        len: 0,
        bytes: [0; 23],
    };

    pub fn new(s: &str) -> Option<Release> {
        let b = s.as_bytes();
        if b.len() > 23 {
            return None;
        }
        let mut bytes = [0u8; 23];
        bytes[..b.len()].copy_from_slice(b);
        Some(Release {
            len: b.len() as u8,
            bytes,
        })
    }

    pub fn as_str(&self) -> &str {
        // Built from a `&str` cut at its own length: always UTF-8.
        std::str::from_utf8(&self.bytes[..self.len as usize]).unwrap_or("")
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
}

impl fmt::Debug for Release {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:?}", self.as_str())
    }
}

/// An OSV operating-system ecosystem: distribution plus release.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct OsEcosystem {
    pub distro: Distro,
    pub release: Release,
}

impl OsEcosystem {
    pub fn new(distro: Distro, release: &str) -> Option<OsEcosystem> {
        Some(OsEcosystem {
            distro,
            release: Release::new(release)?,
        })
    }

    /// The OSV ecosystem string: `Debian:12`, `Ubuntu:22.04`,
    /// `Alpine:v3.19`, `Wolfi`, `AlmaLinux:9`, `Rocky Linux:9`.
    pub fn osv_name(&self) -> String {
        let base = self.distro.osv_base();
        let rel = self.release.as_str();
        if rel.is_empty() {
            base.to_string()
        } else if self.distro == Distro::Alpine {
            format!("{base}:v{rel}")
        } else {
            format!("{base}:{rel}")
        }
    }

    /// Parse an OSV ecosystem string. Ubuntu's `:LTS` suffix is dropped
    /// (`Ubuntu:22.04:LTS` is the 22.04 an image's os-release names);
    /// `Ubuntu:Pro:...` stays distinct, so ESM fixes never match a
    /// standard image. `None` for ecosystems we do not read.
    pub fn from_osv(s: &str) -> Option<OsEcosystem> {
        let (base, rest) = match s.split_once(':') {
            Some((b, r)) => (b, r),
            None => (s, ""),
        };
        let distro = Distro::from_osv_base(base)?;
        let rel = match distro {
            Distro::Alpine => rest.strip_prefix('v').unwrap_or(rest).to_string(),
            Distro::Ubuntu => rest.strip_suffix(":LTS").unwrap_or(rest).to_string(),
            _ => rest.to_string(),
        };
        if !distro.has_release() && !rel.is_empty() {
            return None;
        }
        OsEcosystem::new(distro, &rel)
    }
}

/// One package an OS package database lists as installed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsPackage {
    pub name: String,
    /// The full version as the tools print it (`1:2.3-4`, `1.2-r0`,
    /// `2:8.2-1.el9` with the epoch only when set).
    pub version: String,
    /// The source package (Debian `Source:`, apk origin, rpm SOURCERPM
    /// name); advisories of Debian, Ubuntu and Alpine are per source package.
    pub source_name: String,
    /// The source package's version (Debian `Source: x (ver)`), else `version`.
    pub source_version: String,
    pub arch: String,
    pub license: Option<String>,
    /// 1-based line of its record in the database file (1 for binary
    /// databases), so each package has its own location.
    pub line: usize,
}

/// A package database that could not be read: one line naming the problem.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {message}")]
pub struct DbError {
    pub path: String,
    pub message: String,
}

impl DbError {
    pub fn new(path: &str, message: impl Into<String>) -> DbError {
        DbError {
            path: path.to_string(),
            message: message.into(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn osv_names_round_trip() {
        for s in [
            "Debian:12",
            "Alpine:v3.19",
            "Wolfi",
            "AlmaLinux:9",
            "Rocky Linux:8",
        ] {
            assert_eq!(OsEcosystem::from_osv(s).unwrap().osv_name(), s);
        }
        let u = OsEcosystem::from_osv("Ubuntu:22.04:LTS").unwrap();
        assert_eq!(u, OsEcosystem::new(Distro::Ubuntu, "22.04").unwrap());
        let pro = OsEcosystem::from_osv("Ubuntu:Pro:18.04:LTS").unwrap();
        assert_ne!(pro.release, Release::new("18.04").unwrap());
        assert_eq!(OsEcosystem::from_osv("Mageia:9"), None);
        assert_eq!(OsEcosystem::from_osv("Wolfi:1"), None);
        assert_eq!(
            OsEcosystem::from_osv("Debian").unwrap().release,
            Release::ANY
        );
        assert!(Release::new(&"x".repeat(24)).is_none());
    }
}
