//! What the delta scan needs to know about the rules to scan only the
//! changed regions of a blob and still report exactly what a whole-blob scan
//! reports. Derived from each rule's regex syntax tree (`regex-syntax`):
//!
//! - whether every match contains one of the rule's keywords
//!   (`keyword_inside`): then the keyword prefilter selects the rule in any
//!   window holding the match. Other rules need the blob's whole keyword
//!   set, which the delta scan tracks (see `deltascan`).
//! - whether a window can see a match at all (`windowable`): matches
//!   confined to one line (give or take the line feed on either side, which
//!   token boundaries like `(?:^|[^A-Za-z0-9_])` may consume), or multi-line
//!   matches of at most `reach` bytes. PEM blocks have no bound: a blob in
//!   which such a rule is selected is scanned whole.
//!
//! The keyword automaton here mirrors the scanner's own prefilter (same
//! literals, ASCII case-insensitive, overlapping), so "rule selected" means
//! the same thing in both.

use std::sync::OnceLock;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex_syntax::hir::{literal::Extractor, Class, Hir, HirKind, Look};

use crate::detect::Scanner;
use crate::rules::RuleSet;

/// Multi-line rules with a longer bound than this (PuTTY key files) are
/// not windowable: padding every window by their length would make the
/// windows as large as the files.
const MAX_REACH: usize = 2048;

pub struct RuleFacts {
    /// Longest match of a windowable rule that may span lines (bytes).
    pub reach: usize,
    /// Per rule: every match contains a keyword.
    pub keyword_inside: Vec<bool>,
    /// Per rule: a window of whole lines padded by `reach` sees its matches.
    pub windowable: Vec<bool>,
    /// Per rule: runs on every file (no keywords).
    pub always: Vec<bool>,
    /// Lower-case keywords, one pattern each.
    pub words: Vec<String>,
    /// For each keyword pattern, the rules it selects.
    pub word_rules: Vec<Vec<usize>>,
    /// Each rule no window can see, as a scanner of its own with a single
    /// keyword (built on first use, by rule and keyword pattern): run over
    /// the whole blob when selected, it must find nothing for a delta scan
    /// to stand. Given the keyword that occurs first in the blob, the
    /// scanner's prefilter stops reading there instead of reading the
    /// whole blob (it stops once every one of its keywords was seen).
    unwindowed: Vec<Vec<(u32, OnceLock<Scanner>)>>,
    global_allowlists: Vec<crate::rules::Allowlist>,
    /// Rule index by id (findings carry ids).
    pub index: std::collections::HashMap<String, usize>,
    automaton: Option<AhoCorasick>,
}

impl RuleFacts {
    pub fn new(scanner: &Scanner) -> RuleFacts {
        let rules = scanner.rules().rules();
        let mut reach = 0usize;
        let (mut keyword_inside_v, mut windowable, mut always) = (vec![], vec![], vec![]);
        let mut words: Vec<String> = Vec::new();
        let mut word_rules: Vec<Vec<usize>> = Vec::new();
        for (i, rule) in rules.iter().enumerate() {
            let keywords: Vec<String> = rule
                .spec
                .keywords
                .iter()
                .map(|k| k.to_ascii_lowercase())
                .collect();
            for k in &keywords {
                match words.iter().position(|w| w == k) {
                    Some(p) => word_rules[p].push(i),
                    None => {
                        words.push(k.clone());
                        word_rules.push(vec![i]);
                    }
                }
            }
            always.push(keywords.is_empty());
            let hir = regex_syntax::ParserBuilder::new()
                .utf8(false)
                .unicode(false)
                .build()
                .parse(&rule.spec.regex);
            let (inside, window) = match &hir {
                Ok(hir) => {
                    let multiline = interior(hir).into_iter().any(may_match_newline);
                    let bounded = hir.properties().maximum_len();
                    // Text anchors are harmless for line-confined matches: a
                    // window starts and ends on whole lines, and its first
                    // and last lines are padding whose matches are dropped.
                    let window = !multiline
                        || (bounded.is_some_and(|m| m <= MAX_REACH) && !anchors_to_text(hir));
                    if window && multiline {
                        reach = reach.max(bounded.unwrap_or(0));
                    }
                    (
                        !keywords.is_empty() && keyword_inside(hir, &keywords),
                        window,
                    )
                }
                Err(_) => (false, false),
            };
            keyword_inside_v.push(inside);
            windowable.push(window);
        }
        let automaton = (!words.is_empty()).then(|| {
            AhoCorasickBuilder::new()
                .ascii_case_insensitive(true)
                .match_kind(MatchKind::Standard)
                .kind(Some(AhoCorasickKind::DFA))
                .build(&words)
                .expect("keywords are plain literals")
        });
        let unwindowed = (0..rules.len())
            .map(|r| {
                if windowable[r] {
                    return Vec::new();
                }
                (0..words.len())
                    .filter(|&p| word_rules[p].contains(&r))
                    .map(|p| (p as u32, OnceLock::new()))
                    .collect()
            })
            .collect();
        RuleFacts {
            unwindowed,
            global_allowlists: scanner.rules().global_allowlists.clone(),
            reach,
            keyword_inside: keyword_inside_v,
            windowable,
            always,
            words,
            word_rules,
            index: rules
                .iter()
                .enumerate()
                .map(|(i, r)| (r.id().to_string(), i))
                .collect(),
            automaton,
        }
    }

