//! A tolerant tokeniser for source code and JSON: identifiers, string
//! literals (with their inner span), numbers and punctuation, comments
//! skipped. Hand-written because the point is to survive any input (half
//! a file, a template, the wrong language behind an extension): it never
//! fails, an unterminated string ends at its line, and unknown bytes are
//! punctuation. One tokeniser serves every language, with a [`Lang`]
//! saying which comment and quote syntaxes apply.

use std::ops::Range;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    Python,
    Js,
    Go,
    Java,
    Kotlin,
    CSharp,
    Php,
    Ruby,
    Rust,
    Hcl,
    Json,
}

impl Lang {
    fn hash_comments(self) -> bool {
        matches!(self, Lang::Python | Lang::Ruby | Lang::Php | Lang::Hcl)
    }
    fn slash_comments(self) -> bool {
        !matches!(self, Lang::Python | Lang::Ruby)
    }
    fn triple_quotes(self) -> bool {
        matches!(
            self,
            Lang::Python | Lang::Java | Lang::Kotlin | Lang::CSharp
        )
    }
    /// `'x'` is a char literal (a string here only when it closes soon).
    fn char_quotes(self) -> bool {
        matches!(
            self,
            Lang::Go | Lang::Java | Lang::Kotlin | Lang::CSharp | Lang::Rust
        )
    }
    fn backtick_strings(self) -> bool {
        matches!(self, Lang::Js | Lang::Go)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Ident,
    /// A string literal; the token's span is its content (inside quotes).
    Str,
    Num,
    /// Punctuation: one byte, or two for `==`, `=>`, `::`, `:=`, `->`, ...
    Punct([u8; 2]),
}

#[derive(Debug, Clone, Copy)]
pub struct Token {
    pub kind: Kind,
    pub start: u32,
    pub end: u32,
    /// For strings: interpolation (`f"{x}"`, `` `${x}` ``, `"#{x}"`,
    /// `"$x"` where the language expands it) makes it a template.
    pub template: bool,
}

impl Token {
    pub fn span(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
    pub fn is_punct(&self, p: &[u8]) -> bool {
        match self.kind {
            Kind::Punct(b) => {
                if p.len() == 1 {
                    b[0] == p[0] && b[1] == 0
                } else {
                    p.len() == 2 && b == [p[0], p[1]]
                }
            }
            _ => false,
        }
    }
}

const TWO: &[[u8; 2]] = &[
    *b"==", *b"=>", *b"::", *b":=", *b"->", *b"!=", *b"<=", *b">=", *b"||", *b"&&", *b"??", *b"?.",
    *b"+=", *b"-=", *b"=~", *b"..", *b"<<",
];

fn ident_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

fn ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80
}

/// Tokenise `data` into `out` (cleared first).
pub fn tokenize(data: &[u8], lang: Lang, out: &mut Vec<Token>) {
    out.clear();
    let n = data.len().min(u32::MAX as usize);
    let mut i = 0;
    let tok = |kind, s: usize, e: usize, template| Token {
        kind,
        start: s as u32,
        end: e as u32,
        template,
    };
    while i < n {
        let b = data[i];
        if b.is_ascii_whitespace() {
            i += 1;
            continue;
        }
        // Comments.
        if lang.slash_comments() && b == b'/' && i + 1 < n {
            if data[i + 1] == b'/' {
                i = line_end(data, i, n);
                continue;
            }
            if data[i + 1] == b'*' {
                i = find(data, i + 2, n, b"*/").map_or(n, |p| p + 2);
                continue;
            }
        }
        if b == b'#' && lang.hash_comments() {
            // Ruby `#{` outside strings does not occur; PHP 8 attributes `#[`.
            if !(lang == Lang::Php && data.get(i + 1) == Some(&b'[')) {
                i = line_end(data, i, n);
                continue;
            }
        }
        if lang == Lang::Python && b == b'#' {
            i = line_end(data, i, n);
            continue;
        }
        // Strings, with the prefixes that change them.
        if b == b'"' || b == b'\'' || (b == b'`' && lang.backtick_strings()) {
            i = string(data, i, n, lang, b"", out);
            continue;
        }
        if ident_start(b)
            || (b == b'$' && matches!(lang, Lang::Php))
            || (b == b'@' && lang == Lang::CSharp && data.get(i + 1) == Some(&b'"'))
        {
            let s = i;
            i += 1;
            while i < n && ident_byte(data[i]) {
                i += 1;
            }
            // A string prefix: `r"`, `b'`, `f"`, `rb"`, `r#"`, `@"`, `$"`.
            if i < n && i - s <= 3 && (data[i] == b'"' || data[i] == b'\'' || data[i] == b'#') {
                let prefix = &data[s..i];
                if is_string_prefix(prefix, lang) {
                    if data[i] == b'#' {
                        if lang == Lang::Rust && prefix.contains(&b'r') {
                            i = rust_raw(data, s, i, n, out);
                            continue;
                        }
                    } else {
                        i = string(data, i, n, lang, prefix, out);
                        continue;
                    }
                }
            }
            // Ruby symbols `:name` are handled by the caller as `:` + ident.
            out.push(tok(Kind::Ident, s, i, false));
            continue;
        }
        if b == b'$' && lang == Lang::CSharp && data.get(i + 1) == Some(&b'"') {
            i = string(data, i + 1, n, lang, b"$", out);
            continue;
        }
        if b.is_ascii_digit() {
            let s = i;
            while i < n && (data[i].is_ascii_alphanumeric() || data[i] == b'.' || data[i] == b'_') {
                i += 1;
            }
            out.push(tok(Kind::Num, s, i, false));
            continue;
        }
        if i + 1 < n && TWO.contains(&[b, data[i + 1]]) {
            out.push(tok(Kind::Punct([b, data[i + 1]]), i, i + 2, false));
            i += 2;
            continue;
        }
        out.push(tok(Kind::Punct([b, 0]), i, i + 1, false));
        i += 1;
    }
}

fn is_string_prefix(p: &[u8], lang: Lang) -> bool {
    let lower: Vec<u8> = p.iter().map(u8::to_ascii_lowercase).collect();
    match lang {
        Lang::Python => lower.iter().all(|c| matches!(c, b'r' | b'b' | b'f' | b'u')),
        Lang::Rust => matches!(lower.as_slice(), b"r" | b"b" | b"br" | b"c" | b"cr"),
        Lang::CSharp => matches!(p, b"@" | b"$" | b"$@" | b"@$"),
        Lang::Go | Lang::Java | Lang::Kotlin | Lang::Js => false,
        _ => false,
    }
}

fn line_end(data: &[u8], i: usize, n: usize) -> usize {
    memchr::memchr(b'\n', &data[i..n]).map_or(n, |p| i + p)
}

fn find(data: &[u8], from: usize, n: usize, needle: &[u8]) -> Option<usize> {
    if from >= n {
        return None;
    }
    memchr::memmem::find(&data[from..n], needle).map(|p| from + p)
}

/// A string starting at the quote `data[q]`; pushes its token and returns
/// the index after it.
fn string(
    data: &[u8],
    q: usize,
    n: usize,
    lang: Lang,
    prefix: &[u8],
    out: &mut Vec<Token>,
) -> usize {
    let quote = data[q];
    let push = |out: &mut Vec<Token>, s: usize, e: usize, template: bool| {
        out.push(Token {
            kind: Kind::Str,
            start: s as u32,
            end: e as u32,
            template,
        })
    };
    let lower_prefix: Vec<u8> = prefix.iter().map(u8::to_ascii_lowercase).collect();
    let raw = lower_prefix.contains(&b'r')
        || prefix.contains(&b'@')
        || (quote == b'`' && lang == Lang::Go);
    // Triple-quoted strings: docstrings and text blocks.
    if lang.triple_quotes()
        && (quote == b'"' || (quote == b'\'' && lang == Lang::Python))
        && data.get(q + 1) == Some(&quote)
        && data.get(q + 2) == Some(&quote)
    {
        let close = [quote; 3];
        let s = q + 3;
        let e = find(data, s, n, &close).unwrap_or(n);
        push(
            out,
            s,
            e,
            lower_prefix.contains(&b'f') || prefix.contains(&b'$'),
        );
        return (e + 3).min(n);
    }
    if quote == b'\'' && lang.char_quotes() {
        // A char literal closes within a few bytes; else (a Rust lifetime,
        // an apostrophe in a macro) it is punctuation.
        let close = (q + 1..(q + 12).min(n))
            .find(|&k| data[k] == b'\'' && data[k - 1] != b'\\' || data[k] == b'\n');
        match close {
            Some(k) if data[k] == b'\'' && k > q + 1 && (k - q <= 3 || data[q + 1] == b'\\') => {
                push(out, q + 1, k, false);
                return k + 1;
            }
            _ => {
                out.push(Token {
                    kind: Kind::Punct([b'\'', 0]),
                    start: q as u32,
                    end: q as u32 + 1,
                    template: false,
                });
                return q + 1;
            }
        }
    }
    let multiline = quote == b'`'
        || lang == Lang::Ruby
        || lang == Lang::Php
        || lang == Lang::Go && quote == b'`';
    let s = q + 1;
    let mut i = s;
    let mut template = false;
    while i < n {
        let c = data[i];
        if c == b'\\' && !raw {
            i += 2;
            continue;
        }
        if c == quote {
            if prefix.contains(&b'@') && data.get(i + 1) == Some(&quote) {
                i += 2;
                continue;
            }
            break;
        }
        if c == b'\n' && !multiline {
            break;
        }
        match c {
            b'{' if lower_prefix.contains(&b'f') || prefix.contains(&b'$') => template = true,
            b'$' if data.get(i + 1) == Some(&b'{')
                && (quote == b'`' || matches!(lang, Lang::Kotlin | Lang::Php | Lang::Hcl)) =>
            {
                template = true
            }
            b'#' if data.get(i + 1) == Some(&b'{') && lang == Lang::Ruby && quote == b'"' => {
                template = true
            }
            b'$' if quote == b'"'
                && matches!(lang, Lang::Php | Lang::Kotlin)
                && data
                    .get(i + 1)
                    .is_some_and(|&d| ident_start(d) || d == b'{') =>
            {
                template = true
            }
            _ => {}
        }
        i += 1;
    }
    let e = i.min(n);
    let closed = i < n && data[i] == quote;
    // An unterminated string (an apostrophe in prose, a cut file) is
    // marked a template so that it is never taken as a value.
    push(out, s, e, template || !closed);
    if closed {
        i + 1
    } else {
        i
    }
}

/// Rust `r#"..."#` (any number of `#`).
fn rust_raw(data: &[u8], s: usize, mut i: usize, n: usize, out: &mut Vec<Token>) -> usize {
    let mut hashes = 0;
    while i < n && data[i] == b'#' {
        hashes += 1;
        i += 1;
    }
    if i >= n || data[i] != b'"' {
        out.push(Token {
            kind: Kind::Ident,
            start: s as u32,
            end: i as u32,
            template: false,
        });
        return i;
    }
    let cs = i + 1;
    let mut close = vec![b'"'];
    close.extend(std::iter::repeat_n(b'#', hashes));
    let e = find(data, cs, n, &close).unwrap_or(n);
    out.push(Token {
        kind: Kind::Str,
        start: cs as u32,
        end: e as u32,
        template: false,
    });
    (e + close.len()).min(n)
}
