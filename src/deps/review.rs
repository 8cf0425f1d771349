//! Audit (what the tree pins now) and review (what a change introduces,
//! fixes or keeps), with the allow list, denied packages and the gate.

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde::Serialize;

use super::advisory::matching::{match_packages, MatchResult, Unmatched, Vulnerability};
use super::advisory::{normalize_name, Database, Severity};
use super::config::DepsConfig;
use super::model::Package;
use super::version;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Audit: in the tree now.
    Present,
    /// Review: in head, not in base.
    Introduced,
    /// Review: in base, gone from head.
    Fixed,
    /// Review: in both.
    StillPresent,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Present => "present",
            Status::Introduced => "introduced",
            Status::Fixed => "fixed",
            Status::StillPresent => "still present",
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub status: Status,
    #[serde(flatten)]
    pub vuln: Vulnerability,
    /// For still-present and fixed findings: the version in base.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub base_version: Option<String>,
    /// Why it is accepted (allow list), when it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed: Option<String>,
    /// Whether this finding makes the run fail.
    pub failing: bool,
}

#[derive(Debug, Clone)]
pub struct DenySpec {
    pub spec: String,
    pub name: String,
    /// Comma-separated comparators (`>=1.0,<2`), or `None` for every version.
    pub range: Option<String>,
}

impl DenySpec {
    /// `NAME` or `NAME@RANGE`; an npm scope's leading `@` is part of the name.
    pub fn parse(s: &str) -> Result<DenySpec, String> {
        let t = s.trim();
        let at = t[1.min(t.len())..].rfind('@').map(|i| i + 1);
        let (name, range) = match at {
            Some(i) => (&t[..i], Some(t[i + 1..].trim().to_string())),
            None => (t, None),
        };
        if name.is_empty() || range.as_deref() == Some("") {
            return Err(format!("--deny-package {s:?}: expected NAME or NAME@RANGE"));
        }
        Ok(DenySpec {
            spec: t.to_string(),
            name: name.to_string(),
            range,
        })
    }

    /// Does this spec cover `pkg`? `Err` when the range cannot be compared.
    pub fn matches(&self, pkg: &Package) -> Result<bool, String> {
        if normalize_name(pkg.ecosystem, &self.name) != normalize_name(pkg.ecosystem, &pkg.name) {
            return Ok(false);
        }
        let Some(range) = &self.range else {
            return Ok(true);
        };
        for part in range.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let (op, v) = split_op(part);
            let o = version::compare(pkg.ecosystem, &pkg.version, v)
                .or_else(|e| version::compare(pkg.ecosystem, &pkg.version, &pad(v)).map_err(|_| e))
                .map_err(|e| e.to_string())?;
            let ok = match op {
                ">=" => o != Ordering::Less,
                "<=" => o != Ordering::Greater,
                ">" => o == Ordering::Greater,
                "<" => o == Ordering::Less,
                "!=" => o != Ordering::Equal,
                _ => o == Ordering::Equal,
            };
            if !ok {
                return Ok(false);
            }
        }
        Ok(true)
    }
}

/// `1` and `1.2` as `1.0.0` and `1.2.0`, so a deny range can be written
/// loosely for SemVer ecosystems.
fn pad(v: &str) -> String {
    let n = v.split('.').count();
    if n < 3
        && v.split('.')
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        format!("{v}{}", ".0".repeat(3 - n))
    } else {
        v.to_string()
    }
}

fn split_op(s: &str) -> (&str, &str) {
    for op in [">=", "<=", "!=", "==", ">", "<", "="] {
        if let Some(rest) = s.strip_prefix(op) {
            return (op, rest.trim());
        }
    }
    ("=", s)
}

/// Everything that decides what fails.
#[derive(Debug, Clone)]
pub struct Policy {
    /// Fail at or above this; `Unknown` means any severity.
    pub fail_on: Severity,
    /// Review: fail on still-present findings too, not only introduced ones.
    pub fail_on_any: bool,
    /// `--allow ID` (no reason needed on the command line).
    pub allow_ids: Vec<String>,
    pub config: DepsConfig,
    pub deny: Vec<DenySpec>,
    pub today: jiff::civil::Date,
}

#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub mode: &'static str,
    pub findings: Vec<Finding>,
    pub unmatched: Vec<Unmatched>,
    pub warnings: Vec<String>,
    pub failed: bool,
}

impl Report {
    pub fn count(&self, s: Status) -> usize {
        self.findings.iter().filter(|f| f.status == s).count()
    }
}

