//! `guardrail sbom --format spdx`: SPDX 2.3 JSON from the real binary on
//! real lockfiles, validated against the SPDX 2.3 JSON schema
//! (tests/fixtures/spdx, see SOURCE.txt) and checked against the inventory
//! the library parses from the same file.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use guardrail::deps::lockfile::parse_file;
use serde_json::Value;

use common::{assert_valid, bin, fixtures, run_command};

fn validator() -> jsonschema::Validator {
    let schema: Value = serde_json::from_str(
        &std::fs::read_to_string(fixtures().join("spdx/spdx-schema-2.3.json")).unwrap(),
    )
    .unwrap();
    jsonschema::validator_for(&schema).expect("the SPDX schema compiles")
}

fn spdx(args: &[&str]) -> String {
    let o = run_command(
        bin()
            .args(["sbom", "--format", "spdx"])
            .args(args)
            .env("SOURCE_DATE_EPOCH", "1700000000"),
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.stdout
}

fn rels<'a>(doc: &'a Value, kind: &str) -> Vec<(&'a str, &'a str)> {
    doc["relationships"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["relationshipType"] == kind)
        .map(|r| {
            (
                r["spdxElementId"].as_str().unwrap(),
                r["relatedSpdxElement"].as_str().unwrap(),
            )
        })
        .collect()
}

#[test]
fn the_schema_rejects_a_broken_document() {
    let v = validator();
    let doc: Value = serde_json::from_str(&spdx(&[fixtures()
        .join("lockfiles/handmade/go/go.mod")
        .to_str()
        .unwrap()]))
    .unwrap();
    assert_valid(&v, &doc, "go.mod");
    let mut bad = doc.clone();
    bad["packages"][1]
        .as_object_mut()
        .unwrap()
        .remove("downloadLocation");
    assert!(!v.is_valid(&bad), "a package needs a downloadLocation");
    let mut bad = doc;
    bad["packages"][1]["checksums"] =
        serde_json::json!([{"algorithm": "SHA-256", "checksumValue": "00"}]);
    assert!(!v.is_valid(&bad), "SPDX spells it SHA256");
}

#[test]
fn spdx_documents_validate_and_match_the_inventory() {
    let v = validator();
    let id_ok = regex::Regex::new(r"^SPDXRef-[A-Za-z0-9.-]+$").unwrap();
    for rel in [
        "npm/actions-checkout/26d48e8e/package-lock.json",
        "npm/actions-checkout/e347bba9/package-lock.json",
        "cargo/rustsec-rustsec/8bba3a0f/Cargo.lock",
        "pypi/pallets-flask/83dbcb22/uv.lock",
        "pypi/python-poetry-poetry/298068d3/poetry.lock",
        "handmade/go116/go.mod",
        "handmade/requirements/requirements.txt",
    ] {
        let path = fixtures().join("lockfiles").join(rel);
        let text = spdx(&[path.to_str().unwrap()]);
        let doc: Value = serde_json::from_str(&text).unwrap();
        assert_valid(&v, &doc, rel);
        assert_eq!(doc["spdxVersion"], "SPDX-2.3");
        assert_eq!(doc["creationInfo"]["created"], "2023-11-14T22:13:20Z");
        assert!(doc["documentNamespace"]
            .as_str()
            .unwrap()
            .starts_with("https://"));

        // The inventory, parsed independently by the library.
        let lock = parse_file(&path, rel).unwrap();
        let purls: BTreeSet<&str> = lock.packages.iter().map(|p| p.purl.as_str()).collect();
        let pkgs = doc["packages"].as_array().unwrap();
        assert_eq!(pkgs.len(), purls.len() + 1, "{rel}: packages + root");

        let mut ids = BTreeSet::from(["SPDXRef-DOCUMENT"]);
        let mut by_purl: BTreeMap<&str, &str> = BTreeMap::new();
        for p in pkgs {
            let id = p["SPDXID"].as_str().unwrap();
            assert!(id_ok.is_match(id), "{rel}: {id}");
            assert!(ids.insert(id), "{rel}: duplicate {id}");
            if id == "SPDXRef-RootPackage" {
                continue;
            }
            let refs = p["externalRefs"].as_array().unwrap();
            assert_eq!(refs.len(), 1);
            assert_eq!(refs[0]["referenceType"], "purl");
            by_purl.insert(refs[0]["referenceLocator"].as_str().unwrap(), id);
        }
        assert_eq!(
            by_purl.keys().copied().collect::<BTreeSet<_>>(),
            purls,
            "{rel}"
        );
        for r in doc["relationships"].as_array().unwrap() {
            for k in ["spdxElementId", "relatedSpdxElement"] {
                assert!(ids.contains(r[k].as_str().unwrap()), "{rel}: {r}");
            }
        }
        assert_eq!(
            rels(&doc, "DESCRIBES"),
            [("SPDXRef-DOCUMENT", "SPDXRef-RootPackage")]
        );
        // Every package hangs off the root exactly once.
        let to_root: Vec<&str> = [
            "DEPENDENCY_OF",
            "DEV_DEPENDENCY_OF",
            "OPTIONAL_DEPENDENCY_OF",
        ]
        .iter()
        .flat_map(|k| rels(&doc, k))
        .map(|(from, to)| {
            assert_eq!(to, "SPDXRef-RootPackage");
            from
        })
        .collect();
        assert_eq!(to_root.len(), purls.len(), "{rel}");
        // Edges: the lockfile's distinct purl pairs, as DEPENDS_ON.
        let edges: BTreeSet<(&str, &str)> = lock
            .edges
            .iter()
            .map(|e| {
                (
                    lock.packages[e.from].purl.as_str(),
                    lock.packages[e.to].purl.as_str(),
                )
            })
            .filter(|(a, b)| a != b)
            .map(|(a, b)| (by_purl[a], by_purl[b]))
            .collect();
        let got: BTreeSet<(&str, &str)> = rels(&doc, "DEPENDS_ON").into_iter().collect();
        assert_eq!(got, edges, "{rel}");
        // Same input, same bytes (SOURCE_DATE_EPOCH pins the time).
        assert_eq!(spdx(&[path.to_str().unwrap()]), text, "{rel}");
    }
}

