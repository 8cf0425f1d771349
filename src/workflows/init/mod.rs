//! `guardrail init`: find the repository's ecosystems and write the
//! guardrail workflows, `.github/dependabot.yml`, `.pre-commit-config.yaml`
//! and a commented `guardrail.toml`, with actions pinned from the pin table.
//!
//! Templates (`templates/`) are plain files with three kinds of marks:
//! `@@uses owner/repo[/path]@@` (the pinned `uses:` value and its version
//! comment), `@@version owner/repo@@`, `@@name@@` values, and `#if COND` /
//! `#endif` lines around optional parts. Hand-rolled: these few marks are
//! all the templates need.

mod detect;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

pub use detect::{detect, Detected, Ecosystem};

use super::pins::PinTable;

const PR: &str = include_str!("templates/pr.yml");
const MAIN: &str = include_str!("templates/main.yml");
const RELEASE: &str = include_str!("templates/release.yml");
const PRE_COMMIT: &str = include_str!("templates/pre-commit.yaml");
const CONFIG: &str = include_str!("templates/guardrail.toml");

/// One file `init` writes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Planned {
    /// Relative to the repository, `/`-separated.
    pub path: String,
    pub content: String,
}

/// Fill a template: marks replaced, `#if` blocks kept or dropped.
pub fn render(
    template: &str,
    pins: &PinTable,
    vars: &BTreeMap<&str, String>,
    conds: &[&str],
) -> String {
    let mut out = String::with_capacity(template.len());
    let mut keep = vec![true];
    for line in template.split_inclusive('\n') {
        let t = line.trim_end();
        if let Some(c) = t.strip_prefix("#if ") {
            let on = *keep.last().unwrap_or(&true) && conds.contains(&c.trim());
            keep.push(on);
            continue;
        }
        if t == "#endif" {
            if keep.len() > 1 {
                keep.pop();
            }
            continue;
        }
        if !*keep.last().unwrap_or(&true) {
            continue;
        }
        out.push_str(&fill(line, pins, vars));
    }
    out
}

fn fill(line: &str, pins: &PinTable, vars: &BTreeMap<&str, String>) -> String {
    let mut out = String::new();
    let mut rest = line;
    while let Some(at) = rest.find("@@") {
        out.push_str(&rest[..at]);
        let after = &rest[at + 2..];
        let Some(end) = after.find("@@") else {
            out.push_str(&rest[at..]);
            return out;
        };
        let mark = &after[..end];
        let value = if let Some(a) = mark.strip_prefix("uses ") {
            pins.uses(a.trim())
        } else if let Some(a) = mark.strip_prefix("version ") {
            pins.get(a.trim())
                .unwrap_or_else(|| panic!("no pin for {a} in the pin table"))
                .version
                .clone()
        } else {
            vars.get(mark)
                .cloned()
                .unwrap_or_else(|| panic!("template mark @@{mark}@@ has no value"))
        };
        out.push_str(&value);
        rest = &after[end + 2..];
    }
    out.push_str(rest);
    out
}

fn build_lines(d: &Detected) -> String {
    let mut cmds: Vec<&str> = Vec::new();
    if d.has(Ecosystem::Cargo) {
        cmds.push("cargo package --locked && cp target/package/*.crate dist/");
    }
    if d.has(Ecosystem::Npm) {
        cmds.push("npm ci && npm pack --pack-destination dist");
    }
    if d.has(Ecosystem::Pip) || d.has(Ecosystem::Uv) {
        cmds.push("python3 -m pip install build && python3 -m build --outdir dist");
    }
    if d.has(Ecosystem::Gomod) {
        cmds.push("go build -trimpath -o dist/ ./...");
    }
    if cmds.is_empty() {
        cmds.push("echo \"build the release artefacts into dist/ here\" >&2 && exit 1");
    }
    cmds.iter()
        .map(|c| format!("          {c}\n"))
        .collect::<String>()
        .trim_end_matches('\n')
        .to_string()
}

