//! `guardrail rules list | check`.

use std::path::PathBuf;

use clap::Subcommand;

use super::{write_output, Outcome};
use crate::config::Config;
use crate::detect::{examples, Scanner};
use crate::rules::{self, RuleSet};

#[derive(Debug, Subcommand)]
pub enum RulesCommand {
    /// List the rules in effect (built-in plus config).
    List {
        /// Configuration file (default: guardrail.toml in the current directory).
        #[arg(long, value_name = "FILE")]
        config: Option<PathBuf>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// Compile rules and run their positive and negative examples. Without
    /// FILE, checks the built-in rules; with FILE (a rule pack or a
    /// guardrail.toml), checks the rules it defines.
    Check {
        /// A rule pack (`[[rules]]`) or guardrail.toml.
        file: Option<PathBuf>,
    },
}

pub fn run(cmd: RulesCommand) -> anyhow::Result<Outcome> {
    match cmd {
        RulesCommand::List { config, json } => {
            let cfg = Config::discover(config.as_deref(), std::path::Path::new("."))?;
            let set = cfg.rule_set()?;
            let text = if json {
                let specs: Vec<_> = set.rules().iter().map(|r| &r.spec).collect();
                serde_json::to_string_pretty(&specs)? + "\n"
            } else {
                let mut s = String::new();
                for r in set.rules() {
                    s.push_str(&format!(
                        "{:<40} {:<8} {:<6} {}\n",
                        r.id(),
                        r.severity().as_str(),
                        r.confidence().as_str(),
                        r.spec.description
                    ));
                }
                s.push_str(&format!("{} rules\n", set.len()));
                s
            };
            write_output(None, &text)?;
            Ok(Outcome::Clean)
        }
        RulesCommand::Check { file } => {
            let (set, checked): (RuleSet, Vec<String>) = match &file {
                None => {
                    let set = rules::builtin_rules()?;
                    let ids = set.rules().iter().map(|r| r.id().to_string()).collect();
                    (set, ids)
                }
                Some(path) => {
                    let pack = rules::load_pack_file(path)?;
                    // Check the file's rules in the company of the built-ins,
                    // as a user's scan would run them.
                    let mut set = rules::builtin_rules()?;
                    let ids = pack.rules.iter().map(|r| r.id.clone()).collect();
                    for spec in pack.rules {
                        set.upsert(rules::Rule::compile(spec, &path.display().to_string())?);
                    }
                    (set, ids)
                }
            };
            let scanner = Scanner::new(set);
            let mut failures = 0;
            for id in &checked {
                let rule = scanner.rules().get(id).expect("checked id is in the set");
                for f in examples::check_rule(&scanner, rule) {
                    eprintln!("{f}");
                    failures += 1;
                }
            }
            println!("{} rule(s) checked, {failures} failure(s)", checked.len());
            Ok(if failures > 0 {
                Outcome::Findings
            } else {
                Outcome::Clean
            })
        }
    }
}
