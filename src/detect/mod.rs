//! The matcher: keyword prefilter -> regex -> secret group -> entropy ->
//! context filters -> allowlists -> inline allow -> de-duplication.

pub mod examples;
pub mod filters;
mod keywords;
pub mod structured;

pub use keywords::{Hit, Keywords};

use std::ops::Range;
use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder};
use regex_automata::Input;

use crate::finding::{Finding, SuppressionKind};
use crate::rules::{
    AnchorFacts, Anchors, Candidate, Confidence, Detector, KeywordScope, Rule, RuleSet,
};
use crate::util::{shannon_entropy, LineLocator};

/// Markers that allow a finding when they appear on its line.
const INLINE_ALLOW: [&[u8]; 2] = [b"guardrail:allow", b"gitleaks:allow"];

/// A match before it is located in lines and columns.
#[derive(Debug, Clone)]
pub struct RawMatch {
    pub rule: usize,
    /// Byte range of the secret in the scanned data.
    pub secret: std::ops::Range<usize>,
    /// Byte range of the whole regex match.
    pub matched: std::ops::Range<usize>,
    pub entropy: f64,
    pub inline_allowed: bool,
    /// The finding's confidence when a detector judged it (a structured
    /// value under a password key); `None` is the rule's own.
    pub confidence: Option<Confidence>,
    /// See [`Finding::key_path`].
    pub key_path: Option<String>,
    /// See [`Finding::tags`].
    pub tags: Vec<String>,
}

/// Compiled rules plus the keyword automaton that selects them. Cheap to
/// share across threads (`&Scanner` is all a worker needs).
pub struct Scanner {
    rules: RuleSet,
    keywords: Keywords,
    /// For each keyword pattern, the rules it enables.
    keyword_rules: Vec<Vec<usize>>,
    /// Rules without keywords: run on every file.
    always: Vec<usize>,
    inline_allow: AhoCorasick,
    /// The automaton's words (lower-case), for [`Anchors`].
    words: Vec<String>,
    /// Per rule, its [`Anchors`] among `words` when its scope is
    /// [`KeywordScope::File`]: from `build.rs` for built-in rules whose
    /// anchor words are all in use, else worked out on the first file that
    /// selects the rule, so start-up parses no regex.
    anchors: Vec<OnceLock<Option<Anchors>>>,
    /// The structured detector and what it reports under.
    structured: structured::Structured,
    /// Per keyword pattern: it selects a rule of the structured detector.
    structured_patterns: Vec<bool>,
    /// Rule index of `structured-password`, `-secret`, `-token` (when in the set).
    structured_rules: [Option<usize>; 3],
}

impl Scanner {
    pub fn new(rules: RuleSet) -> Scanner {
        let mut words: Vec<String> = Vec::new();
        let mut keyword_rules: Vec<Vec<usize>> = Vec::new();
        let mut always = Vec::new();
        for (i, rule) in rules.rules().iter().enumerate() {
            if rule.spec.keywords.is_empty() {
                always.push(i);
            }
            for k in &rule.spec.keywords {
                let k = k.to_ascii_lowercase();
                match words.iter().position(|w| *w == k) {
                    Some(p) => keyword_rules[p].push(i),
                    None => {
                        words.push(k);
                        keyword_rules.push(vec![i]);
                    }
                }
            }
        }
        let keywords =
            Keywords::new(&words).expect("keyword automaton: keywords are plain literals");
        let inline_allow = AhoCorasickBuilder::new()
            .ascii_case_insensitive(true)
            .build(INLINE_ALLOW)
            .expect("static patterns");
        let anchors = rules
            .rules()
            .iter()
            .map(|rule| match rule.builtin_anchors {
                AnchorFacts::Words(anchor_words, scope) => {
                    let found: Option<Vec<usize>> = anchor_words
                        .iter()
                        .map(|a| words.iter().position(|w| w == a))
                        .collect();
                    // A word missing (its rule disabled) means the choice
                    // must be made again among the words in use.
                    found.map_or_else(OnceLock::new, |words| {
                        OnceLock::from(Some(Anchors { words, scope }))
                    })
                }
                // Fewer words in use (rules disabled) cannot give anchors;
                // more (user rules) might, which would only save time.
                AnchorFacts::NoAnchors => OnceLock::from(None),
                AnchorFacts::Unknown => OnceLock::new(),
            })
            .collect();
        let structured_patterns = keyword_rules
            .iter()
            .map(|rs| {
                rs.iter()
                    .any(|&r| rules.rules()[r].spec.detector == Detector::Structured)
            })
            .collect();
        let structured_rules = [
            structured::keys::KeyKind::Password,
            structured::keys::KeyKind::Secret,
            structured::keys::KeyKind::Token,
        ]
        .map(|k| {
            rules
                .rules()
                .iter()
                .position(|r| r.id() == k.rule_id() && r.spec.detector == Detector::Structured)
        });
        let structured = structured::Structured::new(&rules.keys);
        Scanner {
            rules,
            keywords,
            keyword_rules,
            always,
            inline_allow,
            words,
            anchors,
            structured,
            structured_patterns,
            structured_rules,
        }
    }

    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The [`Anchors`] of rule `r` (of scope `File`), if it has any.
    fn anchors(&self, r: usize) -> Option<&Anchors> {
        self.anchors[r]
            .get_or_init(|| Anchors::of(&self.rules.rules()[r].spec.regex, &self.words))
            .as_ref()
    }

