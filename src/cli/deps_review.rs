//! `guardrail deps audit` and `guardrail deps review`.
//!
//! Exit codes: 1 when the gate fails (audit: any non-informational finding
//! at or above --fail-on; review: introduced ones, or every present one
//! with --fail-on-any); 2 on input errors (unreadable lockfile, missing
//! DB, bad config), after whatever could be reported was reported.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::deps_inventory::Sides;
use super::{write_output, Outcome};
use crate::config::Config;
use crate::deps::advisory::index::{load_indexed, IndexCache};
use crate::deps::advisory::{fetch, Database, Severity};
use crate::deps::discover::discover;
use crate::deps::gitrev::GitRepo;
use crate::deps::lockfile::{detect_format, parse_file, parse_file_as};
use crate::deps::model::Package;
use crate::deps::review::{self, DenySpec, Policy, Report};
use crate::report::review as out;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ReviewFormat {
    Text,
    Json,
    Sarif,
    Markdown,
}

/// Flags shared by audit and review.
#[derive(Debug, Args)]
pub struct CommonArgs {
    /// Advisory database: a directory (OSV JSON/YAML, all.zip files,
    /// RustSec or GitHub layout) or an OSV zip. Default: the cache dir
    /// filled by `guardrail db update`.
    #[arg(long, env = "GUARDRAIL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Fail at or above this severity: low, medium, high, critical, or any
    /// (default: any, or `fail_on` in the [deps] config).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Accept an advisory (any of its ids or aliases); repeatable.
    #[arg(long = "allow", value_name = "ID")]
    pub allow: Vec<String>,
    /// Fail on any use of this package: NAME or NAME@RANGE (`>=1.0,<2`); repeatable.
    #[arg(long = "deny-package", value_name = "NAME[@RANGE]")]
    pub deny: Vec<String>,
    /// Configuration file (default: guardrail.toml in the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ReviewFormat,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Also append the markdown summary to $GITHUB_STEP_SUMMARY.
    #[arg(long)]
    pub step_summary: bool,
    /// Always parse the advisory files; do not read or write the cached index.
    #[arg(long)]
    pub no_index_cache: bool,
    /// Keep the cached advisory index in DIR (default: next to the
    /// database when it is writable, else the user cache dir). For a
    /// database that must stay untouched, or a directory CI caches.
    #[arg(long, env = "GUARDRAIL_INDEX_DIR", value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// A directory (every lockfile under it) or one lockfile. Defaults to `.`.
    pub path: Option<PathBuf>,
    #[command(flatten)]
    pub common: CommonArgs,
}

#[derive(Debug, Args)]
pub struct ReviewArgs {
    #[command(flatten)]
    pub sides: Sides,
    /// Fail on every vulnerability present in head, not only introduced ones.
    #[arg(long)]
    pub fail_on_any: bool,
    #[command(flatten)]
    pub common: CommonArgs,
}

pub fn run_audit(args: AuditArgs) -> anyhow::Result<Outcome> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    let policy = policy(&args.common, false, &root)?;
    let db = open_db(&args.common)?;
    let mut errors = Vec::new();
    let packages = load_tree(&root, &mut errors);
    let report = review::audit(&db, &packages, &policy);
    emit(&args.common, &report, "Dependency audit")?;
    finish(&errors, &report)
}

pub fn run_review(args: ReviewArgs) -> anyhow::Result<Outcome> {
    let policy = policy(&args.common, args.fail_on_any, Path::new("."))?;
    let mut errors = Vec::new();
    let (base, head) = if let Some((b, h)) = args.sides.files() {
        (load_file(b, h, &mut errors), load_file(h, h, &mut errors))
    } else if let Some((base_rev, head_rev)) = args.sides.revisions() {
        let repo = GitRepo::discover(&args.sides.repo)?;
        let base = load_rev(&repo, base_rev, &mut errors)?;
        let head = load_rev(&repo, head_rev, &mut errors)?;
        (base, head)
    } else {
        return Err(Sides::missing("deps review"));
    };
    let db = open_db(&args.common)?;
    let report = review::review(&db, &base, &head, &policy);
    emit(&args.common, &report, "Dependency review")?;
    finish(&errors, &report)
}

