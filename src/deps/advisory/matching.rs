//! Which advisories affect a package version, per the OSV schema's
//! evaluation rules, and the merge of aliases into one finding.

use std::cmp::Ordering;
use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;
use serde::Serialize;

use super::{Advisory, Database, Event, Range, Severity};
use crate::deps::model::{Ecosystem, Package};
use crate::deps::version;

/// One flaw (all its ids merged) in one package.
///
/// The advisory's text is shared (`Arc`): review hands one match to both
/// sides of a diff and to every package pinning that version, and copying
/// `details` for each was a large share of review time.
#[derive(Debug, Clone, Serialize)]
pub struct Vulnerability {
    pub package: Package,
    /// The id reported first (RUSTSEC, GHSA, PYSEC, ... before CVE).
    pub id: Arc<str>,
    /// Every id and alias of the merged advisories, `id` first.
    pub ids: Arc<[String]>,
    pub summary: Arc<str>,
    pub details: Arc<str>,
    pub severity: Severity,
    pub cvss_score: Option<f64>,
    pub cvss_vector: Option<Arc<str>>,
    /// `vulnerability`, or an informational kind (`unmaintained`, `unsound`...).
    pub kind: Arc<str>,
    pub informational: bool,
    /// Versions (or requirements) that fix it.
    pub fixed: Arc<[String]>,
    pub url: Arc<str>,
}

/// A package we could not decide about: never silently safe.
#[derive(Debug, Clone, Serialize)]
pub struct Unmatched {
    pub package: Package,
    pub reason: String,
}

#[derive(Debug, Default, Clone, Serialize)]
pub struct MatchResult {
    pub vulnerabilities: Vec<Vulnerability>,
    pub unmatched: Vec<Unmatched>,
}

/// Versions parsed once per package name and reused across every advisory
/// of that package: advisories of one package repeat the same `versions`
/// lists and event versions, and parsing (PEP 440 especially) was most of
/// the matching time. Errors are kept as their message, which is all a
/// caller reports.
#[derive(Default)]
struct Versions<'a> {
    parsed: HashMap<(bool, &'a str), Result<version::Parsed, String>>,
}

impl<'a> Versions<'a> {
    /// Parse `v` (SemVer 2 when `semver`, else the ecosystem's order) unless
    /// it already was.
    fn prime(&mut self, eco: Ecosystem, semver: bool, v: &'a str) {
        let semver = as_semver(eco, semver);
        self.parsed.entry((semver, v)).or_insert_with(|| {
            if semver {
                version::parse_semver(eco, v)
            } else {
                version::parse(eco, v)
            }
            .map_err(|e| e.to_string())
        });
    }

    /// A primed version.
    fn get(&self, eco: Ecosystem, semver: bool, v: &'a str) -> Result<&version::Parsed, String> {
        match self.parsed.get(&(as_semver(eco, semver), v)) {
            Some(Ok(p)) => Ok(p),
            Some(Err(e)) => Err(e.clone()),
            None => Err(format!("version {v:?} was not parsed")),
        }
    }

    fn parse(
        &mut self,
        eco: Ecosystem,
        semver: bool,
        v: &'a str,
    ) -> Result<&version::Parsed, String> {
        self.prime(eco, semver, v);
        self.get(eco, semver, v)
    }
}

/// Ecosystems whose own order is SemVer 2 parse the same either way: one
/// cache entry serves both kinds of range.
fn as_semver(eco: Ecosystem, semver: bool) -> bool {
    semver || matches!(eco, Ecosystem::Npm | Ecosystem::CratesIo | Ecosystem::Go)
}

/// Is `v` inside one OSV range? `semver` picks SemVer 2 ordering over the
/// ecosystem's own (OSV `SEMVER` vs `ECOSYSTEM` ranges).
pub fn range_affects(
    eco: Ecosystem,
    semver: bool,
    events: &[Event],
    v: &str,
) -> Result<bool, String> {
    range_affects_in(&mut Versions::default(), eco, semver, events, v)
}

