//! `guardrail.toml`: the project's configuration. Unknown keys are errors
//! that name the key and the file. A gitleaks config (`.gitleaks.toml`) is
//! read too and translated, see [`gitleaks`].

pub mod gitleaks;
pub mod workflows;

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::deps::config::DepsConfig;
use crate::rules::{AllowlistSpec, Confidence, KeysSpec, RuleError, RuleSet, RuleSpec};

pub const CONFIG_FILE: &str = "guardrail.toml";
/// Read when the scan root has no `guardrail.toml`.
pub const GITLEAKS_CONFIG_FILE: &str = ".gitleaks.toml";

/// Which tool's format the config was written in.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ConfigFormat {
    #[default]
    Guardrail,
    Gitleaks,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Start from the built-in rules (default true).
    #[serde(default = "yes")]
    pub use_builtin_rules: bool,
    /// Built-in rule ids to turn off.
    #[serde(default)]
    pub disabled_rules: Vec<String>,
    /// Extra rules, or replacements for built-in rules with the same id.
    #[serde(default)]
    pub rules: Vec<RuleSpec>,
    /// Global allowlists, applied to every rule.
    #[serde(default)]
    pub allowlist: Vec<AllowlistSpec>,
    /// gitignore-style globs the walker skips (relative to the scan root).
    #[serde(default)]
    pub exclude: Vec<String>,
    /// Lowest confidence reported by `guardrail secrets` (default medium;
    /// `--min-confidence` overrides it).
    #[serde(default)]
    pub min_confidence: Option<Confidence>,
    /// Key names added to the built-in key semantics of the structured
    /// detector (see docs/RULES.md).
    #[serde(default)]
    pub keys: Option<KeysSpec>,
    #[serde(default)]
    pub deps: DepsConfig,
    #[serde(default)]
    pub workflows: workflows::WorkflowsConfig,
    /// Where the config was read from (for messages).
    #[serde(skip)]
    pub source: Option<PathBuf>,
    #[serde(skip)]
    pub format: ConfigFormat,
    /// What the loader could not honour (gitleaks configs), one line each,
    /// for the CLI to print as `warning: ...`.
    #[serde(skip)]
    pub warnings: Vec<String>,
    /// Informational lines for stderr (which config was loaded).
    #[serde(skip)]
    pub notes: Vec<String>,
    /// gitleaks allowlists with `commits`, applied to findings after a scan.
    #[serde(skip)]
    pub commit_allowlists: Vec<gitleaks::CommitAllowlist>,
}

fn yes() -> bool {
    true
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read config {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("config {}: {message}", path.display())]
    Parse { path: PathBuf, message: String },
    #[error("config {}: {source}", path.display())]
    Rule { path: PathBuf, source: RuleError },
}

impl Config {
    /// Read a config file in our format or gitleaks' (detected from the
    /// name and the keys).
    pub fn from_file(path: &Path) -> Result<Config, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Io {
            path: path.to_path_buf(),
            source,
        })?;
        if gitleaks::looks_like(path, &text) {
            let mut cfg = gitleaks::load(path)?;
            cfg.notes
                .push(format!("using gitleaks config {}", path.display()));
            return Ok(cfg);
        }
        Self::from_str(&text, path)
    }

    pub fn from_str(text: &str, path: &Path) -> Result<Config, ConfigError> {
        let mut cfg: Config = toml::from_str(text).map_err(|e| ConfigError::Parse {
            path: path.to_path_buf(),
            message: crate::util::toml_error_line(text, &e),
        })?;
        cfg.source = Some(path.to_path_buf());
        Ok(cfg)
    }

    /// `--config FILE` when given, else `guardrail.toml` at the scan root,
    /// else `.gitleaks.toml` there, else the defaults.
    pub fn discover(explicit: Option<&Path>, root: &Path) -> Result<Config, ConfigError> {
        if let Some(p) = explicit {
            return Self::from_file(p);
        }
        let dir = if root.is_file() {
            root.parent().unwrap_or(Path::new("."))
        } else {
            root
        };
        let candidate = dir.join(CONFIG_FILE);
        if candidate.is_file() {
            return Self::from_file(&candidate);
        }
        let gitleaks = dir.join(GITLEAKS_CONFIG_FILE);
        if gitleaks.is_file() {
            let mut cfg = gitleaks::load(&gitleaks)?;
            cfg.notes.push(format!(
                "using gitleaks config {} (no {CONFIG_FILE} at the root)",
                gitleaks.display()
            ));
            return Ok(cfg);
        }
        Ok(Config {
            use_builtin_rules: true,
            ..Config::default()
        })
    }

    /// The rule set this config asks for: built-ins (unless turned off),
    /// minus disabled ids, plus config rules and global allowlists.
    pub fn rule_set(&self) -> Result<RuleSet, ConfigError> {
        let path = self
            .source
            .clone()
            .unwrap_or_else(|| PathBuf::from(CONFIG_FILE));
        let wrap = |source| ConfigError::Rule {
            path: path.clone(),
            source,
        };
        let mut set = if self.use_builtin_rules {
            crate::rules::builtin_rules().map_err(wrap)?
        } else {
            RuleSet::new()
        };
        let unknown = set.disable(&self.disabled_rules);
        if let Some(id) = unknown.first() {
            return Err(wrap(RuleError::Invalid {
                id: id.clone(),
                message: "listed in disabled_rules but no such rule exists".into(),
            }));
        }
        let origin = path.display().to_string();
        for spec in &self.rules {
            let rule = match self.format {
                ConfigFormat::Guardrail => crate::rules::Rule::compile(spec.clone(), &origin),
                // gitleaks ids keep their spelling so .gitleaksignore matches.
                ConfigFormat::Gitleaks => {
                    crate::rules::Rule::compile_imported(spec.clone(), &origin)
                }
            }
            .map_err(wrap)?;
            rule.build_now().map_err(wrap)?;
            set.upsert(rule);
        }
        for a in &self.allowlist {
            set.add_global_allowlist(a).map_err(wrap)?;
        }
        if let Some(keys) = &self.keys {
            set.keys.extend(keys);
        }
        Ok(set)
    }

    /// Whether a gitleaks allowlist with `commits` allows this finding
    /// (only findings from history scans carry a commit).
    pub fn allows_by_commit(&self, f: &crate::finding::Finding) -> bool {
        self.commit_allowlists.iter().any(|a| a.allows(f))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_key_is_an_error_naming_it() {
        let err = Config::from_str("disabled_rule = []\n", Path::new("g.toml")).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains("g.toml") && msg.contains("disabled_rule"),
            "{msg}"
        );
    }

    #[test]
    fn bad_regex_names_the_rule() {
        let cfg = Config::from_str(
            "use_builtin_rules = false\n[[rules]]\nid = \"mine\"\ndescription = \"d\"\nregex = \"(\"\nkeywords = [\"x\"]\nseverity = \"low\"\n",
            Path::new("g.toml"),
        )
        .unwrap();
        let msg = cfg.rule_set().unwrap_err().to_string();
        assert!(msg.contains("`mine`") && msg.contains("regex"), "{msg}");
    }
}
