//! The real-code precision suite: the built binary's findings on the HEAD
//! trees of public repositories (`corpus/precision/repos.toml`), compared
//! with labels read by a person (`corpus/precision/labels.tsv`).
//!
//! ```text
//! cargo run --release --example precision -- export MIRRORS TREES
//! cargo run --release --example precision -- run TREES [--bin BINARY] [--unlabelled FILE] [-- ARGS...]
//! ```
//!
//! `export` writes each repository's tree at the pinned commit from a bare
//! clone `MIRRORS/<owner>+<name>/repo` (`git clone --bare
//! https://github.com/<owner>/<name> MIRRORS/<owner>+<name>/repo` makes one)
//! to `TREES/<owner>+<name>/`. Blobs a partial snapshot lacks are skipped
//! and counted. `run` scans every tree with `target/release/guardrail
//! secrets TREE --format json --no-redact` plus ARGS, then prints per
//! repository the megabytes scanned and the findings by confidence and
//! verdict, and the false positives per 10 MB at each confidence floor.
//! Findings with no label are listed (and with `--unlabelled FILE` written
//! as label lines with verdict `?`, to be read and judged); labels that no
//! finding matches any more are counted as gone, which is what a fix looks
//! like. The exit code is 0 either way: this is a measurement, not a test.
//!
//! A label names the value, not the rule: (repository, path, line, the
//! first 12 hex digits of the SHA-256 of the secret), so a finding keeps
//! its verdict when the rule that reports it changes. Verdicts: `tp` (a
//! credential or key: live, dummy or test, it is secret material), `fp`
//! (not a credential at all).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};