fn range_affects_in<'a>(
    cache: &mut Versions<'a>,
    eco: Ecosystem,
    semver: bool,
    events: &'a [Event],
    v: &'a str,
) -> Result<bool, String> {
    cache.prime(eco, semver, v);
    for e in events {
        match e {
            Event::Introduced(x) if x == "0" => {}
            Event::Limit(x) if x == "*" => {}
            Event::Introduced(x) | Event::Fixed(x) | Event::LastAffected(x) | Event::Limit(x) => {
                cache.prime(eco, semver, x)
            }
        }
    }
    let cache = &*cache;
    let v = cache.get(eco, semver, v)?;
    // Every event version, parsed; `None` is `introduced: "0"`.
    let mut evs: Vec<(&Event, Option<&version::Parsed>)> = Vec::with_capacity(events.len());
    let mut limits: Vec<&version::Parsed> = Vec::new();
    for e in events {
        match e {
            Event::Introduced(x) if x == "0" => evs.push((e, None)),
            Event::Limit(x) if x == "*" => {}
            Event::Limit(x) => limits.push(cache.get(eco, semver, x)?),
            Event::Introduced(x) | Event::Fixed(x) | Event::LastAffected(x) => {
                evs.push((e, Some(cache.get(eco, semver, x)?)))
            }
        }
    }
    // `limit`: at or above every limit means not affected by this range.
    if !limits.is_empty() && !limits.iter().any(|l| v.cmp(l) == Ordering::Less) {
        return Ok(false);
    }
    evs.sort_by(|a, b| match (a.1, b.1) {
        (None, None) => Ordering::Equal,
        (None, Some(_)) => Ordering::Less,
        (Some(_), None) => Ordering::Greater,
        (Some(x), Some(y)) => x.cmp(y),
    });
    let mut affected = false;
    for (e, at) in &evs {
        let o = at.map(|at| v.cmp(at));
        match e {
            Event::Introduced(_) => {
                if o.is_none_or(|o| o != Ordering::Less) {
                    affected = true;
                }
            }
            Event::Fixed(_) => {
                if o.is_some_and(|o| o != Ordering::Less) {
                    affected = false;
                }
            }
            Event::LastAffected(_) => {
                if o == Some(Ordering::Greater) {
                    affected = false;
                }
            }
            Event::Limit(_) => {}
        }
    }
    Ok(affected)
}

/// Does this advisory affect this package? `Err` names what could not be compared.
pub fn advisory_affects(a: &Advisory, pkg: &Package) -> Result<bool, String> {
    let name = super::normalize_name(pkg.ecosystem, &pkg.name);
    affects_in(&mut Versions::default(), a, pkg, &name)
}

/// [`advisory_affects`] with the package's normalised name and a shared
/// version cache. Ranges are checked before the (often long) `versions`
/// list: either one saying "affected" decides, so the order does not
/// change the answer, only how often the list is read.
fn affects_in<'a>(
    cache: &mut Versions<'a>,
    a: &'a Advisory,
    pkg: &'a Package,
    name: &str,
) -> Result<bool, String> {
    let eco = pkg.ecosystem;
    let mut errors = Vec::new();
    let mine = a
        .affected
        .iter()
        .filter(|af| af.ecosystem == eco && af.name == name);
    for af in mine.clone() {
        for r in &af.ranges {
            let res = match r {
                Range::Osv { semver, events } => {
                    range_affects_in(cache, eco, *semver, events, &pkg.version)
                }
                Range::Requirements {
                    patched,
                    unaffected,
                } => requirements_affect(patched, unaffected, &pkg.version),
            };
            match res {
                Ok(true) => return Ok(true),
                Ok(false) => {}
                Err(e) => errors.push(e),
            }
        }
    }
    let listed = || mine.clone().flat_map(|af| af.versions.iter());
    if listed().any(|l| l == &pkg.version) {
        return Ok(true);
    }
    for l in listed() {
        cache.prime(eco, false, l);
    }
    if let Ok(p) = cache.get(eco, false, &pkg.version) {
        if listed().any(|l| {
            cache
                .get(eco, false, l)
                .is_ok_and(|l| l.cmp(p) == Ordering::Equal)
        }) {
            return Ok(true);
        }
    }
    if errors.is_empty() {
        Ok(false)
    } else {
        Err(format!("advisory {}: {}", a.id, errors.join("; ")))
    }
}

/// RustSec semantics: affected unless a `patched` or `unaffected`
/// requirement matches (Cargo's requirement rules, as cargo-audit uses).
fn requirements_affect(patched: &[String], unaffected: &[String], v: &str) -> Result<bool, String> {
    let ver =
        semver::Version::parse(v.trim()).map_err(|e| format!("crates.io version {v:?}: {e}"))?;
    for req in patched.iter().chain(unaffected) {
        let r = semver::VersionReq::parse(req).map_err(|e| format!("requirement {req:?}: {e}"))?;
        if r.matches(&ver) {
            return Ok(false);
        }
    }
    Ok(true)
}

/// Match every package against the database.
pub fn match_packages(db: &Database, packages: &[Package]) -> MatchResult {
    // Packages of one name share their advisories and so the versions those
    // advisories name: group them, match groups in parallel with one version
    // cache each, then put the results back in input order.
    let mut groups: HashMap<(Ecosystem, String), Vec<usize>> = HashMap::new();
    for (i, p) in packages.iter().enumerate() {
        groups
            .entry((p.ecosystem, super::normalize_name(p.ecosystem, &p.name)))
            .or_default()
            .push(i);
    }
    let groups: Vec<((Ecosystem, String), Vec<usize>)> = groups.into_iter().collect();
    let mut parts: Vec<(usize, MatchResult)> = groups
        .par_iter()
        .flat_map_iter(|((eco, name), idx)| {
            let advisories: Vec<&Advisory> = db.for_normalized(*eco, name).collect();
            let mut cache = Versions::default();
            idx.iter()
                .map(|&i| (i, match_one(&mut cache, &advisories, &packages[i], name)))
                .collect::<Vec<_>>()
        })
        .collect();
    parts.sort_by_key(|(i, _)| *i);
    let mut out = MatchResult::default();
    for (_, p) in parts {
        out.vulnerabilities.extend(p.vulnerabilities);
        out.unmatched.extend(p.unmatched);
    }
    out
}

