//! The pin table: commit SHAs of the action releases guardrail writes into
//! workflows (`guardrail init`) and knows how to pin (`--fix-pins`). It is
//! the one list: this repository's own workflows, examples and docs use
//! exactly these pins, and a test fails when one drifts from it (bump both
//! together, e.g. when Dependabot updates a workflow).
//!
//! A user pin file (`--pins FILE`, or `pin_file` in `[workflows]`) adds or
//! overrides entries:
//!
//! ```toml
//! [[pin]]
//! action = "owner/repo"
//! version = "v1.2.3"
//! sha = "<40 hex>"
//! ```

use std::path::Path;

use serde::Deserialize;

use super::model::Uses;

/// `(owner/repo, version tag, commit SHA)`. The SHA of a tag is read from
/// the action's repository (`git ls-remote --tags`); never guessed.
const BUILTIN: &[(&str, &str, &str)] = &[
    (
        "actions/attest-build-provenance",
        "v2.4.0",
        "e8998f949152b193b063cb0ec769d69d929409be",
    ),
    (
        "actions/cache",
        "v4.2.3",
        "5a3ec84eff668545956fd18022155c47e93e2684",
    ),
    (
        "actions/checkout",
        "v4.2.2",
        "11bd71901bbe5b1630ceea73d27597364c9af683",
    ),
    (
        "actions/download-artifact",
        "v4.3.0",
        "d3f86a106a0bac45b974a628896c90dbdf5c8093",
    ),
    (
        "actions/upload-artifact",
        "v4.6.2",
        "ea165f8d65b6e75b540449e92b4886f43607fa02",
    ),
    (
        "github/codeql-action",
        "v4.31.9",
        "5d4e8d1aca955e8d8589aabd499c5cae939e33c7",
    ),
    // guardrail's own action. The zero SHA is a placeholder until the first
    // release: workflows that use it say to pin the release's commit.
    (
        "guardrail-scanner/guardrail",
        "v0.1.0",
        "0000000000000000000000000000000000000000",
    ),
    (
        "Swatinem/rust-cache",
        "v2.7.8",
        "9d47c6ad4b02e050fd481d890b2ea34778fd09d6",
    ),
];

#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Pin {
    /// `owner/repo` (sub-path actions such as `github/codeql-action/upload-sarif`
    /// share their repository's pin).
    pub action: String,
    pub version: String,
    pub sha: String,
}

