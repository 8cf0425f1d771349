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
//! The scan is the scanner's own, in pieces: the blob's keyword hits are
//! those on the changed lines plus the base's on the lines copied whole
//! (only the changed lines go through the keyword automaton), the scanner
//! turns them into each rule's windows (`Scanner::windows_for_hits`, the
//! rule's `KeywordScope`), and those windows, cut down to the changed
//! regions, are searched on the blob itself (`Scanner::find_in_windows`:
//! byte offsets, look-around sees the real neighbours). Why that is enough:
//! - the *dirty* bytes are the inserted ones and each seam between copies
//!   that were not adjacent in the base; they are expanded to whole lines
//!   (the *core*), then by `pad` = 2 x reach + 3 lines (the *zone*: findings
//!   whose secret starts there are taken from the window search), then by
//!   `pad` again (the *window* searched, so that a match touching the zone
//!   and any match overlapping it lie inside the window). `reach` is the
//!   longest match of a bounded multi-line rule (`Rule::reach`);
//! - a secret starting outside every zone is at least `pad` away from any
//!   change, so its match, its lines and its overlapping neighbours are
//!   copied unchanged from the base, which reported it already. A rule whose
//!   matches contain a keyword (scope `Line`/`Near`) has that keyword copied
//!   along; a rule selected by a keyword anywhere in the file (scope `File`)
//!   must be selected in both versions, or the blob is scanned whole;
//! - a rule with unbounded multi-line matches (PEM blocks) is searched on
//!   all its windows, and the delta scan stands only when it finds nothing
//!   there and found nothing in the base.

use std::ops::Range;
use std::sync::atomic::{AtomicU64, Ordering::Relaxed};

use crate::detect::{Hit, RawMatch, Scanner};
use crate::finding::Finding;
use crate::rules::{KeywordScope, Reach};
use crate::util::LineLocator;

/// Blobs scanned by delta, bytes in their windows, bytes they hold
/// (`GUARDRAIL_DELTA_STATS=1` prints them: for tuning, not a report).
pub static STATS: [AtomicU64; 3] = [AtomicU64::new(0), AtomicU64::new(0), AtomicU64::new(0)];

/// Multi-line rules with a longer bound than this (PuTTY key files) are
/// handled like unbounded ones: padding every window by their length would
/// make the windows as large as the files.
const MAX_REACH: usize = 2048;

/// Lines of padding around a change, on top of `2 x reach` bytes.
const PAD_LINES: usize = 3;

/// What the delta scan derives from the rules' `reach`, once per run.
pub struct DeltaRules {
    /// Longest match of a bounded multi-line rule (bytes).
    reach: usize,
    /// Per rule: no window short of all the rule's own can see its matches.
    unbounded: Vec<bool>,
    /// Per keyword pattern: every rule it selects is a bounded `Line` rule,
    /// so only its hits on lines touching a scan window (and its first, for
    /// which rules are selected at all) change what the delta scan sees.
    /// Empty when no rule has keywords.
    line_only: Vec<bool>,
}

impl DeltaRules {
    pub fn new(scanner: &Scanner) -> DeltaRules {
        let mut reach = 0;
        let unbounded: Vec<bool> = scanner
            .rules()
            .rules()
            .iter()
            .map(|rule| match rule.reach {
                Reach::Line => false,
                Reach::Bytes(n) if n <= MAX_REACH => {
                    reach = reach.max(n);
                    false
                }
                Reach::Bytes(_) | Reach::Unbounded => true,
            })
            .collect();
        let line_only = line_only_patterns(scanner, &unbounded);
        DeltaRules {
            reach,
            unbounded,
            line_only,
        }
    }
}

/// [`DeltaRules::line_only`].
fn line_only_patterns(scanner: &Scanner, unbounded: &[bool]) -> Vec<bool> {
    let rules = scanner.rules().rules();
    scanner
        .keyword_rules()
        .iter()
        .map(|selected| {
            selected
                .iter()
                .all(|&r| rules[r].scope == KeywordScope::Line && !unbounded[r])
        })
        .collect()
}

