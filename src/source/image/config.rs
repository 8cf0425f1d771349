//! The image configuration (OCI `config.json`, Docker's image JSON): the
//! runtime config (`Env`, `Labels`, `Cmd`, `Entrypoint`), the build
//! history (`created_by` of each step) and the layers' `diff_ids`. Build
//! arguments and tokens passed to `RUN` leak into `created_by` and `Env`,
//! so these are scanned for secrets as text.

use std::collections::BTreeMap;

use serde::Deserialize;

#[derive(Debug, Clone, Default, Deserialize)]
pub struct ImageConfig {
    #[serde(default)]
    pub architecture: Option<String>,
    #[serde(default)]
    pub os: Option<String>,
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub config: Option<RunConfig>,
    #[serde(default)]
    pub rootfs: Option<RootFs>,
    #[serde(default)]
    pub history: Vec<History>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct RunConfig {
    #[serde(default)]
    pub env: Option<Vec<String>>,
    #[serde(default)]
    pub labels: Option<BTreeMap<String, String>>,
    #[serde(default)]
    pub cmd: Option<Vec<String>>,
    #[serde(default)]
    pub entrypoint: Option<Vec<String>>,
    #[serde(default)]
    pub user: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct RootFs {
    #[serde(default)]
    pub diff_ids: Vec<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct History {
    #[serde(default)]
    pub created: Option<String>,
    #[serde(default)]
    pub created_by: Option<String>,
    #[serde(default)]
    pub comment: Option<String>,
    #[serde(default)]
    pub empty_layer: bool,
}

/// A piece of the config scanned as if it were a file: its pseudo-path
/// (stable across builds, so fingerprints are) and text, one item a line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigText {
    pub path: &'static str,
    pub text: String,
}

pub const ENV_PATH: &str = "[image config]/Env";
pub const LABELS_PATH: &str = "[image config]/Labels";
pub const CMD_PATH: &str = "[image config]/Entrypoint+Cmd";
pub const HISTORY_PATH: &str = "[image config]/history";

impl ImageConfig {
    /// The `created_by` of the history entry that made each layer (entries
    /// with `empty_layer` made none).
    pub fn layer_history(&self, layers: usize) -> Vec<Option<String>> {
        let mut out: Vec<Option<String>> = self
            .history
            .iter()
            .filter(|h| !h.empty_layer)
            .map(|h| h.created_by.clone())
            .collect();
        out.resize(layers, None);
        out.truncate(layers);
        out
    }

    /// Env, Labels, Entrypoint+Cmd and history as texts to scan.
    pub fn texts(&self) -> Vec<ConfigText> {
        let mut out = Vec::new();
        if let Some(c) = &self.config {
            if let Some(env) = c.env.as_ref().filter(|e| !e.is_empty()) {
                out.push(ConfigText {
                    path: ENV_PATH,
                    text: lines(env.iter().map(String::as_str)),
                });
            }
            if let Some(l) = c.labels.as_ref().filter(|l| !l.is_empty()) {
                let items: Vec<String> = l.iter().map(|(k, v)| format!("{k}={v}")).collect();
                out.push(ConfigText {
                    path: LABELS_PATH,
                    text: lines(items.iter().map(String::as_str)),
                });
            }
            let cmd: Vec<&str> = c
                .entrypoint
                .iter()
                .flatten()
                .chain(c.cmd.iter().flatten())
                .map(String::as_str)
                .collect();
            if !cmd.is_empty() {
                out.push(ConfigText {
                    path: CMD_PATH,
                    text: lines(std::iter::once(cmd.join(" ").as_str())),
                });
            }
        }
        let hist: Vec<&str> = self
            .history
            .iter()
            .filter_map(|h| h.created_by.as_deref())
            .collect();
        if !hist.is_empty() {
            out.push(ConfigText {
                path: HISTORY_PATH,
                text: lines(hist.into_iter()),
            });
        }
        out
    }
}

/// One item a line; a newline inside an item (a multi-line `RUN`) stays,
/// so a finding's line is the item's line plus its own offset.
fn lines<'a>(items: impl Iterator<Item = &'a str>) -> String {
    let mut s = String::new();
    for i in items {
        s.push_str(i);
        s.push('\n');
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn history_maps_to_layers() {
        let c: ImageConfig = serde_json::from_str(
            r#"{"history":[{"created_by":"ADD rootfs /"},{"created_by":"ENV A=1","empty_layer":true},{"created_by":"RUN apt-get install x"}],
                "config":{"Env":["PATH=/usr/bin","TOKEN=abc"],"Labels":{"a":"b"},"Cmd":["sh"],"Entrypoint":null}}"#,
        )
        .unwrap();
        assert_eq!(
            c.layer_history(3),
            vec![
                Some("ADD rootfs /".into()),
                Some("RUN apt-get install x".into()),
                None
            ]
        );
        let t = c.texts();
        assert_eq!(t[0].text, "PATH=/usr/bin\nTOKEN=abc\n");
        assert_eq!(t[1].text, "a=b\n");
        assert_eq!(t[2].text, "sh\n");
        assert_eq!(t[3].path, HISTORY_PATH);
    }
}
