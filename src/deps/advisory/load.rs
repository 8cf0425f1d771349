//! Reading a database from disk: a directory holding any of the layouts
//! (detected per file, so one directory may mix them), or an OSV `all.zip`.
//! A file that cannot be parsed is a warning naming it; the rest loads.

use std::io::Read;
use std::path::{Path, PathBuf};

use rayon::prelude::*;

use super::{osv, rustsec, Advisory, Database, Layout};

#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    #[error("advisory database {} not found; run `guardrail db update` (or `guardrail db update --from DIR|ZIP`) or pass --db PATH", path.display())]
    Missing { path: PathBuf },
    #[error("cannot read advisory database {}: {source}; run `guardrail db update` to fetch a fresh one", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("advisory archive {}: {message}", path.display())]
    Zip { path: PathBuf, message: String },
    #[error("advisory database {} holds no advisories in a known layout (OSV JSON/YAML, all.zip, RustSec, GitHub); run `guardrail db update`", path.display())]
    Empty { path: PathBuf },
}

/// One file to parse: its layout, path relative to the root, and bytes.
struct Item {
    layout: Layout,
    origin: String,
    bytes: Vec<u8>,
}

/// Load every advisory under `root` (a directory or a zip).
pub fn load(root: &Path) -> Result<Database, LoadError> {
    let meta = std::fs::metadata(root).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            LoadError::Missing {
                path: root.to_path_buf(),
            }
        } else {
            LoadError::Io {
                path: root.to_path_buf(),
                source,
            }
        }
    })?;
    let mut items = Vec::new();
    let mut warnings = Vec::new();
    if meta.is_dir() {
        let mut files = Vec::new();
        walk(root, &mut files, &mut warnings);
        files.sort();
        for path in files {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            let Some(layout) = classify(&rel) else {
                continue;
            };
            if layout == Layout::OsvZip {
                match read_zip(&path, &rel) {
                    Ok(mut v) => items.append(&mut v),
                    Err(e) => warnings.push(e.to_string()),
                }
                continue;
            }
            match std::fs::read(&path) {
                Ok(bytes) => items.push(Item {
                    layout,
                    origin: rel,
                    bytes,
                }),
                Err(e) => warnings.push(format!("{}: cannot read: {e}", path.display())),
            }
        }
    } else {
        let name = root
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        items = read_zip(root, &name)?;
    }
    let parsed: Vec<(Layout, Result<Option<Advisory>, String>, String)> = items
        .into_par_iter()
        .map(|it| {
            let r = match it.layout {
                Layout::RustSec => match std::str::from_utf8(&it.bytes) {
                    Ok(t) => rustsec::parse(t, &it.origin),
                    Err(e) => Err(e.to_string()),
                },
                Layout::OsvYaml => osv::parse_yaml(&it.bytes, &it.origin),
                _ => osv::parse_json(&it.bytes, &it.origin),
            };
            (it.layout, r, it.origin)
        })
        .collect();
    let mut advisories = Vec::with_capacity(parsed.len());
    let mut layouts = Vec::new();
    let mut seen_any = false;
    for (layout, r, origin) in parsed {
        seen_any = true;
        if !layouts.contains(&layout) {
            layouts.push(layout);
        }
        match r {
            Ok(Some(a)) => advisories.push(a),
            Ok(None) => {}
            Err(e) => warnings.push(format!(
                "{}: skipped advisory file: {e}",
                root.join(&origin).display()
            )),
        }
    }
    if !seen_any {
        return Err(LoadError::Empty {
            path: root.to_path_buf(),
        });
    }
    layouts.sort();
    let mut db = Database::from_advisories(root.to_path_buf(), advisories);
    db.layouts = layouts;
    db.warnings = warnings;
    Ok(db)
}

/// Which layout a file (path relative to the DB root) belongs to.
fn classify(rel: &str) -> Option<Layout> {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if name.ends_with(".zip") {
        Some(Layout::OsvZip)
    } else if name.ends_with(".json") {
        if rel.contains("github-reviewed/") || rel.contains("unreviewed/") {
            Some(Layout::GitHub)
        } else {
            Some(Layout::OsvJson)
        }
    } else if name.ends_with(".yaml") || name.ends_with(".yml") {
        Some(Layout::OsvYaml)
    } else if name.starts_with("RUSTSEC-") && name.ends_with(".md") {
        Some(Layout::RustSec)
    } else {
        None
    }
}

/// Every regular file under `dir`, skipping hidden entries (`.git`, our
/// index and download metadata). Symlinks are not followed.
fn walk(dir: &Path, out: &mut Vec<PathBuf>, warnings: &mut Vec<String>) {
    let rd = match std::fs::read_dir(dir) {
        Ok(rd) => rd,
        Err(e) => {
            warnings.push(format!("{}: cannot read directory: {e}", dir.display()));
            return;
        }
    };
    for entry in rd.flatten() {
        if entry.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let Ok(ft) = entry.file_type() else { continue };
        if ft.is_dir() {
            walk(&entry.path(), out, warnings);
        } else if ft.is_file() {
            out.push(entry.path());
        }
    }
}

/// The JSON members of an OSV `all.zip`.
fn read_zip(path: &Path, rel: &str) -> Result<Vec<Item>, LoadError> {
    let zerr = |message: String| LoadError::Zip {
        path: path.to_path_buf(),
        message,
    };
    let file = std::fs::File::open(path).map_err(|source| LoadError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let mut zip =
        zip::ZipArchive::new(std::io::BufReader::new(file)).map_err(|e| zerr(e.to_string()))?;
    let mut out = Vec::with_capacity(zip.len());
    for i in 0..zip.len() {
        let mut f = zip.by_index(i).map_err(|e| zerr(e.to_string()))?;
        if !f.is_file() || !f.name().ends_with(".json") {
            continue;
        }
        let name = format!("{rel}!{}", f.name());
        let mut bytes = Vec::with_capacity(f.size() as usize);
        // Reading to the end checks the member's CRC.
        f.read_to_end(&mut bytes)
            .map_err(|e| zerr(format!("{name}: {e}")))?;
        out.push(Item {
            layout: Layout::OsvZip,
            origin: name,
            bytes,
        });
    }
    Ok(out)
}

/// Check an archive completely (every member readable, CRCs match, every
/// record parses) before it replaces a good one. Returns the record count.
pub fn verify_zip(path: &Path) -> Result<usize, LoadError> {
    let items = read_zip(path, "")?;
    let mut n = 0;
    for it in &items {
        osv::parse_json(&it.bytes, &it.origin).map_err(|m| LoadError::Zip {
            path: path.to_path_buf(),
            message: format!("{}: {m}", it.origin.trim_start_matches('!')),
        })?;
        n += 1;
    }
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classify_layouts() {
        assert_eq!(
            classify("crates/foo/RUSTSEC-2020-0001.md"),
            Some(Layout::RustSec)
        );
        assert_eq!(classify("README.md"), None);
        assert_eq!(
            classify("advisories/github-reviewed/2022/03/GHSA-x/GHSA-x.json"),
            Some(Layout::GitHub)
        );
        assert_eq!(classify("vulns/x/PYSEC-1.yaml"), Some(Layout::OsvYaml));
        assert_eq!(classify("PyPI.zip"), Some(Layout::OsvZip));
    }
}
