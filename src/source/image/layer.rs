//! One layer, streamed: the blob is hashed as it is read (its digest is
//! checked at the end), decompressed by its magic bytes (gzip, zstd, or
//! a plain tar), and its tar entries are visited in order. Nothing is
//! written to disk.

use std::io::{self, BufRead, Read};

use ruzstd::decoding::errors::{FrameDecoderError, ReadFrameHeaderError};
use ruzstd::decoding::{BlockDecodingStrategy, FrameDecoder};
use sha2::{Digest, Sha256};

/// What a tar entry is, for the final-filesystem replay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink(String),
    /// A hard link to another path of the same layer.
    Hardlink(String),
    /// `.wh.<name>`: `<name>` is deleted from the layers below.
    Whiteout,
    /// `.wh..wh..opq`: the directory's contents from the layers below are hidden.
    Opaque,
    /// Devices, FIFOs.
    Other,
}

/// One entry, path normalised (`usr/bin/x`: no leading `./` or `/`, no
/// trailing `/`); for whiteouts the path deleted, for opaque markers the
/// directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub path: String,
    pub kind: EntryKind,
}

/// A reader that hashes (SHA-256) and counts what passes through it.
pub struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    read: u64,
}

impl<R: Read> HashingReader<R> {
    pub fn new(inner: R) -> Self {
        HashingReader {
            inner,
            hasher: Sha256::new(),
            read: 0,
        }
    }

    /// Read the rest, then the `sha256:<hex>` digest and byte count.
    pub fn finish(mut self) -> io::Result<(String, u64)> {
        io::copy(&mut self, &mut io::sink())?;
        let hex: String = self
            .hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok((format!("sha256:{hex}"), self.read))
    }
}

impl<R: Read> Read for HashingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.hasher.update(&buf[..n]);
        self.read += n as u64;
        Ok(n)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Compression {
    None,
    Gzip,
    Zstd,
}

impl Compression {
    pub fn sniff(head: &[u8]) -> Compression {
        if head.starts_with(&[0x1f, 0x8b]) {
            Compression::Gzip
        } else if head.starts_with(&[0x28, 0xb5, 0x2f, 0xfd]) {
            Compression::Zstd
        } else {
            Compression::None
        }
    }
}

/// zstd, every frame of the stream (zstd:chunked layers have many, and
/// skippable frames between them). `ruzstd`'s `StreamingDecoder` reads one
/// frame; this loops over them as its documentation says to.
struct ZstdFrames<R> {
    src: R,
    dec: FrameDecoder,
    in_frame: bool,
}

impl<R: BufRead> Read for ZstdFrames<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        if buf.is_empty() {
            return Ok(0);
        }
        loop {
            if !self.in_frame {
                if self.src.fill_buf()?.is_empty() {
                    return Ok(0);
                }
                match self.dec.reset(&mut self.src) {
                    Ok(()) => self.in_frame = true,
                    Err(FrameDecoderError::ReadFrameHeaderError(
                        ReadFrameHeaderError::SkipFrame { length, .. },
                    )) => {
                        io::copy(
                            &mut (&mut self.src).take(u64::from(length)),
                            &mut io::sink(),
                        )?;
                        continue;
                    }
                    Err(e) => return Err(io::Error::new(io::ErrorKind::InvalidData, e)),
                }
            }
            while self.dec.can_collect() < buf.len() && !self.dec.is_finished() {
                let want = buf.len() - self.dec.can_collect();
                self.dec
                    .decode_blocks(&mut self.src, BlockDecodingStrategy::UptoBytes(want))
                    .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
            }
            let n = self.dec.read(buf)?;
            if n == 0 && self.dec.is_finished() {
                self.in_frame = false;
                continue;
            }
            return Ok(n);
        }
    }
}

/// The decompressed stream of a layer blob, chosen by its first bytes.
pub fn decompress<'a, R: BufRead + 'a>(
    mut src: R,
) -> io::Result<(Compression, Box<dyn Read + 'a>)> {
    let c = Compression::sniff(src.fill_buf()?);
    let r: Box<dyn Read + 'a> = match c {
        Compression::Gzip => Box::new(flate2::bufread::MultiGzDecoder::new(src)),
        Compression::Zstd => Box::new(ZstdFrames {
            src,
            dec: FrameDecoder::new(),
            in_frame: false,
        }),
        Compression::None => Box::new(src),
    };
    Ok((c, r))
}

