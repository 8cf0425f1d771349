//! `guardrail workflows`: audit GitHub Actions workflows and action files;
//! `--fix-pins` pins tag-pinned actions from the pin table.
//!
//! Exit codes: 1 when a finding at or above `--fail-on` is reported (with
//! `--fix-pins`: when a pin is missing, or would be changed without
//! `--write`); 2 when a file could not be audited (after the others were).

use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::secrets::ColorChoice;
use super::{write_output, Outcome};
use crate::config::Config;
use crate::report::workflows::{workflows_json, workflows_text, WorkflowsReport};
use crate::report::Format;
use crate::rules::Severity;
use crate::workflows::audit::DEFAULT_MAX_FILE_SIZE;
use crate::workflows::checks::Policy;
use crate::workflows::pins::PinTable;
use crate::workflows::{self, fixpins, AuditOptions, Target};

#[derive(Debug, Args)]
pub struct WorkflowsArgs {
    /// Repositories (their .github/workflows/*.yml and every action.yml) or
    /// single workflow files. Defaults to `.`.
    pub paths: Vec<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: Format,
    /// Write the report to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Configuration file (default: guardrail.toml at the first PATH).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Fail only on findings at or above this severity: low, medium, high,
    /// critical (default: any finding, or `fail_on` in [workflows]).
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// Also report suppressed findings (marked; SARIF `suppressions`).
    #[arg(long)]
    pub include_suppressed: bool,
    /// Refuse (as an error) workflow files larger than this many bytes.
    #[arg(long, value_name = "BYTES", default_value_t = DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Print the SHA pin for every action pinned to a tag or branch, from
    /// the pin table (built-in, `--pins`, `pin_file` in [workflows]).
    #[arg(long)]
    pub fix_pins: bool,
    /// With --fix-pins: rewrite the files.
    #[arg(long, requires = "fix_pins")]
    pub write: bool,
    /// A pin file for --fix-pins: `[[pin]]` entries with action, version, sha.
    #[arg(long, value_name = "FILE")]
    pub pins: Option<PathBuf>,
    /// List the audit rules and exit.
    #[arg(long)]
    pub list_rules: bool,
    /// No summary on stderr; warnings still print.
    #[arg(short, long)]
    pub quiet: bool,
    /// Colour in text output: auto (only on a terminal), always, never.
    #[arg(long, value_enum, default_value = "auto")]
    pub color: ColorChoice,
}

