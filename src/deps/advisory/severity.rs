//! Severity: CVSS v3.x / v4.0 base score (`cvss` crate), else the
//! database's own word (GitHub's `LOW`/`MODERATE`/`HIGH`/`CRITICAL`),
//! else `unknown` (reported, never dropped).

use std::str::FromStr;

use serde::{Deserialize, Serialize};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, Default,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    #[default]
    Unknown,
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Unknown => "unknown",
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }

    /// CVSS qualitative scale (a 0.0 score is `none`; we call it low).
    pub fn from_score(score: f64) -> Severity {
        if score >= 9.0 {
            Severity::Critical
        } else if score >= 7.0 {
            Severity::High
        } else if score >= 4.0 {
            Severity::Medium
        } else {
            Severity::Low
        }
    }

    /// A database's own severity word.
    pub fn from_word(w: &str) -> Option<Severity> {
        Some(match w.trim().to_ascii_lowercase().as_str() {
            "low" => Severity::Low,
            "moderate" | "medium" => Severity::Medium,
            "high" => Severity::High,
            "critical" => Severity::Critical,
            _ => return None,
        })
    }

    /// A representative score for SARIF `security-severity` when there is no CVSS.
    pub fn nominal_score(self) -> Option<f64> {
        match self {
            Severity::Unknown => None,
            Severity::Low => Some(2.0),
            Severity::Medium => Some(5.5),
            Severity::High => Some(8.0),
            Severity::Critical => Some(9.5),
        }
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s.to_ascii_lowercase().as_str() {
            "unknown" | "any" => Ok(Severity::Unknown),
            other => Severity::from_word(other)
                .ok_or_else(|| format!("unknown severity {s:?} (low, medium, high, critical)")),
        }
    }
}

/// Base score of a CVSS v3.x or v4.0 vector; `None` for v2 or a bad vector.
pub fn cvss_score(vector: &str) -> Option<f64> {
    cvss::Cvss::from_str(vector.trim()).ok().map(|c| c.score())
}

/// Pick the severity from the CVSS vectors given (newest version first),
/// else from the database's word.
pub fn resolve(vectors: &[String], word: Option<&str>) -> (Severity, Option<f64>, Option<String>) {
    let mut best: Option<(f64, &String)> = None;
    // Prefer v4 over v3 when both are present: the newer assessment.
    let mut sorted: Vec<&String> = vectors.iter().collect();
    sorted.sort_by_key(|v| std::cmp::Reverse(v.starts_with("CVSS:4")));
    for v in sorted {
        if let Some(s) = cvss_score(v) {
            best = Some((s, v));
            break;
        }
    }
    if let Some((s, v)) = best {
        return (Severity::from_score(s), Some(s), Some(v.clone()));
    }
    let sev = word
        .and_then(Severity::from_word)
        .unwrap_or(Severity::Unknown);
    (sev, None, None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cvss_v3_and_v4_scores() {
        let v3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H";
        assert_eq!(cvss_score(v3), Some(9.8));
        let v4 = "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H";
        assert_eq!(cvss_score(v4), Some(10.0));
        assert_eq!(cvss_score("AV:N/AC:L/Au:N/C:P/I:P/A:P"), None);
        let (sev, score, _) = resolve(
            &["CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H".into()],
            None,
        );
        assert_eq!((sev, score), (Severity::High, Some(7.5)));
    }

    #[test]
    fn word_fallback_and_unknown() {
        assert_eq!(resolve(&[], Some("MODERATE")).0, Severity::Medium);
        assert_eq!(
            resolve(&["garbage".into()], Some("CRITICAL")).0,
            Severity::Critical
        );
        assert_eq!(resolve(&[], None).0, Severity::Unknown);
    }
}
