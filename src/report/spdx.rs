//! SPDX 2.3 JSON: the same inventory as the CycloneDX writer (packages
//! keyed by purl), as an SPDX document.
//!
//! - One SPDX package per purl, with the purl as a `PACKAGE-MANAGER`
//!   external reference and the lockfile's hashes as checksums.
//! - The document DESCRIBES a root package standing for the scanned
//!   project; every package is related to it by scope (`DEPENDENCY_OF`,
//!   `DEV_DEPENDENCY_OF`, `OPTIONAL_DEPENDENCY_OF`), since most lockfiles
//!   do not say which packages are direct.
//! - Dependency edges become `DEPENDS_ON` relationships.
//! - Licences are `NOASSERTION`: lockfiles do not record them.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Value};

use super::cyclonedx::{collect, stable_uuid, Subject};
use crate::deps::model::{Lockfile, Package, Scope, Source};

const ROOT_ID: &str = "SPDXRef-RootPackage";

/// SPDX checksum algorithm names for ours; others are left out.
fn algorithm(alg: &str) -> Option<&'static str> {
    Some(match alg {
        "MD5" => "MD5",
        "SHA-1" => "SHA1",
        "SHA-256" => "SHA256",
        "SHA-384" => "SHA384",
        "SHA-512" => "SHA512",
        _ => return None,
    })
}

/// An SPDXID (`SPDXRef-[A-Za-z0-9.-]+`) readable from the package, unique
/// by a numeric suffix when two packages would sanitise alike.
fn spdx_id(p: &Package, taken: &mut BTreeSet<String>) -> String {
    let raw = format!("{}-{}-{}", p.ecosystem.purl_type(), p.name, p.version);
    let clean: String = raw
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let base = format!("SPDXRef-Package-{clean}");
    let mut id = base.clone();
    let mut n = 2;
    while !taken.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    id
}

fn download_location(s: &Source) -> String {
    match s {
        Source::Git(u) if u.starts_with("git+") => u.clone(),
        Source::Git(u) => format!("git+{u}"),
        Source::Url(u) if u.contains("://") => u.clone(),
        _ => "NOASSERTION".into(),
    }
}

fn package(p: &Package, id: &str) -> Value {
    let mut v = json!({
        "SPDXID": id,
        "name": p.name,
        "downloadLocation": download_location(&p.source),
        "filesAnalyzed": false,
        "licenseConcluded": "NOASSERTION",
        "licenseDeclared": "NOASSERTION",
        "copyrightText": "NOASSERTION",
        "primaryPackagePurpose": "LIBRARY",
        "externalRefs": [{
            "referenceCategory": "PACKAGE-MANAGER",
            "referenceType": "purl",
            "referenceLocator": p.purl,
        }],
        "sourceInfo": format!("from {}:{}", p.location.file, p.location.line),
    });
    if !p.version.is_empty() {
        v["versionInfo"] = json!(p.version);
    }
    let checksums: Vec<Value> = p
        .hashes
        .iter()
        .filter_map(|(alg, hex)| {
            algorithm(alg).map(|a| json!({"algorithm": a, "checksumValue": hex}))
        })
        .collect();
    if !checksums.is_empty() {
        v["checksums"] = Value::Array(checksums);
    }
    if let Some(m) = &p.markers {
        v["comment"] = json!(format!("installed only where `{m}` holds"));
    }
    v
}

fn relationship(from: &str, kind: &str, to: &str) -> Value {
    json!({"spdxElementId": from, "relationshipType": kind, "relatedSpdxElement": to})
}

/// The creation time: `SOURCE_DATE_EPOCH` when set (reproducible builds),
/// else now.
fn created() -> String {
    let ts = std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .and_then(|s| jiff::Timestamp::from_second(s).ok())
        .unwrap_or_else(jiff::Timestamp::now);
    ts.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// One SPDX document over the given lockfiles.
pub fn document(lockfiles: &[&Lockfile], subject: &Subject) -> Value {
    let (comps, deps) = collect(lockfiles);
    let mut taken = BTreeSet::from([ROOT_ID.to_string()]);
    let ids: BTreeMap<&str, String> = comps
        .iter()
        .map(|(purl, (p, _))| (*purl, spdx_id(p, &mut taken)))
        .collect();
    let mut packages = vec![json!({
        "SPDXID": ROOT_ID,
        "name": subject.name,
        "downloadLocation": "NOASSERTION",
        "filesAnalyzed": false,
        "primaryPackagePurpose": "APPLICATION",
    })];
    let mut relationships = vec![relationship("SPDXRef-DOCUMENT", "DESCRIBES", ROOT_ID)];
    for (purl, (p, scope)) in &comps {
        let id = &ids[purl];
        packages.push(package(p, id));
        let kind = match scope {
            Scope::Runtime | Scope::Peer => "DEPENDENCY_OF",
            Scope::Dev => "DEV_DEPENDENCY_OF",
            Scope::Optional => "OPTIONAL_DEPENDENCY_OF",
        };
        relationships.push(relationship(id, kind, ROOT_ID));
    }
    for (from, on) in &deps {
        for to in on {
            relationships.push(relationship(&ids[from], "DEPENDS_ON", &ids[to]));
        }
    }
    let refs: BTreeSet<&str> = comps.keys().copied().collect();
    let clean_name: String = subject
        .name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '.' || c == '-' {
                c
            } else {
                '-'
            }
        })
        .collect();
    let mut doc = json!({
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": subject.name,
        // Unique per inventory, stable for the same one (like the
        // CycloneDX serial number); the host is reserved, never resolved.
        "documentNamespace": format!(
            "https://guardrail.invalid/spdx/{clean_name}-{}",
            stable_uuid(&refs)
        ),
        "creationInfo": {
            "created": created(),
            "creators": [format!("Tool: guardrail-{}", env!("CARGO_PKG_VERSION"))],
        },
        "documentDescribes": [ROOT_ID],
        "packages": packages,
        "relationships": relationships,
    });
    if lockfiles.len() == 1 {
        let l = lockfiles[0];
        let fv = l
            .format_version
            .as_deref()
            .map(|v| format!(" ({v})"))
            .unwrap_or_default();
        doc["comment"] = json!(format!("Inventory of {}{fv}", l.path));
    }
    doc
}
