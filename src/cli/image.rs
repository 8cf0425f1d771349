//! `guardrail image IMAGE`: vulnerabilities in the OS and language
//! packages of a container image's final filesystem, and secrets in every
//! layer and in the image config. IMAGE is a `docker save` tarball or an
//! OCI image layout (a directory with index.json, or its tar).
//!
//! Exit codes: 1 when a vulnerability or an unsuppressed secret at or
//! above --fail-on is found; 2 when the image (a layer, a blob, the
//! config) cannot be read, after the rest was scanned and reported.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use anyhow::Context;
use clap::Args;

use super::{write_output, Outcome};
use crate::config::Config;
use crate::deps::advisory::index::{load_indexed, IndexCache};
use crate::deps::advisory::{fetch, Severity};
use crate::deps::image::{inventory, ImageSink, Installed, Item};
use crate::deps::model::Ecosystem;
use crate::deps::ospkg::Distro;
use crate::deps::review::{self, Policy};
use crate::detect::Scanner;
use crate::report::image::{secret_severity, ImageReport, ImageSecret, ImageVuln, LayerInfo};
use crate::source::image::fs::FinalFs;
use crate::source::image::{scan_layers, Data, FileSink, Image, LayerScan, ScanOptions, Want};
use crate::source::{fs as fs_source, ScanCounters};
use crate::suppress::{self, Suppressions};

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ImageFormat {
    Text,
    Json,
    Sarif,
    Markdown,
}

#[derive(Debug, Args)]
pub struct ImageArgs {
    /// A `docker save` tarball, an OCI image layout directory, or its tar.
    pub image: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: ImageFormat,
    /// Write the report (or, with --sbom, the SBOM) to FILE instead of stdout.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Write a CycloneDX 1.6 SBOM of the final filesystem instead of a report.
    #[arg(long, conflicts_with_all = ["secrets_only", "vulns_only"])]
    pub sbom: bool,
    /// Only look for secrets (no package inventory, no advisory database).
    #[arg(long, conflicts_with = "vulns_only")]
    pub secrets_only: bool,
    /// Only look for vulnerable packages.
    #[arg(long)]
    pub vulns_only: bool,
    /// Fail at or above this severity (low, medium, high, critical, any;
    /// default any, or `fail_on` in the [deps] config). Applies to
    /// vulnerabilities and secrets; `none` reports without failing.
    #[arg(long, value_name = "SEVERITY")]
    pub fail_on: Option<String>,
    /// With an OCI index of several platforms: which one (`linux/arm64`).
    #[arg(long, value_name = "OS/ARCH")]
    pub platform: Option<String>,
    /// The image's name in reports and the SARIF category (default: its
    /// repo tag or ref name, else the file name).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Advisory database (default: the cache dir `guardrail db update` fills).
    #[arg(long, env = "GUARDRAIL_DB", value_name = "PATH")]
    pub db: Option<PathBuf>,
    /// Keep the cached advisory index in DIR.
    #[arg(long, env = "GUARDRAIL_INDEX_DIR", value_name = "DIR")]
    pub index_dir: Option<PathBuf>,
    /// Always parse the advisory files; do not read or write the cached index.
    #[arg(long)]
    pub no_index_cache: bool,
    /// Accept an advisory (any of its ids or aliases); repeatable.
    #[arg(long = "allow", value_name = "ID")]
    pub allow: Vec<String>,
    /// Configuration file (default: guardrail.toml in the current directory).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Do not report secrets recorded in this baseline file.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
    /// Write every secret finding to a baseline file.
    #[arg(long, value_name = "FILE")]
    pub write_baseline: Option<PathBuf>,
    /// Files larger than this are not scanned for secrets.
    #[arg(long, value_name = "BYTES", default_value_t = fs_source::DEFAULT_MAX_FILE_SIZE)]
    pub max_file_size: u64,
    /// Also append the markdown summary to $GITHUB_STEP_SUMMARY.
    #[arg(long)]
    pub step_summary: bool,
    /// Show secrets in full in every output.
    #[arg(long)]
    pub no_redact: bool,
    /// Also write suppressed secrets (marked as such).
    #[arg(long)]
    pub include_suppressed: bool,
    /// No summary on stderr; warnings still print.
    #[arg(short, long)]
    pub quiet: bool,
    /// Notes on stderr (files not scanned because of their size).
    #[arg(short, long)]
    pub verbose: bool,
}

/// `--secrets-only`: no files wanted.
struct NoSink;

impl FileSink for NoSink {
    type Item = Item;
    fn wants(&self, _: &str, _: u64, _: &[u8]) -> Want {
        Want::No
    }
    fn take(&self, _: &str, _: u64, _: Data<'_>) -> Result<Option<Item>, String> {
        Ok(None)
    }
}

