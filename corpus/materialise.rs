//! Expands the labelled corpus (`corpus/tree/`) into real files.
//!
//! The committed corpus holds no token-shaped strings: every planted secret
//! is a marker that is expanded here with a fixed seed per (file, marker):
//!
//! - `⟪family|REGEX⟫`  a planted secret of `family`, generated from REGEX;
//! - `⟪~kind|REGEX⟫`   a deliberate look-alike (negative), generated;
//! - `⟪~kind:TEXT⟫`    a deliberate look-alike, TEXT verbatim.
//!
//! Shared by `examples/corpus.rs` (for benchmarks) and `tests/corpus.rs`
//! through `#[path]`, so both see the same files and labels.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

const OPEN: char = '⟪';
const CLOSE: char = '⟫';

/// One planted secret (positive) or deliberate look-alike (negative).
#[derive(Debug, Clone)]
pub struct Label {
    /// `/`-separated, relative to the corpus tree.
    pub file: String,
    /// 1-based lines spanned by the value.
    pub line: usize,
    pub end_line: usize,
    pub positive: bool,
    /// Family for a positive, kind for a negative.
    pub class: String,
    pub value: String,
}

/// `corpus/` in the source tree.
pub fn corpus_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus")
}

/// Expand every file under `tree` into `out` (same relative paths) and
/// return the labels, ordered by file and position.
pub fn materialise(tree: &Path, out: &Path) -> Result<Vec<Label>, String> {
    let mut files = Vec::new();
    collect(tree, tree, &mut files)?;
    files.sort();
    let mut labels = Vec::new();
    for rel in files {
        let src = tree.join(&rel);
        let text = std::fs::read_to_string(&src)
            .map_err(|e| format!("cannot read {}: {e}", src.display()))?;
        let (expanded, mut file_labels) = expand_file(&rel, &text)?;
        let dst = out.join(&rel);
        if let Some(parent) = dst.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        std::fs::write(&dst, expanded)
            .map_err(|e| format!("cannot write {}: {e}", dst.display()))?;
        labels.append(&mut file_labels);
    }
    Ok(labels)
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) -> Result<(), String> {
    let rd = std::fs::read_dir(dir).map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
    for entry in rd {
        let entry = entry.map_err(|e| format!("cannot list {}: {e}", dir.display()))?;
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, out)?;
        } else {
            let rel = path.strip_prefix(root).unwrap_or(&path);
            out.push(rel.to_string_lossy().replace('\\', "/"));
        }
    }
    Ok(())
}

fn seed(file: &str, index: usize) -> u64 {
    let h = guardrail::util::sha256_hex(&[b"corpus", file.as_bytes(), &index.to_le_bytes()]);
    u64::from_str_radix(&h[..16], 16).unwrap_or(0)
}

fn is_class_name(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// Expand the markers of one file.
pub fn expand_file(rel: &str, text: &str) -> Result<(String, Vec<Label>), String> {
    let mut out = String::with_capacity(text.len());
    let mut labels = Vec::new();
    let mut rest = text;
    let mut line = 1;
    let mut index = 0;
    while let Some(open) = rest.find(OPEN) {
        let before = &rest[..open];
        line += before.matches('\n').count();
        out.push_str(before);
        let after = &rest[open + OPEN.len_utf8()..];
        let close = after
            .find(CLOSE)
            .ok_or_else(|| format!("{rel}:{line}: unclosed {OPEN}"))?;
        let body = &after[..close];
        let bad = |what: &str| format!("{rel}:{line}: {what} in marker {OPEN}{body}{CLOSE}");
        let (positive, body) = match body.strip_prefix('~') {
            Some(b) => (false, b),
            None => (true, body),
        };
        let sep = body.find(['|', ':']).ok_or_else(|| bad("no `|` or `:`"))?;
        let class = &body[..sep];
        if !is_class_name(class) {
            return Err(bad(
                "family/kind must be lower-case letters, digits, dashes",
            ));
        }
        let value = match (&body[sep..sep + 1], positive) {
            ("|", _) => {
                let pattern = format!("{OPEN}{}{CLOSE}", &body[sep + 1..]);
                let (v, _) = guardrail::detect::examples::expand(&pattern, seed(rel, index))
                    .map_err(|e| bad(&e))?;
                v
            }
            (":", false) => body[sep + 1..].to_string(),
            _ => return Err(bad("planted secrets must be generated (`|`), not literal")),
        };
        let end_line = line + value.matches('\n').count();
        labels.push(Label {
            file: rel.to_string(),
            line,
            end_line,
            positive,
            class: class.to_string(),
            value: value.clone(),
        });
        out.push_str(&value);
        line = end_line;
        index += 1;
        rest = &after[close + CLOSE.len_utf8()..];
    }
    out.push_str(rest);
    Ok((out, labels))
}

/// The labels as JSON, for benchmark scripts: values included.
pub fn labels_json(labels: &[Label]) -> String {
    let entry = |l: &Label| {
        let mut v = serde_json::json!({
            "file": l.file, "line": l.line, "end_line": l.end_line, "value": l.value,
        });
        let key = if l.positive { "family" } else { "kind" };
        v[key] = serde_json::Value::String(l.class.clone());
        v
    };
    let doc = serde_json::json!({
        "positives": labels.iter().filter(|l| l.positive).map(entry).collect::<Vec<_>>(),
        "negatives": labels.iter().filter(|l| !l.positive).map(entry).collect::<Vec<_>>(),
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The committed inventory `corpus/labels.toml`: where every planted secret
/// and every deliberate look-alike is, without values.
pub fn labels_toml(labels: &[Label]) -> String {
    let mut s = String::from(
        "# Inventory of the labelled corpus, generated from the markers in tree/ by\n\
         # `cargo run --example corpus -- --write-labels`; tests/corpus.rs fails when\n\
         # it is stale. Positives carry their family, negatives their kind.\n\n",
    );
    for (key, positive, class) in [("positive", true, "family"), ("negative", false, "kind")] {
        s.push_str(&format!("{key} = [\n"));
        for l in labels.iter().filter(|l| l.positive == positive) {
            s.push_str(&format!(
                "  {{ file = {:?}, line = {}, {class} = {:?} }},\n",
                l.file, l.line, l.class
            ));
        }
        s.push_str("]\n\n");
    }
    s
}
