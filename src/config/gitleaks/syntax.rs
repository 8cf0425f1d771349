//! Go regex syntax that Rust's `regex` spells differently.

/// Go's `\Q...\E` (quote the text between) is not in Rust's syntax: it
/// becomes the escaped literal. Everything else is left for the regex
/// engine to accept or reject, so unsupported syntax is reported, not
/// guessed at.
pub(super) fn go_quoted_literals(re: &str) -> String {
    if !re.contains("\\Q") {
        return re.to_string();
    }
    let mut out = String::with_capacity(re.len());
    let mut rest = re;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let after = &rest[i + 1..];
        match after.chars().next() {
            Some('Q') => {
                let body = &after[1..];
                let (lit, tail) = match body.find("\\E") {
                    Some(j) => (&body[..j], &body[j + 2..]),
                    None => (body, ""),
                };
                out.push_str(&regex::escape(lit));
                rest = tail;
            }
            Some(c) => {
                out.push('\\');
                out.push(c);
                rest = &after[c.len_utf8()..];
            }
            None => {
                out.push('\\');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// regex errors are multi-line ASCII art; keep the last meaningful line.
pub(super) fn one_line(msg: &str) -> String {
    msg.lines()
        .map(str::trim)
        .rfind(|l| !l.is_empty())
        .unwrap_or(msg)
        .to_string()
}
