//! `guardrail image` reports: text grouped by severity, JSON, markdown for
//! a job summary, and the CycloneDX SBOM of the final filesystem. SARIF is
//! [`crate::report::sarif::image_sarif`].

use std::collections::BTreeSet;

use serde_json::{json, Value};

use crate::deps::advisory::Severity;
use crate::deps::image::{Installed, OsInfo};
use crate::deps::review::Finding as VulnFinding;
use crate::finding::Finding;
use crate::report::redact;

/// One layer as reports show it.
#[derive(Debug, Clone)]
pub struct LayerInfo {
    pub digest: String,
    pub created_by: Option<String>,
}

/// A vulnerability in one installed package.
#[derive(Debug, Clone)]
pub struct ImageVuln {
    pub finding: VulnFinding,
    /// Index into [`ImageReport::packages`].
    pub package: usize,
}

/// A secret in a layer (or in the config, `layer: None`).
#[derive(Debug, Clone)]
pub struct ImageSecret {
    pub finding: Finding,
    /// The first layer holding it.
    pub layer: Option<usize>,
    /// Every layer that holds it.
    pub layers: Vec<usize>,
    /// Whether the final filesystem still has it (false: a later layer
    /// deleted or replaced the file, yet the layer still ships it).
    pub in_final: bool,
}

pub struct ImageReport<'a> {
    pub name: &'a str,
    /// Name without tag or digest: the SARIF category.
    pub repository: &'a str,
    pub format: &'a str,
    pub config_digest: &'a str,
    pub layers: &'a [LayerInfo],
    pub os: Option<&'a OsInfo>,
    pub packages: &'a [Installed],
    pub vulns: &'a [ImageVuln],
    pub secrets: &'a [ImageSecret],
    /// Packages that could not be checked, one line each.
    pub unmatched: &'a [String],
    pub warnings: &'a [String],
    pub redact: bool,
    pub include_suppressed: bool,
    pub failed: bool,
}

impl ImageReport<'_> {
    pub fn shown_secrets(&self) -> impl Iterator<Item = &ImageSecret> {
        self.secrets
            .iter()
            .filter(|s| self.include_suppressed || !s.finding.is_suppressed())
    }

    pub fn secret_text(&self, f: &Finding) -> String {
        if self.redact {
            redact::redact(&f.secret)
        } else {
            f.secret.clone()
        }
    }

    pub fn layer_label(&self, l: Option<usize>) -> String {
        match l {
            None => "image config".to_string(),
            Some(i) => {
                let d = self.layers.get(i).map_or("", |x| x.digest.as_str());
                let short = d.strip_prefix("sha256:").unwrap_or(d);
                format!("layer {} ({})", i + 1, &short[..short.len().min(12)])
            }
        }
    }

    fn created_by(&self, l: Option<usize>) -> Option<&str> {
        l.and_then(|i| self.layers.get(i))
            .and_then(|x| x.created_by.as_deref())
    }
}

/// Secret rule severities on the advisory scale, so one `--fail-on` and
/// one grouping serve both.
pub fn secret_severity(f: &Finding) -> Severity {
    use crate::rules::Severity as S;
    match f.severity {
        S::Critical => Severity::Critical,
        S::High => Severity::High,
        S::Medium => Severity::Medium,
        S::Low | S::Info => Severity::Low,
    }
}

fn short_cmd(s: &str) -> String {
    let one = s.split_whitespace().collect::<Vec<_>>().join(" ");
    let one = one.strip_prefix("/bin/sh -c ").unwrap_or(&one).to_string();
    if one.chars().count() > 100 {
        let cut: String = one.chars().take(97).collect();
        format!("{cut}...")
    } else {
        one
    }
}

const ORDER: [Severity; 5] = [
    Severity::Critical,
    Severity::High,
    Severity::Medium,
    Severity::Low,
    Severity::Unknown,
];