/// `./usr//bin/` -> `usr/bin`. `None` for a path that climbs out (`..`).
pub fn normalize(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Resolve a link target relative to the link's directory (absolute
/// targets are relative to the image root).
pub fn resolve_link(link_path: &str, target: &str) -> Option<String> {
    if target.starts_with('/') {
        return normalize_lenient(target);
    }
    let dir = link_path.rsplit_once('/').map_or("", |(d, _)| d);
    normalize_lenient(&format!("{dir}/{target}"))
}

/// Like [`normalize`], but `..` pops a component (and stops at the root),
/// as the kernel resolves symlinks.
pub fn normalize_lenient(path: &str) -> Option<String> {
    let mut parts: Vec<&str> = Vec::new();
    for p in path.split('/') {
        match p {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            p => parts.push(p),
        }
    }
    Some(parts.join("/"))
}

/// Classify a tar header's path and type. `Ok(None)`: nothing the image
/// filesystem keeps (PAX globals, the root directory).
pub fn classify(
    path: &str,
    header: &tar::Header,
    link: Option<String>,
) -> Result<Option<Entry>, String> {
    let norm = normalize(path).ok_or_else(|| format!("entry {path:?} climbs out of the root"))?;
    if norm.is_empty() {
        return Ok(None);
    }
    let (dir, base) = match norm.rsplit_once('/') {
        Some((d, b)) => (d, b),
        None => ("", norm.as_str()),
    };
    if base == ".wh..wh..opq" {
        return Ok(Some(Entry {
            path: dir.to_string(),
            kind: EntryKind::Opaque,
        }));
    }
    if let Some(name) = base.strip_prefix(".wh.") {
        let p = if dir.is_empty() {
            name.to_string()
        } else {
            format!("{dir}/{name}")
        };
        return Ok(Some(Entry {
            path: p,
            kind: EntryKind::Whiteout,
        }));
    }
    use tar::EntryType as T;
    let kind = match header.entry_type() {
        T::Regular | T::Continuous | T::GNUSparse => EntryKind::File,
        T::Directory => EntryKind::Dir,
        T::Symlink => EntryKind::Symlink(link.unwrap_or_default()),
        T::Link => {
            let target = link.unwrap_or_default();
            let t = normalize(&target)
                .ok_or_else(|| format!("hard link {path:?} climbs out of the root"))?;
            EntryKind::Hardlink(t)
        }
        T::XGlobalHeader | T::XHeader | T::GNULongName | T::GNULongLink => return Ok(None),
        _ => EntryKind::Other,
    };
    Ok(Some(Entry { path: norm, kind }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::BufReader;

    #[test]
    fn paths() {
        assert_eq!(normalize("./usr//bin/").as_deref(), Some("usr/bin"));
        assert_eq!(
            normalize("/etc/os-release").as_deref(),
            Some("etc/os-release")
        );
        assert_eq!(normalize("a/../../b"), None);
        assert_eq!(
            resolve_link("etc/os-release", "../usr/lib/os-release").as_deref(),
            Some("usr/lib/os-release")
        );
        assert_eq!(resolve_link("etc/x", "/usr/y").as_deref(), Some("usr/y"));
    }

    #[test]
    fn zstd_frames_and_skippable_frames() {
        let a = ruzstd::encoding::compress_to_vec(
            &b"hello "[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let b = ruzstd::encoding::compress_to_vec(
            &b"world"[..],
            ruzstd::encoding::CompressionLevel::Fastest,
        );
        let mut s = a.clone();
        // A skippable frame: magic 0x184D2A50..5F, length, payload.
        s.extend_from_slice(&0x184D_2A50u32.to_le_bytes());
        s.extend_from_slice(&3u32.to_le_bytes());
        s.extend_from_slice(b"xyz");
        s.extend_from_slice(&b);
        let (c, mut r) = decompress(BufReader::new(&s[..])).unwrap();
        assert_eq!(c, Compression::Zstd);
        let mut out = String::new();
        r.read_to_string(&mut out).unwrap();
        assert_eq!(out, "hello world");
        let (_, mut bad) = decompress(BufReader::new(&s[..10])).unwrap();
        assert!(bad.read_to_end(&mut Vec::new()).is_err());
    }
}
