//! The command line: clap definitions and one runner per subcommand. Every
//! runner returns an [`Outcome`]; errors become one line on stderr and exit 2.

pub mod db;
pub mod deps;
pub mod deps_inventory;
pub mod deps_review;
pub mod hook;
pub mod image;
pub mod init;
mod output;
pub mod rules;
pub mod sbom;
pub mod secrets;
pub mod workflows;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

pub use output::{write_output, Outcome};

#[derive(Debug, Parser)]
#[command(
    name = "guardrail",
    version,
    about = "Find secrets in code and git history; review dependencies against advisories.",
    max_term_width = 100
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan a directory, git history, a commit range or staged changes for secrets.
    Secrets(secrets::SecretsArgs),
    /// List the rules, or check rule files and their examples.
    #[command(subcommand)]
    Rules(rules::RulesCommand),
    /// Dependency inventory, diff, audit and review.
    #[command(subcommand)]
    Deps(deps::DepsCommand),
    /// Write a CycloneDX SBOM for the lockfiles under PATH.
    Sbom(sbom::SbomArgs),
    /// Manage the advisory database.
    #[command(subcommand)]
    Db(db::DbCommand),
    /// Scan a container image (`docker save` tarball or OCI layout) for
    /// vulnerable packages and for secrets in every layer.
    Image(Box<image::ImageArgs>),
    /// Install a git pre-commit hook that runs `guardrail secrets --staged`.
    InstallHook(hook::InstallHookArgs),
    /// Audit GitHub Actions workflows and action.yml files; pin actions to SHAs.
    Workflows(workflows::WorkflowsArgs),
    /// Set a repository up: guardrail workflows, dependabot.yml, pre-commit, guardrail.toml.
    Init(init::InitArgs),
}

pub fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Secrets(args) => secrets::run(args),
        Command::Rules(cmd) => rules::run(cmd),
        Command::Deps(cmd) => deps::run(cmd),
        Command::Sbom(args) => sbom::run(args),
        Command::Db(cmd) => db::run(cmd),
        Command::Image(args) => image::run(*args),
        Command::InstallHook(args) => hook::run(args),
        Command::Workflows(args) => workflows::run(args),
        Command::Init(args) => init::run(args),
    };
    match result {
        Ok(outcome) => outcome.exit_code(),
        Err(err) => {
            eprintln!("error: {}", one_line_chain(&err));
            ExitCode::from(2)
        }
    }
}

/// `anyhow` chains as one line: `outer: inner: root cause`.
fn one_line_chain(err: &anyhow::Error) -> String {
    let mut parts: Vec<String> = Vec::new();
    for cause in err.chain() {
        let s = cause.to_string().replace('\n', " ");
        if !parts.iter().any(|p| p.contains(&s)) {
            parts.push(s);
        }
    }
    parts.join(": ")
}
