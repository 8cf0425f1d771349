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
    fn pair(
        &mut self,
        key: Range<usize>,
        value: Range<usize>,
        quoted: bool,
        parents: &[Range<usize>],
    );
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
    if lower == "dockerfile"
        || lower.starts_with("dockerfile.")
        || lower.ends_with(".dockerfile")
        || lower == "containerfile"
    {
        return Some(Format::Shell { dockerfile: true });
    }
    if lower == ".env" || lower.starts_with(".env.") || lower.ends_with(".env") {
        return Some(Format::Ini(ini::Dialect::Env));
    }
    if matches!(
        lower.as_str(),
        ".bash_history"
            | ".zsh_history"
            | ".sh_history"
            | ".bashrc"
            | ".zshrc"
            | ".profile"
            | ".bash_profile"
            | ".envrc"
    ) {
        return Some(Format::Shell { dockerfile: false });
    }
    if matches!(
        lower.as_str(),
        "gemfile" | "rakefile" | "vagrantfile" | "podfile"
    ) {
        return Some(Format::Code(Lang::Ruby));
    }
    let ext = lower.rsplit_once('.').map(|(_, e)| e)?;
    Some(match ext {
        "json" | "jsonc" | "json5" | "tfstate" | "code-workspace" => Format::Code(Lang::Json),
        "yml" | "yaml" => Format::Yaml,
        "xml" | "config" | "csproj" | "vbproj" | "props" | "targets" | "plist" | "pubxml"
        | "resx" | "jmx" => Format::Xml,
        "ini" | "cfg" | "cnf" => Format::Ini(ini::Dialect::Ini),
        "conf" | "properties" => Format::Ini(ini::Dialect::Spaced),
        "toml" => Format::Ini(ini::Dialect::Toml),
        "sh" | "bash" | "zsh" | "ksh" => Format::Shell { dockerfile: false },
        "tf" | "tfvars" | "hcl" => Format::Code(Lang::Hcl),
        "py" | "pyw" => Format::Code(Lang::Python),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" | "vue" | "svelte" => {
            Format::Code(Lang::Js)
        }
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
        matches!(
            d,
            "locale"
                | "locales"
                | "i18n"
                | "l10n"
                | "lang"
                | "langs"
                | "translations"
                | "translation"
                | "nls"
        )
    })
}

/// Sample and template configs (`.env.example`, `config.yml.dist`) and
/// code in documentation (`docs/`, `docs_src/`, `examples/`, tutorials):
/// values there are made up for the reader.
fn is_example_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let name = lower.rsplit('/').next().unwrap_or(&lower);
    let parts: Vec<&str> = name.split(['.', '_', '-']).collect();
    if parts.iter().any(|p| {
        matches!(
            *p,
            "example" | "examples" | "sample" | "samples" | "dist" | "tmpl" | "tpl" | "tutorial"
        )
    }) {
        return true;
    }
    let mut words = Words::default();
    lower.split('/').rev().skip(1).any(|d| {
        words.split(d.as_bytes());
        (0..words.len()).any(|i| {
            matches!(
                words.word(i),
                "example"
                    | "examples"
                    | "sample"
                    | "samples"
                    | "demo"
                    | "demos"
                    | "docs"
                    | "doc"
                    | "documentation"
                    | "tutorial"
                    | "tutorials"
                    | "guide"
                    | "guides"
            )
        })
    })
}

