//! Language packages installed in an image's filesystem: Python
//! distributions (`*.dist-info/METADATA`, `*.egg-info/PKG-INFO`), Node
//! packages (`node_modules/<name>/package.json`), Ruby gem specifications
//! (`specifications/*.gemspec`), Java archives (`META-INF/maven/**/
//! pom.properties`, nested jars one level deep) and lockfiles the lockfile
//! parsers know.

use std::io::{Cursor, Read};

use crate::deps::lockfile::{detect_format, parse_bytes, pep503, purl};
use crate::deps::model::{Ecosystem, Location, LockfileFormat, Package, Scope, Source};

/// What kind of language file a path is, if any.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LangFile {
    PythonMetadata,
    NodePackage,
    Gemspec,
    Jar,
    Lockfile(LockfileFormat),
}

pub fn classify(path: &str) -> Option<LangFile> {
    let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
    let parent = dir.rsplit_once('/').map_or(dir, |(_, p)| p);
    if (base == "METADATA" && parent.ends_with(".dist-info"))
        || (base == "PKG-INFO" && parent.ends_with(".egg-info"))
    {
        return Some(LangFile::PythonMetadata);
    }
    if base.ends_with(".egg-info")
        && !dir.is_empty()
        && (dir.ends_with("site-packages") || dir.ends_with("dist-packages"))
    {
        // A single-file egg-info (distutils installs) is PKG-INFO itself.
        return Some(LangFile::PythonMetadata);
    }
    if base == "package.json" {
        // `node_modules/<name>/package.json` or `node_modules/@scope/<name>/package.json`.
        let parts: Vec<&str> = dir.rsplit('/').take(3).collect();
        let ok = match parts.as_slice() {
            [_, "node_modules", ..] => true,
            [_, scope, "node_modules"] if scope.starts_with('@') => true,
            _ => false,
        };
        return ok.then_some(LangFile::NodePackage);
    }
    if base.ends_with(".gemspec")
        && (parent == "specifications" || dir.ends_with("specifications/default"))
    {
        return Some(LangFile::Gemspec);
    }
    if base.ends_with(".jar") || base.ends_with(".war") || base.ends_with(".ear") {
        return Some(LangFile::Jar);
    }
    // Lockfiles of the image's own application; those shipped inside
    // installed packages (node_modules, site-packages) describe how the
    // package was developed, not what is installed.
    if path.contains("node_modules/")
        || path.contains("site-packages/")
        || path.contains("dist-packages/")
    {
        return None;
    }
    match detect_format(std::path::Path::new(base))? {
        // go.mod without its go.sum lists requirements, not a resolution;
        // Go binaries' build info says what was linked.
        LockfileFormat::GoMod | LockfileFormat::GoSum => None,
        f => Some(LangFile::Lockfile(f)),
    }
}

fn package(eco: Ecosystem, name: String, version: String, path: &str, line: usize) -> Package {
    let purl = purl(eco, &name, &version);
    Package {
        ecosystem: eco,
        name,
        version,
        scope: Scope::Runtime,
        source: Source::Registry(None),
        purl,
        location: Location {
            file: path.to_string(),
            line,
        },
        hashes: Vec::new(),
        markers: None,
    }
}

pub fn parse(kind: LangFile, path: &str, data: &[u8]) -> Result<Vec<Package>, String> {
    match kind {
        LangFile::PythonMetadata => python(path, data),
        LangFile::NodePackage => node(path, data),
        LangFile::Gemspec => gemspec(path, data),
        LangFile::Jar => jar(path, data, 0),
        LangFile::Lockfile(f) => parse_bytes(data, path, f)
            .map(|l| l.packages)
            .map_err(|e| e.to_string()),
    }
}

/// RFC 822 headers up to the first blank line.
fn python(path: &str, data: &[u8]) -> Result<Vec<Package>, String> {
    let text = String::from_utf8_lossy(data);
    let (mut name, mut version) = (None, None);
    for line in text.lines() {
        if line.trim().is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Name:") {
            name.get_or_insert_with(|| v.trim().to_string());
        } else if let Some(v) = line.strip_prefix("Version:") {
            version.get_or_insert_with(|| v.trim().to_string());
        }
    }
    match (name, version) {
        (Some(n), Some(v)) if !n.is_empty() && !v.is_empty() => {
            Ok(vec![package(Ecosystem::PyPI, pep503(&n), v, path, 1)])
        }
        _ => Err("no Name and Version headers".into()),
    }
}

fn node(path: &str, data: &[u8]) -> Result<Vec<Package>, String> {
    let v: serde_json::Value =
        serde_json::from_slice(data).map_err(|e| format!("invalid JSON: {e}"))?;
    let name = v.get("name").and_then(|n| n.as_str());
    let version = v.get("version").and_then(|n| n.as_str());
    match (name, version) {
        (Some(n), Some(ver)) if !n.is_empty() && !ver.is_empty() => Ok(vec![package(
            Ecosystem::Npm,
            n.to_string(),
            ver.to_string(),
            path,
            1,
        )]),
        // Some packages ship a package.json without a version (examples,
        // workspaces): not an installed package.
        _ => Ok(Vec::new()),
    }
}