#[test]
fn checksums_scopes_and_markers() {
    let lf = fixtures().join("lockfiles");
    let find = |doc: &Value, name: &str| -> Value {
        doc["packages"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name}"))
    };
    // Cargo.lock v1 [metadata] checksums.
    let path = lf.join("cargo/rustsec-rustsec/8bba3a0f/Cargo.lock");
    let doc: Value = serde_json::from_str(&spdx(&[path.to_str().unwrap()])).unwrap();
    let lock = parse_file(&path, "Cargo.lock").unwrap();
    let with_sum = lock.packages.iter().find(|p| !p.hashes.is_empty()).unwrap();
    let p = find(&doc, &with_sum.name);
    assert_eq!(p["checksums"][0]["algorithm"], "SHA256");
    assert_eq!(p["checksums"][0]["checksumValue"], with_sum.hashes[0].1);
    // npm dev packages are dev dependencies of the root.
    let doc: Value = serde_json::from_str(&spdx(&[lf
        .join("npm/actions-checkout/26d48e8e/package-lock.json")
        .to_str()
        .unwrap()]))
    .unwrap();
    let jest = find(&doc, "jest");
    let id = jest["SPDXID"].as_str().unwrap();
    assert!(rels(&doc, "DEV_DEPENDENCY_OF").contains(&(id, "SPDXRef-RootPackage")));
    let core = find(&doc, "@actions/core");
    let id = core["SPDXID"].as_str().unwrap();
    assert!(rels(&doc, "DEPENDENCY_OF").contains(&(id, "SPDXRef-RootPackage")));
    // Markers go to the package comment.
    let doc: Value = serde_json::from_str(&spdx(&[lf
        .join("handmade/requirements/requirements.txt")
        .to_str()
        .unwrap()]))
    .unwrap();
    assert_eq!(
        find(&doc, "pywin32")["comment"],
        "installed only where `sys_platform == \"win32\"` holds"
    );
}

#[test]
fn per_lockfile_spdx_files() {
    let v = validator();
    let t = tempfile::tempdir().unwrap();
    let lf = fixtures().join("lockfiles");
    for (rel, to) in [
        ("cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock", "Cargo.lock"),
        ("handmade/go/go.mod", "svc/go.mod"),
        ("handmade/go/go.sum", "svc/go.sum"),
    ] {
        std::fs::create_dir_all(t.path().join(to).parent().unwrap()).unwrap();
        std::fs::copy(lf.join(rel), t.path().join(to)).unwrap();
    }
    let out = t.path().join("sboms");
    spdx(&[t.path().to_str().unwrap(), "-o", out.to_str().unwrap()]);
    let mut names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(names, ["Cargo.lock.spdx.json", "svc_go.mod.spdx.json"]);
    for n in &names {
        let doc: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(n)).unwrap()).unwrap();
        assert_valid(&v, &doc, n);
    }
    let merged: Value =
        serde_json::from_str(&spdx(&[t.path().to_str().unwrap(), "--merge"])).unwrap();
    assert_valid(&v, &merged, "merged");
    let go = merged["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "github.com/pkg/errors")
        .unwrap();
    assert_eq!(go["checksums"][0]["algorithm"], "SHA256");
}
