//! GitHub Actions expressions (`${{ ... }}`): where they are in a string,
//! and which context values can end up in the text they expand to.
//!
//! Hand-written: the expression language is small (literals, context paths,
//! indexes, a dozen functions, `!`, comparisons, `&&`, `||`) and no crate
//! parses it. What matters for the audit is data flow: in
//! `contains(github.event.issue.title, 'x')` the title does not reach the
//! output (a boolean does), in `github.head_ref || 'main'` it does.

use std::sync::LazyLock;

/// One `${{ ... }}` in a string: byte offsets of `${{` and just past `}}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr<'a> {
    pub start: usize,
    pub end: usize,
    /// The text between the braces.
    pub inner: &'a str,
}

impl<'a> Expr<'a> {
    /// The whole `${{ ... }}` text.
    pub fn text<'s>(&self, s: &'s str) -> &'s str {
        &s[self.start..self.end]
    }
}

/// Every expression in `s`. A `}}` inside a quoted string literal does not
/// close it; an unclosed `${{` runs to the end of the string.
pub fn find(s: &str) -> Vec<Expr<'_>> {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(rel) = memchr::memmem::find(&bytes[i..], b"${{") {
        let start = i + rel;
        let body = start + 3;
        let mut j = body;
        let mut in_str = false;
        let mut end = None;
        while j < bytes.len() {
            match bytes[j] {
                b'\'' => in_str = !in_str,
                b'}' if !in_str && bytes.get(j + 1) == Some(&b'}') => {
                    end = Some(j);
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let (inner_end, next) = match end {
            Some(e) => (e, e + 2),
            None => (bytes.len(), bytes.len()),
        };
        out.push(Expr {
            start,
            end: next,
            inner: &s[body..inner_end],
        });
        i = next;
    }
    out
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Ident(String),
    Num,
    Str(String),
    Dot,
    Star,
    LParen,
    RParen,
    LBracket,
    RBracket,
    Comma,
    Not,
    Cmp,
    And,
    Or,
}

fn lex(s: &str) -> Option<Vec<Tok>> {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        match c {
            b' ' | b'\t' | b'\n' | b'\r' => i += 1,
            b'.' => {
                out.push(Tok::Dot);
                i += 1
            }
            b'*' => {
                out.push(Tok::Star);
                i += 1
            }
            b'(' => {
                out.push(Tok::LParen);
                i += 1
            }
            b')' => {
                out.push(Tok::RParen);
                i += 1
            }
            b'[' => {
                out.push(Tok::LBracket);
                i += 1
            }
            b']' => {
                out.push(Tok::RBracket);
                i += 1
            }
            b',' => {
                out.push(Tok::Comma);
                i += 1
            }
            b'!' if b.get(i + 1) == Some(&b'=') => {
                out.push(Tok::Cmp);
                i += 2
            }
            b'!' => {
                out.push(Tok::Not);
                i += 1
            }
            b'=' if b.get(i + 1) == Some(&b'=') => {
                out.push(Tok::Cmp);
                i += 2
            }
            b'<' | b'>' => {
                out.push(Tok::Cmp);
                i += if b.get(i + 1) == Some(&b'=') { 2 } else { 1 }
            }
            b'&' if b.get(i + 1) == Some(&b'&') => {
                out.push(Tok::And);
                i += 2
            }
            b'|' if b.get(i + 1) == Some(&b'|') => {
                out.push(Tok::Or);
                i += 2
            }
            b'\'' => {
                let mut j = i + 1;
                let mut lit = String::new();
                loop {
                    match b.get(j) {
                        None => return None,
                        Some(b'\'') if b.get(j + 1) == Some(&b'\'') => {
                            lit.push('\'');
                            j += 2
                        }
                        Some(b'\'') => break,
                        Some(_) => {
                            let ch = s[j..].chars().next()?;
                            lit.push(ch);
                            j += ch.len_utf8()
                        }
                    }
                }
                out.push(Tok::Str(lit));
                i = j + 1
            }
            b'0'..=b'9' | b'-' | b'+' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'.') {
                    j += 1
                }
                out.push(Tok::Num);
                i = j
            }
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let mut j = i + 1;
                while j < b.len() && (b[j].is_ascii_alphanumeric() || b[j] == b'_' || b[j] == b'-')
                {
                    j += 1
                }
                out.push(Tok::Ident(s[i..j].to_ascii_lowercase()));
                i = j
            }
            _ => return None,
        }
    }
    Some(out)
}

#[derive(Debug, Clone)]
enum Ast {
    Lit,
    Path(Vec<String>),
    Call(String, Vec<Ast>),
    /// A property of something that is not a plain path (`fromJSON(x).a`).
    Member(Box<Ast>),
    /// Boolean results: `!`, comparisons.
    Bool(Vec<Ast>),
    /// `&&` and `||` return one of their operands.
    Either(Box<Ast>, Box<Ast>),
}