const REPOS: &str = "corpus/precision/repos.toml";
const LABELS: &str = "corpus/precision/labels.tsv";

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Repos {
    repo: Vec<Repo>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Repo {
    /// `owner/name` on GitHub.
    name: String,
    commit: String,
    /// Main languages, for the reader of the table.
    languages: Vec<String>,
}

impl Repo {
    fn dir_name(&self) -> String {
        self.name.replace('/', "+")
    }
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Verdict {
    Tp,
    Fp,
}

struct Label {
    verdict: Verdict,
    rule: String,
    note: String,
}

type Key = (String, String, usize, String);

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let result = match args.first().map(String::as_str) {
        Some("export") if args.len() == 3 => {
            export(root, Path::new(&args[1]), Path::new(&args[2]))
        }
        Some("run") if args.len() >= 2 => run(root, &args[1..]),
        _ => Err("usage: precision export MIRRORS TREES | precision run TREES \
                  [--bin BINARY] [--unlabelled FILE] [-- ARGS...]"
            .into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("precision: {e}");
            ExitCode::from(2)
        }
    }
}

fn load_repos(root: &Path) -> Result<Vec<Repo>, String> {
    let path = root.join(REPOS);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let repos: Repos = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(repos.repo)
}

fn git(git_dir: &Path) -> Command {
    let mut c = Command::new("git");
    c.arg("--git-dir").arg(git_dir);
    c
}

/// Write the tree of `repo.commit` with `git ls-tree` and `git cat-file
/// --batch`: no work tree or checkout needed, and a snapshot that lacks
/// some blobs still gives the rest.
fn export(root: &Path, mirrors: &Path, trees: &Path) -> Result<(), String> {
    for repo in load_repos(root)? {
        let git_dir = mirrors.join(repo.dir_name()).join("repo");
        let out = trees.join(repo.dir_name());
        let ls = git(&git_dir)
            .args(["ls-tree", "-r", "-z", &repo.commit])
            .output()
            .map_err(|e| format!("git: {e}"))?;
        if !ls.status.success() {
            return Err(format!(
                "{}: cannot list {} at {}: {}",
                git_dir.display(),
                repo.name,
                repo.commit,
                String::from_utf8_lossy(&ls.stderr).trim()
            ));
        }
        let mut entries = Vec::new();
        for rec in ls.stdout.split(|&b| b == 0).filter(|r| !r.is_empty()) {
            let rec = String::from_utf8_lossy(rec);
            let Some((meta, path)) = rec.split_once('\t') else {
                continue;
            };
            let meta: Vec<&str> = meta.split(' ').collect();
            if meta.len() == 3 && meta[1] == "blob" && meta[0] != "120000" {
                entries.push((meta[2].to_string(), path.to_string()));
            }
        }
        let mut child = git(&git_dir)
            .args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .spawn()
            .map_err(|e| format!("git cat-file: {e}"))?;
        let mut stdin = child.stdin.take().expect("piped");
        let mut stdout = BufReader::new(child.stdout.take().expect("piped"));
        let (mut written, mut missing) = (0usize, 0usize);
        for (oid, path) in &entries {
            writeln!(stdin, "{oid}").map_err(|e| format!("git cat-file: {e}"))?;
            stdin.flush().map_err(|e| format!("git cat-file: {e}"))?;
            let mut header = String::new();
            stdout
                .read_line(&mut header)
                .map_err(|e| format!("git cat-file: {e}"))?;
            let fields: Vec<&str> = header.split_whitespace().collect();
            if fields.len() < 3 {
                missing += 1;
                continue;
            }
            let size: usize = fields[2].parse().map_err(|_| format!("bad header {header:?}"))?;
            let mut data = vec![0u8; size + 1];
            stdout
                .read_exact(&mut data)
                .map_err(|e| format!("git cat-file: {e}"))?;
            data.pop();
            let dst = out.join(path);
            if let Some(parent) = dst.parent() {
                std::fs::create_dir_all(parent)
                    .map_err(|e| format!("{}: {e}", parent.display()))?;
            }
            std::fs::write(&dst, data).map_err(|e| format!("{}: {e}", dst.display()))?;
            written += 1;
        }
        drop(stdin);
        let _ = child.wait();
        eprintln!(
            "{}: {written} files written to {}, {missing} missing from the clone",
            repo.name,
            out.display()
        );
    }
    Ok(())
}

fn load_labels(root: &Path) -> Result<HashMap<Key, Label>, String> {
    let path = root.join(LABELS);
    let text = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut labels = HashMap::new();
    for (n, line) in text.lines().enumerate() {
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let f: Vec<&str> = line.split('\t').collect();
        if f.len() < 6 {
            return Err(format!("{}:{}: expected 6 or 7 tab-separated fields", path.display(), n + 1));
        }
        let verdict = match f[5] {
            "tp" => Verdict::Tp,
            "fp" => Verdict::Fp,
            v => return Err(format!("{}:{}: verdict {v:?} is not tp or fp", path.display(), n + 1)),
        };
        let line_no: usize = f[2]
            .parse()
            .map_err(|_| format!("{}:{}: bad line number {:?}", path.display(), n + 1, f[2]))?;
        labels.insert(
            (f[0].to_string(), f[1].to_string(), line_no, f[3].to_string()),
            Label {
                verdict,
                rule: f[4].to_string(),
                note: f.get(6).unwrap_or(&"").to_string(),
            },
        );
    }
    Ok(labels)
}

#[derive(serde::Deserialize)]
struct Report {
    findings: Vec<Finding>,
    stats: Stats,
}

#[derive(serde::Deserialize)]
struct Stats {
    bytes_scanned: u64,
}

#[derive(serde::Deserialize)]
struct Finding {
    rule_id: String,
    path: String,
    line: usize,
    confidence: String,
    secret: String,
    #[serde(default)]
    tags: Vec<String>,
}

const CONFIDENCES: [&str; 3] = ["low", "medium", "high"];

#[derive(Default)]
struct Tally {
    /// Per confidence: (tp, fp, unlabelled).
    by_conf: BTreeMap<usize, (usize, usize, usize)>,
}

fn run(root: &Path, args: &[String]) -> Result<(), String> {
    let trees = PathBuf::from(&args[0]);
    let mut unlabelled_out: Option<PathBuf> = None;
    let mut bin = root.join("target/release/guardrail");
    let mut extra: Vec<String> = Vec::new();
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--bin" if i + 1 < args.len() => {
                bin = PathBuf::from(&args[i + 1]);
                i += 2;
            }
            "--unlabelled" if i + 1 < args.len() => {
                unlabelled_out = Some(PathBuf::from(&args[i + 1]));
                i += 2;
            }
            "--" => {
                extra = args[i + 1..].to_vec();
                break;
            }
            a => return Err(format!("unknown argument {a:?}")),
        }
    }
    let repos = load_repos(root)?;
    let labels = load_labels(root)?;
    let mut seen: HashSet<Key> = HashSet::new();
    let mut total_bytes = 0u64;
    let mut total = Tally::default();
    let mut unlabelled: Vec<String> = Vec::new();
    let mut fps: Vec<String> = Vec::new();
    println!(
        "{:<36} {:>7}  {:>14} {:>14} {:>14}",
        "repository", "MB", "low tp/fp/?", "medium tp/fp/?", "high tp/fp/?"
    );
    for repo in &repos {
        let dir = trees.join(repo.dir_name());
        if !dir.is_dir() {
            return Err(format!(
                "{}: no tree (run `precision export MIRRORS {}` first)",
                dir.display(),
                trees.display()
            ));
        }
        let out = Command::new(&bin)
            .arg("secrets")
            .arg(&dir)
            .args(["--format", "json", "--no-redact", "--quiet"])
            .args(&extra)
            .output()
            .map_err(|e| format!("{}: {e}", bin.display()))?;
        if out.status.code() == Some(2) {
            return Err(format!(
                "{} failed on {}: {}",
                bin.display(),
                dir.display(),
                String::from_utf8_lossy(&out.stderr).trim()
            ));
        }
        let report: Report = serde_json::from_slice(&out.stdout)
            .map_err(|e| format!("JSON report for {}: {e}", repo.name))?;
        total_bytes += report.stats.bytes_scanned;
        let mut tally = Tally::default();
        for f in &report.findings {
            let conf = CONFIDENCES
                .iter()
                .position(|c| *c == f.confidence)
                .ok_or_else(|| format!("unknown confidence {:?}", f.confidence))?;
            let hash = secret_hash(&f.secret);
            let key = (repo.name.clone(), f.path.clone(), f.line, hash.clone());
            let label = labels.get(&key);
            seen.insert(key);
            for t in [&mut tally, &mut total] {
                let e = t.by_conf.entry(conf).or_default();
                match label.map(|l| l.verdict) {
                    Some(Verdict::Tp) => e.0 += 1,
                    Some(Verdict::Fp) => e.1 += 1,
                    None => e.2 += 1,
                }
            }
            let context = context_line(&dir.join(&f.path), f.line);
            let tags = if f.tags.is_empty() { String::new() } else { format!(" [{}]", f.tags.join(",")) };
            match label {
                // The eighth column (the secret) is for the person
                // labelling; it is not kept in labels.tsv.
                None => unlabelled.push(format!(
                    "{}\t{}\t{}\t{}\t{}\t?\t{}{} | {}\t{}",
                    repo.name,
                    f.path,
                    f.line,
                    hash,
                    f.rule_id,
                    f.confidence,
                    tags,
                    context,
                    f.secret.replace(['\t', '\n'], " ")
                )),
                Some(l) if l.verdict == Verdict::Fp => fps.push(format!(
                    "{:<6} {} {}:{} {}{} ({})",
                    f.confidence,
                    repo.name,
                    f.path,
                    f.line,
                    f.rule_id,
                    // The rule that reported it when it was labelled.
                    if l.rule == f.rule_id { String::new() } else { format!(" (was {})", l.rule) },
                    l.note
                )),
                Some(_) => {}
            }
        }
        println!(
            "{:<36} {:>7.1}  {:>14} {:>14} {:>14}  {}",
            repo.name,
            report.stats.bytes_scanned as f64 / 1e6,
            cell(&tally, 0),
            cell(&tally, 1),
            cell(&tally, 2),
            repo.languages.join(", ")
        );
    }
    let mb = total_bytes as f64 / 1e6;
    println!(
        "{:<36} {:>7.1}  {:>14} {:>14} {:>14}",
        "all",
        mb,
        cell(&total, 0),
        cell(&total, 1),
        cell(&total, 2)
    );
    for (floor, name) in CONFIDENCES.iter().enumerate() {
        let (tp, fp, unl) = total
            .by_conf
            .range(floor..)
            .fold((0, 0, 0), |a, (_, v)| (a.0 + v.0, a.1 + v.1, a.2 + v.2));
        println!(
            "at --min-confidence {name:<6}: {tp} tp, {fp} fp, {unl} unlabelled; {:.2} fp per 10 MB",
            fp as f64 * 1e7 / total_bytes.max(1) as f64
        );
    }
    let gone = labels.keys().filter(|k| !seen.contains(*k)).count();
    println!("labels no finding matches any more: {gone}");
    if !fps.is_empty() {
        println!("\nfalse positives:");
        fps.sort();
        for f in &fps {
            println!("  {f}");
        }
    }
    if !unlabelled.is_empty() {
        println!("\nunlabelled: {}", unlabelled.len());
        for u in unlabelled.iter().take(40) {
            println!("  {u}");
        }
        if let Some(path) = unlabelled_out {
            let mut text = unlabelled.join("\n");
            text.push('\n');
            std::fs::write(&path, text).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("(all written to {})", path.display());
        }
    }
    Ok(())
}

fn cell(t: &Tally, conf: usize) -> String {
    let (tp, fp, unl) = t.by_conf.get(&conf).copied().unwrap_or_default();
    format!("{tp}/{fp}/{unl}")
}

fn secret_hash(secret: &str) -> String {
    let mut h = guardrail::util::sha256_hex(&[secret.as_bytes()]);
    h.truncate(12);
    h
}

/// The finding's line, trimmed, for the person labelling it.
fn context_line(path: &Path, line: usize) -> String {
    let Ok(data) = std::fs::read(path) else {
        return String::new();
    };
    let text = String::from_utf8_lossy(&data);
    let l = text.lines().nth(line.saturating_sub(1)).unwrap_or("").trim();
    l.chars().take(160).collect::<String>().replace('\t', " ")
}
