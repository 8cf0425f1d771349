//! `guardrail sbom`: CycloneDX 1.6 JSON for the lockfiles under PATH, one
//! BOM per lockfile or one merged BOM.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::deps_inventory::load_tree;
use super::{write_output, Outcome};
use crate::report::cyclonedx::{self, Subject};

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    Cyclonedx,
}

#[derive(Debug, Args)]
pub struct SbomArgs {
    /// A directory (every lockfile under it) or one lockfile. Defaults to `.`.
    pub path: Option<PathBuf>,
    /// SBOM format.
    #[arg(long, value_enum, default_value = "cyclonedx")]
    pub format: SbomFormat,
    /// One SBOM for all lockfiles instead of one per lockfile.
    #[arg(long)]
    pub merge: bool,
    /// Output file; with several lockfiles and no --merge, a directory that
    /// receives one `<lockfile path>.cdx.json` per lockfile.
    #[arg(short = 'o', long = "output", value_name = "PATH")]
    pub output: Option<PathBuf>,
}

pub fn run(args: SbomArgs) -> anyhow::Result<Outcome> {
    let root = args.path.unwrap_or_else(|| PathBuf::from("."));
    let (lockfiles, errors) = load_tree(&root);
    let subject_name = std::fs::canonicalize(&root)
        .ok()
        .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .unwrap_or_else(|| root.display().to_string());
    if lockfiles.is_empty() && errors.is_empty() {
        anyhow::bail!("no lockfiles found under {}", root.display());
    }
    if args.merge || lockfiles.len() <= 1 {
        let refs: Vec<_> = lockfiles.iter().collect();
        let bom = cyclonedx::bom(
            &refs,
            &Subject {
                name: &subject_name,
            },
        );
        write_output(args.output.as_deref(), &cyclonedx::to_string(&bom))?;
    } else {
        let Some(dir) = args.output else {
            anyhow::bail!(
                "{} lockfiles found: pass --merge for one SBOM, or -o DIR for one file per lockfile",
                lockfiles.len()
            );
        };
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        for l in &lockfiles {
            let bom = cyclonedx::bom(&[l], &Subject { name: &l.path });
            let file = dir.join(format!("{}.cdx.json", l.path.replace(['/', '\\'], "_")));
            write_output(Some(&file), &cyclonedx::to_string(&bom))?;
        }
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        anyhow::bail!("{} lockfiles could not be read", errors.len());
    }
    Ok(Outcome::Clean)
}
