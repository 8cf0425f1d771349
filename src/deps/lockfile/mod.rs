//! Lockfile parsers, one module per format. Each turns the text of one
//! lockfile into a [`Lockfile`]: every pinned package with its 1-based line,
//! plus dependency edges where the format records them.

mod cargo;
mod composer;
mod gemfile;
mod gomod;
mod gosum;
mod jsonpos;
mod npm;
mod pipfile;
mod pnpm;
mod poetry;
mod requirements;
mod uv;
mod yarn;

use std::path::Path;

use packageurl::PackageUrl;

use super::model::{Ecosystem, Location, Lockfile, LockfileFormat, Package, Scope, Source};

/// Why a lockfile could not be read. Every variant names the file; the
/// ones with a line point at the offending spot.
#[derive(Debug, thiserror::Error)]
pub enum LockfileError {
    #[error("{file}:{line}: {message}")]
    At {
        file: String,
        line: usize,
        message: String,
    },
    #[error("{file}: unsupported {format} version {version} (this build reads {supported})")]
    UnknownVersion {
        file: String,
        format: &'static str,
        version: String,
        supported: &'static str,
    },
    #[error("{file}: cannot read: {source}")]
    Io {
        file: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: not a lockfile name this build recognises")]
    UnknownFormat { file: String },
}

/// The format a file name announces, if any.
pub fn detect_format(path: &Path) -> Option<LockfileFormat> {
    let name = path.file_name()?.to_str()?;
    Some(match name {
        "uv.lock" => LockfileFormat::UvLock,
        "poetry.lock" => LockfileFormat::PoetryLock,
        "Pipfile.lock" => LockfileFormat::PipfileLock,
        "package-lock.json" | "npm-shrinkwrap.json" => LockfileFormat::PackageLockJson,
        "yarn.lock" => LockfileFormat::YarnLock,
        "pnpm-lock.yaml" => LockfileFormat::PnpmLock,
        "Cargo.lock" => LockfileFormat::CargoLock,
        "Gemfile.lock" | "gems.locked" => LockfileFormat::GemfileLock,
        "composer.lock" => LockfileFormat::ComposerLock,
        "go.mod" => LockfileFormat::GoMod,
        "go.sum" => LockfileFormat::GoSum,
        n if n.starts_with("requirements") && n.ends_with(".txt") => LockfileFormat::Requirements,
        _ => return None,
    })
}

/// The file name that completes a lockfile of `format` when it sits in the
/// same directory: a go.mod's go.sum (hashes, and for old go.mod files the
/// indirect modules). The companion is not a lockfile of its own there.
pub fn companion_name(format: LockfileFormat) -> Option<&'static str> {
    match format {
        LockfileFormat::GoMod => Some("go.sum"),
        _ => None,
    }
}

/// `dir/name` with `/` separators, `name` alone when `dir` is empty.
fn sibling(path: &str, name: &str) -> String {
    match path.rsplit_once('/') {
        Some((dir, _)) => format!("{dir}/{name}"),
        None => name.to_string(),
    }
}

/// The companion of the lockfile at `path` (`/`-separated), if its format
/// has one: the path it would have.
pub fn companion_path(path: &str) -> Option<String> {
    let format = detect_format(Path::new(path))?;
    companion_name(format).map(|n| sibling(path, n))
}

/// The paths among `paths` that are the companion of another path in the
/// list (a go.sum next to a go.mod): these are read with that lockfile.
pub fn companions<'a>(paths: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    paths.into_iter().filter_map(companion_path).collect()
}

