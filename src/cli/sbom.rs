//! `guardrail sbom`. (to be written)

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct SbomArgs {}

pub fn run(_args: SbomArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("sbom is not implemented yet")
}
