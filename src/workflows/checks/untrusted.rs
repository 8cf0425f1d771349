//! Jobs that run someone else's code: `untrusted-checkout`,
//! `checkout-persist-credentials`, `secrets-to-fork-code`,
//! `self-hosted-pr`, and releases built from shared caches
//! (`cache-in-release`).

use std::sync::LazyLock;

use regex::Regex;

use super::{step_script, Ctx};
use crate::workflows::expr;
use crate::workflows::model::{
    self, same_repo_guard, step_uses, step_uses_action, Job, Uses, PRIVILEGED_PR_EVENTS, PR_EVENTS,
};
use crate::workflows::yaml::{Entry, Node};

pub fn check(ctx: &mut Ctx) {
    if !ctx.workflow() {
        return;
    }
    let privileged = ctx.has_trigger(PRIVILEGED_PR_EVENTS);
    let pr_code = ctx.has_trigger(&[
        "pull_request",
        "pull_request_review",
        "pull_request_review_comment",
        "merge_group",
    ]);
    let release_workflow = is_release_workflow(ctx.root);
    let pr_events = ctx.has_trigger(PR_EVENTS);
    for job in model::jobs(ctx.root) {
        let steps = job.steps();
        let head: Vec<(usize, &Entry)> = steps
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                // actions/checkout refuses a PR head in privileged contexts
                // unless told otherwise: being told is the finding, whatever
                // the trigger (a reusable workflow's caller may be privileged).
                if let Some(e) = unsafe_checkout_opt_in(s) {
                    return Some((i, e));
                }
                privileged
                    .then(|| head_checkout(s).map(|e| (i, e)))
                    .flatten()
            })
            .collect();
        for (_, e) in &head {
            ctx.at(
                "untrusted-checkout",
                &e.key,
                Some(&job),
                format!(
                    "job `{}` checks out the pull request's code in a workflow that runs with the base repository's secrets and write token (`{}`); build it in a `pull_request` workflow instead",
                    job.id,
                    first_line(e.value.as_str().unwrap_or(""))
                ),
                e.value.as_str().unwrap_or("").to_string(),
            );
        }
        let guarded = job.node().get_str("if").is_some_and(same_repo_guard);
        if let Some(&(first, _)) = head.first() {
            if !guarded {
                fork_secrets(ctx, &job, first);
            }
        }
        if pr_code || !head.is_empty() {
            persist_credentials(ctx, &job);
        }
        if pr_events {
            self_hosted(ctx, &job);
        }
        if release_workflow || publishes(&job) {
            caches(ctx, &job);
        }
    }
}

fn first_line(s: &str) -> &str {
    s.lines().next().unwrap_or(s).trim()
}

static SHELL_HEAD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgh\s+pr\s+checkout\b|\bgit\s+(?:fetch|pull)\b[^\n]*\bpull/|refs/pull/")
        .expect("static regex")
});
static GIT_MOVE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgit\s+(?:checkout|switch|fetch|pull|reset)\b").expect("static regex")
});

/// Context values that name the pull request's head.
fn names_head(path: &str) -> bool {
    path == "github.head_ref"
        || path.starts_with("github.event.pull_request.head.")
        || path.starts_with("github.event.workflow_run.head_")
        || path.starts_with("github.event.workflow_run.pull_requests")
        || path.ends_with("merge_commit_sha")
}

fn value_names_head(v: &str) -> bool {
    v.contains("refs/pull/")
        || expr::find(v)
            .iter()
            .flat_map(|e| expr::referenced_contexts(e.inner))
            .any(|p| names_head(&p))
}

fn unsafe_checkout_opt_in(step: &Node) -> Option<&Entry> {
    if !step_uses_action(step, "actions/checkout") {
        return None;
    }
    step.get("with")?
        .entry("allow-unsafe-pr-checkout")
        .filter(|e| truthy(&e.value))
}

/// The key of a step that checks out the pull request's head: `ref:` or
/// `repository:` of actions/checkout, or a script that fetches it.
fn head_checkout(step: &Node) -> Option<&Entry> {
    if step_uses_action(step, "actions/checkout") {
        return step.get("with")?.as_map()?.iter().find(|e| {
            matches!(e.key_str(), Some("ref" | "repository"))
                && e.value.as_str().is_some_and(value_names_head)
        });
    }
    let run = step.entry("run")?;
    let text = run.value.as_str()?;
    (SHELL_HEAD.is_match(text) || (GIT_MOVE.is_match(text) && value_names_head(text)))
        .then_some(run)
}