fn dependabot(d: &Detected) -> String {
    let mut out = String::from(
        "# Dependabot version updates (written by `guardrail init`): one entry per\n\
         # ecosystem found in the repository, plus the pinned actions (Dependabot\n\
         # bumps a SHA pin and its `# vX.Y.Z` comment together).\n\
         version: 2\nupdates:\n",
    );
    for (eco, dirs) in &d.ecosystems {
        if *eco == Ecosystem::GithubActions {
            continue;
        }
        out.push_str(&format!("  - package-ecosystem: {}\n", eco.dependabot()));
        out.push_str(&directories(dirs));
        out.push_str("    schedule:\n      interval: weekly\n    open-pull-requests-limit: 10\n");
    }
    out.push_str("  - package-ecosystem: github-actions\n    directory: /\n    schedule:\n      interval: weekly\n    groups:\n      actions:\n        patterns: [\"*\"]\n");
    out
}

fn directories(dirs: &[String]) -> String {
    if dirs.len() == 1 {
        format!("    directory: {}\n", quote_dir(&dirs[0]))
    } else {
        let list: Vec<String> = dirs.iter().map(|d| quote_dir(d)).collect();
        format!("    directories: [{}]\n", list.join(", "))
    }
}

fn quote_dir(d: &str) -> String {
    if d.bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"/._-".contains(&b))
    {
        d.to_string()
    } else {
        format!("{:?}", d)
    }
}

/// Every file `init` would write for a repository with these ecosystems.
pub fn plan(d: &Detected, pins: &PinTable) -> Vec<Planned> {
    let mut vars: BTreeMap<&str, String> = BTreeMap::new();
    vars.insert("ecosystems", d.guardrail_ecosystems().join(" "));
    vars.insert("build", build_lines(d));
    let mut conds: Vec<&str> = Vec::new();
    if !d.guardrail_ecosystems().is_empty() {
        conds.push("deps");
    }
    if let Some(df) = d.dockerfiles.first() {
        conds.push("docker");
        let context = Path::new(df)
            .parent()
            .map(|p| p.to_string_lossy().into_owned())
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| ".".into());
        vars.insert("dockerfile", df.clone());
        vars.insert("docker_context", context);
        vars.insert(
            "image_note",
            format!(", and a scan of the image built from {df}"),
        );
    } else {
        vars.insert("image_note", String::new());
    }
    vec![
        Planned {
            path: ".github/workflows/guardrail-pr.yml".into(),
            content: render(PR, pins, &vars, &conds),
        },
        Planned {
            path: ".github/workflows/guardrail-main.yml".into(),
            content: render(MAIN, pins, &vars, &conds),
        },
        Planned {
            path: ".github/workflows/release.yml".into(),
            content: render(RELEASE, pins, &vars, &conds),
        },
        Planned {
            path: ".github/dependabot.yml".into(),
            content: dependabot(d),
        },
        Planned {
            path: ".pre-commit-config.yaml".into(),
            content: render(PRE_COMMIT, pins, &vars, &conds),
        },
        Planned {
            path: "guardrail.toml".into(),
            content: render(CONFIG, pins, &vars, &conds),
        },
    ]
}

/// What happened to one planned file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Written {
    Created(PathBuf),
    Overwritten(PathBuf),
    /// Exists and `--force` was not given.
    Kept(PathBuf),
}

/// Write the planned files under `root`; existing ones only with `force`.
pub fn write(root: &Path, planned: &[Planned], force: bool) -> Result<Vec<Written>, String> {
    let mut done = Vec::new();
    for p in planned {
        let path = root.join(&p.path);
        let exists = path.exists();
        if exists && !force {
            done.push(Written::Kept(path));
            continue;
        }
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
        }
        std::fs::write(&path, &p.content)
            .map_err(|e| format!("cannot write {}: {e}", path.display()))?;
        done.push(if exists {
            Written::Overwritten(path)
        } else {
            Written::Created(path)
        });
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn render_marks_and_conditions() {
        let pins = PinTable::builtin();
        let vars = BTreeMap::from([("x", "1".to_string())]);
        let t = "a @@x@@\n#if on\nkept @@uses actions/checkout@@\n#endif\n#if off\ndropped\n#endif\nend\n";
        assert_eq!(
            render(t, &pins, &vars, &["on"]),
            "a 1\nkept actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2\nend\n"
        );
    }
}
