//! What scripts contain: `expression-injection`, `expression-in-script`,
//! `curl-pipe-shell`, `deprecated-commands`, and `insecure-commands`
//! (the environment variable that turns the worst of them back on).

use std::sync::LazyLock;

use regex::Regex;

use super::{step_script, Ctx};
use crate::workflows::expr;
use crate::workflows::model::Job;
use crate::workflows::yaml::{Entry, Node};

pub fn check(ctx: &mut Ctx) {
    for (job, steps) in ctx.groups() {
        for (i, step) in steps.iter().enumerate() {
            if let Some(script) = step_script(step) {
                if let Some(text) = script.value.as_str() {
                    let label = step_label(step, i);
                    injection(ctx, script, text, job.as_ref(), &label);
                    downloads(ctx, script, text, job.as_ref());
                    commands(ctx, script, text, job.as_ref());
                }
            }
            insecure_env(ctx, step.get("env"), job.as_ref());
        }
        if let Some(j) = &job {
            insecure_env(ctx, j.node().get("env"), job.as_ref());
        }
    }
    if ctx.workflow() {
        insecure_env(ctx, ctx.root.get("env"), None);
    }
}

/// `step 3 ("Build")` for messages.
pub fn step_label(step: &Node, index: usize) -> String {
    match step.get_str("name").or_else(|| step.get_str("id")) {
        Some(n) => format!("step {} ({n:?})", index + 1),
        None => format!("step {}", index + 1),
    }
}

/// How far an attacker reaches a context value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Taint {
    /// Written by whoever opens a pull request, issue or comment.
    Attacker,
    /// Not known to be safe: inputs, event fields guardrail has no entry for.
    Unknown,
}

/// Event fields whose values are numbers, SHAs, booleans, timestamps or
/// names GitHub restricts to `[A-Za-z0-9._-]` (logins, repository names).
const SAFE_LEAVES: &[&str] = &[
    "number",
    "id",
    "node_id",
    "sha",
    "head_sha",
    "base_sha",
    "before",
    "after",
    "merged",
    "draft",
    "state",
    "locked",
    "created_at",
    "updated_at",
    "closed_at",
    "merged_at",
    "pushed_at",
    "run_id",
    "run_number",
    "run_attempt",
    "additions",
    "deletions",
    "changed_files",
    "comments",
    "review_comments",
    "fork",
    "private",
    "size",
    "workflow_id",
    "check_suite_id",
    "conclusion",
    "status",
    "action",
    "forced",
    "deleted",
    "created",
    "author_association",
    "login",
    "full_name",
    "html_url",
    "url",
    "clone_url",
    "ssh_url",
    "git_url",
    "api_url",
    "type",
    "visibility",
    "event",
    "commits_url",
    "diff_url",
    "patch_url",
    "issue_url",
    "timestamp",
    "path",
    "head_repository_id",
    "repository_id",
    "installation",
    "owner",
];

/// Free text anyone can write into their pull request, issue, comment,
/// commit or wiki page.
const ATTACKER_LEAVES: &[&str] = &[
    "title",
    "body",
    "message",
    "page_name",
    "email",
    "description",
    "head_branch",
    "head_ref",
];

/// Objects whose JSON (`toJSON(github.event.pull_request)`) holds such text.
const ATTACKER_OBJECTS: &[&str] = &[
    "pull_request",
    "issue",
    "comment",
    "review",
    "review_comment",
    "head_commit",
    "commits",
    "discussion",
    "pages",
    "head",
    "workflow_run",
    "pull_requests",
    "author",
    "committer",
];

pub fn taint(path: &str) -> Option<Taint> {
    if path == "github.head_ref" {
        return Some(Taint::Attacker);
    }
    // Branch and tag names may hold `$(...)`, `;` and quotes; whoever can
    // push a branch or tag (or name the base branch) chooses them.
    if matches!(path, "github.ref" | "github.ref_name" | "github.base_ref") {
        return Some(Taint::Unknown);
    }
    if path.starts_with("inputs.") || path == "inputs" {
        return Some(Taint::Unknown);
    }
    let rest = if path == "github.event" {
        ""
    } else {
        path.strip_prefix("github.event.")?
    };
    if rest.is_empty() {
        return Some(Taint::Attacker);
    }
    let segs: Vec<&str> = rest.split('.').filter(|s| *s != "*").collect();
    let Some(&last) = segs.last() else {
        return Some(Taint::Attacker);
    };
    let parent = segs.len().checked_sub(2).map(|i| segs[i]).unwrap_or("");
    if segs.first() == Some(&"inputs") {
        return Some(Taint::Unknown);
    }
    let attacker = ATTACKER_LEAVES.contains(&last)
        || ATTACKER_OBJECTS.contains(&last)
        || (parent == "head" && matches!(last, "ref" | "label"))
        || (last == "default_branch" && rest.contains("head"))
        || (last == "name" && matches!(parent, "author" | "committer"));
    if attacker {
        return Some(Taint::Attacker);
    }
    if SAFE_LEAVES.contains(&last) {
        return None;
    }
    Some(Taint::Unknown)
}

