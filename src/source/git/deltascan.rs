//! Delta scanning: a blob stored in a pack as a delta against another
//! version of the same path is scanned only around the bytes the delta
//! inserts or rearranges; findings in the copied stretches are carried over
//! from the base's findings. The result is the same list of findings a
//! whole-blob `Scanner::scan` gives (the integration test
//! `git_delta_scan` checks this against `--no-delta-scan`), so attribution
//! and grouping downstream do not change: every distinct blob still gets its
//! full list of findings, whichever way git chose to delta it (git often
//! stores an older version as a delta against a newer one).
//!
//! Why the windows are enough (see `rulefacts` for the rule classes):
//! - the *dirty* bytes are the inserted ones and each seam between copies
//!   that were not adjacent in the base; they are expanded to whole lines
//!   (the *core*), then by `pad` = 2 x reach + 3 lines (the *zone*: findings
//!   whose secret starts there are taken from the window scan), then by
//!   `pad` again (the *window* actually scanned, so that a match touching
//!   the zone and any match overlapping it lie inside the window);
//! - a secret starting outside every zone is at least `pad` away from any
//!   change, so its match, its lines and its overlapping neighbours are
//!   copied unchanged from the base, which reported it already;
//! - rule selection is per blob (a keyword anywhere in the file): the
//!   scanner sees the blob's keywords through a prefix of keyword lines
//!   (findings there are dropped), and the blob's keyword occurrences are
//!   tracked exactly (window hits plus carried base hits). A version whose
//!   selected rules differ from its base's in a way carried findings cannot
//!   follow, or that selects a rule no window can see (PEM blocks), is
//!   scanned whole.

use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::detect::Scanner;

/// Blobs scanned by delta, bytes in their windows, bytes they hold
/// (`GUARDRAIL_DELTA_STATS=1` prints them: for tuning, not a report).
pub static STATS: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];
use crate::finding::Finding;

use super::rulefacts::RuleFacts;

/// What a scanned blob leaves for the versions stored as deltas against it.
pub struct Record {
    /// Index of the blob's introduction (its path decides path rules).
    pub intro: usize,
    /// Keyword occurrences: (offset, keyword pattern), sorted by offset.
    pub hits: Vec<(u32, u32)>,
    /// Findings with the byte offset of their secret.
    pub findings: Vec<(usize, Finding)>,
}

/// One stretch of the new blob: copied from `base_start` or inserted.
#[derive(Debug, Clone, Copy)]
struct Seg {
    start: usize,
    end: usize,
    base: Option<usize>,
}

/// Git delta instructions (after the two size headers) as segments of the
/// result; adjacent copies that were adjacent in the base are merged.
/// Hand-rolled: gix applies deltas but does not expose the instructions.
fn segments(ops: &[u8], base_len: usize) -> Option<Vec<Seg>> {
    let mut out: Vec<Seg> = Vec::new();
    let mut i = 0;
    let mut at = 0usize;
    while i < ops.len() {
        let cmd = ops[i];
        i += 1;
        if cmd & 0x80 != 0 {
            let mut ofs = 0usize;
            let mut size = 0usize;
            for (bit, shift) in [(0x01, 0), (0x02, 8), (0x04, 16), (0x08, 24)] {
                if cmd & bit != 0 {
                    ofs |= (*ops.get(i)? as usize) << shift;
                    i += 1;
                }
            }
            for (bit, shift) in [(0x10, 0), (0x20, 8), (0x40, 16)] {
                if cmd & bit != 0 {
                    size |= (*ops.get(i)? as usize) << shift;
                    i += 1;
                }
            }
            if size == 0 {
                size = 0x10000;
            }
            if ofs.checked_add(size)? > base_len {
                return None;
            }
            match out.last_mut() {
                Some(Seg {
                    end,
                    base: Some(b),
                    start,
                }) if *b + (*end - *start) == ofs => *end += size,
                _ => out.push(Seg {
                    start: at,
                    end: at + size,
                    base: Some(ofs),
                }),
            }
            at += size;
        } else if cmd != 0 {
            let n = cmd as usize;
            if i + n > ops.len() {
                return None;
            }
            i += n;
            match out.last_mut() {
                Some(Seg {
                    end, base: None, ..
                }) => *end += n,
                _ => out.push(Seg {
                    start: at,
                    end: at + n,
                    base: None,
                }),
            }
            at += n;
        } else {
            return None;
        }
    }
    Some(out)
}

