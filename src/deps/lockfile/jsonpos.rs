//! Byte offsets of object keys in JSON text. serde_json gives no spans, so
//! this small scanner walks the (already validated) text once and reports
//! each key with the keys of its enclosing objects. Hand-rolled because
//! the span-aware JSON crates are either unmaintained or far slower.

/// Calls `f(parents, key, offset)` for every object key; `parents` are the
/// keys leading to the object holding `key` (arrays appear as `"[]"`).
pub(crate) fn visit_keys(text: &str, mut f: impl FnMut(&[String], &str, usize)) {
    struct Frame {
        object: bool,
        key: String,
        expect_key: bool,
    }
    let b = text.as_bytes();
    let mut stack: Vec<Frame> = Vec::new();
    let mut path: Vec<String> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b'"' => {
                let start = i;
                i += 1;
                let mut escaped = false;
                while i < b.len() && b[i] != b'"' {
                    if b[i] == b'\\' {
                        escaped = true;
                        i += 1;
                    }
                    i += 1;
                }
                let raw = &text[start..(i + 1).min(text.len())];
                if let Some(top) = stack.last_mut() {
                    if top.object && top.expect_key {
                        let key = if escaped {
                            serde_json::from_str::<String>(raw).unwrap_or_default()
                        } else {
                            raw.get(1..raw.len().saturating_sub(1))
                                .unwrap_or_default()
                                .to_string()
                        };
                        top.expect_key = false;
                        f(&path, &key, start);
                        top.key = key;
                    }
                }
            }
            b':' => {}
            b',' => {
                if let Some(top) = stack.last_mut() {
                    top.expect_key = top.object;
                }
            }
            c @ (b'{' | b'[') => {
                if let Some(top) = stack.last() {
                    path.push(if top.object {
                        top.key.clone()
                    } else {
                        "[]".into()
                    });
                }
                stack.push(Frame {
                    object: c == b'{',
                    key: String::new(),
                    expect_key: c == b'{',
                });
            }
            b'}' | b']' => {
                stack.pop();
                if !stack.is_empty() {
                    path.pop();
                }
            }
            _ => {}
        }
        i += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_parents() {
        let text = "{\"a\": {\"b\": [1, {\"c\": \"x\\\"y\"}], \"d\\u0041\": 2}}";
        let mut seen = Vec::new();
        visit_keys(text, |p, k, off| {
            seen.push((p.join("/"), k.to_string(), off))
        });
        assert_eq!(seen[0], ("".into(), "a".into(), 1));
        assert_eq!(seen[1], ("a".into(), "b".into(), 7));
        assert_eq!(seen[2].0, "a/b/[]");
        assert_eq!(seen[2].1, "c");
        assert_eq!(
            seen[3],
            ("a".into(), "dA".into(), text.find("\"d\\").unwrap())
        );
    }
}
