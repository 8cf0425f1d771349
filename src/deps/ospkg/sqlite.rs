//! A read-only reader of one SQLite 3 table's rows, enough for rpm's
//! `rpmdb.sqlite` (`Packages(hnum INTEGER PRIMARY KEY, blob BLOB)`).
//!
//! Hand-rolled on purpose: no maintained pure-Rust SQLite reader exists,
//! and `rusqlite`'s `bundled` feature would compile ~9 MB of C on every CI
//! build to read one table. This follows the documented file format
//! (sqlite.org/fileformat2.html): the 100-byte header, table b-tree pages
//! (interior 0x05, leaf 0x0D), varints, the record format and overflow
//! chains. Every offset is bounds-checked and every page visited once, so
//! a corrupt or hostile file is an error, never a panic or a loop. The
//! write-ahead log is not read (see the caller's warning).

use std::collections::HashSet;

#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
}

struct Db<'a> {
    data: &'a [u8],
    page_size: usize,
    usable: usize,
}

type R<T> = Result<T, String>;

impl<'a> Db<'a> {
    fn open(data: &'a [u8]) -> R<Db<'a>> {
        if data.len() < 100 || &data[..16] != b"SQLite format 3\0" {
            return Err("not an SQLite 3 database".into());
        }
        let raw = u16::from_be_bytes([data[16], data[17]]) as usize;
        let page_size = if raw == 1 { 65536 } else { raw };
        if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
            return Err(format!("bad page size {raw}"));
        }
        let reserved = data[20] as usize;
        if reserved >= page_size - 480 {
            return Err(format!("bad reserved space {reserved}"));
        }
        if u32::from_be_bytes([data[56], data[57], data[58], data[59]]) > 1 {
            return Err("text encoding is not UTF-8".into());
        }
        Ok(Db {
            data,
            page_size,
            usable: page_size - reserved,
        })
    }

    fn page(&self, n: u32) -> R<&'a [u8]> {
        let start = (n as usize)
            .checked_sub(1)
            .and_then(|i| i.checked_mul(self.page_size))
            .ok_or_else(|| format!("bad page number {n}"))?;
        self.data
            .get(start..start + self.page_size)
            .ok_or_else(|| format!("page {n} is past the end of the file"))
    }

    /// Every row of the table b-tree rooted at `root`, in rowid order.
    fn rows(&self, root: u32) -> R<Vec<(i64, Vec<Value>)>> {
        let mut out = Vec::new();
        let mut seen = HashSet::new();
        let mut stack = vec![root];
        // Children are pushed right to left so rows come out in order.
        while let Some(n) = stack.pop() {
            if !seen.insert(n) {
                return Err(format!("page {n} is reached twice (corrupt b-tree)"));
            }
            let page = self.page(n)?;
            let h = if n == 1 { 100 } else { 0 };
            let kind = *page.get(h).ok_or("truncated page")?;
            let cells = be16(page, h + 3)? as usize;
            let (hdr, interior) = match kind {
                0x0D => (8, false),
                0x05 => (12, true),
                k => return Err(format!("page {n}: not a table b-tree page (type {k:#04x})")),
            };
            let ptrs = h + hdr;
            if interior {
                let right = be32(page, h + 8)?;
                stack.push(right);
                for i in (0..cells).rev() {
                    let off = be16(page, ptrs + 2 * i)? as usize;
                    stack.push(be32(page, off)?);
                }
            } else {
                for i in 0..cells {
                    let off = be16(page, ptrs + 2 * i)? as usize;
                    out.push(
                        self.leaf_cell(page, off)
                            .map_err(|e| format!("page {n}: {e}"))?,
                    );
                }
            }
        }
        Ok(out)
    }

    fn leaf_cell(&self, page: &[u8], off: usize) -> R<(i64, Vec<Value>)> {
        let (size, a) = varint(page, off)?;
        let (rowid, b) = varint(page, off + a)?;
        let start = off + a + b;
        let size = usize::try_from(size).map_err(|_| "payload too large")?;
        if size > self.data.len() {
            return Err("payload larger than the file".into());
        }
        let u = self.usable;
        let x = u - 35;
        let local = if size <= x {
            size
        } else {
            let m = ((u - 12) * 32 / 255) - 23;
            let k = m + ((size - m) % (u - 4));
            if k <= x {
                k
            } else {
                m
            }
        };
        let mut payload = page
            .get(start..start + local)
            .ok_or("cell past the end of its page")?
            .to_vec();
        if local < size {
            let mut next = be32(page, start + local)?;
            let mut seen = HashSet::new();
            while payload.len() < size {
                if next == 0 || !seen.insert(next) {
                    return Err("broken overflow chain".into());
                }
                let p = self.page(next)?;
                next = be32(p, 0)?;
                let want = (size - payload.len()).min(u - 4);
                payload.extend_from_slice(p.get(4..4 + want).ok_or("short overflow page")?);
            }
        }
        Ok((rowid as i64, record(&payload)?))
    }
}

fn be16(b: &[u8], at: usize) -> R<u16> {
    b.get(at..at + 2)
        .map(|s| u16::from_be_bytes([s[0], s[1]]))
        .ok_or_else(|| "offset past the end of a page".into())
}

