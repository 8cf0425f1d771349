//! Key-value pairs in XML: element text under a telling element name
//! (`<password>...</password>`), attributes (`password="..."`), entries
//! whose `key` or `name` attribute names the value (`<add key="DbPassword"
//! value="..."/>`, `<property name="password" value="..."/>`, `<string
//! name="api_key">...</string>`), and plist-style `<key>Password</key>`
//! followed by the value element. A hand-written pull reader: it skips
//! comments, processing instructions and DOCTYPEs, reads CDATA as text,
//! ignores mismatched end tags, and gives byte positions of everything.

use std::ops::Range;

use super::Sink;

struct Open {
    name: Range<usize>,
    /// The name the element's value goes under (its `key`/`name`
    /// attribute, else its own name), and its `value` attribute.
    key: Range<usize>,
    text: Option<Range<usize>>,
    /// The text of the last `<key>` child, for plist-style pairs.
    last_key: Option<Range<usize>>,
}

fn find(data: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from > data.len() {
        return None;
    }
    memchr::memmem::find(&data[from..], needle).map(|p| from + p)
}

fn name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b':') || b >= 0x80
}

pub fn extract(data: &[u8], sink: &mut dyn Sink) {
    let n = data.len();
    let mut stack: Vec<Open> = Vec::new();
    let mut parents: Vec<Range<usize>> = Vec::new();
    let mut i = 0;
    while let Some(lt) = memchr::memchr(b'<', &data[i..]).map(|p| i + p) {
        // Text before the tag belongs to the open element.
        if let Some(top) = stack.last_mut() {
            let t = &data[i..lt];
            let trimmed = t.trim_ascii();
            if !trimmed.is_empty() && top.text.is_none() {
                let lead = t.len() - t.trim_ascii_start().len();
                top.text = Some(i + lead..i + lead + trimmed.len());
            }
        }
        let rest = &data[lt..];
        if rest.starts_with(b"<!--") {
            i = find(data, lt + 4, b"-->").map_or(n, |p| p + 3);
            continue;
        }
        if rest.starts_with(b"<![CDATA[") {
            let s = lt + 9;
            let e = find(data, s, b"]]>").unwrap_or(n);
            if let Some(top) = stack.last_mut() {
                if top.text.is_none() && e > s {
                    top.text = Some(s..e);
                }
            }
            i = (e + 3).min(n);
            continue;
        }
        if rest.starts_with(b"<?") || rest.starts_with(b"<!") {
            i = find(data, lt + 2, b">").map_or(n, |p| p + 1);
            continue;
        }
        if rest.starts_with(b"</") {
            let s = lt + 2;
            let mut e = s;
            while e < n && name_byte(data[e]) {
                e += 1;
            }
            let name = &data[s..e];
            i = find(data, e, b">").map_or(n, |p| p + 1);
            // Close up to the matching element; a stray end tag closes nothing.
            if let Some(at) = stack.iter().rposition(|o| &data[o.name.clone()] == name) {
                while stack.len() > at {
                    let o = stack.pop().expect("len > at");
                    finish(data, o, &mut stack, &mut parents, sink);
                }
            }
            continue;
        }
        // A start tag.
        let s = lt + 1;
        let mut e = s;
        while e < n && name_byte(data[e]) {
            e += 1;
        }
        if e == s {
            i = lt + 1;
            continue;
        }
        let name = s..e;
        let mut key = name.clone();
        let mut value_attr: Option<Range<usize>> = None;
        let mut k = e;
        let mut self_closing = false;
        parents.clear();
        parents.extend(stack.iter().map(|o| o.key.clone()));
        let mut attrs: Vec<(Range<usize>, Range<usize>)> = Vec::new();
        loop {
            while k < n && data[k].is_ascii_whitespace() {
                k += 1;
            }
            if k >= n {
                break;
            }
            if data[k] == b'>' {
                k += 1;
                break;
            }
            if data[k] == b'/' && data.get(k + 1) == Some(&b'>') {
                self_closing = true;
                k += 2;
                break;
            }
            let as_ = k;
            while k < n && name_byte(data[k]) {
                k += 1;
            }
            if k == as_ {
                k += 1; // junk
                continue;
            }
            let an = as_..k;
            while k < n && data[k].is_ascii_whitespace() {
                k += 1;
            }
            if data.get(k) != Some(&b'=') {
                continue;
            }
            k += 1;
            while k < n && data[k].is_ascii_whitespace() {
                k += 1;
            }
            let Some(&q) = data.get(k) else { break };
            if q != b'"' && q != b'\'' {
                continue;
            }
            let vs = k + 1;
            let ve = memchr::memchr(q, &data[vs..]).map_or(n, |p| vs + p);
            k = (ve + 1).min(n);
            attrs.push((an, vs..ve));
        }
        for (an, av) in &attrs {
            let aname = data[an.clone()].to_ascii_lowercase();
            match aname.as_slice() {
                b"key" | b"name" => key = av.clone(),
                b"value" => value_attr = Some(av.clone()),
                _ => {}
            }
        }
        let mut under = parents.clone();
        under.push(name.clone());
        for (an, av) in &attrs {
            let aname = data[an.clone()].to_ascii_lowercase();
            if !matches!(aname.as_slice(), b"key" | b"name" | b"value") {
                sink.pair(an.clone(), av.clone(), true, &under);
            }
        }
        if let Some(v) = value_attr {
            sink.pair(key.clone(), v, true, &parents);
        }
        i = k;
        let open = Open {
            name,
            key,
            text: None,
            last_key: None,
        };
        if self_closing {
            finish(data, open, &mut stack, &mut parents, sink);
        } else {
            stack.push(open);
        }
    }
}

fn finish(
    data: &[u8],
    o: Open,
    stack: &mut [Open],
    parents: &mut Vec<Range<usize>>,
    sink: &mut dyn Sink,
) {
    parents.clear();
    parents.extend(stack.iter().map(|o| o.key.clone()));
    let is_key_elem = &data[o.name.clone()] == b"key";
    if let Some(t) = &o.text {
        if !is_key_elem {
            sink.pair(o.key.clone(), t.clone(), true, parents);
            // plist: `<key>Password</key><string>...</string>`.
            if let Some(parent) = stack.last_mut() {
                if let Some(k) = parent.last_key.take() {
                    sink.pair(k, t.clone(), true, parents);
                }
            }
        }
    }
    if let Some(parent) = stack.last_mut() {
        parent.last_key = if is_key_elem { o.text.clone() } else { None };
    }
}
