//! One file through the audit: read (bounded), parse, run the checks,
//! apply `guardrail:allow` comments and the config's allow list.

use std::path::Path;

use super::checks::{self, Ctx, Hit, Policy};
use super::model::{self, FileKind};
use super::rules::{self, WorkflowRule};
use super::yaml::{self, Lines};

/// Larger workflow files are refused (with an error naming them) unless
/// `--max-file-size` says otherwise; real ones are a few KiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 1024 * 1024;

#[derive(Debug, Clone, Default)]
pub struct AuditOptions {
    pub policy: Policy,
    /// Rule ids allowed everywhere (`[workflows] allow`).
    pub allow: Vec<String>,
    pub max_file_size: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Suppressed {
    /// `# guardrail:allow rule-id` on the line.
    Inline,
    /// `[workflows] allow` in guardrail.toml.
    Config,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static WorkflowRule,
    /// Relative to the audited root, `/`-separated.
    pub path: String,
    pub line: usize,
    pub column: usize,
    pub message: String,
    /// The source line, trimmed.
    pub snippet: String,
    pub job: Option<String>,
    /// Stable across runs and line moves: rule, path, job and what the
    /// finding is about.
    pub fingerprint: String,
    pub suppressed: Option<Suppressed>,
}

/// What became of one file.
#[derive(Debug)]
pub enum FileOutcome {
    Audited {
        kind: FileKind,
        findings: Vec<Finding>,
        /// Problems with the file's own suppression comments.
        warnings: Vec<String>,
    },
    /// Not a workflow nor an action: a warning, nothing to audit.
    Skipped(String),
    /// Could not be audited (unreadable, too large, not YAML): an error.
    Failed(String),
}

/// Read and audit one file; `display` is the path to report.
pub fn audit_file(path: &Path, display: &str, opts: &AuditOptions) -> FileOutcome {
    let limit = if opts.max_file_size == 0 {
        DEFAULT_MAX_FILE_SIZE
    } else {
        opts.max_file_size
    };
    match std::fs::metadata(path) {
        Err(e) => return FileOutcome::Failed(format!("{display}: cannot read: {e}")),
        Ok(m) if m.len() > limit => {
            return FileOutcome::Failed(format!(
                "{display}: {} is larger than the {} limit for a workflow file; not audited (raise it with --max-file-size)",
                human_size(m.len()),
                human_size(limit)
            ))
        }
        Ok(_) => {}
    }
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => return FileOutcome::Failed(format!("{display}: cannot read: {e}")),
    };
    let Ok(text) = String::from_utf8(bytes) else {
        return FileOutcome::Failed(format!("{display}: not UTF-8 text; not audited"));
    };
    audit_text(display, &text, opts)
}

