//! CycloneDX 1.6 JSON: one BOM per lockfile, or one for several
//! (`--merge`). Components are keyed by purl (a name@version installed at
//! several paths is one component); edges become `dependencies`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};

use crate::deps::model::{Lockfile, Package, Scope, Source};

/// What the BOM describes (`metadata.component`).
pub struct Subject<'a> {
    pub name: &'a str,
}

/// The hex length each CycloneDX hash algorithm requires; other lengths
/// would make the BOM invalid.
fn hex_len(alg: &str) -> Option<usize> {
    Some(match alg {
        "MD5" => 32,
        "SHA-1" => 40,
        "SHA-256" => 64,
        "SHA-384" => 96,
        "SHA-512" => 128,
        _ => return None,
    })
}

fn scope_rank(s: Scope) -> u8 {
    match s {
        Scope::Runtime => 0,
        Scope::Peer => 1,
        Scope::Optional => 2,
        Scope::Dev => 3,
    }
}

fn component(p: &Package, scope: Scope) -> Value {
    let mut c = Map::new();
    c.insert("type".into(), json!("library"));
    c.insert("bom-ref".into(), json!(p.purl));
    // npm scopes and Go/Composer namespaces go to `group`.
    let (group, name) = match p.name.rsplit_once('/') {
        Some((g, n)) if !matches!(p.ecosystem, crate::deps::model::Ecosystem::PyPI) => (Some(g), n),
        _ => (None, p.name.as_str()),
    };
    if let Some(g) = group {
        c.insert("group".into(), json!(g));
    }
    c.insert("name".into(), json!(name));
    if !p.version.is_empty() {
        c.insert("version".into(), json!(p.version));
    }
    c.insert(
        "scope".into(),
        json!(match scope {
            Scope::Runtime | Scope::Peer => "required",
            Scope::Optional => "optional",
            Scope::Dev => "excluded",
        }),
    );
    let hashes: Vec<Value> = p
        .hashes
        .iter()
        .filter(|(alg, hex)| hex_len(alg) == Some(hex.len()))
        .map(|(alg, hex)| json!({"alg": alg, "content": hex}))
        .collect();
    if !hashes.is_empty() {
        c.insert("hashes".into(), Value::Array(hashes));
    }
    c.insert("purl".into(), json!(p.purl));
    match &p.source {
        Source::Git(u) => {
            c.insert(
                "externalReferences".into(),
                json!([{"type": "vcs", "url": u}]),
            );
        }
        Source::Url(u) => {
            c.insert(
                "externalReferences".into(),
                json!([{"type": "distribution", "url": u}]),
            );
        }
        _ => {}
    }
    let scope_name = match scope {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
        Scope::Peer => "peer",
    };
    let mut props = vec![
        json!({"name": "guardrail:scope", "value": scope_name}),
        json!({"name": "guardrail:lockfile", "value": format!("{}:{}", p.location.file, p.location.line)}),
    ];
    if let Some(m) = &p.markers {
        props.push(json!({"name": "guardrail:markers", "value": m}));
    }
    c.insert("properties".into(), Value::Array(props));
    Value::Object(c)
}

/// A stable serial number: the same inventory gives the same BOM. The UUID
/// is name-based (SHA-256 of the component list) with v5 bits set, so it
/// matches the schema's `urn:uuid` pattern.
fn serial(refs: &BTreeSet<&str>) -> String {
    format!("urn:uuid:{}", stable_uuid(refs))
}

/// A UUID derived from a set of strings (see [`serial`]).
pub(crate) fn stable_uuid(refs: &BTreeSet<&str>) -> String {
    let mut h = Sha256::new();
    for r in refs {
        h.update(r.as_bytes());
        h.update([0]);
    }
    let mut b: [u8; 16] = h.finalize()[..16].try_into().unwrap_or([0; 16]);
    b[6] = (b[6] & 0x0f) | 0x50;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// purl -> (first package with it, strongest scope among them).
pub(crate) type Components<'a> = BTreeMap<&'a str, (&'a Package, Scope)>;
/// purl -> the purls it depends on (every component has an entry).
pub(crate) type DependsOn<'a> = BTreeMap<&'a str, BTreeSet<&'a str>>;

/// The packages of several lockfiles keyed by purl (a name@version
/// installed at several paths is one), and their edges by purl.
pub(crate) fn collect<'a>(lockfiles: &[&'a Lockfile]) -> (Components<'a>, DependsOn<'a>) {
    let mut comps: Components = BTreeMap::new();
    let mut deps: DependsOn = BTreeMap::new();
    for l in lockfiles {
        for p in &l.packages {
            let e = comps.entry(&p.purl).or_insert((p, p.scope));
            if scope_rank(p.scope) < scope_rank(e.1) {
                e.1 = p.scope;
            }
            deps.entry(&p.purl).or_default();
        }
        for e in &l.edges {
            let (Some(from), Some(to)) = (l.packages.get(e.from), l.packages.get(e.to)) else {
                continue;
            };
            if from.purl != to.purl {
                deps.entry(&from.purl).or_default().insert(&to.purl);
            }
        }
    }
    (comps, deps)
}

/// One BOM over the given lockfiles.
pub fn bom(lockfiles: &[&Lockfile], subject: &Subject) -> Value {
    let (comps, deps) = collect(lockfiles);
    let refs: BTreeSet<&str> = comps.keys().copied().collect();
    let components: Vec<Value> = comps.values().map(|(p, s)| component(p, *s)).collect();
    let dependencies: Vec<Value> = deps
        .iter()
        .map(|(r, on)| json!({"ref": r, "dependsOn": on.iter().collect::<Vec<_>>()}))
        .collect();
    let mut metadata = json!({
        "tools": {"components": [{
            "type": "application",
            "name": "guardrail",
            "version": env!("CARGO_PKG_VERSION"),
        }]},
        "component": {"type": "application", "bom-ref": "guardrail:subject", "name": subject.name},
    });
    if lockfiles.len() == 1 {
        let l = lockfiles[0];
        let mut props = vec![json!({"name": "guardrail:lockfile", "value": l.path})];
        if let Some(v) = &l.format_version {
            props.push(json!({"name": "guardrail:lockfile-format", "value": v}));
        }
        metadata["properties"] = Value::Array(props);
    }
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": serial(&refs),
        "version": 1,
        "metadata": metadata,
        "components": components,
        "dependencies": dependencies,
    })
}

pub fn to_string(bom: &Value) -> String {
    let mut s = serde_json::to_string_pretty(bom).unwrap_or_default();
    s.push('\n');
    s
}
