//! The structured detector: config files and source code read as (key
//! path, key, value) pairs, each value judged by what its key means
//! ([`keys`], from `[keys]` in the rule packs) and what it looks like
//! ([`judge`]). A literal under a password key is a finding even when it
//! has little entropy; references, templates, placeholders, calls and
//! empty values never are.
//!
//! The format comes from the path ([`format_of`]); one extractor per
//! format family yields the pairs, each written to survive broken input
//! (a template, half a file, the wrong language behind an extension): none
//! of them can fail, they read what they can. The detector runs only on
//! files where a keyword of a `structured-*` rule occurs inside a name that
//! [`keys`] calls secret-bearing (the gate), and only pairs whose key
//! holds such a keyword occurrence are judged, so most files cost one
//! look at their keyword hits.

mod code;
mod ini;
pub mod judge;
pub mod keys;
mod shell;
mod tokens;
mod xml;
mod yaml;

use std::ops::Range;

use crate::rules::{Confidence, KeysSpec};
use keys::{KeyKind, KeySemantics, Words};
use tokens::Lang;

/// Where extractors put what they find.
pub trait Sink {
    /// A literal value under a key: spans of the data; `parents` are the
    /// enclosing keys, outermost first; `quoted` when the value was a
    /// quoted string.
    fn pair(&mut self, key: Range<usize>, value: Range<usize>, quoted: bool, parents: &[Range<usize>]);
    /// A value that the syntax itself names (mysql `-p...`, curl's `-u
    /// user:...`, an `Authorization` header): no key name to look at.
    fn named(&mut self, kind: KeyKind, key: Range<usize>, value: Range<usize>);
}

/// A file format family, chosen by path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Code(Lang),
    Yaml,
    Ini(ini::Dialect),
    Shell { dockerfile: bool },
    Xml,
}

/// The format of `path` (by extension or file name), if it is one the
/// detector reads.
pub fn format_of(path: &str) -> Option<Format> {
    let name = path.rsplit('/').next().unwrap_or(path);
    let lower = name.to_ascii_lowercase();
    if lower == "dockerfile" || lower.starts_with("dockerfile.") || lower.ends_with(".dockerfile") || lower == "containerfile" {
        return Some(Format::Shell { dockerfile: true });
    }
    if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        return Some(Format::Ini(ini::Dialect::Env));
    }
    if matches!(lower.as_str(), ".bash_history" | ".zsh_history" | ".sh_history" | ".bashrc" | ".zshrc" | ".profile" | ".bash_profile" | ".envrc") {
        return Some(Format::Shell { dockerfile: false });
    }
    if matches!(lower.as_str(), "gemfile" | "rakefile" | "vagrantfile" | "podfile") {
        return Some(Format::Code(Lang::Ruby));
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "json" | "jsonc" | "json5" | "tfstate" | "code-workspace" => Format::Code(Lang::Json),
        "yml" | "yaml" => Format::Yaml,
        "xml" | "config" | "csproj" | "vbproj" | "props" | "targets" | "plist" | "pubxml" | "resx" | "jmx" => Format::Xml,
        "ini" | "cfg" | "cnf" => Format::Ini(ini::Dialect::Ini),
        "conf" | "properties" => Format::Ini(ini::Dialect::Spaced),
        "toml" => Format::Ini(ini::Dialect::Toml),
        "sh" | "bash" | "zsh" | "ksh" => Format::Shell { dockerfile: false },
        "tf" | "tfvars" | "hcl" => Format::Code(Lang::Hcl),
        "py" | "pyw" => Format::Code(Lang::Python),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => Format::Code(Lang::Js),
        "go" => Format::Code(Lang::Go),
        "java" | "groovy" | "gradle" | "scala" => Format::Code(Lang::Java),
        "kt" | "kts" => Format::Code(Lang::Kotlin),
        "cs" => Format::Code(Lang::CSharp),
        "php" => Format::Code(Lang::Php),
        "rb" | "rake" | "gemspec" => Format::Code(Lang::Ruby),
        "rs" => Format::Code(Lang::Rust),
        _ => return None,
    })
}

/// Paths whose strings are messages, not settings.
fn is_i18n_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    lower.split('/').rev().skip(1).any(|d| {
        matches!(d, "locale" | "locales" | "i18n" | "l10n" | "lang" | "langs" | "translations" | "translation" | "nls")
    })
}

/// Sample and template configs (`.env.example`, `config.yml.dist`).
fn is_example_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let parts: Vec<&str> = name.split(['.', '_', '-']).collect();
    parts.iter().any(|p| matches!(*p, "example" | "examples" | "sample" | "samples" | "dist" | "tmpl" | "tpl"))
        || lower.split('/').rev().skip(1).any(|d| matches!(d, "example" | "examples" | "sample" | "samples" | "demo" | "demos"))
}

/// Minified or generated code: one huge line per file.
fn is_minified(path: &str, data: &[u8]) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    if name.contains(".min.") || name.ends_with(".map") || name.contains(".bundle.") {
        return true;
    }
    let lines = memchr::memchr_iter(b'\n', data).count() + 1;
    data.len() > 4096 && data.len() / lines > 400
}

/// One value the detector reports.
#[derive(Debug, Clone)]
pub struct Found {
    pub kind: KeyKind,
    pub key: Range<usize>,
    pub value: Range<usize>,
    pub key_path: String,
    pub confidence: Confidence,
    pub tags: Vec<String>,
}

/// The detector, built once per scan from the key semantics.
pub struct Structured {
    sem: KeySemantics,
}

impl Structured {
    pub fn new(keys: &KeysSpec) -> Structured {
        Structured {
            sem: KeySemantics::new(keys),
        }
    }

    pub fn semantics(&self) -> &KeySemantics {
        &self.sem
    }

