//! `guardrail sbom` output validates against the official CycloneDX 1.6
//! JSON schema (with its spdx and jsf schemas registered locally, offline).

mod common;

use serde_json::Value;

use common::{assert_valid, bin, fixtures, run_command};

fn schema_json(name: &str) -> Value {
    let p = fixtures().join("cyclonedx").join(name);
    serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap()
}

fn validator() -> jsonschema::Validator {
    let base = "http://cyclonedx.org/schema/";
    let registry = jsonschema::Registry::new()
        .add(
            format!("{base}spdx.schema.json"),
            jsonschema::Resource::from_contents(schema_json("spdx.schema.json")),
        )
        .unwrap()
        .add(
            format!("{base}jsf-0.82.schema.json"),
            jsonschema::Resource::from_contents(schema_json("jsf-0.82.schema.json")),
        )
        .unwrap()
        .prepare()
        .unwrap();
    jsonschema::options()
        .with_registry(&registry)
        .should_validate_formats(true)
        .build(&schema_json("bom-1.6.schema.json"))
        .unwrap()
}

fn sbom(args: &[&str]) -> Value {
    let o = run_command(bin().arg("sbom").args(args));
    assert_eq!(o.code, 0, "{}", o.stderr);
    o.json()
}

#[test]
fn the_validator_rejects_a_broken_bom() {
    let v = validator();
    let bad = serde_json::json!({"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [{"type": "library"}]});
    assert!(!v.is_valid(&bad), "a component without a name must fail");
}

#[test]
fn per_lockfile_sboms_validate_and_carry_the_inventory() {
    let v = validator();
    let lf = fixtures().join("lockfiles");
    for rel in [
        "npm/actions-checkout/26d48e8e/package-lock.json",
        "npm/actions-checkout/e347bba9/package-lock.json",
        "cargo/rustsec-rustsec/8bba3a0f/Cargo.lock",
        "cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock",
        "pypi/pallets-flask/83dbcb22/uv.lock",
        "pypi/python-poetry-poetry/298068d3/poetry.lock",
        "pypi/python-poetry-poetry/13bd6400/poetry.lock",
    ] {
        let path = lf.join(rel);
        let bom = sbom(&[path.to_str().unwrap()]);
        assert_valid(&v, &bom, rel);
        let comps = bom["components"].as_array().unwrap();
        assert!(comps.len() > 20, "{rel}");
        // bom-refs are unique and every dependency ref names a component.
        let refs: std::collections::BTreeSet<&str> = comps
            .iter()
            .map(|c| c["bom-ref"].as_str().unwrap())
            .collect();
        assert_eq!(refs.len(), comps.len(), "{rel}");
        let deps = bom["dependencies"].as_array().unwrap();
        assert!(
            deps.iter()
                .any(|d| !d["dependsOn"].as_array().unwrap().is_empty()),
            "{rel}: no edges"
        );
        for d in deps {
            assert!(refs.contains(d["ref"].as_str().unwrap()));
            for on in d["dependsOn"].as_array().unwrap() {
                assert!(refs.contains(on.as_str().unwrap()), "{rel}: {on}");
            }
        }
        assert!(
            comps
                .iter()
                .any(|c| c["hashes"].as_array().is_some_and(|h| !h.is_empty())),
            "{rel}: no hashes"
        );
    }
    // Scoped npm names become group + name, dev packages are excluded.
    let bom = sbom(&[lf
        .join("npm/actions-checkout/26d48e8e/package-lock.json")
        .to_str()
        .unwrap()]);
    let core = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["group"] == "@actions" && c["name"] == "core")
        .unwrap();
    assert_eq!(core["scope"], "required");
    assert!(core["purl"]
        .as_str()
        .unwrap()
        .starts_with("pkg:npm/%40actions/core@"));
    let jest = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "jest")
        .unwrap();
    assert_eq!(jest["scope"], "excluded");
    // Stable output: same input, same serial number.
    let again = sbom(&[lf
        .join("npm/actions-checkout/26d48e8e/package-lock.json")
        .to_str()
        .unwrap()]);
    assert_eq!(bom["serialNumber"], again["serialNumber"]);
}