pub fn run(args: ImageArgs) -> anyhow::Result<Outcome> {
    let mut image = Image::open(&args.image, args.platform.as_deref())?;
    if let Some(n) = &args.name {
        image.name = n.clone();
    }
    for n in &image.notes {
        eprintln!("note: {n}");
    }
    let cwd = PathBuf::from(".");
    let config = Config::discover(args.config.as_deref(), &cwd)?;
    for w in &config.warnings {
        eprintln!("warning: {w}");
    }
    let want_secrets = !args.vulns_only && !args.sbom;
    let want_vulns = !args.secrets_only;
    let scanner = if want_secrets {
        Some(Scanner::new(config.rule_set()?))
    } else {
        None
    };
    // Open the database before the long part, so a missing one fails fast.
    let (policy, db) = if want_vulns && !args.sbom {
        (Some(policy(&args, &config)?), Some(open_db(&args)?))
    } else {
        (None, None)
    };

    let counters = ScanCounters::default();
    let opts = ScanOptions {
        max_file_size: args.max_file_size,
        verbose: args.verbose,
    };
    let results = if want_vulns {
        scan_layers(&image, scanner.as_ref(), &ImageSink, &opts, &counters)
    } else {
        scan_layers(&image, scanner.as_ref(), &NoSink, &opts, &counters)
    };
    let mut errors = Vec::new();
    let mut layers: Vec<LayerScan<Item>> = Vec::new();
    for r in results {
        match r {
            Ok(l) => layers.push(l),
            Err(e) => {
                errors.push(e.to_string());
                layers.push(LayerScan {
                    entries: Vec::new(),
                    items: Vec::new(),
                    findings: Vec::new(),
                    warnings: Vec::new(),
                    compression: crate::source::image::layer::Compression::None,
                    tar_bytes: 0,
                });
            }
        }
    }
    let layer_info: Vec<LayerInfo> = image
        .layers
        .iter()
        .map(|l| LayerInfo {
            digest: l.digest.clone(),
            created_by: l.created_by.clone(),
        })
        .collect();
    let label = |i: usize| {
        let d = layer_info.get(i).map_or("", |l| l.digest.as_str());
        format!("layer {} {}", i + 1, &d[..d.len().min(19)])
    };
    let mut warnings: Vec<String> = Vec::new();
    for (i, l) in layers.iter().enumerate() {
        for w in &l.warnings {
            if w.starts_with("note: ") {
                eprintln!("{w} ({})", label(i));
            } else {
                warnings.push(format!("{} ({})", w, label(i)));
            }
        }
    }
    let fs = FinalFs::build(layers.iter().map(|l| l.entries.as_slice()));

    // Inventory of the final filesystem.
    let items: Vec<Vec<(String, Item)>> = layers
        .iter_mut()
        .map(|l| std::mem::take(&mut l.items))
        .collect();
    let final_of = |p: &str| {
        fs.get(p)
            .filter(|n| n.kind == crate::source::image::layer::EntryKind::File)
            .map(|n| (n.layer, n.since))
    };
    let os_release = fs.resolve("etc/os-release").map(|(p, _)| p);
    let inv = inventory(&items, &final_of, os_release.as_deref(), &label);
    warnings.extend(inv.warnings.iter().cloned());

    // Vulnerabilities.
    let mut vulns = Vec::new();
    let mut unmatched: Vec<String> = Vec::new();
    let mut failed = false;
    if let (Some(db), Some(policy)) = (&db, &policy) {
        let (matchable, skipped) = split_matchable(&inv.packages);
        if skipped.1 > 0 {
            unmatched.push(format!(
                "{} Java package(s) (jar pom.properties) are listed in the SBOM; Maven advisories are not matched yet",
                skipped.1
            ));
        }
        if skipped.0 > 0 {
            unmatched.push(format!(
                "{} OS package(s) of a distribution OSV has no data for ({}) are listed in the SBOM, not matched",
                skipped.0,
                inv.os.as_ref().map_or("unknown", |o| o.release.pretty_name.as_str())
            ));
        }
        let packages: Vec<_> = matchable
            .iter()
            .map(|&i| inv.packages[i].package.clone())
            .collect();
        let report = review::audit(db, &packages, policy);
        let mut by_loc: HashMap<(&str, usize, &str, &str), usize> = HashMap::new();
        for &i in &matchable {
            let p = &inv.packages[i].package;
            by_loc.insert(
                (
                    p.location.file.as_str(),
                    p.location.line,
                    p.name.as_str(),
                    p.version.as_str(),
                ),
                i,
            );
        }
        for f in report.findings {
            let p = &f.vuln.package;
            let key = (
                p.location.file.as_str(),
                p.location.line,
                p.name.as_str(),
                p.version.as_str(),
            );
            if let Some(&i) = by_loc.get(&key) {
                let mut f = f;
                if fail_none(&args, &config) {
                    f.failing = false;
                }
                failed |= f.failing;
                vulns.push(ImageVuln {
                    finding: f,
                    package: i,
                });
            }
        }
        for u in report.unmatched {
            unmatched.push(format!(
                "{} {} ({}): {}",
                u.package.name, u.package.version, u.package.location.file, u.reason
            ));
        }
        warnings.extend(report.warnings);
    }
    vulns.sort_by(|a, b| {
        (
            std::cmp::Reverse(a.finding.vuln.severity),
            &a.finding.vuln.id,
            a.package,
        )
            .cmp(&(
                std::cmp::Reverse(b.finding.vuln.severity),
                &b.finding.vuln.id,
                b.package,
            ))
    });

    // Secrets: one finding per fingerprint, at the first layer holding it.
    let mut secrets: Vec<ImageSecret> = Vec::new();
    if let Some(scanner) = &scanner {
        let mut by_fp: HashMap<String, usize> = HashMap::new();
        for (i, l) in layers.iter_mut().enumerate() {
            for f in std::mem::take(&mut l.findings) {
                match by_fp.get(&f.fingerprint) {
                    Some(&k) => {
                        let s: &mut ImageSecret = &mut secrets[k];
                        if !s.layers.contains(&i) {
                            s.layers.push(i);
                        }
                    }
                    None => {
                        by_fp.insert(f.fingerprint.clone(), secrets.len());
                        secrets.push(ImageSecret {
                            finding: f,
                            layer: Some(i),
                            layers: vec![i],
                            in_final: false,
                        });
                    }
                }
            }
        }
        for s in &mut secrets {
            s.in_final = fs
                .get(&s.finding.path)
                .is_some_and(|n| s.layers.contains(&n.layer));
            s.finding.other_occurrences = s.layers.len() - 1;
        }
        for f in image.scan_config(scanner) {
            if by_fp.insert(f.fingerprint.clone(), secrets.len()).is_none() {
                secrets.push(ImageSecret {
                    finding: f,
                    layer: None,
                    layers: Vec::new(),
                    in_final: true,
                });
            }
        }
        let mut findings: Vec<_> = secrets.iter().map(|s| s.finding.clone()).collect();
        let mut sup = Suppressions::default();
        sup.load_ignore_file(&cwd)?;
        sup.load_gitleaks_ignore(&cwd)?;
        if let Some(b) = &args.baseline {
            sup.load_baseline(b)
                .with_context(|| format!("--baseline {}", b.display()))?;
        }
        sup.apply(&mut findings);
        for (s, f) in secrets.iter_mut().zip(findings) {
            s.finding = f;
        }
        if let Some(path) = &args.write_baseline {
            let all: Vec<_> = secrets.iter().map(|s| s.finding.clone()).collect();
            suppress::write_baseline(path, &all)?;
        }
        let threshold = policy.as_ref().map_or(Severity::Unknown, |p| p.fail_on);
        let threshold = match &policy {
            Some(_) => threshold,
            None => secret_threshold(&args, &config)?,
        };
        failed |= !fail_none(&args, &config)
            && secrets
                .iter()
                .any(|s| !s.finding.is_suppressed() && secret_severity(&s.finding) >= threshold);
    }

    let repository = match &args.name {
        Some(n) => n.split(':').next().unwrap_or(n).to_string(),
        None => image.repository().to_string(),
    };
    let report = ImageReport {
        name: &image.name,
        repository: &repository,
        format: image.format.as_str(),
        config_digest: &image.config_digest,
        layers: &layer_info,
        os: inv.os.as_ref(),
        packages: &inv.packages,
        vulns: &vulns,
        secrets: &secrets,
        unmatched: &unmatched,
        warnings: &warnings,
        redact: !args.no_redact,
        include_suppressed: args.include_suppressed,
        failed,
    };
    let text = if args.sbom {
        crate::report::cyclonedx::to_string(&crate::report::image::sbom(&report))
    } else {
        match args.format {
            ImageFormat::Text => crate::report::image::to_text(&report),
            ImageFormat::Json => pretty(&crate::report::image::to_json(&report)),
            ImageFormat::Markdown => crate::report::image::to_markdown(&report),
            ImageFormat::Sarif => {
                let owned;
                let rules = match &scanner {
                    Some(s) => s.rules(),
                    None => {
                        owned = config.rule_set()?;
                        &owned
                    }
                };
                pretty(&crate::report::sarif::image_sarif(&report, rules))
            }
        }
    };
    write_output(args.output.as_deref(), &text)?;
    if args.step_summary {
        let path = std::env::var_os("GITHUB_STEP_SUMMARY")
            .context("--step-summary: GITHUB_STEP_SUMMARY is not set")?;
        let mut f = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot open {}", PathBuf::from(&path).display()))?;
        f.write_all(crate::report::image::to_markdown(&report).as_bytes())?;
    }
    for w in &warnings {
        eprintln!("warning: {w}");
    }
    if !args.quiet && (args.output.is_some() || !std::io::stdout().is_terminal()) {
        eprintln!(
            "{}: {} layer(s), {} package(s), {} vulnerabilit{}, {} secret(s){}",
            image.name,
            image.layers.len(),
            inv.packages.len(),
            vulns.len(),
            if vulns.len() == 1 { "y" } else { "ies" },
            secrets
                .iter()
                .filter(|s| !s.finding.is_suppressed())
                .count(),
            args.output
                .as_ref()
                .map(|o| format!("; written to {}", o.display()))
                .unwrap_or_default()
        );
    }
    for e in &errors {
        eprintln!("error: {e}");
    }
    if !errors.is_empty() {
        anyhow::bail!(
            "{} layer(s) of {} could not be read",
            errors.len(),
            image.name
        );
    }
    Ok(if failed && !args.sbom {
        Outcome::Findings
    } else {
        Outcome::Clean
    })
}

