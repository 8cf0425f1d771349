//! Go regex syntax that Rust's `regex` spells differently.

/// Go syntax with a plain Rust equivalent, rewritten:
/// - `\Q...\E` (quote the text between) becomes the escaped literal;
/// - octal escapes (`\101`, `\0`) become `\x{41}`, `\x{0}`;
/// - a `{` that does not open a valid repetition is a literal in Go (gitleaks'
///   own default allowlists rely on it: `{{[^}]+}}`) and becomes `\{`.
///
/// Everything else is left for the regex engine to accept or reject, so
/// unsupported syntax is reported, not guessed at. Hand-written: no crate
/// translates Go's regex syntax to Rust's.
pub(super) fn go_to_rust_syntax(re: &str) -> String {
    let mut out = String::with_capacity(re.len() + 8);
    let mut rest = re;
    while let Some(c) = rest.chars().next() {
        if c == '{' && !opens_repetition(rest) {
            out.push_str("\\{");
            rest = &rest[1..];
            continue;
        }
        if c != '\\' {
            out.push(c);
            rest = &rest[c.len_utf8()..];
            continue;
        }
        let after = &rest[1..];
        rest = match after.chars().next() {
            Some('Q') => {
                let body = &after[1..];
                let (lit, tail) = match body.find("\\E") {
                    Some(j) => (&body[..j], &body[j + 2..]),
                    None => (body, ""),
                };
                out.push_str(&regex::escape(lit));
                tail
            }
            Some(d) if d.is_digit(8) => {
                // Go: `\0` plus up to two octal digits, or `\1`-`\7` plus one
                // or two; a lone `\1` is a backreference, left to be refused.
                let digits = after
                    .bytes()
                    .take(3)
                    .take_while(|b| (b'0'..=b'7').contains(b))
                    .count();
                if d != '0' && digits < 2 {
                    out.push('\\');
                    out.push(d);
                    &after[1..]
                } else {
                    let code = u32::from_str_radix(&after[..digits], 8).unwrap_or(0);
                    out.push_str(&format!("\\x{{{code:X}}}"));
                    &after[digits..]
                }
            }
            Some('p' | 'P' | 'x') if after[1..].starts_with('{') => {
                // `\p{Greek}`, `\x{41}`: the braces belong to the escape.
                let end = after.find('}').map_or(after.len(), |j| j + 1);
                out.push('\\');
                out.push_str(&after[..end]);
                &after[end..]
            }
            Some(d) => {
                out.push('\\');
                out.push(d);
                &after[d.len_utf8()..]
            }
            None => {
                out.push('\\');
                after
            }
        };
    }
    out
}

/// Whether `s` (starting with `{`) is a repetition Go parses: `{n}`,
/// `{n,}` or `{n,m}`.
fn opens_repetition(s: &str) -> bool {
    let Some(end) = s.find('}') else {
        return false;
    };
    let inner = &s[1..end];
    let (lo, hi) = match inner.split_once(',') {
        Some((lo, hi)) => (lo, hi),
        None => (inner, ""),
    };
    let digits = |t: &str| t.bytes().all(|b| b.is_ascii_digit());
    !lo.is_empty() && digits(lo) && digits(hi)
}

/// regex errors are multi-line ASCII art; keep the last meaningful line.
pub(super) fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(msg)
        .to_string()
}
