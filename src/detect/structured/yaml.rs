//! Key-value pairs in YAML, line by line: block mappings by indentation,
//! list items (`- value` under a key, `- KEY=value` as docker-compose
//! writes environments, `- name: X` / `value: Y` pairs as Kubernetes does),
//! quoted and plain scalars, one-line flow collections, block scalars
//! skipped, tags (`!Ref`, `!secret`, `!vault`) and aliases taken as
//! references. Hand-written rather than a YAML parser: Helm and Jinja
//! templates, which are not YAML until rendered, are among the files that
//! hold credentials, and a line-based reader keeps its footing in them
//! where a parser stops at the first `{{`; byte positions come for free.

use std::ops::Range;

use super::Sink;

struct Level {
    indent: usize,
    key: Range<usize>,
}

/// The mapping that `name:` / `value:` keys pair up in.
struct NameValue {
    col: usize,
    item: usize,
    name: Option<Range<usize>>,
    value: Option<Range<usize>>,
}

pub fn extract(data: &[u8], sink: &mut dyn Sink) {
    let mut stack: Vec<Level> = Vec::new();
    let mut parents: Vec<Range<usize>> = Vec::new();
    let mut block: Option<usize> = None;
    let mut items = 0usize;
    let mut nv: Option<NameValue> = None;
    let mut pos = 0;
    while pos < data.len() {
        let end = memchr::memchr(b'\n', &data[pos..]).map_or(data.len(), |p| pos + p);
        let line_start = pos;
        pos = end + 1;
        let mut line_end = end;
        if line_end > line_start && data[line_end - 1] == b'\r' {
            line_end -= 1;
        }
        let line = &data[line_start..line_end];
        let indent = line.iter().take_while(|&&b| b == b' ').count();
        let rest = &line[indent..];
        if let Some(b) = block {
            if rest.is_empty() || indent > b {
                continue;
            }
            block = None;
        }
        if rest.is_empty() || rest[0] == b'#' || rest.iter().all(|b| b.is_ascii_whitespace()) {
            continue;
        }
        if indent == 0 && (rest.starts_with(b"---") || rest.starts_with(b"...")) {
            stack.clear();
            nv = None;
            continue;
        }
        // List items: `- x`, `- - x`.
        let mut col = indent;
        let mut dash: Option<usize> = None;
        while col < line.len()
            && line[col] == b'-'
            && (col + 1 == line.len() || line[col + 1] == b' ')
        {
            dash.get_or_insert(col);
            col += 1;
            while col < line.len() && line[col] == b' ' {
                col += 1;
            }
        }
        if let Some(d) = dash {
            items += 1;
            while stack.last().is_some_and(|l| l.indent > d) {
                stack.pop();
            }
        }
        if col >= line.len() {
            continue;
        }
        let abs = line_start + col;
        let content = &line[col..];
        let key = parse_key(content);
        parents.clear();
        match key {
            Some((k, after)) => {
                if dash.is_none() {
                    while stack.last().is_some_and(|l| l.indent >= col) {
                        stack.pop();
                    }
                }
                parents.extend(stack.iter().map(|l| l.key.clone()));
                let key_span = abs + k.start..abs + k.end;
                let vstart = after;
                let value = &content[vstart..];
                let lead = value
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                let vabs = abs + vstart + lead;
                let value = &value[lead..];
                if value.is_empty() || value[0] == b'#' {
                    stack.push(Level {
                        indent: col,
                        key: key_span,
                    });
                    continue;
                }
                match scalar(value) {
                    Scalar::Block => {
                        block = Some(col);
                    }
                    Scalar::Anchor => stack.push(Level {
                        indent: col,
                        key: key_span,
                    }),
                    Scalar::Flow => flow(data, vabs, value, &key_span, &parents, sink),
                    Scalar::Value(r, quoted) => {
                        let v = vabs + r.start..vabs + r.end;
                        // `name: DB_PASSWORD` / `value: ...` in one mapping.
                        let kname = data[key_span.clone()].to_ascii_lowercase();
                        let fresh = nv.as_ref().is_none_or(|m| m.col != col || m.item != items);
                        if fresh {
                            nv = Some(NameValue {
                                col,
                                item: items,
                                name: None,
                                value: None,
                            });
                        }
                        if let Some(m) = nv.as_mut() {
                            if matches!(kname.as_slice(), b"name" | b"key" | b"parameterkey") {
                                m.name = Some(v.clone());
                            } else if matches!(kname.as_slice(), b"value" | b"parametervalue") {
                                m.value = Some(v.clone());
                            }
                            if let (Some(n), Some(val)) = (m.name.clone(), m.value.clone()) {
                                sink.pair(n, val, true, &parents);
                                m.name = None;
                                m.value = None;
                            }
                        }
                        sink.pair(key_span, v, quoted, &parents);
                    }
                    Scalar::Other => {}
                }
            }
            None => {
                // A scalar list item: under the key above, or `KEY=value`.
                if dash.is_none() {
                    continue;
                }
                parents.extend(stack.iter().map(|l| l.key.clone()));
                if let Some(eq) = env_item(content) {
                    let key_span = abs + eq.0.start..abs + eq.0.end;
                    let v = abs + eq.1.start..abs + eq.1.end;
                    sink.pair(key_span, v, eq.2, &parents);
                    continue;
                }
                let Some(parent) = parents.pop() else {
                    continue;
                };
                if let Scalar::Value(r, quoted) = scalar(content) {
                    sink.pair(parent, abs + r.start..abs + r.end, quoted, &parents);
                }
            }
        }
    }
}

