//! How far from a keyword hit a rule's matches can lie, decided from the
//! regex itself so that running a rule only near its keywords never loses a
//! match that a whole-file run would find.
//!
//! Keywords select rules per file (as in gitleaks). Most provider rules put
//! their keyword inside every match (`ghp_`, `xoxb-`, `password=`): for those
//! the matcher only needs to search the line of each hit. Rules whose keyword
//! is context elsewhere in the file (`auths` above a docker `"auth"` value)
//! keep running on the whole file. No crate answers "does every match of
//! this regex contain one of these literals", so the analysis over
//! `regex_syntax`'s HIR is written here.
//!
//! `build.rs` includes this file to analyse the built-in rules at build
//! time, so it depends on nothing but `regex_syntax` and std.

use regex_syntax::hir::literal::{ExtractKind, Extractor};
use regex_syntax::hir::{Class, Hir, HirKind};

/// Where a rule's regex runs, relative to the hits of its keywords.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeywordScope {
    /// Every match contains a keyword and lies on one line: run on the
    /// lines with hits.
    Line,
    /// Every match contains a keyword but may span lines: run on a span of
    /// bytes around the lines with hits.
    Near,
    /// A match need not contain a keyword: run on the whole file.
    File,
}

/// How far one match can run: what a matcher that re-reads only the bytes
/// around a change (the git delta scan) has to pad its windows by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reach {
    /// Within one line, give or take the line feed on either side.
    Line,
    /// Across lines, at most this many bytes.
    Bytes(usize),
    /// Across lines, without a bound.
    Unbounded,
}

impl Reach {
    pub fn of(hir: &Hir) -> Reach {
        if !spans_lines(hir) {
            Reach::Line
        } else {
            hir.properties()
                .maximum_len()
                .map_or(Reach::Unbounded, Reach::Bytes)
        }
    }
}

/// Bounds on the literal sets the analysis enumerates; beyond them it gives
/// up (answers "unknown"), which only costs speed, never matches.
const MAX_STRINGS: usize = 512;
const MAX_STRING_LEN: usize = 64;

/// Parse a rule regex the way the matcher compiles it (ASCII, bytes).
pub fn parse(regex: &str) -> Result<Hir, regex_syntax::Error> {
    regex_syntax::ParserBuilder::new()
        .utf8(false)
        .unicode(false)
        .build()
        .parse(regex)
}

impl KeywordScope {
    pub fn of(hir: &Hir, keywords: &[String]) -> KeywordScope {
        let keywords: Vec<Vec<u8>> = keywords
            .iter()
            .map(|k| k.to_ascii_lowercase().into_bytes())
            .collect();
        if keywords.is_empty() || !must_contain_keyword(hir, &keywords) {
            KeywordScope::File
        } else if spans_lines(hir) {
            KeywordScope::Near
        } else {
            KeywordScope::Line
        }
    }
}

/// Words that every match of a rule contains although they are not its
/// keywords, and where around them its regex has to run.
///
/// A rule whose keywords are context elsewhere in the file (`facebook`
/// selects `meta_app_secret = ...`) has scope [`KeywordScope::File`], yet
/// its matches often contain a word the keyword automaton looks for anyway
/// for other rules (`secret`, `token`). Once the rule's own keywords have
/// selected a file, the matcher can then run it near those words only:
/// the same matches, a fraction of the bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Anchors {
    /// Indices into the vocabulary the anchors were chosen from.
    pub words: Vec<usize>,
    /// [`KeywordScope::Line`] or [`KeywordScope::Near`], relative to hits
    /// of `words`.
    pub scope: KeywordScope,
}

impl Anchors {
    /// Anchors for `regex` among `vocab` (lower-case words), or `None` when
    /// some match need not contain any of them. Candidates are the words
    /// spelled out in the regex source; a greedy pass then drops every
    /// word the others do not need, shortest (likely most frequent) first,
    /// so that few hits select the rule's windows.
    pub fn of(regex: &str, vocab: &[String]) -> Option<Anchors> {
        let hir = parse(regex).ok()?;
        let source = regex.to_ascii_lowercase();
        let mut words: Vec<usize> = (0..vocab.len())
            .filter(|&i| !vocab[i].is_empty() && source.contains(vocab[i].as_str()))
            .collect();
        let bytes = |ws: &[usize]| -> Vec<Vec<u8>> {
            ws.iter()
                .map(|&i| vocab[i].to_ascii_lowercase().into_bytes())
                .collect()
        };
        if words.is_empty() || !must_contain_keyword(&hir, &bytes(&words)) {
            return None;
        }
        let mut order = words.clone();
        order.sort_by_key(|&i| (vocab[i].len(), i));
        for w in order {
            let rest: Vec<usize> = words.iter().copied().filter(|&x| x != w).collect();
            if !rest.is_empty() && must_contain_keyword(&hir, &bytes(&rest)) {
                words = rest;
            }
        }
        let scope = if spans_lines(&hir) {
            KeywordScope::Near
        } else {
            KeywordScope::Line
        };
        Some(Anchors { words, scope })
    }
}

