//! OSV range semantics on the schema's tricky cases. Each fixture in
//! tests/fixtures/osv/ranges/ is an OSV record; tests/fixtures/osv/ranges.txt
//! lists versions and whether they are affected.

mod common;

use std::path::PathBuf;

use guardrail::deps::advisory::load;
use guardrail::deps::advisory::matching::match_packages;
use guardrail::deps::model::Ecosystem;

use common::deps::package;

fn fixtures() -> PathBuf {
    common::fixture_path("osv")
}

#[test]
fn range_cases_from_fixtures() {
    let db = load::load(&fixtures().join("ranges")).unwrap();
    assert!(db.warnings.is_empty(), "{:?}", db.warnings);
    let table = std::fs::read_to_string(fixtures().join("ranges.txt")).unwrap();
    let mut failures = Vec::new();
    let mut n = 0;
    for line in table.lines() {
        let l = line.trim();
        if l.is_empty() || l.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = l.split_whitespace().collect();
        let (file, version, expect) = (cols[0], cols[1], cols[2]);
        let adv = db
            .advisories
            .iter()
            .find(|a| a.origin == format!("{file}.json"))
            .unwrap_or_else(|| panic!("no fixture {file}.json"));
        let af = &adv.affected[0];
        let pkg = package(af.ecosystem, &af.name, version);
        let r = match_packages(&db, std::slice::from_ref(&pkg));
        let got = if !r.unmatched.is_empty() {
            "unmatched"
        } else if r.vulnerabilities.iter().any(|v| *v.id == *adv.id) {
            "affected"
        } else {
            "safe"
        };
        n += 1;
        if got != expect {
            failures.push(format!("{file} {version}: expected {expect}, got {got}"));
        }
    }
    assert!(n >= 50, "only {n} cases");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn unparseable_version_is_unmatched_and_named() {
    let db = load::load(&fixtures().join("ranges")).unwrap();
    let r = match_packages(&db, &[package(Ecosystem::CratesIo, "limit-pkg", "one.two")]);
    assert!(r.vulnerabilities.is_empty());
    assert_eq!(r.unmatched.len(), 1);
    let reason = &r.unmatched[0].reason;
    assert!(reason.contains("one.two"), "{reason}");
}

#[test]
fn pypi_names_match_after_pep503() {
    let db = load::load(&fixtures().join("ranges")).unwrap();
    let p = package(Ecosystem::PyPI, "VERSIONS.list_pkg", "1.0");
    assert_eq!(p.name, "versions-list-pkg");
    assert_eq!(match_packages(&db, &[p]).vulnerabilities.len(), 1);
}
