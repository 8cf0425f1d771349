//! The workflow audit: GitHub Actions workflows and action metadata files,
//! parsed with positions ([`yaml`]), read as workflows ([`model`]), checked
//! against the rules in `rules/workflows/` ([`rules`], [`checks`]). A
//! pipeline of its own beside `deps`: it shares only `report` (and `util`).
//! [`pins`] is the pin table `--fix-pins` and [`init`] write from.

pub mod audit;
pub mod checks;
pub mod expr;
pub mod fixpins;
pub mod init;

pub mod model;
pub mod pins;
pub mod rules;
pub mod yaml;

use std::path::{Path, PathBuf};

pub use audit::{AuditOptions, Finding, Suppressed};

/// Where GitHub reads workflows from (not recursive).
pub const WORKFLOWS_DIR: &str = ".github/workflows";

/// A file to audit: where it is, and how to name it in reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub path: PathBuf,
    /// Relative to the audited root, `/`-separated.
    pub display: String,
}

/// The result of auditing a set of files.
#[derive(Debug, Default)]
pub struct Report {
    pub findings: Vec<Finding>,
    /// Files audited.
    pub files: Vec<String>,
    /// Files that could not be audited, one line each (exit 2).
    pub errors: Vec<String>,
    pub warnings: Vec<String>,
}

impl Report {
    pub fn reported(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.suppressed.is_none())
    }
}

fn is_yaml(p: &Path) -> bool {
    matches!(p.extension().and_then(|e| e.to_str()), Some("yml" | "yaml"))
}

fn display_of(path: &Path, root: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let s = rel.to_string_lossy().replace('\\', "/");
    s.trim_start_matches("./").to_string()
}

/// The files under a repository: `.github/workflows/*.yml|yaml`, and every
/// `action.yml|yaml` in the tree (the walk honours .gitignore and skips
/// `.git`). A file given as `root` is audited whatever its name.
pub fn discover(root: &Path) -> (Vec<Target>, Vec<String>) {
    let mut targets = Vec::new();
    let mut errors = Vec::new();
    if root.is_file() {
        let display = root.to_string_lossy().replace('\\', "/");
        targets.push(Target {
            path: root.to_path_buf(),
            display: display.trim_start_matches("./").to_string(),
        });
        return (targets, errors);
    }
    if !root.is_dir() {
        errors.push(format!("{}: no such file or directory", root.display()));
        return (targets, errors);
    }
    let wf = root.join(WORKFLOWS_DIR);
    match std::fs::read_dir(&wf) {
        Ok(rd) => {
            let mut files: Vec<PathBuf> = rd
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| is_yaml(p) && p.is_file())
                .collect();
            files.sort();
            targets.extend(files.into_iter().map(|p| Target {
                display: display_of(&p, root),
                path: p,
            }));
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => errors.push(format!("{}: cannot read: {e}", display_of(&wf, root))),
    }
    let walk = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_ignore(true)
        .git_global(false)
        .git_exclude(true)
        .require_git(false)
        .filter_entry(|e| e.file_name() != ".git")
        .build();
    let mut actions = Vec::new();
    for entry in walk {
        match entry {
            Ok(e) => {
                let name = e.file_name();
                if (name == "action.yml" || name == "action.yaml")
                    && e.file_type().is_some_and(|t| t.is_file())
                {
                    actions.push(e.into_path());
                }
            }
            Err(e) => errors.push(format!("{}: {e}", root.display())),
        }
    }
    actions.sort();
    targets.extend(actions.into_iter().map(|p| Target {
        display: display_of(&p, root),
        path: p,
    }));
    (targets, errors)
}

/// Audit files (from [`discover`] or given one by one).
pub fn audit_targets(targets: &[Target], opts: &AuditOptions) -> Report {
    let mut report = Report::default();
    for t in targets {
        match audit::audit_file(&t.path, &t.display, opts) {
            audit::FileOutcome::Audited {
                findings, warnings, ..
            } => {
                report.files.push(t.display.clone());
                report.findings.extend(findings);
                report.warnings.extend(warnings);
            }
            audit::FileOutcome::Skipped(w) => report.warnings.push(w),
            audit::FileOutcome::Failed(e) => report.errors.push(e),
        }
    }
    report
}