/// The "does every match contain a keyword" question for one regex. The
/// search over concatenations and alternation branches can grow quickly on
/// rules that fail it (long context regexes); `budget` bounds the work, and
/// running out answers "no", which only costs speed.
struct Analysis<'k> {
    keywords: &'k [Vec<u8>],
    budget: std::cell::Cell<u32>,
}

/// Steps of analysis per rule; the slowest built-in rule that passes needs
/// well under a tenth of this.
const BUDGET: u32 = 500;

fn must_contain_keyword(hir: &Hir, keywords: &[Vec<u8>]) -> bool {
    let analysis = Analysis {
        keywords,
        budget: std::cell::Cell::new(BUDGET),
    };
    analysis.must(hir)
}

impl Analysis<'_> {
    /// Take one step of the budget; false when it is spent.
    fn step(&self) -> bool {
        let left = self.budget.get();
        self.budget.set(left.saturating_sub(1));
        left > 0
    }

    fn all_contain(&self, set: &[Vec<u8>]) -> bool {
        all_contain_keyword(set, self.keywords)
    }

    /// Whether every match of `hir` contains one of the keywords
    /// (lower-case), compared ASCII case-insensitively like the keyword
    /// automaton.
    fn must(&self, hir: &Hir) -> bool {
        if !self.step() {
            return false;
        }
        if exact_strings(hir).is_some_and(|set| self.all_contain(&set)) {
            return true;
        }
        match hir.kind() {
            HirKind::Capture(c) => self.must(&c.sub),
            HirKind::Repetition(r) => r.min >= 1 && (self.must(&r.sub) || self.repeated(r)),
            HirKind::Alternation(hs) => hs.iter().all(|h| self.must(h)),
            HirKind::Concat(hs) => self.concat(hs.to_vec(), 0),
            _ => false,
        }
    }

    /// Whether the `min` copies every match of a counted repetition starts
    /// with contain a keyword: `A{20,24}` always holds twenty `A`s, which
    /// `exact_strings` does not enumerate (its upper bound is too high).
    fn repeated(&self, r: &regex_syntax::hir::Repetition) -> bool {
        let Some(sub) = exact_strings(&r.sub) else {
            return false;
        };
        let mut acc = vec![Vec::new()];
        for _ in 0..r.min {
            match product(&acc, &sub) {
                Some(next) => acc = next,
                None => return false,
            }
        }
        self.all_contain(&acc)
    }

    /// `must` for a sequence of parts matched one after another.
    fn concat(&self, parts: Vec<Hir>, depth: usize) -> bool {
        if parts.iter().any(|h| self.must(h)) {
            return true;
        }
        // A keyword can straddle parts: `(?i)secret` is six classes, and in
        // `sk-(?:proj|admin)-` the keyword `sk-proj-` spans three. Every
        // match of parts i..=j contains some string of
        // suffixes(i) x exact(i+1..j) x prefixes(j).
        let facts: Vec<PartFacts> = parts.iter().map(PartFacts::of).collect();
        for i in 0..parts.len() {
            let Some(mut acc) = facts[i].suffixes().cloned() else {
                continue;
            };
            for f in &facts[i + 1..] {
                if !self.step() {
                    return false;
                }
                if let Some(ends) = f.prefixes().and_then(|p| product(&acc, p)) {
                    if self.all_contain(&ends) {
                        return true;
                    }
                }
                match f.exact().and_then(|set| product(&acc, set)) {
                    Some(next) => acc = next,
                    None => break,
                }
            }
        }
        // Prefix factoring turns `sk-proj-|sk-admin-` into
        // `sk-(?:proj-|admin-)`: try each branch of the first alternation in
        // place.
        if depth >= 4 {
            return false;
        }
        let alt = parts
            .iter()
            .position(|h| matches!(unwrap_capture(h).kind(), HirKind::Alternation(_)));
        let Some(j) = alt else {
            return false;
        };
        let HirKind::Alternation(branches) = unwrap_capture(&parts[j]).kind() else {
            unreachable!("position() checked the kind");
        };
        branches.len() <= 16
            && branches.iter().all(|b| {
                let mut seq = parts[..j].to_vec();
                match b.kind() {
                    HirKind::Concat(inner) => seq.extend(inner.iter().cloned()),
                    _ => seq.push(b.clone()),
                }
                seq.extend(parts[j + 1..].iter().cloned());
                self.concat(seq, depth + 1)
            })
    }
}