/// The hits that decide the rule windows a delta scan uses: all hits of
/// patterns with a rule other than a bounded line rule; of line-only
/// patterns, the first one (rule selection) and those whose line window
/// (the line and a byte each side) can touch one of `windows`. The windows
/// cut down to `windows` are then the same as from all hits.
fn hits_near(
    rules: &DeltaRules,
    data: &[u8],
    hits: &[Hit],
    windows: &[Window],
) -> Option<Vec<Hit>> {
    if rules.line_only.is_empty() {
        return None;
    }
    // A hit's line [ls, le] touches [a, b) iff ls <= b and le >= a: its
    // start is at least the start of the line holding a, and at most the
    // end of the line holding b.
    let spans: Vec<(usize, usize)> = windows
        .iter()
        .map(|w| {
            let a = w.range.start.min(data.len());
            let b = w.range.end.min(data.len());
            let end = memchr::memchr(b'\n', &data[b..]).map_or(data.len(), |p| b + p);
            (line_start(data, a), end)
        })
        .collect();
    let mut first = vec![true; rules.line_only.len()];
    let mut k = 0;
    let mut out = Vec::with_capacity(hits.len().min(64));
    for h in hits {
        let p = h.pattern as usize;
        let line_only = rules.line_only.get(p).copied().unwrap_or(false);
        let is_first = first.get(p).copied().unwrap_or(true);
        if let Some(f) = first.get_mut(p) {
            *f = false;
        }
        while k < spans.len() && spans[k].1 < h.start {
            k += 1;
        }
        let near = spans.get(k).is_some_and(|&(s, _)| s <= h.start);
        if !line_only || is_first || near {
            out.push(*h);
        }
    }
    Some(out)
}

/// What a scanned blob leaves for the versions stored as deltas against it.
pub struct Record {
    /// Index of the blob's introduction (its path decides path rules).
    pub intro: usize,
    /// Keyword occurrences (start, end, keyword pattern), sorted by start;
    /// `u32`s because records of many bases are alive at once.
    hits: Vec<(u32, u32, u32)>,
    /// The rules' findings (before the structured detector's are merged
    /// in: those are found on the whole blob every time) with the byte
    /// range of their secret and their rule index.
    findings: Vec<(Range<usize>, usize, Finding)>,
    /// Rules of scope `File` the blob's keywords selected, in order.
    file_rules: Vec<usize>,
}

/// Rules of scope `File` among those with windows.
fn file_rules(scanner: &Scanner, windows: &[(usize, Vec<Range<usize>>)]) -> Vec<usize> {
    let rules = scanner.rules().rules();
    windows
        .iter()
        .map(|(r, _)| *r)
        .filter(|&r| rules[r].scope == KeywordScope::File)
        .collect()
}