/// `secrets.X` (not the job's own token) anywhere under a node, with the
/// entry whose value holds it.
fn secret_refs<'a>(node: &'a Node, out: &mut Vec<(&'a Entry, String)>) {
    match &node.kind {
        crate::workflows::yaml::Kind::Map(entries) => {
            for e in entries {
                if let Some(s) = e.value.as_str() {
                    for x in expr::find(s) {
                        let uses_secret = expr::referenced_contexts(x.inner).iter().any(|p| {
                            p.starts_with("secrets.") && p != "secrets.github_token"
                                || p == "secrets"
                        });
                        if uses_secret {
                            out.push((e, x.text(s).to_string()));
                        }
                    }
                } else {
                    secret_refs(&e.value, out);
                }
            }
        }
        crate::workflows::yaml::Kind::Seq(items) => items.iter().for_each(|n| secret_refs(n, out)),
        crate::workflows::yaml::Kind::Scalar { .. } => {}
    }
}

fn fork_secrets(ctx: &mut Ctx, job: &Job, first_checkout: usize) {
    let mut refs = Vec::new();
    if let Some(env) = ctx.root.get("env") {
        secret_refs(env, &mut refs);
    }
    if let Some(env) = job.node().get("env") {
        secret_refs(env, &mut refs);
    }
    for step in &job.steps()[first_checkout..] {
        secret_refs(step, &mut refs);
    }
    let mut seen: Vec<(usize, String)> = Vec::new();
    for (e, text) in refs {
        let key = (e.key.span.start.index, text.clone());
        let n = seen.iter().filter(|k| **k == key).count();
        seen.push(key);
        ctx.in_value_nth(
            "secrets-to-fork-code",
            e,
            &text,
            n,
            Some(job),
            format!(
                "`{text}` is in reach of job `{}` after it checked out the pull request's code, which a fork controls; keep secrets out of jobs that run it",
                job.id
            ),
        );
    }
}

fn persist_credentials(ctx: &mut Ctx, job: &Job) {
    let steps = job.steps();
    for (i, step) in steps.iter().enumerate() {
        if !step_uses_action(step, "actions/checkout") || i + 1 == steps.len() {
            continue;
        }
        let off = step
            .get("with")
            .and_then(|w| w.get("persist-credentials"))
            .is_some_and(|v| {
                v.as_bool() == Some(false) || v.as_str().is_some_and(|s| s.trim() == "false")
            });
        if off {
            continue;
        }
        if let Some((e, _)) = step_uses(step) {
            ctx.at(
                "checkout-persist-credentials",
                &e.key,
                Some(job),
                format!(
                    "checkout in job `{}` leaves the token in .git/config for the steps after it, which run the pull request's code; add `persist-credentials: false`",
                    job.id
                ),
                "actions/checkout",
            );
        }
    }
}

fn self_hosted(ctx: &mut Ctx, job: &Job) {
    let Some(e) = job.node().entry("runs-on") else {
        return;
    };
    let mut labels: Vec<String> = match e.value.get("labels") {
        Some(l) => l.strings().into_iter().map(str::to_string).collect(),
        None => e.value.strings().into_iter().map(str::to_string).collect(),
    };
    // `runs-on: ${{ matrix.runner }}`: the matrix's values.
    let matrix = job.node().get("strategy").and_then(|s| s.get("matrix"));
    for l in labels.clone() {
        for x in expr::find(&l) {
            for p in expr::expanding_contexts(x.inner) {
                let Some(key) = p.strip_prefix("matrix.") else {
                    continue;
                };
                if let Some(m) = matrix {
                    if let Some(v) = m.get(key) {
                        labels.extend(v.strings().into_iter().map(str::to_string));
                        if let Some(items) = v.as_seq() {
                            for it in items {
                                labels.extend(it.strings().into_iter().map(str::to_string));
                            }
                        }
                    }
                    for inc in m.get("include").and_then(Node::as_seq).unwrap_or(&[]) {
                        if let Some(v) = inc.get(key) {
                            labels.extend(v.strings().into_iter().map(str::to_string));
                        }
                    }
                }
            }
        }
    }
    if labels
        .iter()
        .any(|l| l.trim().eq_ignore_ascii_case("self-hosted"))
    {
        ctx.at(
            "self-hosted-pr",
            &e.key,
            Some(job),
            format!(
                "job `{}` runs on a self-hosted runner in a workflow that pull requests trigger; on a public repository that runs anyone's code on your machine",
                job.id
            ),
            "self-hosted",
        );
    }
}

/// Triggered by a release, or by tag pushes only.
fn is_release_workflow(root: &Node) -> bool {
    model::triggers(root).iter().any(|t| match t.name {
        "release" => true,
        // Tag pushes build releases, whether or not branches trigger too.
        "push" => t.config.and_then(|c| c.get("tags")).is_some_and(|tags| {
            tags.strings()
                .iter()
                .any(|p| !p.trim_start().starts_with('!'))
        }),
        _ => false,
    })
}

const PUBLISH_ACTIONS: &[&str] = &[
    "pypa/gh-action-pypi-publish",
    "softprops/action-gh-release",
    "ncipollo/release-action",
    "actions/create-release",
    "actions/upload-release-asset",
    "goreleaser/goreleaser-action",
    "actions/attest-build-provenance",
    "actions/attest-sbom",
    "actions/attest",
    "js-devtools/npm-publish",
    "rubygems/release-gem",
    "katyo/publish-crates",
];

