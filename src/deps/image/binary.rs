//! Dependencies compiled into binaries: Go's build info (Go 1.18+, the
//! `.go.buildinfo` data that `go version -m` prints) and the
//! `.dep-v0` section cargo-auditable embeds in Rust binaries (zlib-
//! compressed JSON). ELF sections are found with the `object` crate;
//! Go's build info is also found by its magic, so a binary too large to
//! hold in memory is searched as a stream.

use std::io::Read;

use object::{Object, ObjectSection};

use crate::deps::lockfile::purl;
use crate::deps::model::{Ecosystem, Location, Package, Scope, Source};

const GO_MAGIC: &[u8] = b"\xff Go buildinf:";
/// Go brackets the module info with these 16-byte sentinels.
const INFO_START_LEN: usize = 16;
const INFO_END_LEN: usize = 16;

fn package(eco: Ecosystem, name: &str, version: &str, path: &str) -> Package {
    Package {
        ecosystem: eco,
        name: name.to_string(),
        version: version.to_string(),
        scope: Scope::Runtime,
        source: Source::Registry(None),
        purl: purl(eco, name, version),
        location: Location {
            file: path.to_string(),
            line: 1,
        },
        hashes: Vec::new(),
        markers: None,
    }
}

/// Packages a binary in memory was built from (empty for one with neither
/// kind of data).
pub fn from_bytes(path: &str, data: &[u8]) -> Result<Vec<Package>, String> {
    let mut out = Vec::new();
    let file = object::File::parse(data).ok();
    let section = |name: &str| {
        file.as_ref()
            .and_then(|f| f.section_by_name(name))
            .and_then(|s| s.data().ok())
    };
    if let Some(dep) = section(".dep-v0") {
        out.extend(auditable(path, dep)?);
    }
    let go = section(".go.buildinfo")
        .and_then(|s| find_go(s, 0).map(|at| &s[at..]))
        .or_else(|| find_go(data, 0).map(|at| &data[at..]));
    if let Some(info) = go {
        out.extend(go_buildinfo(path, info)?);
    }
    Ok(out)
}

/// Go's build info in a stream (a binary too large to hold): read in
/// chunks, keep what follows the magic.
pub fn go_from_stream(path: &str, r: &mut dyn Read) -> Result<Vec<Package>, String> {
    const CHUNK: usize = 1 << 20;
    let mut window: Vec<u8> = Vec::with_capacity(2 * CHUNK);
    let mut base = 0usize;
    let mut buf = vec![0u8; CHUNK];
    loop {
        let n = r.read(&mut buf).map_err(|e| e.to_string())?;
        if n == 0 {
            return Ok(Vec::new());
        }
        window.extend_from_slice(&buf[..n]);
        if let Some(at) = find_go(&window, base) {
            // The info is at most a few hundred KiB: read that much more.
            let mut rest = Vec::new();
            r.take(512 << 10)
                .read_to_end(&mut rest)
                .map_err(|e| e.to_string())?;
            window.extend_from_slice(&rest);
            return go_buildinfo(path, &window[at..]);
        }
        if window.len() > CHUNK {
            let keep = 64;
            let cut = window.len() - keep;
            // Keep alignment relative to the file: `base` counts what was dropped.
            base += cut;
            window.drain(..cut);
        }
    }
}

