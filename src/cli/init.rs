//! `guardrail init`: set a repository up (workflows, dependabot.yml,
//! pre-commit config, guardrail.toml) from what it contains.

use std::path::PathBuf;

use clap::Args;

use super::{write_output, Outcome};
use crate::workflows::init::{self, Written};
use crate::workflows::pins::PinTable;

#[derive(Debug, Args)]
pub struct InitArgs {
    /// The repository to set up. Defaults to `.`.
    pub path: Option<PathBuf>,
    /// Print the files it would write, and write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Overwrite files that already exist (they are kept otherwise).
    #[arg(long)]
    pub force: bool,
    /// No summary of what was found and written.
    #[arg(short, long)]
    pub quiet: bool,
}

pub fn run(args: InitArgs) -> anyhow::Result<Outcome> {
    let root = args.path.clone().unwrap_or_else(|| PathBuf::from("."));
    if !root.is_dir() {
        anyhow::bail!("{}: not a directory", root.display());
    }
    let detected = init::detect(&root);
    let planned = init::plan(&detected, &PinTable::builtin());
    let found: Vec<String> = detected
        .ecosystems
        .iter()
        .map(|(e, dirs)| format!("{} ({})", e.dependabot(), dirs.join(", ")))
        .collect();
    if !args.quiet {
        eprintln!("found: {}", found.join(", "));
    }
    if args.dry_run {
        let mut out = String::new();
        for p in &planned {
            let exists = root.join(&p.path).exists();
            let what = match (exists, args.force) {
                (false, _) => "would write",
                (true, true) => "would overwrite",
                (true, false) => "exists, would keep (--force to overwrite)",
            };
            out.push_str(&format!("==> {} ({what})\n{}\n", p.path, p.content));
        }
        write_output(None, &out)?;
        return Ok(Outcome::Clean);
    }
    let done = init::write(&root, &planned, args.force).map_err(anyhow::Error::msg)?;
    if !args.quiet {
        for w in &done {
            match w {
                Written::Created(p) => eprintln!("wrote {}", p.display()),
                Written::Overwritten(p) => eprintln!("overwrote {}", p.display()),
                Written::Kept(p) => {
                    eprintln!("kept {} (exists; --force to overwrite)", p.display())
                }
            }
        }
        eprintln!(
            "next: commit the files; `guardrail workflows` audits them, `pre-commit install` enables the hook"
        );
    }
    Ok(Outcome::Clean)
}