/// Skip the base and result sizes at the start of a delta.
pub fn skip_sizes(delta: &[u8]) -> Option<(usize, usize, &[u8])> {
    let mut i = 0;
    let mut varint = || -> Option<usize> {
        let mut v = 0usize;
        let mut shift = 0;
        loop {
            let b = *delta.get(i)?;
            i += 1;
            v |= ((b & 0x7f) as usize) << shift;
            shift += 7;
            if b & 0x80 == 0 || shift > 56 {
                return Some(v);
            }
        }
    };
    let base = varint()?;
    let result = varint()?;
    Some((base, result, &delta[i..]))
}

fn line_start(data: &[u8], pos: usize) -> usize {
    memchr::memrchr(b'\n', &data[..pos]).map_or(0, |p| p + 1)
}

/// One past the line feed ending the line that holds `pos` (or the end).
fn line_end(data: &[u8], pos: usize) -> usize {
    memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |p| pos + p + 1)
}

/// `lines` whole lines and `bytes` bytes before `pos`, snapped to a line start.
fn back(data: &[u8], pos: usize, bytes: usize, lines: usize) -> usize {
    let mut p = line_start(data, pos.saturating_sub(bytes));
    for _ in 0..lines {
        if p == 0 {
            break;
        }
        p = line_start(data, p - 1);
    }
    p
}

/// `lines` whole lines and `bytes` bytes after `pos` (a line start),
/// snapped to a line end.
fn forward(data: &[u8], pos: usize, bytes: usize, lines: usize) -> usize {
    let mut p = if bytes == 0 || pos >= data.len() {
        pos.min(data.len())
    } else {
        line_end(data, (pos + bytes - 1).min(data.len() - 1))
    };
    for _ in 0..lines {
        if p >= data.len() {
            break;
        }
        p = line_end(data, p);
    }
    p
}

/// Byte offset of 1-based (line, column) in `data`, columns counted in
/// characters the way `LineLocator` counts them (lossy UTF-8).
fn offset_of(newlines: &[usize], data: &[u8], line: usize, col: usize) -> usize {
    let start = if line <= 1 { 0 } else { newlines[line - 2] + 1 };
    let mut chars = col.saturating_sub(1);
    let mut off = start;
    for chunk in data[start..].utf8_chunks() {
        for c in chunk.valid().chars() {
            if chars == 0 {
                return off;
            }
            chars -= 1;
            off += c.len_utf8();
        }
        if !chunk.invalid().is_empty() {
            if chars == 0 {
                return off;
            }
            chars -= 1;
            off += chunk.invalid().len();
        }
    }
    off
}

fn newline_index(data: &[u8]) -> Vec<usize> {
    memchr::memchr_iter(b'\n', data).collect()
}

/// Scan a blob whole, keeping what its deltas need when `keep`.
pub fn scan_whole(
    scanner: &Scanner,
    facts: &RuleFacts,
    intro: usize,
    path: &str,
    data: &[u8],
    keep: bool,
) -> (Vec<Finding>, Option<Record>) {
    let found = scanner.scan(path, data);
    if !keep || data.len() > u32::MAX as usize {
        return (found, None);
    }
    let nl = newline_index(data);
    let findings = found
        .iter()
        .map(|f| (offset_of(&nl, data, f.line, f.column), f.clone()))
        .collect();
    let mut hits = Vec::new();
    facts.keyword_hits(data, 0, &mut hits);
    (
        found,
        Some(Record {
            intro,
            hits,
            findings,
        }),
    )
}

