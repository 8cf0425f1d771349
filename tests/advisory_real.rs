//! Real advisories (RustSec, PyPA, GitHub; tests/fixtures/advisories, see
//! SOURCE.md) against real Cargo.lock files, through the library: audit,
//! review between two real revisions, alias merging, outputs (SARIF is
//! validated against the SARIF 2.1.0 schema).
//!
//! Cargo.lock files are read with the minimal reader in tests/common, not
//! the crate's parser, so these tests check the matching on its own.

mod common;

use std::path::PathBuf;

use guardrail::deps::advisory::{load, Layout, Severity};
use guardrail::deps::config::DepsConfig;
use guardrail::deps::model::{Ecosystem, Package};
use guardrail::deps::review::{audit, review, DenySpec, Policy, Status};
use guardrail::report::review::{to_json, to_markdown};
use guardrail::report::sarif::deps_sarif;

use common::deps::{package as pkg, policy};

fn fx() -> PathBuf {
    common::fixtures()
}

fn cargo_lock(name: &str) -> Vec<Package> {
    common::deps::cargo_lock(&fx().join("advisories/lockfiles").join(name))
}

#[test]
fn all_three_layouts_load_without_warnings() {
    let db = load::load(&fx().join("advisories")).unwrap();
    assert_eq!(
        db.layouts,
        vec![Layout::OsvYaml, Layout::RustSec, Layout::GitHub]
    );
    assert!(db.warnings.is_empty(), "{:?}", db.warnings);
    assert!(db.advisories.len() > 100);
    // RustSec informational advisories keep their class.
    assert!(db
        .advisories
        .iter()
        .any(|a| a.kind.as_str() == "unmaintained"));
}

#[test]
fn audit_of_an_old_rustsec_lockfile() {
    let db = load::load(&fx().join("advisories")).unwrap();
    let pkgs = cargo_lock("rustsec-8bba3a0f.Cargo.lock");
    assert!(pkgs.len() > 50);
    let r = audit(&db, &pkgs, &policy());
    let has = |id: &str, name: &str| {
        r.findings
            .iter()
            .any(|f| &*f.vuln.id == id && f.vuln.package.name == name)
    };
    // smallvec 0.6.9: buffer overflow in insert_many, fixed in 0.6.14 / 1.6.1.
    assert!(
        has("RUSTSEC-2021-0003", "smallvec"),
        "{:#?}",
        r.findings
            .iter()
            .map(|f| (&f.vuln.id, &f.vuln.package.name))
            .collect::<Vec<_>>()
    );
    let sv = r
        .findings
        .iter()
        .find(|f| &*f.vuln.id == "RUSTSEC-2021-0003")
        .unwrap();
    assert!(
        sv.vuln.fixed.iter().any(|f| f.contains("1.6.1")),
        "{:?}",
        sv.vuln.fixed
    );
    assert!(
        sv.vuln.ids.contains(&"CVE-2021-25900".to_string()),
        "{:?}",
        sv.vuln.ids
    );
    assert!(
        r.failed,
        "vulnerabilities fail an audit at the default --fail-on"
    );
    // Informational findings are reported but never failing.
    assert!(r
        .findings
        .iter()
        .filter(|f| f.vuln.informational)
        .all(|f| !f.failing));
    assert!(r.unmatched.is_empty(), "{:?}", r.unmatched);
}