/// A mapping key at the start of `s`: its span and where its value starts
/// (after the `:`).
fn parse_key(s: &[u8]) -> Option<(Range<usize>, usize)> {
    match s.first()? {
        q @ (b'"' | b'\'') => {
            let close = s[1..].iter().position(|b| b == q)? + 1;
            let mut i = close + 1;
            while i < s.len() && s[i] == b' ' {
                i += 1;
            }
            if s.get(i) == Some(&b':') && s.get(i + 1).is_none_or(|b| *b == b' ' || *b == b'\t') {
                Some((1..close, i + 1))
            } else {
                None
            }
        }
        b'{' | b'[' | b'&' | b'*' | b'!' | b'|' | b'>' | b'%' | b'@' | b'`' | b'#' => None,
        _ => {
            let mut i = 0;
            while i < s.len() {
                if s[i] == b':' && (i + 1 == s.len() || s[i + 1] == b' ' || s[i + 1] == b'\t') {
                    let key = s[..i].trim_ascii_end();
                    if key.is_empty() || key.contains(&b'#') && key.windows(2).any(|w| w == b" #") {
                        return None;
                    }
                    return Some((0..key.len(), i + 1));
                }
                if s[i] == b' ' && s.get(i + 1) == Some(&b'#') {
                    return None;
                }
                i += 1;
            }
            None
        }
    }
}

enum Scalar {
    Value(Range<usize>, bool),
    Block,
    Anchor,
    Flow,
    Other,
}