/// Scan `data` (a delta against `base` with instructions `ops`) around its
/// changes; `None` when it has to be scanned whole instead.
pub fn scan_delta(
    scanner: &Scanner,
    facts: &RuleFacts,
    intro: usize,
    path: &str,
    data: &[u8],
    base: &Record,
    base_len: usize,
    ops: &[u8],
) -> Option<(Vec<Finding>, Record)> {
    if data.len() > u32::MAX as usize {
        return None;
    }
    let segs = segments(ops, base_len)?;
    if segs.last().map_or(0, |s| s.end) != data.len() {
        return None;
    }
    // Dirty stretches: inserts, and the seam at each copy's start.
    let mut dirty: Vec<(usize, usize)> = Vec::new();
    for (k, s) in segs.iter().enumerate() {
        match s.base {
            None => dirty.push((s.start, s.end)),
            Some(_) if k > 0 => dirty.push((s.start, s.start)),
            Some(_) => {}
        }
    }
    let pad_bytes = 2 * facts.reach;
    const PAD_LINES: usize = 3;
    let len = data.len();
    // (window start, window end, zones)
    let mut windows: Vec<(usize, usize, Vec<(usize, usize)>)> = Vec::new();
    for (s, e) in dirty {
        // The lines holding the byte before the change through its last byte.
        let core = (
            line_start(data, s.saturating_sub(1).min(len)),
            line_end(data, e.min(len.saturating_sub(1))),
        );
        let zone = (
            back(data, core.0, pad_bytes, PAD_LINES),
            forward(data, core.1, pad_bytes, PAD_LINES),
        );
        let win = (
            back(data, zone.0, pad_bytes, PAD_LINES),
            forward(data, zone.1, pad_bytes, PAD_LINES),
        );
        match windows.last_mut() {
            Some(w) if win.0 <= w.1 => {
                w.1 = w.1.max(win.1);
                w.2.push(zone);
            }
            _ => windows.push((win.0, win.1, vec![zone])),
        }
    }
    let scanned: usize = windows.iter().map(|w| w.1 - w.0).sum();
    // Mostly changed: the windows would cost as much as the whole blob.
    if scanned * 2 > data.len() {
        return None;
    }
    let in_zone = |p: usize| {
        windows
            .iter()
            .any(|w| w.2.iter().any(|z| z.0 <= p && p < z.1))
    };
    let in_window = |p: usize| windows.iter().any(|w| w.0 <= p && p < w.1);

    // Keyword occurrences of the new version: windows scanned, the rest
    // carried from the base (keywords never span a line feed).
    let mut hits: Vec<(u32, u32)> = Vec::new();
    for w in &windows {
        facts.keyword_hits(&data[w.0..w.1], w.0, &mut hits);
    }
    // A base stretch may be copied more than once: map through every copy.
    for &(b, p) in &base.hits {
        let (b, len) = (b as usize, facts.words[p as usize].len());
        for s in &segs {
            let Some(sb) = s.base else { continue };
            if sb <= b && b + len <= sb + (s.end - s.start) {
                let c = s.start + (b - sb);
                if !in_window(c) {
                    hits.push((c as u32, p));
                }
            }
        }
    }
    hits.sort_unstable();
    let sel_new = facts.selected(&hits);
    let sel_old = facts.selected(&base.hits);
    let rules = scanner.rules().rules();
    for r in 0..sel_new.len() {
        if rules[r].path.as_ref().is_some_and(|re| !re.is_match(path)) {
            continue;
        }
        // A rule only the base selected may have hidden other findings
        // there (overlap de-duplication); a rule only the new version
        // selects may match in copied text unless its keyword is in every
        // match; a rule no window can see needs the whole blob.
        if (sel_old[r] && !sel_new[r]) || (sel_new[r] && !sel_old[r] && !facts.keyword_inside[r]) {
            return None;
        }
    }
    // Rules no window can see run over the whole blob; the delta scan only
    // stands when they find nothing there (then they cannot have hidden an
    // overlapping finding either), nor in the base.
    if base.findings.iter().any(|(_, f)| {
        facts
            .index
            .get(&f.rule_id)
            .is_none_or(|&r| !facts.windowable[r])
    }) {
        return None;
    }
    for r in 0..sel_new.len() {
        if sel_new[r]
            && !facts.windowable[r]
            && rules[r].path.as_ref().is_none_or(|re| re.is_match(path))
        {
            // Hits are sorted by offset: the first one of this rule.
            let first = hits
                .iter()
                .find(|(_, p)| facts.word_rules[*p as usize].contains(&r))
                .map(|&(_, p)| p)?;
            match facts.scan_unwindowed(scanner, r, first, path, data) {
                Some(found) if found.is_empty() => {}
                _ => return None,
            }
        }
    }
    // Keyword lines in front of each window give the scanner the blob's
    // rule selection for rules whose keyword need not be in the window.
    let mut prefix = Vec::new();
    let mut seen = vec![false; facts.words.len()];
    for &(_, p) in &hits {
        if !std::mem::replace(&mut seen[p as usize], true)
            && facts.word_rules[p as usize]
                .iter()
                .any(|&r| !facts.keyword_inside[r])
        {
            prefix.extend_from_slice(facts.words[p as usize].as_bytes());
            prefix.push(b'\n');
        }
    }
    let prefix_lines = memchr::memchr_iter(b'\n', &prefix).count();

    let nl = newline_index(data);
    let line_of = |p: usize| nl.partition_point(|&n| n < p) + 1;
    let mut out: Vec<(usize, Finding)> = Vec::new();
    let mut buf = Vec::new();
    for w in &windows {
        buf.clear();
        buf.extend_from_slice(&prefix);
        buf.extend_from_slice(&data[w.0..w.1]);
        let found = scanner.scan(path, &buf);
        if found.is_empty() {
            continue;
        }
        let bnl = newline_index(&buf);
        let shift = line_of(w.0) - 1;
        for mut f in found {
            // A window match of a rule no window can see: the whole blob
            // has none (checked above), so the window misleads.
            if facts
                .index
                .get(&f.rule_id)
                .is_none_or(|&r| !facts.windowable[r])
            {
                return None;
            }
            if f.line <= prefix_lines {
                continue;
            }
            let off = offset_of(&bnl, &buf, f.line, f.column) - prefix.len() + w.0;
            if !w.2.iter().any(|z| z.0 <= off && off < z.1) {
                continue;
            }
            f.line = f.line - prefix_lines + shift;
            f.end_line = f.end_line - prefix_lines + shift;
            out.push((off, f));
        }
    }
    for (b, f) in &base.findings {
        if !sel_new[*facts.index.get(&f.rule_id)?] {
            continue;
        }
        for s in &segs {
            let Some(sb) = s.base else { continue };
            if sb <= *b && *b < sb + (s.end - s.start) {
                let c = s.start + (b - sb);
                if in_zone(c) {
                    continue;
                }
                let mut f = f.clone();
                let line = line_of(c);
                f.end_line = f.end_line - f.line + line;
                f.line = line;
                out.push((c, f));
            }
        }
    }
    out.sort_by_key(|(off, f)| (*off, facts.index.get(&f.rule_id).copied()));
    let findings: Vec<Finding> = out.iter().map(|(_, f)| f.clone()).collect();
    STATS[0].fetch_add(1, Relaxed);
    STATS[1].fetch_add(scanned as u64, Relaxed);
    STATS[2].fetch_add(len as u64, Relaxed);
    Some((
        findings,
        Record {
            intro,
            hits,
            findings: out,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_copy_and_insert() {
        // copy 4 bytes at 2, insert "xy", copy 3 bytes at 6 (adjacent: merged? no, 2+4=6 -> merged only if consecutive copies)
        let ops = [
            0x80 | 0x01 | 0x10,
            2,
            4,
            2,
            b'x',
            b'y',
            0x80 | 0x01 | 0x10,
            6,
            3,
        ];
        let segs = segments(&ops, 10).unwrap();
        assert_eq!(segs.len(), 3);
        assert_eq!((segs[0].start, segs[0].end, segs[0].base), (0, 4, Some(2)));
        assert_eq!((segs[1].start, segs[1].end, segs[1].base), (4, 6, None));
        assert_eq!((segs[2].start, segs[2].end, segs[2].base), (6, 9, Some(6)));
        // Out of bounds copy is refused.
        assert!(segments(&[0x80 | 0x01 | 0x10, 8, 4], 10).is_none());
        let merged = segments(&[0x91, 0, 4, 0x91, 4, 4], 10).unwrap();
        assert_eq!(merged.len(), 1);
        assert_eq!((merged[0].start, merged[0].end), (0, 8));
    }

    #[test]
    fn columns_back_to_offsets() {
        let data = "ab\nä€x\n".as_bytes();
        let nl = newline_index(data);
        assert_eq!(offset_of(&nl, data, 1, 2), 1);
        assert_eq!(offset_of(&nl, data, 2, 3), 3 + 2 + 3);
    }
}
