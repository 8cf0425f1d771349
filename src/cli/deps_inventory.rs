//! `guardrail deps inventory` and `guardrail deps diff`. (to be written)

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct InventoryArgs {}

#[derive(Debug, Args)]
pub struct DiffArgs {}

pub fn run_inventory(_args: InventoryArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("deps inventory is not implemented yet")
}

pub fn run_diff(_args: DiffArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("deps diff is not implemented yet")
}