fn injection(ctx: &mut Ctx, script: &Entry, text: &str, job: Option<&Job>, label: &str) {
    let mut seen: Vec<&str> = Vec::new();
    for e in expr::find(text) {
        let whole = e.text(text);
        let occurrence = seen.iter().filter(|s| **s == whole).count();
        seen.push(whole);
        let mut worst: Option<(Taint, String)> = None;
        for path in expr::expanding_contexts(e.inner) {
            match (taint(&path), &worst) {
                (Some(Taint::Attacker), Some((Taint::Attacker, _))) => {}
                (Some(Taint::Attacker), _) => worst = Some((Taint::Attacker, path)),
                (Some(Taint::Unknown), None) => worst = Some((Taint::Unknown, path)),
                _ => {}
            }
        }
        let Some((t, path)) = worst else { continue };
        let (rule, who) = match t {
            Taint::Attacker => (
                "expression-injection",
                "which whoever opens the pull request, issue or comment writes",
            ),
            Taint::Unknown => (
                "expression-in-script",
                "whose origin guardrail cannot vouch for",
            ),
        };
        let key = script.key_str().unwrap_or("run");
        let message = format!(
            "`{whole}` puts `{path}`, {who}, into the `{key}:` of {label} as code; pass it through `env:` and use the variable instead"
        );
        ctx.in_value_nth(rule, script, whole, occurrence, job, message);
    }
}

static PIPE_TO_SHELL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?m)\b(?:curl|wget)\b[^|\n]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+(?:\S+=\S*\s+)*)?(?:ba|z|k|da|fi)?sh\b",
        r"|\b(?:ba|z|k)?sh\s+(?:-\S+\s+)*<\(\s*(?:curl|wget)\b[^)\n]*",
        r#"|\b(?:ba|z|k)?sh\s+-c\s+["']?\$\(\s*(?:curl|wget)\b[^)\n]*"#,
        r"|(?i:\b(?:iwr|irm|invoke-webrequest|invoke-restmethod)\b[^|\n]*\|\s*(?:iex|invoke-expression)\b)",
    ))
    .expect("static regex")
});

static DOWNLOAD_TO_FILE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?m)\b(?:curl|wget)\b[^\n|]*?\s(?:-[a-zA-Z]*o|--output|-O|--output-document)[ =]?["']?([^\s"'|;&]+)"#)
        .expect("static regex")
});

static VERIFIES: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)sha(?:1|224|256|384|512)sum|shasum|gpg\s+(?:--batch\s+)?--verify|cosign\s+verify|minisign|gh\s+attestation\s+verify|get-filehash|--checksum|sha256\s+-c|openssl\s+dgst|slsa-verifier")
        .expect("static regex")
});

fn downloads(ctx: &mut Ctx, script: &Entry, text: &str, job: Option<&Job>) {
    let mut seen: Vec<String> = Vec::new();
    let mut report = |ctx: &mut Ctx, needle: &str, message: String| {
        let n = seen.iter().filter(|s| *s == needle).count();
        seen.push(needle.to_string());
        ctx.in_value_nth("curl-pipe-shell", script, needle, n, job, message);
    };
    let mut needles = Vec::new();
    for m in PIPE_TO_SHELL.find_iter(text) {
        needles.push((m.start(), m.as_str().trim_end().to_string(), true));
    }
    if !VERIFIES.is_match(text) {
        for c in DOWNLOAD_TO_FILE.captures_iter(text) {
            let file = c.get(1).map(|m| m.as_str()).unwrap_or("");
            if file.is_empty() || file == "-" || file.starts_with("/dev/") {
                continue;
            }
            let base = file.rsplit('/').next().unwrap_or(file);
            let esc = regex::escape(base);
            let run = Regex::new(&format!(
                r"(?m)(?:\b(?:ba|z|k|da)?sh\s+(?:-\S+\s+)*|\bsource\s+|^\s*\.\s+|chmod\s+\S+\s+|\./)\S*{esc}\b"
            ));
            let after = &text[c.get(0).map(|m| m.end()).unwrap_or(0)..];
            if run.is_ok_and(|r| r.is_match(after)) {
                let whole = c.get(0).expect("match").as_str();
                needles.push((c.get(0).expect("match").start(), whole.to_string(), false));
            }
        }
    }
    needles.sort();
    for (_, needle, piped) in needles {
        let cmd = first_line(&needle);
        let message = if piped {
            format!("`{cmd}` runs whatever the server sends, unverified; download to a file, check its SHA-256, then run it")
        } else {
            format!("`{cmd}` downloads a file that the script then runs without checking a digest; verify it with `sha256sum -c` first")
        };
        report(ctx, first_line(&needle), message);
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

static DEPRECATED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"::(set-output|save-state|set-env|add-path)\b").expect("static regex")
});