fn policy(c: &CommonArgs, fail_on_any: bool, root: &Path) -> anyhow::Result<Policy> {
    let cfg = Config::discover(c.config.as_deref(), root)?;
    let deps = cfg.deps;
    deps.validate().map_err(anyhow::Error::msg)?;
    let level = c.fail_on.clone().or_else(|| deps.fail_on.clone());
    let fail_on = match level {
        Some(s) => s
            .parse::<Severity>()
            .map_err(anyhow::Error::msg)
            .context("--fail-on")?,
        None => Severity::Unknown,
    };
    let mut deny = Vec::new();
    for d in c.deny.iter().chain(&deps.deny) {
        deny.push(DenySpec::parse(d).map_err(anyhow::Error::msg)?);
    }
    Ok(Policy {
        fail_on,
        fail_on_any,
        allow_ids: c.allow.clone(),
        config: deps,
        deny,
        today: jiff::Zoned::now().date(),
    })
}

fn open_db(c: &CommonArgs) -> anyhow::Result<Database> {
    let path = c.db.clone().unwrap_or_else(fetch::default_db_dir);
    let cache = match (&c.index_dir, c.no_index_cache) {
        (_, true) => IndexCache::Off,
        (Some(dir), false) => IndexCache::In(dir),
        (None, false) => IndexCache::Auto,
    };
    let (db, _) = load_indexed(&path, cache)?;
    for w in &db.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(a) = fetch::age_days(&path, db.newest.as_deref()).filter(|a| *a > fetch::STALE_DAYS)
    {
        eprintln!("warning: the advisory database is {a} days old; run `guardrail db update`");
    }
    Ok(db)
}

fn emit(c: &CommonArgs, report: &Report, title: &str) -> anyhow::Result<()> {
    let text = match c.format {
        ReviewFormat::Text => out::to_text(report),
        ReviewFormat::Markdown => out::to_markdown(report, title),
        ReviewFormat::Json => format!("{}\n", serde_json::to_string_pretty(&out::to_json(report))?),
        ReviewFormat::Sarif => format!(
            "{}\n",
            serde_json::to_string_pretty(&crate::report::sarif::deps_sarif(report))?
        ),
    };
    write_output(c.output.as_deref(), &text)?;
    if c.step_summary {
        let path = std::env::var_os("GITHUB_STEP_SUMMARY")
            .context("--step-summary: GITHUB_STEP_SUMMARY is not set")?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", PathBuf::from(&path).display()))?;
        f.write_all(out::to_markdown(report, title).as_bytes())?;
    }
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    for u in &report.unmatched {
        eprintln!(
            "warning: {} {} ({}): not checked: {}",
            u.package.name, u.package.version, u.package.location.file, u.reason
        );
    }
    Ok(())
}

fn finish(errors: &[String], report: &Report) -> anyhow::Result<Outcome> {
    for e in errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        anyhow::bail!("{} lockfile(s) could not be read", errors.len());
    }
    Ok(if report.failed {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn load_tree(root: &Path, errors: &mut Vec<String>) -> Vec<Package> {
    let (found, walk_errors) = discover(root);
    errors.extend(walk_errors.iter().map(|e| e.to_string()));
    let mut pkgs = Vec::new();
    for f in found {
        match parse_file(&f.path, &f.display) {
            Ok(l) => pkgs.extend(l.packages),
            Err(e) => errors.push(e.to_string()),
        }
    }
    pkgs
}

/// One lockfile of a two-file review; `name_from` gives the format when
/// the file's own name does not (the base copy may be saved under another
/// name). A go.mod takes in the go.sum beside it, as discovery does.
fn load_file(path: &Path, name_from: &Path, errors: &mut Vec<String>) -> Vec<Package> {
    let Some(format) = detect_format(path).or_else(|| detect_format(name_from)) else {
        errors.push(format!(
            "{}: not a lockfile name this build recognises",
            path.display()
        ));
        return Vec::new();
    };
    match parse_file_as(path, &path.display().to_string(), format) {
        Ok(l) => l.packages,
        Err(e) => {
            errors.push(e.to_string());
            Vec::new()
        }
    }
}

fn load_rev(repo: &GitRepo, rev: &str, errors: &mut Vec<String>) -> anyhow::Result<Vec<Package>> {
    let mut pkgs = Vec::new();
    for f in repo.lockfiles_at(rev)? {
        match repo.load(rev, &f) {
            Ok(l) => pkgs.extend(l.packages),
            Err(e) => errors.push(e.to_string()),
        }
    }
    Ok(pkgs)
}