fn human_size(n: u64) -> String {
    if n >= 1024 * 1024 {
        format!("{:.1} MiB", n as f64 / (1024.0 * 1024.0))
    } else if n >= 1024 {
        format!("{:.1} KiB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}

/// Audit a file's text.
pub fn audit_text(display: &str, text: &str, opts: &AuditOptions) -> FileOutcome {
    let (root, lenient) = match yaml::parse_lenient(text) {
        Ok(r) => r,
        Err(e) => return FileOutcome::Failed(format!("{display}: {e}; not audited")),
    };
    let Some(kind) = model::kind_of(&root) else {
        return FileOutcome::Skipped(format!(
            "{display}: neither a workflow (`jobs:`) nor an action (`runs:`); not audited"
        ));
    };
    let lines = Lines::new(text);
    let mut ctx = Ctx {
        path: display,
        lines: &lines,
        root: &root,
        kind,
        policy: &opts.policy,
        hits: Vec::new(),
    };
    checks::run_all(&mut ctx);
    let mut warnings: Vec<String> = lenient
        .map(|w| format!("{display}: {w}"))
        .into_iter()
        .collect();
    let mut findings = Vec::new();
    let mut seen: Vec<String> = Vec::new();
    for hit in ctx.hits {
        let Some(rule) = rules::get(hit.rule) else {
            // A check raised an id the rule data lacks: a bug the unit
            // tests catch; report it rather than drop the finding.
            warnings.push(format!(
                "{display}: internal: no rule data for {}",
                hit.rule
            ));
            continue;
        };
        let base = crate::util::sha256_hex(&[
            hit.rule.as_bytes(),
            display.as_bytes(),
            hit.job.as_deref().unwrap_or("").as_bytes(),
            hit.evidence.as_bytes(),
        ]);
        let n = seen.iter().filter(|s| **s == base).count();
        seen.push(base.clone());
        let fingerprint = if n == 0 {
            base
        } else {
            crate::util::sha256_hex(&[base.as_bytes(), n.to_string().as_bytes()])
        };
        let suppressed = if inline_allows(&lines, &hit, display, &mut warnings) {
            Some(Suppressed::Inline)
        } else if opts.allow.iter().any(|a| a == hit.rule) {
            Some(Suppressed::Config)
        } else {
            None
        };
        findings.push(Finding {
            rule,
            path: display.to_string(),
            line: hit.pos.line,
            column: hit.pos.col,
            snippet: lines.line(hit.pos.line).trim().to_string(),
            message: hit.message,
            job: hit.job,
            fingerprint,
            suppressed,
        });
    }
    warnings.dedup();
    FileOutcome::Audited {
        kind,
        findings,
        warnings,
    }
}

/// `guardrail:allow` on the finding's line or on the line of its key:
/// bare, it allows every rule there; followed by rule ids (`guardrail:allow
/// unpinned-action, curl-pipe-shell`), only those. A word without a `-`
/// starts free text (a reason); an unknown id is a warning, and allows
/// nothing.
fn inline_allows(lines: &Lines, hit: &Hit, display: &str, warnings: &mut Vec<String>) -> bool {
    let mut candidates = vec![hit.pos.line];
    if hit.key_line != hit.pos.line {
        candidates.push(hit.key_line);
    }
    for n in candidates {
        let line = lines.line(n);
        let Some(at) = line.find("guardrail:allow") else {
            continue;
        };
        let rest = &line[at + "guardrail:allow".len()..];
        let mut ids = Vec::new();
        for tok in rest.split(|c: char| c.is_whitespace() || c == ',') {
            if tok.is_empty() {
                continue;
            }
            if !tok.contains('-')
                || !tok
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            {
                break;
            }
            ids.push(tok);
        }
        if ids.is_empty() {
            return true;
        }
        for id in &ids {
            if rules::get(id).is_none() {
                warnings.push(format!(
                    "{display}:{n}: guardrail:allow names `{id}`, which is not a workflow rule (see `guardrail workflows --list-rules`)"
                ));
            }
        }
        if ids.contains(&hit.rule) {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    fn audit(text: &str) -> Vec<Finding> {
        match audit_text(".github/workflows/x.yml", text, &AuditOptions::default()) {
            FileOutcome::Audited { findings, .. } => findings,
            other => panic!("{other:?}"),
        }
    }

    const BAD: &str = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: curl -s https://x | sh\n";

    #[test]
    fn positions_messages_and_fingerprints() {
        let f = audit(BAD);
        let ids: Vec<&str> = f.iter().map(|f| f.rule.id.as_str()).collect();
        assert_eq!(ids, ["unpinned-action", "curl-pipe-shell"]);
        assert_eq!((f[0].line, f[0].column), (7, 9));
        assert_eq!((f[1].line, f[1].column), (8, 14));
        assert!(
            f[0].message.contains("actions/checkout@v4") && f[0].message.contains("v4.2.2"),
            "{}",
            f[0].message
        );
        // Lines inserted above do not change fingerprints.
        let moved = audit(&BAD.replace("jobs:\n", "env:\n  A: b\njobs:\n"));
        assert_eq!(f[0].fingerprint, moved[0].fingerprint);
        assert_ne!(moved[0].line, f[0].line);
    }

    #[test]
    fn inline_allow_with_and_without_ids() {
        let text = BAD.replace("@v4\n", "@v4 # guardrail:allow unpinned-action\n");
        let f = audit(&text);
        assert_eq!(f[0].suppressed, Some(Suppressed::Inline));
        assert_eq!(f[1].suppressed, None);
        let text = BAD.replace("@v4\n", "@v4 # guardrail:allow curl-pipe-shell\n");
        assert_eq!(audit(&text)[0].suppressed, None);
        let text = BAD.replace("@v4\n", "@v4 # guardrail:allow because we vendor it\n");
        assert_eq!(audit(&text)[0].suppressed, Some(Suppressed::Inline));
        let FileOutcome::Audited {
            findings, warnings, ..
        } = audit_text(
            "x.yml",
            &BAD.replace("@v4\n", "@v4 # guardrail:allow unpinned-actoin\n"),
            &AuditOptions::default(),
        )
        else {
            panic!()
        };
        assert_eq!(findings[0].suppressed, None);
        assert!(
            warnings[0].contains("x.yml:7") && warnings[0].contains("unpinned-actoin"),
            "{warnings:?}"
        );
    }

    #[test]
    fn config_allow() {
        let opts = AuditOptions {
            allow: vec!["curl-pipe-shell".into()],
            ..Default::default()
        };
        let FileOutcome::Audited { findings, .. } = audit_text("x.yml", BAD, &opts) else {
            panic!()
        };
        assert_eq!(findings[1].suppressed, Some(Suppressed::Config));
        assert_eq!(findings[0].suppressed, None);
    }

    #[test]
    fn bad_input_is_one_line_naming_the_file() {
        for (text, want) in [
            ("on: [push\njobs: {\n", "invalid YAML"),
            ("name: x\n", "neither a workflow"),
            ("", "no YAML document"),
        ] {
            let msg = match audit_text("w.yml", text, &AuditOptions::default()) {
                FileOutcome::Failed(m) | FileOutcome::Skipped(m) => m,
                other => panic!("{other:?}"),
            };
            assert!(
                msg.starts_with("w.yml: ") && msg.contains(want) && !msg.contains('\n'),
                "{msg}"
            );
        }
    }
}
