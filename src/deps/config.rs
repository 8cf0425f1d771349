//! The `[deps]` section of `guardrail.toml`.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DepsConfig {
    /// Accepted advisories.
    #[serde(default)]
    pub allow: Vec<AllowedAdvisory>,
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
