//! `guardrail install-hook`: a `pre-commit` hook that runs
//! `guardrail secrets --staged`.

use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::Outcome;

#[derive(Debug, Args)]
pub struct InstallHookArgs {
    /// Repository to install into (default: the one containing `.`).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub repo: PathBuf,
    /// Replace an existing pre-commit hook.
    #[arg(long)]
    pub force: bool,
}

/// Marks hooks that this command wrote.
const MARKER: &str = "# installed by `guardrail install-hook`";

pub fn hook_script() -> String {
    format!(
        "#!/bin/sh\n{MARKER}\n\
         # Fails the commit when staged changes add a secret. For a false positive, add\n\
         # `guardrail:allow` in a comment on the line, or its fingerprint to .guardrailignore.\n\
         if ! command -v guardrail >/dev/null 2>&1; then\n\
         \techo 'guardrail pre-commit hook: guardrail is not on PATH (cargo install guardrail)' >&2\n\
         \texit 1\n\
         fi\n\
         exec guardrail secrets --staged --quiet\n"
    )
}

pub fn run(args: InstallHookArgs) -> anyhow::Result<Outcome> {
    let repo = crate::source::git::open(&args.repo)?;
    // Honour core.hooksPath like git does; else the common git dir's hooks/.
    let hooks_dir = match repo
        .config_snapshot()
        .trusted_path("core.hooksPath")
        .ok()
        .flatten()
    {
        Some(p) => {
            if p.is_absolute() {
                p
            } else {
                crate::source::git::root_dir(&repo).join(p)
            }
        }
        None => repo.common_dir().join("hooks"),
    };
    let hook = hooks_dir.join("pre-commit");
    if hook.exists() && !args.force {
        anyhow::bail!(
            "{}: a pre-commit hook already exists (use --force to replace it)",
            hook.display()
        );
    }
    std::fs::create_dir_all(&hooks_dir)
        .with_context(|| format!("cannot create {}", hooks_dir.display()))?;
    std::fs::write(&hook, hook_script())
        .with_context(|| format!("cannot write {}", hook.display()))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&hook, std::fs::Permissions::from_mode(0o755))
            .with_context(|| format!("cannot make {} executable", hook.display()))?;
    }
    eprintln!("installed {}", hook.display());
    Ok(Outcome::Clean)
}
