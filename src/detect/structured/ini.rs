//! Key-value pairs in line-oriented configs: INI and `.cfg` / `.conf` /
//! `.cnf` files (`[section]`, `key = value`, `key: value`, `key value`),
//! Java `.properties`, `.env` files (`export KEY=value`) and TOML
//! (`[table]`, `[[array]]`, dotted and quoted keys, inline tables, arrays of
//! strings, multi-line strings skipped). The key path is `section.key`.

use std::ops::Range;

use super::Sink;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    Ini,
    /// `.properties` and `.conf`: `key value` is an entry too.
    Spaced,
    Env,
    Toml,
}

pub fn extract(data: &[u8], dialect: Dialect, sink: &mut dyn Sink) {
    let mut section: Vec<Range<usize>> = Vec::new();
    let mut pos = 0;
    let mut in_multi: Option<&[u8]> = None;
    while pos < data.len() {
        let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |p| pos + p);
        let ls = pos;
        pos = end + 1;
        let line = &data[ls..end];
        if let Some(close) = in_multi {
            if memchr::memmem::find(line, close).is_some() {
                in_multi = None;
            }
            continue;
        }
        let lead = line.len() - line.trim_ascii_start().len();
        let s = line.trim_ascii();
        if s.is_empty() || matches!(s[0], b'#' | b';' | b'!') || s.starts_with(b"//") {
            continue;
        }
        let at = ls + lead;
        if s[0] == b'[' {
            let off = s.iter().take_while(|&&b| b == b'[').count();
            let close = s.len() - s.iter().rev().take_while(|&&b| b == b']').count();
            let inner = if close > off {
                &s[off..close]
            } else {
                &s[off..off]
            };
            if !inner.is_empty() && !inner.contains(&b'=') && close < s.len() {
                section.clear();
                let t = trim_quotes(inner);
                let q = usize::from(t.len() < inner.trim_ascii().len())
                    + (inner.len() - inner.trim_ascii_start().len());
                let start = at + off + q;
                section.push(start..start + t.len());
                continue;
            }
        }
        let mut s = s;
        let mut at = at;
        if dialect == Dialect::Env || dialect == Dialect::Ini {
            if let Some(rest) = s.strip_prefix(b"export ") {
                let l = rest.len() - rest.trim_ascii_start().len();
                at += 7 + l;
                s = rest.trim_ascii_start();
            }
        }
        let Some((k, vstart)) = split_entry(s, dialect) else {
            continue;
        };
        let key = trim_quotes_span(s, k);
        let key_span = at + key.start..at + key.end;
        let raw = &s[vstart..];
        let vl = raw.len() - raw.trim_ascii_start().len();
        let vabs = at + vstart + vl;
        let v = raw.trim_ascii();
        if v.is_empty() {
            continue;
        }
        if dialect == Dialect::Toml {
            if v.starts_with(b"\"\"\"") || v.starts_with(b"'''") {
                let q = &v[..3];
                if memchr::memmem::find(&v[3..], q).is_none() {
                    in_multi = Some(if q[0] == b'"' { b"\"\"\"" } else { b"'''" });
                }
                continue;
            }
            if v[0] == b'{' || v[0] == b'[' {
                inline(v, vabs, key_span, &section, sink);
                continue;
            }
        }
        if let Some((r, quoted)) = value(v, dialect) {
            sink.pair(key_span, vabs + r.start..vabs + r.end, quoted, &section);
        }
    }
}

fn trim_quotes(s: &[u8]) -> &[u8] {
    let s = s.trim_ascii();
    if s.len() >= 2 && (s[0] == b'"' || s[0] == b'\'') && s[s.len() - 1] == s[0] {
        &s[1..s.len() - 1]
    } else {
        s
    }
}

fn trim_quotes_span(s: &[u8], k: Range<usize>) -> Range<usize> {
    let key = &s[k.clone()];
    let t = key.trim_ascii();
    let start = k.start + (key.len() - key.trim_ascii_start().len());
    if t.len() >= 2 && (t[0] == b'"' || t[0] == b'\'') && t[t.len() - 1] == t[0] {
        start + 1..start + t.len() - 1
    } else {
        start..start + t.len()
    }
}

