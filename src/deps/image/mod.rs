//! The package inventory of a container image: which files of each layer
//! describe installed packages ([`ImageSink::wants`]), their parsing, and
//! the final inventory ([`inventory`]) of what is installed in the final
//! filesystem, each package with the layer that added it (the first layer
//! of its unbroken presence at the same version and path).
//!
//! This module sees files as (layer, path, bytes); it does not read images
//! itself (that is `source::image`), so `deps` stays beside the secret
//! pipeline, not on top of it.

pub mod binary;
pub mod lang;

use std::collections::{HashMap, HashSet};
use std::io::Read;

use serde::Serialize;

use self::lang::LangFile;
use super::lockfile::purl as lang_purl;
use super::model::{Ecosystem, Location, Package, Scope, Source};
use super::ospkg::osrelease::{self, OsRelease};
use super::ospkg::{apk, dpkg, rpm, DbError, OsPackage, VersionScheme};

/// Files larger than this are not held in memory: package databases and
/// archives past it are reported, binaries are searched as a stream (Go
/// build info only).
pub const MAX_IN_MEMORY: u64 = 64 << 20;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Dpkg,
    Apk,
    Rpm,
    Python,
    Npm,
    Gem,
    Jar,
    GoBinary,
    RustBinary,
    Lockfile,
}

impl Kind {
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Dpkg => "dpkg",
            Kind::Apk => "apk",
            Kind::Rpm => "rpm",
            Kind::Python => "python",
            Kind::Npm => "npm",
            Kind::Gem => "gem",
            Kind::Jar => "jar",
            Kind::GoBinary => "go-binary",
            Kind::RustBinary => "rust-binary",
            Kind::Lockfile => "lockfile",
        }
    }
}

/// What one file of one layer said.
#[derive(Debug, Clone)]
pub enum Item {
    OsRelease(OsRelease),
    OsDb(VersionScheme, Result<Vec<OsPackage>, DbError>),
    /// A database this build cannot read (BerkeleyDB, NDB rpm).
    Unsupported(&'static str),
    /// An rpm write-ahead log with this many bytes.
    RpmWal(u64),
    Lang(Kind, Result<Vec<Package>, String>),
}

fn os_db(path: &str) -> Option<VersionScheme> {
    match path {
        "var/lib/dpkg/status" => Some(VersionScheme::Dpkg),
        "lib/apk/db/installed" => Some(VersionScheme::Apk),
        "var/lib/rpm/rpmdb.sqlite" | "usr/lib/sysimage/rpm/rpmdb.sqlite" => {
            Some(VersionScheme::Rpm)
        }
        p if p.starts_with("var/lib/dpkg/status.d/") => {
            let base = &p["var/lib/dpkg/status.d/".len()..];
            (!base.contains('/') && !base.ends_with(".md5sums") && !base.ends_with(".list"))
                .then_some(VersionScheme::Dpkg)
        }
        _ => None,
    }
}

fn is_os_release(path: &str) -> bool {
    matches!(path, "etc/os-release" | "usr/lib/os-release")
}

/// Hands `source::image` the files that describe packages.
#[derive(Debug, Default)]
pub struct ImageSink;

impl crate::source::image::FileSink for ImageSink {
    type Item = Item;

    fn wants(&self, path: &str, size: u64, head: &[u8]) -> crate::source::image::Want {
        use crate::source::image::Want;
        if os_db(path).is_some() || is_os_release(path) {
            return Want::Bytes;
        }
        if rpm::UNSUPPORTED.iter().any(|(p, _)| *p == path) || path.ends_with("rpmdb.sqlite-wal") {
            return Want::Stream;
        }
        if head.starts_with(b"\x7fELF") {
            return if size <= MAX_IN_MEMORY {
                Want::Bytes
            } else {
                Want::Stream
            };
        }
        match lang::classify(path) {
            Some(_) if size > MAX_IN_MEMORY => Want::Stream,
            Some(_) => Want::Bytes,
            None => Want::No,
        }
    }