/// What the concatenation search needs to know about one part, computed
/// when first asked (literal extraction is the costly step).
struct PartFacts<'h> {
    hir: &'h Hir,
    exact: std::cell::OnceCell<Option<Vec<Vec<u8>>>>,
    prefixes: std::cell::OnceCell<Option<Vec<Vec<u8>>>>,
    suffixes: std::cell::OnceCell<Option<Vec<Vec<u8>>>>,
}

impl<'h> PartFacts<'h> {
    fn of(hir: &'h Hir) -> PartFacts<'h> {
        PartFacts {
            hir,
            exact: Default::default(),
            prefixes: Default::default(),
            suffixes: Default::default(),
        }
    }
    fn exact(&self) -> Option<&Vec<Vec<u8>>> {
        self.exact.get_or_init(|| exact_strings(self.hir)).as_ref()
    }
    fn prefixes(&self) -> Option<&Vec<Vec<u8>>> {
        self.prefixes
            .get_or_init(|| affixes(self.hir, ExtractKind::Prefix))
            .as_ref()
    }
    fn suffixes(&self) -> Option<&Vec<Vec<u8>>> {
        self.suffixes
            .get_or_init(|| affixes(self.hir, ExtractKind::Suffix))
            .as_ref()
    }
}

fn unwrap_capture(h: &Hir) -> &Hir {
    match h.kind() {
        HirKind::Capture(c) => unwrap_capture(&c.sub),
        _ => h,
    }
}

/// Lower-cased strings every match of `hir` starts (or ends) with, when
/// regex-syntax can bound them.
fn affixes(hir: &Hir, kind: ExtractKind) -> Option<Vec<Vec<u8>>> {
    let seq = Extractor::new()
        .kind(kind)
        .limit_total(MAX_STRINGS)
        .extract(hir);
    let mut out: Vec<Vec<u8>> = seq
        .literals()?
        .iter()
        .map(|l| l.as_bytes().to_ascii_lowercase())
        .collect();
    out.sort_unstable();
    out.dedup();
    Some(out)
}

fn all_contain_keyword(set: &[Vec<u8>], keywords: &[Vec<u8>]) -> bool {
    set.iter().all(|s| {
        keywords
            .iter()
            .any(|k| s.windows(k.len()).any(|w| w == k.as_slice()))
    })
}

/// Every string `hir` can match, lower-cased, when there are few and short
/// ones; `None` otherwise.
fn exact_strings(hir: &Hir) -> Option<Vec<Vec<u8>>> {
    // Cheap bound from the HIR's precomputed properties before enumerating.
    if hir
        .properties()
        .maximum_len()
        .is_none_or(|n| n > MAX_STRING_LEN)
    {
        return None;
    }
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => Some(vec![Vec::new()]),
        HirKind::Literal(lit) => Some(vec![lit.0.to_ascii_lowercase()]),
        HirKind::Class(class) => {
            let bytes = class_bytes(class)?;
            let mut lower: Vec<u8> = bytes.iter().map(u8::to_ascii_lowercase).collect();
            lower.sort_unstable();
            lower.dedup();
            Some(lower.into_iter().map(|b| vec![b]).collect())
        }
        HirKind::Capture(c) => exact_strings(&c.sub),
        HirKind::Concat(hs) => hs
            .iter()
            .try_fold(vec![Vec::new()], |acc, h| product(&acc, &exact_strings(h)?)),
        HirKind::Alternation(hs) => {
            let mut out = Vec::new();
            for h in hs {
                out.extend(exact_strings(h)?);
                if out.len() > MAX_STRINGS {
                    return None;
                }
            }
            Some(out)
        }
        HirKind::Repetition(r) => {
            let max = r.max?;
            if max > 8 {
                return None;
            }
            let sub = exact_strings(&r.sub)?;
            let mut out = Vec::new();
            let mut acc = vec![Vec::new()];
            for n in 0..=max {
                if n >= r.min {
                    out.extend(acc.iter().cloned());
                }
                if n < max {
                    acc = product(&acc, &sub)?;
                }
            }
            (out.len() <= MAX_STRINGS).then_some(out)
        }
    }
}