    /// Whether a keyword hit lies in a secret-bearing name: only then is a
    /// file parsed.
    pub fn gate(&self, data: &[u8], hits: &[Range<usize>]) -> bool {
        let mut words = Words::default();
        let name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$');
        let mut last = usize::MAX..usize::MAX;
        hits.iter().any(|h| {
            if last.start <= h.start && h.end <= last.end {
                return false; // same name as the previous hit
            }
            let mut s = h.start.min(data.len());
            while s > 0 && name(data[s - 1]) && h.start - s < 128 {
                s -= 1;
            }
            let mut e = h.end.min(data.len());
            while e < data.len() && name(data[e]) && e - h.end < 128 {
                e += 1;
            }
            last = s..e;
            self.sem.classify(&data[s..e], &mut words).is_some()
        })
    }

    /// Every reported value in `data`, in order of position. `hits` are the
    /// spans of the structured rules' keyword hits, sorted by start.
    pub fn find(&self, path: &str, data: &[u8], hits: &[Range<usize>]) -> Vec<Found> {
        let Some(format) = format_of(path) else {
            return Vec::new();
        };
        if hits.is_empty() || is_i18n_path(path) || crate::detect::filters::is_lockfile(path) {
            return Vec::new();
        }
        if matches!(format, Format::Code(Lang::Js)) && is_minified(path, data) {
            return Vec::new();
        }
        if !self.gate(data, hits) {
            return Vec::new();
        }
        let mut c = Collector {
            sem: &self.sem,
            data,
            hits,
            words: Words::default(),
            out: Vec::new(),
        };
        match format {
            Format::Code(lang) => {
                let mut toks = Vec::new();
                tokens::tokenize(data, lang, &mut toks);
                code::extract(data, lang, &toks, &mut c);
            }
            Format::Yaml => yaml::extract(data, &mut c),
            Format::Ini(d) => ini::extract(data, d, &mut c),
            Format::Shell { dockerfile } => shell::extract(data, dockerfile, &mut c),
            Format::Xml => xml::extract(data, &mut c),
        }
        let mut raw = c.out;
        raw.sort_by_key(|r| (r.value.start, r.value.end));
        raw.dedup_by(|b, a| a.value == b.value);
        let test = crate::detect::filters::is_test_path(path);
        let example = is_example_path(path);
        let mut words = Words::default();
        let mut out = Vec::new();
        for r in raw {
            let key = &data[r.key.clone()];
            let Some(v) = judge::judge(r.kind, &data[r.value.clone()], key, r.quoted, &mut words) else {
                continue;
            };
            let mut confidence = v.confidence;
            let mut tags = Vec::new();
            if test {
                confidence = Confidence::Low;
                tags.push("test-fixture".to_string());
            } else if example {
                confidence = Confidence::Low;
                tags.push("example-file".to_string());
            }
            out.push(Found {
                kind: r.kind,
                key: r.key,
                value: r.value,
                key_path: r.key_path,
                confidence,
                tags,
            });
        }
        out
    }
}

struct Raw {
    kind: KeyKind,
    key: Range<usize>,
    value: Range<usize>,
    quoted: bool,
    key_path: String,
}

struct Collector<'a> {
    sem: &'a KeySemantics,
    data: &'a [u8],
    hits: &'a [Range<usize>],
    words: Words,
    out: Vec<Raw>,
}

impl Collector<'_> {
    fn has_hit(&self, key: &Range<usize>) -> bool {
        let p = self.hits.partition_point(|h| h.start < key.start);
        self.hits[p..]
            .iter()
            .take_while(|h| h.start < key.end)
            .any(|h| h.end <= key.end)
    }

    fn path(&self, parents: &[Range<usize>], key: &Range<usize>) -> String {
        let mut s = String::new();
        for r in parents.iter().chain(std::iter::once(key)) {
            let t = String::from_utf8_lossy(&self.data[r.clone()]);
            let t = t.trim().trim_matches(|c| c == '"' || c == '\'' || c == '$' || c == ':');
            if t.is_empty() {
                continue;
            }
            if !s.is_empty() {
                s.push('.');
            }
            s.push_str(t);
            if s.len() > 200 {
                break;
            }
        }
        s
    }
}

impl Sink for Collector<'_> {
    fn pair(&mut self, key: Range<usize>, value: Range<usize>, quoted: bool, parents: &[Range<usize>]) {
        if key.is_empty() || value.is_empty() || key.end > self.data.len() || value.end > self.data.len() {
            return;
        }
        let mut kind = None;
        if self.has_hit(&key) {
            kind = self.sem.classify(&self.data[key.clone()], &mut self.words);
        }
        // `Jwt: { Key: ... }`, `password: { value: ... }`: a bare `key` or
        // `value` means what its parent names.
        let bare = &self.data[key.clone()];
        if kind.is_none() && (bare.eq_ignore_ascii_case(b"key") || bare.eq_ignore_ascii_case(b"value")) {
            if let Some(parent) = parents.last().filter(|p| self.has_hit(p)) {
                let mut both = self.data[parent.clone()].to_vec();
                both.push(b'_');
                both.extend_from_slice(bare);
                kind = self.sem.classify(&both, &mut self.words);
            }
        }
        let Some(kind) = kind else {
            return;
        };
        let key_path = self.path(parents, &key);
        self.out.push(Raw { kind, key, value, quoted, key_path });
    }

    fn named(&mut self, kind: KeyKind, key: Range<usize>, value: Range<usize>) {
        if value.is_empty() || value.end > self.data.len() || key.end > self.data.len() {
            return;
        }
        let key_path = String::from_utf8_lossy(&self.data[key.clone()]).into_owned();
        self.out.push(Raw { kind, key, value, quoted: false, key_path });
    }
}

#[cfg(test)]
mod tests;
