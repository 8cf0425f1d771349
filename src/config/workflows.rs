//! The `[workflows]` section of `guardrail.toml`.

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowsConfig {
    /// Rule ids not reported anywhere (findings are kept as suppressed).
    #[serde(default)]
    pub allow: Vec<String>,
    /// `owner/repo` globs that may be pinned to a tag, e.g. `["actions/*"]`.
    #[serde(default)]
    pub trusted_actions: Vec<String>,
    /// Extra pins for `--fix-pins` (a TOML file of `[[pin]]` entries),
    /// relative to the config file.
    #[serde(default)]
    pub pin_file: Option<String>,
    /// Fail only at or above this severity (`low`, `medium`, `high`,
    /// `critical`); default: any finding.
    #[serde(default)]
    pub fail_on: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_unknown_keys() {
        let c: WorkflowsConfig =
            toml::from_str("allow = [\"secrets-inherit\"]\ntrusted_actions = [\"actions/*\"]\n")
                .unwrap();
        assert_eq!(c.allow, ["secrets-inherit"]);
        assert!(toml::from_str::<WorkflowsConfig>("alow = []\n").is_err());
    }
}