/// Vulnerabilities in `packages` now.
pub fn audit(db: &Database, packages: &[Package], policy: &Policy) -> Report {
    let mut warnings = Vec::new();
    let m = with_denied(
        match_packages(db, packages),
        packages,
        policy,
        &mut warnings,
    );
    let findings = m
        .vulnerabilities
        .into_iter()
        .map(|v| finding(Status::Present, v, None, policy, &mut warnings))
        .collect();
    finish("audit", findings, m.unmatched, warnings)
}

/// What `head` changes relative to `base`.
pub fn review(db: &Database, base: &[Package], head: &[Package], policy: &Policy) -> Report {
    let mut warnings = Vec::new();
    // Base and head mostly pin the same versions: match each distinct
    // (ecosystem, name, version) once and hand the result to both sides.
    let (b, h) = {
        let mut reps: Vec<Package> = Vec::new();
        let mut seen: HashSet<(super::model::Ecosystem, &str, &str)> = HashSet::new();
        for p in base.iter().chain(head) {
            if seen.insert((p.ecosystem, p.name.as_str(), p.version.as_str())) {
                reps.push(p.clone());
            }
        }
        let m = match_packages(db, &reps);
        let mut vulns: HashMap<(super::model::Ecosystem, &str, &str), Vec<&Vulnerability>> =
            HashMap::new();
        for v in &m.vulnerabilities {
            vulns
                .entry((
                    v.package.ecosystem,
                    v.package.name.as_str(),
                    v.package.version.as_str(),
                ))
                .or_default()
                .push(v);
        }
        let mut unm: HashMap<(super::model::Ecosystem, &str, &str), Vec<&Unmatched>> =
            HashMap::new();
        for u in &m.unmatched {
            unm.entry((
                u.package.ecosystem,
                u.package.name.as_str(),
                u.package.version.as_str(),
            ))
            .or_default()
            .push(u);
        }
        let side = |pkgs: &[Package]| {
            let mut r = MatchResult::default();
            for p in pkgs {
                let k = (p.ecosystem, p.name.as_str(), p.version.as_str());
                for v in vulns.get(&k).into_iter().flatten() {
                    r.vulnerabilities.push(Vulnerability {
                        package: p.clone(),
                        ..Vulnerability::clone(v)
                    });
                }
                for u in unm.get(&k).into_iter().flatten() {
                    r.unmatched.push(Unmatched {
                        package: p.clone(),
                        reason: u.reason.clone(),
                    });
                }
            }
            r
        };
        (
            with_denied(side(base), base, policy, &mut Vec::new()),
            with_denied(side(head), head, policy, &mut warnings),
        )
    };
    // Keyed by package name and flaw, not by version: an upgrade that
    // leaves the flaw in place is "still present", and a flaw is "fixed"
    // only when no version of the package in head has it. Two findings in
    // one package are the same flaw when they share an id or alias, so
    // every lookup is by (package, id) and never compares findings
    // pairwise (a package with hundreds of advisories made that quadratic).
    let key = |v: &Vulnerability| {
        (
            v.package.ecosystem,
            normalize_name(v.package.ecosystem, &v.package.name),
        )
    };
    let base_keys: Vec<_> = b.vulnerabilities.iter().map(key).collect();
    let head_keys: Vec<_> = h.vulnerabilities.iter().map(key).collect();
    // (package, id) -> the first base finding carrying that id.
    let mut base_by_id: HashMap<(&_, &str), usize> = HashMap::new();
    for (j, v) in b.vulnerabilities.iter().enumerate() {
        for id in v.ids.iter() {
            base_by_id.entry((&base_keys[j], id.as_str())).or_insert(j);
        }
    }
    let mut head_ids: HashSet<(&_, &str)> = HashSet::new();
    let mut head_status = Vec::with_capacity(h.vulnerabilities.len());
    for (i, v) in h.vulnerabilities.iter().enumerate() {
        let k = &head_keys[i];
        // The earliest base finding sharing any id, as a scan in order would.
        let same = v
            .ids
            .iter()
            .filter_map(|id| base_by_id.get(&(k, id.as_str())))
            .min();
        head_status.push(match same {
            Some(&j) => (
                Status::StillPresent,
                Some(b.vulnerabilities[j].package.version.clone()),
            ),
            None => (Status::Introduced, None),
        });
        head_ids.extend(v.ids.iter().map(|id| (k, id.as_str())));
    }
    // Ids already reported fixed, so a flaw is reported once per package.
    let mut fixed_ids: HashSet<(&_, &str)> = HashSet::new();
    let mut is_fixed = vec![false; b.vulnerabilities.len()];
    for (j, bv) in b.vulnerabilities.iter().enumerate() {
        let k = &base_keys[j];
        let seen =
            |set: &HashSet<(&_, &str)>| bv.ids.iter().any(|id| set.contains(&(k, id.as_str())));
        if seen(&head_ids) || seen(&fixed_ids) {
            continue;
        }
        fixed_ids.extend(bv.ids.iter().map(|id| (k, id.as_str())));
        is_fixed[j] = true;
    }
    let mut findings = Vec::new();
    for (v, (status, was)) in h.vulnerabilities.into_iter().zip(head_status) {
        findings.push(finding(status, v, was, policy, &mut warnings));
    }
    for (bv, fixed) in b.vulnerabilities.into_iter().zip(is_fixed) {
        if fixed {
            let version = bv.package.version.clone();
            findings.push(finding(
                Status::Fixed,
                bv,
                Some(version),
                policy,
                &mut warnings,
            ));
        }
    }
    finish("review", findings, h.unmatched, warnings)
}

