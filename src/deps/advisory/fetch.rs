//! `db update` / `db status` plumbing: where the DB lives, downloading OSV's
//! per-ecosystem `all.zip` with conditional requests, importing a local
//! copy, and swapping new data in atomically.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::{Deserialize, Serialize};

use super::index::write_atomic;
use super::load::{load, verify_zip, LoadError};
use crate::deps::model::Ecosystem;

pub const DEFAULT_BASE_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";
pub const ECOSYSTEMS: [Ecosystem; 6] = [
    Ecosystem::PyPI,
    Ecosystem::Npm,
    Ecosystem::CratesIo,
    Ecosystem::Go,
    Ecosystem::RubyGems,
    Ecosystem::Packagist,
];
/// Distributions `guardrail image` matches, fetched on request
/// (`--ecosystem Debian,Ubuntu,Alpine`): OSV's `<Distro>/all.zip` holds
/// every release (`Debian:11`, `Debian:12`, ...).
pub const OS_ECOSYSTEMS: [&str; 7] = [
    "Debian",
    "Ubuntu",
    "Alpine",
    "Wolfi",
    "Chainguard",
    "AlmaLinux",
    "Rocky Linux",
];
/// Older than this, `db status` and the loaders warn.
pub const STALE_DAYS: i64 = 7;

#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("GET {url}: {message}")]
    Http { url: String, message: String },
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "downloaded {url} is not a valid OSV archive ({source}); the previous database is kept"
    )]
    Verify { url: String, source: LoadError },
    #[error(transparent)]
    Load(#[from] LoadError),
}

/// The per-user cache directory (hand-rolled XDG lookup: one env var and a
/// fallback do not justify a crate).
pub fn cache_dir() -> PathBuf {
    if let Some(d) = std::env::var_os("GUARDRAIL_CACHE_DIR").filter(|d| !d.is_empty()) {
        return PathBuf::from(d);
    }
    if let Some(d) = std::env::var_os("XDG_CACHE_HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(d).join("guardrail");
    }
    if let Some(h) = std::env::var_os("HOME").filter(|d| !d.is_empty()) {
        return PathBuf::from(h).join(".cache").join("guardrail");
    }
    std::env::temp_dir().join("guardrail-cache")
}

/// Where `db update` puts the database and every command looks without `--db`.
pub fn default_db_dir() -> PathBuf {
    cache_dir().join("db")
}

/// What we remember about one downloaded archive.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FetchMeta {
    pub url: String,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// RFC 3339, when the archive was last checked (downloaded or 304).
    pub checked_at: String,
    pub records: usize,
}

fn meta_path(db: &Path, eco: Ecosystem) -> PathBuf {
    db.join("osv").join(format!(".{}.meta.json", eco.as_str()))
}

fn zip_path(db: &Path, eco: Ecosystem) -> PathBuf {
    db.join("osv").join(format!("{}.zip", eco.as_str()))
}

pub fn read_meta(db: &Path, eco: Ecosystem) -> Option<FetchMeta> {
    let text = std::fs::read_to_string(meta_path(db, eco)).ok()?;
    serde_json::from_str(&text).ok()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Updated {
    /// A new archive with this many records replaced the old one.
    New(usize),
    /// The server said 304: ours is current.
    NotModified,
}

/// Fetch `{base}/{ecosystem}/all.zip` into `db`, conditionally.
pub fn update_ecosystem(db: &Path, base_url: &str, eco: Ecosystem) -> Result<Updated, FetchError> {
    let url = format!(
        "{}/{}/all.zip",
        base_url.trim_end_matches('/'),
        eco.as_str().replace(' ', "%20")
    );
    let http = |message: String| FetchError::Http {
        url: url.clone(),
        message,
    };
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| FetchError::Io { path, source }
    };
    let target = zip_path(db, eco);
    let old = read_meta(db, eco).filter(|m| m.url == url && target.is_file());
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(600)))
        .build()
        .into();
    let mut req = agent.get(&url);
    if let Some(m) = &old {
        if let Some(e) = &m.etag {
            req = req.header("If-None-Match", e);
        }
        if let Some(l) = &m.last_modified {
            req = req.header("If-Modified-Since", l);
        }
    }
    let resp = req.call().map_err(|e| http(e.to_string()))?;
    let status = resp.status().as_u16();
    let header = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let now = jiff::Timestamp::now().to_string();
    if status == 304 {
        if let Some(mut m) = old {
            m.checked_at = now;
            write_atomic(
                &meta_path(db, eco),
                serde_json::to_string_pretty(&m)
                    .unwrap_or_default()
                    .as_bytes(),
            )
            .map_err(io(&meta_path(db, eco)))?;
        }
        return Ok(Updated::NotModified);
    }
    if status != 200 {
        return Err(http(format!("HTTP status {status}")));
    }
    let dir = db.join("osv");
    std::fs::create_dir_all(&dir).map_err(io(&dir))?;
    let tmp = dir.join(format!(
        ".download-{}-{}.zip",
        eco.as_str(),
        std::process::id()
    ));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp).map_err(io(&tmp))?;
        let mut body = resp.into_body().into_reader();
        // The reader fails if the connection closes before Content-Length.
        std::io::copy(&mut body, &mut f).map_err(|e| http(format!("download interrupted: {e}")))?;
        f.flush().and_then(|_| f.sync_all()).map_err(io(&tmp))?;
        let records = verify_zip(&tmp).map_err(|source| FetchError::Verify {
            url: url.clone(),
            source,
        })?;
        std::fs::rename(&tmp, &target).map_err(io(&target))?;
        Ok(records)
    })();
    let records = match result {
        Ok(r) => r,
        Err(e) => {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    };
    let meta = FetchMeta {
        url: url.clone(),
        etag,
        last_modified,
        checked_at: now,
        records,
    };
    write_atomic(
        &meta_path(db, eco),
        serde_json::to_string_pretty(&meta)
            .unwrap_or_default()
            .as_bytes(),
    )
    .map_err(io(&meta_path(db, eco)))?;
    Ok(Updated::New(records))
}