/// Indices of packages that can be matched, and counts of those that
/// cannot: (OS packages of a distribution without OSV data, Maven).
fn split_matchable(packages: &[Installed]) -> (Vec<usize>, (usize, usize)) {
    let mut ok = Vec::new();
    let (mut os, mut maven) = (0, 0);
    for (i, p) in packages.iter().enumerate() {
        match p.package.ecosystem {
            Ecosystem::Maven => maven += 1,
            Ecosystem::Os(o) if matches!(o.distro, Distro::Other(_)) => os += 1,
            _ => ok.push(i),
        }
    }
    (ok, (os, maven))
}

fn fail_none(args: &ImageArgs, config: &Config) -> bool {
    args.fail_on
        .as_deref()
        .or(config.deps.fail_on.as_deref())
        .is_some_and(|s| s.eq_ignore_ascii_case("none"))
}

fn secret_threshold(args: &ImageArgs, config: &Config) -> anyhow::Result<Severity> {
    match args.fail_on.clone().or_else(|| config.deps.fail_on.clone()) {
        Some(s) if s.eq_ignore_ascii_case("none") => Ok(Severity::Unknown),
        Some(s) => s
            .parse::<Severity>()
            .map_err(anyhow::Error::msg)
            .context("--fail-on"),
        None => Ok(Severity::Unknown),
    }
}