    /// Every keyword occurrence in `data` (offsets into `data`), ordered by
    /// where it ends: the prefilter's input to [`Scanner::windows_for_hits`].
    /// Callers that scan part of a file (the git delta scan) assemble a
    /// file's hits from pieces.
    pub fn keyword_hits(&self, data: &[u8], out: &mut Vec<Hit>) {
        self.keywords.hits(data, out);
    }

    /// For each keyword pattern (a [`Hit::pattern`]), the rules it selects.
    pub fn keyword_rules(&self) -> &[Vec<usize>] {
        &self.keyword_rules
    }

    /// The windows of `data` each selected rule runs on, in rule order.
    ///
    /// A keyword hit selects its rules for the line it is on (the bytes just
    /// before and after the line included, for boundary idioms such as
    /// `(?:^|[^a-z])`), for a span of [`MULTILINE_BEFORE`] and
    /// [`MULTILINE_AFTER`] bytes around that line, or for the whole file, as
    /// the rule's [`KeywordScope`] says; a rule of scope `File` runs only
    /// near hits of its [`Anchors`] when it has some. Running regexes only near hits, not
    /// over the whole file, is what keeps common keywords (`token`, `secret`)
    /// cheap: most source files mention them, few lines do. Rules without
    /// keywords, and rules whose path regex rejects `path`, are handled here.
    ///
    /// `hits` are keyword hits found beforehand, in order of position: by
    /// end as [`Scanner::keyword_hits`] gives them, or by start (either
    /// keeps their lines in order).
    pub fn windows_for_hits(
        &self,
        path: &str,
        data: &[u8],
        hits: &[Hit],
    ) -> Vec<(usize, Vec<Range<usize>>)> {
        let rules = self.rules.rules();
        let mut windows: Vec<Vec<Range<usize>>> = vec![Vec::new(); rules.len()];
        // 0: path not checked yet, 1: accepted, 2: rejected.
        let mut path_state = vec![0u8; rules.len()];
        let mut path_ok = |r: usize| {
            if path_state[r] == 0 {
                let ok = rules[r].path_matches(path);
                path_state[r] = if ok { 1 } else { 2 };
            }
            path_state[r] == 1
        };
        // Rules of scope `File` the hits selected, in order of selection.
        let mut context = Vec::new();
        let mut lines = HitLines::new(data);
        for hit in hits {
            let line = lines.of(hit);
            for &r in &self.keyword_rules[hit.pattern as usize] {
                if !path_ok(r) {
                    continue;
                }
                match rules[r].scope {
                    KeywordScope::File => {
                        if windows[r].is_empty() {
                            windows[r].push(0..data.len());
                            context.push(r);
                        }
                    }
                    scope => push_merged(
                        &mut windows[r],
                        window(scope, line.clone(), data.len()),
                        scope,
                    ),
                }
            }
        }
        for r in context {
            let Some(anchors) = self.anchors(r) else {
                continue;
            };
            // Every match contains an anchor word and the automaton reports
            // every occurrence, so no anchor hit means no match.
            windows[r].clear();
            let mut lines = HitLines::new(data);
            for hit in hits {
                if anchors.words.contains(&(hit.pattern as usize)) {
                    let w = window(anchors.scope, lines.of(hit), data.len());
                    push_merged(&mut windows[r], w, anchors.scope);
                }
            }
        }
        for &r in &self.always {
            if path_ok(r) {
                windows[r] = vec![0..data.len()];
            }
        }
        windows
            .into_iter()
            .enumerate()
            .filter(|(_, w)| !w.is_empty())
            .collect()
    }

