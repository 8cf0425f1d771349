//! Line starts of a text: positions to byte offsets and back, and lines
//! read as text (for comments, which the YAML tree drops).

use super::{Pos, Span};

/// Line starts of a text, to turn a position into a byte offset and back,
/// and to read a line (for comments, which the YAML tree drops).
#[derive(Debug, Clone)]
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut starts = vec![0];
        starts.extend(memchr::memchr_iter(b'\n', text.as_bytes()).map(|i| i + 1));
        Lines { text, starts }
    }

    pub fn text(&self) -> &'a str {
        self.text
    }

    /// Line `n` (1-based) without its line break; empty past the end.
    pub fn line(&self, n: usize) -> &'a str {
        let Some(&start) = n.checked_sub(1).and_then(|i| self.starts.get(i)) else {
            return "";
        };
        let end = self.starts.get(n).copied().unwrap_or(self.text.len());
        self.text[start..end].trim_end_matches(['\n', '\r'])
    }

    pub fn count(&self) -> usize {
        self.starts.len()
    }

    /// Byte offset of a position (line, column in characters).
    pub fn offset(&self, p: Pos) -> usize {
        let Some(&start) = p.line.checked_sub(1).and_then(|i| self.starts.get(i)) else {
            return self.text.len();
        };
        let line = self.line(p.line);
        let skip = p.col.saturating_sub(1);
        start
            + line
                .char_indices()
                .nth(skip)
                .map(|(i, _)| i)
                .unwrap_or(line.len())
    }

    /// The position of a byte offset.
    pub fn pos_of(&self, offset: usize) -> Pos {
        let offset = offset.min(self.text.len());
        let i = self.starts.partition_point(|&s| s <= offset) - 1;
        let start = self.starts[i];
        let col = self.text[start..offset].chars().count() + 1;
        Pos {
            line: i + 1,
            col,
            index: 0,
        }
    }

    /// Where `needle` first occurs inside a node's source text, if it is
    /// written there as it is (true of block scalars, and of most
    /// expressions in any style).
    pub fn find_in(&self, span: Span, needle: &str) -> Option<Pos> {
        self.find_nth_in(span, needle, 0)
    }

    /// The `n`-th (0-based) occurrence; `None` when there are fewer.
    pub fn find_nth_in(&self, span: Span, needle: &str, n: usize) -> Option<Pos> {
        if needle.is_empty() {
            return None;
        }
        let from = self.offset(span.start);
        let to = self.offset(span.end).max(from).min(self.text.len());
        let hay = self.text.get(from..to)?;
        let i = hay.match_indices(needle).nth(n)?.0;
        Some(self.pos_of(from + i))
    }
}
