//! `guardrail db update` / `db status` on the real binary: downloads from a
//! local HTTP server on 127.0.0.1 (200, 304, truncated body), `--from`
//! imports, a missing DB, and a bad advisory file among good ones.

mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::Path;
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use common::{bin, fixtures, run_command};

/// (exit code, stdout, stderr).
fn run(c: &mut Command) -> (i32, String, String) {
    let r = run_command(c);
    (r.code, r.stdout, r.stderr)
}

/// An OSV all.zip built from the range fixtures.
fn fixture_zip() -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut z = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let dir = fixtures().join("osv/ranges");
        let mut names: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .map(|e| e.path())
            .collect();
        names.sort();
        for p in names {
            z.start_file(p.file_name().unwrap().to_string_lossy(), opts)
                .unwrap();
            z.write_all(&std::fs::read(&p).unwrap()).unwrap();
        }
        z.finish().unwrap();
    }
    buf.into_inner()
}

/// A tiny HTTP/1.1 server: `/ok/<eco>/all.zip` serves the zip with an ETag
/// and answers 304 to a matching If-None-Match; `/cut/...` promises the
/// full length and sends half. Serves at most `max` connections.
fn serve(body: Vec<u8>, max: usize) -> (String, Arc<AtomicUsize>) {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    let hits304 = Arc::new(AtomicUsize::new(0));
    let h = hits304.clone();
    std::thread::spawn(move || {
        for stream in l.incoming().take(max) {
            let Ok(mut s) = stream else { continue };
            let mut r = BufReader::new(s.try_clone().unwrap());
            let mut first = String::new();
            r.read_line(&mut first).unwrap();
            let mut inm = None;
            loop {
                let mut line = String::new();
                if r.read_line(&mut line).unwrap() == 0 || line == "\r\n" {
                    break;
                }
                if let Some(v) = line.to_ascii_lowercase().strip_prefix("if-none-match:") {
                    inm = Some(v.trim().to_string());
                }
            }
            let path = first.split_whitespace().nth(1).unwrap_or("").to_string();
            if path.starts_with("/ok/") && inm.as_deref() == Some("\"v1\"") {
                h.fetch_add(1, Ordering::SeqCst);
                let _ = s.write_all(
                    b"HTTP/1.1 304 Not Modified\r\nETag: \"v1\"\r\nConnection: close\r\n\r\n",
                );
            } else if path.starts_with("/ok/") {
                let head = format!("HTTP/1.1 200 OK\r\nETag: \"v1\"\r\nLast-Modified: Mon, 01 Jan 2024 00:00:00 GMT\r\nContent-Length: {}\r\nConnection: close\r\n\r\n", body.len());
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&body);
            } else if path.starts_with("/cut/") {
                let head = format!(
                    "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    body.len()
                );
                let _ = s.write_all(head.as_bytes());
                let _ = s.write_all(&body[..body.len() / 2]);
            } else {
                let _ = s.write_all(
                    b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                );
            }
            let _ = s.flush();
            let mut sink = [0u8; 16];
            let _ = s.set_read_timeout(Some(std::time::Duration::from_millis(50)));
            let _ = s.read(&mut sink);
        }
    });
    (format!("http://{addr}"), hits304)
}

fn update(db: &Path, url: &str, cache: &Path) -> (i32, String, String) {
    run(bin()
        .args(["db", "update", "--ecosystem", "npm", "--url", url, "--db"])
        .arg(db)
        .env("GUARDRAIL_CACHE_DIR", cache))
}

#[test]
fn download_then_304_then_truncated_keeps_the_good_copy() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let cache = tmp.path().join("cache");
    let body = fixture_zip();
    let (base, hits304) = serve(body.clone(), 10);

    let (code, _, err) = update(&db, &format!("{base}/ok"), &cache);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("npm: downloaded 9 advisories"), "{err}");
    let zip = db.join("osv/npm.zip");
    assert_eq!(std::fs::read(&zip).unwrap(), body);

    // Second run: conditional request, 304, file untouched.
    let (code, _, err) = update(&db, &format!("{base}/ok"), &cache);
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("up to date"), "{err}");
    assert_eq!(hits304.load(Ordering::SeqCst), 1);

    // A truncated download fails (exit 2) and leaves the old archive alone.
    let (code, _, err) = update(&db, &format!("{base}/cut"), &cache);
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("npm"), "{err}");
    assert_eq!(std::fs::read(&zip).unwrap(), body);
    let leftovers: Vec<_> = std::fs::read_dir(db.join("osv"))
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains("download"))
        .collect();
    assert!(leftovers.is_empty(), "temp files left: {leftovers:?}");

    // A 404 is an error naming the URL.
    let (code, _, err) = update(&db, &format!("{base}/missing"), &cache);
    assert_eq!(code, 2);
    assert!(err.contains("404"), "{err}");

    // status reads the downloaded archive.
    let (code, out, err) = run(bin()
        .args(["db", "status", "--json", "--db"])
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["advisories"], 9);
    assert_eq!(v["layouts"][0], "OSV all.zip");
}