    /// Every keyword occurrence in `data`: (start offset + `base`, pattern).
    pub fn keyword_hits(&self, data: &[u8], base: usize, out: &mut Vec<(u32, u32)>) {
        if let Some(ac) = &self.automaton {
            out.extend(
                ac.find_overlapping_iter(data)
                    .map(|m| ((m.start() + base) as u32, m.pattern().as_u32())),
            );
        }
    }

    /// Run rule `r` (one no window can see) over `data`, whose earliest
    /// keyword of that rule is pattern `first`.
    pub fn scan_unwindowed(
        &self,
        scanner: &Scanner,
        r: usize,
        first: u32,
        path: &str,
        data: &[u8],
    ) -> Option<Vec<crate::finding::Finding>> {
        let (_, cell) = self.unwindowed[r].iter().find(|(p, _)| *p == first)?;
        let sub = cell.get_or_init(|| {
            let mut rule = scanner.rules().rules()[r].clone();
            rule.spec.keywords = vec![self.words[first as usize].clone()];
            let mut set = RuleSet::new();
            set.upsert(rule);
            set.global_allowlists = self.global_allowlists.clone();
            Scanner::new(set)
        });
        Some(sub.scan(path, data))
    }

    /// Which rules a scanner selects for a blob with these keyword hits
    /// (path restrictions aside: they are the same for both versions).
    pub fn selected(&self, hits: &[(u32, u32)]) -> Vec<bool> {
        let mut sel = self.always.clone();
        let mut seen = vec![false; self.words.len()];
        for &(_, p) in hits {
            if !std::mem::replace(&mut seen[p as usize], true) {
                for &r in &self.word_rules[p as usize] {
                    sel[r] = true;
                }
            }
        }
        sel
    }
}

/// Every match of `hir` contains one of `keywords` (ASCII case-insensitive):
/// some operand of a concatenation does, or every branch of an alternation
/// does, or the text it matches starts with a literal holding a keyword.
fn keyword_inside(hir: &Hir, keywords: &[String]) -> bool {
    match hir.kind() {
        // A keyword may also span operands (`sk-(?:proj|svcacct)-`): try the
        // literal prefixes of every suffix of the concatenation too.
        HirKind::Concat(parts) => {
            parts.iter().any(|p| keyword_inside(p, keywords))
                || (0..parts.len())
                    .any(|i| literal_has_keyword(&Hir::concat(parts[i..].to_vec()), keywords))
        }
        HirKind::Alternation(alts) => alts.iter().all(|a| keyword_inside(a, keywords)),
        HirKind::Capture(c) => keyword_inside(&c.sub, keywords),
        HirKind::Repetition(r) if r.min > 0 => keyword_inside(&r.sub, keywords),
        _ => literal_has_keyword(hir, keywords),
    }
}

/// Every match of `hir` starts with a literal that contains a keyword.
fn literal_has_keyword(hir: &Hir, keywords: &[String]) -> bool {
    let seq = Extractor::new().extract(hir);
    let Some(lits) = seq.literals() else {
        return false;
    };
    !lits.is_empty()
        && lits.iter().all(|lit| {
            let lower = lit.as_bytes().to_ascii_lowercase();
            keywords
                .iter()
                .any(|k| !k.is_empty() && lower.windows(k.len()).any(|w| w == k.as_bytes()))
        })
}

/// The regex with a leading and a trailing operand of at most one byte
/// removed: rules bracket tokens with `(?:^|[^A-Za-z0-9_])`-style
/// boundaries, which may consume the line feed on either side of a line
/// without letting the match run on across lines.
fn interior(hir: &Hir) -> Vec<&Hir> {
    let mut parts: Vec<&Hir> = Vec::new();
    flatten(hir, &mut parts);
    let short = |h: &&Hir| h.properties().maximum_len().is_some_and(|m| m <= 1);
    if parts.len() > 1 && parts.first().is_some_and(short) {
        parts.remove(0);
    }
    if parts.len() > 1 && parts.last().is_some_and(short) {
        parts.pop();
    }
    parts
}

