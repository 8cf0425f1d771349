//! The job token and secrets: `missing-permissions`,
//! `write-all-permissions`, `broad-write-permissions`, `secrets-inherit`.

use std::sync::LazyLock;

use regex::Regex;

use super::{step_script, Ctx};
use crate::workflows::model::{self, step_uses, Job};
use crate::workflows::yaml::Node;

pub fn check(ctx: &mut Ctx) {
    if !ctx.workflow() {
        return;
    }
    let jobs = model::jobs(ctx.root);
    let top = ctx.root.entry("permissions");
    match top {
        None => {
            for job in &jobs {
                if job.node().get("permissions").is_none() {
                    ctx.at(
                        "missing-permissions",
                        job.key(),
                        Some(job),
                        format!(
                            "job `{}` has no `permissions:` and the workflow sets none, so its token gets the repository's default (possibly read-write on everything); add `permissions: {{}}` at the top and grant the job what it uses",
                            job.id
                        ),
                        "permissions",
                    );
                }
            }
        }
        Some(e) => {
            write_all(ctx, e, None);
            broad(ctx, &e.value, &jobs);
        }
    }
    for job in &jobs {
        if let Some(e) = job.node().entry("permissions") {
            write_all(ctx, e, Some(job));
        }
        if let Some(e) = job.node().entry("secrets") {
            if job.uses().is_some() && e.value.as_str() == Some("inherit") {
                ctx.at(
                    "secrets-inherit",
                    &e.key,
                    Some(job),
                    format!(
                        "job `{}` hands every secret of the repository to `{}`; pass only the secrets it declares",
                        job.id,
                        job.uses().and_then(|u| u.value.as_str()).unwrap_or("?")
                    ),
                    "inherit",
                );
            }
        }
    }
}

fn write_all(ctx: &mut Ctx, e: &crate::workflows::yaml::Entry, job: Option<&Job>) {
    if e.value.as_str() == Some("write-all") {
        let whose = match job {
            Some(j) => format!("job `{}`", j.id),
            None => "every job of the workflow".into(),
        };
        ctx.at(
            "write-all-permissions",
            &e.key,
            job,
            format!("`permissions: write-all` gives {whose} a token that can write every scope; list the scopes it uses instead"),
            "write-all",
        );
    }
}

/// Scopes a job seems to use, from the actions and commands it runs. A job
/// that calls a reusable workflow, or runs github-script or `gh api`, may
/// use any scope.
fn needs(job: &Job, scope: &str) -> bool {
    if job.uses().is_some() {
        return true;
    }
    let mut slugs = Vec::new();
    let mut scripts = String::new();
    for s in job.steps() {
        if let Some(slug) = step_uses(s).and_then(|(_, u)| u.action_slug()) {
            slugs.push(slug);
        }
        if let Some(t) = step_script(s).and_then(|e| e.value.as_str()) {
            scripts.push_str(t);
            scripts.push('\n');
        }
    }
    let uses_any = |list: &[&str]| {
        slugs.iter().any(|s| {
            list.iter()
                .any(|l| s == l || (l.ends_with('/') && s.starts_with(l)))
        })
    };
    if uses_any(&["actions/github-script"]) || GH_API.is_match(&scripts) {
        return true;
    }
    match scope {
        "contents" => {
            uses_any(&[
                "softprops/action-gh-release",
                "ncipollo/release-action",
                "actions/create-release",
                "actions/upload-release-asset",
                "svenstaro/upload-release-action",
                "stefanzweifel/git-auto-commit-action",
                "endbug/add-and-commit",
                "peter-evans/create-pull-request",
                "googleapis/release-please-action",
                "google-github-actions/release-please-action",
                "changesets/action",
                "jamesives/github-pages-deploy-action",
                "peaceiris/actions-gh-pages",
                "ad-m/github-push-action",
                "goreleaser/goreleaser-action",
                "release-drafter/release-drafter",
            ]) || CONTENTS_RUN.is_match(&scripts)
        }
        "id-token" => {
            uses_any(&[
                "aws-actions/configure-aws-credentials",
                "google-github-actions/auth",
                "azure/login",
                "actions/attest-build-provenance",
                "actions/attest-sbom",
                "actions/attest",
                "pypa/gh-action-pypi-publish",
                "sigstore/",
                "hashicorp/vault-action",
                "rust-lang/crates-io-auth-action",
            ]) || OIDC_RUN.is_match(&scripts)
        }
        "packages" => {
            uses_any(&["docker/login-action", "docker/build-push-action"])
                || PACKAGES_RUN.is_match(&scripts)
        }
        "pull-requests" | "issues" => {
            uses_any(&[
                "actions/labeler",
                "peter-evans/",
                "marocchino/sticky-pull-request-comment",
                "thollander/actions-comment-pull-request",
                "actions/stale",
                "release-drafter/release-drafter",
                "dependabot/fetch-metadata",
                "amannn/action-semantic-pull-request",
                "actions/first-interaction",
                "googleapis/release-please-action",
                "changesets/action",
            ]) || ISSUES_RUN.is_match(&scripts)
        }
        "security-events" => uses_any(&["github/codeql-action/"]) || scripts.contains("sarif"),
        "attestations" => uses_any(&[
            "actions/attest-build-provenance",
            "actions/attest-sbom",
            "actions/attest",
        ]),
        "pages" => uses_any(&["actions/deploy-pages"]),
        // Scopes without a heuristic: assume the job uses them.
        _ => true,
    }
}

static GH_API: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bgh\s+api\b").expect("static regex"));
static CONTENTS_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bgit\s+push\b|\bgh\s+release\b|\bgit\s+tag\b|\bgh\s+pr\s+merge\b|\bcargo\s+release\b|\bsemantic-release\b")
        .expect("static regex")
});
static OIDC_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"ACTIONS_ID_TOKEN_REQUEST|--provenance|\bcosign\s+(?:sign|attest)|\b(?:uv|twine|poetry)\s+(?:publish|upload)|\bnpm\s+publish\b|\bcargo\s+publish\b")
        .expect("static regex")
});
static PACKAGES_RUN: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\bdocker\s+(?:image\s+)?push\b|ghcr\.io|\bnpm\s+publish\b|\bdotnet\s+nuget\s+push\b|\bmvn\b.*\bdeploy\b|\bgradle\w*\s+publish")
        .expect("static regex")
});
static ISSUES_RUN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\bgh\s+(?:pr|issue|label)\b").expect("static regex"));

fn broad(ctx: &mut Ctx, perms: &Node, jobs: &[Job]) {
    let Some(scopes) = perms.as_map() else { return };
    let inheriting: Vec<&Job> = jobs
        .iter()
        .filter(|j| j.node().get("permissions").is_none())
        .collect();
    if inheriting.is_empty() {
        return;
    }
    for scope in scopes {
        if scope.value.as_str() != Some("write") {
            continue;
        }
        let name = scope.key_str().unwrap_or("?");
        let idle: Vec<&str> = inheriting
            .iter()
            .filter(|j| !needs(j, name))
            .map(|j| j.id)
            .collect();
        if idle.is_empty() {
            continue;
        }
        let list = idle
            .iter()
            .map(|j| format!("`{j}`"))
            .collect::<Vec<_>>()
            .join(", ");
        ctx.at(
            "broad-write-permissions",
            &scope.key,
            None,
            format!(
                "`{name}: write` at the top applies to every job, and {list} do(es) not appear to use it; grant it in the job that does"
            ),
            name.to_string(),
        );
    }
}
