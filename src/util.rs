//! Small helpers shared across modules.

/// 1-based line and column of a byte offset in `text`.
pub fn line_col(text: &[u8], offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = &text[..offset];
    let line = memchr_count(b'\n', before) + 1;
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |p| p + 1);
    let col = String::from_utf8_lossy(&text[line_start..offset])
        .chars()
        .count()
        + 1;
    (line, col)
}

fn memchr_count(needle: u8, hay: &[u8]) -> usize {
    hay.iter().filter(|&&b| b == needle).count()
}

/// Turns byte offsets into 1-based (line, column) incrementally, so locating
/// many matches in one file costs one pass over it instead of one pass per
/// match. Offsets may go backwards (the end of one match can lie past the
/// start of the next); then only the bytes in between are re-counted.
pub struct LineLocator<'a> {
    data: &'a [u8],
    pos: usize,
    line: usize,
}

impl<'a> LineLocator<'a> {
    pub fn new(data: &'a [u8]) -> Self {
        LineLocator {
            data,
            pos: 0,
            line: 1,
        }
    }

    pub fn line_col(&mut self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.data.len());
        if offset >= self.pos {
            self.line += memchr::memchr_iter(b'\n', &self.data[self.pos..offset]).count();
        } else {
            self.line -= memchr::memchr_iter(b'\n', &self.data[offset..self.pos]).count();
        }
        self.pos = offset;
        let line_start = memchr::memrchr(b'\n', &self.data[..offset]).map_or(0, |p| p + 1);
        let col = String::from_utf8_lossy(&self.data[line_start..offset])
            .chars()
            .count()
            + 1;
        (self.line, col)
    }
}

/// A TOML parse error as one line: `line L, column C: message`.
pub fn toml_error_line(text: &str, err: &toml::de::Error) -> String {
    let msg = err.message().trim().replace('\n', " ");
    match err.span() {
        Some(span) => {
            let (line, col) = line_col(text.as_bytes(), span.start);
            format!("line {line}, column {col}: {msg}")
        }
        None => msg,
    }
}

/// Shannon entropy in bits per byte.
pub fn shannon_entropy(data: &[u8]) -> f64 {
    if data.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in data {
        counts[b as usize] += 1;
    }
    let len = data.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = c as f64 / len;
            -p * p.log2()
        })
        .sum()
}

/// Lower-case hex SHA-256 of `parts` joined by NUL bytes.
pub fn sha256_hex(parts: &[&[u8]]) -> String {
    use sha2::{Digest, Sha256};
    let mut h = Sha256::new();
    for (i, p) in parts.iter().enumerate() {
        if i > 0 {
            h.update([0u8]);
        }
        h.update(p);
    }
    let digest = h.finalize();
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_col_is_one_based_and_counts_chars() {
        let t = "ab\ncé=x".as_bytes();
        assert_eq!(line_col(t, 0), (1, 1));
        assert_eq!(line_col(t, 3), (2, 1));
        // `é` is two bytes but one column.
        assert_eq!(line_col(t, 6), (2, 3));
    }

    #[test]
    fn locator_agrees_with_line_col_in_any_order() {
        let t = "a\nbé\n\nxyz\nq".as_bytes();
        let mut loc = LineLocator::new(t);
        for off in [0, 5, 3, 9, 1, 12, 12, 2, 0] {
            assert_eq!(loc.line_col(off), line_col(t, off), "offset {off}");
        }
    }

    #[test]
    fn entropy_of_uniform_and_constant() {
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
    }
}
