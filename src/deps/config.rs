//! The `[deps]` section of `guardrail.toml`.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepsConfig {
    /// Accepted advisories.
    #[serde(default)]
    pub allow: Vec<AllowedAdvisory>,
    /// Packages that must not be used: `NAME` or `NAME@RANGE` (as `--deny-package`).
    #[serde(default)]
    pub deny: Vec<String>,
    /// Default `--fail-on` severity (`low`, `medium`, `high`, `critical`).
    #[serde(default)]
    pub fail_on: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AllowedAdvisory {
    /// Any of the advisory's ids or aliases (GHSA, CVE, PYSEC, RUSTSEC).
    pub id: String,
    pub reason: String,
    /// `YYYY-MM-DD`; after it the advisory fails again.
    #[serde(default)]
    pub expires: Option<String>,
}

impl AllowedAdvisory {
    /// The expiry date, or an error naming the entry.
    pub fn expiry(&self) -> Result<Option<jiff::civil::Date>, String> {
        match &self.expires {
            None => Ok(None),
            Some(s) => s
                .trim()
                .parse::<jiff::civil::Date>()
                .map(Some)
                .map_err(|e| {
                    format!(
                        "[deps] allow entry {:?}: expires {s:?} is not a YYYY-MM-DD date: {e}",
                        self.id
                    )
                }),
        }
    }
}

impl DepsConfig {
    /// Problems a run must stop on (bad dates, empty reasons).
    pub fn validate(&self) -> Result<(), String> {
        for a in &self.allow {
            if a.reason.trim().is_empty() {
                return Err(format!(
                    "[deps] allow entry {:?}: reason must not be empty",
                    a.id
                ));
            }
            a.expiry()?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_validates() {
        let c: DepsConfig = toml::from_str(
            "deny = [\"left-pad\"]\n[[allow]]\nid = \"GHSA-x\"\nreason = \"not reachable\"\nexpires = \"2030-01-31\"\n",
        )
        .unwrap();
        assert!(c.validate().is_ok());
        assert_eq!(c.allow[0].expiry().unwrap().unwrap().year(), 2030);
        let bad: DepsConfig =
            toml::from_str("[[allow]]\nid = \"X\"\nreason = \"r\"\nexpires = \"soon\"\n").unwrap();
        assert!(bad.validate().unwrap_err().contains("soon"));
        assert!(toml::from_str::<DepsConfig>("alow = []\n").is_err());
    }
}
