//! A workflow or action file read from its YAML tree: triggers, jobs,
//! steps and what each step `uses`. Every accessor hands back nodes, so a
//! check can point at the key it is about.

use super::yaml::{Entry, Node};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    /// `.github/workflows/*.yml`: `on:` and `jobs:`.
    Workflow,
    /// `action.yml`: `runs:` (composite, docker or JavaScript).
    Action,
}

/// Events whose payload (titles, branch names, bodies, comments) anyone
/// who can open a pull request, issue or comment writes.
pub const UNTRUSTED_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "issues",
    "discussion",
    "discussion_comment",
    "workflow_run",
];

/// Events that run with the base repository's secrets and a write token
/// while acting on a pull request a fork may have opened.
pub const PRIVILEGED_PR_EVENTS: &[&str] = &["pull_request_target", "workflow_run", "issue_comment"];

/// Events a pull request from anyone triggers (on public repositories).
pub const PR_EVENTS: &[&str] = &[
    "pull_request",
    "pull_request_target",
    "pull_request_review",
    "pull_request_review_comment",
    "issue_comment",
    "workflow_run",
];

/// What a file is, from its top-level keys.
pub fn kind_of(root: &Node) -> Option<FileKind> {
    if root.get("jobs").is_some() {
        Some(FileKind::Workflow)
    } else if root.get("runs").is_some() {
        Some(FileKind::Action)
    } else {
        None
    }
}

/// One trigger: its name and its configuration node (filters), if any.
#[derive(Debug, Clone, Copy)]
pub struct Trigger<'a> {
    pub name: &'a str,
    pub config: Option<&'a Node>,
}

/// The `on:` triggers of a workflow (a string, a list or a mapping).
pub fn triggers(root: &Node) -> Vec<Trigger<'_>> {
    let Some(on) = root.get("on") else {
        return Vec::new();
    };
    if let Some(s) = on.as_str() {
        return vec![Trigger {
            name: s,
            config: None,
        }];
    }
    if let Some(items) = on.as_seq() {
        return items
            .iter()
            .filter_map(Node::as_str)
            .map(|name| Trigger { name, config: None })
            .collect();
    }
    on.as_map()
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            Some(Trigger {
                name: e.key_str()?,
                config: Some(&e.value),
            })
        })
        .collect()
}

pub fn has_trigger(root: &Node, names: &[&str]) -> bool {
    triggers(root).iter().any(|t| names.contains(&t.name))
}

/// A job: its id (the key) and its mapping.
#[derive(Debug, Clone, Copy)]
pub struct Job<'a> {
    pub id: &'a str,
    pub entry: &'a Entry,
}

impl<'a> Job<'a> {
    pub fn node(&self) -> &'a Node {
        &self.entry.value
    }

    pub fn key(&self) -> &'a Node {
        &self.entry.key
    }

    pub fn steps(&self) -> &'a [Node] {
        self.node()
            .get("steps")
            .and_then(Node::as_seq)
            .unwrap_or(&[])
    }

    /// `uses:` of a job that calls a reusable workflow.
    pub fn uses(&self) -> Option<&'a Entry> {
        self.node().entry("uses")
    }
}

pub fn jobs(root: &Node) -> Vec<Job<'_>> {
    root.get("jobs")
        .and_then(Node::as_map)
        .unwrap_or(&[])
        .iter()
        .filter_map(|e| {
            Some(Job {
                id: e.key_str()?,
                entry: e,
            })
        })
        .collect()
}

/// The steps of a composite action.
pub fn action_steps(root: &Node) -> &[Node] {
    root.get("runs")
        .and_then(|r| r.get("steps"))
        .and_then(Node::as_seq)
        .unwrap_or(&[])
}

/// Every (job, steps) pair of a file: a workflow's jobs, or a composite
/// action's steps as one job with no id.
pub fn step_groups(root: &Node, kind: FileKind) -> Vec<(Option<Job<'_>>, &[Node])> {
    match kind {
        FileKind::Workflow => jobs(root)
            .into_iter()
            .map(|j| (Some(j), j.steps()))
            .collect(),
        FileKind::Action => vec![(None, action_steps(root))],
    }
}