/// Text for a terminal, grouped by severity.
pub fn to_text(r: &ImageReport<'_>) -> String {
    let mut out = format!(
        "{} ({}, {} layer(s){}, {} package(s))\n",
        r.name,
        r.format,
        r.layers.len(),
        r.os.map(|o| format!(", {} [{}]", o.release.pretty_name, o.ecosystem))
            .unwrap_or_default(),
        r.packages.len()
    );
    let secrets: Vec<&ImageSecret> = r.shown_secrets().collect();
    for sev in ORDER {
        let vulns: Vec<&ImageVuln> = r
            .vulns
            .iter()
            .filter(|v| v.finding.vuln.severity == sev)
            .collect();
        let secs: Vec<&&ImageSecret> = secrets
            .iter()
            .filter(|s| secret_severity(&s.finding) == sev)
            .collect();
        if vulns.is_empty() && secs.is_empty() {
            continue;
        }
        out.push_str(&format!(
            "\n{} ({})\n",
            sev.as_str().to_uppercase(),
            vulns.len() + secs.len()
        ));
        for v in vulns {
            let p = &r.packages[v.package];
            let f = &v.finding;
            let fix = if f.vuln.fixed.is_empty() {
                "no fix known".to_string()
            } else {
                format!("fixed in {}", f.vuln.fixed.join(", "))
            };
            let src = p
                .source_package
                .as_deref()
                .map(|s| format!(" (source {s})"))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {}{}  {} {}{}  {}  {}  {}:{}\n",
                if f.failing { "FAIL " } else { "" },
                f.vuln.ids.join("/"),
                p.name,
                p.version,
                src,
                fix,
                r.layer_label(Some(p.layer)),
                p.package.location.file,
                p.package.location.line
            ));
            if !f.vuln.summary.is_empty() {
                out.push_str(&format!("      {}\n", f.vuln.summary));
            }
            if let Some(a) = &f.allowed {
                out.push_str(&format!("      allowed: {a}\n"));
            }
        }
        for s in secs {
            let f = &s.finding;
            out.push_str(&format!(
                "  secret {}  {}:{}  {}  {}{}\n",
                f.rule_id,
                f.path,
                f.line,
                r.secret_text(f),
                r.layer_label(s.layer),
                if s.in_final || s.layer.is_none() {
                    ""
                } else {
                    "  (deleted from the final filesystem, still in the layer)"
                }
            ));
            if let Some(c) = r.created_by(s.layer) {
                out.push_str(&format!("      added by: {}\n", short_cmd(c)));
            }
            if let Some(k) = f.suppressed {
                out.push_str(&format!("      suppressed: {k:?}\n"));
            }
        }
    }
    for u in r.unmatched {
        out.push_str(&format!("not checked: {u}\n"));
    }
    out.push_str(&format!(
        "\n{} vulnerabilit{}, {} secret(s); {}\n",
        r.vulns.len(),
        if r.vulns.len() == 1 { "y" } else { "ies" },
        secrets
            .iter()
            .filter(|s| !s.finding.is_suppressed())
            .count(),
        if r.failed { "failed" } else { "passed" }
    ));
    out
}

fn layers_json(r: &ImageReport<'_>) -> Value {
    Value::Array(
        r.layers
            .iter()
            .enumerate()
            .map(|(i, l)| json!({"index": i + 1, "digest": l.digest, "created_by": l.created_by}))
            .collect(),
    )
}

/// Stable JSON (`version: 1`): `{image{name, format, config_digest,
/// layers[{index, digest, created_by}], os}, failed, counts, vulnerabilities[],
/// secrets[], packages (count), unmatched[], warnings[]}`. A vulnerability
/// is the `deps audit` finding plus `installed{name, version,
/// source_package, kind, layer, path, line}`; a secret is the `secrets`
/// finding plus `layer`, `layer_digest`, `created_by`, `in_final_filesystem`.
pub fn to_json(r: &ImageReport<'_>) -> Value {
    let vulns: Vec<Value> = r
        .vulns
        .iter()
        .map(|v| {
            let p = &r.packages[v.package];
            let mut j = serde_json::to_value(&v.finding).unwrap_or(Value::Null);
            j["installed"] = json!({
                "name": p.name, "version": p.version, "source_package": p.source_package,
                "kind": p.kind, "layer": p.layer + 1,
                "layer_digest": r.layers.get(p.layer).map(|l| l.digest.as_str()),
                "path": p.package.location.file, "line": p.package.location.line,
                "purl": p.package.purl,
            });
            j
        })
        .collect();
    let secrets: Vec<Value> = r
        .shown_secrets()
        .map(|s| {
            let mut j = serde_json::to_value(&s.finding).unwrap_or(Value::Null);
            j["secret"] = json!(r.secret_text(&s.finding));
            j["layer"] = json!(s.layer.map(|l| l + 1));
            j["layers"] = json!(s.layers.iter().map(|l| l + 1).collect::<Vec<_>>());
            j["layer_digest"] = json!(s
                .layer
                .and_then(|l| r.layers.get(l))
                .map(|l| l.digest.as_str()));
            j["created_by"] = json!(r.created_by(s.layer));
            j["in_final_filesystem"] = json!(s.in_final);
            j
        })
        .collect();
    json!({
        "version": 1,
        "image": {
            "name": r.name, "format": r.format, "config_digest": r.config_digest,
            "layers": layers_json(r), "os": r.os,
        },
        "failed": r.failed,
        "counts": {
            "vulnerabilities": r.vulns.len(),
            "secrets": secrets.len(),
            "packages": r.packages.len(),
            "unmatched": r.unmatched.len(),
        },
        "vulnerabilities": vulns,
        "secrets": secrets,
        "unmatched": r.unmatched,
        "warnings": r.warnings,
    })
}

fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Markdown for `$GITHUB_STEP_SUMMARY`.
pub fn to_markdown(r: &ImageReport<'_>) -> String {
    let secrets: Vec<&ImageSecret> = r.shown_secrets().collect();
    let mut out = format!("## Image scan: `{}`\n\n", cell(r.name));
    if let Some(o) = r.os {
        out.push_str(&format!(
            "{} (`{}`), ",
            cell(&o.release.pretty_name),
            o.ecosystem
        ));
    }
    out.push_str(&format!(
        "{} layer(s), {} package(s): **{}** vulnerabilit{}, **{}** secret(s).{}\n\n",
        r.layers.len(),
        r.packages.len(),
        r.vulns.len(),
        if r.vulns.len() == 1 { "y" } else { "ies" },
        secrets.len(),
        if r.failed {
            " Result: **failed** (❌ marks what fails the gate)."
        } else {
            " Result: passed."
        }
    ));
    out.push_str(&format!("### Vulnerabilities ({})\n\n", r.vulns.len()));
    if r.vulns.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| severity | advisory | package | installed | fixed in | layer |\n|---|---|---|---|---|---|\n");
        let mut rows: Vec<&ImageVuln> = r.vulns.iter().collect();
        rows.sort_by_key(|v| std::cmp::Reverse(v.finding.vuln.severity));
        for v in rows {
            let p = &r.packages[v.package];
            let f = &v.finding;
            let id = if f.vuln.url.is_empty() {
                format!("`{}`", cell(&f.vuln.id))
            } else {
                format!("[{}]({})", cell(&f.vuln.id), f.vuln.url)
            };
            out.push_str(&format!(
                "| {}{} | {} | `{}` | {} | {} | {} |\n",
                if f.failing { "❌ " } else { "" },
                f.vuln.severity.as_str(),
                id,
                cell(&p.name),
                cell(&p.version),
                if f.vuln.fixed.is_empty() {
                    "none".to_string()
                } else {
                    cell(&f.vuln.fixed.join(", "))
                },
                r.layer_label(Some(p.layer))
            ));
        }
        out.push('\n');
    }
    out.push_str(&format!("### Secrets ({})\n\n", secrets.len()));
    if secrets.is_empty() {
        out.push_str("None.\n\n");
    } else {
        out.push_str("| severity | rule | where | layer | added by | in final filesystem |\n|---|---|---|---|---|---|\n");
        for s in &secrets {
            let f = &s.finding;
            out.push_str(&format!(
                "| {} | `{}` | `{}:{}` | {} | {} | {} |\n",
                f.severity.as_str(),
                cell(&f.rule_id),
                cell(&f.path),
                f.line,
                r.layer_label(s.layer),
                r.created_by(s.layer)
                    .map(|c| format!("`{}`", cell(&short_cmd(c))))
                    .unwrap_or_default(),
                if s.layer.is_none() || s.in_final {
                    "yes"
                } else {
                    "no (deleted later; still in the layer)"
                }
            ));
        }
        out.push('\n');
    }
    if !r.unmatched.is_empty() {
        out.push_str(&format!(
            "### Not checked ({})\n\nThese could not be matched and are **not** known to be safe:\n\n",
            r.unmatched.len()
        ));
        for u in r.unmatched.iter().take(50) {
            out.push_str(&format!("- {}\n", cell(u)));
        }
        out.push('\n');
    }
    out
}

/// CycloneDX 1.6 of everything installed in the final filesystem.
pub fn sbom(r: &ImageReport<'_>) -> Value {
    let mut seen = BTreeSet::new();
    let mut components = Vec::new();
    for p in r.packages {
        let purl = p.package.purl.as_str();
        if !seen.insert(purl) {
            continue;
        }
        let mut props = vec![
            json!({"name": "guardrail:package-type", "value": p.kind.as_str()}),
            json!({"name": "guardrail:path", "value": p.package.location.file}),
            json!({"name": "guardrail:layer", "value": (p.layer + 1).to_string()}),
        ];
        if let Some(d) = r.layers.get(p.layer) {
            props.push(json!({"name": "guardrail:layer-digest", "value": d.digest}));
        }
        if let Some(s) = &p.source_package {
            props.push(json!({"name": "guardrail:source-package", "value": s}));
        }
        let mut c = json!({
            "type": "library",
            "bom-ref": purl,
            "name": p.name,
            "version": p.version,
            "purl": purl,
            "properties": props,
        });
        if let Some(l) = &p.license {
            c["licenses"] = json!([{"expression": l}]);
        }
        components.push(c);
    }
    if let Some(o) = r.os {
        components.push(json!({
            "type": "operating-system",
            "bom-ref": format!("guardrail:os:{}", o.ecosystem),
            "name": o.release.id,
            "version": o.release.version_id.clone().unwrap_or_default(),
            "description": o.release.pretty_name,
        }));
    }
    let refs: BTreeSet<&str> = seen
        .iter()
        .copied()
        .chain(std::iter::once(r.config_digest))
        .collect();
    json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": format!("urn:uuid:{}", crate::report::cyclonedx::stable_uuid(&refs)),
        "version": 1,
        "metadata": {
            "tools": {"components": [{"type": "application", "name": "guardrail", "version": env!("CARGO_PKG_VERSION")}]},
            "component": {
                "type": "container",
                "bom-ref": "guardrail:image",
                "name": r.name,
                "version": r.config_digest,
            },
        },
        "components": components,
        "dependencies": [{"ref": "guardrail:image", "dependsOn": seen.iter().collect::<Vec<_>>()}],
    })
}
