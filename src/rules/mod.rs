//! The rule model: TOML specs, their compiled form, the built-in packs and
//! the example checker.

mod allowlist;
mod builtin;
mod compile;
mod scope;
mod spec;

pub use allowlist::{Allowlist, Candidate};
pub use builtin::{builtin_packs, builtin_rules};
pub use compile::{AnchorFacts, Rule, RuleSet};
pub use scope::{Anchors, KeywordScope, Reach};
pub use spec::{
    AllowCondition, AllowlistSpec, Confidence, Detector, ExamplesSpec, Filter, KeysSpec,
    RegexTarget, RulePackSpec, RuleSpec, Severity,
};

use std::path::PathBuf;

/// Everything that can be wrong with a rule or a rule file. Each variant
/// names the thing (file, rule id) so the one-line message is actionable.
#[derive(Debug, thiserror::Error)]
pub enum RuleError {
    #[error("{file}: {message}")]
    Parse { file: String, message: String },
    #[error("rule `{id}`: invalid {what} regex: {message}")]
    Regex {
        id: String,
        what: &'static str,
        message: String,
    },
    #[error("rule `{id}`: {message}")]
    Invalid { id: String, message: String },
    #[error("rule `{id}` is defined twice ({first} and {second})")]
    Duplicate {
        id: String,
        first: String,
        second: String,
    },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Parse a rule pack from TOML text; `origin` names it in errors.
pub fn parse_pack(text: &str, origin: &str) -> Result<RulePackSpec, RuleError> {
    toml::from_str(text).map_err(|e| RuleError::Parse {
        file: origin.to_string(),
        message: crate::util::toml_error_line(text, &e),
    })
}

/// Read and parse a rule pack file.
pub fn load_pack_file(path: &std::path::Path) -> Result<RulePackSpec, RuleError> {
    let text = std::fs::read_to_string(path).map_err(|source| RuleError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    parse_pack(&text, &path.display().to_string())
}