impl Pin {
    /// The `uses:` value and comment for this pin, keeping the spelling
    /// (and sub-path) of `u`: `owner/repo/path@sha # version`.
    pub fn uses_line(&self, u: &Uses) -> String {
        let name = match u {
            Uses::Repo {
                owner,
                repo,
                path: Some(p),
                ..
            } => format!("{owner}/{repo}/{p}"),
            Uses::Repo { owner, repo, .. } => format!("{owner}/{repo}"),
            _ => self.action.clone(),
        };
        format!("{name}@{} # {}", self.sha, self.version)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PinTable {
    pins: Vec<Pin>,
}

impl Default for PinTable {
    fn default() -> Self {
        Self::builtin()
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PinFile {
    #[serde(default)]
    pin: Vec<Pin>,
}

impl PinTable {
    pub fn builtin() -> Self {
        PinTable {
            pins: BUILTIN
                .iter()
                .map(|(a, v, s)| Pin {
                    action: a.to_string(),
                    version: v.to_string(),
                    sha: s.to_string(),
                })
                .collect(),
        }
    }

    pub fn pins(&self) -> &[Pin] {
        &self.pins
    }

    /// Add the entries of a pin file; an entry for an action already in the
    /// table at the same version replaces it.
    pub fn load_file(&mut self, path: &Path) -> Result<(), String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("pin file {}: {e}", path.display()))?;
        let file: PinFile = toml::from_str(&text).map_err(|e| {
            format!(
                "pin file {}: {}",
                path.display(),
                crate::util::toml_error_line(&text, &e)
            )
        })?;
        for p in file.pin {
            if p.action.split('/').count() != 2 {
                return Err(format!(
                    "pin file {}: action {:?} is not owner/repo",
                    path.display(),
                    p.action
                ));
            }
            if !super::model::is_full_sha(&p.sha) {
                return Err(format!(
                    "pin file {}: {}@{}: sha {:?} is not a full commit SHA",
                    path.display(),
                    p.action,
                    p.version,
                    p.sha
                ));
            }
            self.pins
                .retain(|q| !(q.action.eq_ignore_ascii_case(&p.action) && q.version == p.version));
            // User pins are consulted first.
            self.pins.insert(0, p);
        }
        Ok(())
    }

    /// The pin for `slug` (`owner/repo`, any case) at `git_ref`: the same
    /// version, or the newest known release in a major or minor line
    /// (`v4` -> `v4.2.2`).
    pub fn lookup(&self, slug: &str, git_ref: &str) -> Option<&Pin> {
        let want = git_ref.trim();
        self.pins.iter().find(|p| {
            p.action.eq_ignore_ascii_case(slug)
                && (p.version == want || p.version.starts_with(&format!("{want}.")))
        })
    }

    /// The (first) pin of an action, for the templates.
    pub fn get(&self, slug: &str) -> Option<&Pin> {
        self.pins
            .iter()
            .find(|p| p.action.eq_ignore_ascii_case(slug))
    }

    /// `uses:` text for `owner/repo[/path]` from the table, for templates:
    /// `actions/checkout@<sha> # v4.2.2`. Panics on an action the table does
    /// not have: templates only name built-in pins, and a test renders them.
    pub fn uses(&self, action: &str) -> String {
        let repo: String = action.splitn(3, '/').take(2).collect::<Vec<_>>().join("/");
        let pin = self
            .get(&repo)
            .unwrap_or_else(|| panic!("no pin for {action} in the pin table"));
        format!("{action}@{} # {}", pin.sha, pin.version)
    }
}

/// The built-in table's lookup (for messages).
pub fn lookup(slug: &str, git_ref: &str) -> Option<Pin> {
    PinTable::builtin().lookup(slug, git_ref).cloned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_pins_are_full_shas_and_unique() {
        let t = PinTable::builtin();
        for p in t.pins() {
            assert!(super::super::model::is_full_sha(&p.sha), "{p:?}");
            assert!(p.version.starts_with('v'), "{p:?}");
            assert_eq!(
                t.pins().iter().filter(|q| q.action == p.action).count(),
                1,
                "{p:?}"
            );
        }
    }

    #[test]
    fn lookup_by_exact_or_major_version() {
        let t = PinTable::builtin();
        assert_eq!(
            t.lookup("actions/checkout", "v4").unwrap().version,
            "v4.2.2"
        );
        assert_eq!(
            t.lookup("Actions/Checkout", "v4.2.2").unwrap().version,
            "v4.2.2"
        );
        assert!(t.lookup("actions/checkout", "v3").is_none());
        assert!(t.lookup("actions/checkout", "main").is_none());
        let u = Uses::parse("github/codeql-action/upload-sarif@v4").unwrap();
        assert_eq!(
            t.lookup("github/codeql-action", "v4")
                .unwrap()
                .uses_line(&u),
            "github/codeql-action/upload-sarif@5d4e8d1aca955e8d8589aabd499c5cae939e33c7 # v4.31.9"
        );
    }

    #[test]
    fn pin_files_add_and_override() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("pins.toml");
        std::fs::write(
            &f,
            "[[pin]]\naction = \"someone/tool\"\nversion = \"v1.0.0\"\nsha = \"0123456789abcdef0123456789abcdef01234567\"\n",
        )
        .unwrap();
        let mut t = PinTable::builtin();
        t.load_file(&f).unwrap();
        assert_eq!(
            t.lookup("someone/tool", "v1").unwrap().sha,
            "0123456789abcdef0123456789abcdef01234567"
        );
        std::fs::write(
            &f,
            "[[pin]]\naction = \"a/b\"\nversion = \"v1\"\nsha = \"abc\"\n",
        )
        .unwrap();
        let err = t.load_file(&f).unwrap_err();
        assert!(
            err.contains("pins.toml") && err.contains("full commit SHA"),
            "{err}"
        );
        std::fs::write(&f, "[[pins]]\n").unwrap();
        assert!(t.load_file(&f).unwrap_err().contains("pins.toml"));
    }
}
