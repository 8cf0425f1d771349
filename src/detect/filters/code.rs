//! Look-alikes that are code or public by design, recognised in any file
//! type: code is pasted into READMEs, templates and text files, where the
//! file extension says nothing. Split from `filters.rs` to keep it short.

use super::{find, is_ident_byte, is_identifier};

/// `a::B`, `std::env::VarError`, `input.parse::` (a turbofish cut at `<`):
/// identifiers joined by `::`, the path separator of Rust, C++, PHP and
/// Ruby. No configuration syntax writes a literal so, so this holds in any
/// file type (code is pasted into READMEs, templates and text files).
pub(super) fn is_scoped_path(s: &str) -> bool {
    if !s.contains("::") {
        return false;
    }
    let s = s.strip_suffix("::").unwrap_or(s);
    s.split("::")
        .flat_map(|seg| seg.split('.'))
        .all(is_identifier)
}

/// Keywords that open a declaration in which `name: Type` annotates a type
/// (Rust, TypeScript, Kotlin, Swift, Scala).
const DECLARATION_WORDS: &[&str] = &[
    "pub",
    "let",
    "mut",
    "const",
    "static",
    "val",
    "var",
    "readonly",
    "private",
    "public",
    "protected",
    "internal",
    "declare",
    "lateinit",
    "final",
    "override",
];

/// `fn new(private_key: PrivateKey) -> Self`, `pub signing_key: OsString,`,
/// `constructor(private readonly apiKey: ApiKey)`: the value after a
/// single `:` is a type when the key is declared (after `(`, `,` or a
/// declaration keyword) and the value is an unquoted CamelCase identifier
/// that ends the declaration. A YAML `password: Tr0ub4dor` has no such
/// opener before its key, so it stays a literal.
pub(super) fn is_declared_type(secret: &str, matched: &[u8], line: &[u8]) -> bool {
    let head_len = secret
        .bytes()
        .position(|b| !is_ident_byte(b))
        .unwrap_or(secret.len());
    let (head, rest) = secret.split_at(head_len);
    let camel = head.starts_with(|c: char| c.is_ascii_uppercase())
        && head.bytes().any(|b| b.is_ascii_lowercase());
    if !camel || !rest.bytes().all(|b| matches!(b, b')' | b']' | b'{')) {
        return false;
    }
    // The match is `[boundary]key <sep> value`, ending with the secret.
    let Some(before_secret) = matched.len().checked_sub(secret.len()) else {
        return false;
    };
    let lead = usize::from(
        matched
            .first()
            .is_some_and(|&b| !(is_ident_byte(b) || matches!(b, b'.' | b'-'))),
    );
    let key_and_sep = &matched[lead.min(before_secret)..before_secret];
    let key_len = key_and_sep
        .iter()
        .position(|&b| !(is_ident_byte(b) || matches!(b, b'.' | b'-')))
        .unwrap_or(key_and_sep.len());
    let sep = key_and_sep[key_len..].trim_ascii();
    if sep != b":" {
        return false;
    }
    let Some(at) = find(line, matched) else {
        return false;
    };
    // What follows the type: the end of the declaration.
    let after = line[at + matched.len()..].trim_ascii_start();
    if !(after.is_empty() || matches!(after[0], b',' | b';' | b')' | b'=' | b'{' | b'-' | b'<')) {
        return false;
    }
    let opener = line[..at + lead].trim_ascii_end();
    if matches!(opener.last(), Some(b'(' | b',')) {
        return true;
    }
    // `pub(crate) key: T`
    if opener.ends_with(b")") && opener.windows(4).any(|w| w == b"pub(") {
        return true;
    }
    let word_start = opener
        .iter()
        .rposition(|&b| !is_ident_byte(b))
        .map_or(0, |p| p + 1);
    std::str::from_utf8(&opener[word_start..]).is_ok_and(|w| DECLARATION_WORDS.contains(&w))
}

/// Hosts and paths of README badges: `.../graph/badge.svg?token=...`. A
/// token in the query of an image URL is a read-only token made to be
/// published (Codecov's graph token, SonarCloud's badge token).
pub(super) fn is_badge_token(secret: &str, line: &[u8]) -> bool {
    let Some(at) = find(line, secret.as_bytes()) else {
        return false;
    };
    let before = &line[..at];
    // The secret is a query parameter's value ...
    let Some(q) = before.iter().rposition(|&b| matches!(b, b'?' | b'&')) else {
        return false;
    };
    let param = &before[q + 1..];
    if !param.ends_with(b"=")
        || !param[..param.len() - 1]
            .iter()
            .all(|&b| is_ident_byte(b) || b == b'-')
    {
        return false;
    }
    // ... of a URL, with no space between its scheme and the query ...
    let url_start = before[..q]
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || matches!(b, b'(' | b'"' | b'\'' | b'<'))
        .map_or(0, |p| p + 1);
    let url = &before[url_start..q];
    let Some(scheme_end) = find(url, b"://") else {
        return false;
    };
    let path = &url[scheme_end + 3..];
    let path = path
        .split(|&b| b == b'?')
        .next()
        .unwrap_or(path)
        .to_ascii_lowercase();
    // ... that names an image or a badge.
    [".svg", ".png", ".gif"]
        .iter()
        .any(|e| path.ends_with(e.as_bytes()))
        || path
            .split(|&b| b == b'/')
            .any(|seg| find(seg, b"badge").is_some())
}
