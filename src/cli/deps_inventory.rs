//! `guardrail deps inventory` and `guardrail deps diff`.
//!
//! Input errors (an unreadable or malformed lockfile) are printed as they
//! happen, the other lockfiles are still processed and reported, and the
//! command then fails so the exit code is 2.

use std::path::{Path, PathBuf};

use clap::Args;

use super::{write_output, Outcome};
use crate::deps::diff::{diff_lockfiles, diff_sets};
use crate::deps::discover::discover;
use crate::deps::gitrev::GitRepo;
use crate::deps::lockfile::{detect_format, parse_file, parse_file_as};
use crate::deps::model::Lockfile;
use crate::report::inventory::{self, DepsFormat};

#[derive(Debug, Args)]
pub struct InventoryArgs {
    /// A directory (every lockfile under it) or one lockfile. Defaults to `.`.
    pub path: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DepsFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// The two sides of a change: two revisions of a repository (read from
/// the git object database) or two lockfiles on disk. Shared by `deps
/// diff` and `deps review`.
#[derive(Debug, Args)]
pub struct Sides {
    /// Base revision (e.g. `origin/main`), read from the git object database.
    #[arg(long, value_name = "REV", conflicts_with_all = ["base_file", "head_file"])]
    pub base: Option<String>,
    /// Head revision (default `HEAD` when --base is given).
    #[arg(long, value_name = "REV", requires = "base")]
    pub head: Option<String>,
    /// The repository for --base/--head (default: the one containing `.`).
    #[arg(long, value_name = "PATH", default_value = ".")]
    pub repo: PathBuf,
    /// Base lockfile on disk (with --head-file); its name may differ, the
    /// format comes from the head file's name.
    #[arg(long, value_name = "FILE", requires = "head_file")]
    pub base_file: Option<PathBuf>,
    /// Head lockfile on disk (with --base-file).
    #[arg(long, value_name = "FILE", requires = "base_file")]
    pub head_file: Option<PathBuf>,
}

impl Sides {
    /// The two files, when the change is between files.
    pub fn files(&self) -> Option<(&Path, &Path)> {
        Some((self.base_file.as_deref()?, self.head_file.as_deref()?))
    }

    /// The base and head revisions (head defaults to `HEAD`), when the
    /// change is between revisions.
    pub fn revisions(&self) -> Option<(&str, &str)> {
        let base = self.base.as_deref()?;
        Some((base, self.head.as_deref().unwrap_or("HEAD")))
    }

    /// The usage error when neither pair was given.
    pub fn missing(command: &str) -> anyhow::Error {
        anyhow::anyhow!(
            "{command} needs --base REV [--head REV] or --base-file FILE --head-file FILE"
        )
    }
}

#[derive(Debug, Args)]
pub struct DiffArgs {
    #[command(flatten)]
    pub sides: Sides,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: DepsFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Parse every lockfile under `root`; errors are printed and collected.
pub(crate) fn load_tree(root: &Path) -> (Vec<Lockfile>, Vec<String>) {
    let (found, walk_errors) = discover(root);
    let mut errors: Vec<String> = walk_errors.iter().map(|e| e.to_string()).collect();
    let mut lockfiles = Vec::with_capacity(found.len());
    for f in found {
        match parse_file(&f.path, &f.display) {
            Ok(l) => lockfiles.push(l),
            Err(e) => errors.push(e.to_string()),
        }
    }
    (lockfiles, errors)
}

fn finish(errors: &[String], outcome: Outcome) -> anyhow::Result<Outcome> {
    for e in errors {
        eprintln!("error: {e}");
    }
    match errors.len() {
        0 => Ok(outcome),
        1 => anyhow::bail!("1 lockfile could not be read"),
        n => anyhow::bail!("{n} lockfiles could not be read"),
    }
}

pub fn run_inventory(args: InventoryArgs) -> anyhow::Result<Outcome> {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    let (lockfiles, errors) = load_tree(&root);
    if lockfiles.is_empty() && errors.is_empty() {
        eprintln!("no lockfiles found under {}", root.display());
    }
    let text = inventory::inventory(&lockfiles, &errors, args.format);
    write_output(args.output.as_deref(), &text)?;
    finish(&errors, Outcome::Clean)
}

pub fn run_diff(args: DiffArgs) -> anyhow::Result<Outcome> {
    let mut errors = Vec::new();
    let diffs = if let Some((b, h)) = args.sides.files() {
        let shown = h.display().to_string();
        if detect_format(b).is_none() && detect_format(h).is_none() {
            anyhow::bail!("{shown}: not a lockfile name this build recognises");
        }
        // Both sides carry the head's name so they pair up as one lockfile.
        let format = detect_format(h)
            .or_else(|| detect_format(b))
            .unwrap_or_else(|| unreachable!());
        let read = |p: &Path| -> anyhow::Result<Lockfile> {
            let mut l = parse_file_as(p, &p.display().to_string(), format)?;
            l.path = shown.clone();
            Ok(l)
        };
        let base = read(b)?;
        let head = read(h)?;
        diff_lockfiles(Some(&base), Some(&head))
            .into_iter()
            .collect()
    } else {
        let Some((base_rev, head_rev)) = args.sides.revisions() else {
            return Err(Sides::missing("deps diff"));
        };
        let repo = GitRepo::discover(&args.sides.repo)?;
        let (base, base_bad) = load_rev(&repo, base_rev, &mut errors)?;
        let (head, head_bad) = load_rev(&repo, head_rev, &mut errors)?;
        // A lockfile unreadable on one side would otherwise show up as
        // added or removed: leave it out of the diff (its error is reported).
        let bad = |l: &Lockfile| base_bad.contains(&l.path) || head_bad.contains(&l.path);
        let base: Vec<Lockfile> = base.into_iter().filter(|l| !bad(l)).collect();
        let head: Vec<Lockfile> = head.into_iter().filter(|l| !bad(l)).collect();
        diff_sets(&base, &head)
    };
    let text = inventory::diff(&diffs, &errors, args.format);
    write_output(args.output.as_deref(), &text)?;
    finish(&errors, Outcome::Clean)
}

/// The parsed lockfiles of one revision, and the paths that failed.
fn load_rev(
    repo: &GitRepo,
    rev: &str,
    errors: &mut Vec<String>,
) -> anyhow::Result<(Vec<Lockfile>, Vec<String>)> {
    let files = repo.lockfiles_at(rev)?;
    let mut out = Vec::with_capacity(files.len());
    let mut bad = Vec::new();
    for f in files {
        match repo.load(rev, &f) {
            Ok(l) => out.push(l),
            Err(e) => {
                errors.push(e.to_string());
                bad.push(f.path);
            }
        }
    }
    Ok((out, bad))
}