/// Hits in the order windows are computed from and records keep them.
fn sort_hits(hits: &mut [Hit]) {
    hits.sort_unstable_by_key(|h| (h.start, h.end, h.pattern));
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

/// Scan a blob whole, keeping what its deltas need when `keep`.
pub fn scan_whole(
    scanner: &Scanner,
    intro: usize,
    path: &str,
    data: &[u8],
    keep: bool,
) -> (Vec<Finding>, Option<Record>) {
    if !keep || data.len() > u32::MAX as usize {
        return (scanner.scan(path, data), None);
    }
    // `Scanner::scan`, step by step, to keep the hits and byte offsets.
    let mut hits = Vec::new();
    scanner.keyword_hits(data, &mut hits);
    let windows = scanner.windows_for_hits(path, data, &hits);
    let matches = scanner.find_in_windows(path, data, &windows);
    let found = scanner.findings(path, data, &matches);
    let structured = scanner.find_structured(path, data, &hits);
    let rule_findings: Vec<(Range<usize>, usize, Finding)> = matches
        .iter()
        .zip(&found)
        .map(|(m, f)| (m.secret.clone(), m.rule, f.clone()))
        .collect();
    let all = merge_structured(scanner, path, data, &rule_findings, structured);
    sort_hits(&mut hits);
    let record = Record {
        intro,
        hits: hits
            .iter()
            .map(|h| (h.start as u32, h.end as u32, h.pattern))
            .collect(),
        findings: rule_findings,
        file_rules: file_rules(scanner, &windows),
    };
    (all, Some(record))
}

/// The rules' findings of a blob (located, with their secrets' byte
/// ranges) and the structured detector's matches on the whole blob,
/// de-duplicated together exactly as `Scanner::find` does.
fn merge_structured(
    scanner: &Scanner,
    path: &str,
    data: &[u8],
    rule_findings: &[(Range<usize>, usize, Finding)],
    structured: Vec<RawMatch>,
) -> Vec<Finding> {
    if structured.is_empty() {
        return rule_findings.iter().map(|(_, _, f)| f.clone()).collect();
    }
    let as_match = |(r, rule, f): &(Range<usize>, usize, Finding)| RawMatch {
        rule: *rule,
        secret: r.clone(),
        matched: r.clone(),
        entropy: f.entropy,
        inline_allowed: false,
        confidence: Some(f.confidence),
        key_path: None,
        tags: Vec::new(),
    };
    let rules: Vec<RawMatch> = rule_findings.iter().map(as_match).collect();
    let kept = scanner.merge_structured(rules, structured);
    let mut lines = LineLocator::new(data);
    kept.iter()
        .map(|m| {
            let from_rules = rule_findings.iter().find(|(r, rule, _)| {
                r.start == m.secret.start && *rule == m.rule && m.key_path.is_none()
            });
            match from_rules {
                Some((_, _, f)) => f.clone(),
                None => scanner.findings_with(&mut lines, path, data, m),
            }
        })
        .collect()
}

/// A scan window: `range` is searched, findings starting in `zones` kept.
struct Window {
    range: Range<usize>,
    zones: Vec<Range<usize>>,
}

/// The windows around the dirty stretches of `data`, in order, and their
/// cores: the lines holding the byte before each change through its last
/// byte (merged), the only lines not copied whole from the base.
fn windows_around(
    data: &[u8],
    dirty: &[Range<usize>],
    pad_bytes: usize,
) -> (Vec<Window>, Vec<Range<usize>>) {
    let len = data.len();
    let mut windows: Vec<Window> = Vec::new();
    let mut cores: Vec<Range<usize>> = Vec::new();
    for d in dirty {
        let core = (
            line_start(data, d.start.saturating_sub(1).min(len)),
            line_end(data, d.end.min(len.saturating_sub(1))),
        );
        match cores.last_mut() {
            Some(c) if core.0 <= c.end => c.end = c.end.max(core.1),
            _ => cores.push(core.0..core.1),
        }
        let zone =
            back(data, core.0, pad_bytes, PAD_LINES)..forward(data, core.1, pad_bytes, PAD_LINES);
        let range = back(data, zone.start, pad_bytes, PAD_LINES)
            ..forward(data, zone.end, pad_bytes, PAD_LINES);
        match windows.last_mut() {
            Some(w) if range.start <= w.range.end => {
                w.range.end = w.range.end.max(range.end);
                w.zones.push(zone);
            }
            _ => windows.push(Window {
                range,
                zones: vec![zone],
            }),
        }
    }
    (windows, cores)
}

/// The parts of a rule's windows `a` inside the scan windows `b` (both in
/// order, each list non-overlapping).
fn intersect(a: &[Range<usize>], b: &[Window]) -> Vec<Range<usize>> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        let (x, y) = (&a[i], &b[j].range);
        let (s, e) = (x.start.max(y.start), x.end.min(y.end));
        if s < e {
            out.push(s..e);
        }
        if x.end <= y.end {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}

/// Scan `data` (a delta against `base` with instructions `ops`) around its
/// changes; `None` when it has to be scanned whole instead.
#[allow(clippy::too_many_arguments)]
pub fn scan_delta(
    scanner: &Scanner,
    rules: &DeltaRules,
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
    let dirty: Vec<Range<usize>> = segs
        .iter()
        .enumerate()
        .filter_map(|(k, s)| match s.base {
            None => Some(s.start..s.end),
            Some(_) if k > 0 => Some(s.start..s.start),
            Some(_) => None,
        })
        .collect();
    let (windows, cores) = windows_around(data, &dirty, 2 * rules.reach);
    let scanned: usize = windows.iter().map(|w| w.range.len()).sum();
    // Mostly changed: the windows would cost as much as the whole blob.
    if scanned * 2 > data.len() {
        return None;
    }
    let window_of = |p: usize| {
        let k = windows.partition_point(|w| w.range.end <= p);
        windows.get(k).filter(|w| w.range.start <= p)
    };
    let in_zone = |p: usize| window_of(p).is_some_and(|w| w.zones.iter().any(|z| z.contains(&p)));
    let copies = || segs.iter().filter_map(|s| Some((s.base?, s)));

    // The blob's keyword hits: the cores' own, and the base's in the lines
    // copied whole (keywords never span a line feed, cores are whole
    // lines). A base stretch may be copied more than once.
    let in_core = |p: usize| {
        let k = cores.partition_point(|c| c.end <= p);
        cores.get(k).is_some_and(|c| c.start <= p)
    };
    let mut hits: Vec<Hit> = Vec::with_capacity(base.hits.len() + 16);
    let mut part = Vec::new();
    for c in &cores {
        part.clear();
        scanner.keyword_hits(&data[c.clone()], &mut part);
        hits.extend(part.iter().map(|h| Hit {
            pattern: h.pattern,
            start: h.start + c.start,
            end: h.end + c.start,
        }));
    }
    for (sb, s) in copies() {
        let se = sb + (s.end - s.start);
        let from = base.hits.partition_point(|h| (h.0 as usize) < sb);
        for &(hs, he, p) in base.hits[from..].iter().take_while(|h| (h.0 as usize) < se) {
            let c = s.start + (hs as usize - sb);
            if he as usize <= se && !in_core(c) {
                hits.push(Hit {
                    pattern: p,
                    start: c,
                    end: c + (he - hs) as usize,
                });
            }
        }
    }
    sort_hits(&mut hits);
    // Most hits of a common keyword are far from the changes; their line
    // windows would be cut away below anyway.
    let mut rule_windows = match hits_near(rules, data, &hits, &windows) {
        Some(near) => scanner.windows_for_hits(path, data, &near),
        None => scanner.windows_for_hits(path, data, &hits),
    };
    // A rule of scope `File` runs near hits of its anchor words, which may
    // be line-only keywords of other rules; when its matches are unbounded,
    // a far anchor hit can start a match that reaches the change, so it
    // gets the windows of all hits.
    let anchored_unbounded = rule_windows.iter().any(|(r, _)| {
        rules.unbounded[*r] && scanner.rules().rules()[*r].scope == KeywordScope::File
    });
    if anchored_unbounded {
        rule_windows = scanner.windows_for_hits(path, data, &hits);
    }
    let file_rules = file_rules(scanner, &rule_windows);
    if file_rules != base.file_rules || base.findings.iter().any(|f| rules.unbounded[f.1]) {
        return None;
    }
    let mut selected = vec![false; rules.unbounded.len()];
    let mut cut = Vec::new();
    for entry in &rule_windows {
        let r = entry.0;
        selected[r] = true;
        if rules.unbounded[r] {
            // Nothing in all its windows: then it hides nothing either.
            if !scanner
                .find_in_windows(path, data, std::slice::from_ref(entry))
                .is_empty()
            {
                return None;
            }
            continue;
        }
        let w = intersect(&entry.1, &windows);
        if !w.is_empty() {
            cut.push((r, w));
        }
    }
    let matches: Vec<RawMatch> = scanner
        .find_in_windows(path, data, &cut)
        .into_iter()
        .filter(|m| in_zone(m.secret.start))
        .collect();
    let found = scanner.findings(path, data, &matches);
    // (secret, rule, finding, carried from the base)
    let mut out: Vec<(Range<usize>, usize, Finding, bool)> = matches
        .iter()
        .zip(found)
        .map(|(m, f)| (m.secret.clone(), m.rule, f, false))
        .collect();
    for (b, r, f) in &base.findings {
        if !selected[*r] {
            continue;
        }
        for (sb, s) in copies() {
            if sb <= b.start && b.start < sb + (s.end - s.start) {
                let c = s.start + (b.start - sb);
                if !in_zone(c) {
                    out.push((c..c + b.len(), *r, f.clone(), true));
                }
            }
        }
    }
    out.sort_by_key(|(off, r, ..)| (off.start, *r));
    // Carried findings keep their column (their line is copied whole) and
    // move to their new line.
    let mut lines = LineLocator::new(data);
    for (off, _, f, carried) in &mut out {
        if *carried {
            let (line, _) = lines.line_col(off.start);
            f.end_line = f.end_line - f.line + line;
            f.line = line;
        }
    }
    let rule_findings: Vec<(Range<usize>, usize, Finding)> =
        out.into_iter().map(|(o, r, f, _)| (o, r, f)).collect();
    // The structured detector reads the whole blob: a key path depends on
    // lines far from the change.
    let structured = scanner.find_structured(path, data, &hits);
    let findings = merge_structured(scanner, path, data, &rule_findings, structured);
    STATS[0].fetch_add(1, Relaxed);
    STATS[1].fetch_add(scanned as u64, Relaxed);
    STATS[2].fetch_add(data.len() as u64, Relaxed);
    Some((
        findings,
        Record {
            intro,
            hits: hits
                .iter()
                .map(|h| (h.start as u32, h.end as u32, h.pattern))
                .collect(),
            findings: rule_findings,
            file_rules,
        },
    ))
}

#[cfg(test)]
#[path = "deltascan_tests.rs"]
mod tests;
