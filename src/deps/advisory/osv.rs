//! OSV records (JSON, or YAML as the PyPA database keeps them). Third-party
//! format: unknown keys are tolerated.

use serde::Deserialize;

use super::{ecosystem_from_osv, normalize_name, severity, Advisory, Affected, Event, Kind, Range};

#[derive(Debug, Deserialize)]
struct Record {
    id: String,
    #[serde(default)]
    aliases: Vec<String>,
    #[serde(default)]
    summary: Option<String>,
    #[serde(default)]
    details: Option<String>,
    #[serde(default)]
    withdrawn: Option<serde_json::Value>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    modified: Option<String>,
    #[serde(default)]
    severity: Vec<SeverityEntry>,
    #[serde(default)]
    affected: Vec<RawAffected>,
    #[serde(default)]
    references: Vec<Reference>,
    #[serde(default)]
    database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
struct SeverityEntry {
    #[serde(rename = "type")]
    kind: String,
    score: String,
}

#[derive(Debug, Deserialize)]
struct Reference {
    #[serde(rename = "type")]
    kind: String,
    url: String,
}

#[derive(Debug, Deserialize)]
struct RawAffected {
    #[serde(default)]
    package: Option<RawPackage>,
    #[serde(default)]
    ranges: Vec<RawRange>,
    #[serde(default)]
    versions: Vec<String>,
    #[serde(default)]
    severity: Vec<SeverityEntry>,
}

#[derive(Debug, Deserialize)]
struct RawPackage {
    ecosystem: String,
    name: String,
}

#[derive(Debug, Deserialize)]
struct RawRange {
    #[serde(rename = "type")]
    kind: String,
    #[serde(default)]
    events: Vec<RawEvent>,
}

#[derive(Debug, Deserialize)]
struct RawEvent {
    #[serde(default)]
    introduced: Option<String>,
    #[serde(default)]
    fixed: Option<String>,
    #[serde(default)]
    last_affected: Option<String>,
    #[serde(default)]
    limit: Option<String>,
}

/// Parse one OSV JSON record. `Ok(None)`: withdrawn, or nothing in an
/// ecosystem we read.
pub fn parse_json(bytes: &[u8], origin: &str) -> Result<Option<Advisory>, String> {
    let rec: Record = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(convert(rec, origin))
}

/// Parse one OSV YAML record (PyPA layout).
pub fn parse_yaml(bytes: &[u8], origin: &str) -> Result<Option<Advisory>, String> {
    let rec: Record = serde_yaml_ng::from_slice(bytes).map_err(|e| e.to_string())?;
    Ok(convert(rec, origin))
}

fn convert(rec: Record, origin: &str) -> Option<Advisory> {
    if rec.withdrawn.as_ref().is_some_and(|w| !w.is_null()) {
        return None;
    }
    let mut vectors: Vec<String> = Vec::new();
    let mut push_sev = |s: &[SeverityEntry]| {
        for e in s {
            if e.kind.starts_with("CVSS_V3") || e.kind.starts_with("CVSS_V4") {
                vectors.push(e.score.clone());
            }
        }
    };
    push_sev(&rec.severity);
    let mut affected = Vec::new();
    for a in &rec.affected {
        push_sev(&a.severity);
        let Some(pkg) = &a.package else { continue };
        let Some(eco) = ecosystem_from_osv(&pkg.ecosystem) else {
            continue;
        };
        let ranges = a
            .ranges
            .iter()
            .filter(|r| r.kind == "SEMVER" || r.kind == "ECOSYSTEM")
            .map(|r| Range::Osv {
                semver: r.kind == "SEMVER",
                events: r.events.iter().filter_map(event).collect(),
            })
            .collect();
        affected.push(Affected {
            ecosystem: eco,
            name: normalize_name(eco, &pkg.name),
            ranges,
            versions: a.versions.clone(),
        });
    }
    if affected.is_empty() {
        return None;
    }
    let word = rec
        .database_specific
        .as_ref()
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str());
    let (sev, score, vector) = severity::resolve(&vectors, word);
    let url = rec
        .references
        .iter()
        .find(|r| r.kind == "ADVISORY")
        .map(|r| r.url.clone())
        .unwrap_or_else(|| default_url(&rec.id));
    Some(Advisory {
        summary: rec
            .summary
            .clone()
            .filter(|s| !s.trim().is_empty())
            .unwrap_or_else(|| first_sentence(rec.details.as_deref().unwrap_or(""))),
        details: rec.details.unwrap_or_default(),
        id: rec.id,
        aliases: rec.aliases,
        severity: sev,
        cvss_score: score,
        cvss_vector: vector,
        kind: Kind::Vulnerability,
        url,
        published: rec.published,
        modified: rec.modified,
        affected,
        origin: origin.to_string(),
    })
}

fn event(e: &RawEvent) -> Option<Event> {
    if let Some(v) = &e.introduced {
        Some(Event::Introduced(v.clone()))
    } else if let Some(v) = &e.fixed {
        Some(Event::Fixed(v.clone()))
    } else if let Some(v) = &e.last_affected {
        Some(Event::LastAffected(v.clone()))
    } else {
        e.limit.as_ref().map(|v| Event::Limit(v.clone()))
    }
}

/// A page about the advisory when the record names none.
pub fn default_url(id: &str) -> String {
    if id.starts_with("GHSA-") {
        format!("https://github.com/advisories/{id}")
    } else if id.starts_with("RUSTSEC-") {
        format!("https://rustsec.org/advisories/{id}.html")
    } else {
        format!("https://osv.dev/vulnerability/{id}")
    }
}

pub(crate) fn first_sentence(text: &str) -> String {
    let line = text
        .lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim();
    let end = line.find(". ").map(|i| i + 1).unwrap_or(line.len());
    let s = &line[..end];
    if s.chars().count() > 160 {
        let cut: String = s.chars().take(157).collect();
        format!("{cut}...")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn withdrawn_is_skipped_and_foreign_ecosystems_dropped() {
        let j = br#"{"id":"X-1","withdrawn":"2024-01-01T00:00:00Z","affected":[{"package":{"ecosystem":"npm","name":"a"}}]}"#;
        assert_eq!(parse_json(j, "x").unwrap(), None);
        let j = br#"{"id":"X-2","affected":[{"package":{"ecosystem":"Maven","name":"a:b"}}]}"#;
        assert_eq!(parse_json(j, "x").unwrap(), None);
    }

    #[test]
    fn ghsa_word_severity_and_summary() {
        let j = br#"{"id":"GHSA-aaaa-bbbb-cccc","summary":"Bad","aliases":["CVE-1"],
            "affected":[{"package":{"ecosystem":"PyPI","name":"Foo_Bar"},
            "ranges":[{"type":"ECOSYSTEM","events":[{"introduced":"0"},{"fixed":"1.2"}]},{"type":"GIT","events":[{"introduced":"abc"}]}]}],
            "database_specific":{"severity":"HIGH"},"newkey":1}"#;
        let a = parse_json(j, "x").unwrap().unwrap();
        assert_eq!(a.severity, super::super::Severity::High);
        assert_eq!(a.affected[0].name, "foo-bar");
        assert_eq!(
            a.affected[0].ranges.len(),
            1,
            "GIT ranges are not version ranges"
        );
        assert_eq!(a.affected[0].fixed_versions(), vec!["1.2".to_string()]);
        assert_eq!(a.url, "https://github.com/advisories/GHSA-aaaa-bbbb-cccc");
    }
}
