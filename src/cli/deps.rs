//! `guardrail deps ...`: inventory, diff, audit, review.

use clap::Subcommand;

use super::Outcome;
use super::{deps_inventory, deps_review};

#[derive(Debug, Subcommand)]
pub enum DepsCommand {
    /// List the packages every lockfile under PATH pins.
    Inventory(deps_inventory::InventoryArgs),
    /// What changed between two revisions or two lockfiles.
    Diff(deps_inventory::DiffArgs),
    /// Known vulnerabilities in what the tree pins now.
    Audit(deps_review::AuditArgs),
    /// Vulnerabilities a change introduces, fixes or keeps; gates a PR.
    Review(deps_review::ReviewArgs),
}

pub fn run(cmd: DepsCommand) -> anyhow::Result<Outcome> {
    match cmd {
        DepsCommand::Inventory(a) => deps_inventory::run_inventory(a),
        DepsCommand::Diff(a) => deps_inventory::run_diff(a),
        DepsCommand::Audit(a) => deps_review::run_audit(a),
        DepsCommand::Review(a) => deps_review::run_review(a),
    }
}
