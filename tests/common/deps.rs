//! Packages, policies and lockfile readers the dependency and advisory
//! tests share.

use std::path::Path;

use guardrail::deps::advisory::{normalize_name, Severity};
use guardrail::deps::config::DepsConfig;
use guardrail::deps::model::{Ecosystem, Location, Package, Scope, Source};
use guardrail::deps::review::Policy;

/// A registry package at line 1 of `lockfile`, its name normalised the way
/// lockfile parsers do.
pub fn package(eco: Ecosystem, name: &str, version: &str) -> Package {
    Package {
        ecosystem: eco,
        name: normalize_name(eco, name),
        version: version.to_string(),
        scope: Scope::Runtime,
        source: Source::Registry(None),
        purl: format!("pkg:{}/{name}@{version}", eco.purl_type()),
        location: Location {
            file: "lockfile".into(),
            line: 1,
        },
        hashes: Vec::new(),
        markers: None,
    }
}

/// Fail on anything, allow nothing, on a fixed day (allow-list expiry
/// must not depend on when the tests run).
pub fn policy() -> Policy {
    Policy {
        fail_on: Severity::Unknown,
        fail_on_any: false,
        allow_ids: Vec::new(),
        config: DepsConfig::default(),
        deny: Vec::new(),
        today: jiff::civil::date(2026, 1, 1),
    }
}

/// A minimal Cargo.lock reader, independent of the crate's parser: name,
/// version and the line of `name = ...` for each `[[package]]`, as
/// `Cargo.lock` packages.
pub fn cargo_lock(path: &Path) -> Vec<Package> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut out = Vec::new();
    let mut cur: Option<(String, usize)> = None;
    for (i, line) in text.lines().enumerate() {
        if let Some(n) = line.strip_prefix("name = ") {
            cur = Some((n.trim_matches('"').to_string(), i + 1));
        } else if let (Some(v), Some((n, l))) = (line.strip_prefix("version = "), cur.take()) {
            let v = v.trim_matches('"').to_string();
            out.push(Package {
                ecosystem: Ecosystem::CratesIo,
                purl: format!("pkg:cargo/{n}@{v}"),
                name: n,
                version: v,
                scope: Scope::Runtime,
                source: Source::Registry(None),
                location: Location {
                    file: "Cargo.lock".into(),
                    line: l,
                },
                hashes: Vec::new(),
                markers: None,
            });
        }
    }
    out
}
