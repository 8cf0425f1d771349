//! `/etc/os-release` (or `/usr/lib/os-release`): which distribution and
//! release an image is, and so which OSV ecosystem its packages match.

use std::collections::BTreeMap;

use super::{Distro, OsEcosystem, VersionScheme};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OsRelease {
    /// `ID` (`debian`, `ubuntu`, `alpine`, `wolfi`, `rocky`...).
    pub id: String,
    pub id_like: Vec<String>,
    pub version_id: Option<String>,
    pub version_codename: Option<String>,
    pub pretty_name: Option<String>,
}

/// Parse the `KEY=value` lines (values may be quoted, with `\` escapes).
pub fn parse(text: &str) -> OsRelease {
    let mut map = BTreeMap::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let Some((k, v)) = line.split_once('=') else {
            continue;
        };
        map.insert(k.trim().to_string(), unquote(v.trim()));
    }
    let get = |k: &str| map.get(k).filter(|v| !v.is_empty()).cloned();
    OsRelease {
        id: get("ID").unwrap_or_default().to_ascii_lowercase(),
        id_like: get("ID_LIKE")
            .map(|s| {
                s.split_whitespace()
                    .map(|w| w.to_ascii_lowercase())
                    .collect()
            })
            .unwrap_or_default(),
        version_id: get("VERSION_ID"),
        version_codename: get("VERSION_CODENAME"),
        pretty_name: get("PRETTY_NAME"),
    }
}

fn unquote(v: &str) -> String {
    let inner = if v.len() >= 2
        && ((v.starts_with('"') && v.ends_with('"')) || (v.starts_with('\'') && v.ends_with('\'')))
    {
        &v[1..v.len() - 1]
    } else {
        v
    };
    let mut out = String::with_capacity(inner.len());
    let mut esc = false;
    for c in inner.chars() {
        if esc {
            out.push(c);
            esc = false;
        } else if c == '\\' {
            esc = true;
        } else {
            out.push(c);
        }
    }
    out
}

/// Debian codenames OSV's `Debian:<n>` ecosystems use, for testing and
/// sid images whose os-release has a codename and no `VERSION_ID`.
const DEBIAN_CODENAMES: [(&str, &str); 7] = [
    ("stretch", "9"),
    ("buster", "10"),
    ("bullseye", "11"),
    ("bookworm", "12"),
    ("trixie", "13"),
    ("forky", "14"),
    ("duke", "15"),
];

impl OsRelease {
    /// The OSV ecosystem of this distribution's packages, given the package
    /// database found (which decides the version scheme of an unknown
    /// distribution). `None` when the release cannot be told.
    pub fn ecosystem(&self, scheme: VersionScheme) -> OsEcosystem {
        let other = OsEcosystem {
            distro: Distro::Other(scheme),
            release: super::Release::ANY,
        };
        let version = self.version_id.as_deref().unwrap_or("");
        let major = version.split('.').next().unwrap_or("");
        let found = match self.id.as_str() {
            "debian" => {
                let rel = if !major.is_empty() {
                    Some(major.to_string())
                } else {
                    self.version_codename
                        .as_deref()
                        .and_then(|c| DEBIAN_CODENAMES.iter().find(|(n, _)| *n == c))
                        .map(|(_, r)| r.to_string())
                };
                rel.and_then(|r| OsEcosystem::new(Distro::Debian, &r))
            }
            "ubuntu" if !version.is_empty() => OsEcosystem::new(Distro::Ubuntu, version),
            "alpine" if !version.is_empty() => {
                // `3.19.1` -> `v3.19`; an edge image (`3.20_alpha2024...`) has no branch.
                let mut parts = version.split('.');
                match (parts.next(), parts.next()) {
                    (Some(a), Some(b)) if b.bytes().all(|c| c.is_ascii_digit()) => {
                        OsEcosystem::new(Distro::Alpine, &format!("{a}.{b}"))
                    }
                    _ => None,
                }
            }
            "wolfi" => OsEcosystem::new(Distro::Wolfi, ""),
            "chainguard" => OsEcosystem::new(Distro::Chainguard, ""),
            "almalinux" if !major.is_empty() => OsEcosystem::new(Distro::AlmaLinux, major),
            "rocky" if !major.is_empty() => OsEcosystem::new(Distro::RockyLinux, major),
            _ => None,
        };
        match found {
            Some(e) if e.distro.scheme() == scheme => e,
            _ => other,
        }
    }

    /// How the distribution is named in reports (`Debian GNU/Linux 12 (bookworm)`).
    pub fn display(&self) -> String {
        self.pretty_name.clone().unwrap_or_else(|| {
            format!("{} {}", self.id, self.version_id.as_deref().unwrap_or(""))
                .trim()
                .to_string()
        })
    }

    /// The purl `distro` qualifier (`debian-12`, `alpine-3.19.1`).
    pub fn purl_distro(&self) -> Option<String> {
        if self.id.is_empty() {
            return None;
        }
        Some(match (&self.version_id, &self.version_codename) {
            (Some(v), _) => format!("{}-{v}", self.id),
            (None, Some(c)) => format!("{}-{c}", self.id),
            (None, None) => self.id.clone(),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debian_ubuntu_alpine() {
        let d = parse(
            "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n",
        );
        assert_eq!(d.ecosystem(VersionScheme::Dpkg).osv_name(), "Debian:12");
        assert_eq!(d.purl_distro().as_deref(), Some("debian-12"));
        let sid = parse(
            "PRETTY_NAME=\"Debian GNU/Linux trixie/sid\"\nID=debian\nVERSION_CODENAME=trixie\n",
        );
        assert_eq!(sid.ecosystem(VersionScheme::Dpkg).osv_name(), "Debian:13");
        let u = parse("ID=ubuntu\nVERSION_ID=\"22.04\"\nID_LIKE=debian\n");
        assert_eq!(u.ecosystem(VersionScheme::Dpkg).osv_name(), "Ubuntu:22.04");
        let a = parse("ID=alpine\nVERSION_ID=3.19.1\n");
        assert_eq!(a.ecosystem(VersionScheme::Apk).osv_name(), "Alpine:v3.19");
        let r = parse("ID=\"rocky\"\nVERSION_ID=\"9.3\"\n");
        assert_eq!(r.ecosystem(VersionScheme::Rpm).osv_name(), "Rocky Linux:9");
        // An rpm database on an image that says it is Debian is not Debian's.
        assert_eq!(
            d.ecosystem(VersionScheme::Rpm).distro,
            Distro::Other(VersionScheme::Rpm)
        );
        let f = parse("ID=fedora\nVERSION_ID=40\n");
        assert_eq!(
            f.ecosystem(VersionScheme::Rpm).distro,
            Distro::Other(VersionScheme::Rpm)
        );
    }
}