struct P {
    toks: Vec<Tok>,
    i: usize,
    depth: usize,
}

impl P {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.i)
    }
    fn next(&mut self) -> Option<Tok> {
        let t = self.toks.get(self.i).cloned();
        self.i += 1;
        t
    }
    fn eat(&mut self, t: &Tok) -> bool {
        if self.peek() == Some(t) {
            self.i += 1;
            true
        } else {
            false
        }
    }
    fn expr(&mut self) -> Option<Ast> {
        self.depth += 1;
        if self.depth > 64 {
            return None;
        }
        let r = self.or();
        self.depth -= 1;
        r
    }
    fn or(&mut self) -> Option<Ast> {
        let mut a = self.and()?;
        while self.eat(&Tok::Or) {
            let b = self.and()?;
            a = Ast::Either(Box::new(a), Box::new(b));
        }
        Some(a)
    }
    fn and(&mut self) -> Option<Ast> {
        let mut a = self.cmp()?;
        while self.eat(&Tok::And) {
            let b = self.cmp()?;
            a = Ast::Either(Box::new(a), Box::new(b));
        }
        Some(a)
    }
    fn cmp(&mut self) -> Option<Ast> {
        let mut a = self.unary()?;
        while self.eat(&Tok::Cmp) {
            let b = self.unary()?;
            a = Ast::Bool(vec![a, b]);
        }
        Some(a)
    }
    fn unary(&mut self) -> Option<Ast> {
        if self.eat(&Tok::Not) {
            self.depth += 1;
            if self.depth > 64 {
                return None;
            }
            let a = self.unary()?;
            self.depth -= 1;
            return Some(Ast::Bool(vec![a]));
        }
        self.postfix()
    }
    fn postfix(&mut self) -> Option<Ast> {
        let mut a = self.primary()?;
        loop {
            if self.eat(&Tok::Dot) {
                let seg = match self.next()? {
                    Tok::Ident(s) => s,
                    Tok::Star => "*".to_string(),
                    _ => return None,
                };
                a = match a {
                    Ast::Path(mut p) => {
                        p.push(seg);
                        Ast::Path(p)
                    }
                    other => Ast::Member(Box::new(other)),
                };
            } else if self.eat(&Tok::LBracket) {
                let index = self.expr()?;
                if !self.eat(&Tok::RBracket) {
                    return None;
                }
                let seg = match &index {
                    Ast::Lit => None,
                    _ => Some("*".to_string()),
                };
                let key = self.toks[..self.i]
                    .iter()
                    .rev()
                    .nth(1)
                    .and_then(|t| match t {
                        Tok::Str(s) => Some(s.to_ascii_lowercase()),
                        _ => None,
                    });
                a = match a {
                    Ast::Path(mut p) => {
                        p.push(key.or(seg).unwrap_or_else(|| "*".into()));
                        Ast::Path(p)
                    }
                    other => Ast::Member(Box::new(other)),
                };
            } else {
                return Some(a);
            }
        }
    }
    fn primary(&mut self) -> Option<Ast> {
        match self.next()? {
            Tok::Num | Tok::Str(_) => Some(Ast::Lit),
            Tok::LParen => {
                let a = self.expr()?;
                self.eat(&Tok::RParen).then_some(a)
            }
            Tok::Ident(name) => {
                if matches!(name.as_str(), "true" | "false" | "null") {
                    return Some(Ast::Lit);
                }
                if self.eat(&Tok::LParen) {
                    let mut args = Vec::new();
                    if !self.eat(&Tok::RParen) {
                        loop {
                            args.push(self.expr()?);
                            if self.eat(&Tok::RParen) {
                                break;
                            }
                            if !self.eat(&Tok::Comma) {
                                return None;
                            }
                        }
                    }
                    Some(Ast::Call(name, args))
                } else {
                    Some(Ast::Path(vec![name]))
                }
            }
            _ => None,
        }
    }
}

fn parse(inner: &str) -> Option<Ast> {
    let toks = lex(inner)?;
    let mut p = P {
        toks,
        i: 0,
        depth: 0,
    };
    let a = p.expr()?;
    (p.i == p.toks.len()).then_some(a)
}

/// Functions whose result never carries their arguments' text.
const OPAQUE_FUNCTIONS: &[&str] = &[
    "contains",
    "startswith",
    "endswith",
    "success",
    "failure",
    "always",
    "cancelled",
    "hashfiles",
];