fn flatten<'h>(hir: &'h Hir, out: &mut Vec<&'h Hir>) {
    match hir.kind() {
        HirKind::Concat(parts) => parts.iter().for_each(|p| flatten(p, out)),
        HirKind::Capture(c) => flatten(&c.sub, out),
        _ => out.push(hir),
    }
}

/// Whether some match may contain a line feed (conservative).
fn may_match_newline(hir: &Hir) -> bool {
    match hir.kind() {
        HirKind::Empty | HirKind::Look(_) => false,
        HirKind::Literal(l) => l.0.contains(&b'\n'),
        HirKind::Class(Class::Bytes(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= b'\n' && b'\n' <= r.end()),
        HirKind::Class(Class::Unicode(c)) => c
            .ranges()
            .iter()
            .any(|r| r.start() <= '\n' && '\n' <= r.end()),
        HirKind::Repetition(r) => may_match_newline(&r.sub),
        HirKind::Capture(c) => may_match_newline(&c.sub),
        HirKind::Concat(v) | HirKind::Alternation(v) => v.iter().any(may_match_newline),
    }
}

/// `\A`, `\z` or `^`/`$` without multi-line mode: true only at the ends of
/// the whole text, so a window would see them where the blob does not.
fn anchors_to_text(hir: &Hir) -> bool {
    let looks = hir.properties().look_set();
    looks.contains(Look::Start) || looks.contains(Look::End)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rules_are_mostly_windowable() {
        let scanner = Scanner::new(crate::rules::builtin_rules().unwrap());
        let facts = RuleFacts::new(&scanner);
        let rules = scanner.rules().rules();
        let id = |i: usize| rules[i].id();
        let not_window: Vec<&str> = (0..rules.len())
            .filter(|&i| !facts.windowable[i])
            .map(id)
            .collect();
        let outside: Vec<&str> = (0..rules.len())
            .filter(|&i| !facts.keyword_inside[i])
            .map(id)
            .collect();
        eprintln!(
            "reach {}\nnot windowable: {not_window:?}\nkeyword outside: {outside:?}",
            facts.reach
        );
        // PEM blocks have no length bound.
        assert!(not_window.contains(&"private-key-rsa"));
        assert!(not_window.len() < rules.len() / 4);
        let i = rules
            .iter()
            .position(|r| r.id() == "github-pat-classic")
            .unwrap();
        assert!(facts.windowable[i] && facts.keyword_inside[i]);
        // Its keyword is anywhere in the file, not in the token.
        let i = rules
            .iter()
            .position(|r| r.id() == "twilio-api-key")
            .unwrap();
        assert!(!facts.keyword_inside[i]);
    }

    #[test]
    fn classifies_regex_shapes() {
        let parse = |re: &str| {
            regex_syntax::ParserBuilder::new()
                .unicode(false)
                .utf8(false)
                .build()
                .parse(re)
                .unwrap()
        };
        let kw = |k: &[&str]| k.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert!(keyword_inside(
            &parse(r"\b(ghp_[A-Za-z0-9]{36})\b"),
            &kw(&["ghp_"])
        ));
        assert!(keyword_inside(
            &parse(r"(?i)(?:api|token)\s*=\s*([a-z]{8})"),
            &kw(&["api", "token"])
        ));
        assert!(keyword_inside(
            &parse(r"\b(sk-(?:proj|none)-[a-z]{8})"),
            &kw(&["sk-proj-", "sk-none-"])
        ));
        assert!(!keyword_inside(
            &parse(r"(?i)(?:api|tok)\s*=\s*([a-z]{8})"),
            &kw(&["api", "token"])
        ));
        assert!(!keyword_inside(
            &parse(r"\b([a-f0-9]{32})\b"),
            &kw(&["heroku"])
        ));
        assert!(may_match_newline(&parse(r"a\s*b")));
        assert!(!may_match_newline(&parse(r"a[ \t]*b.+")));
        assert!(!interior(&parse(r"(?:^|[^a-z])(tok[a-z]+)(?:[^a-z]|$)"))
            .into_iter()
            .any(may_match_newline));
        assert!(anchors_to_text(&parse(r"^abc")));
        assert!(!anchors_to_text(&parse(r"(?m)^abc")));
    }
}