/// Replace the database at `db` with a copy of `from` (a directory in any
/// layout, or an OSV zip). The copy is built beside `db`, loaded to check
/// it, then renamed into place; a failure leaves the old database alone.
pub fn import(db: &Path, from: &Path) -> Result<usize, FetchError> {
    let parent = db.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|source| FetchError::Io {
        path: parent.to_path_buf(),
        source,
    })?;
    let name = db
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "db".into());
    let staging = parent.join(format!(".{name}.new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&staging);
    let res = (|| {
        let meta = std::fs::metadata(from).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                FetchError::Load(LoadError::Missing {
                    path: from.to_path_buf(),
                })
            } else {
                FetchError::Io {
                    path: from.to_path_buf(),
                    source,
                }
            }
        })?;
        if meta.is_dir() {
            copy_tree(from, &staging)?;
        } else {
            verify_zip(from)?;
            let dest = staging.join("osv");
            std::fs::create_dir_all(&dest).map_err(|source| FetchError::Io {
                path: dest.clone(),
                source,
            })?;
            let fname = from
                .file_name()
                .map(|n| n.to_os_string())
                .unwrap_or_else(|| "all.zip".into());
            std::fs::copy(from, dest.join(fname)).map_err(|source| FetchError::Io {
                path: from.to_path_buf(),
                source,
            })?;
        }
        let loaded = load(&staging)?;
        Ok(loaded.advisories.len())
    })();
    let count = match res {
        Ok(c) => c,
        Err(e) => {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(e);
        }
    };
    // Two renames: the old DB moves aside, the new one takes its name. At
    // every instant one complete DB exists under one of the two names.
    let old = parent.join(format!(".{name}.old-{}", std::process::id()));
    let had_old = db.exists();
    if had_old {
        std::fs::rename(db, &old).map_err(|source| FetchError::Io {
            path: db.to_path_buf(),
            source,
        })?;
    }
    if let Err(source) = std::fs::rename(&staging, db) {
        if had_old {
            let _ = std::fs::rename(&old, db);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(FetchError::Io {
            path: db.to_path_buf(),
            source,
        });
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(count)
}

fn copy_tree(from: &Path, to: &Path) -> Result<(), FetchError> {
    let io = |p: &Path| {
        let path = p.to_path_buf();
        move |source| FetchError::Io { path, source }
    };
    std::fs::create_dir_all(to).map_err(io(to))?;
    for e in std::fs::read_dir(from).map_err(io(from))? {
        let e = e.map_err(io(from))?;
        if e.file_name().to_string_lossy().starts_with('.') {
            continue;
        }
        let ft = e.file_type().map_err(io(&e.path()))?;
        let dest = to.join(e.file_name());
        if ft.is_dir() {
            copy_tree(&e.path(), &dest)?;
        } else if ft.is_file() {
            std::fs::copy(e.path(), &dest).map_err(io(&e.path()))?;
        }
    }
    Ok(())
}

/// How old the data is, in days: from the last download check when there
/// is one, else the newest advisory date.
pub fn age_days(db: &Path, newest: Option<&str>) -> Option<i64> {
    let now = jiff::Timestamp::now();
    let os = OS_ECOSYSTEMS
        .iter()
        .filter_map(|s| super::ecosystem_from_osv(s));
    let checked = ECOSYSTEMS
        .iter()
        .copied()
        .chain(os)
        .filter_map(|e| read_meta(db, e))
        .filter_map(|m| m.checked_at.parse::<jiff::Timestamp>().ok())
        .max();
    let ts = checked.or_else(|| newest.and_then(parse_when))?;
    Some((now.as_second() - ts.as_second()) / 86_400)
}

fn parse_when(s: &str) -> Option<jiff::Timestamp> {
    s.parse::<jiff::Timestamp>().ok().or_else(|| {
        let d: jiff::civil::Date = s.get(..10)?.parse().ok()?;
        d.to_zoned(jiff::tz::TimeZone::UTC)
            .ok()
            .map(|z| z.timestamp())
    })
}
