//! Container images as a source: `docker save` tarballs and OCI image
//! layouts (a directory or its tar). Layers are streamed from the archive,
//! never unpacked to disk: each is hashed, decompressed (gzip, zstd) and
//! walked entry by entry; text files go through the secret scanner (every
//! layer, so a key a later layer deletes is still found), files a
//! [`FileSink`] asks for are handed to it (package databases, manifests,
//! binaries), and every entry is recorded so [`fs::FinalFs`] can apply the
//! layers with their whiteouts.

pub mod archive;
pub mod config;
pub mod fs;
pub mod layer;

use std::collections::BTreeMap;
use std::io::{BufReader, Cursor, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::Ordering;

use rayon::prelude::*;
use serde::Deserialize;

use self::archive::{blob_path, BlobLoc, Store};
use self::config::ImageConfig;
use self::layer::{classify, decompress, Compression, Entry, EntryKind, HashingReader};
use super::{is_binary, ScanCounters};
use crate::detect::Scanner;
use crate::finding::Finding;

#[derive(Debug, thiserror::Error)]
pub enum ImageError {
    #[error("{path}: {message}")]
    Open { path: String, message: String },
    /// `index` is 1-based, as people count layers.
    #[error("{image}: layer {index} ({digest}): {message}")]
    Layer {
        image: String,
        index: usize,
        digest: String,
        message: String,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageFormat {
    /// `docker save` (manifest.json), legacy or OCI-style blobs inside.
    DockerArchive,
    /// An OCI image layout (index.json), as a directory or a tar.
    OciLayout,
}

impl ImageFormat {
    pub fn as_str(self) -> &'static str {
        match self {
            ImageFormat::DockerArchive => "docker-archive",
            ImageFormat::OciLayout => "oci-layout",
        }
    }
}

/// One layer of the image, bottom first.
#[derive(Debug, Clone)]
pub struct LayerRef {
    /// `sha256:...`: the blob's digest (its diff_id for a legacy
    /// `docker save` layer, whose blob is the uncompressed tar).
    pub digest: String,
    pub diff_id: Option<String>,
    pub media_type: Option<String>,
    /// The history step that made it.
    pub created_by: Option<String>,
    pub loc: BlobLoc,
    /// Check the blob bytes against `digest`.
    verify_blob: bool,
}

#[derive(Debug)]
pub struct Image {
    /// `myapp:1.4` (a repo tag or ref name), else the file name.
    pub name: String,
    pub path: PathBuf,
    pub format: ImageFormat,
    pub config: ImageConfig,
    pub config_digest: String,
    pub layers: Vec<LayerRef>,
    /// Notes for the user (another platform chosen, more images in the archive).
    pub notes: Vec<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
struct DockerManifest {
    config: String,
    #[serde(default)]
    repo_tags: Option<Vec<String>>,
    #[serde(default)]
    layers: Vec<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Descriptor {
    #[serde(default)]
    media_type: Option<String>,
    digest: String,
    #[serde(default)]
    annotations: Option<BTreeMap<String, String>>,
    #[serde(default)]
    platform: Option<Platform>,
}

#[derive(Debug, Clone, Deserialize)]
struct Platform {
    #[serde(default)]
    architecture: String,
    #[serde(default)]
    os: String,
    #[serde(default)]
    variant: Option<String>,
}

impl Platform {
    fn as_string(&self) -> String {
        match &self.variant {
            Some(v) => format!("{}/{}/{v}", self.os, self.architecture),
            None => format!("{}/{}", self.os, self.architecture),
        }
    }
}

#[derive(Deserialize)]
struct Index {
    #[serde(default)]
    manifests: Vec<Descriptor>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Manifest {
    #[serde(default)]
    media_type: Option<String>,
    config: Descriptor,
    #[serde(default)]
    layers: Vec<Descriptor>,
}

/// Layer media types guardrail reads (compression is told by the bytes).
const LAYER_TYPES: [&str; 10] = [
    "application/vnd.oci.image.layer.v1.tar",
    "application/vnd.oci.image.layer.v1.tar+gzip",
    "application/vnd.oci.image.layer.v1.tar+zstd",
    "application/vnd.oci.image.layer.nondistributable.v1.tar",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+gzip",
    "application/vnd.oci.image.layer.nondistributable.v1.tar+zstd",
    "application/vnd.docker.image.rootfs.diff.tar",
    "application/vnd.docker.image.rootfs.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",
    "application/vnd.docker.image.rootfs.diff.tar.zstd",
];

fn is_index(media_type: Option<&str>) -> bool {
    matches!(
        media_type,
        Some("application/vnd.oci.image.index.v1+json")
            | Some("application/vnd.docker.distribution.manifest.list.v2+json")
    )
}

impl Image {
    /// Open a `docker save` tarball, an OCI layout directory or its tar.
    /// `platform` (`linux/amd64`, `linux/arm64/v8`) picks one image of a
    /// multi-platform index.
    pub fn open(path: &Path, platform: Option<&str>) -> Result<Image, ImageError> {
        let shown = path.display().to_string();
        let err = |message: String| ImageError::Open {
            path: shown.clone(),
            message,
        };
        if !path.exists() {
            return Err(err("no such file or directory".into()));
        }
        let store = Store::open(path).map_err(&err)?;
        let stem = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_else(|| shown.clone());
        let stem = stem
            .strip_suffix(".tar")
            .map(str::to_string)
            .unwrap_or(stem);
        if store.has("manifest.json") {
            Self::open_docker(path, &store, &stem).map_err(err)
        } else if store.has("index.json") {
            Self::open_oci(path, &store, &stem, platform).map_err(err)
        } else {
            Err(err(
                "neither a `docker save` archive (manifest.json) nor an OCI image layout (index.json)"
                    .into(),
            ))
        }
    }

    fn open_docker(path: &Path, store: &Store, stem: &str) -> Result<Image, String> {
        let manifests: Vec<DockerManifest> = store.json("manifest.json")?;
        let Some(m) = manifests.first() else {
            return Err("manifest.json lists no image".into());
        };
        let mut notes = Vec::new();
        if manifests.len() > 1 {
            notes.push(format!(
                "the archive holds {} images; scanning the first ({})",
                manifests.len(),
                m.repo_tags
                    .as_ref()
                    .and_then(|t| t.first())
                    .map_or(m.config.as_str(), String::as_str)
            ));
        }
        let cfg_path = layer::normalize(&m.config).ok_or("bad config path")?;
        let cfg_loc = store
            .get(&cfg_path)
            .ok_or_else(|| format!("config {cfg_path} is missing"))?;
        let cfg_bytes = cfg_loc
            .read_all(64 << 20)
            .map_err(|e| format!("config {cfg_path}: {e}"))?;
        let config: ImageConfig = serde_json::from_slice(&cfg_bytes)
            .map_err(|e| format!("config {cfg_path}: not valid JSON ({e})"))?;
        let config_digest = format!("sha256:{}", crate::util::sha256_hex(&[&cfg_bytes]));
        if let Some(hex) = cfg_path.strip_prefix("blobs/sha256/") {
            if config_digest != format!("sha256:{hex}") {
                return Err(format!(
                    "config {cfg_path}: digest mismatch (content is {config_digest})"
                ));
            }
        }
        let diff_ids = config
            .rootfs
            .as_ref()
            .map(|r| r.diff_ids.clone())
            .unwrap_or_default();
        if diff_ids.len() != m.layers.len() {
            return Err(format!(
                "manifest.json lists {} layers, the config's rootfs {}",
                m.layers.len(),
                diff_ids.len()
            ));
        }
        let hist = config.layer_history(m.layers.len());
        let mut layers = Vec::new();
        for (i, lp) in m.layers.iter().enumerate() {
            let p =
                layer::normalize(lp).ok_or_else(|| format!("layer {}: bad path {lp:?}", i + 1))?;
            let loc = store
                .get(&p)
                .ok_or_else(|| format!("layer {} ({p}): missing from the archive", i + 1))?;
            let (digest, verify_blob) = match p.strip_prefix("blobs/sha256/") {
                Some(hex) => (format!("sha256:{hex}"), true),
                // Legacy `<id>/layer.tar`: the blob is the tar its diff_id hashes.
                None => (diff_ids[i].clone(), false),
            };
            layers.push(LayerRef {
                digest,
                diff_id: Some(diff_ids[i].clone()),
                media_type: None,
                created_by: hist[i].clone(),
                loc,
                verify_blob,
            });
        }
        let name = m
            .repo_tags
            .as_ref()
            .and_then(|t| t.first().cloned())
            .unwrap_or_else(|| stem.to_string());
        Ok(Image {
            name,
            path: path.to_path_buf(),
            format: ImageFormat::DockerArchive,
            config,
            config_digest,
            layers,
            notes,
        })
    }

    fn open_oci(
        path: &Path,
        store: &Store,
        stem: &str,
        platform: Option<&str>,
    ) -> Result<Image, String> {
        let index: Index = store.json("index.json")?;
        let mut notes = Vec::new();
        let mut list = index.manifests;
        let mut name: Option<String> = None;
        let mut chosen: Option<Descriptor> = None;
        for _depth in 0..4 {
            // Attestations (buildx provenance) are manifests for no platform.
            list.retain(|d| {
                d.annotations
                    .as_ref()
                    .and_then(|a| a.get("vnd.docker.reference.type"))
                    .is_none_or(|t| t != "attestation-manifest")
            });
            let pick = pick(&list, platform, &mut notes)?;
            for key in [
                "io.containerd.image.name",
                "org.opencontainers.image.ref.name",
            ] {
                if name.is_none() {
                    name = pick.annotations.as_ref().and_then(|a| a.get(key)).cloned();
                }
            }
            if is_index(pick.media_type.as_deref()) {
                let (sub, _): (Index, _) = store.blob_json(&pick.digest)?;
                list = sub.manifests;
                continue;
            }
            chosen = Some(pick);
            break;
        }
        let desc = chosen.ok_or("image indexes nest too deep")?;
        let (manifest, _): (Manifest, _) = store.blob_json(&desc.digest)?;
        if is_index(manifest.media_type.as_deref()) {
            return Err(format!(
                "manifest {} is an index, not an image",
                desc.digest
            ));
        }
        let (config, cfg_bytes): (ImageConfig, _) = store
            .blob_json(&manifest.config.digest)
            .map_err(|e| format!("config: {e}"))?;
        let _ = cfg_bytes;
        let hist = config.layer_history(manifest.layers.len());
        let diff_ids = config
            .rootfs
            .as_ref()
            .map(|r| r.diff_ids.clone())
            .unwrap_or_default();
        let mut layers = Vec::new();
        for (i, d) in manifest.layers.iter().enumerate() {
            let shown = format!("layer {} ({})", i + 1, d.digest);
            if let Some(mt) = &d.media_type {
                if !LAYER_TYPES.contains(&mt.as_str()) {
                    return Err(format!("{shown}: unknown media type {mt:?}"));
                }
            }
            let bp = blob_path(&d.digest).map_err(|e| format!("{shown}: {e}"))?;
            let loc = store
                .get(&bp)
                .ok_or_else(|| format!("{shown}: blob is missing"))?;
            layers.push(LayerRef {
                digest: d.digest.clone(),
                diff_id: diff_ids.get(i).cloned(),
                media_type: d.media_type.clone(),
                created_by: hist[i].clone(),
                loc,
                verify_blob: true,
            });
        }
        // An OCI ref name may be a tag alone (`1.4`).
        let name = match name {
            Some(n) if !n.contains(['/', ':']) => format!("{stem}:{n}"),
            Some(n) => n,
            None => stem.to_string(),
        };
        Ok(Image {
            name,
            path: path.to_path_buf(),
            format: ImageFormat::OciLayout,
            config,
            config_digest: manifest.config.digest.clone(),
            layers,
            notes,
        })
    }

    /// The name without tag or digest (`registry/app:1.4` -> `registry/app`),
    /// stable across releases: SARIF categories use it.
    pub fn repository(&self) -> &str {
        let n = self.name.split('@').next().unwrap_or(&self.name);
        match n.rfind(':') {
            Some(i) if !n[i..].contains('/') => &n[..i],
            _ => n,
        }
    }

    /// Scan the config's Env, Labels, Entrypoint+Cmd and history.
    pub fn scan_config(&self, scanner: &Scanner) -> Vec<Finding> {
        self.config
            .texts()
            .iter()
            .flat_map(|t| scanner.scan(t.path, t.text.as_bytes()))
            .collect()
    }
}

fn pick(
    list: &[Descriptor],
    platform: Option<&str>,
    notes: &mut Vec<String>,
) -> Result<Descriptor, String> {
    if list.is_empty() {
        return Err("the index lists no manifest".into());
    }
    let with_platform: Vec<&Descriptor> = list.iter().filter(|d| d.platform.is_some()).collect();
    if let Some(want) = platform {
        return list
            .iter()
            .find(|d| {
                d.platform.as_ref().is_some_and(|p| {
                    let s = p.as_string();
                    s == want || format!("{}/{}", p.os, p.architecture) == want
                })
            })
            .cloned()
            .ok_or_else(|| {
                let have: Vec<String> = with_platform
                    .iter()
                    .filter_map(|d| d.platform.as_ref().map(Platform::as_string))
                    .collect();
                format!(
                    "no image for platform {want} (the index has: {})",
                    have.join(", ")
                )
            });
    }
    if list.len() == 1 || with_platform.len() < 2 {
        return Ok(list[0].clone());
    }
    let d = with_platform
        .iter()
        .find(|d| {
            d.platform
                .as_ref()
                .is_some_and(|p| p.os == "linux" && p.architecture == "amd64")
        })
        .copied()
        .unwrap_or(with_platform[0]);
    let p = d
        .platform
        .as_ref()
        .map(Platform::as_string)
        .unwrap_or_default();
    notes.push(format!(
        "the index has images for {} platforms; scanning {p} (choose with --platform)",
        with_platform.len()
    ));
    Ok(d.clone())
}

/// What a [`FileSink`] wants of a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Want {
    No,
    /// The whole file, in memory.
    Bytes,
    /// A reader over it (for binaries too large to hold).
    Stream,
}

pub enum Data<'a> {
    Bytes(&'a [u8]),
    Stream(&'a mut dyn Read),
}

/// Takes the files of each layer that it asks for (package databases,
/// manifests, binaries) and turns them into items.
pub trait FileSink: Sync {
    type Item: Send;
    /// `head` is the file's first bytes (up to 4 KiB).
    fn wants(&self, path: &str, size: u64, head: &[u8]) -> Want;
    /// `Err` is a one-line problem with the file; the scan goes on.
    fn take(&self, path: &str, size: u64, data: Data<'_>) -> Result<Option<Self::Item>, String>;
}

#[derive(Debug, Clone)]
pub struct ScanOptions {
    pub max_file_size: u64,
    pub verbose: bool,
}

/// What one layer held.
#[derive(Debug)]
pub struct LayerScan<T> {
    pub entries: Vec<Entry>,
    pub items: Vec<(String, T)>,
    pub findings: Vec<Finding>,
    /// One line each: a file the sink could not read, an odd entry.
    pub warnings: Vec<String>,
    pub compression: Compression,
    /// Bytes of the uncompressed tar.
    pub tar_bytes: u64,
}

const HEAD: usize = 4096;

/// Stream every layer (in parallel; results in layer order).
pub fn scan_layers<S: FileSink>(
    image: &Image,
    scanner: Option<&Scanner>,
    sink: &S,
    opts: &ScanOptions,
    counters: &ScanCounters,
) -> Vec<Result<LayerScan<S::Item>, ImageError>> {
    (0..image.layers.len())
        .into_par_iter()
        .map(|i| {
            scan_layer(image, i, scanner, sink, opts, counters).map_err(|message| {
                ImageError::Layer {
                    image: image.name.clone(),
                    index: i + 1,
                    digest: image.layers[i].digest.clone(),
                    message,
                }
            })
        })
        .collect()
}

fn scan_layer<S: FileSink>(
    image: &Image,
    idx: usize,
    scanner: Option<&Scanner>,
    sink: &S,
    opts: &ScanOptions,
    counters: &ScanCounters,
) -> Result<LayerScan<S::Item>, String> {
    let lr = &image.layers[idx];
    let raw = lr
        .loc
        .open()
        .map_err(|e| format!("cannot read the blob: {e}"))?;
    let mut blob = HashingReader::new(raw);
    let mut out = LayerScan {
        entries: Vec::new(),
        items: Vec::new(),
        findings: Vec::new(),
        warnings: Vec::new(),
        compression: Compression::None,
        tar_bytes: 0,
    };
    let walked = (|| -> Result<(), String> {
        let (compression, stream) = decompress(BufReader::with_capacity(256 << 10, &mut blob))
            .map_err(|e| format!("cannot read the blob: {e}"))?;
        out.compression = compression;
        let mut tar_stream = CountingReader {
            inner: stream,
            n: 0,
        };
        let mut ar = tar::Archive::new(&mut tar_stream);
        let mut buf: Vec<u8> = Vec::new();
        let entries = ar.entries().map_err(|e| format!("not a tar layer: {e}"))?;
        for entry in entries {
            let mut entry = entry.map_err(|e| format!("malformed tar: {e}"))?;
            let raw_path = entry
                .path()
                .map_err(|e| format!("malformed tar entry path: {e}"))?
                .to_string_lossy()
                .into_owned();
            let link = entry
                .link_name()
                .ok()
                .flatten()
                .map(|l| l.to_string_lossy().into_owned());
            let e = match classify(&raw_path, entry.header(), link) {
                Ok(Some(e)) => e,
                Ok(None) => continue,
                Err(w) => {
                    out.warnings.push(w);
                    continue;
                }
            };
            if e.kind == EntryKind::File {
                let size = entry.size();
                file(
                    &mut entry, &e.path, size, &mut buf, scanner, sink, opts, counters, &mut out,
                )
                .map_err(|err| format!("{}: {err}", e.path))?;
            }
            out.entries.push(e);
        }
        drop(ar);
        // The end-of-archive blocks and padding: read them so the digest
        // covers the whole blob.
        std::io::copy(&mut tar_stream, &mut std::io::sink())
            .map_err(|e| format!("cannot read the blob: {e}"))?;
        out.tar_bytes = tar_stream.n;
        Ok(())
    })();
    // Also after a failure: a blob that does not match its digest is the
    // cause worth naming, whatever broke while reading it.
    let (digest, len) = blob
        .finish()
        .map_err(|e| format!("cannot read the blob: {e}"))?;
    if len < lr.loc.len {
        return Err(format!("truncated blob ({len} of {} bytes)", lr.loc.len));
    }
    let expected = if lr.verify_blob {
        Some(lr.digest.as_str())
    } else if out.compression == Compression::None {
        lr.diff_id.as_deref()
    } else {
        None
    };
    if let Some(want) = expected {
        if want != digest {
            return Err(format!("digest mismatch: the blob's content is {digest}"));
        }
    }
    walked?;
    Ok(out)
}

struct CountingReader<R> {
    inner: R,
    n: u64,
}

impl<R: Read> Read for CountingReader<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.n += n as u64;
        Ok(n)
    }
}

#[allow(clippy::too_many_arguments)]
fn file<S: FileSink, R: Read>(
    entry: &mut R,
    path: &str,
    size: u64,
    buf: &mut Vec<u8>,
    scanner: Option<&Scanner>,
    sink: &S,
    opts: &ScanOptions,
    counters: &ScanCounters,
    out: &mut LayerScan<S::Item>,
) -> std::io::Result<()> {
    buf.clear();
    if buf.capacity() > 16 << 20 {
        buf.shrink_to(1 << 20);
    }
    entry.take(HEAD as u64).read_to_end(buf)?;
    let want = sink.wants(path, size, buf);
    let binary = is_binary(buf);
    let scan = scanner.is_some() && size <= opts.max_file_size && !binary;
    if scan || want == Want::Bytes {
        buf.reserve(usize::try_from(size).unwrap_or(0).saturating_sub(buf.len()));
        entry.read_to_end(buf)?;
    }
    if let Some(scanner) = scanner {
        if scan {
            counters.files.fetch_add(1, Ordering::Relaxed);
            counters
                .bytes
                .fetch_add(buf.len() as u64, Ordering::Relaxed);
            out.findings.extend(scanner.scan(path, buf));
        } else if binary {
            counters.skipped_binary.fetch_add(1, Ordering::Relaxed);
        } else {
            counters.skipped_large.fetch_add(1, Ordering::Relaxed);
            if opts.verbose {
                out.warnings.push(format!(
                    "note: {path}: not scanned for secrets, {size} bytes is over --max-file-size {}",
                    opts.max_file_size
                ));
            }
        }
    }
    let taken = match want {
        Want::No => return Ok(()),
        Want::Bytes => sink.take(path, size, Data::Bytes(buf)),
        Want::Stream => {
            let mut r = Cursor::new(&buf[..]).chain(entry);
            sink.take(path, size, Data::Stream(&mut r))
        }
    };
    match taken {
        Ok(Some(item)) => out.items.push((path.to_string(), item)),
        Ok(None) => {}
        Err(w) => out.warnings.push(format!("{path}: {w}")),
    }
    Ok(())
}