#[test]
fn import_from_dir_and_zip_then_status_uses_cached_index() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    let cache = tmp.path().join("cache");
    let (code, _, err) = run(bin()
        .args(["db", "update", "--from"])
        .arg(fixtures().join("advisories"))
        .arg("--db")
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("imported"), "{err}");
    let (code, out, err) = run(bin()
        .args(["db", "status", "--db"])
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("RustSec advisory-db") && out.contains("index: cached"),
        "{out}"
    );

    let zip = tmp.path().join("PyPI-all.zip");
    std::fs::write(&zip, fixture_zip()).unwrap();
    let (code, _, err) = run(bin()
        .args(["db", "update", "--from"])
        .arg(&zip)
        .arg("--db")
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert_eq!(code, 0, "{err}");
    let (_, out, _) = run(bin()
        .args(["db", "status", "--json", "--db"])
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["advisories"], 9, "the import replaced the old DB: {out}");

    // A corrupt zip is refused and the DB stays as it was.
    let bad = tmp.path().join("bad.zip");
    std::fs::write(&bad, b"PK\x03\x04 not really").unwrap();
    let (code, _, err) = run(bin()
        .args(["db", "update", "--from"])
        .arg(&bad)
        .arg("--db")
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert_eq!(code, 2);
    assert!(err.contains("bad.zip"), "{err}");
    let (_, out, _) = run(bin()
        .args(["db", "status", "--json", "--db"])
        .arg(&db)
        .env("GUARDRAIL_CACHE_DIR", &cache));
    assert!(out.contains("\"advisories\": 9"), "{out}");
}

#[test]
fn missing_db_says_how_to_get_one() {
    let tmp = tempfile::tempdir().unwrap();
    let (code, _, err) = run(bin()
        .args(["db", "status", "--db"])
        .arg(tmp.path().join("nope"))
        .env("GUARDRAIL_CACHE_DIR", tmp.path()));
    assert_eq!(code, 2);
    assert!(
        err.contains("guardrail db update") && err.contains("nope"),
        "{err}"
    );
}

#[test]
fn bad_advisory_file_is_a_warning_naming_it() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("osv");
    std::fs::create_dir_all(&dir).unwrap();
    for f in ["limit.json", "pep440.json"] {
        std::fs::copy(fixtures().join("osv/ranges").join(f), dir.join(f)).unwrap();
    }
    std::fs::write(dir.join("broken.json"), b"{\"id\": \"X\", \"affected\": [").unwrap();
    let (code, out, err) = run(bin()
        .args(["db", "status", "--json", "--db"])
        .arg(&dir)
        .env("GUARDRAIL_CACHE_DIR", tmp.path().join("c")));
    assert_eq!(code, 0, "{err}");
    assert!(err.contains("broken.json"), "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["advisories"], 2);
}

/// `--index-dir` / `GUARDRAIL_INDEX_DIR` keep the index out of the database
/// directory (the fixtures in a source tree must stay untouched), and the
/// index there is reused; `--no-index-cache` still wins.
#[test]
fn index_dir_keeps_the_database_directory_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let db = tmp.path().join("db");
    common::copy_dir(&fixtures().join("osv/ranges"), &db);
    let listing = |d: &Path| -> Vec<String> {
        let mut v: Vec<String> = std::fs::read_dir(d)
            .map(|r| {
                r.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        v.sort();
        v
    };
    let before = listing(&db);
    let index = tmp.path().join("index");
    let status = |extra: &[&str]| {
        run(bin()
            .args(["db", "status", "--db"])
            .arg(&db)
            .args(extra)
            .env("GUARDRAIL_CACHE_DIR", tmp.path().join("cache")))
    };
    let (code, out, err) = status(&["--index-dir", index.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("index: rebuilt"), "{out}");
    let (code, out, err) = status(&["--index-dir", index.to_str().unwrap()]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("index: cached"), "{out}");
    assert_eq!(listing(&index).len(), 1, "{:?}", listing(&index));
    assert!(!tmp.path().join("cache").exists(), "user cache dir unused");

    // The environment variable does the same for `deps audit`.
    std::fs::write(
        tmp.path().join("requirements.txt"),
        "jinja2==2.10\nrequests==2.0.0\n",
    )
    .unwrap();
    let index2 = tmp.path().join("index2");
    let (code, _, err) = run(bin()
        .args(["deps", "audit", "--format", "json", "--db"])
        .arg(&db)
        .arg(tmp.path().join("requirements.txt"))
        .env("GUARDRAIL_INDEX_DIR", &index2)
        .env("GUARDRAIL_CACHE_DIR", tmp.path().join("cache")));
    assert!(code == 0 || code == 1, "{err}");
    assert_eq!(listing(&index2).len(), 1, "{:?}", listing(&index2));
    // ... unless the cache is off.
    let index3 = tmp.path().join("index3");
    let (code, _, err) = run(bin()
        .args(["deps", "audit", "--no-index-cache", "--db"])
        .arg(&db)
        .arg(tmp.path().join("requirements.txt"))
        .env("GUARDRAIL_INDEX_DIR", &index3)
        .env("GUARDRAIL_CACHE_DIR", tmp.path().join("cache")));
    assert!(code == 0 || code == 1, "{err}");
    assert!(!index3.exists());

    assert_eq!(listing(&db), before, "nothing written next to the data");
    assert!(!tmp.path().join("cache").exists(), "user cache dir unused");
}
