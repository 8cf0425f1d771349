//! `guardrail image` on images built here: docker-save and OCI layouts
//! (directory and tar; plain, gzip and zstd layers) with whiteouts, a real
//! dpkg status file, apk and rpm databases, language packages, a Go
//! binary, a secret that only a deleted layer holds, and broken archives.

mod common;
mod image_support;

use std::path::{Path, PathBuf};

use common::{assert_valid, bin, fixtures, ghp, run_command, Run};
use image_support::*;
use serde_json::Value;

fn db() -> PathBuf {
    fixtures().join("image/osv")
}

fn run(cwd: &Path, args: &[&str]) -> Run {
    let idx = cwd.join(".idx");
    run_command(
        bin()
            .current_dir(cwd)
            .arg("image")
            .args(args)
            .arg("--db")
            .arg(db())
            .arg("--index-dir")
            .arg(&idx),
    )
}

fn debian_release() -> &'static str {
    "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n"
}

/// The real status file without curl and libcurl4 (a later layer installs them).
fn status_without_curl() -> String {
    let full = std::fs::read_to_string(fixtures().join("image/dpkg-status")).unwrap();
    full.split("\n\n")
        .filter(|s| !s.starts_with("Package: curl\n") && !s.starts_with("Package: libcurl4\n"))
        .collect::<Vec<_>>()
        .join("\n\n")
}

struct Built {
    _dir: tempfile::TempDir,
    root: PathBuf,
    image: PathBuf,
    secret: String,
    env_secret: String,
}

/// Three layers: a Debian base, a layer that adds `.env` with a token,
/// and one that deletes it (whiteout) while installing curl and Python
/// and Node packages.
fn debian_image() -> Built {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let secret = ghp(11);
    let env_secret = ghp(12);
    let full = std::fs::read_to_string(fixtures().join("image/dpkg-status")).unwrap();
    let l1 = layer(&[
        F::Dir("etc"),
        F::Symlink("etc/os-release", "../usr/lib/os-release"),
        file("usr/lib/os-release", debian_release()),
        file("var/lib/dpkg/status", status_without_curl()),
        file("usr/share/doc/readme.txt", "nothing here\n"),
    ]);
    let l2 = layer(&[file(
        "app/.env",
        format!("APP_MODE=prod\nGITHUB_TOKEN={secret}\n"),
    )]);
    let l3 = layer(&[
        F::Whiteout("app/.env"),
        file("var/lib/dpkg/status", full),
        file(
            "usr/lib/python3/dist-packages/Jinja2-3.1.2.dist-info/METADATA",
            "Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\n",
        ),
        file(
            "app/node_modules/lodash/package.json",
            r#"{"name":"lodash","version":"4.17.20"}"#,
        ),
    ]);
    let layers = vec![l1, l2, l3];
    let cfg = config(
        &layers,
        &[
            "/bin/sh -c #(nop) ADD file:abc in / ",
            "COPY .env /app/.env # buildkit",
            "RUN /bin/sh -c apt-get install -y curl && rm /app/.env # buildkit",
        ],
        &[
            "PATH=/usr/local/bin:/usr/bin",
            &format!("DEPLOY_TOKEN={env_secret}"),
        ],
    );
    let image = root.join("myapp.tar");
    docker_save(&image, "myapp:1.4", &layers, &cfg);
    Built {
        _dir: dir,
        root,
        image,
        secret,
        env_secret,
    }
}

fn vulns(j: &Value) -> Vec<(String, String, String, u64)> {
    let mut v: Vec<_> = j["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["id"].as_str().unwrap().to_string(),
                v["installed"]["name"].as_str().unwrap().to_string(),
                v["installed"]["version"].as_str().unwrap().to_string(),
                v["installed"]["layer"].as_u64().unwrap(),
            )
        })
        .collect();
    v.sort();
    v
}

