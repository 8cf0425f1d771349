//! Delta scanning (`--git` default) must report exactly what whole-blob
//! scanning (`--no-delta-scan`) reports: same rule, path, line, column,
//! commit and occurrence counts, on a real repository whose pack stores
//! most versions as deltas.

mod git_support;

use std::process::Command;

use git_support::{token, Repo};

fn expand(template: &str, seed: u64) -> String {
    let (_, secrets) = guardrail::detect::examples::expand(template, seed).expect("template");
    secrets.into_iter().next().expect("one secret")
}

fn pem(seed: u64) -> String {
    expand(
        r"⟪-----BEGIN RSA PRIVATE KEY-----\nMIIE[A-Za-z0-9+/]{60}\n(?:[A-Za-z0-9+/]{64}\n){24}[A-Za-z0-9+/]{20}==\n-----END RSA PRIVATE KEY-----⟫",
        seed,
    )
}

/// Deterministic filler lines that mention keywords now and then, so rules
/// are selected (and some rules no window can see are too).
struct Lines(u64);
impl Lines {
    fn next(&mut self) -> String {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let n = self.0 >> 33;
        let words = [
            "alpha", "token", "value", "secret", "buffer", "<item>", "password", "count",
        ];
        let a = words[(n % 8) as usize];
        let b = words[((n >> 3) % 8) as usize];
        format!("    let {a}_{} = compute({b}, {});\n", n % 997, n % 10007)
    }
    fn below(&mut self, n: u64) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) % n) as usize
    }
}

struct Scan {
    findings: Vec<(String, String, u64, u64, String, u64, String)>,
    stderr: String,
}

fn scan(repo: &Repo, extra: &[&str]) -> Scan {
    let out = Command::new(env!("CARGO_BIN_EXE_guardrail"))
        .args(["secrets", "--git", "--format", "json"])
        .args(extra)
        .arg(repo.path())
        .env("GUARDRAIL_DELTA_STATS", "1")
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .output()
        .expect("guardrail runs");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let mut findings: Vec<_> = json["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule_id"].as_str().unwrap_or("").to_string(),
                f["path"].as_str().unwrap_or("").to_string(),
                f["line"].as_u64().unwrap_or(0),
                f["column"].as_u64().unwrap_or(0),
                f["commit"].as_str().unwrap_or("").to_string(),
                f["other_occurrences"].as_u64().unwrap_or(0),
                f["related"].to_string(),
            )
        })
        .collect();
    findings.sort();
    Scan {
        findings,
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

#[test]
fn delta_scan_reports_exactly_what_whole_blob_scan_reports() {
    let repo = Repo::new();
    let mut rng = Lines(42);
    let files = ["src/a.rs", "src/b.rs", "deploy/notes.txt"];
    let mut content: Vec<Vec<String>> = files
        .iter()
        .map(|_| (0..200).map(|_| rng.next()).collect())
        .collect();
    let gh = token(11);
    let gh2 = token(12);
    let key = pem(13);
    let key2 = pem(14);
    let api = expand(r#"⟪[a-zA-Z0-9]{32}⟫"#, 15);
    let mut commits = Vec::new();
    for c in 0..60 {
        // Small edits everywhere.
        for f in content.iter_mut() {
            for _ in 0..2 {
                let at = rng.below(f.len() as u64);
                if rng.below(2) == 0 {
                    f[at] = rng.next();
                } else {
                    f.insert(at, rng.next());
                }
            }
        }
        match c {
            // A token appears in the middle of a file being edited, goes
            // away, and comes back elsewhere.
            10 => content[0].insert(100, format!("    let gh = \"{gh}\";\n")),
            25 => content[0].retain(|l| !l.contains(&gh)),
            40 => content[0].insert(30, format!("    let gh = \"{gh}\";\n")),
            // A PEM key, with edits right above and below it later on.
            12 => content[2].insert(80, format!("{key}\n")),
            // A second key replaces the first's body in place.
            35 => {
                for l in content[2].iter_mut() {
                    if l.contains("BEGIN RSA") {
                        *l = format!("{key2}\n");
                    }
                }
            }
            // A generic assignment (its rule's keyword is in the match).
            15 => content[1].insert(50, format!("api_key = \"{api}\"\n")),
            // Two tokens on adjacent lines, then one line between them edited.
            20 => {
                content[1].insert(120, format!("    t1 = \"{gh2}\";\n"));
                content[1].insert(121, "    // separator\n".to_string());
                content[1].insert(122, format!("    t2 = \"{gh}\";\n"));
            }
            21 => {
                if let Some(i) = content[1].iter().position(|l| l.contains("// separator")) {
                    content[1][i] = "    // separator, edited\n".to_string();
                }
            }
            _ => {}
        }
        if c == 12 || c == 35 {
            // Edit the lines right around the key.
            if let Some(i) = content[2].iter().position(|l| l.contains("BEGIN RSA")) {
                content[2][i - 1] = rng.next();
                content[2][i + 1] = rng.next();
            }
        } else if c > 12 {
            if let Some(i) = content[2].iter().position(|l| l.contains("BEGIN RSA")) {
                let j = if c % 2 == 0 {
                    i.saturating_sub(1)
                } else {
                    i + 1
                };
                content[2][j] = rng.next();
            }
        }
        for (f, lines) in files.iter().zip(&content) {
            repo.write(f, lines.concat());
        }
        commits.push(repo.commit(&format!("commit {c}")));
    }
    // One pack with deltas computed from scratch, like a clone.
    repo.git(&["repack", "-adfq", "--window=50", "--depth=50"]);

    let whole = scan(&repo, &["--no-delta-scan"]);
    let delta = scan(&repo, &[]);
    assert!(whole.findings.len() >= 5, "{:?}", whole.findings);
    assert_eq!(delta.findings, whole.findings);
    // The delta path was taken for most versions (not a silent fallback).
    let n: u64 = delta
        .stderr
        .lines()
        .find_map(|l| l.strip_prefix("delta scan: "))
        .and_then(|l| l.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or(0);
    assert!(n >= 60, "{}", delta.stderr);
    // And the grouping still attributes the token to its first commit.
    let gh_finding = whole
        .findings
        .iter()
        .find(|f| f.0 == "github-pat-classic" && f.1 == "src/a.rs")
        .expect("token found");
    assert_eq!(gh_finding.4, commits[10]);
}