/// `s.name = "rake".freeze` / `s.version = "13.0.6"` in the generated
/// specification (Ruby code; only these two assignments are read), else
/// the file name `<name>-<version>.gemspec`.
fn gemspec(path: &str, data: &[u8]) -> Result<Vec<Package>, String> {
    let text = String::from_utf8_lossy(data);
    let field = |key: &str| -> Option<String> {
        text.lines().find_map(|l| {
            let l = l.trim();
            let rest = l.split_once(&format!(".{key}"))?.1.trim_start();
            let rest = rest.strip_prefix('=')?.trim_start();
            let q = rest.chars().next().filter(|c| *c == '"' || *c == '\'')?;
            let inner = &rest[1..];
            Some(inner[..inner.find(q)?].to_string())
        })
    };
    let (name, version) = match (field("name"), field("version")) {
        (Some(n), Some(v)) => (n, v),
        _ => {
            let base = path.rsplit('/').next().unwrap_or(path);
            let stem = base.strip_suffix(".gemspec").unwrap_or(base);
            let (n, v) = stem
                .rsplit_once('-')
                .ok_or("no name and version in the gemspec")?;
            (n.to_string(), v.to_string())
        }
    };
    Ok(vec![package(Ecosystem::RubyGems, name, version, path, 1)])
}

/// Nested archives larger than this are not opened.
const NESTED_MAX: u64 = 64 << 20;

fn jar(path: &str, data: &[u8], depth: usize) -> Result<Vec<Package>, String> {
    let mut zip =
        zip::ZipArchive::new(Cursor::new(data)).map_err(|e| format!("not a readable jar: {e}"))?;
    let mut out = Vec::new();
    let mut nested = Vec::new();
    for i in 0..zip.len() {
        let Ok(mut f) = zip.by_index(i) else { continue };
        let name = f.name().to_string();
        if name.starts_with("META-INF/maven/") && name.ends_with("/pom.properties") {
            let mut s = String::new();
            if f.by_ref().take(1 << 20).read_to_string(&mut s).is_err() {
                continue;
            }
            let get = |k: &str| {
                s.lines().find_map(|l| {
                    l.trim()
                        .strip_prefix(k)?
                        .trim_start()
                        .strip_prefix('=')
                        .map(|v| v.trim().to_string())
                })
            };
            if let (Some(g), Some(a), Some(v)) = (get("groupId"), get("artifactId"), get("version"))
            {
                let shown = format!("{path}!/{name}");
                let purl = format!("pkg:maven/{g}/{a}@{v}");
                let mut p = package(Ecosystem::Maven, format!("{g}:{a}"), v, &shown, 1);
                p.purl = purl;
                out.push(p);
            }
        } else if depth == 0
            && (name.ends_with(".jar") || name.ends_with(".war"))
            && f.size() <= NESTED_MAX
        {
            let mut b = Vec::with_capacity(f.size() as usize);
            if f.read_to_end(&mut b).is_ok() {
                nested.push((name, b));
            }
        }
    }
    for (name, b) in nested {
        if let Ok(mut ps) = jar(&format!("{path}!/{name}"), &b, depth + 1) {
            out.append(&mut ps);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths() {
        use LangFile::*;
        assert_eq!(
            classify("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA"),
            Some(PythonMetadata)
        );
        assert_eq!(
            classify("app/node_modules/lodash/package.json"),
            Some(NodePackage)
        );
        assert_eq!(
            classify("app/node_modules/@babel/core/package.json"),
            Some(NodePackage)
        );
        assert_eq!(classify("app/node_modules/lodash/fp/package.json"), None);
        assert_eq!(classify("app/package.json"), None);
        assert_eq!(
            classify("usr/lib/ruby/gems/3.1.0/specifications/rake-13.0.6.gemspec"),
            Some(Gemspec)
        );
        assert_eq!(
            classify("app/package-lock.json"),
            Some(Lockfile(LockfileFormat::PackageLockJson))
        );
        assert_eq!(classify("app/node_modules/x/package-lock.json"), None);
        assert_eq!(classify("opt/app.jar"), Some(Jar));
        assert_eq!(classify("go.mod"), None);
    }

    #[test]
    fn metadata_and_gemspec() {
        let p = python(
            "x/METADATA",
            b"Metadata-Version: 2.1\nName: Jinja2\nVersion: 3.1.2\n\nName: not-this\n",
        )
        .unwrap();
        assert_eq!(
            (p[0].name.as_str(), p[0].version.as_str()),
            ("jinja2", "3.1.2")
        );
        assert!(python("x/METADATA", b"Summary: x\n").is_err());
        let g = gemspec(
            "specifications/rake-13.0.6.gemspec",
            b"Gem::Specification.new do |s|\n  s.name = \"rake\".freeze\n  s.version = \"13.0.6\"\nend\n",
        )
        .unwrap();
        assert_eq!(
            (g[0].name.as_str(), g[0].version.as_str()),
            ("rake", "13.0.6")
        );
        let g = gemspec("specifications/json-2.6.3.gemspec", b"# binary\n").unwrap();
        assert_eq!(
            (g[0].name.as_str(), g[0].version.as_str()),
            ("json", "2.6.3")
        );
        assert!(node("n/package.json", b"{").is_err());
        assert!(node("n/package.json", b"{\"name\":\"x\"}")
            .unwrap()
            .is_empty());
    }
}