    /// Every match in `data`, filtered, allowlisted and de-duplicated, in
    /// order of position. `path` is the `/`-separated path used by path rules
    /// and allowlists.
    pub fn find(&self, path: &str, data: &[u8]) -> Vec<RawMatch> {
        if self.path_allowed(path) {
            return Vec::new();
        }
        let mut hits = Vec::new();
        self.keywords.hits(data, &mut hits);
        let windows = self.windows_for_hits(path, data, &hits);
        let matches = self.find_unchecked(path, data, &windows);
        let found = self.find_structured(path, data, &hits);
        self.merge_structured(matches, found)
    }

    /// The structured detector's findings in `data` (the whole file), from
    /// the file's keyword hits (as [`Scanner::keyword_hits`] gives them).
    /// They are combined with the rules' matches by
    /// [`Scanner::merge_structured`]; keeping the two apart lets the delta
    /// scan carry rule matches over from a base and still run this on the
    /// whole blob, with the same result as [`Scanner::find`].
    pub fn find_structured(&self, path: &str, data: &[u8], hits: &[Hit]) -> Vec<RawMatch> {
        if self.structured_rules.iter().all(Option::is_none) || self.path_allowed(path) {
            return Vec::new();
        }
        let mut spans: Vec<Range<usize>> = hits
            .iter()
            .filter(|h| self.structured_patterns[h.pattern as usize])
            .map(|h| h.start..h.end)
            .collect();
        if spans.is_empty() {
            return Vec::new();
        }
        spans.sort_unstable_by_key(|r| (r.start, r.end));
        let found = self.structured.find(path, data, &spans);
        let mut out = Vec::new();
        for f in found {
            let k = match f.kind {
                structured::keys::KeyKind::Password => 0,
                structured::keys::KeyKind::Secret => 1,
                structured::keys::KeyKind::Token => 2,
            };
            let Some(ri) = self.structured_rules[k] else {
                continue;
            };
            let rule = &self.rules.rules()[ri];
            if !rule.path_matches(path) {
                continue;
            }
            let line = line_bounds(data, f.value.start, f.value.end);
            let matched = if f.key.end <= f.value.start && f.key.start >= line.start {
                f.key.start..f.value.end
            } else {
                f.value.clone()
            };
            let secret = &data[f.value.clone()];
            let candidate = Candidate {
                secret,
                matched: &data[matched.clone()],
                line: &data[line.clone()],
                path,
            };
            if rule.allowlists.iter().any(|a| a.allows(&candidate))
                || self
                    .rules
                    .global_allowlists
                    .iter()
                    .any(|a| a.allows(&candidate))
            {
                continue;
            }
            out.push(RawMatch {
                rule: ri,
                secret: f.value,
                matched,
                entropy: shannon_entropy(secret),
                inline_allowed: self.inline_allow.is_match(&data[line]),
                confidence: Some(f.confidence),
                key_path: Some(f.key_path),
                tags: f.tags,
            });
        }
        out
    }

    /// Rule matches (as [`Scanner::find_in_windows`] gives them) and
    /// structured findings of one file, de-duplicated together.
    pub fn merge_structured(
        &self,
        mut matches: Vec<RawMatch>,
        found: Vec<RawMatch>,
    ) -> Vec<RawMatch> {
        if found.is_empty() {
            return matches;
        }
        matches.extend(found);
        drop_overlapped_low_confidence(&mut matches, &self.rules);
        matches.sort_by_key(|m| (m.secret.start, m.rule));
        matches
    }

    /// Whether a global allowlist exempts `path` from scanning.
    fn path_allowed(&self, path: &str) -> bool {
        self.rules
            .global_allowlists
            .iter()
            .any(|a| a.allows_path(path))
    }

