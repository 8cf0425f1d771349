//! `bot-condition`, `unsound-condition`, `app-token-scope`.

use super::Ctx;
use crate::workflows::expr;
use crate::workflows::model::{step_uses, step_uses_action, Job, PR_EVENTS};
use crate::workflows::yaml::{Entry, Node, Style};

pub fn check(ctx: &mut Ctx) {
    let pr = ctx.has_trigger(PR_EVENTS);
    for (job, steps) in ctx.groups() {
        let mut conds: Vec<&Entry> = Vec::new();
        if let Some(j) = &job {
            conds.extend(j.node().entry("if"));
        }
        conds.extend(steps.iter().filter_map(|s| s.entry("if")));
        for c in conds {
            unsound(ctx, c, job.as_ref());
            if pr {
                bot(ctx, c, job.as_ref());
            }
        }
        for step in steps {
            app_token(ctx, step, job.as_ref());
        }
    }
}

fn unsound(ctx: &mut Ctx, c: &Entry, job: Option<&Job>) {
    let Some(text) = c.value.as_str() else { return };
    let found = expr::find(text);
    if found.is_empty() {
        return;
    }
    let mut outside = String::new();
    let mut at = 0;
    for e in &found {
        outside.push_str(&text[at..e.start]);
        at = e.end;
    }
    outside.push_str(&text[at..]);
    let trailing_newline =
        matches!(c.value.style(), Some(Style::Literal | Style::Folded)) && !outside.is_empty();
    if !outside.trim().is_empty() || trailing_newline {
        ctx.at(
            "unsound-condition",
            &c.key,
            job,
            format!(
                "`if: {}` is text around an expression, a non-empty string that is always true; write the whole condition as one expression",
                text.trim().lines().next().unwrap_or("")
            ),
            text.trim().to_string(),
        );
    }
}

fn bot(ctx: &mut Ctx, c: &Entry, job: Option<&Job>) {
    let Some(text) = c.value.as_str() else { return };
    let norm: String = text
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    for actor in ["github.actor", "github.triggering_actor"] {
        let hit = [format!("{actor}=='"), format!("{actor}==\"")]
            .iter()
            .any(|p| {
                norm.match_indices(p.as_str()).any(|(i, _)| {
                    let rest = &norm[i + p.len()..];
                    rest.split(['\'', '"'])
                        .next()
                        .is_some_and(|v| v.ends_with("[bot]"))
                })
            })
            || norm.contains(&format!("'[bot]'=={actor}"));
        if hit {
            ctx.at(
                "bot-condition",
                &c.key,
                job,
                format!("`{actor}` is whoever triggered the latest event, not the pull request's author; check `github.event.pull_request.user.login` instead"),
                actor,
            );
            return;
        }
    }
}

fn app_token(ctx: &mut Ctx, step: &Node, job: Option<&Job>) {
    if !step_uses_action(step, "actions/create-github-app-token") {
        return;
    }
    let with = step.get("with");
    let scoped = with.and_then(Node::as_map).is_some_and(|m| {
        m.iter()
            .any(|e| e.key_str().is_some_and(|k| k.starts_with("permission-")))
    });
    if scoped {
        return;
    }
    let owner_wide =
        with.is_some_and(|w| w.get("owner").is_some() && w.get("repositories").is_none());
    if let Some((e, _)) = step_uses(step) {
        ctx.at(
            "app-token-scope",
            &e.key,
            job,
            format!(
                "the app token gets every permission the app has{}; request only what the job uses with `permission-*` inputs",
                if owner_wide { ", on every repository of the owner" } else { "" }
            ),
            "create-github-app-token",
        );
    }
}