fn policy(args: &ImageArgs, config: &Config) -> anyhow::Result<Policy> {
    let deps = config.deps.clone();
    deps.validate().map_err(anyhow::Error::msg)?;
    let none = fail_none(args, config);
    let fail_on = if none {
        Severity::Unknown
    } else {
        secret_threshold(args, config)?
    };
    Ok(Policy {
        fail_on,
        fail_on_any: false,
        allow_ids: args.allow.clone(),
        config: deps,
        deny: Vec::new(),
        today: jiff::Zoned::now().date(),
    })
}

fn open_db(args: &ImageArgs) -> anyhow::Result<crate::deps::advisory::Database> {
    let path = args.db.clone().unwrap_or_else(fetch::default_db_dir);
    let cache = match (&args.index_dir, args.no_index_cache) {
        (_, true) => IndexCache::Off,
        (Some(dir), false) => IndexCache::In(dir),
        (None, false) => IndexCache::Auto,
    };
    let (db, _) = load_indexed(&path, cache).map_err(|e| {
        anyhow::anyhow!("{e} (fill it with `guardrail db update --ecosystem Debian,Ubuntu,Alpine` or import one with `--from`; --secrets-only needs none)")
    })?;
    for w in &db.warnings {
        eprintln!("warning: {w}");
    }
    if let Some(a) = fetch::age_days(&path, db.newest.as_deref()).filter(|a| *a > fetch::STALE_DAYS)
    {
        eprintln!("warning: the advisory database is {a} days old; run `guardrail db update`");
    }
    Ok(db)
}

fn pretty(v: &serde_json::Value) -> String {
    serde_json::to_string_pretty(v).expect("report serialises") + "\n"
}