    /// [`Scanner::find`] with the windows of each rule given (rule index,
    /// windows in order, as [`Scanner::windows_for_hits`] makes them), no
    /// prefilter pass: for callers that search only part of a file.
    pub fn find_in_windows(
        &self,
        path: &str,
        data: &[u8],
        windows: &[(usize, Vec<Range<usize>>)],
    ) -> Vec<RawMatch> {
        if self.path_allowed(path) {
            return Vec::new();
        }
        self.find_unchecked(path, data, windows)
    }

    fn find_unchecked(
        &self,
        path: &str,
        data: &[u8],
        windows: &[(usize, Vec<Range<usize>>)],
    ) -> Vec<RawMatch> {
        let mut out = Vec::new();
        for (ri, windows) in windows {
            let rule = &self.rules.rules()[*ri];
            if !rule.has_regex() {
                // A detector's rule: its keywords select files for it.
                continue;
            }
            self.find_rule(*ri, rule, path, data, windows, &mut out);
        }
        drop_overlapped_low_confidence(&mut out, &self.rules);
        out.sort_by_key(|m| (m.secret.start, m.rule));
        out
    }

    fn find_rule(
        &self,
        ri: usize,
        rule: &Rule,
        path: &str,
        data: &[u8],
        windows: &[Range<usize>],
        out: &mut Vec<RawMatch>,
    ) {
        let Ok(regex) = rule.regex() else {
            // Unreachable in practice: config rules are built eagerly when
            // loaded, and every built-in is built by the examples test.
            return;
        };
        let mut last_end = 0usize;
        let mut caps = regex.create_captures();
        for window in windows {
            let mut at = window.start;
            while at <= window.end {
                // The span keeps look-around seeing the bytes around the window.
                regex.search_captures(&Input::new(data).span(at..window.end), &mut caps);
                let Some(whole) = caps.get_match() else {
                    break;
                };
                // Empty matches must still make progress.
                at = if whole.end() > whole.start() {
                    whole.end()
                } else {
                    whole.end() + 1
                };
                let Some(secret_span) = caps.get_group(rule.secret_group) else {
                    continue;
                };
                let (s, e) = (secret_span.start, secret_span.end);
                if s == e || s < last_end {
                    // Empty secret, or overlaps the previous match of this rule.
                    continue;
                }
                if let Some(m) = self.accept(ri, rule, path, data, whole.range(), s..e) {
                    last_end = e;
                    out.push(m);
                }
            }
        }
    }

    /// Entropy, context filters and allowlists for one regex match.
    fn accept(
        &self,
        ri: usize,
        rule: &Rule,
        path: &str,
        data: &[u8],
        whole: Range<usize>,
        secret_range: Range<usize>,
    ) -> Option<RawMatch> {
        let secret = &data[secret_range.clone()];
        let entropy = shannon_entropy(secret);
        if rule.spec.entropy.is_some_and(|min| entropy < min) {
            return None;
        }
        let line = line_bounds(data, whole.start, whole.end);
        let line_bytes = &data[line];
        let ctx = filters::Context {
            secret,
            matched: &data[whole.clone()],
            line: line_bytes,
            path,
        };
        if filters::rejects(rule, &ctx) {
            return None;
        }
        let candidate = Candidate {
            secret,
            matched: ctx.matched,
            line: line_bytes,
            path,
        };
        if rule.allowlists.iter().any(|a| a.allows(&candidate))
            || self
                .rules
                .global_allowlists
                .iter()
                .any(|a| a.allows(&candidate))
        {
            return None;
        }
        Some(RawMatch {
            rule: ri,
            secret: secret_range,
            matched: whole,
            entropy,
            inline_allowed: self.inline_allow.is_match(line_bytes),
            confidence: None,
            key_path: None,
            tags: Vec::new(),
        })
    }

    /// Scan one file or blob and return located findings. Inline-allowed
    /// matches are returned marked as suppressed.
    pub fn scan(&self, path: &str, data: &[u8]) -> Vec<Finding> {
        let matches = self.find(path, data);
        self.findings(path, data, &matches)
    }

    /// Located findings for matches of [`Scanner::find`] or
    /// [`Scanner::find_in_windows`] in `data`.
    pub fn findings(&self, path: &str, data: &[u8], matches: &[RawMatch]) -> Vec<Finding> {
        let mut lines = LineLocator::new(data);
        matches
            .iter()
            .map(|m| self.locate(&mut lines, path, data, m))
            .collect()
    }

