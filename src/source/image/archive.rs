//! Where an image's blobs are: a `docker save` tarball (`manifest.json`
//! plus layer tars), an OCI image layout directory (`index.json`,
//! `blobs/sha256/...`) or the tar of one. The outer tar is indexed once
//! (headers only, data skipped by seeking) so each layer can then be read
//! on its own, in parallel, straight from the archive file.

use std::collections::HashMap;
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::layer::{normalize, resolve_link};

/// A byte range of a file: an OCI blob file, or a member of a tar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BlobLoc {
    pub file: PathBuf,
    pub offset: u64,
    pub len: u64,
}

impl BlobLoc {
    pub fn open(&self) -> std::io::Result<std::io::Take<File>> {
        let mut f = File::open(&self.file)?;
        f.seek(SeekFrom::Start(self.offset))?;
        Ok(f.take(self.len))
    }

    pub fn read_all(&self, limit: u64) -> Result<Vec<u8>, String> {
        if self.len > limit {
            return Err(format!(
                "{} bytes, more than the {limit} a JSON document may have",
                self.len
            ));
        }
        let mut v = Vec::with_capacity(self.len as usize);
        self.open()
            .and_then(|mut r| r.read_to_end(&mut v))
            .map_err(|e| e.to_string())?;
        if (v.len() as u64) < self.len {
            return Err("truncated".into());
        }
        Ok(v)
    }
}

/// Blobs by path, inside a directory or a tar.
pub enum Store {
    Dir(PathBuf),
    Tar {
        file: PathBuf,
        entries: HashMap<String, BlobLoc>,
    },
}

impl Store {
    pub fn open(path: &Path) -> Result<Store, String> {
        let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
        if meta.is_dir() {
            return Ok(Store::Dir(path.to_path_buf()));
        }
        let mut f = File::open(path).map_err(|e| e.to_string())?;
        let mut head = [0u8; 4];
        let n = f.read(&mut head).map_err(|e| e.to_string())?;
        if super::layer::Compression::sniff(&head[..n]) != super::layer::Compression::None {
            return Err(
                "a compressed archive: decompress it first (`gunzip`/`zstd -d`), \
                 or pass the `docker save` output as it is"
                    .into(),
            );
        }
        f.seek(SeekFrom::Start(0)).map_err(|e| e.to_string())?;
        let mut ar = tar::Archive::new(f);
        let mut entries = HashMap::new();
        let mut links: Vec<(String, String)> = Vec::new();
        let iter = ar
            .entries_with_seek()
            .map_err(|e| format!("not a tar archive: {e}"))?;
        for e in iter {
            let e = e.map_err(|e| format!("not a readable tar archive: {e}"))?;
            let raw = e
                .path()
                .map_err(|e| e.to_string())?
                .to_string_lossy()
                .into_owned();
            let Some(p) = normalize(&raw) else { continue };
            let ty = e.header().entry_type();
            if ty.is_symlink() || ty.is_hard_link() {
                if let Ok(Some(t)) = e.link_name() {
                    let t = t.to_string_lossy().into_owned();
                    let target = if ty.is_symlink() {
                        resolve_link(&p, &t)
                    } else {
                        normalize(&t)
                    };
                    if let Some(target) = target {
                        links.push((p, target));
                    }
                }
                continue;
            }
            if !ty.is_file() {
                continue;
            }
            entries.insert(
                p,
                BlobLoc {
                    file: path.to_path_buf(),
                    offset: e.raw_file_position(),
                    len: e.size(),
                },
            );
        }
        if entries.is_empty() {
            return Err("not a tar archive (no files in it)".into());
        }
        // `docker save` links a layer that two images share to one copy.
        for _ in 0..8 {
            let mut changed = false;
            for (p, t) in &links {
                if !entries.contains_key(p) {
                    if let Some(loc) = entries.get(t).cloned() {
                        entries.insert(p.clone(), loc);
                        changed = true;
                    }
                }
            }
            if !changed {
                break;
            }
        }
        Ok(Store::Tar {
            file: path.to_path_buf(),
            entries,
        })
    }

    pub fn has(&self, path: &str) -> bool {
        self.get(path).is_some()
    }

    pub fn get(&self, path: &str) -> Option<BlobLoc> {
        match self {
            Store::Dir(d) => {
                let p = d.join(path);
                let meta = std::fs::metadata(&p).ok()?;
                meta.is_file().then_some(BlobLoc {
                    file: p,
                    offset: 0,
                    len: meta.len(),
                })
            }
            Store::Tar { entries, .. } => entries.get(path).cloned(),
        }
    }

    /// A JSON document of the image (manifest, index, config).
    pub fn json<T: serde::de::DeserializeOwned>(&self, path: &str) -> Result<T, String> {
        let loc = self.get(path).ok_or_else(|| format!("{path}: missing"))?;
        let bytes = loc.read_all(64 << 20).map_err(|e| format!("{path}: {e}"))?;
        serde_json::from_slice(&bytes).map_err(|e| format!("{path}: not valid JSON ({e})"))
    }

    /// The blob with this digest (`sha256:<hex>`), its bytes checked.
    pub fn blob_json<T: serde::de::DeserializeOwned>(
        &self,
        digest: &str,
    ) -> Result<(T, Vec<u8>), String> {
        let path = blob_path(digest)?;
        let loc = self
            .get(&path)
            .ok_or_else(|| format!("blob {digest} is missing"))?;
        let bytes = loc
            .read_all(64 << 20)
            .map_err(|e| format!("blob {digest}: {e}"))?;
        let got = crate::util::sha256_hex(&[&bytes]);
        if format!("sha256:{got}") != digest {
            return Err(format!(
                "blob {digest}: digest mismatch (content is sha256:{got})"
            ));
        }
        let v = serde_json::from_slice(&bytes)
            .map_err(|e| format!("blob {digest}: not valid JSON ({e})"))?;
        Ok((v, bytes))
    }

    pub fn display(&self) -> String {
        match self {
            Store::Dir(d) => d.display().to_string(),
            Store::Tar { file, .. } => file.display().to_string(),
        }
    }
}

/// `sha256:<hex>` -> `blobs/sha256/<hex>`.
pub fn blob_path(digest: &str) -> Result<String, String> {
    let (alg, hex) = digest
        .split_once(':')
        .ok_or_else(|| format!("bad digest {digest:?}"))?;
    if alg != "sha256" {
        return Err(format!("digest {digest:?}: only sha256 is supported"));
    }
    if hex.len() != 64 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(format!("bad digest {digest:?}"));
    }
    Ok(format!("blobs/sha256/{hex}"))
}