/// Directories of tests under any naming convention: `src/dockerTest/`,
/// `integration-tests/`, `test_utils/`, `e2e/`, `testdata/`.
fn is_test_dir(path: &str) -> bool {
    let mut words = Words::default();
    let mut dirs = path.split('/').rev();
    dirs.next();
    dirs.any(|d| {
        words.split(d.as_bytes());
        (0..words.len()).any(|i| {
            matches!(
                words.word(i),
                "test"
                    | "tests"
                    | "testing"
                    | "testdata"
                    | "fixture"
                    | "fixtures"
                    | "spec"
                    | "specs"
                    | "mock"
                    | "mocks"
                    | "e2e"
                    | "stub"
                    | "stubs"
            )
        })
    })
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

/// Files up to this size are read whole.
const FULL_PARSE_MAX: usize = 64 * 1024;
/// Lines read before and after a gated hit in a larger file.
const WINDOW_BEFORE: usize = 24;
const WINDOW_AFTER: usize = 6;

/// Line-aligned windows around `at` (sorted offsets), merged.
fn code_windows(data: &[u8], at: &[usize]) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    for &p in at {
        let mut s = p.min(data.len());
        for _ in 0..=WINDOW_BEFORE {
            match memchr::memrchr(b'\n', &data[..s]) {
                Some(q) => s = q,
                None => {
                    s = 0;
                    break;
                }
            }
        }
        if s > 0 {
            s += 1;
        }
        let mut e = p.min(data.len());
        for _ in 0..=WINDOW_AFTER {
            match memchr::memchr(b'\n', &data[e..]) {
                Some(q) => e = e + q + 1,
                None => {
                    e = data.len();
                    break;
                }
            }
        }
        match out.last_mut() {
            Some(l) if s <= l.end => l.end = l.end.max(e),
            _ => out.push(s..e),
        }
    }
    out
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
        !self.gate_hits(data, hits, false, true).is_empty()
    }

    /// The hits (as byte offsets) that lie in a secret-bearing name; in
    /// code (`quoted`), only those with a quote after the name on its line,
    /// since only string literals are values there. With `first`, stops at
    /// the first.
    pub(crate) fn gate_hits(
        &self,
        data: &[u8],
        hits: &[Range<usize>],
        quoted: bool,
        first: bool,
    ) -> Vec<usize> {
        let mut words = Words::default();
        let name = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'$');
        let mut last = usize::MAX..usize::MAX;
        let mut out = Vec::new();
        for h in hits {
            if last.start <= h.start && h.end <= last.end {
                continue; // same name as the previous hit
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
            if quoted {
                let line_end = memchr::memchr(b'\n', &data[e..]).map_or(data.len(), |p| e + p);
                let rest = &data[e..line_end.min(e + 240)];
                if memchr::memchr3(b'"', b'\'', b'`', rest).is_none() {
                    continue;
                }
            }
            if self.sem.classify(&data[s..e], &mut words).is_some() {
                out.push(h.start);
                if first {
                    break;
                }
            }
        }
        out
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
        let code = matches!(format, Format::Code(_));
        let gated = self.gate_hits(data, hits, code, false);
        if gated.is_empty() {
            return Vec::new();
        }
        let mut c = Collector {
            sem: &self.sem,
            data,
            hits,
            words: Words::default(),
            out: Vec::new(),
        };
        // Small files are read whole; in large ones (generated code,
        // bundles, data dumps) only the lines around the hits that passed
        // the gate: a key path then reaches back `WINDOW_BEFORE` lines at
        // most.
        let windows = if data.len() <= FULL_PARSE_MAX {
            vec![0..data.len()]
        } else {
            code_windows(data, &gated)
        };
        let mut toks = Vec::new();
        for w in windows {
            let part = &data[w.clone()];
            let mut sink = Shifted {
                inner: &mut c,
                by: w.start,
                parents: Vec::new(),
            };
            match format {
                Format::Code(lang) => {
                    tokens::tokenize(part, lang, &mut toks);
                    code::extract(part, lang, &toks, &mut sink);
                }
                Format::Yaml => yaml::extract(part, &mut sink),
                Format::Ini(d) => ini::extract(part, d, &mut sink),
                Format::Shell { dockerfile } => shell::extract(part, dockerfile, &mut sink),
                Format::Xml => xml::extract(part, &mut sink),
            }
        }
        let mut raw = c.out;
        raw.sort_by_key(|r| (r.value.start, r.value.end));
        raw.dedup_by(|b, a| a.value == b.value);
        let test = crate::detect::filters::is_test_path(path) || is_test_dir(path);
        let example = is_example_path(path);
        let mut words = Words::default();
        let mut out = Vec::new();
        for r in raw {
            let key = &data[r.key.clone()];
            let Some(v) = judge::judge(r.kind, &data[r.value.clone()], key, r.quoted, &mut words)
            else {
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

/// A sink for an extractor that reads part of the file: its spans are
/// moved by the part's offset.
struct Shifted<'a, 'b> {
    inner: &'a mut Collector<'b>,
    by: usize,
    parents: Vec<Range<usize>>,
}

impl Sink for Shifted<'_, '_> {
    fn pair(
        &mut self,
        key: Range<usize>,
        value: Range<usize>,
        quoted: bool,
        parents: &[Range<usize>],
    ) {
        let by = self.by;
        self.parents.clear();
        self.parents
            .extend(parents.iter().map(|p| p.start + by..p.end + by));
        let parents = std::mem::take(&mut self.parents);
        self.inner.pair(
            key.start + by..key.end + by,
            value.start + by..value.end + by,
            quoted,
            &parents,
        );
        self.parents = parents;
    }

    fn named(&mut self, kind: KeyKind, key: Range<usize>, value: Range<usize>) {
        let by = self.by;
        self.inner.named(
            kind,
            key.start + by..key.end + by,
            value.start + by..value.end + by,
        );
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
            let t = t
                .trim()
                .trim_matches(|c| c == '"' || c == '\'' || c == '$' || c == ':');
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
    fn pair(
        &mut self,
        key: Range<usize>,
        value: Range<usize>,
        quoted: bool,
        parents: &[Range<usize>],
    ) {
        if key.is_empty()
            || value.is_empty()
            || key.end > self.data.len()
            || value.end > self.data.len()
        {
            return;
        }
        // Route patterns and paths (`"/disk/:encoded_token" => ...`) are
        // not names.
        if self.data[key.clone()].contains(&b'/') {
            return;
        }
        let mut kind = None;
        if self.has_hit(&key) {
            kind = self.sem.classify(&self.data[key.clone()], &mut self.words);
        }
        // `Jwt: { Key: ... }`, `password: { value: ... }`: a bare `key` or
        // `value` means what its parent names.
        let bare = &self.data[key.clone()];
        if kind.is_none()
            && (bare.eq_ignore_ascii_case(b"key") || bare.eq_ignore_ascii_case(b"value"))
        {
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
        self.out.push(Raw {
            kind,
            key,
            value,
            quoted,
            key_path,
        });
    }

    fn named(&mut self, kind: KeyKind, key: Range<usize>, value: Range<usize>) {
        if value.is_empty() || value.end > self.data.len() || key.end > self.data.len() {
            return;
        }
        let key_path = String::from_utf8_lossy(&self.data[key.clone()]).into_owned();
        self.out.push(Raw {
            kind,
            key,
            value,
            quoted: false,
            key_path,
        });
    }
}

#[cfg(test)]
mod tests;
