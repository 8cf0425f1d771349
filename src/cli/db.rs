//! `guardrail db update | status`. (to be written)

use clap::Subcommand;

use super::Outcome;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Fetch or import the advisory database.
    Update {},
    /// What is loaded, how many advisories, how old.
    Status {},
}

pub fn run(_cmd: DbCommand) -> anyhow::Result<Outcome> {
    anyhow::bail!("db is not implemented yet")
}
