//! `guardrail init` on three kinds of repository made in temp dirs (Rust;
//! Python + Node; with a Dockerfile): what it writes, that every file is
//! valid YAML (or TOML) and passes `guardrail workflows`, that existing
//! files are kept without `--force`, and that `--dry-run` writes nothing.

mod common;

use common::Workspace;
use serde_yaml_ng::Value;

const WRITTEN: [&str; 6] = [
    ".github/workflows/guardrail-pr.yml",
    ".github/workflows/guardrail-main.yml",
    ".github/workflows/release.yml",
    ".github/dependabot.yml",
    ".pre-commit-config.yaml",
    "guardrail.toml",
];

fn yaml(ws: &Workspace, rel: &str) -> Value {
    serde_yaml_ng::from_str(&ws.read(rel)).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn ecosystems(ws: &Workspace) -> Vec<(String, Value)> {
    let d = yaml(ws, ".github/dependabot.yml");
    d["updates"]
        .as_sequence()
        .unwrap()
        .iter()
        .map(|u| {
            let dir = u
                .get("directory")
                .or_else(|| u.get("directories"))
                .cloned()
                .unwrap();
            (u["package-ecosystem"].as_str().unwrap().to_string(), dir)
        })
        .collect()
}

fn jobs(ws: &Workspace, rel: &str) -> Vec<String> {
    yaml(ws, rel)["jobs"]
        .as_mapping()
        .unwrap()
        .keys()
        .map(|k| k.as_str().unwrap().to_string())
        .collect()
}

/// Init, then: every file exists, parses, and the audit is clean.
fn init_and_audit(ws: &Workspace) {
    ws.git(&["init", "-q"]);
    let run = ws.run(&["init"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in WRITTEN {
        assert!(ws.path(f).is_file(), "{f} not written: {}", run.stderr);
        if f.ends_with(".toml") {
            let cfg = ws.run(&["workflows", "--config", f, "--format", "json"]);
            assert_eq!(cfg.code, 0, "{f} is not a valid config: {}", cfg.stderr);
        } else {
            yaml(ws, f);
        }
    }
    let audit = ws.run(&["workflows", "--format", "json"]);
    assert_eq!(audit.code, 0, "{}{}", audit.stdout, audit.stderr);
    let json = audit.json();
    assert_eq!(json["findings"].as_array().unwrap().len(), 0, "{json}");
    assert_eq!(json["stats"]["files_audited"], 3, "{json}");
    // Every action is SHA-pinned with its version.
    for f in &WRITTEN[..3] {
        for line in ws.read(f).lines().filter(|l| l.contains("uses:")) {
            assert!(
                regex::Regex::new(r"uses: [\w.-]+/[\w./-]+@[0-9a-f]{40} # v\d+\.\d+\.\d+$")
                    .unwrap()
                    .is_match(line.trim_start_matches([' ', '-'])),
                "{f}: {line}"
            );
        }
    }
}

#[test]
fn rust_repository() {
    let ws = Workspace::new();
    ws.write(
        "Cargo.toml",
        "[package]\nname = \"x\"\nversion = \"0.1.0\"\n",
    );
    ws.write("Cargo.lock", "version = 4\n");
    ws.write("crates/member/Cargo.toml", "[package]\nname = \"m\"\n");
    init_and_audit(&ws);
    assert_eq!(
        ecosystems(&ws),
        [
            ("cargo".to_string(), Value::from("/")),
            ("github-actions".to_string(), Value::from("/"))
        ]
    );
    assert_eq!(
        jobs(&ws, ".github/workflows/guardrail-pr.yml"),
        ["secrets", "dependencies", "workflows"]
    );
    assert_eq!(
        jobs(&ws, ".github/workflows/guardrail-main.yml"),
        ["history"]
    );
    let pr = ws.read(".github/workflows/guardrail-pr.yml");
    assert!(pr.contains("GUARDRAIL_ECOSYSTEMS: crates.io\n"), "{pr}");
    let release = ws.read(".github/workflows/release.yml");
    assert!(release.contains("cargo package --locked"), "{release}");
    assert!(
        release.contains("actions/attest-build-provenance@"),
        "{release}"
    );
    assert!(release.contains("command: sbom"), "{release}");
    let pre = yaml(&ws, ".pre-commit-config.yaml");
    assert_eq!(pre["repos"][0]["hooks"][0]["id"], "guardrail-secrets");
}

#[test]
fn python_and_node_repository() {
    let ws = Workspace::new();
    ws.write("pyproject.toml", "[project]\nname = \"x\"\n");
    ws.write("uv.lock", "version = 1\n");
    ws.write("frontend/package.json", "{}\n");
    ws.write("frontend/package-lock.json", "{}\n");
    ws.write("frontend/node_modules/dep/package.json", "{}\n");
    init_and_audit(&ws);
    assert_eq!(
        ecosystems(&ws),
        [
            ("npm".to_string(), Value::from("/frontend")),
            ("uv".to_string(), Value::from("/")),
            ("github-actions".to_string(), Value::from("/"))
        ]
    );
    let pr = ws.read(".github/workflows/guardrail-pr.yml");
    assert!(pr.contains("GUARDRAIL_ECOSYSTEMS: npm PyPI\n"), "{pr}");
    let release = ws.read(".github/workflows/release.yml");
    assert!(
        release.contains("npm pack") && release.contains("python3 -m build"),
        "{release}"
    );
}

#[test]
fn repository_with_a_dockerfile_gets_an_image_job() {
    let ws = Workspace::new();
    ws.write("go.mod", "module example.com/x\n");
    ws.write("deploy/Dockerfile", "FROM scratch\n");
    init_and_audit(&ws);
    assert_eq!(
        jobs(&ws, ".github/workflows/guardrail-main.yml"),
        ["history", "image"]
    );
    let main = ws.read(".github/workflows/guardrail-main.yml");
    assert!(
        main.contains("docker build --pull -t guardrail-scan:ci -f deploy/Dockerfile deploy"),
        "{main}"
    );
    let ecos: Vec<String> = ecosystems(&ws).into_iter().map(|(e, _)| e).collect();
    assert_eq!(ecos, ["gomod", "docker", "github-actions"]);
}

#[test]
fn a_repository_without_lockfiles_has_no_dependency_job() {
    let ws = Workspace::new();
    ws.write("README.md", "docs only\n");
    init_and_audit(&ws);
    assert_eq!(
        jobs(&ws, ".github/workflows/guardrail-pr.yml"),
        ["secrets", "workflows"]
    );
}

#[test]
fn dry_run_writes_nothing_and_existing_files_need_force() {
    let ws = Workspace::new();
    ws.write("Cargo.toml", "[package]\n");
    let run = ws.run(&["init", "--dry-run"]);
    assert_eq!(run.code, 0, "{}", run.stderr);
    for f in WRITTEN {
        assert!(
            run.stdout.contains(&format!("==> {f} (would write)")),
            "{f}: {}",
            run.stdout
        );
        assert!(!ws.path(f).exists(), "{f} written by --dry-run");
    }
    assert!(run.stdout.contains("command: secrets-pr"), "{}", run.stdout);

    ws.write("guardrail.toml", "# mine\n");
    let run = ws.run(&["init", "--dry-run"]);
    assert!(
        run.stdout
            .contains("==> guardrail.toml (exists, would keep"),
        "{}",
        run.stdout
    );
    let run = ws.run(&["init"]);
    assert_eq!(run.code, 0);
    assert_eq!(ws.read("guardrail.toml"), "# mine\n");
    assert!(
        run.stderr.contains("kept ./guardrail.toml")
            || run.stderr.contains("guardrail.toml (exists"),
        "{}",
        run.stderr
    );
    let run = ws.run(&["init", "--force"]);
    assert_eq!(run.code, 0);
    assert!(ws.read("guardrail.toml").contains("[workflows]"));
    assert!(run.stderr.contains("overwrote"), "{}", run.stderr);
}

#[test]
fn docs_ci_shows_the_files_init_writes_for_a_rust_crate_with_a_dockerfile() {
    let ws = Workspace::new();
    ws.write(
        "Cargo.toml",
        "[package]\nname = \"myapp\"\nversion = \"0.1.0\"\n",
    );
    ws.write("Cargo.lock", "version = 4\n");
    ws.write("Dockerfile", "FROM scratch\n");
    assert_eq!(ws.run(&["init", "-q"]).code, 0);
    let docs = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/docs/CI.md")).unwrap();
    for f in WRITTEN {
        let lang = if f.ends_with(".toml") { "toml" } else { "yaml" };
        let block = format!("`{f}`:\n\n```{lang}\n{}```\n", ws.read(f));
        assert!(
            docs.contains(&block),
            "docs/CI.md does not show what `guardrail init` writes to {f} (regenerate the section `guardrail init`)"
        );
    }
}