/// Read and parse one lockfile from disk; `display` is the path used in
/// locations and messages. A go.mod takes in the go.sum beside it.
pub fn parse_file(path: &Path, display: &str) -> Result<Lockfile, LockfileError> {
    let format = detect_format(path).ok_or_else(|| LockfileError::UnknownFormat {
        file: display.to_string(),
    })?;
    let read = |p: &Path, shown: &str| {
        std::fs::read(p).map_err(|source| LockfileError::Io {
            file: shown.to_string(),
            source,
        })
    };
    let bytes = read(path, display)?;
    let companion = match companion_name(format) {
        Some(name) => {
            let p = path.with_file_name(name);
            let shown = sibling(display, name);
            match std::fs::read(&p) {
                Ok(b) => Some((b, shown)),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
                Err(source) => {
                    return Err(LockfileError::Io {
                        file: shown,
                        source,
                    })
                }
            }
        }
        None => None,
    };
    let mut lock = parse_bytes_with(
        &bytes,
        display,
        format,
        companion.as_ref().map(|(b, s)| (b.as_slice(), s.as_str())),
    )?;
    if format == LockfileFormat::Requirements {
        let mut seen = vec![std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())];
        follow_includes(path, display, &bytes, &mut lock, &mut seen)?;
    }
    Ok(lock)
}

/// Read a lockfile on disk as `format`, whatever its name (`deps diff` and
/// `deps review` take a base side saved under another name). One named
/// like a lockfile of that format is read as [`parse_file`] reads it, with
/// the go.sum beside a go.mod or a requirements file's `-r` includes; a
/// copy under another name is read alone, since nothing says which file
/// beside it would be its companion.
pub fn parse_file_as(
    path: &Path,
    display: &str,
    format: LockfileFormat,
) -> Result<Lockfile, LockfileError> {
    if detect_format(path) == Some(format) {
        return parse_file(path, display);
    }
    let bytes = std::fs::read(path).map_err(|source| LockfileError::Io {
        file: display.to_string(),
        source,
    })?;
    parse_bytes(&bytes, display, format)
}

/// Append the packages of `-r` includes (recursively, each file once),
/// each with its own file and line.
fn follow_includes(
    path: &Path,
    display: &str,
    bytes: &[u8],
    lock: &mut Lockfile,
    seen: &mut Vec<std::path::PathBuf>,
) -> Result<(), LockfileError> {
    let text = String::from_utf8_lossy(bytes);
    for inc in requirements::includes(&text) {
        let inc_path = path.parent().unwrap_or(Path::new(".")).join(&inc);
        let canon = std::fs::canonicalize(&inc_path).unwrap_or_else(|_| inc_path.clone());
        if seen.contains(&canon) {
            continue;
        }
        seen.push(canon);
        let inc_display = match display.rsplit_once('/') {
            Some((dir, _)) => format!("{dir}/{inc}"),
            None => inc.clone(),
        };
        let inc_bytes = std::fs::read(&inc_path).map_err(|source| LockfileError::Io {
            file: inc_display.clone(),
            source,
        })?;
        let sub = parse_bytes(&inc_bytes, &inc_display, LockfileFormat::Requirements)?;
        lock.packages.extend(sub.packages);
        follow_includes(&inc_path, &inc_display, &inc_bytes, lock, seen)?;
    }
    Ok(())
}

/// Parse lockfile bytes (from disk or a git blob).
pub fn parse_bytes(
    bytes: &[u8],
    display: &str,
    format: LockfileFormat,
) -> Result<Lockfile, LockfileError> {
    parse_bytes_with(bytes, display, format, None)
}

/// Parse lockfile bytes together with its companion's bytes and path
/// (see [`companion_name`]), if it has one.
pub fn parse_bytes_with(
    bytes: &[u8],
    display: &str,
    format: LockfileFormat,
    companion: Option<(&[u8], &str)>,
) -> Result<Lockfile, LockfileError> {
    let text = decode(bytes, display)?;
    let companion = match companion {
        Some((b, shown)) => Some((decode(b, shown)?, shown)),
        None => None,
    };
    parse_str_with(text, display, format, companion)
}

fn decode<'a>(bytes: &'a [u8], display: &str) -> Result<&'a str, LockfileError> {
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let line = bytes[..e.valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count()
            + 1;
        LockfileError::At {
            file: display.to_string(),
            line,
            message: "not valid UTF-8".into(),
        }
    })?;
    // A BOM would otherwise break the JSON and TOML parsers' first key.
    Ok(text.strip_prefix('\u{feff}').unwrap_or(text))
}

pub fn parse_str(
    text: &str,
    display: &str,
    format: LockfileFormat,
) -> Result<Lockfile, LockfileError> {
    parse_str_with(text, display, format, None)
}