    /// [`Scanner::findings`] for one match, with a locator the caller keeps
    /// across calls (matches in order of position).
    pub fn findings_with(
        &self,
        lines: &mut LineLocator<'_>,
        path: &str,
        data: &[u8],
        m: &RawMatch,
    ) -> Finding {
        self.locate(lines, path, data, m)
    }

    /// Turn a raw match into a finding with 1-based lines and columns.
    fn locate(
        &self,
        lines: &mut LineLocator<'_>,
        path: &str,
        data: &[u8],
        m: &RawMatch,
    ) -> Finding {
        let rule = &self.rules.rules()[m.rule];
        let (line, column) = lines.line_col(m.secret.start);
        let (end_line, end_col_excl) = lines.line_col(m.secret.end);
        let secret = &data[m.secret.clone()];
        Finding {
            rule_id: rule.id().to_string(),
            description: rule.spec.description.clone(),
            severity: rule.severity(),
            confidence: m.confidence.unwrap_or_else(|| rule.confidence()),
            detector: rule.spec.detector,
            key_path: m.key_path.clone(),
            tags: m.tags.clone(),
            path: path.to_string(),
            line,
            column,
            end_line,
            end_column: end_col_excl.saturating_sub(1).max(1),
            secret: String::from_utf8_lossy(secret).into_owned(),
            fingerprint: Finding::compute_fingerprint(rule.id(), path, secret),
            entropy: (m.entropy * 1000.0).round() / 1000.0,
            commit: None,
            other_occurrences: 0,
            related: Vec::new(),
            suppressed: m.inline_allowed.then_some(SuppressionKind::Inline),
        }
    }
}

/// How far before and after the line of a keyword hit a rule whose matches
/// can span lines is run. PEM blocks are the longest such secrets (an RSA
/// 4096 key is ~3.3 KB) and start on the line of their keyword.
const MULTILINE_BEFORE: usize = 4 * 1024;
const MULTILINE_AFTER: usize = 64 * 1024;

/// The window a rule of `scope` runs on for a keyword hit on `line`.
fn window(scope: KeywordScope, line: Range<usize>, len: usize) -> Range<usize> {
    match scope {
        KeywordScope::Line => line.start.saturating_sub(1)..(line.end + 1).min(len),
        KeywordScope::Near => {
            line.start.saturating_sub(MULTILINE_BEFORE)..(line.end + MULTILINE_AFTER).min(len)
        }
        KeywordScope::File => 0..len,
    }
}

/// The line of each hit, for hits in order of position: consecutive hits
/// on one line find its bounds once.
struct HitLines<'d> {
    data: &'d [u8],
    line: Option<Range<usize>>,
}

impl<'d> HitLines<'d> {
    fn new(data: &'d [u8]) -> Self {
        HitLines { data, line: None }
    }

    fn of(&mut self, hit: &Hit) -> Range<usize> {
        match &self.line {
            Some(l) if l.start <= hit.start && hit.start <= l.end => l.clone(),
            _ => {
                let l = line_bounds(self.data, hit.start, hit.start);
                self.line = Some(l.clone());
                l
            }
        }
    }
}

/// Windows closer than this are searched as one: a regex search has a
/// fixed cost (a cache from the pool, start states, a reverse search for
/// the match start) that a few hundred bytes of lazy-DFA scanning undercut.
/// Only for line windows: the lines in between hold no keyword hit of the
/// rule, so no match of it (which contains one and stays on its line) can
/// lie there, and the results do not change.
const LINE_MERGE_GAP: usize = 256;

/// Add `w` to windows kept in order, merging it into the last one when they
/// touch or nearly do, so no byte is searched twice for one rule.
fn push_merged(windows: &mut Vec<Range<usize>>, w: Range<usize>, scope: KeywordScope) {
    let gap = if scope == KeywordScope::Line {
        LINE_MERGE_GAP
    } else {
        0
    };
    match windows.last_mut() {
        Some(last) if w.start <= last.end + gap => {
            last.start = last.start.min(w.start);
            last.end = last.end.max(w.end);
        }
        _ => windows.push(w),
    }
}

