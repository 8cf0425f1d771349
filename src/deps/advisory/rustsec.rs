//! RustSec advisory-db: `crates/NAME/RUSTSEC-YYYY-NNNN.md`, TOML front
//! matter in a ```` ```toml ```` fence, then a markdown body whose first
//! heading is the title. Third-party format: unknown keys are tolerated.

use serde::Deserialize;

use super::{osv, severity, Advisory, Affected, Kind, Range};
use crate::deps::model::Ecosystem;

#[derive(Debug, Deserialize)]
struct Front {
    advisory: Meta,
    #[serde(default)]
    versions: Versions,
}

#[derive(Debug, Deserialize)]
struct Meta {
    id: String,
    package: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    cvss: Option<String>,
    #[serde(default)]
    date: Option<String>,
    #[serde(default)]
    informational: Option<String>,
    #[serde(default)]
    withdrawn: Option<toml::Value>,
}

#[derive(Debug, Default, Deserialize)]
struct Versions {
    #[serde(default)]
    patched: Vec<String>,
    #[serde(default)]
    unaffected: Vec<String>,
}

/// Parse one RustSec advisory. `Ok(None)` when withdrawn.
pub fn parse(text: &str, origin: &str) -> Result<Option<Advisory>, String> {
    let body = text.trim_start_matches('\u{feff}').trim_start();
    let rest = body
        .strip_prefix("```toml")
        .ok_or("no ```toml front matter")?;
    let end = rest
        .find("\n```")
        .ok_or("unterminated ```toml front matter")?;
    let front: Front =
        toml::from_str(&rest[..end]).map_err(|e| crate::util::toml_error_line(&rest[..end], &e))?;
    let markdown = rest[end + 4..].trim_start_matches('`').trim();
    if front.advisory.withdrawn.is_some() {
        return Ok(None);
    }
    for req in front
        .versions
        .patched
        .iter()
        .chain(&front.versions.unaffected)
    {
        semver::VersionReq::parse(req).map_err(|e| format!("version requirement {req:?}: {e}"))?;
    }
    let (title, details) = split_title(markdown);
    let m = front.advisory;
    let vectors: Vec<String> = m.cvss.into_iter().collect();
    let (sev, score, vector) = severity::resolve(&vectors, None);
    let kind = match m.informational.as_deref() {
        None | Some("") => Kind::Vulnerability,
        Some(k) => Kind::Informational(k.to_string()),
    };
    Ok(Some(Advisory {
        url: osv::default_url(&m.id),
        id: m.id,
        aliases: m.aliases,
        summary: title,
        details,
        severity: sev,
        cvss_score: score,
        cvss_vector: vector,
        kind,
        published: m.date.clone(),
        modified: m.date,
        affected: vec![Affected {
            ecosystem: Ecosystem::CratesIo,
            name: m.package,
            ranges: vec![Range::Requirements {
                patched: front.versions.patched,
                unaffected: front.versions.unaffected,
            }],
            versions: Vec::new(),
        }],
        origin: origin.to_string(),
    }))
}

fn split_title(md: &str) -> (String, String) {
    let mut lines = md.lines();
    for line in lines.by_ref() {
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if let Some(t) = l.strip_prefix('#') {
            let rest: Vec<&str> = lines.collect();
            return (
                t.trim_start_matches('#').trim().to_string(),
                rest.join("\n").trim().to_string(),
            );
        }
        return (osv::first_sentence(md), md.to_string());
    }
    (String::new(), String::new())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "```toml\n[advisory]\nid = \"RUSTSEC-2099-0001\"\npackage = \"demo\"\ndate = \"2099-01-01\"\ninformational = \"unmaintained\"\nnew_key = 1\n[versions]\npatched = [\">= 1.2.0\"]\nunaffected = [\"< 0.5\"]\n```\n\n# Demo is gone\n\nLonger text.\n";

    #[test]
    fn parses_front_matter_and_title() {
        let a = parse(SAMPLE, "crates/demo/x.md").unwrap().unwrap();
        assert_eq!(a.id, "RUSTSEC-2099-0001");
        assert_eq!(a.summary, "Demo is gone");
        assert_eq!(a.details, "Longer text.");
        assert_eq!(a.kind, Kind::Informational("unmaintained".into()));
        assert_eq!(a.affected[0].fixed_versions(), vec![">= 1.2.0".to_string()]);
    }

    #[test]
    fn withdrawn_and_broken() {
        let w = SAMPLE.replace("new_key = 1", "withdrawn = \"2099-02-02\"");
        assert_eq!(parse(&w, "x").unwrap(), None);
        assert!(parse("# no front matter", "x").is_err());
        let bad = SAMPLE.replace(">= 1.2.0", ">= one");
        assert!(parse(&bad, "x").unwrap_err().contains(">= one"));
    }
}