/// [`parse_str`] with the companion's text and path.
pub fn parse_str_with(
    text: &str,
    display: &str,
    format: LockfileFormat,
    companion: Option<(&str, &str)>,
) -> Result<Lockfile, LockfileError> {
    let cx = Ctx::new(display, text, format.ecosystem());
    let (format_version, packages, edges) = match (format, companion) {
        (LockfileFormat::GoMod, Some((sum, sum_path))) => {
            gosum::combine(&cx, &Ctx::new(sum_path, sum, Ecosystem::Go))?
        }
        _ => parse_one(&cx, format)?,
    };
    Ok(Lockfile {
        path: display.to_string(),
        format,
        format_version,
        packages,
        edges,
    })
}

fn parse_one(cx: &Ctx, format: LockfileFormat) -> Result<Parsed, LockfileError> {
    Ok(match format {
        LockfileFormat::CargoLock => cargo::parse(cx)?,
        LockfileFormat::UvLock => uv::parse(cx)?,
        LockfileFormat::PoetryLock => poetry::parse(cx)?,
        LockfileFormat::PackageLockJson => npm::parse(cx)?,
        LockfileFormat::PipfileLock => pipfile::parse(cx)?,
        LockfileFormat::Requirements => requirements::parse(cx)?,
        LockfileFormat::YarnLock => yarn::parse(cx)?,
        LockfileFormat::PnpmLock => pnpm::parse(cx)?,
        LockfileFormat::GemfileLock => gemfile::parse(cx)?,
        LockfileFormat::ComposerLock => composer::parse(cx)?,
        LockfileFormat::GoMod => gomod::parse(cx)?,
        LockfileFormat::GoSum => gosum::parse(cx)?,
    })
}

/// What every parser returns: format version, packages, edges.
type Parsed = (Option<String>, Vec<Package>, Vec<super::model::Edge>);

/// Shared state of one parse: the file name, the text and its line index.
pub(crate) struct Ctx<'a> {
    pub file: &'a str,
    pub text: &'a str,
    pub ecosystem: Ecosystem,
    /// Byte offset of the start of each line after the first.
    newlines: Vec<usize>,
}

impl<'a> Ctx<'a> {
    fn new(file: &'a str, text: &'a str, ecosystem: Ecosystem) -> Self {
        let newlines = newline_offsets(text.as_bytes());
        Ctx {
            file,
            text,
            ecosystem,
            newlines,
        }
    }

    /// 1-based line of a byte offset.
    pub fn line_of(&self, offset: usize) -> usize {
        self.newlines.partition_point(|&n| n < offset) + 1
    }

    pub fn err(&self, line: usize, message: impl Into<String>) -> LockfileError {
        LockfileError::At {
            file: self.file.to_string(),
            line,
            message: message.into(),
        }
    }

    pub fn unknown_version(
        &self,
        format: &'static str,
        version: impl Into<String>,
        supported: &'static str,
    ) -> LockfileError {
        LockfileError::UnknownVersion {
            file: self.file.to_string(),
            format,
            version: version.into(),
            supported,
        }
    }

    pub fn toml_err(&self, e: toml::de::Error) -> LockfileError {
        let line = e.span().map(|s| self.line_of(s.start)).unwrap_or(1);
        self.err(line, format!("invalid TOML: {}", e.message()))
    }

    pub fn json_err(&self, e: serde_json::Error) -> LockfileError {
        self.err(e.line().max(1), format!("invalid JSON: {e}"))
    }

    /// A package of this file's ecosystem; the name must already be
    /// normalised.
    pub fn package(
        &self,
        name: String,
        version: String,
        scope: Scope,
        source: Source,
        line: usize,
        hashes: Vec<(String, String)>,
    ) -> Package {
        let purl = purl(self.ecosystem, &name, &version);
        Package {
            ecosystem: self.ecosystem,
            name,
            version,
            scope,
            source,
            purl,
            location: Location {
                file: self.file.to_string(),
                line,
            },
            hashes,
            markers: None,
        }
    }
}

fn newline_offsets(b: &[u8]) -> Vec<usize> {
    b.iter()
        .enumerate()
        .filter(|(_, &c)| c == b'\n')
        .map(|(i, _)| i)
        .collect()
}