fn flows(a: &Ast, out: &mut Vec<String>) {
    match a {
        Ast::Lit | Ast::Bool(_) => {}
        Ast::Path(p) => out.push(p.join(".")),
        Ast::Call(name, args) => {
            if !OPAQUE_FUNCTIONS.contains(&name.as_str()) {
                args.iter().for_each(|x| flows(x, out));
            }
        }
        Ast::Member(base) => flows(base, out),
        Ast::Either(x, y) => {
            flows(x, out);
            flows(y, out);
        }
    }
}

fn refs(a: &Ast, out: &mut Vec<String>) {
    match a {
        Ast::Lit => {}
        Ast::Path(p) => out.push(p.join(".")),
        Ast::Call(_, args) | Ast::Bool(args) => args.iter().for_each(|x| refs(x, out)),
        Ast::Member(base) => refs(base, out),
        Ast::Either(x, y) => {
            refs(x, out);
            refs(y, out);
        }
    }
}

/// Context paths in an expression that cannot be parsed: every dotted name.
fn fallback(inner: &str) -> Vec<String> {
    static PATH: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"(?i)\b[a-z_][a-z0-9_-]*(?:\s*(?:\.\s*[a-z0-9_*-]+|\[[^\]]*\]))+")
            .expect("static regex")
    });
    static INDEX: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r"\[\s*'([^']*)'\s*\]|\[[^\]]*\]").expect("static regex")
    });
    PATH.find_iter(inner)
        .map(|m| {
            let norm = INDEX.replace_all(m.as_str(), |c: &regex::Captures| match c.get(1) {
                Some(k) => format!(".{}", k.as_str()),
                None => ".*".into(),
            });
            norm.chars()
                .filter(|c| !c.is_whitespace())
                .collect::<String>()
                .to_ascii_lowercase()
        })
        .collect()
}

/// Context paths (lower case, dotted, `*` for indexes) whose values can
/// reach the text the expression expands to.
pub fn expanding_contexts(inner: &str) -> Vec<String> {
    match parse(inner) {
        Some(a) => {
            let mut out = Vec::new();
            flows(&a, &mut out);
            out
        }
        None => fallback(inner),
    }
}

/// Every context path the expression reads.
pub fn referenced_contexts(inner: &str) -> Vec<String> {
    match parse(inner) {
        Some(a) => {
            let mut out = Vec::new();
            refs(&a, &mut out);
            out
        }
        None => fallback(inner),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_expressions_and_respects_string_literals() {
        let s = "echo ${{ github.sha }} and ${{ format('}}{0}', github.head_ref) }} end";
        let found = find(s);
        assert_eq!(found.len(), 2);
        assert_eq!(found[0].text(s), "${{ github.sha }}");
        assert_eq!(found[1].inner, " format('}}{0}', github.head_ref) ");
        assert_eq!(find("no ${{ end").len(), 1);
        assert!(find("${ {x}}").is_empty());
    }

    #[test]
    fn data_flow_into_the_output() {
        assert_eq!(
            expanding_contexts(" github.event.issue.title "),
            ["github.event.issue.title"]
        );
        assert_eq!(
            expanding_contexts("github.event['pull_request'].head['ref']"),
            ["github.event.pull_request.head.ref"]
        );
        assert_eq!(
            expanding_contexts("github.event.commits[0].message"),
            ["github.event.commits.*.message"]
        );
        assert_eq!(expanding_contexts("toJSON(github.event)"), ["github.event"]);
        assert_eq!(
            expanding_contexts("github.head_ref || 'main'"),
            ["github.head_ref"]
        );
        assert_eq!(
            expanding_contexts("fromJSON(steps.x.outputs.y).name"),
            ["steps.x.outputs.y"]
        );
        assert!(expanding_contexts("contains(github.event.issue.title, 'bug')").is_empty());
        assert!(expanding_contexts("github.event.issue.title == 'x'").is_empty());
        assert!(expanding_contexts("!github.event.pull_request.draft").is_empty());
        assert_eq!(
            referenced_contexts("github.event.issue.title == 'x'"),
            ["github.event.issue.title"]
        );
        // Case does not matter to GitHub.
        assert_eq!(
            expanding_contexts("GitHub.Event.Issue.Title"),
            ["github.event.issue.title"]
        );
        // Unparseable: every dotted name counts.
        assert_eq!(
            expanding_contexts("github.event.issue.title ?? x"),
            ["github.event.issue.title"]
        );
    }

    #[test]
    fn hostile_expressions_do_not_recurse_without_bound() {
        let deep = "(".repeat(10_000) + "github.head_ref" + &")".repeat(10_000);
        assert_eq!(expanding_contexts(&deep), ["github.head_ref"]);
        let nots = "!".repeat(10_000) + "x";
        let _ = expanding_contexts(&nots);
    }
}