fn commands(ctx: &mut Ctx, script: &Entry, text: &str, job: Option<&Job>) {
    let mut counts: std::collections::HashMap<&str, usize> = Default::default();
    for m in DEPRECATED.find_iter(text) {
        let n = counts.entry(m.as_str()).or_default();
        let name = &m.as_str()[2..];
        let file = match name {
            "set-output" => "$GITHUB_OUTPUT",
            "save-state" => "$GITHUB_STATE",
            "set-env" => "$GITHUB_ENV",
            _ => "$GITHUB_PATH",
        };
        ctx.in_value_nth(
            "deprecated-commands",
            script,
            m.as_str(),
            *n,
            job,
            format!("`::{name}` is a deprecated workflow command that any output of the step can trigger; append to \"{file}\" instead"),
        );
        *n += 1;
    }
}

fn insecure_env(ctx: &mut Ctx, env: Option<&Node>, job: Option<&Job>) {
    let Some(e) = env.and_then(|e| e.entry("ACTIONS_ALLOW_UNSECURE_COMMANDS")) else {
        return;
    };
    let on = e.value.as_bool().unwrap_or(false)
        || e.value
            .as_str()
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("true") || s.contains("${{"));
    if on {
        ctx.at(
            "insecure-commands",
            &e.key,
            job,
            "ACTIONS_ALLOW_UNSECURE_COMMANDS turns `::set-env` and `::add-path` back on for every step it reaches; remove it and write to \"$GITHUB_ENV\" / \"$GITHUB_PATH\"".into(),
            "ACTIONS_ALLOW_UNSECURE_COMMANDS",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn taint_of_contexts() {
        for p in [
            "github.event.pull_request.title",
            "github.event.issue.body",
            "github.event.comment.body",
            "github.event.pull_request.head.ref",
            "github.event.pull_request.head.label",
            "github.event.commits.*.message",
            "github.event.head_commit.author.name",
            "github.event.workflow_run.head_branch",
            "github.head_ref",
            "github.event",
            "github.event.pull_request",
            "github.event.pull_request.head.repo.default_branch",
        ] {
            assert_eq!(taint(p), Some(Taint::Attacker), "{p}");
        }
        for p in [
            "github.event.pull_request.number",
            "github.event.pull_request.head.sha",
            "github.event.pull_request.head.repo.full_name",
            "github.event.sender.login",
            "github.sha",
            "github.actor",
            "github.event.pull_request.user.login",
            "matrix.os",
            "steps.x.outputs.y",
        ] {
            assert_eq!(taint(p), None, "{p}");
        }
        assert_eq!(taint("inputs.version"), Some(Taint::Unknown));
        assert_eq!(taint("github.ref_name"), Some(Taint::Unknown));
        assert_eq!(taint("github.event.inputs.tag"), Some(Taint::Unknown));
        assert_eq!(taint("github.event.release.tag_name"), Some(Taint::Unknown));
    }

    #[test]
    fn pipe_to_shell_forms() {
        for s in [
            "curl -fsSL https://x/i.sh | sh",
            "curl https://x | sudo -E bash -",
            "wget -qO- https://x | bash -s -- -y",
            "bash <(curl -s https://x)",
            "sh -c \"$(curl -fsSL https://x)\"",
            "iwr https://x/i.ps1 | iex",
        ] {
            assert!(PIPE_TO_SHELL.is_match(s), "{s}");
        }
        for s in [
            "curl -s https://x | jq .",
            "curl -s https://x | shasum",
            "echo hi | sh",
            "curl -o f https://x",
        ] {
            assert!(!PIPE_TO_SHELL.is_match(s), "{s}");
        }
    }
}
