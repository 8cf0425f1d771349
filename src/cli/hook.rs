//! `guardrail install-hook`. (to be written)

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct InstallHookArgs {}

pub fn run(_args: InstallHookArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("install-hook is not implemented yet")
}
