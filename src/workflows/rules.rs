//! The audit's rules as data (`rules/workflows/*.toml`, compiled in): id,
//! severity, the attack and the fix, references, examples. The checks that
//! raise them are in [`super::checks`].

use std::sync::LazyLock;

use serde::Deserialize;

pub use crate::rules::Severity;

/// The rule packs, by file name.
pub const PACKS: &[(&str, &str)] = &[
    (
        "conditions.toml",
        include_str!("../../rules/workflows/conditions.toml"),
    ),
    (
        "supply-chain.toml",
        include_str!("../../rules/workflows/supply-chain.toml"),
    ),
    (
        "untrusted.toml",
        include_str!("../../rules/workflows/untrusted.toml"),
    ),
    (
        "privileges.toml",
        include_str!("../../rules/workflows/privileges.toml"),
    ),
];

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WorkflowRule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(default)]
    pub tags: Vec<String>,
    /// What an attacker does with the weakness.
    pub attack: String,
    /// How to fix it.
    pub fix: String,
    pub references: Vec<String>,
    pub examples: Examples,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Examples {
    /// Workflows (or action files) that raise the rule on the lines marked
    /// `# expect`.
    pub positive: Vec<String>,
    /// Workflows that must not raise it.
    pub negative: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Pack {
    rules: Vec<WorkflowRule>,
}

impl WorkflowRule {
    /// The help text: the attack, the fix, the references.
    pub fn help(&self) -> String {
        format!(
            "{}\n\nFix: {}\n\nSee: {}",
            squash(&self.attack),
            squash(&self.fix),
            self.references.join(" ")
        )
    }

    pub fn help_markdown(&self) -> String {
        let refs: Vec<String> = self.references.iter().map(|r| format!("- <{r}>")).collect();
        format!(
            "**{}**\n\n{}\n\n**Fix.** {}\n\n**References**\n\n{}\n\nSuppress one occurrence with `# guardrail:allow {}` on its line, or everywhere with `[workflows] allow = [\"{}\"]` in guardrail.toml.",
            self.title,
            squash(&self.attack),
            squash(&self.fix),
            refs.join("\n"),
            self.id,
            self.id
        )
    }
}

/// Join the hard-wrapped lines of a TOML text into paragraphs.
fn squash(s: &str) -> String {
    s.trim()
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .join("\n\n")
}

fn load() -> Result<Vec<WorkflowRule>, String> {
    let mut all: Vec<WorkflowRule> = Vec::new();
    for (name, text) in PACKS {
        let pack: Pack = toml::from_str(text).map_err(|e| {
            format!(
                "rules/workflows/{name}: {}",
                crate::util::toml_error_line(text, &e)
            )
        })?;
        for r in pack.rules {
            if all.iter().any(|a| a.id == r.id) {
                return Err(format!(
                    "rules/workflows/{name}: rule {} defined twice",
                    r.id
                ));
            }
            all.push(r);
        }
    }
    all.sort_by(|a, b| a.id.cmp(&b.id));
    Ok(all)
}

static RULES: LazyLock<Vec<WorkflowRule>> =
    LazyLock::new(|| load().unwrap_or_else(|e| panic!("built-in workflow rules: {e}")));

/// Every rule, sorted by id. The packs are compiled in and a unit test
/// parses them, so loading cannot fail in a tested build.
pub fn all() -> &'static [WorkflowRule] {
    &RULES
}

pub fn get(id: &str) -> Option<&'static WorkflowRule> {
    all().iter().find(|r| r.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packs_parse_and_every_rule_is_complete() {
        let rules = load().unwrap();
        assert!(rules.len() >= 15, "{}", rules.len());
        for r in &rules {
            assert!(
                !r.attack.trim().is_empty() && !r.fix.trim().is_empty(),
                "{}",
                r.id
            );
            assert!(
                r.references.iter().all(|u| u.starts_with("https://")),
                "{}",
                r.id
            );
            assert!(
                !r.examples.positive.is_empty(),
                "{} has no positive example",
                r.id
            );
            assert!(
                !r.examples.negative.is_empty(),
                "{} has no negative example",
                r.id
            );
            assert!(
                r.id.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'),
                "{}",
                r.id
            );
        }
    }

    #[test]
    fn every_pack_file_is_compiled_in() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("rules/workflows");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .filter_map(|e| e.ok())
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .filter(|n| n.ends_with(".toml"))
            .collect();
        on_disk.sort();
        let mut compiled: Vec<String> = PACKS.iter().map(|(n, _)| n.to_string()).collect();
        compiled.sort();
        assert_eq!(on_disk, compiled);
    }
}

#[cfg(test)]
mod example_tests {
    //! Every rule's examples: positives raise it exactly on the `# expect`
    //! lines, negatives never raise it.
    use super::*;
    use crate::workflows::audit::{audit_text, AuditOptions, FileOutcome};

    fn expected_lines(text: &str) -> Vec<usize> {
        text.lines()
            .enumerate()
            .filter(|(_, l)| l.contains("# expect") || l.contains("// expect"))
            .map(|(i, _)| i + 1)
            .collect()
    }

    fn name_of(text: &str) -> &'static str {
        if text.lines().any(|l| l.starts_with("runs:")) {
            "action.yml"
        } else {
            ".github/workflows/example.yml"
        }
    }

    fn lines_of(rule: &str, text: &str) -> Vec<usize> {
        match audit_text(name_of(text), text, &AuditOptions::default()) {
            FileOutcome::Audited { findings, .. } => {
                let mut v: Vec<usize> = findings
                    .iter()
                    .filter(|f| f.rule.id == rule)
                    .map(|f| f.line)
                    .collect();
                v.dedup();
                v
            }
            other => panic!("{rule}: example not audited: {other:?}\n{text}"),
        }
    }

    #[test]
    fn every_rule_has_a_check_and_every_check_a_rule() {
        let ids: Vec<&str> = all().iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, crate::workflows::checks::RULE_IDS);
    }

    #[test]
    fn positive_examples_raise_the_rule_on_the_marked_lines() {
        for r in all() {
            for ex in &r.examples.positive {
                let want = expected_lines(ex);
                assert!(
                    !want.is_empty(),
                    "{}: positive example without `# expect`",
                    r.id
                );
                assert_eq!(lines_of(&r.id, ex), want, "{}:\n{ex}", r.id);
            }
        }
    }

    #[test]
    fn negative_examples_do_not_raise_the_rule() {
        for r in all() {
            for ex in &r.examples.negative {
                assert_eq!(lines_of(&r.id, ex), Vec::<usize>::new(), "{}:\n{ex}", r.id);
            }
        }
    }
}