/// What a `uses:` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Uses<'a> {
    /// `./path` in this repository.
    Local(&'a str),
    /// `docker://image[:tag][@digest]`.
    Docker(&'a str),
    /// `owner/repo[/path]@ref` (a missing `@ref` gives `None`).
    Repo {
        owner: &'a str,
        repo: &'a str,
        path: Option<&'a str>,
        git_ref: Option<&'a str>,
    },
}

impl<'a> Uses<'a> {
    pub fn parse(s: &'a str) -> Option<Uses<'a>> {
        let s = s.trim();
        if s.starts_with("./") || s.starts_with("../") || s == "." {
            return Some(Uses::Local(s));
        }
        if let Some(image) = s.strip_prefix("docker://") {
            return Some(Uses::Docker(image));
        }
        let (name, git_ref) = match s.split_once('@') {
            Some((n, r)) => (n, Some(r)),
            None => (s, None),
        };
        let mut parts = name.splitn(3, '/');
        let owner = parts.next().filter(|p| !p.is_empty())?;
        let repo = parts.next().filter(|p| !p.is_empty())?;
        let path = parts.next();
        Some(Uses::Repo {
            owner,
            repo,
            path,
            git_ref,
        })
    }

    /// `owner/repo` in lower case, for matching (GitHub names are
    /// case-insensitive).
    pub fn repo_slug(&self) -> Option<String> {
        match self {
            Uses::Repo { owner, repo, .. } => Some(format!("{owner}/{repo}").to_ascii_lowercase()),
            _ => None,
        }
    }

    /// `owner/repo[/path]` in lower case.
    pub fn action_slug(&self) -> Option<String> {
        match self {
            Uses::Repo {
                owner, repo, path, ..
            } => Some(
                match path {
                    Some(p) => format!("{owner}/{repo}/{p}"),
                    None => format!("{owner}/{repo}"),
                }
                .to_ascii_lowercase(),
            ),
            _ => None,
        }
    }
}

/// The `uses:` of a step, parsed, with its entry (for positions).
pub fn step_uses(step: &Node) -> Option<(&Entry, Uses<'_>)> {
    let e = step.entry("uses")?;
    Some((e, Uses::parse(e.value.as_str()?)?))
}

/// Whether a step uses `slug` (lower case `owner/repo[/path]`) at any ref.
pub fn step_uses_action(step: &Node, slug: &str) -> bool {
    step_uses(step)
        .and_then(|(_, u)| u.action_slug())
        .is_some_and(|s| s == slug)
}

/// A full commit SHA (SHA-1, or SHA-256 for repositories that use it).
pub fn is_full_sha(r: &str) -> bool {
    (r.len() == 40 || r.len() == 64) && r.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Whether an `if:` condition limits a job to the base repository's own
/// branches (so a fork's pull request never runs it).
pub fn same_repo_guard(cond: &str) -> bool {
    let c: String = cond
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    c.contains("github.event.pull_request.head.repo.full_name==github.repository")
        || c.contains("github.repository==github.event.pull_request.head.repo.full_name")
        || c.contains("github.event.pull_request.head.repo.fork==false")
        || c.contains("!github.event.pull_request.head.repo.fork")
        || c.contains("github.event.workflow_run.head_repository.full_name==github.repository")
        || c.contains("github.repository==github.event.workflow_run.head_repository.full_name")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflows::yaml::parse;

    #[test]
    fn triggers_in_every_spelling() {
        let names = |t: &str| -> Vec<String> {
            let doc = parse(t).unwrap();
            triggers(&doc).iter().map(|t| t.name.to_string()).collect()
        };
        assert_eq!(names("on: push\njobs: {}\n"), ["push"]);
        assert_eq!(
            names("on: [push, pull_request]\njobs: {}\n"),
            ["push", "pull_request"]
        );
        assert_eq!(
            names("on:\n  pull_request_target:\n    types: [opened]\n  schedule:\n    - cron: '0 0 * * *'\njobs: {}\n"),
            ["pull_request_target", "schedule"]
        );
    }

    #[test]
    fn uses_forms() {
        assert_eq!(Uses::parse("./x"), Some(Uses::Local("./x")));
        assert_eq!(
            Uses::parse("docker://alpine:3"),
            Some(Uses::Docker("alpine:3"))
        );
        assert_eq!(
            Uses::parse("github/codeql-action/upload-sarif@v3"),
            Some(Uses::Repo {
                owner: "github",
                repo: "codeql-action",
                path: Some("upload-sarif"),
                git_ref: Some("v3")
            })
        );
        assert_eq!(
            Uses::parse("Actions/Checkout@v4")
                .unwrap()
                .repo_slug()
                .as_deref(),
            Some("actions/checkout")
        );
        assert_eq!(Uses::parse("nonsense"), None);
        assert!(is_full_sha("11bd71901bbe5b1630ceea73d27597364c9af683"));
        assert!(!is_full_sha("11bd719"));
    }
}