/// PEP 503 normalisation: lower case, runs of `-`, `_`, `.` become one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut sep = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            sep = true;
        } else {
            if sep && !out.is_empty() {
                out.push('-');
            }
            sep = false;
            out.extend(c.to_lowercase());
        }
    }
    if sep && !out.is_empty() {
        out.push('-');
    }
    out
}

/// The package URL for a package. Namespaces: npm scopes (`@scope/name`),
/// Go module paths and Composer vendors are split at the last `/`.
pub fn purl(ecosystem: Ecosystem, name: &str, version: &str) -> String {
    let (ns, short) = match ecosystem {
        Ecosystem::Npm | Ecosystem::Go | Ecosystem::Packagist => match name.rsplit_once('/') {
            Some((ns, n)) => (Some(ns), n),
            None => (None, name),
        },
        _ => (None, name),
    };
    let build = || -> Result<String, packageurl::Error> {
        let mut p = PackageUrl::new(ecosystem.purl_type(), short)?;
        if let Some(ns) = ns {
            p.with_namespace(ns)?;
        }
        if !version.is_empty() {
            p.with_version(version)?;
        }
        Ok(p.to_string())
    };
    // Only an empty name fails; fall back to a readable string rather than
    // lose the package.
    build().unwrap_or_else(|_| format!("pkg:{}/{}", ecosystem.purl_type(), name))
}

/// `sha256:abc` / `sha512-BASE64=` style digests as CycloneDX-ready
/// `(algorithm, hex)` pairs.
pub(crate) fn parse_digest(s: &str) -> Option<(String, String)> {
    use base64::Engine;
    let (alg, value) = s.split_once([':', '-'])?;
    let (alg, hex_len) = match alg.to_ascii_lowercase().as_str() {
        "md5" => ("MD5", 32),
        "sha1" => ("SHA-1", 40),
        "sha256" => ("SHA-256", 64),
        "sha384" => ("SHA-384", 96),
        "sha512" => ("SHA-512", 128),
        _ => return None,
    };
    // Hex when it has the digest's hex length; base64 (SRI) otherwise.
    let hex = if value.len() == hex_len && value.bytes().all(|b| b.is_ascii_hexdigit()) {
        value.to_ascii_lowercase()
    } else {
        let raw = base64::engine::general_purpose::STANDARD
            .decode(value)
            .ok()?;
        const HEX: &[u8; 16] = b"0123456789abcdef";
        let mut hex = String::with_capacity(raw.len() * 2);
        for b in raw {
            hex.push(HEX[usize::from(b >> 4)] as char);
            hex.push(HEX[usize::from(b & 15)] as char);
        }
        hex
    };
    Some((alg.to_string(), hex))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pep503_examples() {
        assert_eq!(pep503("Friendly-Bard"), "friendly-bard");
        assert_eq!(pep503("FRIENDLY.._BARD"), "friendly-bard");
        assert_eq!(pep503("zope.interface"), "zope-interface");
    }

    #[test]
    fn purls() {
        assert_eq!(
            purl(Ecosystem::Npm, "@actions/core", "1.10.0"),
            "pkg:npm/%40actions/core@1.10.0"
        );
        assert_eq!(
            purl(Ecosystem::PyPI, "flask", "3.1.2"),
            "pkg:pypi/flask@3.1.2"
        );
        assert_eq!(
            purl(Ecosystem::CratesIo, "regex", "1.0.0"),
            "pkg:cargo/regex@1.0.0"
        );
        assert_eq!(
            purl(Ecosystem::Go, "github.com/pkg/errors", "v0.9.1"),
            "pkg:golang/github.com/pkg/errors@v0.9.1"
        );
    }

    #[test]
    fn digests() {
        let hex = "AB".repeat(32);
        assert_eq!(
            parse_digest(&format!("sha256:{hex}")),
            Some(("SHA-256".into(), "ab".repeat(32)))
        );
        assert_eq!(
            parse_digest("sha1-AAEC"),
            Some(("SHA-1".into(), "000102".into()))
        );
        assert_eq!(parse_digest("crc32:1"), None);
    }
}
