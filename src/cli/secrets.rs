//! `guardrail secrets`: find secrets in a directory, git history, a commit
//! range or the index.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::Context;
use clap::Args;

use super::{write_output, Outcome};
use crate::config::Config;
use crate::detect::Scanner;
use crate::finding::Finding;
use crate::report::{self, Format, ScanKind, SecretsReport};
use crate::rules::Confidence;
use crate::source::{fs as fs_source, git as git_source, ScanCounters};
use crate::suppress::{self, Suppressions};

#[derive(Debug, Args)]
pub struct SecretsArgs {
    /// Directory or file to scan (with --git: the repository). Defaults to `.`.
    pub path: Option<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (default: guardrail.toml at the scanned root).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not report findings recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every finding of this scan to a baseline file (fingerprints and
    /// hashes only, never the secret).
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Only run these rule ids (repeatable).
    #[arg(long = "rule", value_name = "ID")]
    pub rules: Vec<String>,
    /// Lowest confidence to report: low (also the generic line tier, test
    /// fixtures and sample files), medium (default), high. Overrides
    /// `min_confidence` in guardrail.toml.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<MinConfidence>,

    /// Also scan files that .gitignore excludes.
    #[arg(long)]
    pub no_ignore: bool,
    /// Skip files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = fs_source::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Worker threads (0 = one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,

    /// Show secrets in full in every output.
    #[arg(long)]
    pub no_redact: bool,
    /// Also write suppressed findings (marked as such; SARIF `suppressions`).
    #[arg(long)]
    pub include_suppressed: bool,
    /// List skipped files (binary, too large) on stderr.
    #[arg(short, long)]
    pub verbose: bool,
    /// No progress or summary on stderr; warnings still print.
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour in text output: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,

    /// Scan git history: every blob reachable from any ref, once, attributed
    /// to the commit that introduced it. PATH is the repository.
    #[arg(long)]
    pub git: bool,
    /// Only lines added by the commits of a range, e.g. origin/main..HEAD
    /// (implies --git).
    #[arg(long, value_name = "A..B", conflicts_with = "since_commit")]
    pub range: Option<String>,
    /// Same as --range A..HEAD.
    #[arg(long, value_name = "A")]
    pub since_commit: Option<String>,
    /// With --git: also scan blobs that no ref reaches.
    #[arg(long)]
    pub all_objects: bool,
    /// With --git: scan every blob whole. By default a blob stored in a pack
    /// as a delta against another version of its file is scanned only
    /// around the lines the delta changed (same findings, less work).
    #[arg(long)]
    pub no_delta_scan: bool,
    /// Only lines added in the index against HEAD (for a pre-commit hook).
    #[arg(long, conflicts_with_all = ["git", "range", "since_commit", "all_objects"])]
    pub staged: bool,
}

/// `--min-confidence`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum MinConfidence {
    Low,
    Medium,
    High,
}

impl From<MinConfidence> for Confidence {
    fn from(m: MinConfidence) -> Confidence {
        match m {
            MinConfidence::Low => Confidence::Low,
            MinConfidence::Medium => Confidence::Medium,
            MinConfidence::High => Confidence::High,
        }
    }
}

/// What `guardrail secrets` reports when neither flag nor config says.
pub const DEFAULT_MIN_CONFIDENCE: Confidence = Confidence::Medium;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