/// The offset of the build-info header in `data`, which starts at file
/// offset `base`; Go aligns it to 16 bytes.
fn find_go(data: &[u8], base: usize) -> Option<usize> {
    let finder = memchr::memmem::Finder::new(GO_MAGIC);
    let mut from = 0;
    while let Some(i) = finder.find(&data[from..]) {
        let at = from + i;
        if (base + at) % 16 == 0 {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

fn uvarint(b: &[u8]) -> Option<(usize, usize)> {
    let mut v: u64 = 0;
    for (i, &c) in b.iter().enumerate().take(10) {
        v |= u64::from(c & 0x7f) << (7 * i);
        if c & 0x80 == 0 {
            return Some((usize::try_from(v).ok()?, i + 1));
        }
    }
    None
}

/// The 32-byte header, then (flag bit 2: Go 1.18+) two varint-prefixed
/// strings, the Go version and the module info. Older binaries keep
/// pointers instead; they are reported as not read.
fn go_buildinfo(path: &str, b: &[u8]) -> Result<Vec<Package>, String> {
    if b.len() < 32 {
        return Err("truncated Go build info".into());
    }
    let flags = b[15];
    if flags & 2 == 0 {
        return Err("Go build info from before Go 1.18 (pointer format) is not read".into());
    }
    let mut rest = &b[32..];
    let mut strings = Vec::new();
    for _ in 0..2 {
        let (len, n) = uvarint(rest).ok_or("bad Go build info")?;
        let s = rest.get(n..n + len).ok_or("truncated Go build info")?;
        strings.push(s);
        rest = &rest[n + len..];
    }
    let go_version = String::from_utf8_lossy(strings[0]).into_owned();
    let mut mods = strings[1];
    if mods.len() >= INFO_START_LEN + INFO_END_LEN {
        mods = &mods[INFO_START_LEN..mods.len() - INFO_END_LEN];
    }
    let text = String::from_utf8_lossy(mods);
    let mut out = Vec::new();
    if let Some(v) = go_stdlib_version(&go_version) {
        out.push(package(Ecosystem::Go, "stdlib", &v, path));
    }
    let mut last_dep: Option<usize> = None;
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        match f.as_slice() {
            ["mod", p, v, ..] if *v != "(devel)" => {
                out.push(package(Ecosystem::Go, p, v, path));
                last_dep = None;
            }
            ["dep", p, v, ..] => {
                out.push(package(Ecosystem::Go, p, v, path));
                last_dep = Some(out.len() - 1);
            }
            // A `replace` directive: the dependency above is this module.
            ["=>", p, v, ..] => {
                if let Some(i) = last_dep {
                    out[i] = package(Ecosystem::Go, p, v, path);
                }
            }
            _ => {}
        }
    }
    Ok(out)
}

/// `go1.21.3` -> `v1.21.3`, `go1.22` -> `v1.22.0`, `go1.21rc2` ->
/// `v1.21.0-rc.2` (OSV's `stdlib` package is versioned this way, `v` optional).
fn go_stdlib_version(v: &str) -> Option<String> {
    let v = v.trim().strip_prefix("go")?;
    let v = v.split([' ', '+']).next()?;
    let (num, pre) = match v.find(|c: char| c.is_ascii_alphabetic()) {
        Some(i) => (&v[..i], Some(&v[i..])),
        None => (v, None),
    };
    let mut parts: Vec<&str> = num.split('.').collect();
    if parts
        .iter()
        .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return None;
    }
    while parts.len() < 3 {
        parts.push("0");
    }
    let base = format!("v{}", parts.join("."));
    Some(match pre {
        Some(p) => {
            let (word, n) = p.split_at(p.find(|c: char| c.is_ascii_digit()).unwrap_or(p.len()));
            if n.is_empty() {
                format!("{base}-{word}")
            } else {
                format!("{base}-{word}.{n}")
            }
        }
        None => base,
    })
}

#[derive(serde::Deserialize)]
struct Auditable {
    packages: Vec<AuditablePkg>,
}

#[derive(serde::Deserialize)]
struct AuditablePkg {
    name: String,
    version: String,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

/// cargo-auditable's `.dep-v0`: zlib-compressed `{"packages": [...]}`.
fn auditable(path: &str, section: &[u8]) -> Result<Vec<Package>, String> {
    let mut json = Vec::new();
    flate2::read::ZlibDecoder::new(section)
        .take(8 << 20)
        .read_to_end(&mut json)
        .map_err(|e| format!("cargo-auditable data: {e}"))?;
    let a: Auditable =
        serde_json::from_slice(&json).map_err(|e| format!("cargo-auditable data: {e}"))?;
    Ok(a.packages
        .iter()
        // Build-time dependencies are not in the binary; local crates
        // (the workspace) have no advisories.
        .filter(|p| p.kind.as_deref() != Some("build"))
        .filter(|p| {
            p.source
                .as_deref()
                .is_none_or(|s| s == "crates.io" || s.starts_with("registry"))
        })
        .map(|p| package(Ecosystem::CratesIo, &p.name, &p.version, path))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The bytes Go writes: header, then the two strings.
    pub(crate) fn go_blob(version: &str, modinfo: &str) -> Vec<u8> {
        let mut b = Vec::new();
        b.extend_from_slice(GO_MAGIC);
        b.push(8);
        b.push(2);
        b.resize(32, 0);
        let push = |b: &mut Vec<u8>, s: &[u8]| {
            let mut n = s.len();
            loop {
                let c = (n & 0x7f) as u8;
                n >>= 7;
                if n == 0 {
                    b.push(c);
                    break;
                }
                b.push(c | 0x80);
            }
            b.extend_from_slice(s);
        };
        push(&mut b, version.as_bytes());
        let mut m = vec![0x30u8; 16];
        m.extend_from_slice(modinfo.as_bytes());
        m.extend_from_slice(&[0x31u8; 16]);
        push(&mut b, &m);
        b
    }

    #[test]
    fn go_modules_and_replacements() {
        let mut data = vec![0u8; 48];
        data.extend(go_blob(
            "go1.21.3",
            "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/net\tv0.10.0\th1:x\ndep\tgithub.com/a/b\tv1.0.0\th1:y\n=>\tgithub.com/fork/b\tv1.0.1\th1:z\nbuild\t-compiler=gc\n",
        ));
        let p = from_bytes("usr/bin/app", &data).unwrap();
        let got: Vec<(&str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("stdlib", "v1.21.3"),
                ("golang.org/x/net", "v0.10.0"),
                ("github.com/fork/b", "v1.0.1")
            ]
        );
        let mut r = std::io::Cursor::new(data);
        assert_eq!(go_from_stream("usr/bin/app", &mut r).unwrap().len(), 3);
        assert_eq!(go_stdlib_version("go1.22"), Some("v1.22.0".into()));
        assert_eq!(go_stdlib_version("go1.21rc2"), Some("v1.21.0-rc.2".into()));
    }
}
