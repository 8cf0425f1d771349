//! rpm's database: `rpmdb.sqlite` (rpm 4.16+, the default of current
//! Fedora, RHEL 9, Rocky, Alma, Amazon Linux 2023), whose `Packages` table
//! holds one header blob per package. BerkeleyDB `Packages` (RHEL 7/8,
//! CentOS) and NDB `Packages.db` (SUSE) are not read yet: meeting one is an
//! error that says so.
//!
//! The header blob is rpm's `headerExport` format: `il` and `dl` (big-
//! endian u32), `il` 16-byte index entries (tag, type, offset, count),
//! then `dl` bytes of data. Hand-rolled (a few dozen lines): the `rpm`
//! crate reads package files, not bare installed-database headers, and
//! would bring a signing stack along.

use super::sqlite::{table_rows, Value};
use super::{DbError, OsPackage};

const TAG_NAME: u32 = 1000;
const TAG_VERSION: u32 = 1001;
const TAG_RELEASE: u32 = 1002;
const TAG_EPOCH: u32 = 1003;
const TAG_LICENSE: u32 = 1014;
const TAG_ARCH: u32 = 1022;
const TAG_SOURCERPM: u32 = 1044;

const TYPE_INT32: u32 = 4;
const TYPE_STRING: u32 = 6;
const TYPE_I18NSTRING: u32 = 9;

/// Paths of rpm databases this build cannot read, and what they are.
pub const UNSUPPORTED: [(&str, &str); 3] = [
    ("var/lib/rpm/Packages", "a BerkeleyDB rpm database"),
    ("usr/lib/sysimage/rpm/Packages", "a BerkeleyDB rpm database"),
    ("var/lib/rpm/Packages.db", "an NDB rpm database"),
];

/// The packages of an `rpmdb.sqlite`.
pub fn parse_sqlite(data: &[u8], path: &str) -> Result<Vec<OsPackage>, DbError> {
    let rows = table_rows(data, "Packages").map_err(|e| DbError::new(path, e))?;
    let mut out = Vec::new();
    for (rowid, cols) in rows {
        let blob = cols.iter().find_map(|c| match c {
            Value::Blob(b) => Some(b.as_slice()),
            _ => None,
        });
        let Some(blob) = blob else {
            return Err(DbError::new(
                path,
                format!("package row {rowid} has no header blob"),
            ));
        };
        let h = Header::parse(blob)
            .map_err(|e| DbError::new(path, format!("package row {rowid}: {e}")))?;
        if let Some(p) = h.package() {
            out.push(p);
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name).then(a.version.cmp(&b.version)));
    // A binary database has no lines: number the packages so each has
    // its own location.
    for (i, p) in out.iter_mut().enumerate() {
        p.line = i + 1;
    }
    Ok(out)
}

struct Header<'a> {
    entries: Vec<(u32, u32, usize, u32)>,
    data: &'a [u8],
}

