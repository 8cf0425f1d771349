//! Which ecosystems a repository uses, from its manifests and lockfiles
//! (a walk that honours .gitignore, a few levels deep).

use std::collections::BTreeMap;
use std::path::Path;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Ecosystem {
    Cargo,
    Npm,
    Pip,
    Uv,
    Gomod,
    Bundler,
    Composer,
    Docker,
    GithubActions,
}

impl Ecosystem {
    /// Dependabot's `package-ecosystem`.
    pub fn dependabot(self) -> &'static str {
        match self {
            Ecosystem::Cargo => "cargo",
            Ecosystem::Npm => "npm",
            Ecosystem::Pip => "pip",
            Ecosystem::Uv => "uv",
            Ecosystem::Gomod => "gomod",
            Ecosystem::Bundler => "bundler",
            Ecosystem::Composer => "composer",
            Ecosystem::Docker => "docker",
            Ecosystem::GithubActions => "github-actions",
        }
    }

    /// The OSV ecosystem `guardrail db update --ecosystem` fetches for it.
    pub fn osv(self) -> Option<&'static str> {
        match self {
            Ecosystem::Cargo => Some("crates.io"),
            Ecosystem::Npm => Some("npm"),
            Ecosystem::Pip | Ecosystem::Uv => Some("PyPI"),
            Ecosystem::Gomod => Some("Go"),
            Ecosystem::Bundler => Some("RubyGems"),
            Ecosystem::Composer => Some("Packagist"),
            Ecosystem::Docker | Ecosystem::GithubActions => None,
        }
    }

    fn of(name: &str) -> Option<Ecosystem> {
        Some(match name {
            "Cargo.toml" | "Cargo.lock" => Ecosystem::Cargo,
            "package.json" | "package-lock.json" | "yarn.lock" | "pnpm-lock.yaml" => Ecosystem::Npm,
            "uv.lock" => Ecosystem::Uv,
            "pyproject.toml" | "setup.py" | "setup.cfg" | "Pipfile" | "Pipfile.lock"
            | "poetry.lock" => Ecosystem::Pip,
            n if n.starts_with("requirements") && n.ends_with(".txt") => Ecosystem::Pip,
            "go.mod" => Ecosystem::Gomod,
            "Gemfile" | "Gemfile.lock" => Ecosystem::Bundler,
            "composer.json" | "composer.lock" => Ecosystem::Composer,
            "Dockerfile" | "Containerfile" => Ecosystem::Docker,
            n if n.ends_with(".Dockerfile") || n.starts_with("Dockerfile.") => Ecosystem::Docker,
            _ => return None,
        })
    }
}

/// What `init` found.
#[derive(Debug, Clone, Default)]
pub struct Detected {
    /// Each ecosystem with the directories (`/`, `/web`) that hold it; a
    /// directory inside another one of the same ecosystem (a workspace
    /// member) is left out.
    pub ecosystems: BTreeMap<Ecosystem, Vec<String>>,
    /// Dockerfiles, relative to the root.
    pub dockerfiles: Vec<String>,
    pub has_github_dir: bool,
}

impl Detected {
    pub fn has(&self, e: Ecosystem) -> bool {
        self.ecosystems.contains_key(&e)
    }

    /// OSV names for the dependency review's `GUARDRAIL_ECOSYSTEMS`.
    pub fn guardrail_ecosystems(&self) -> Vec<&'static str> {
        let mut v: Vec<&'static str> = self.ecosystems.keys().filter_map(|e| e.osv()).collect();
        v.dedup();
        v
    }
}

/// Look at `root` (at most four directories deep, .gitignore honoured).
pub fn detect(root: &Path) -> Detected {
    let mut found: BTreeMap<Ecosystem, Vec<String>> = BTreeMap::new();
    let mut dockerfiles = Vec::new();
    let walk = ignore::WalkBuilder::new(root)
        .hidden(false)
        .git_global(false)
        .require_git(false)
        .max_depth(Some(4))
        .filter_entry(|e| {
            let n = e.file_name().to_string_lossy();
            !matches!(
                n.as_ref(),
                ".git" | "node_modules" | "target" | "vendor" | ".venv" | "venv"
            )
        })
        .build();
    for entry in walk.flatten() {
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some(eco) = Ecosystem::of(&name) else {
            continue;
        };
        let rel = entry
            .path()
            .strip_prefix(root)
            .unwrap_or(entry.path())
            .to_string_lossy()
            .replace('\\', "/");
        let dir = match rel.rsplit_once('/') {
            Some((d, _)) => format!("/{d}"),
            None => "/".to_string(),
        };
        if eco == Ecosystem::Docker {
            dockerfiles.push(rel.clone());
        }
        found.entry(eco).or_default().push(dir);
    }
    // uv.lock makes a Python project a uv one for Dependabot.
    if let Some(uv) = found.get(&Ecosystem::Uv).cloned() {
        if let Some(pip) = found.get_mut(&Ecosystem::Pip) {
            pip.retain(|d| !uv.contains(d));
            if pip.is_empty() {
                found.remove(&Ecosystem::Pip);
            }
        }
    }
    for dirs in found.values_mut() {
        dirs.sort();
        dirs.dedup();
        let all = dirs.clone();
        dirs.retain(|d| {
            !all.iter()
                .any(|a| a != d && (a == "/" || d.starts_with(&format!("{a}/"))))
        });
    }
    dockerfiles.sort();
    let has_github_dir = root.join(".github").is_dir();
    found.insert(Ecosystem::GithubActions, vec!["/".into()]);
    Detected {
        ecosystems: found,
        dockerfiles,
        has_github_dir,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_ecosystems_and_folds_workspace_members() {
        let dir = tempfile::tempdir().unwrap();
        let w = |p: &str| {
            let f = dir.path().join(p);
            std::fs::create_dir_all(f.parent().unwrap()).unwrap();
            std::fs::write(f, "x").unwrap();
        };
        w("Cargo.toml");
        w("crates/a/Cargo.toml");
        w("web/package.json");
        w("web/node_modules/x/package.json");
        w("py/pyproject.toml");
        w("py/uv.lock");
        w("tools/requirements-dev.txt");
        w("docker/app.Dockerfile");
        let d = detect(dir.path());
        assert_eq!(d.ecosystems[&Ecosystem::Cargo], ["/"]);
        assert_eq!(d.ecosystems[&Ecosystem::Npm], ["/web"]);
        assert_eq!(d.ecosystems[&Ecosystem::Uv], ["/py"]);
        assert_eq!(d.ecosystems[&Ecosystem::Pip], ["/tools"]);
        assert_eq!(d.dockerfiles, ["docker/app.Dockerfile"]);
        assert_eq!(d.guardrail_ecosystems(), ["crates.io", "npm", "PyPI"]);
    }
}