pub fn run(args: SecretsArgs) -> anyhow::Result<Outcome> {
    let started = Instant::now();
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.exists() {
        anyhow::bail!("{}: no such file or directory", root.display());
    }
    check_readable(&root)?;
    let git_mode = args.git
        || args.staged
        || args.all_objects
        || args.range.is_some()
        || args.since_commit.is_some();
    // Git scans read config and suppressions at the repository's root.
    let repo = if git_mode {
        Some(git_source::open(&root)?)
    } else {
        None
    };
    let base = repo.as_ref().map(git_source::root_dir);
    let config = Config::discover(args.config.as_deref(), base.as_deref().unwrap_or(&root))?;
    for w in &config.warnings {
        eprintln!("warning: {w}");
    }
    if !args.quiet {
        for n in &config.notes {
            eprintln!("note: {n}");
        }
    }
    let mut rules = config.rule_set()?;
    if !args.rules.is_empty() {
        for id in &args.rules {
            if rules.get(id).is_none() {
                anyhow::bail!("--rule {id}: no such rule (see `guardrail rules list`)");
            }
        }
        rules.retain_ids(&args.rules);
    }
    let scanner = Scanner::new(rules);
    let counters = ScanCounters::default();
    let diagnose = |line: &str| eprintln!("{line}");

    let (mut findings, kind) = if let Some(repo) = &repo {
        let opts = git_source::GitOptions {
            max_file_size: args.max_file_size,
            threads: args.threads,
            progress: !args.quiet && std::io::stderr().is_terminal(),
            all_objects: args.all_objects,
            verbose: args.verbose,
            delta_scan: !args.no_delta_scan,
        };
        let range = args
            .range
            .clone()
            .or_else(|| args.since_commit.as_ref().map(|a| format!("{a}..HEAD")));
        if args.staged {
            let f = git_source::staged::scan_staged(repo, &scanner, &opts, &counters, &diagnose)?;
            (f, ScanKind::Staged)
        } else if let Some(range) = range {
            let f =
                git_source::range::scan_range(repo, &scanner, &range, &opts, &counters, &diagnose)?;
            (f, ScanKind::Range)
        } else {
            let f = git_source::history::scan_history(repo, &scanner, &opts, &counters, &diagnose)?;
            (f, ScanKind::History)
        }
    } else {
        let opts = fs_source::WalkOptions {
            no_ignore: args.no_ignore,
            max_file_size: args.max_file_size,
            exclude: config.exclude.clone(),
            threads: args.threads,
            verbose: args.verbose,
        };
        let f = fs_source::scan_path(&root, &scanner, &opts, &counters, &diagnose)?;
        (f, ScanKind::Directory)
    };

    let suppress_root = if let Some(b) = base {
        b
    } else if root.is_file() {
        root.parent().map(Path::to_path_buf).unwrap_or_default()
    } else {
        root.clone()
    };
    // gitleaks allowlists with `commits` drop findings, as gitleaks does.
    findings.retain(|f| !config.allows_by_commit(f));
    // The same cut for every source: after the scan, before suppressions
    // and baselines, so a baseline records what is reported.
    let min_confidence = args
        .min_confidence
        .map(Confidence::from)
        .or(config.min_confidence)
        .unwrap_or(DEFAULT_MIN_CONFIDENCE);
    findings.retain(|f| f.confidence >= min_confidence);
    apply_suppressions(&args, &suppress_root, &mut findings)?;
    if let Some(path) = &args.write_baseline {
        suppress::write_baseline(path, &findings)?;
    }

    let stats = counters.snapshot(started.elapsed());
    let report = SecretsReport {
        findings: &findings,
        stats: &stats,
        rules: scanner.rules(),
        kind,
        redact: !args.no_redact,
        include_suppressed: args.include_suppressed,
    };
    let text = match args.format {
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => args.output.is_none() && std::io::stdout().is_terminal(),
            };
            report::text::secrets_text(&report, color)
        }
        Format::Json => pretty(&report::json::secrets_json(&report)),
        Format::Sarif => pretty(&report::sarif::secrets_sarif(&report)),
    };
    write_output(args.output.as_deref(), &text)?;
    if let (Some(out), false) = (&args.output, args.quiet) {
        // The report went to a file; the terminal still learns the outcome.
        let reported = findings.iter().filter(|f| !f.is_suppressed()).count();
        eprintln!(
            "{reported} finding(s) ({} suppressed); report written to {}",
            findings.len() - reported,
            out.display()
        );
    }
    Ok(if findings.iter().any(|f| !f.is_suppressed()) {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// The PATH argument itself must be readable: an unreadable root is an input
/// error (exit 2), not a warning that leaves an empty, "clean" scan.
fn check_readable(root: &Path) -> anyhow::Result<()> {
    let meta = std::fs::metadata(root).with_context(|| format!("{}", root.display()))?;
    let opened = if meta.is_dir() {
        std::fs::read_dir(root).map(drop)
    } else if meta.is_file() {
        std::fs::File::open(root).map(drop)
    } else {
        // Opening a FIFO would block; sockets and devices hold no source.
        anyhow::bail!("{}: not a regular file or directory", root.display());
    };
    opened.with_context(|| format!("{}: cannot read", root.display()))
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("report serialises") + "\n"
}

/// `.guardrailignore` and `.gitleaksignore` at the root, then `--baseline`.
pub fn apply_suppressions(
    args: &SecretsArgs,
    root: &Path,
    findings: &mut [Finding],
) -> anyhow::Result<()> {
    let mut s = Suppressions::default();
    s.load_ignore_file(root)?;
    s.load_gitleaks_ignore(root)?;
    if let Some(b) = &args.baseline {
        s.load_baseline(b)
            .with_context(|| format!("--baseline {}", b.display()))?;
    }
    s.apply(findings);
    Ok(())
}