#[test]
fn review_between_two_real_revisions() {
    let db = load::load(&fx().join("advisories")).unwrap();
    let base = cargo_lock("rustsec-8bba3a0f.Cargo.lock");
    let head = cargo_lock("rustsec-f79ca2bb.Cargo.lock");
    let r = review(&db, &base, &head, &policy());
    let base_ids: Vec<(String, String)> = audit(&db, &base, &policy())
        .findings
        .iter()
        .map(|f| (f.vuln.package.name.clone(), f.vuln.id.to_string()))
        .collect();
    let head_ids: Vec<(String, String)> = audit(&db, &head, &policy())
        .findings
        .iter()
        .map(|f| (f.vuln.package.name.clone(), f.vuln.id.to_string()))
        .collect();
    assert!(r.count(Status::Introduced) > 0 && r.count(Status::StillPresent) > 0);
    for f in &r.findings {
        let key = (f.vuln.package.name.clone(), f.vuln.id.to_string());
        match f.status {
            Status::Introduced => assert!(
                head_ids.contains(&key) && !base_ids.contains(&key),
                "{key:?}"
            ),
            Status::Fixed => assert!(
                base_ids.contains(&key) && !head_ids.contains(&key),
                "{key:?}"
            ),
            Status::StillPresent => assert!(
                head_ids.contains(&key) && base_ids.contains(&key),
                "{key:?}"
            ),
            Status::Present => panic!("review has no `present`"),
        }
    }
    // Only introduced findings fail a review by default; --fail-on-any adds still-present ones.
    assert!(r
        .findings
        .iter()
        .filter(|f| f.failing)
        .all(|f| f.status == Status::Introduced));
    let any = review(
        &db,
        &base,
        &head,
        &Policy {
            fail_on_any: true,
            ..policy()
        },
    );
    assert!(any
        .findings
        .iter()
        .any(|f| f.failing && f.status == Status::StillPresent));

    // Allow every introduced id, via config with a reason, and the review passes;
    // an expired entry no longer applies and is warned about.
    let mut cfg = DepsConfig::default();
    for f in r.findings.iter().filter(|f| f.status == Status::Introduced) {
        cfg.allow.push(guardrail::deps::config::AllowedAdvisory {
            id: f.vuln.ids.last().unwrap().clone(),
            reason: "not reachable".into(),
            expires: Some("2030-01-01".into()),
        });
    }
    let ok = review(
        &db,
        &base,
        &head,
        &Policy {
            config: cfg.clone(),
            ..policy()
        },
    );
    assert!(
        !ok.failed,
        "{:?}",
        ok.findings
            .iter()
            .filter(|f| f.failing)
            .map(|f| &f.vuln.id)
            .collect::<Vec<_>>()
    );
    for a in &mut cfg.allow {
        a.expires = Some("2025-12-31".into());
    }
    let expired = review(
        &db,
        &base,
        &head,
        &Policy {
            config: cfg,
            ..policy()
        },
    );
    assert!(expired.failed);
    assert!(
        expired.warnings.iter().any(|w| w.contains("expired")),
        "{:?}",
        expired.warnings
    );

    // Markdown and JSON carry the three sections / counts.
    let md = to_markdown(&r, "Dependency review");
    assert!(
        md.contains("### Introduced by this change")
            && md.contains("### Fixed by this change")
            && md.contains("https://rustsec.org/advisories/")
    );
    let j = to_json(&r);
    assert_eq!(
        j["counts"]["introduced"].as_u64().unwrap() as usize,
        r.count(Status::Introduced)
    );

    // SARIF validates against the 2.1.0 schema; one rule per advisory; results at lockfile lines.
    let sarif = deps_sarif(&r);
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(fx().join("sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    common::assert_valid(&validator, &sarif, "review SARIF");
    let run = &sarif["runs"][0];
    assert_eq!(run["automationDetails"]["id"], "dependency-review/review/");
    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    let mut rule_ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let n = rule_ids.len();
    rule_ids.dedup();
    assert_eq!(n, rule_ids.len(), "one rule per advisory");
    for res in run["results"].as_array().unwrap() {
        let line = res["locations"][0]["physicalLocation"]["region"]["startLine"]
            .as_u64()
            .unwrap();
        let name = res["properties"]["package"].as_str().unwrap();
        let p = head
            .iter()
            .find(|p| p.name == name && p.location.line as u64 == line);
        assert!(p.is_some(), "result for {name} points at line {line}");
    }
    assert!(rules
        .iter()
        .any(|r| r["properties"]["security-severity"].is_string()));
}

#[test]
fn ghsa_records_and_alias_merge() {
    let db = load::load(&fx().join("advisories")).unwrap();
    let r = audit(
        &db,
        &[
            pkg(Ecosystem::Npm, "minimist", "1.2.5"),
            pkg(Ecosystem::Npm, "minimist", "1.2.6"),
            pkg(Ecosystem::Npm, "lodash", "4.17.20"),
        ],
        &policy(),
    );
    let ids: Vec<(&str, &str, &str)> = r
        .findings
        .iter()
        .map(|f| {
            (
                f.vuln.package.name.as_str(),
                f.vuln.package.version.as_str(),
                &*f.vuln.id,
            )
        })
        .collect();
    assert!(
        ids.contains(&("minimist", "1.2.5", "GHSA-xvch-5gv4-984h")),
        "{ids:?}"
    );
    assert!(!ids.iter().any(|i| i.1 == "1.2.6"), "{ids:?}");
    assert!(
        ids.contains(&("lodash", "4.17.20", "GHSA-35jh-r3h4-6jhm")),
        "{ids:?}"
    );
    let m = r
        .findings
        .iter()
        .find(|f| f.vuln.package.name == "minimist")
        .unwrap();
    assert_eq!(m.vuln.severity, Severity::Critical);

    // Two records of one flaw (PYSEC with alias GHSA, GHSA with alias CVE) become one finding.
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("PYSEC-1.yaml"), "id: PYSEC-1\naliases: [GHSA-aaaa-bbbb-cccc]\naffected:\n- package: {ecosystem: PyPI, name: demo}\n  ranges:\n  - type: ECOSYSTEM\n    events: [{introduced: '0'}, {fixed: '1.5'}]\n").unwrap();
    std::fs::write(tmp.path().join("GHSA.json"), r#"{"id":"GHSA-aaaa-bbbb-cccc","aliases":["CVE-2099-1"],"database_specific":{"severity":"HIGH"},"affected":[{"package":{"ecosystem":"PyPI","name":"Demo"},"ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"1.0"},{"fixed":"1.4.2"}]}]}]}"#).unwrap();
    let db = load::load(tmp.path()).unwrap();
    let r = audit(&db, &[pkg(Ecosystem::PyPI, "demo", "1.2")], &policy());
    assert_eq!(r.findings.len(), 1, "{:?}", r.findings);
    let v = &r.findings[0].vuln;
    assert_eq!(*v.ids, ["GHSA-aaaa-bbbb-cccc", "PYSEC-1", "CVE-2099-1"]);
    assert_eq!(v.severity, Severity::High);
    assert_eq!(*v.fixed, ["1.4.2", "1.5"]);
}

#[test]
fn deny_package_with_and_without_range() {
    let db = load::load(&fx().join("osv/ranges")).unwrap();
    let pkgs = [
        pkg(Ecosystem::Npm, "@scope/left-pad", "1.3.0"),
        pkg(Ecosystem::Npm, "other", "2.0.0"),
    ];
    let p = Policy {
        deny: vec![DenySpec::parse("@scope/left-pad@>=1.0,<2").unwrap()],
        ..policy()
    };
    let r = audit(&db, &pkgs, &p);
    assert_eq!(r.findings.len(), 1);
    assert!(r.failed && &*r.findings[0].vuln.kind == "denied");
    let p = Policy {
        deny: vec![DenySpec::parse("@scope/left-pad@>=2").unwrap()],
        ..policy()
    };
    assert!(audit(&db, &pkgs, &p).findings.is_empty());
    let p = Policy {
        deny: vec![DenySpec::parse("other").unwrap()],
        ..policy()
    };
    assert_eq!(audit(&db, &pkgs, &p).findings.len(), 1);
}
