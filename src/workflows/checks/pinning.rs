//! `unpinned-action`, `unpinned-image`.

use super::Ctx;
use crate::workflows::model::{is_full_sha, Job, Uses};
use crate::workflows::yaml::{Entry, Node};

pub fn check(ctx: &mut Ctx) {
    for (job, steps) in ctx.groups() {
        if let Some(job) = &job {
            if let Some(e) = job.uses() {
                uses(ctx, e, Some(job));
            }
            images(ctx, job);
        }
        for step in steps {
            if let Some(e) = step.entry("uses") {
                uses(ctx, e, job.as_ref());
            }
        }
    }
    // A Docker action's own image.
    if !ctx.workflow() {
        if let Some(img) = ctx.root.get("runs").and_then(|r| r.entry("image")) {
            if let Some(s) = img.value.as_str() {
                if let Some(image) = s.strip_prefix("docker://") {
                    image_ref(ctx, img, image, None);
                }
            }
        }
    }
}

fn uses(ctx: &mut Ctx, e: &Entry, job: Option<&Job>) {
    let Some(text) = e.value.as_str() else {
        return;
    };
    match Uses::parse(text) {
        Some(Uses::Local(_)) | None => {}
        Some(Uses::Docker(image)) => image_ref(ctx, e, image, job),
        Some(u @ Uses::Repo { git_ref, .. }) => {
            let slug = u.repo_slug().unwrap_or_default();
            if git_ref.is_some_and(is_full_sha) || ctx.policy.trusts(&slug) {
                return;
            }
            let what = match git_ref {
                None => "has no ref at all (it runs the default branch)".to_string(),
                Some(r)
                    if r.len() >= 7 && r.len() < 40 && r.bytes().all(|b| b.is_ascii_hexdigit()) =>
                {
                    format!("is pinned to an abbreviated SHA `{r}`, which GitHub does not accept as a commit")
                }
                Some(r) if looks_like_version(r) => {
                    format!("is pinned to the tag `{r}`, which can be moved to other code")
                }
                Some(r) => {
                    format!("follows `{r}` (a branch or tag), which can be moved to other code")
                }
            };
            let hint = match git_ref.and_then(|r| ctx.policy.pins.lookup(&slug, r)) {
                Some(p) => format!("pin it: `{}`", p.uses_line(&u)),
                None => {
                    "pin it to the full commit SHA of the release, with the version in a comment"
                        .into()
                }
            };
            ctx.at(
                "unpinned-action",
                &e.key,
                job,
                format!("`{text}` {what}; {hint}"),
                text,
            );
        }
    }
}

fn looks_like_version(r: &str) -> bool {
    let r = r.strip_prefix('v').unwrap_or(r);
    r.starts_with(|c: char| c.is_ascii_digit())
}

fn images(ctx: &mut Ctx, job: &Job) {
    let node = job.node();
    if let Some(c) = node.entry("container") {
        let image = match &c.value {
            v if v.as_str().is_some() => Some(c),
            v => v.entry("image"),
        };
        if let Some(e) = image {
            if let Some(s) = e.value.as_str() {
                image_ref(ctx, e, s, Some(job));
            }
        }
    }
    if let Some(services) = node.get("services").and_then(Node::as_map) {
        for svc in services {
            if let Some(e) = svc.value.entry("image") {
                if let Some(s) = e.value.as_str() {
                    image_ref(ctx, e, s, Some(job));
                }
            }
        }
    }
}

fn image_ref(ctx: &mut Ctx, e: &Entry, image: &str, job: Option<&Job>) {
    let image = image.trim();
    // Expressions are resolved at run time (a matrix of pinned images, say);
    // an empty value means no container.
    if image.is_empty() || image.contains("${{") || image.contains("@sha256:") {
        return;
    }
    ctx.at(
        "unpinned-image",
        &e.key,
        job,
        format!("image `{image}` is pulled by tag; pin it to a digest (`{image}@sha256:<digest>`)"),
        image,
    );
}