/// The bytes of a small class (at most 8 after case folding), else `None`.
fn class_bytes(class: &Class) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    match class {
        Class::Bytes(c) => {
            for r in c.ranges() {
                if usize::from(r.end() - r.start()) >= 16 {
                    return None;
                }
                out.extend(r.start()..=r.end());
            }
        }
        Class::Unicode(c) => {
            for r in c.ranges() {
                let (s, e) = (u32::from(r.start()), u32::from(r.end()));
                if e > 0x7f || e - s >= 16 {
                    return None;
                }
                out.extend((s..=e).map(|b| b as u8));
            }
        }
    }
    let mut folded: Vec<u8> = out.iter().map(u8::to_ascii_lowercase).collect();
    folded.sort_unstable();
    folded.dedup();
    (folded.len() <= 8).then_some(out)
}

fn product(a: &[Vec<u8>], b: &[Vec<u8>]) -> Option<Vec<Vec<u8>>> {
    if a.len().saturating_mul(b.len()) > MAX_STRINGS {
        return None;
    }
    let mut out = Vec::with_capacity(a.len() * b.len());
    for x in a {
        for y in b {
            if x.len() + y.len() > MAX_STRING_LEN {
                return None;
            }
            let mut s = x.clone();
            s.extend_from_slice(y);
            out.push(s);
        }
    }
    Some(out)
}

/// Whether a match can have a line break anywhere but at its first or last
/// byte. Boundary idioms like `(?:^|[^a-z0-9])` consume the byte before a
/// token, which may be the newline ending the previous line; the matcher's
/// line windows include that byte, so such rules still count as one-line.
fn spans_lines(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Concat(hs) if hs.len() >= 2 => {
            let (first, rest) = hs.split_first().expect("len >= 2");
            let (last, middle) = rest.split_last().expect("len >= 2");
            !at_most_one_byte(first) && can_match_newline(first)
                || !at_most_one_byte(last) && can_match_newline(last)
                || middle.iter().any(can_match_newline)
        }
        HirKind::Capture(c) => spans_lines(&c.sub),
        _ => !at_most_one_byte(hir) && can_match_newline(hir),
    }
}

/// Whether every match of `hir` is at most one byte long.
fn at_most_one_byte(hir: &Hir) -> bool {
    hir.properties().maximum_len().is_some_and(|n| n <= 1)
}