fn scalar(v: &[u8]) -> Scalar {
    let mut v0 = 0;
    // `!!str x`: still a literal; any other tag is a function of its own.
    if v.starts_with(b"!!str ") {
        v0 = 6;
    } else if v.first() == Some(&b'!') || v.first() == Some(&b'*') {
        return Scalar::Other;
    }
    if v.get(v0) == Some(&b'&') {
        let sp = v[v0..].iter().position(|&b| b == b' ');
        match sp {
            None => return Scalar::Anchor,
            Some(p) => {
                v0 += p;
                while v.get(v0) == Some(&b' ') {
                    v0 += 1;
                }
                if v0 >= v.len() || v[v0] == b'#' {
                    return Scalar::Anchor;
                }
            }
        }
    }
    let s = &v[v0..];
    match s.first() {
        None => Scalar::Other,
        Some(b'|' | b'>') => Scalar::Block,
        Some(b'{' | b'[') => Scalar::Flow,
        Some(&q @ (b'"' | b'\'')) => {
            let mut i = 1;
            while i < s.len() {
                if s[i] == b'\\' && q == b'"' {
                    i += 2;
                    continue;
                }
                if s[i] == q {
                    if q == b'\'' && s.get(i + 1) == Some(&b'\'') {
                        i += 2;
                        continue;
                    }
                    return Scalar::Value(v0 + 1..v0 + i, true);
                }
                i += 1;
            }
            // Runs onto the next line: not judged.
            Scalar::Other
        }
        Some(_) => {
            let end = s
                .windows(2)
                .position(|w| w == b" #" || w == b"\t#")
                .unwrap_or(s.len());
            let t = s[..end].trim_ascii_end();
            Scalar::Value(v0..v0 + t.len(), false)
        }
    }
}

/// `- KEY=value` (docker-compose `environment` lists).
fn env_item(s: &[u8]) -> Option<(Range<usize>, Range<usize>, bool)> {
    let (q, body) = match s.first()? {
        b'"' | b'\'' => (1, &s[1..]),
        _ => (0, s),
    };
    let eq = body.iter().position(|&b| b == b'=')?;
    let key = &body[..eq];
    if key.is_empty()
        || !key
            .iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
    {
        return None;
    }
    let mut vend = body.len();
    if q == 1 {
        vend = body
            .iter()
            .rposition(|&b| b == s[0])
            .filter(|&p| p > eq)
            .unwrap_or(body.len());
    } else if let Some(p) = body.windows(2).position(|w| w == b" #") {
        vend = p;
    }
    let val = &body[eq + 1..vend];
    let val_t = val.trim_ascii();
    let lead = val.len() - val.trim_ascii_start().len();
    let vs = q + eq + 1 + lead;
    Some((q..q + eq, vs..vs + val_t.len(), q == 1))
}

/// A one-line flow collection after `key:`: `[a, b]` items are values of
/// the key, `{k: v, ...}` entries pairs under it.
fn flow(
    data: &[u8],
    at: usize,
    v: &[u8],
    key: &Range<usize>,
    parents: &[Range<usize>],
    sink: &mut dyn Sink,
) {
    let Some(close) = v.iter().rposition(|&b| b == b']' || b == b'}') else {
        return;
    };
    let mapping = v[0] == b'{';
    let inner = &v[1..close];
    let mut under: Vec<Range<usize>> = parents.to_vec();
    if mapping {
        under.push(key.clone());
    }
    let mut i = 0;
    while i <= inner.len() {
        let end = next_comma(inner, i);
        let item = &inner[i..end];
        let lead = item.len() - item.trim_ascii_start().len();
        let item_t = item.trim_ascii();
        let base = at + 1 + i + lead;
        if !item_t.is_empty() {
            if mapping {
                if let Some((k, after)) = parse_key(item_t) {
                    let val = &item_t[after..];
                    let vlead = val.len() - val.trim_ascii_start().len();
                    if let Scalar::Value(r, q) = scalar(val.trim_ascii()) {
                        let vs = base + after + vlead;
                        sink.pair(
                            base + k.start..base + k.end,
                            vs + r.start..vs + r.end,
                            q,
                            &under,
                        );
                    }
                }
            } else if let Scalar::Value(r, q) = scalar(item_t) {
                let _ = data;
                sink.pair(key.clone(), base + r.start..base + r.end, q, &under);
            }
        }
        i = end + 1;
    }
}

fn next_comma(s: &[u8], from: usize) -> usize {
    let mut quote: Option<u8> = None;
    for (k, &b) in s.iter().enumerate().skip(from) {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if b == b'"' || b == b'\'' => quote = Some(b),
            None if b == b',' => return k,
            None => {}
        }
    }
    s.len()
}
