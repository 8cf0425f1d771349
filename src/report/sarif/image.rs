//! `guardrail image` as SARIF: one run, category
//! `guardrail/image/<repository>/` (the image name without tag, so every
//! release of an image updates the same alerts). Vulnerabilities point at
//! `<repository>/<package database or manifest path>` and the package's
//! line; their fingerprint is package + version + advisory + path. Secrets
//! reuse the secret rules and results, with the layer in the message and
//! properties.

use std::collections::BTreeMap;

use serde_json::{json, Value};
use serde_sarif::sarif::Region;

use super::deps::{advisory_rule_doc, level as vuln_level};
use super::secrets::{secret_result, secret_rule_doc};
use super::{file_location, log, result, rule_descriptor, run, ResultDoc};
use crate::finding::Finding;
use crate::report::image::{ImageReport, ImageSecret, ImageVuln};
use crate::report::{ScanKind, SecretsReport};
use crate::rules::RuleSet;
use crate::source::ScanStats;

pub const VULN_FINGERPRINT_KEY: &str = "guardrailImagePackage/v1";

/// The path a result points at: the image's repository, then the path in it.
fn image_path(r: &ImageReport<'_>, path: &str) -> String {
    format!(
        "{}/{}",
        r.repository.trim_matches('/'),
        path.trim_start_matches('/')
    )
}

pub fn image_sarif(r: &ImageReport<'_>, rules: &RuleSet) -> Value {
    let mut descriptors = Vec::new();
    let mut index: BTreeMap<String, usize> = BTreeMap::new();
    let mut results = Vec::new();
    // Vulnerabilities: one rule per advisory.
    for v in r.vulns {
        let id = v.finding.vuln.id.to_string();
        if !index.contains_key(&id) {
            index.insert(id.clone(), descriptors.len());
            descriptors.push(rule_descriptor(advisory_rule_doc(&v.finding)));
        }
        results.push(vuln_result(r, v, index[&id]));
    }
    // Secrets: the secret writer's rules and results, paths inside the image.
    let shown: Vec<&ImageSecret> = r.shown_secrets().collect();
    let findings: Vec<Finding> = shown
        .iter()
        .map(|s| {
            let mut f = s.finding.clone();
            f.path = image_path(r, &f.path);
            f
        })
        .collect();
    let stats = ScanStats::default();
    let sr = SecretsReport {
        findings: &findings,
        stats: &stats,
        rules,
        kind: ScanKind::Directory,
        redact: r.redact,
        include_suppressed: r.include_suppressed,
    };
    for (f, s) in findings.iter().zip(&shown) {
        if !index.contains_key(&f.rule_id) {
            index.insert(f.rule_id.clone(), descriptors.len());
            descriptors.push(rule_descriptor(secret_rule_doc(&sr, f)));
        }
        let mut res = secret_result(&sr, f, index[&f.rule_id]);
        let label = r.layer_label(s.layer);
        let text = res.message.text.clone().unwrap_or_default();
        res.message.text = Some(format!(
            "{text}, in {label} of image {}{}",
            r.name,
            if s.in_final || s.layer.is_none() {
                ""
            } else {
                " (a later layer deletes the file; the layer still holds it)"
            }
        ));
        if let Some(p) = res.properties.as_mut() {
            p.additional_properties
                .insert("layer".into(), json!(s.layer.map(|l| l + 1)));
            p.additional_properties.insert(
                "layer_digest".into(),
                json!(s
                    .layer
                    .and_then(|l| r.layers.get(l))
                    .map(|l| l.digest.as_str())),
            );
            p.additional_properties.insert(
                "created_by".into(),
                json!(s
                    .layer
                    .and_then(|l| r.layers.get(l))
                    .and_then(|l| l.created_by.as_deref())),
            );
            p.additional_properties
                .insert("in_final_filesystem".into(), json!(s.in_final));
            p.additional_properties
                .insert("image".into(), json!(r.name));
        }
        results.push(res);
    }
    let category = format!("guardrail/image/{}/", r.repository);
    log(vec![run(descriptors, results, &category)])
}

/// Stable across runs and rebuilds: installed package, version,
/// advisory and the path of the file that lists it.
pub fn vuln_fingerprint(v: &ImageVuln, r: &ImageReport<'_>) -> String {
    let p = &r.packages[v.package];
    let mut h = crate::util::sha256_hex(&[
        p.package.ecosystem.osv_name().as_bytes(),
        p.name.as_bytes(),
        p.version.as_bytes(),
        v.finding.vuln.id.as_bytes(),
        p.package.location.file.as_bytes(),
    ]);
    h.truncate(32);
    h
}

fn vuln_result(
    r: &ImageReport<'_>,
    v: &ImageVuln,
    rule_index: usize,
) -> serde_sarif::sarif::Result {
    let p = &r.packages[v.package];
    let f = &v.finding;
    let fix = if f.vuln.fixed.is_empty() {
        "no fixed version known".to_string()
    } else {
        format!("fixed in {}", f.vuln.fixed.join(" or "))
    };
    let src = p
        .source_package
        .as_deref()
        .map(|s| format!(" (source package {s})"))
        .unwrap_or_default();
    let mut message = format!(
        "{} {}{} in image {} is affected by {}: {}; {}. Added in {}.",
        p.name,
        p.version,
        src,
        r.name,
        f.vuln.ids.join(", "),
        f.vuln.summary,
        fix,
        r.layer_label(Some(p.layer))
    );
    if let Some(a) = &f.allowed {
        message.push_str(&format!(" (allowed: {a})"));
    }
    let region = Region::builder()
        .start_line(p.package.location.line.max(1) as i64)
        .build();
    let layer = r.layers.get(p.layer);
    let properties = BTreeMap::from([
        ("package".to_string(), json!(p.name)),
        ("version".to_string(), json!(p.version)),
        ("source_package".to_string(), json!(p.source_package)),
        (
            "ecosystem".to_string(),
            json!(p.package.ecosystem.osv_name()),
        ),
        ("purl".to_string(), json!(p.package.purl)),
        ("fixed".to_string(), json!(f.vuln.fixed)),
        ("image".to_string(), json!(r.name)),
        ("layer".to_string(), json!(p.layer + 1)),
        (
            "layer_digest".to_string(),
            json!(layer.map(|l| l.digest.as_str())),
        ),
        (
            "created_by".to_string(),
            json!(layer.and_then(|l| l.created_by.as_deref())),
        ),
    ]);
    let mut out = result(ResultDoc {
        rule_id: f.vuln.id.to_string(),
        rule_index,
        level: vuln_level(f),
        message,
        location: file_location(&image_path(r, &p.package.location.file), Some(region)),
        fingerprint_key: VULN_FINGERPRINT_KEY,
        fingerprint: vuln_fingerprint(v, r),
        properties,
    });
    out.suppressions = f
        .allowed
        .as_ref()
        .map(|why| vec![super::suppression("external", why.clone())]);
    let _ = Value::Null;
    out
}