/// Whether any match of `hir` can contain a `\n` (a literal or a class that
/// includes it). Look-around is zero-width, so it does not count.
fn can_match_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(lit) => lit.0.contains(&b'\n'),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Repetition(r) => r.max != Some(0) && can_match_newline(&r.sub),
        HirKind::Capture(c) => can_match_newline(&c.sub),
        HirKind::Concat(hs) | HirKind::Alternation(hs) => hs.iter().any(can_match_newline),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scope(re: &str, kws: &[&str]) -> KeywordScope {
        let hir = parse(re).unwrap();
        let kws: Vec<String> = kws.iter().map(|s| s.to_string()).collect();
        KeywordScope::of(&hir, &kws)
    }

    #[test]
    fn token_prefix_keywords_scope_to_the_line() {
        assert_eq!(
            scope(r"\b(ghp_[A-Za-z0-9]{36})\b", &["ghp_"]),
            KeywordScope::Line
        );
        assert_eq!(
            scope(
                r"(?i)\b(sk-(?:proj|svc)-[a-z0-9]{20})",
                &["sk-proj-", "sk-svc-"]
            ),
            KeywordScope::Line
        );
        // The keyword is spelled out by six case-insensitive classes.
        assert_eq!(
            scope(r"(?i)(?:^|[^a-z])secret\s*=\s*(\w{8,})", &["secret"]),
            KeywordScope::Near
        );
        assert_eq!(
            scope(r"(?i)(?:^|[^a-z])secret[ \t]*=[ \t]*(\w{8,})", &["secret"]),
            KeywordScope::Line
        );
    }

    #[test]
    fn context_keywords_keep_the_whole_file() {
        // The keyword is not part of what the regex matches.
        assert_eq!(
            scope(r#""auth"\s*:\s*"([A-Za-z0-9+/=]{8,})""#, &["auths"]),
            KeywordScope::File
        );
        // `pass` alone can match without any keyword.
        assert_eq!(
            scope(r"(?i)(pass(?:word)?)=(\w+)", &["password"]),
            KeywordScope::File
        );
        assert_eq!(
            scope(r"(?i)(pass(?:word)?)=(\w+)", &["pass"]),
            KeywordScope::Line
        );
        // An optional keyword is not a required one.
        assert_eq!(
            scope(r"(?:token:)?([a-f0-9]{40})", &["token:"]),
            KeywordScope::File
        );
        assert_eq!(scope(r"x", &[]), KeywordScope::File);
    }

    #[test]
    fn counted_repetitions_hold_their_minimum() {
        let kw = &["aaaaaaaaaaaaaaaaaaaa"];
        assert_eq!(
            scope(r"\b(A{20,24}[A-Za-z0-9%]{60})", kw),
            KeywordScope::Line
        );
        assert_eq!(
            scope(r"\b(A{19,24}[A-Za-z0-9%]{60})", kw),
            KeywordScope::File
        );
        assert_eq!(scope(r"(?:ab){2,9}x", &["abab"]), KeywordScope::Line);
    }

    #[test]
    fn alternations_need_a_keyword_in_every_branch() {
        assert_eq!(
            scope(r"(?:xoxb|xoxp)-\d+", &["xoxb-", "xoxp-"]),
            KeywordScope::Line
        );
        assert_eq!(scope(r"(?:xoxb|xoxp)-\d+", &["xoxb-"]), KeywordScope::File);
    }

    #[test]
    fn keywords_split_by_prefix_factoring_are_found() {
        let re = r"\b(sk-(?:proj|svcacct|None)-[A-Za-z0-9_-]{40,250}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})(?:[^A-Za-z0-9_-]|$)";
        let kws = ["sk-proj-", "sk-svcacct-", "sk-none-", "t3blbkfj"];
        assert_eq!(scope(re, &kws), KeywordScope::Line);
        assert_eq!(scope(re, &kws[..3]), KeywordScope::File);
    }

    #[test]
    fn reach_bounds_multi_line_matches() {
        let reach = |re: &str| {
            let hir = regex_syntax::ParserBuilder::new()
                .utf8(false)
                .unicode(false)
                .build()
                .parse(re)
                .unwrap();
            Reach::of(&hir)
        };
        assert_eq!(reach(r"(?:^|[^a-z])(tok[a-z]+)(?:[^a-z]|$)"), Reach::Line);
        assert_eq!(
            reach(r"key\s{0,3}=\s{0,3}([a-z]{8})"),
            Reach::Bytes(3 + 3 + 1 + 3 + 8)
        );
        assert_eq!(reach(r"<pass(?:[ \t][^>]*)?>(\w+)<"), Reach::Unbounded);
        assert_eq!(reach(r"<pass(?:[ \t][^>\n]*)?>(\w+)<"), Reach::Line);
    }

    #[test]
    fn context_rules_are_anchored_on_words_their_matches_contain() {
        let vocab: Vec<String> = ["facebook", "secret", "token", "s", "instagram"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let fb =
            r#"(?i)(?:facebook|\bfb|meta|instagram)[_.-]?secret["']?[ \t]*=[ \t]*([a-f0-9]{32})\b"#;
        // `s` is in every match too; it is tried first (shortest) and
        // dropped, as `secret` covers it.
        let a = Anchors::of(fb, &vocab).unwrap();
        assert_eq!(a.scope, KeywordScope::Line);
        assert!(a.words.contains(&1), "{a:?}");
        assert!(!a.words.contains(&0) && !a.words.contains(&4), "{a:?}");
        // Multi-line separators make the anchor scope `Near`.
        let fb_ml = fb.replace("[ \\t]*", "\\s*");
        assert_eq!(
            Anchors::of(&fb_ml, &vocab).unwrap().scope,
            KeywordScope::Near
        );
        // Nothing in the vocabulary is in every match.
        assert_eq!(
            Anchors::of(r"(?:^|[^0-9])([0-9]{8,10}:[A-Za-z0-9_-]{35})", &vocab),
            None
        );
        assert_eq!(Anchors::of(r"(?:token)?([a-f0-9]{40})", &vocab), None);
    }

    #[test]
    fn pem_blocks_span_lines() {
        let re = r"-----BEGIN RSA PRIVATE KEY-----[\s\S]{64,8192}?-----END RSA PRIVATE KEY-----";
        assert_eq!(scope(re, &["PRIVATE KEY"]), KeywordScope::Near);
    }
}