static PUBLISH_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"\b(?:npm|pnpm|yarn)\s+(?:\S+\s+)*publish\b|\bcargo\s+publish\b|\btwine\s+upload\b",
        r"|\bgh\s+release\s+(?:create|upload)\b|\bgem\s+push\b|\bdocker\s+(?:image\s+)?push\b",
        r"|\b(?:poetry|uv|flit|hatch)\s+publish\b|\bdotnet\s+nuget\s+push\b|\bgoreleaser\s+release\b",
    ))
    .expect("static regex")
});

fn publishes(job: &Job) -> bool {
    job.steps().iter().any(|s| {
        let by_action = step_uses(s)
            .and_then(|(_, u)| u.repo_slug())
            .is_some_and(|slug| PUBLISH_ACTIONS.contains(&slug.as_str()))
            || (step_uses_action(s, "docker/build-push-action")
                && s.get("with").and_then(|w| w.get("push")).is_some_and(|p| {
                    p.as_bool() == Some(true) || p.as_str().is_some_and(|v| v.contains("${{"))
                }));
        let by_run = step_script(s)
            .and_then(|e| e.value.as_str())
            .is_some_and(|t| PUBLISH_RUN.is_match(t));
        by_action || by_run
    })
}

fn truthy(v: &Node) -> bool {
    v.as_bool() == Some(true)
        || v.as_str()
            .is_some_and(|s| !s.trim().is_empty() && s.trim() != "false")
}

/// The major version of an action's ref: the tag (`v5`), or the `# v5.1.0`
/// comment beside a SHA pin.
fn major_version(ctx: &Ctx, uses: &Entry, u: &Uses) -> Option<u32> {
    let from_tag = match u {
        Uses::Repo {
            git_ref: Some(r), ..
        } if !crate::workflows::model::is_full_sha(r) => Some(r.to_string()),
        _ => None,
    };
    let tag = from_tag.or_else(|| {
        let line = ctx.lines.line(uses.value.span.start.line);
        let c = line.split_once('#')?.1.trim();
        Some(c.split_whitespace().next()?.to_string())
    })?;
    tag.trim_start_matches('v').split('.').next()?.parse().ok()
}

fn caches(ctx: &mut Ctx, job: &Job) {
    for step in job.steps() {
        let Some((uses, u)) = step_uses(step) else {
            continue;
        };
        let Some(slug) = u.action_slug() else {
            continue;
        };
        let with = step.get("with");
        let input = |k: &str| with.and_then(|w| w.entry(k));
        let hit: Option<&Node> = match slug.as_str() {
            "actions/cache"
            | "actions/cache/restore"
            | "swatinem/rust-cache"
            | "mozilla-actions/sccache-action"
            | "gradle/gradle-build-action" => Some(&uses.key),
            "gradle/actions/setup-gradle" => {
                (!input("cache-disabled").is_some_and(|e| truthy(&e.value))).then_some(&uses.key)
            }
            // setup-node v5 and later cache on their own (for a
            // `packageManager` in package.json) unless told not to.
            "actions/setup-node" => match input("cache") {
                Some(e) if truthy(&e.value) => Some(&e.key),
                Some(_) => None,
                None if input("package-manager-cache").is_some_and(|e| !truthy(&e.value)) => None,
                None => major_version(ctx, uses, &u)
                    .is_some_and(|m| m >= 5)
                    .then_some(&uses.key),
            },
            "actions/setup-python" | "actions/setup-java" | "actions/setup-dotnet" => {
                input("cache").filter(|e| truthy(&e.value)).map(|e| &e.key)
            }
            "actions/setup-go" => match input("cache") {
                Some(e) if truthy(&e.value) => Some(&e.key),
                Some(_) => None,
                // setup-go v4 and later cache by default.
                None => match &u {
                    Uses::Repo {
                        git_ref: Some(r), ..
                    } if r.starts_with("v2") || r.starts_with("v3") => None,
                    _ => Some(&uses.key),
                },
            },
            "ruby/setup-ruby" => input("bundler-cache")
                .filter(|e| truthy(&e.value))
                .map(|e| &e.key),
            "astral-sh/setup-uv" => input("enable-cache")
                .filter(|e| truthy(&e.value))
                .map(|e| &e.key),
            _ => None,
        };
        if let Some(node) = hit {
            let text = uses.value.as_str().unwrap_or("").to_string();
            ctx.at(
                "cache-in-release",
                node,
                Some(job),
                format!(
                    "job `{}` builds or publishes a release and restores a cache (`{}`) that other workflows can write; build releases without caches",
                    job.id,
                    text.split('@').next().unwrap_or("")
                ),
                text,
            );
        }
    }
}
