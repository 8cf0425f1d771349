//! `guardrail deps audit` and `guardrail deps review`. (to be written)

use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct AuditArgs {}

#[derive(Debug, Args)]
pub struct ReviewArgs {}

pub fn run_audit(_args: AuditArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("deps audit is not implemented yet")
}

pub fn run_review(_args: ReviewArgs) -> anyhow::Result<Outcome> {
    anyhow::bail!("deps review is not implemented yet")
}
