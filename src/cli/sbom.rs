//! `guardrail sbom`: CycloneDX 1.6 JSON or SPDX 2.3 JSON for the lockfiles
//! under PATH, one SBOM per lockfile or one merged SBOM.

use std::path::PathBuf;

use anyhow::Context;
use clap::{Args, ValueEnum};

use super::deps_inventory::load_tree;
use super::{write_output, Outcome};
use crate::deps::model::Lockfile;
use crate::report::cyclonedx::{self, Subject};
use crate::report::spdx;

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SbomFormat {
    /// CycloneDX 1.6 JSON.
    Cyclonedx,
    /// SPDX 2.3 JSON.
    Spdx,
}

impl SbomFormat {
    fn render(self, lockfiles: &[&Lockfile], subject: &Subject) -> String {
        let v = match self {
            SbomFormat::Cyclonedx => cyclonedx::bom(lockfiles, subject),
            SbomFormat::Spdx => spdx::document(lockfiles, subject),
        };
        cyclonedx::to_string(&v)
    }

    fn extension(self) -> &'static str {
        match self {
            SbomFormat::Cyclonedx => "cdx.json",
            SbomFormat::Spdx => "spdx.json",
        }
    }
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
    /// receives one `<lockfile path>.cdx.json` (or `.spdx.json`) per lockfile.
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
        let text = args.format.render(
            &refs,
            &Subject {
                name: &subject_name,
            },
        );
        write_output(args.output.as_deref(), &text)?;
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
            let text = args.format.render(&[l], &Subject { name: &l.path });
            let file = dir.join(format!(
                "{}.{}",
                l.path.replace(['/', '\\'], "_"),
                args.format.extension()
            ));
            write_output(Some(&file), &text)?;
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