#[test]
fn merged_and_per_file_outputs() {
    let v = validator();
    let t = tempfile::tempdir().unwrap();
    let lf = fixtures().join("lockfiles");
    for (rel, to) in [
        ("cargo/burntsushi-ripgrep/3fce3b5b/Cargo.lock", "Cargo.lock"),
        ("pypi/pallets-flask/0109e496/uv.lock", "py/uv.lock"),
    ] {
        std::fs::create_dir_all(t.path().join(to).parent().unwrap()).unwrap();
        std::fs::copy(lf.join(rel), t.path().join(to)).unwrap();
    }
    let root = t.path().to_str().unwrap();
    let merged = sbom(&[root, "--merge"]);
    assert_valid(&v, &merged, "merged");
    let purls: Vec<&str> = merged["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap())
        .collect();
    assert!(
        purls.iter().any(|p| p.starts_with("pkg:cargo/"))
            && purls.iter().any(|p| p.starts_with("pkg:pypi/"))
    );

    // Several lockfiles without --merge: one file each under -o DIR.
    let out = t.path().join("boms");
    let o = run_command(bin().args(["sbom", root, "-o", out.to_str().unwrap()]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    for f in ["Cargo.lock.cdx.json", "py_uv.lock.cdx.json"] {
        let bom: Value =
            serde_json::from_str(&std::fs::read_to_string(out.join(f)).unwrap()).unwrap();
        assert_valid(&v, &bom, f);
    }
    // ... and without -o that is a usage error, not a silent pick.
    let o = run_command(bin().args(["sbom", root]));
    assert_eq!(o.code, 2);
}

/// Environment markers reach the SBOM as a property, and the BOM stays valid.
#[test]
fn requirements_markers_become_properties() {
    let v = validator();
    let req = fixtures().join("lockfiles/handmade/requirements/requirements.txt");
    let bom = sbom(&[req.to_str().unwrap()]);
    assert_valid(&v, &bom, "requirements.txt");
    let comps = bom["components"].as_array().unwrap();
    let prop = |name: &str| -> Option<String> {
        let c = comps.iter().find(|c| c["name"] == name)?;
        c["properties"]
            .as_array()?
            .iter()
            .find(|p| p["name"] == "guardrail:markers")
            .map(|p| p["value"].as_str().unwrap().to_string())
    };
    assert_eq!(
        prop("pywin32").as_deref(),
        Some(r#"sys_platform == "win32""#)
    );
    assert_eq!(
        prop("importlib-metadata").as_deref(),
        Some(r#"python_version < "3.8""#)
    );
    assert!(comps.iter().any(|c| c["name"] == "flask"));
    assert_eq!(prop("flask"), None);
}

/// go.sum hashes of a go.mod's modules reach the BOM, which stays valid.
#[test]
fn go_sum_hashes_in_the_bom() {
    let v = validator();
    let go_mod = fixtures().join("lockfiles/handmade/go/go.mod");
    let bom = sbom(&[go_mod.to_str().unwrap()]);
    assert_valid(&v, &bom, "go.mod");
    let comps = bom["components"].as_array().unwrap();
    assert_eq!(
        comps.len(),
        4,
        "go.sum adds no components to a go 1.23 go.mod"
    );
    let errors = comps
        .iter()
        .find(|c| c["group"] == "github.com/pkg" && c["name"] == "errors")
        .unwrap();
    assert_eq!(
        errors["hashes"],
        serde_json::json!([{"alg": "SHA-256", "content": "94dd5aaff89aa2c9802bb669cacc36c78ca608a76ac9e3f0a744a09dd240ad8e"}])
    );
}