#[test]
fn docker_save_debian_packages_layers_and_a_deleted_secret() {
    let b = debian_image();
    let r = run(&b.root, &[b.image.to_str().unwrap(), "--format", "json"]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let j = r.json();
    assert_eq!(j["image"]["name"], "myapp:1.4");
    assert_eq!(j["image"]["format"], "docker-archive");
    assert_eq!(j["image"]["os"]["ecosystem"], "Debian:12");
    assert_eq!(j["counts"]["packages"], 11, "9 dpkg + jinja2 + lodash");
    assert_eq!(
        vulns(&j),
        vec![
            (
                "DEBIAN-CVE-2099-1001".into(),
                "libssl3".into(),
                "3.0.19-1~deb12u2".into(),
                1
            ),
            (
                "DEBIAN-CVE-2099-1001".into(),
                "openssl".into(),
                "3.0.19-1~deb12u2".into(),
                1
            ),
            (
                "DEBIAN-CVE-2099-1003".into(),
                "zlib1g".into(),
                "1:1.2.13.dfsg-1".into(),
                1
            ),
            (
                "GHSA-h5c8-rqwp-cp95".into(),
                "jinja2".into(),
                "3.1.2".into(),
                3
            ),
        ],
        "curl is fixed already; DSA-9999-1 is for Debian 11; layer of each"
    );
    let libssl = j["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["installed"]["name"] == "libssl3")
        .unwrap();
    assert_eq!(
        libssl["installed"]["source_package"],
        "openssl 3.0.19-1~deb12u2"
    );
    assert_eq!(libssl["installed"]["path"], "var/lib/dpkg/status");
    assert_eq!(libssl["severity"], "critical");
    assert_eq!(libssl["fixed"][0], "3.0.19-1~deb12u3");
    // The secret a later layer deletes: reported, with layer and history.
    let secrets = j["secrets"].as_array().unwrap();
    let s = secrets
        .iter()
        .find(|s| s["path"] == "app/.env")
        .expect("deleted-layer secret");
    assert_eq!(s["rule_id"], "github-pat-classic");
    assert_eq!(s["layer"], 2);
    assert_eq!(s["in_final_filesystem"], false);
    assert_eq!(s["created_by"], "COPY .env /app/.env # buildkit");
    assert!(s["layer_digest"].as_str().unwrap().starts_with("sha256:"));
    let env = secrets
        .iter()
        .find(|s| s["path"] == "[image config]/Env")
        .expect("secret in the config's Env");
    assert_eq!(env["layer"], Value::Null);
    common::assert_no_secret(&r.stdout, &b.secret, "JSON");
    common::assert_no_secret(&r.stdout, &b.env_secret, "JSON");
    // Layer attribution: curl came with layer 3, libc6 with layer 1.
    let sbom = run(&b.root, &[b.image.to_str().unwrap(), "--sbom"]);
    assert_eq!(sbom.code, 0, "{}", sbom.stderr);
    let bom = sbom.json();
    let layer_of = |name: &str| {
        bom["components"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .and_then(|c| {
                c["properties"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|p| p["name"] == "guardrail:layer")
            })
            .map(|p| p["value"].as_str().unwrap().to_string())
    };
    assert_eq!(layer_of("curl").as_deref(), Some("3"));
    assert_eq!(layer_of("libc6").as_deref(), Some("1"));
    assert_eq!(layer_of("lodash").as_deref(), Some("3"));
}

#[test]
fn text_is_grouped_by_severity_and_secrets_only_needs_no_db() {
    let b = debian_image();
    let r = run(&b.root, &[b.image.to_str().unwrap()]);
    assert_eq!(r.code, 1, "{}", r.stderr);
    let crit = r.stdout.find("\nCRITICAL").expect("critical group");
    let med = r.stdout.find("\nMEDIUM").expect("medium group");
    assert!(crit < med, "{}", r.stdout);
    assert!(
        r.stdout.contains("deleted from the final filesystem"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("added by: COPY .env /app/.env"),
        "{}",
        r.stdout
    );
    let o = run_command(bin().current_dir(&b.root).args([
        "image",
        b.image.to_str().unwrap(),
        "--secrets-only",
        "--format",
        "json",
        "--db",
        "/nonexistent",
    ]));
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert_eq!(o.json()["counts"]["vulnerabilities"], 0);
    assert_eq!(o.json()["counts"]["secrets"], 2);
    let v = run(
        &b.root,
        &[
            b.image.to_str().unwrap(),
            "--vulns-only",
            "--format",
            "json",
        ],
    );
    assert_eq!(v.json()["counts"]["secrets"], 0);
    assert_eq!(v.json()["counts"]["vulnerabilities"], 4);
    // Reported, never failing.
    let n = run(&b.root, &[b.image.to_str().unwrap(), "--fail-on", "none"]);
    assert_eq!(n.code, 0, "{}", n.stderr);
    // Missing database: an input error saying what to do.
    let m = run_command(bin().current_dir(&b.root).args([
        "image",
        b.image.to_str().unwrap(),
        "--db",
        "/nonexistent/db",
    ]));
    assert_eq!(m.code, 2);
    assert!(m.stderr.contains("db update --ecosystem"), "{}", m.stderr);
}

#[test]
fn sarif_validates_with_a_category_and_stable_fingerprints() {
    let b = debian_image();
    let a = run(&b.root, &[b.image.to_str().unwrap(), "--format", "sarif"]);
    assert_eq!(a.code, 1, "{}", a.stderr);
    let sarif = a.json();
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    assert_valid(
        &jsonschema::validator_for(&schema).unwrap(),
        &sarif,
        "image SARIF",
    );
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["automationDetails"]["id"], "guardrail/image/myapp/");
    let results = run0["results"].as_array().unwrap();
    let fps: Vec<String> = results
        .iter()
        .map(|r| {
            r["partialFingerprints"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    let mut uniq = fps.clone();
    uniq.sort();
    uniq.dedup();
    assert_eq!(uniq.len(), fps.len(), "one fingerprint per result");
    let uri = results[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(uri.starts_with("myapp/"), "{uri}");
    // The same image scanned again, under another tag: same fingerprints.
    let again = run(
        &b.root,
        &[
            b.image.to_str().unwrap(),
            "--format",
            "sarif",
            "--name",
            "myapp:1.5",
        ],
    );
    let fps2: Vec<String> = again.json()["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["partialFingerprints"]
                .as_object()
                .unwrap()
                .values()
                .next()
                .unwrap()
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(fps, fps2);
    common::assert_no_secret(&a.stdout, &b.secret, "SARIF");
}

#[test]
fn sbom_validates_as_cyclonedx_with_purls() {
    let b = debian_image();
    let o = run(&b.root, &[b.image.to_str().unwrap(), "--sbom"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let bom = o.json();
    let load = |n: &str| -> Value {
        serde_json::from_str(
            &std::fs::read_to_string(fixtures().join("cyclonedx").join(n)).unwrap(),
        )
        .unwrap()
    };
    let base = "http://cyclonedx.org/schema/";
    let registry = jsonschema::Registry::new()
        .add(
            format!("{base}spdx.schema.json"),
            jsonschema::Resource::from_contents(load("spdx.schema.json")),
        )
        .unwrap()
        .add(
            format!("{base}jsf-0.82.schema.json"),
            jsonschema::Resource::from_contents(load("jsf-0.82.schema.json")),
        )
        .unwrap()
        .prepare()
        .unwrap();
    let v = jsonschema::options()
        .with_registry(&registry)
        .build(&load("bom-1.6.schema.json"))
        .unwrap();
    assert_valid(&v, &bom, "image SBOM");
    let purls: Vec<&str> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|c| c["purl"].as_str())
        .collect();
    assert!(
        purls.contains(&"pkg:deb/debian/libssl3@3.0.19-1~deb12u2?arch=amd64&distro=debian-12"),
        "{purls:?}"
    );
    assert!(purls.contains(&"pkg:pypi/jinja2@3.1.2"), "{purls:?}");
    assert_eq!(bom["metadata"]["component"]["type"], "container");
}

fn alpine_layers() -> (Vec<u8>, Vec<u8>, Vec<Vec<u8>>) {
    let installed = "C:Q1abc=\nP:libcrypto3\nV:3.1.4-r4\nA:x86_64\nL:Apache-2.0\no:openssl\n\nP:musl\nV:1.2.4_git20230717-r4\nA:x86_64\nL:MIT\no:musl\n\n";
    let l1 = layer(&[
        file("etc/os-release", "NAME=\"Alpine Linux\"\nID=alpine\nVERSION_ID=3.19.1\nPRETTY_NAME=\"Alpine Linux v3.19\"\n"),
        file("lib/apk/db/installed", installed),
        file("opt/app/old.txt", "old\n"),
    ]);
    // A Go binary: ELF magic, then the build info where Go puts it.
    let mut elf = b"\x7fELF\x02\x01\x01".to_vec();
    elf.resize(64, 0);
    elf.extend(go_blob(
        "go1.21.3",
        "path\texample.com/app\nmod\texample.com/app\t(devel)\t\ndep\tgolang.org/x/net\tv0.10.0\th1:x=\n",
    ));
    let l2 = layer(&[
        F::Opaque("opt/app"),
        file("opt/app/new.txt", "new\n"),
        file("usr/bin/app", elf),
    ]);
    (l1.clone(), l2.clone(), vec![l1, l2])
}

/// Go's build-info encoding: header, then two varint-prefixed strings.
fn go_blob(version: &str, modinfo: &str) -> Vec<u8> {
    let mut b = b"\xff Go buildinf:".to_vec();
    b.push(8);
    b.push(2);
    b.resize(32, 0);
    let push = |b: &mut Vec<u8>, s: &[u8]| {
        assert!(s.len() < 128 * 128);
        if s.len() < 128 {
            b.push(s.len() as u8);
        } else {
            b.push((s.len() & 0x7f) as u8 | 0x80);
            b.push((s.len() >> 7) as u8);
        }
        b.extend_from_slice(s);
    };
    push(&mut b, version.as_bytes());
    let mut m = vec![b'0'; 16];
    m.extend_from_slice(modinfo.as_bytes());
    m.extend_from_slice(&[b'1'; 16]);
    push(&mut b, &m);
    b
}

#[test]
fn oci_layout_gzip_and_zstd_alpine_opaque_and_go_binary() {
    let dir = tempfile::tempdir().unwrap();
    let (l1, l2, layers) = alpine_layers();
    let cfg = config(&layers, &["ADD alpine", "COPY app /"], &[]);
    for as_tar in [false, true] {
        let out = dir.path().join(if as_tar {
            "alpine-oci.tar"
        } else {
            "alpine-oci"
        });
        oci(
            &out,
            "3.19",
            &[(gzip(&l1), GZ), (zstd(&l2), ZST)],
            &cfg,
            as_tar,
        );
        let r = run(dir.path(), &[out.to_str().unwrap(), "--format", "json"]);
        assert_eq!(r.code, 1, "{}", r.stderr);
        let j = r.json();
        assert_eq!(j["image"]["format"], "oci-layout");
        assert_eq!(j["image"]["os"]["ecosystem"], "Alpine:v3.19");
        let v = vulns(&j);
        assert_eq!(
            v,
            vec![
                (
                    "ALPINE-CVE-2099-2001".into(),
                    "libcrypto3".into(),
                    "3.1.4-r4".into(),
                    1
                ),
                ("GO-2099-0001".into(), "stdlib".into(), "v1.21.3".into(), 2),
            ],
            "as_tar={as_tar}"
        );
        let name = j["image"]["name"].as_str().unwrap();
        assert!(name.ends_with(":3.19"), "{name}");
    }
    // The opaque directory hid the lower layer's file.
    let out = dir.path().join("alpine-oci");
    let sbom = run(dir.path(), &[out.to_str().unwrap(), "--sbom"]);
    let text = sbom.stdout;
    assert!(
        text.contains("pkg:golang/golang.org/x/net@v0.10.0"),
        "{text}"
    );
    assert!(
        text.contains("pkg:apk/alpine/libcrypto3@3.1.4-r4?arch=x86_64&distro=alpine-3.19.1"),
        "{text}"
    );
}

#[test]
fn distroless_status_d_and_rpm_sqlite() {
    let dir = tempfile::tempdir().unwrap();
    let status = std::fs::read_to_string(fixtures().join("image/dpkg-status")).unwrap();
    let libssl = status
        .split("\n\n")
        .find(|s| s.starts_with("Package: libssl3\n"))
        .unwrap()
        .to_string();
    let l = layer(&[
        file("etc/os-release", debian_release()),
        file("var/lib/dpkg/status.d/libssl3", libssl + "\n"),
        file("var/lib/dpkg/status.d/libssl3.md5sums", "abc  usr/lib/x\n"),
    ]);
    let cfg = config(std::slice::from_ref(&l), &["distroless"], &[]);
    let img = dir.path().join("distroless.tar");
    docker_save(
        &img,
        "gcr.io/distroless/base:nonroot",
        std::slice::from_ref(&l),
        &cfg,
    );
    let j = run(dir.path(), &[img.to_str().unwrap(), "--format", "json"]).json();
    assert_eq!(
        vulns(&j),
        vec![(
            "DEBIAN-CVE-2099-1001".into(),
            "libssl3".into(),
            "3.0.19-1~deb12u2".into(),
            1
        )]
    );

    let rpmdb = std::fs::read(fixtures().join("image/rpmdb.sqlite")).unwrap();
    let l = layer(&[
        file("etc/os-release", "NAME=\"Rocky Linux\"\nID=\"rocky\"\nVERSION_ID=\"9.3\"\nPRETTY_NAME=\"Rocky Linux 9.3 (Blue Onyx)\"\n"),
        file("var/lib/rpm/rpmdb.sqlite", rpmdb),
    ]);
    let cfg = config(std::slice::from_ref(&l), &["rocky"], &[]);
    let img = dir.path().join("rocky.tar");
    docker_save(&img, "rockylinux:9", std::slice::from_ref(&l), &cfg);
    let r = run(dir.path(), &[img.to_str().unwrap(), "--format", "json"]);
    let j = r.json();
    assert_eq!(j["image"]["os"]["ecosystem"], "Rocky Linux:9");
    assert_eq!(j["counts"]["packages"], 4, "{}", r.stdout);
    assert_eq!(
        vulns(&j),
        vec![(
            "RLSA-2099:3001".into(),
            "openssl-libs".into(),
            "1:3.0.7-24.el9".into(),
            1
        )]
    );

    // BerkeleyDB: said clearly, not silently empty.
    let l = layer(&[
        file("etc/os-release", "ID=centos\nVERSION_ID=7\n"),
        file("var/lib/rpm/Packages", vec![0u8; 4096]),
    ]);
    let cfg = config(std::slice::from_ref(&l), &["centos"], &[]);
    let img = dir.path().join("centos.tar");
    docker_save(&img, "centos:7", std::slice::from_ref(&l), &cfg);
    let r = run(dir.path(), &[img.to_str().unwrap(), "--format", "json"]);
    assert!(
        r.stderr.contains("BerkeleyDB rpm database: not read yet"),
        "{}",
        r.stderr
    );
}

#[test]
fn suppressions_apply_to_image_secrets() {
    let b = debian_image();
    let j = run(
        &b.root,
        &[
            b.image.to_str().unwrap(),
            "--secrets-only",
            "--format",
            "json",
        ],
    )
    .json();
    let fps: Vec<String> = j["secrets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["fingerprint"].as_str().unwrap().to_string())
        .collect();
    std::fs::write(b.root.join(".guardrailignore"), fps.join("\n") + "\n").unwrap();
    let r = run(
        &b.root,
        &[
            b.image.to_str().unwrap(),
            "--secrets-only",
            "--format",
            "json",
        ],
    );
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.json()["counts"]["secrets"], 0);
}

#[test]
fn broken_images_are_one_line_errors_naming_the_layer() {
    let dir = tempfile::tempdir().unwrap();
    let (l1, l2, layers) = alpine_layers();
    let cfg = config(&layers, &["a", "b"], &[]);
    // A blob whose bytes no longer match its digest.
    let out = dir.path().join("tampered");
    oci(
        &out,
        "x",
        &[(gzip(&l1), GZ), (l2.clone(), TAR)],
        &cfg,
        false,
    );
    let d2 = format!("sha256:{}", sha(&l2));
    let p = out.join("blobs/sha256").join(sha(&l2));
    let mut bytes = std::fs::read(&p).unwrap();
    let n = bytes.len();
    bytes[n / 2] ^= 0x20;
    std::fs::write(&p, bytes).unwrap();
    let r = run(dir.path(), &[out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    let line = r
        .stderr
        .lines()
        .find(|l| l.contains("layer 2"))
        .unwrap_or_else(|| panic!("{}", r.stderr));
    assert!(
        line.contains(&d2) && line.contains("digest mismatch"),
        "{line}"
    );
    // A truncated gzip layer.
    let out = dir.path().join("truncated");
    let gz = gzip(&l1);
    oci(
        &out,
        "x",
        &[(gz[..gz.len() / 2].to_vec(), GZ), (l2.clone(), TAR)],
        &cfg,
        false,
    );
    let r = run(dir.path(), &[out.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with("error: ") && l.contains("layer 1 (sha256:")),
        "{}",
        r.stderr
    );
    // A missing blob and an unknown media type fail before scanning.
    let out = dir.path().join("missing");
    oci(
        &out,
        "x",
        &[(gzip(&l1), GZ), (l2.clone(), TAR)],
        &cfg,
        false,
    );
    std::fs::remove_file(out.join("blobs/sha256").join(sha(&l2))).unwrap();
    let r = run(dir.path(), &[out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    assert!(
        r.stderr.contains("layer 2 (sha256:") && r.stderr.contains("blob is missing"),
        "{}",
        r.stderr
    );
    let out = dir.path().join("mediatype");
    oci(
        &out,
        "x",
        &[(gzip(&l1), "application/vnd.example.layer.v9+brotli")],
        &cfg,
        false,
    );
    let r = run(dir.path(), &[out.to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr.contains("layer 1") && r.stderr.contains("unknown media type"),
        "{}",
        r.stderr
    );
    // Not an image at all.
    std::fs::write(
        dir.path().join("junk.tar"),
        b"this is not a tar archive at all",
    )
    .unwrap();
    let r = run(dir.path(), &[dir.path().join("junk.tar").to_str().unwrap()]);
    assert_eq!(r.code, 2);
    assert_eq!(r.stderr.lines().count(), 1, "{}", r.stderr);
    // A malformed layer tar inside a docker-save archive.
    let img = dir.path().join("badtar.tar");
    let mut bad = l1.clone();
    bad[0..100].copy_from_slice(&[b'x'; 100]);
    bad[148..156].copy_from_slice(b"garbage!");
    let cfg = config(std::slice::from_ref(&bad), &["a"], &[]);
    docker_save(&img, "bad:1", std::slice::from_ref(&bad), &cfg);
    let r = run(dir.path(), &[img.to_str().unwrap()]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("bad:1: layer 1 (sha256:"), "{}", r.stderr);
}

#[test]
fn advisory_fixtures_follow_the_osv_schema() {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("osv/osv-schema.json")).unwrap(),
    )
    .unwrap();
    let v = jsonschema::validator_for(&schema).unwrap();
    let mut n = 0;
    for e in std::fs::read_dir(db()).unwrap() {
        let p = e.unwrap().path();
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
        assert_valid(&v, &doc, &p.display().to_string());
        n += 1;
    }
    assert!(n >= 8);
}