    fn take(
        &self,
        path: &str,
        size: u64,
        data: crate::source::image::Data<'_>,
    ) -> Result<Option<Item>, String> {
        use crate::source::image::Data;
        if let Some((_, what)) = rpm::UNSUPPORTED.iter().find(|(p, _)| *p == path) {
            return Ok(Some(Item::Unsupported(what)));
        }
        if path.ends_with("rpmdb.sqlite-wal") {
            return Ok(Some(Item::RpmWal(size)));
        }
        let bytes = match data {
            Data::Bytes(b) => b,
            Data::Stream(r) => {
                let mut head = [0u8; 4];
                let n = r.read(&mut head).map_err(|e| e.to_string())?;
                if head[..n].starts_with(b"\x7fELF") {
                    let mut chained = std::io::Cursor::new(head[..n].to_vec()).chain(r);
                    let found =
                        binary::go_from_stream(path, &mut chained).map_err(|e| e.to_string())?;
                    return Ok((!found.is_empty()).then_some(Item::Lang(Kind::GoBinary, Ok(found))));
                }
                return Err(format!(
                    "{size} bytes: too large to read (limit {MAX_IN_MEMORY})"
                ));
            }
        };
        if is_os_release(path) {
            return Ok(Some(Item::OsRelease(osrelease::parse(
                &String::from_utf8_lossy(bytes),
            ))));
        }
        if let Some(scheme) = os_db(path) {
            let text = || String::from_utf8_lossy(bytes);
            let r = match scheme {
                VersionScheme::Dpkg => dpkg::parse(&text(), path),
                VersionScheme::Apk => apk::parse(&text(), path),
                VersionScheme::Rpm => rpm::parse_sqlite(bytes, path),
            };
            return Ok(Some(Item::OsDb(scheme, r)));
        }
        if bytes.starts_with(b"\x7fELF") {
            let found = binary::from_bytes(path, bytes)?;
            if found.is_empty() {
                return Ok(None);
            }
            let kind = if found.iter().any(|p| p.ecosystem == Ecosystem::Go) {
                Kind::GoBinary
            } else {
                Kind::RustBinary
            };
            return Ok(Some(Item::Lang(kind, Ok(found))));
        }
        let Some(lf) = lang::classify(path) else {
            return Ok(None);
        };
        let kind = match lf {
            LangFile::PythonMetadata => Kind::Python,
            LangFile::NodePackage => Kind::Npm,
            LangFile::Gemspec => Kind::Gem,
            LangFile::Jar => Kind::Jar,
            LangFile::Lockfile(_) => Kind::Lockfile,
        };
        Ok(Some(Item::Lang(kind, lang::parse(lf, path, bytes))))
    }
}

/// One installed package.
#[derive(Debug, Clone, Serialize)]
pub struct Installed {
    /// What advisories are matched on: for OS packages the source
    /// package's name and version (Debian, Ubuntu and Alpine file
    /// advisories per source package), the installed package's purl, and
    /// the location (path in the image, line of its record).
    pub package: Package,
    /// The installed (binary) package's name and version.
    pub name: String,
    pub version: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source_package: Option<String>,
    pub kind: Kind,
    /// 0-based index of the layer that added it.
    pub layer: usize,
    #[serde(skip_serializing_if = "String::is_empty")]
    pub arch: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub license: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OsInfo {
    pub release: OsReleaseInfo,
    /// The OSV ecosystem its packages match (`Debian:12`), or the package
    /// format alone when OSV has no data for the distribution.
    pub ecosystem: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct OsReleaseInfo {
    pub id: String,
    pub version_id: Option<String>,
    pub pretty_name: String,
}

#[derive(Debug, Default)]
pub struct Inventory {
    pub os: Option<OsInfo>,
    pub packages: Vec<Installed>,
    pub warnings: Vec<String>,
}

/// Where a file's final version is: (layer written, first layer of its
/// unbroken existence), when the path is a regular file in the final
/// filesystem.
pub type FinalLookup<'a> = &'a dyn Fn(&str) -> Option<(usize, usize)>;

/// The inventory of the final filesystem. `items` are each layer's
/// parsed files; `final_of` says where each path's final version is;
/// `os_release` is the path `etc/os-release` resolves to, if any.
pub fn inventory(
    items: &[Vec<(String, Item)>],
    final_of: FinalLookup<'_>,
    os_release: Option<&str>,
    layer_name: &dyn Fn(usize) -> String,
) -> Inventory {
    let mut by_path: HashMap<&str, Vec<(usize, &Item)>> = HashMap::new();
    for (l, layer) in items.iter().enumerate() {
        for (p, it) in layer {
            by_path.entry(p.as_str()).or_default().push((l, it));
        }
    }
    let mut inv = Inventory::default();
    let final_item = |p: &str| -> Option<(usize, usize, &Item)> {
        let (layer, since) = final_of(p)?;
        let it = by_path.get(p)?.iter().find(|(l, _)| *l == layer)?.1;
        Some((layer, since, it))
    };
    let release = os_release
        .and_then(|p| final_item(p))
        .and_then(|(_, _, it)| match it {
            Item::OsRelease(r) => Some(r.clone()),
            _ => None,
        })
        .or_else(|| {
            ["etc/os-release", "usr/lib/os-release"]
                .iter()
                .find_map(|p| match final_item(p) {
                    Some((_, _, Item::OsRelease(r))) => Some(r.clone()),
                    _ => None,
                })
        });
    let mut paths: Vec<&str> = by_path.keys().copied().collect();
    paths.sort_unstable();
    for path in paths {
        let Some((layer, since, item)) = final_item(path) else {
            continue;
        };
        // Earlier versions of this file in its current existence, newest first.
        let history: Vec<(usize, &Item)> = by_path[path]
            .iter()
            .filter(|(l, _)| *l >= since && *l < layer)
            .rev()
            .copied()
            .collect();
        match item {
            Item::OsRelease(_) => {}
            Item::Unsupported(what) => inv.warnings.push(format!(
                "{path} ({}): {what}: not read yet, so OS packages of this image are not checked",
                layer_name(layer)
            )),
            Item::RpmWal(n) if *n > 0 => inv.warnings.push(format!(
                "{path} ({}): an uncheckpointed rpm write-ahead log ({n} bytes) is not read; packages it records may be missing",
                layer_name(layer)
            )),
            Item::RpmWal(_) => {}
            Item::OsDb(scheme, Err(e)) => {
                let _ = scheme;
                inv.warnings.push(format!("{e} ({})", layer_name(layer)));
            }
            Item::OsDb(scheme, Ok(pkgs)) => {
                let rel = release.clone().unwrap_or_default();
                let eco = Ecosystem::Os(rel.ecosystem(*scheme));
                if inv.os.is_none() {
                    inv.os = Some(OsInfo {
                        release: OsReleaseInfo {
                            id: rel.id.clone(),
                            version_id: rel.version_id.clone(),
                            pretty_name: rel.display(),
                        },
                        ecosystem: eco.osv_name(),
                    });
                }
                if release.is_none() {
                    inv.warnings.push(format!(
                        "{path}: no /etc/os-release in the image: its {} packages are listed but not matched",
                        scheme_name(*scheme)
                    ));
                }
                let older: Vec<HashSet<(&str, &str)>> = history
                    .iter()
                    .map(|(_, it)| match it {
                        Item::OsDb(_, Ok(ps)) => ps.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect(),
                        _ => HashSet::new(),
                    })
                    .collect();
                for p in pkgs {
                    let mut added = layer;
                    for (i, set) in older.iter().enumerate() {
                        if set.contains(&(p.name.as_str(), p.version.as_str())) {
                            added = history[i].0;
                        } else {
                            break;
                        }
                    }
                    inv.packages.push(os_installed(p, eco, *scheme, &rel, path, added));
                }
            }
            Item::Lang(_, Err(e)) => inv.warnings.push(format!("{path} ({}): {e}", layer_name(layer))),
            Item::Lang(kind, Ok(pkgs)) => {
                let older: Vec<HashSet<(&str, &str)>> = history
                    .iter()
                    .map(|(_, it)| match it {
                        Item::Lang(_, Ok(ps)) => ps.iter().map(|p| (p.name.as_str(), p.version.as_str())).collect(),
                        _ => HashSet::new(),
                    })
                    .collect();
                for p in pkgs {
                    let mut added = layer;
                    for (i, set) in older.iter().enumerate() {
                        if set.contains(&(p.name.as_str(), p.version.as_str())) {
                            added = history[i].0;
                        } else {
                            break;
                        }
                    }
                    inv.packages.push(Installed {
                        name: p.name.clone(),
                        version: p.version.clone(),
                        source_package: None,
                        package: p.clone(),
                        kind: *kind,
                        layer: added,
                        arch: String::new(),
                        license: None,
                    });
                }
            }
        }
    }
    inv
}

fn scheme_name(s: VersionScheme) -> &'static str {
    match s {
        VersionScheme::Dpkg => "dpkg",
        VersionScheme::Apk => "apk",
        VersionScheme::Rpm => "rpm",
    }
}

/// `pkg:deb/debian/openssl@3.0.11-1?arch=amd64&distro=debian-12`.
pub fn os_purl(p: &OsPackage, scheme: VersionScheme, rel: &OsRelease) -> String {
    let ty = match scheme {
        VersionScheme::Dpkg => "deb",
        VersionScheme::Apk => "apk",
        VersionScheme::Rpm => "rpm",
    };
    let ns = if rel.id.is_empty() {
        "unknown"
    } else {
        rel.id.as_str()
    };
    let mut u = match packageurl::PackageUrl::new(ty, p.name.as_str()) {
        Ok(u) => u,
        Err(_) => return format!("pkg:{ty}/{ns}/{}@{}", p.name, p.version),
    };
    let _ = u.with_namespace(ns);
    // rpm purls carry the epoch as a qualifier.
    let (epoch, version) = match (scheme, p.version.split_once(':')) {
        (VersionScheme::Rpm, Some((e, v))) => (Some(e), v),
        _ => (None, p.version.as_str()),
    };
    let _ = u.with_version(version);
    if !p.arch.is_empty() {
        let _ = u.add_qualifier("arch", p.arch.as_str());
    }
    if let Some(e) = epoch {
        let _ = u.add_qualifier("epoch", e);
    }
    if let Some(d) = rel.purl_distro() {
        let _ = u.add_qualifier("distro", d);
    }
    u.to_string()
}

fn os_installed(
    p: &OsPackage,
    eco: Ecosystem,
    scheme: VersionScheme,
    rel: &OsRelease,
    path: &str,
    layer: usize,
) -> Installed {
    let source_package = (p.source_name != p.name || p.source_version != p.version)
        .then(|| format!("{} {}", p.source_name, p.source_version));
    // Debian, Ubuntu and Alpine file advisories per source package; the
    // rpm distributions' (AlmaLinux, Rocky) name the binary packages.
    let (name, version) = match scheme {
        VersionScheme::Rpm => (&p.name, &p.version),
        _ => (&p.source_name, &p.source_version),
    };
    Installed {
        package: Package {
            ecosystem: eco,
            name: name.clone(),
            version: version.clone(),
            scope: Scope::Runtime,
            source: Source::Registry(None),
            purl: os_purl(p, scheme, rel),
            location: Location {
                file: path.to_string(),
                line: p.line,
            },
            hashes: Vec::new(),
            markers: None,
        },
        name: p.name.clone(),
        version: p.version.clone(),
        source_package,
        kind: match scheme {
            VersionScheme::Dpkg => Kind::Dpkg,
            VersionScheme::Apk => Kind::Apk,
            VersionScheme::Rpm => Kind::Rpm,
        },
        layer,
        arch: p.arch.clone(),
        license: p.license.clone(),
    }
}

/// A purl for a language package (the parsers' own), re-exported for writers.
pub fn purl(eco: Ecosystem, name: &str, version: &str) -> String {
    lang_purl(eco, name, version)
}