fn finish(
    mode: &'static str,
    mut findings: Vec<Finding>,
    unmatched: Vec<Unmatched>,
    mut warnings: Vec<String>,
) -> Report {
    findings.sort_by(|a, b| {
        (
            status_rank(a.status),
            std::cmp::Reverse(a.vuln.severity),
            &a.vuln.package.name,
            &a.vuln.id,
        )
            .cmp(&(
                status_rank(b.status),
                std::cmp::Reverse(b.vuln.severity),
                &b.vuln.package.name,
                &b.vuln.id,
            ))
    });
    warnings.sort();
    warnings.dedup();
    let failed = findings.iter().any(|f| f.failing);
    Report {
        mode,
        findings,
        unmatched,
        warnings,
        failed,
    }
}

fn status_rank(s: Status) -> u8 {
    match s {
        Status::Introduced => 0,
        Status::Present => 1,
        Status::StillPresent => 2,
        Status::Fixed => 3,
    }
}

/// Denied packages become findings of kind `denied`.
fn with_denied(
    mut m: MatchResult,
    packages: &[Package],
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> MatchResult {
    for spec in &policy.deny {
        for p in packages {
            match spec.matches(p) {
                Ok(true) => m.vulnerabilities.push(Vulnerability {
                    package: p.clone(),
                    id: format!("denied:{}", spec.spec).into(),
                    ids: vec![format!("denied:{}", spec.spec)].into(),
                    summary: format!("{} is on the deny list ({})", p.name, spec.spec).into(),
                    details: "".into(),
                    severity: Severity::Unknown,
                    cvss_score: None,
                    cvss_vector: None,
                    kind: "denied".into(),
                    informational: false,
                    fixed: Vec::new().into(),
                    url: "".into(),
                }),
                Ok(false) => {}
                Err(e) => warnings.push(format!(
                    "deny {:?} vs {} {}: {e}",
                    spec.spec, p.name, p.version
                )),
            }
        }
    }
    m
}

fn finding(
    status: Status,
    vuln: Vulnerability,
    base_version: Option<String>,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Finding {
    let allowed = allowed_reason(&vuln, policy, warnings);
    let denied = &*vuln.kind == "denied";
    let at_level = denied || (!vuln.informational && vuln.severity >= policy.fail_on);
    let counts = match status {
        Status::Present | Status::Introduced => true,
        Status::StillPresent => policy.fail_on_any,
        Status::Fixed => false,
    };
    Finding {
        status,
        failing: counts && at_level && allowed.is_none(),
        vuln,
        base_version,
        allowed,
    }
}

fn allowed_reason(
    v: &Vulnerability,
    policy: &Policy,
    warnings: &mut Vec<String>,
) -> Option<String> {
    let hit = |id: &str| v.ids.iter().any(|i| i.eq_ignore_ascii_case(id.trim()));
    if policy.allow_ids.iter().any(|a| hit(a)) {
        return Some("allowed with --allow".into());
    }
    for a in &policy.config.allow {
        if !hit(&a.id) {
            continue;
        }
        match a.expiry() {
            Ok(Some(d)) if d < policy.today => {
                warnings.push(format!(
                    "[deps] allow entry {} expired on {d}; it no longer applies",
                    a.id
                ));
            }
            Ok(_) => return Some(a.reason.clone()),
            Err(e) => warnings.push(e),
        }
    }
    None
}
