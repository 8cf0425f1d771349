//! gitleaks' config schema as viper reads it: keys are matched without
//! regard to case, so they are lower-cased before deserialising. Unknown
//! keys land in `other` and are reported, never silently dropped.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

pub(super) type Extra = BTreeMap<String, toml::Value>;

#[derive(Debug, Default, Deserialize)]
pub(super) struct GlFile {
    pub(super) title: Option<String>,
    pub(super) description: Option<String>,
    /// The oldest gitleaks that reads the file; nothing to check here.
    pub(super) minversion: Option<String>,
    pub(super) extend: Option<GlExtend>,
    #[serde(default)]
    pub(super) rules: Vec<GlRule>,
    pub(super) allowlist: Option<GlAllowlist>,
    #[serde(default)]
    pub(super) allowlists: Vec<GlAllowlist>,
    #[serde(flatten)]
    pub(super) other: Extra,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct GlExtend {
    #[serde(default)]
    pub(super) usedefault: bool,
    pub(super) path: Option<String>,
    pub(super) url: Option<String>,
    #[serde(default)]
    pub(super) disabledrules: Vec<String>,
    #[serde(flatten)]
    pub(super) other: Extra,
}

#[derive(Debug, Default, Deserialize)]
pub(super) struct GlRule {
    #[serde(default)]
    pub(super) id: String,
    pub(super) description: Option<String>,
    pub(super) regex: Option<String>,
    pub(super) secretgroup: Option<usize>,
    pub(super) entropy: Option<f64>,
    #[serde(default)]
    pub(super) keywords: Vec<String>,
    pub(super) path: Option<String>,
    #[serde(default)]
    pub(super) tags: Vec<String>,
    pub(super) allowlist: Option<GlAllowlist>,
    #[serde(default)]
    pub(super) allowlists: Vec<GlAllowlist>,
    #[serde(default)]
    pub(super) required: Vec<toml::Value>,
    #[serde(default)]
    pub(super) skipreport: bool,
    #[serde(flatten)]
    pub(super) other: Extra,
}

#[derive(Debug, Default, Clone, Deserialize)]
pub(super) struct GlAllowlist {
    pub(super) description: Option<String>,
    pub(super) condition: Option<String>,
    #[serde(default)]
    pub(super) commits: Vec<String>,
    #[serde(default)]
    pub(super) paths: Vec<String>,
    pub(super) regextarget: Option<String>,
    #[serde(default)]
    pub(super) regexes: Vec<String>,
    #[serde(default)]
    pub(super) stopwords: Vec<String>,
    #[serde(default)]
    pub(super) targetrules: Vec<String>,
    #[serde(flatten)]
    pub(super) other: Extra,
}

/// Whether `text` (read from `path`) is a gitleaks config rather than a
/// `guardrail.toml`.
pub fn looks_like(path: &Path, text: &str) -> bool {
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == ".gitleaks.toml" || name == "gitleaks.toml" {
        return true;
    }
    if name == crate::config::CONFIG_FILE {
        // Our own file name: its errors should be reported in our terms.
        return false;
    }
    let Ok(table) = text.parse::<toml::Table>() else {
        // Let our own parser report the syntax error.
        return false;
    };
    let ours = ["use_builtin_rules", "disabled_rules", "exclude", "deps"];
    if ours.iter().any(|k| table.contains_key(*k)) {
        return false;
    }
    let lower: Vec<String> = table.keys().map(|k| k.to_ascii_lowercase()).collect();
    if lower
        .iter()
        .any(|k| k == "extend" || k == "allowlists" || k == "title")
        || table.get("allowlist").is_some_and(toml::Value::is_table)
    {
        return true;
    }
    let rules: Vec<&toml::Table> = table
        .get("rules")
        .and_then(toml::Value::as_array)
        .map(|a| a.iter().filter_map(toml::Value::as_table).collect())
        .unwrap_or_default();
    let gitleaks_key = |r: &&toml::Table| {
        r.iter().any(|(k, v)| {
            let k = k.to_ascii_lowercase();
            matches!(
                k.as_str(),
                "secretgroup" | "allowlists" | "required" | "skipreport"
            ) || (k == "allowlist" && v.is_table())
        })
    };
    // Our rules must have a severity; gitleaks rules have none.
    rules.iter().any(gitleaks_key)
        || (!rules.is_empty() && rules.iter().all(|r| !r.contains_key("severity")))
}

pub(super) fn lower_keys(v: toml::Value) -> toml::Value {
    match v {
        toml::Value::Table(t) => toml::Value::Table(
            t.into_iter()
                .map(|(k, v)| (k.to_ascii_lowercase(), lower_keys(v)))
                .collect(),
        ),
        toml::Value::Array(a) => toml::Value::Array(a.into_iter().map(lower_keys).collect()),
        other => other,
    }
}
