//! Advisory databases: OSV JSON (directory or `all.zip`), OSV YAML (the PyPA
//! layout), RustSec's advisory-db and GitHub's advisory-database. Every
//! layout is read into one model, indexed by (ecosystem, package name).

pub mod fetch;
pub mod index;
pub mod load;
pub mod matching;
pub mod osv;
pub mod rustsec;
pub mod severity;

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::model::Ecosystem;
pub use severity::Severity;

/// One advisory, whatever layout it came from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    /// Other ids of the same flaw (CVE, GHSA, PYSEC, RUSTSEC).
    pub aliases: Vec<String>,
    pub summary: String,
    pub details: String,
    pub severity: Severity,
    /// CVSS base score when a vector was given and scored.
    pub cvss_score: Option<f64>,
    pub cvss_vector: Option<String>,
    pub kind: Kind,
    /// Where a person reads about it.
    pub url: String,
    pub published: Option<String>,
    pub modified: Option<String>,
    pub affected: Vec<Affected>,
    /// The file it was read from (relative to the DB root).
    pub origin: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Kind {
    Vulnerability,
    /// RustSec informational advisories (`unmaintained`, `unsound`,
    /// `notice`): reported, never failing a run.
    Informational(String),
}

impl Kind {
    pub fn is_informational(&self) -> bool {
        matches!(self, Kind::Informational(_))
    }
    pub fn as_str(&self) -> &str {
        match self {
            Kind::Vulnerability => "vulnerability",
            Kind::Informational(k) => k,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Affected {
    pub ecosystem: Ecosystem,
    /// Normalised like [`crate::deps::model::Package::name`].
    pub name: String,
    pub ranges: Vec<Range>,
    /// Explicitly listed affected versions.
    pub versions: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Range {
    /// OSV `SEMVER` (`semver == true`) or `ECOSYSTEM` ranges.
    Osv { semver: bool, events: Vec<Event> },
    /// RustSec: affected unless a `patched` or `unaffected` requirement
    /// matches (Cargo requirement syntax).
    Requirements {
        patched: Vec<String>,
        unaffected: Vec<String>,
    },
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Event {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl Affected {
    /// Versions that fix it, for the upgrade hint.
    pub fn fixed_versions(&self) -> Vec<String> {
        let mut out = Vec::new();
        for r in &self.ranges {
            match r {
                Range::Osv { events, .. } => {
                    for e in events {
                        if let Event::Fixed(v) = e {
                            out.push(v.clone());
                        }
                    }
                }
                Range::Requirements { patched, .. } => out.extend(patched.iter().cloned()),
            }
        }
        out
    }
}

/// Package names as the index keys them. Lockfile parsers normalise too; doing
/// it again here costs little and keeps the two sides in step.
pub fn normalize_name(eco: Ecosystem, name: &str) -> String {
    match eco {
        // PEP 503.
        Ecosystem::PyPI => {
            let mut out = String::with_capacity(name.len());
            let mut sep = false;
            for c in name.trim().chars() {
                if matches!(c, '-' | '_' | '.') {
                    sep = true;
                } else {
                    if sep && !out.is_empty() {
                        out.push('-');
                    }
                    sep = false;
                    out.push(c.to_ascii_lowercase());
                }
            }
            out
        }
        Ecosystem::Packagist => name.trim().to_ascii_lowercase(),
        _ => name.trim().to_string(),
    }
}

/// Map an OSV ecosystem string to ours; `None` for ecosystems we do not
/// read (their advisories are skipped, not errors). Distribution
/// ecosystems keep their release (`Debian:12`, `Alpine:v3.19`).
pub fn ecosystem_from_osv(s: &str) -> Option<Ecosystem> {
    if let Some(os) = crate::deps::ospkg::OsEcosystem::from_osv(s) {
        return Some(Ecosystem::Os(os));
    }
    let base = s.split(':').next().unwrap_or(s);
    Some(match base {
        "PyPI" => Ecosystem::PyPI,
        "npm" => Ecosystem::Npm,
        "crates.io" => Ecosystem::CratesIo,
        "RubyGems" => Ecosystem::RubyGems,
        "Packagist" => Ecosystem::Packagist,
        "Go" => Ecosystem::Go,
        _ => return None,
    })
}

/// Which on-disk layouts a DB held.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Layout {
    OsvJson,
    OsvYaml,
    OsvZip,
    RustSec,
    GitHub,
}

impl Layout {
    pub fn as_str(self) -> &'static str {
        match self {
            Layout::OsvJson => "OSV JSON",
            Layout::OsvYaml => "OSV YAML (PyPA)",
            Layout::OsvZip => "OSV all.zip",
            Layout::RustSec => "RustSec advisory-db",
            Layout::GitHub => "GitHub advisory-database",
        }
    }
}

/// A loaded database: advisories plus the (ecosystem, name) index.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Database {
    pub root: PathBuf,
    pub advisories: Vec<Advisory>,
    pub index: HashMap<(Ecosystem, String), Vec<u32>>,
    pub layouts: Vec<Layout>,
    /// Files that could not be read, one line each (file and problem).
    pub warnings: Vec<String>,
    /// Newest `modified` date among the advisories (RFC 3339 or a date).
    pub newest: Option<String>,
}

impl Database {
    pub fn from_advisories(root: PathBuf, advisories: Vec<Advisory>) -> Database {
        let mut db = Database {
            root,
            advisories,
            ..Database::default()
        };
        db.reindex();
        db
    }

    pub fn reindex(&mut self) {
        self.index.clear();
        self.newest = None;
        for (i, a) in self.advisories.iter().enumerate() {
            for af in &a.affected {
                let list = self
                    .index
                    .entry((af.ecosystem, af.name.clone()))
                    .or_default();
                if list.last() != Some(&(i as u32)) {
                    list.push(i as u32);
                }
            }
            if let Some(m) = a.modified.as_ref().or(a.published.as_ref()) {
                if self.newest.as_ref().is_none_or(|n| m > n) {
                    self.newest = Some(m.clone());
                }
            }
        }
    }

    /// Advisories that name this package.
    pub fn for_package(&self, eco: Ecosystem, name: &str) -> impl Iterator<Item = &Advisory> {
        self.for_normalized(eco, &normalize_name(eco, name))
    }

    /// [`Database::for_package`] for a name already normalised.
    pub fn for_normalized(&self, eco: Ecosystem, name: &str) -> impl Iterator<Item = &Advisory> {
        // The key owns its name; building it costs one small allocation per
        // package, not per advisory.
        let key = (eco, name.to_string());
        self.index
            .get(&key)
            .into_iter()
            .flatten()
            .map(|&i| &self.advisories[i as usize])
    }

    /// Count per ecosystem, for `db status`.
    pub fn counts(&self) -> Vec<(Ecosystem, usize)> {
        let mut m: HashMap<Ecosystem, usize> = HashMap::new();
        for a in &self.advisories {
            let mut ecos: Vec<Ecosystem> = a.affected.iter().map(|af| af.ecosystem).collect();
            ecos.sort();
            ecos.dedup();
            for e in ecos {
                *m.entry(e).or_default() += 1;
            }
        }
        let mut v: Vec<_> = m.into_iter().collect();
        v.sort();
        v
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_names() {
        assert_eq!(
            normalize_name(Ecosystem::PyPI, "Foo.Bar__baz"),
            "foo-bar-baz"
        );
        assert_eq!(normalize_name(Ecosystem::Npm, "@Scope/x"), "@Scope/x");
    }
}