/// How far back a match that overlaps a later one can start; secrets longer
/// than this (only PEM blocks come close) still work, they just are not
/// de-duplicated against shorter matches starting this far inside them.
const MAX_OVERLAP_LOOKBACK: usize = 16 * 1024;

/// Byte range of the lines spanned by `start..end` (without the newline).
fn line_bounds(data: &[u8], start: usize, end: usize) -> Range<usize> {
    let s = memchr::memrchr(b'\n', &data[..start]).map_or(0, |p| p + 1);
    let e = memchr::memchr(b'\n', &data[end..]).map_or(data.len(), |p| end + p);
    s..e
}

/// Two findings whose secrets overlap are one leak seen twice; the one
/// that says less about it is dropped:
///
/// - a lower-confidence finding, for a higher-confidence one (the generic
///   tier never repeats a provider rule);
/// - at equal (or lower) confidence, a finding of a rule that the other
///   finding's rule lists in `supersedes` (a GCP key file over the PEM key
///   inside it). Two rules that list each other are both kept.
///
/// - a structured finding, for a provider rule's, credential-file or hash
///   finding, whatever their confidences (they know the format; the
///   structured detector knows a key and guesses from the value);
/// - at equal confidence, a finding of a less specific detector: a provider
///   rule over a credential-file or hash finding, over a structured one,
///   over the generic line tier (rules of `low` confidence), see
///   [`specificity`];
///
/// Anything else is kept: which of two rules of one confidence knows more
/// is not something the regexes tell (a gradle `password=` rule's match
/// contains the GitHub token it holds, yet the token rule says more), so
/// the rules declare it.
/// How much a finding of `rule` says about a secret, for findings of equal
/// confidence: a provider rule knows the format, a credential file or hash
/// format its file, a structured finding the key, and the generic line
/// tier (a rule whose own confidence is `low`) only a keyword nearby.
pub fn specificity(rule: &Rule) -> u8 {
    match rule.spec.detector {
        Detector::Rule if rule.spec.confidence == Confidence::Low => 0,
        Detector::Structured => 1,
        Detector::CredentialFile | Detector::Hash => 2,
        Detector::Rule => 3,
    }
}

fn drop_overlapped_low_confidence(matches: &mut Vec<RawMatch>, rules: &RuleSet) {
    let rule = |m: &RawMatch| &rules.rules()[m.rule];
    let supersedes = |a: &RawMatch, b: &RawMatch| {
        a.rule != b.rule && rule(a).spec.supersedes.iter().any(|id| id == rule(b).id())
    };
    // Whether `o` makes `m` redundant.
    let outranks = |o: &RawMatch, m: &RawMatch| {
        let confidence = |x: &RawMatch| x.confidence.unwrap_or_else(|| rule(x).confidence());
        let (co, cm) = (confidence(o), confidence(m));
        let (so, sm) = (specificity(rule(o)), specificity(rule(m)));
        // A detector that knows the format (a provider rule, a credential
        // file, a hash) replaces a structured finding whatever the
        // structured detector thought of the value's randomness.
        if sm == 1 && so >= 2 {
            return true;
        }
        if so == 1 && sm >= 2 {
            return false;
        }
        co > cm || (co == cm && so > sm) || (co >= cm && supersedes(o, m) && !supersedes(m, o))
    };
    // Sorted by start, an overlap partner of `m` starts before `m` ends, so
    // each match only looks at a window of neighbours, not at all matches.
    matches.sort_by_key(|m| (m.secret.start, m.rule));
    let keep: Vec<bool> = matches
        .iter()
        .enumerate()
        .map(|(i, m)| {
            !matches[..i]
                .iter()
                .rev()
                .take_while(|o| o.secret.start + MAX_OVERLAP_LOOKBACK > m.secret.start)
                .chain(
                    matches[i + 1..]
                        .iter()
                        .take_while(|o| o.secret.start < m.secret.end),
                )
                .any(|o| {
                    let overlaps = o.secret.start < m.secret.end && m.secret.start < o.secret.end;
                    overlaps && outranks(o, m)
                })
        })
        .collect();
    let mut k = keep.into_iter();
    matches.retain(|_| k.next().unwrap_or(true));
}

#[cfg(test)]
#[path = "dedup_tests.rs"]
mod dedup_tests;

#[cfg(test)]
#[path = "anchor_tests.rs"]
mod anchor_tests;
