//! The checks behind the rules of `rules/workflows/`. Each module raises a
//! few related rules; [`run_all`] runs every check on one parsed file.

mod conditions;
mod permissions;
mod pinning;
mod scripts;
mod untrusted;

use super::model::{self, FileKind, Job};
use super::yaml::{Entry, Lines, Node, Pos};

/// What the checks may be told by the configuration.
#[derive(Debug, Clone, Default)]
pub struct Policy {
    /// `owner/repo` globs (`actions/*`) that may be pinned to a tag.
    pub trusted_actions: Vec<String>,
    /// Known pins, for the fix in messages.
    pub pins: crate::workflows::pins::PinTable,
}

impl Policy {
    pub fn trusts(&self, slug: &str) -> bool {
        self.trusted_actions
            .iter()
            .any(|p| glob_match(&p.to_ascii_lowercase(), slug))
    }
}

/// `*` matches any run of characters (including `/`); nothing else is special.
fn glob_match(pattern: &str, s: &str) -> bool {
    let parts: Vec<&str> = pattern.split('*').collect();
    if parts.len() == 1 {
        return pattern == s;
    }
    let mut rest = s;
    for (i, part) in parts.iter().enumerate() {
        if i == 0 {
            let Some(r) = rest.strip_prefix(part) else {
                return false;
            };
            rest = r;
        } else if i == parts.len() - 1 {
            return rest.ends_with(part);
        } else {
            match rest.find(part) {
                Some(at) => rest = &rest[at + part.len()..],
                None => return false,
            }
        }
    }
    true
}

/// One raw finding of a check.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: &'static str,
    /// Where the offending key (or text inside a script) is.
    pub pos: Pos,
    /// The line of the key that owns the finding (for `guardrail:allow`
    /// comments on the key of a multi-line script).
    pub key_line: usize,
    pub message: String,
    /// What the finding is about (the `uses:` value, the expression...),
    /// for fingerprints that survive line moves.
    pub evidence: String,
    pub job: Option<String>,
}

pub struct Ctx<'a> {
    pub path: &'a str,
    pub lines: &'a Lines<'a>,
    pub root: &'a Node,
    pub kind: FileKind,
    pub policy: &'a Policy,
    pub hits: Vec<Hit>,
}

impl<'a> Ctx<'a> {
    /// A finding at a key (or any node).
    pub fn at(
        &mut self,
        rule: &'static str,
        node: &Node,
        job: Option<&Job>,
        message: String,
        evidence: impl Into<String>,
    ) {
        self.hits.push(Hit {
            rule,
            pos: node.span.start,
            key_line: node.span.start.line,
            message,
            evidence: evidence.into(),
            job: job.map(|j| j.id.to_string()),
        });
    }

    /// A finding at `needle` inside the value of `entry` (a script), or at
    /// the entry's key when the text cannot be found as written.
    pub fn in_value(
        &mut self,
        rule: &'static str,
        entry: &Entry,
        needle: &str,
        job: Option<&Job>,
        message: String,
    ) {
        self.in_value_nth(rule, entry, needle, 0, job, message)
    }

    /// Same, at the `n`-th (0-based) occurrence of `needle`.
    pub fn in_value_nth(
        &mut self,
        rule: &'static str,
        entry: &Entry,
        needle: &str,
        n: usize,
        job: Option<&Job>,
        message: String,
    ) {
        let pos = self
            .lines
            .find_nth_in(entry.value.span, needle, n)
            .unwrap_or(entry.key.span.start);
        self.hits.push(Hit {
            rule,
            pos,
            key_line: entry.key.span.start.line,
            message,
            evidence: format!("{needle}#{n}"),
            job: job.map(|j| j.id.to_string()),
        });
    }

    pub fn workflow(&self) -> bool {
        self.kind == FileKind::Workflow
    }

    pub fn has_trigger(&self, names: &[&str]) -> bool {
        self.workflow() && model::has_trigger(self.root, names)
    }

    pub fn groups(&self) -> Vec<(Option<Job<'a>>, &'a [Node])> {
        model::step_groups(self.root, self.kind)
    }
}

/// A script a step runs: `run:` (any shell), or the `script:` input of
/// actions/github-script or appleboy/ssh-action.
pub fn step_script(step: &Node) -> Option<&Entry> {
    if let Some(e) = step.entry("run") {
        return Some(e);
    }
    // Actions whose `script:` input is code (JavaScript, a remote shell).
    for sink in ["actions/github-script", "appleboy/ssh-action"] {
        if model::step_uses_action(step, sink) {
            return step.get("with").and_then(|w| w.entry("script"));
        }
    }
    None
}

/// Every check, on one file; the hits come back in file order.
pub fn run_all(ctx: &mut Ctx) {
    pinning::check(ctx);
    scripts::check(ctx);
    untrusted::check(ctx);
    permissions::check(ctx);
    conditions::check(ctx);
    ctx.hits
        .sort_by(|a, b| (a.pos.line, a.pos.col, a.rule).cmp(&(b.pos.line, b.pos.col, b.rule)));
}

/// Every rule id a check can raise (a test matches them with the rule data).
pub const RULE_IDS: &[&str] = &[
    "app-token-scope",
    "bot-condition",
    "broad-write-permissions",
    "cache-in-release",
    "checkout-persist-credentials",
    "curl-pipe-shell",
    "deprecated-commands",
    "expression-in-script",
    "expression-injection",
    "insecure-commands",
    "missing-permissions",
    "secrets-inherit",
    "secrets-to-fork-code",
    "self-hosted-pr",
    "unpinned-action",
    "unpinned-image",
    "unsound-condition",
    "untrusted-checkout",
    "write-all-permissions",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("actions/*", "actions/checkout"));
        assert!(!glob_match("actions/*", "actionsx/checkout"));
        assert!(glob_match("github/codeql-action", "github/codeql-action"));
        assert!(glob_match("*/setup-*", "actions/setup-node"));
        assert!(!glob_match("a", "ab"));
    }
}
