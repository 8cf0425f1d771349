//! Container images built by the tests: layer tars written from files the
//! test makes, packed as `docker save` archives (legacy `<id>/layer.tar`)
//! or OCI image layouts (gzip or zstd blobs), as a directory or a tar.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

pub enum F<'a> {
    File(&'a str, Vec<u8>),
    Dir(&'a str),
    Symlink(&'a str, &'a str),
    /// `.wh.<name>` for this path.
    Whiteout(&'a str),
    /// `.wh..wh..opq` in this directory.
    Opaque(&'a str),
}

pub fn file<'a>(path: &'a str, data: impl AsRef<[u8]>) -> F<'a> {
    F::File(path, data.as_ref().to_vec())
}

pub fn sha(b: &[u8]) -> String {
    Sha256::digest(b)
        .iter()
        .map(|x| format!("{x:02x}"))
        .collect()
}

/// An uncompressed layer tar.
pub fn layer(files: &[F<'_>]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    let mut add = |path: &str, ty: tar::EntryType, data: &[u8], link: Option<&str>| {
        let mut h = tar::Header::new_gnu();
        h.set_entry_type(ty);
        h.set_size(data.len() as u64);
        h.set_mode(if ty == tar::EntryType::Directory {
            0o755
        } else {
            0o644
        });
        h.set_mtime(1_700_000_000);
        if let Some(l) = link {
            h.set_link_name(l).unwrap();
        }
        b.append_data(&mut h, path, data).unwrap();
    };
    for f in files {
        match f {
            F::File(p, d) => add(p, tar::EntryType::Regular, d, None),
            F::Dir(p) => add(&format!("{p}/"), tar::EntryType::Directory, b"", None),
            F::Symlink(p, t) => add(p, tar::EntryType::Symlink, b"", Some(t)),
            F::Whiteout(p) => {
                let (d, n) = p.rsplit_once('/').unwrap_or(("", p));
                let wp = if d.is_empty() {
                    format!(".wh.{n}")
                } else {
                    format!("{d}/.wh.{n}")
                };
                add(&wp, tar::EntryType::Regular, b"", None)
            }
            F::Opaque(d) => add(
                &format!("{d}/.wh..wh..opq"),
                tar::EntryType::Regular,
                b"",
                None,
            ),
        }
    }
    b.into_inner().unwrap()
}

pub fn gzip(b: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(b).unwrap();
    e.finish().unwrap()
}

pub fn zstd(b: &[u8]) -> Vec<u8> {
    ruzstd::encoding::compress_to_vec(b, ruzstd::encoding::CompressionLevel::Fastest)
}

/// An image config: `history[i]` made layer i; extra history entries
/// (ENV, ARG) are `empty_layer`.
pub fn config(layers: &[Vec<u8>], history: &[&str], env: &[&str]) -> Value {
    let diff_ids: Vec<String> = layers
        .iter()
        .map(|l| format!("sha256:{}", sha(l)))
        .collect();
    json!({
        "architecture": "amd64", "os": "linux",
        "config": {"Env": env, "Cmd": ["/app/run"], "Labels": {"org.opencontainers.image.source": "https://example.com/app"}},
        "rootfs": {"type": "layers", "diff_ids": diff_ids},
        "history": history.iter().map(|h| json!({"created_by": h})).collect::<Vec<_>>(),
    })
}

fn tar_of(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut b = tar::Builder::new(Vec::new());
    for (p, d) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(d.len() as u64);
        h.set_mode(0o644);
        b.append_data(&mut h, p, &d[..]).unwrap();
    }
    b.into_inner().unwrap()
}

/// A legacy `docker save` archive (`<id>/layer.tar`, `<hex>.json`, manifest.json).
pub fn docker_save(out: &Path, tag: &str, layers: &[Vec<u8>], cfg: &Value) {
    let cfg_bytes = serde_json::to_vec(cfg).unwrap();
    let cfg_name = format!("{}.json", sha(&cfg_bytes));
    let mut entries = vec![(cfg_name.clone(), cfg_bytes)];
    let mut paths = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        let p = format!("{}/layer.tar", sha(format!("layer{i}").as_bytes()));
        entries.push((p.clone(), l.clone()));
        paths.push(p);
    }
    let manifest = json!([{"Config": cfg_name, "RepoTags": [tag], "Layers": paths}]);
    entries.push((
        "manifest.json".into(),
        serde_json::to_vec(&manifest).unwrap(),
    ));
    std::fs::write(out, tar_of(&entries)).unwrap();
}

/// An OCI image layout with the given (already compressed) layer blobs
/// and media types: written as a directory at `out`, or as its tar when
/// `as_tar`.
pub fn oci(out: &Path, name: &str, blobs: &[(Vec<u8>, &str)], cfg: &Value, as_tar: bool) {
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    let cfg_bytes = serde_json::to_vec(cfg).unwrap();
    let put = |files: &mut Vec<(String, Vec<u8>)>, b: &[u8]| -> String {
        let h = sha(b);
        files.push((format!("blobs/sha256/{h}"), b.to_vec()));
        format!("sha256:{h}")
    };
    let cfg_digest = put(&mut files, &cfg_bytes);
    let layers: Vec<Value> = blobs
        .iter()
        .map(|(b, mt)| json!({"mediaType": mt, "digest": put(&mut files, b), "size": b.len()}))
        .collect();
    let manifest = json!({
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "digest": cfg_digest, "size": cfg_bytes.len()},
        "layers": layers,
    });
    let mb = serde_json::to_vec(&manifest).unwrap();
    let md = put(&mut files, &mb);
    let index = json!({
        "schemaVersion": 2,
        "manifests": [{"mediaType": "application/vnd.oci.image.manifest.v1+json", "digest": md, "size": mb.len(),
            "annotations": {"org.opencontainers.image.ref.name": name},
            "platform": {"os": "linux", "architecture": "amd64"}}],
    });
    files.push(("index.json".into(), serde_json::to_vec(&index).unwrap()));
    files.push((
        "oci-layout".into(),
        br#"{"imageLayoutVersion":"1.0.0"}"#.to_vec(),
    ));
    if as_tar {
        std::fs::write(out, tar_of(&files)).unwrap();
    } else {
        for (p, d) in files {
            let full = out.join(p);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, d).unwrap();
        }
    }
}

pub const GZ: &str = "application/vnd.oci.image.layer.v1.tar+gzip";
pub const ZST: &str = "application/vnd.oci.image.layer.v1.tar+zstd";
pub const TAR: &str = "application/vnd.oci.image.layer.v1.tar";