fn match_one<'a>(
    cache: &mut Versions<'a>,
    advisories: &[&'a Advisory],
    pkg: &'a Package,
    name: &str,
) -> MatchResult {
    let mut out = MatchResult::default();
    if let Err(e) = cache.parse(pkg.ecosystem, false, &pkg.version) {
        out.unmatched.push(Unmatched {
            package: pkg.clone(),
            reason: format!("version cannot be parsed: {e}"),
        });
        return out;
    }
    let mut hits: Vec<&Advisory> = Vec::new();
    for &a in advisories {
        match affects_in(cache, a, pkg, name) {
            Ok(true) => hits.push(a),
            Ok(false) => {}
            Err(reason) => out.unmatched.push(Unmatched {
                package: pkg.clone(),
                reason,
            }),
        }
    }
    for group in merge_aliases(&hits) {
        out.vulnerabilities.push(build(pkg, name, &group));
    }
    out
}

fn id_rank(id: &str) -> u8 {
    if id.starts_with("RUSTSEC-") {
        0
    } else if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("PYSEC-") {
        2
    } else if id.starts_with("CVE-") {
        4
    } else {
        3
    }
}

/// Group advisories of one class that share an id or alias (transitively).
fn merge_aliases<'a>(hits: &[&'a Advisory]) -> Vec<Vec<&'a Advisory>> {
    let mut groups: Vec<(Vec<&'a Advisory>, Vec<&'a str>)> = Vec::new();
    for &a in hits {
        let mine: Vec<&str> = std::iter::once(a.id.as_str())
            .chain(a.aliases.iter().map(|s| s.as_str()))
            .collect();
        let mut merged = (vec![a], mine);
        let mut i = 0;
        while i < groups.len() {
            // Only advisories of one kind merge: an `unmaintained` notice is
            // not the `unsound` one or a vulnerability, even when its data
            // repeats their aliases (RUSTSEC-2020-0036 vs RUSTSEC-2019-0036).
            let same_class = groups[i].0[0].kind == a.kind;
            if same_class && groups[i].1.iter().any(|x| merged.1.contains(x)) {
                let (advs, ids) = groups.swap_remove(i);
                merged.0.extend(advs);
                merged.1.extend(ids);
            } else {
                i += 1;
            }
        }
        groups.push(merged);
    }
    groups.into_iter().map(|g| g.0).collect()
}

fn build(pkg: &Package, name: &str, group: &[&Advisory]) -> Vulnerability {
    let primary = group
        .iter()
        .min_by(|a, b| (id_rank(&a.id), &a.id).cmp(&(id_rank(&b.id), &b.id)))
        .expect("groups are never empty");
    let mut ids: Vec<String> = vec![primary.id.clone()];
    let mut rest: Vec<String> = group
        .iter()
        .flat_map(|a| std::iter::once(a.id.clone()).chain(a.aliases.iter().cloned()))
        .filter(|i| i != &primary.id)
        .collect();
    rest.sort_by(|a, b| (id_rank(a), a).cmp(&(id_rank(b), b)));
    rest.dedup();
    ids.extend(rest);
    let scored = group
        .iter()
        .filter(|a| a.cvss_score.is_some())
        .max_by(|a, b| {
            a.cvss_score
                .partial_cmp(&b.cvss_score)
                .unwrap_or(Ordering::Equal)
        });
    let severity = group.iter().map(|a| a.severity).max().unwrap_or_default();
    let mut fixed: Vec<String> = group
        .iter()
        .flat_map(|a| a.affected.iter())
        .filter(|af| af.ecosystem == pkg.ecosystem && af.name == name)
        .flat_map(|af| af.fixed_versions())
        .collect();
    fixed.sort();
    fixed.dedup();
    let vuln = group.iter().find(|a| !a.kind.is_informational());
    let kind_src = vuln.unwrap_or(primary);
    let summary = group
        .iter()
        .map(|a| a.summary.as_str())
        .find(|s| !s.is_empty())
        .unwrap_or("");
    Vulnerability {
        package: pkg.clone(),
        id: primary.id.as_str().into(),
        ids: ids.into(),
        summary: summary.into(),
        details: primary.details.as_str().into(),
        severity,
        cvss_score: scored.and_then(|a| a.cvss_score),
        cvss_vector: scored.and_then(|a| a.cvss_vector.as_deref().map(Arc::from)),
        kind: kind_src.kind.as_str().into(),
        informational: vuln.is_none(),
        fixed: fixed.into(),
        url: primary.url.as_str().into(),
    }
}