pub fn run(args: WorkflowsArgs) -> anyhow::Result<Outcome> {
    if args.list_rules {
        let mut out = String::new();
        for r in workflows::rules::all() {
            out.push_str(&format!(
                "{:<30} {:<9} {}\n",
                r.id,
                r.severity.as_str(),
                r.title
            ));
        }
        write_output(args.output.as_deref(), &out)?;
        return Ok(Outcome::Clean);
    }
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let config = Config::discover(args.config.as_deref(), &paths[0])?;
    for w in &config.warnings {
        eprintln!("warning: {w}");
    }
    let wf = &config.workflows;
    for id in &wf.allow {
        if workflows::rules::get(id).is_none() {
            anyhow::bail!(
                "{}: [workflows] allow: `{id}` is not a workflow rule (see `guardrail workflows --list-rules`)",
                config_name(&config)
            );
        }
    }
    let mut pins = PinTable::builtin();
    if let Some(f) = &wf.pin_file {
        let base = config
            .source
            .as_deref()
            .and_then(Path::parent)
            .unwrap_or(Path::new("."));
        pins.load_file(&base.join(f)).map_err(anyhow::Error::msg)?;
    }
    if let Some(f) = &args.pins {
        pins.load_file(f).map_err(anyhow::Error::msg)?;
    }
    let fail_on = match args.fail_on.as_deref().or(wf.fail_on.as_deref()) {
        None => Severity::Info,
        Some(s) => parse_severity(s).context("--fail-on")?,
    };

    let mut targets: Vec<Target> = Vec::new();
    let mut errors = Vec::new();
    for p in &paths {
        let (t, e) = workflows::discover(p);
        // Several roots: name files by the path given, so they stay apart.
        let t = if paths.len() > 1 && p.is_dir() {
            t.into_iter()
                .map(|mut t| {
                    t.display = t
                        .path
                        .to_string_lossy()
                        .trim_start_matches("./")
                        .replace('\\', "/");
                    t
                })
                .collect()
        } else {
            t
        };
        targets.extend(t);
        errors.extend(e);
    }

    if args.fix_pins {
        return fix_pins(&args, &targets, &pins, errors);
    }

    let opts = AuditOptions {
        policy: Policy {
            trusted_actions: wf.trusted_actions.clone(),
            pins,
        },
        allow: wf.allow.clone(),
        max_file_size: args.max_file_size,
    };
    let mut report = workflows::audit_targets(&targets, &opts);
    errors.append(&mut report.errors);
    report.errors = errors;
    if targets.is_empty() && report.errors.is_empty() {
        report.warnings.push(format!(
            "no workflow (.github/workflows/*.yml) or action.yml found under {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    }
    let view = WorkflowsReport {
        report: &report,
        include_suppressed: args.include_suppressed,
    };
    let text = match args.format {
        Format::Text => {
            let color = match args.color {
                ColorChoice::Always => true,
                ColorChoice::Never => false,
                ColorChoice::Auto => args.output.is_none() && std::io::stdout().is_terminal(),
            };
            workflows_text(&view, color)
        }
        Format::Json => pretty(&workflows_json(&view)),
        Format::Sarif => pretty(&crate::report::sarif::workflows_sarif(&view)),
    };
    write_output(args.output.as_deref(), &text)?;
    for w in &report.warnings {
        eprintln!("warning: {w}");
    }
    let failing = report
        .reported()
        .filter(|f| f.rule.severity >= fail_on)
        .count();
    if let (Some(out), false) = (&args.output, args.quiet) {
        eprintln!(
            "{} finding(s) in {} file(s); report written to {}",
            report.reported().count(),
            report.files.len(),
            out.display()
        );
    }
    for e in &report.errors {
        eprintln!("error: {e}");
    }
    if !report.errors.is_empty() {
        anyhow::bail!("{} file(s) could not be audited", report.errors.len());
    }
    Ok(if failing > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

fn config_name(c: &Config) -> String {
    c.source
        .as_ref()
        .map(|p| p.display().to_string())
        .unwrap_or_else(|| crate::config::CONFIG_FILE.to_string())
}

fn parse_severity(s: &str) -> anyhow::Result<Severity> {
    Ok(match s.trim().to_ascii_lowercase().as_str() {
        "any" | "info" => Severity::Info,
        "low" => Severity::Low,
        "medium" => Severity::Medium,
        "high" => Severity::High,
        "critical" => Severity::Critical,
        other => anyhow::bail!("`{other}` is not one of low, medium, high, critical, any"),
    })
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("report serialises") + "\n"
}

fn fix_pins(
    args: &WorkflowsArgs,
    targets: &[Target],
    pins: &PinTable,
    mut errors: Vec<String>,
) -> anyhow::Result<Outcome> {
    let mut out = String::new();
    let (mut edits, mut unresolved, mut files) = (0, 0, 0);
    for t in targets {
        let text = match std::fs::read_to_string(&t.path) {
            Ok(s) => s,
            Err(e) => {
                errors.push(format!("{}: cannot read: {e}", t.display));
                continue;
            }
        };
        let plan = match fixpins::plan(&text, pins) {
            Ok(p) => p,
            Err(e) => {
                errors.push(format!("{}: {e}; not changed", t.display));
                continue;
            }
        };
        for e in &plan.edits {
            out.push_str(&format!(
                "{}:{}: {} -> {} # {}\n",
                t.display, e.line, e.from, e.to, e.version
            ));
        }
        for u in &plan.unresolved {
            out.push_str(&format!(
                "{}:{}: {}: no pin known; add one to a pin file (--pins FILE)\n",
                t.display, u.line, u.uses
            ));
        }
        edits += plan.edits.len();
        unresolved += plan.unresolved.len();
        if args.write && !plan.edits.is_empty() {
            std::fs::write(&t.path, fixpins::apply(&text, &plan))
                .with_context(|| format!("cannot write {}", t.display))?;
            files += 1;
        }
    }
    if args.write {
        out.push_str(&format!(
            "pinned {edits} action(s) in {files} file(s); {unresolved} without a known pin\n"
        ));
    } else {
        out.push_str(&format!(
            "{edits} pin(s) to apply (run with --write), {unresolved} without a known pin\n"
        ));
    }
    write_output(args.output.as_deref(), &out)?;
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        anyhow::bail!("{} file(s) could not be read", errors.len());
    }
    let pending = unresolved + if args.write { 0 } else { edits };
    Ok(if pending > 0 {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}