fn be32(b: &[u8], at: usize) -> R<u32> {
    b.get(at..at + 4)
        .map(|s| u32::from_be_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "offset past the end of a page".into())
}

/// SQLite's varint: up to 9 bytes, big-endian 7-bit groups, the ninth
/// byte whole. Returns the value and its length.
fn varint(b: &[u8], at: usize) -> R<(u64, usize)> {
    let mut v: u64 = 0;
    for i in 0..9 {
        let c = *b.get(at + i).ok_or("varint past the end")?;
        if i == 8 {
            return Ok(((v << 8) | u64::from(c), 9));
        }
        v = (v << 7) | u64::from(c & 0x7f);
        if c & 0x80 == 0 {
            return Ok((v, i + 1));
        }
    }
    unreachable!("the loop returns by its ninth byte")
}

fn record(p: &[u8]) -> R<Vec<Value>> {
    let (hlen, mut pos) = varint(p, 0)?;
    let hlen = usize::try_from(hlen).map_err(|_| "bad record header")?;
    if hlen > p.len() {
        return Err("record header past the payload".into());
    }
    let mut types = Vec::new();
    while pos < hlen {
        let (t, n) = varint(p, pos)?;
        types.push(t);
        pos += n;
    }
    let mut body = hlen;
    let mut out = Vec::with_capacity(types.len());
    for t in types {
        let len = match t {
            0 | 8 | 9 => 0,
            1..=4 => t as usize,
            5 => 6,
            6 | 7 => 8,
            10 | 11 => return Err(format!("reserved serial type {t}")),
            n => ((n - 12) / 2) as usize,
        };
        let bytes = p
            .get(body..body + len)
            .ok_or("record value past the payload")?;
        body += len;
        out.push(match t {
            0 => Value::Null,
            8 => Value::Int(0),
            9 => Value::Int(1),
            1..=6 => {
                let mut v: i64 = if bytes[0] & 0x80 != 0 { -1 } else { 0 };
                for &c in bytes {
                    v = (v << 8) | i64::from(c);
                }
                Value::Int(v)
            }
            7 => Value::Real(f64::from_be_bytes(
                bytes.try_into().map_err(|_| "bad real")?,
            )),
            n if n % 2 == 0 => Value::Blob(bytes.to_vec()),
            _ => Value::Text(String::from_utf8_lossy(bytes).into_owned()),
        });
    }
    Ok(out)
}

/// The rows of table `name` (rowid and columns; an `INTEGER PRIMARY KEY`
/// column reads as `Null`, its value is the rowid).
pub fn table_rows(data: &[u8], name: &str) -> R<Vec<(i64, Vec<Value>)>> {
    let db = Db::open(data)?;
    let schema = db.rows(1).map_err(|e| format!("schema: {e}"))?;
    let root = schema
        .iter()
        .find_map(|(_, cols)| match cols.as_slice() {
            [Value::Text(kind), Value::Text(n), _, Value::Int(root), ..]
                if kind == "table" && n == name =>
            {
                Some(*root)
            }
            _ => None,
        })
        .ok_or_else(|| format!("no table {name:?}"))?;
    let root = u32::try_from(root).map_err(|_| format!("table {name:?}: bad root page"))?;
    db.rows(root).map_err(|e| format!("table {name:?}: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints() {
        assert_eq!(varint(&[0x05], 0).unwrap(), (5, 1));
        assert_eq!(varint(&[0x81, 0x00], 0).unwrap(), (128, 2));
        assert_eq!(varint(&[0xff; 9], 0).unwrap(), (u64::MAX, 9));
        assert!(varint(&[0x81], 0).is_err());
    }

    /// A file SQLite itself wrote: every row overflows its 512-byte page
    /// and the table has interior pages (tests/fixtures/image/SOURCE.md).
    #[test]
    fn overflow_chains_and_interior_pages() {
        let data = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/image/sqlite-overflow.db"
        ))
        .unwrap();
        let rows = table_rows(&data, "Packages").unwrap();
        assert_eq!(rows.len(), 60);
        for (k, (rowid, cols)) in rows.iter().enumerate() {
            let i = k as i64 + 1;
            assert_eq!(*rowid, i);
            let want: Vec<u8> = (0..1500 + i).map(|j| ((i * 7 + j) % 251) as u8).collect();
            assert_eq!(cols, &vec![Value::Null, Value::Blob(want)], "row {i}");
        }
        assert_eq!(
            table_rows(&data, "Other").unwrap()[0].1,
            vec![Value::Text("x".into())]
        );
        assert!(table_rows(&data, "Missing").is_err());
        // Truncated anywhere: an error, never a panic.
        for cut in (0..data.len()).step_by(997) {
            let _ = table_rows(&data[..cut], "Packages");
        }
    }

    #[test]
    fn rejects_garbage_without_panicking() {
        assert!(table_rows(b"not a database", "Packages").is_err());
        let mut h = vec![0u8; 4096];
        h[..16].copy_from_slice(b"SQLite format 3\0");
        h[16] = 0x10; // 4096
        h[100] = 0x0D;
        h[103] = 0x00;
        h[104] = 0x05; // five cells, pointers all zero
        assert!(table_rows(&h, "Packages").is_err());
        for cut in [50, 99, 200, 4095] {
            let _ = table_rows(&h[..cut], "Packages");
        }
    }
}
