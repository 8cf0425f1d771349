//! `guardrail db update | status`.

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Subcommand;

use super::Outcome;
use crate::deps::advisory::fetch::{self, Updated};
use crate::deps::advisory::index::{load_indexed, CacheUse, IndexCache};
use crate::deps::model::Ecosystem;

#[derive(Debug, Subcommand)]
pub enum DbCommand {
    /// Fetch OSV's per-ecosystem all.zip files (conditional requests), or
    /// import a local directory / zip with --from.
    Update {
        /// Database directory (default: the per-user cache dir).
        #[arg(long, env = "GUARDRAIL_DB", value_name = "DIR")]
        db: Option<PathBuf>,
        /// Import this directory (OSV JSON/YAML, RustSec, GitHub layout) or
        /// OSV zip instead of downloading.
        #[arg(long, value_name = "DIR|ZIP")]
        from: Option<PathBuf>,
        /// Base URL serving `<ECOSYSTEM>/all.zip`.
        #[arg(long, env = "GUARDRAIL_OSV_URL", default_value = fetch::DEFAULT_BASE_URL)]
        url: String,
        /// Ecosystems to fetch, comma-separated or repeated (default: all we
        /// parse lockfiles of). Distributions for `guardrail image`:
        /// Debian, Ubuntu, Alpine, Wolfi, Chainguard, AlmaLinux, Rocky Linux.
        #[arg(long = "ecosystem", value_name = "NAME", value_delimiter = ',')]
        ecosystems: Vec<String>,
        /// Keep the cached index in DIR (default: next to the database).
        #[arg(long, env = "GUARDRAIL_INDEX_DIR", value_name = "DIR")]
        index_dir: Option<PathBuf>,
    },
    /// What is loaded, how many advisories, how old.
    Status {
        /// Database directory or zip (default: the per-user cache dir).
        #[arg(long, env = "GUARDRAIL_DB", value_name = "PATH")]
        db: Option<PathBuf>,
        /// Print JSON instead of text.
        #[arg(long)]
        json: bool,
        /// Keep the cached index in DIR (default: next to the database when
        /// it is writable, else the user cache dir).
        #[arg(long, env = "GUARDRAIL_INDEX_DIR", value_name = "DIR")]
        index_dir: Option<PathBuf>,
    },
}

pub fn run(cmd: DbCommand) -> anyhow::Result<Outcome> {
    match cmd {
        DbCommand::Update {
            db,
            from,
            url,
            ecosystems,
            index_dir,
        } => update(
            db.unwrap_or_else(fetch::default_db_dir),
            from,
            &url,
            &ecosystems,
            index_cache(&index_dir),
        ),
        DbCommand::Status {
            db,
            json,
            index_dir,
        } => status(
            db.unwrap_or_else(fetch::default_db_dir),
            json,
            index_cache(&index_dir),
        ),
    }
}

fn index_cache(dir: &Option<PathBuf>) -> IndexCache<'_> {
    dir.as_deref().map_or(IndexCache::Auto, IndexCache::In)
}

fn parse_ecosystem(s: &str) -> anyhow::Result<Ecosystem> {
    crate::deps::advisory::ecosystem_from_osv(s)
        .or_else(|| {
            fetch::ECOSYSTEMS
                .iter()
                .copied()
                .find(|e| e.as_str().eq_ignore_ascii_case(s) || e.purl_type() == s)
        })
        .with_context(|| {
            format!("unknown ecosystem {s:?} (PyPI, npm, crates.io, Go, RubyGems, Packagist, Debian, Ubuntu, Alpine, Wolfi, Chainguard, AlmaLinux, Rocky Linux)")
        })
}

fn update(
    db: PathBuf,
    from: Option<PathBuf>,
    url: &str,
    ecosystems: &[String],
    cache: IndexCache<'_>,
) -> anyhow::Result<Outcome> {
    if let Some(src) = from {
        let n =
            fetch::import(&db, &src).with_context(|| format!("cannot import {}", src.display()))?;
        eprintln!(
            "imported {n} advisories from {} into {}",
            src.display(),
            db.display()
        );
        warm(&db, cache);
        return Ok(Outcome::Clean);
    }
    let ecos: Vec<Ecosystem> = if ecosystems.is_empty() {
        fetch::ECOSYSTEMS.to_vec()
    } else {
        ecosystems
            .iter()
            .map(|s| parse_ecosystem(s))
            .collect::<anyhow::Result<_>>()?
    };
    let mut failed = 0;
    for eco in ecos {
        match fetch::update_ecosystem(&db, url, eco) {
            Ok(Updated::New(n)) => eprintln!("{}: downloaded {n} advisories", eco.as_str()),
            Ok(Updated::NotModified) => eprintln!("{}: up to date (not modified)", eco.as_str()),
            Err(e) => {
                failed += 1;
                eprintln!("error: {}: {e}", eco.as_str());
            }
        }
    }
    warm(&db, cache);
    if failed > 0 {
        anyhow::bail!(
            "{failed} ecosystem(s) could not be updated; the previous data for them is kept"
        );
    }
    Ok(Outcome::Clean)
}

/// Build the cached index now so the next audit starts fast.
fn warm(db: &Path, cache: IndexCache<'_>) {
    if let Err(e) = load_indexed(db, cache) {
        eprintln!("warning: {e}");
    }
}

fn status(db: PathBuf, json: bool, cache: IndexCache<'_>) -> anyhow::Result<Outcome> {
    let (loaded, cache) = load_indexed(&db, cache)?;
    let age = fetch::age_days(&db, loaded.newest.as_deref());
    let counts = loaded.counts();
    if json {
        let v = serde_json::json!({
            "path": db.display().to_string(),
            "layouts": loaded.layouts.iter().map(|l| l.as_str()).collect::<Vec<_>>(),
            "advisories": loaded.advisories.len(),
            "by_ecosystem": counts.iter().map(|(e, n)| (e.as_str().to_string(), *n)).collect::<std::collections::BTreeMap<_, _>>(),
            "newest_advisory": loaded.newest,
            "age_days": age,
            "index_cached": cache == CacheUse::Hit,
            "warnings": loaded.warnings,
        });
        super::write_output(None, &format!("{}\n", serde_json::to_string_pretty(&v)?))?;
    } else {
        let mut out = format!("database: {}\n", db.display());
        let layouts: Vec<&str> = loaded.layouts.iter().map(|l| l.as_str()).collect();
        out.push_str(&format!("layouts: {}\n", layouts.join(", ")));
        out.push_str(&format!("advisories: {}\n", loaded.advisories.len()));
        for (e, n) in &counts {
            out.push_str(&format!("  {:<10} {n}\n", e.as_str()));
        }
        if let Some(n) = &loaded.newest {
            out.push_str(&format!("newest advisory: {n}\n"));
        }
        if let Some(a) = age {
            out.push_str(&format!("age: {a} day(s)\n"));
        }
        out.push_str(&format!(
            "index: {}\n",
            if cache == CacheUse::Hit {
                "cached"
            } else {
                "rebuilt"
            }
        ));
        if !loaded.warnings.is_empty() {
            out.push_str(&format!(
                "skipped files: {} (see warnings)\n",
                loaded.warnings.len()
            ));
        }
        super::write_output(None, &out)?;
    }
    for w in &loaded.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(a) = age.filter(|a| *a > fetch::STALE_DAYS) {
        eprintln!("warning: the advisory database is {a} days old; run `guardrail db update`");
    }
    Ok(Outcome::Clean)
}