/// The key's span and where the value starts.
fn split_entry(s: &[u8], dialect: Dialect) -> Option<(Range<usize>, usize)> {
    let mut quote: Option<u8> = None;
    for (i, &b) in s.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => continue,
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b'=' => return Some((0..i, i + 1)),
            None if b == b':' && matches!(dialect, Dialect::Ini | Dialect::Spaced) => {
                return Some((0..i, i + 1))
            }
            None if (b == b' ' || b == b'\t') && dialect == Dialect::Spaced => {
                // `key value`, unless a separator follows the spaces.
                let rest = s[i..].trim_ascii_start();
                if rest.first().is_some_and(|c| *c == b'=' || *c == b':') {
                    let off = s.len() - rest.len();
                    return Some((0..i, off + 1));
                }
                if !s[..i]
                    .iter()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-'))
                {
                    return None;
                }
                return Some((0..i, i));
            }
            None if !(b.is_ascii_alphanumeric()
                || matches!(
                    b,
                    b'_' | b'.'
                        | b'-'
                        | b' '
                        | b'\t'
                        | b'"'
                        | b'\''
                        | b'$'
                        | b'@'
                        | b'/'
                        | b'['
                        | b']'
                )) =>
            {
                return None
            }
            None => {}
        }
    }
    None
}

/// The value's span within `v` (trimmed) and whether it was quoted.
fn value(v: &[u8], dialect: Dialect) -> Option<(Range<usize>, bool)> {
    match v[0] {
        q @ (b'"' | b'\'') => {
            let mut i = 1;
            while i < v.len() {
                if v[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if v[i] == q {
                    return Some((1..i, true));
                }
                i += 1;
            }
            None
        }
        _ if dialect == Dialect::Toml => None,
        _ => {
            // An inline comment needs a space before it.
            let end = v
                .windows(2)
                .position(|w| {
                    w == b" #"
                        || w == b"\t#"
                        || (dialect == Dialect::Ini && (w == b" ;" || w == b"\t;"))
                })
                .unwrap_or(v.len());
            let t = v[..end].trim_ascii_end();
            let t = t.strip_suffix(b"\\").unwrap_or(t);
            Some((0..t.len(), false))
        }
    }
}

/// TOML inline tables (`{ user = "a", password = "b" }`) and arrays of
/// strings under the key.
fn inline(v: &[u8], at: usize, key: Range<usize>, section: &[Range<usize>], sink: &mut dyn Sink) {
    let table = v[0] == b'{';
    let mut under = section.to_vec();
    if table {
        under.push(key.clone());
    }
    let mut i = 1;
    while i < v.len() {
        // Next item up to a comma outside quotes.
        let mut j = i;
        let mut quote: Option<u8> = None;
        while j < v.len() {
            let b = v[j];
            match quote {
                Some(q) if b == q => quote = None,
                Some(_) if b == b'\\' => j += 1,
                Some(_) => {}
                None if b == b'"' || b == b'\'' => quote = Some(b),
                None if b == b',' || b == b'}' || b == b']' => break,
                None => {}
            }
            j += 1;
        }
        let item = &v[i..j.min(v.len())];
        let lead = item.len() - item.trim_ascii_start().len();
        let it = item.trim_ascii();
        let base = at + i + lead;
        if !it.is_empty() {
            if table {
                if let Some((k, vs)) = split_entry(it, Dialect::Toml) {
                    let ks = trim_quotes_span(it, k);
                    let raw = &it[vs..];
                    let vl = raw.len() - raw.trim_ascii_start().len();
                    let val = raw.trim_ascii();
                    if !val.is_empty() {
                        if let Some((r, q)) = value(val, Dialect::Toml) {
                            let vabs = base + vs + vl;
                            sink.pair(
                                base + ks.start..base + ks.end,
                                vabs + r.start..vabs + r.end,
                                q,
                                &under,
                            );
                        }
                    }
                }
            } else if let Some((r, q)) = value(it, Dialect::Toml) {
                sink.pair(key.clone(), base + r.start..base + r.end, q, &under);
            }
        }
        i = j + 1;
    }
}