impl<'a> Header<'a> {
    fn parse(b: &'a [u8]) -> Result<Header<'a>, String> {
        let u32_at = |at: usize| -> Result<u32, String> {
            b.get(at..at + 4)
                .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
                .ok_or_else(|| "truncated header".to_string())
        };
        let il = u32_at(0)? as usize;
        let dl = u32_at(4)? as usize;
        let start = il
            .checked_mul(16)
            .and_then(|n| n.checked_add(8))
            .filter(|&s| s <= b.len())
            .ok_or("header index larger than the blob")?;
        let data = b
            .get(start..start.saturating_add(dl))
            .ok_or("header data larger than the blob")?;
        let mut entries = Vec::with_capacity(il);
        for i in 0..il {
            let at = 8 + 16 * i;
            entries.push((
                u32_at(at)?,
                u32_at(at + 4)?,
                u32_at(at + 8)? as usize,
                u32_at(at + 12)?,
            ));
        }
        Ok(Header { entries, data })
    }

    fn string(&self, tag: u32) -> Option<String> {
        let &(_, ty, off, _) = self.entries.iter().find(|e| e.0 == tag)?;
        if ty != TYPE_STRING && ty != TYPE_I18NSTRING {
            return None;
        }
        let rest = self.data.get(off..)?;
        let end = rest.iter().position(|&c| c == 0)?;
        Some(String::from_utf8_lossy(&rest[..end]).into_owned())
    }

    fn int32(&self, tag: u32) -> Option<u32> {
        let &(_, ty, off, count) = self.entries.iter().find(|e| e.0 == tag)?;
        if ty != TYPE_INT32 || count == 0 {
            return None;
        }
        let s = self.data.get(off..off + 4)?;
        Some(u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
    }

    fn package(&self) -> Option<OsPackage> {
        let name = self.string(TAG_NAME)?;
        // Imported signing keys appear as packages; they are not software.
        if name == "gpg-pubkey" {
            return None;
        }
        let version = self.string(TAG_VERSION)?;
        let release = self.string(TAG_RELEASE).unwrap_or_default();
        let epoch = self.int32(TAG_EPOCH).filter(|&e| e != 0);
        let vr = if release.is_empty() {
            version
        } else {
            format!("{version}-{release}")
        };
        let full = match epoch {
            Some(e) => format!("{e}:{vr}"),
            None => vr,
        };
        let (source_name, source_version) = self
            .string(TAG_SOURCERPM)
            .and_then(|s| split_srpm(&s))
            .map(|(n, v)| {
                let v = match epoch {
                    Some(e) => format!("{e}:{v}"),
                    None => v,
                };
                (n, v)
            })
            .unwrap_or_else(|| (name.clone(), full.clone()));
        Some(OsPackage {
            name,
            version: full,
            source_name,
            source_version,
            arch: self.string(TAG_ARCH).unwrap_or_default(),
            license: self.string(TAG_LICENSE),
            line: 1,
        })
    }
}

/// `openssl-3.0.7-24.el9.src.rpm` -> (`openssl`, `3.0.7-24.el9`).
fn split_srpm(s: &str) -> Option<(String, String)> {
    let base = s
        .strip_suffix(".src.rpm")
        .or_else(|| s.strip_suffix(".nosrc.rpm"))?;
    let (nv, release) = base.rsplit_once('-')?;
    let (name, version) = nv.rsplit_once('-')?;
    Some((name.to_string(), format!("{version}-{release}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn source_rpm_names() {
        assert_eq!(
            split_srpm("openssl-3.0.7-24.el9.src.rpm"),
            Some(("openssl".into(), "3.0.7-24.el9".into()))
        );
        assert_eq!(
            split_srpm("python3.11-3.11.5-1.el9.src.rpm"),
            Some(("python3.11".into(), "3.11.5-1.el9".into()))
        );
        assert_eq!(split_srpm("nonsense"), None);
    }

    /// A database rpm 4.18 wrote (tests/fixtures/image/SOURCE.md).
    #[test]
    fn real_rpmdb() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/image/rpmdb.sqlite"
        ))
        .unwrap();
        let p = parse_sqlite(&data, "var/lib/rpm/rpmdb.sqlite").unwrap();
        let got: Vec<(&str, &str, &str)> = p
            .iter()
            .map(|p| (p.name.as_str(), p.version.as_str(), p.arch.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("bash", "5.1.8-9.el9", "x86_64"),
                ("glibc", "2.34-100.el9_4.2", "x86_64"),
                ("openssl-libs", "1:3.0.7-24.el9", "x86_64"),
                ("zlib", "1.2.11-40.el9", "x86_64"),
            ]
        );
        assert_eq!(p[2].source_version, "1:3.0.7-24.el9");
        assert_eq!(p[0].license.as_deref(), Some("MIT"));
        let mut broken = data.clone();
        broken.truncate(data.len() / 2);
        assert!(parse_sqlite(&broken, "x").is_err());
    }

    #[test]
    fn bad_headers_are_errors() {
        assert!(Header::parse(&[0, 0, 0, 9]).is_err());
        assert!(Header::parse(&[0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]).is_err());
        let h = Header::parse(&[0, 0, 0, 0, 0, 0, 0, 0]).unwrap();
        assert!(h.package().is_none());
    }
}
