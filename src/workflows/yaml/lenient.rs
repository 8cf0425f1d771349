//! The lenient fallback of [`super::parse`]: libyaml (through
//! `serde_yaml_ng`) reads what GitHub accepts but strict YAML 1.2 does not;
//! positions are then searched for in the text, in document order.

use super::{Entry, Kind, Lines, Node, Span, Style, YamlError, MAX_DEPTH, MAX_NODES};

/// [`parse`], falling back to a lenient YAML reader (libyaml's, through
/// `serde_yaml_ng`) for the few files GitHub accepts that are not strict
/// YAML 1.2 (flow collections closed at the parent's indentation, say).
/// The fallback has no spans: positions are found by searching the text in
/// document order, and the second value says so (a one-line warning).
pub fn parse_lenient(text: &str) -> Result<(Node, Option<String>), YamlError> {
    match super::parse(text) {
        Ok(n) => Ok((n, None)),
        Err(strict @ YamlError::Syntax { .. }) => {
            let Ok(v) = serde_yaml_ng::from_str::<serde_yaml_ng::Value>(text) else {
                return Err(strict);
            };
            let lines = Lines::new(text);
            let mut cursor = 0usize;
            let mut budget = MAX_NODES;
            let node = convert(&v, &lines, &mut cursor, 0, &mut budget)?;
            Ok((
                node,
                Some(format!(
                    "not strict YAML 1.2 ({strict}); read leniently, positions may be approximate"
                )),
            ))
        }
        Err(e) => Err(e),
    }
}

fn scalar_text(v: &serde_yaml_ng::Value) -> Option<(String, Style)> {
    use serde_yaml_ng::Value as V;
    Some(match v {
        V::Null => (String::new(), Style::Plain),
        V::Bool(b) => (b.to_string(), Style::Plain),
        V::Number(n) => (n.to_string(), Style::Plain),
        V::String(s) => (s.clone(), Style::DoubleQuoted),
        _ => return None,
    })
}

/// The next place at or after `from` where `key` is written as a mapping key.
fn find_key(text: &str, from: usize, key: &str) -> Option<usize> {
    let mut at = from;
    while let Some(i) = text.get(at..)?.find(key) {
        let start = at + i;
        let end = start + key.len();
        let before = text[..start].chars().next_back();
        let ok_before = matches!(
            before,
            None | Some(' ' | '\t' | '\n' | '-' | '{' | ',' | '"' | '\'')
        );
        let after = text[end..]
            .trim_start_matches(['"', '\''])
            .trim_start_matches([' ', '\t']);
        if ok_before && after.starts_with(':') {
            return Some(start);
        }
        at = end;
    }
    None
}

fn convert(
    v: &serde_yaml_ng::Value,
    lines: &Lines,
    cursor: &mut usize,
    depth: usize,
    budget: &mut usize,
) -> Result<Node, YamlError> {
    use serde_yaml_ng::Value as V;
    if depth > MAX_DEPTH {
        return Err(YamlError::TooDeep {
            line: lines.pos_of(*cursor).line,
        });
    }
    *budget = budget.checked_sub(1).ok_or(YamlError::TooManyNodes)?;
    let text = lines.text();
    let here = |c: usize| lines.pos_of(c);
    let start = *cursor;
    let kind = match v {
        V::Tagged(t) => return convert(&t.value, lines, cursor, depth + 1, budget),
        V::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for it in items {
                out.push(convert(it, lines, cursor, depth + 1, budget)?);
            }
            Kind::Seq(out)
        }
        V::Mapping(m) => {
            let mut out = Vec::with_capacity(m.len());
            for (k, val) in m {
                let (ktext, _) = scalar_text(k).unwrap_or_default();
                let kpos = find_key(text, *cursor, &ktext).unwrap_or(*cursor);
                *cursor = kpos + ktext.len();
                *budget = budget.checked_sub(1).ok_or(YamlError::TooManyNodes)?;
                let key = Node {
                    kind: Kind::Scalar {
                        value: ktext.clone(),
                        style: Style::Plain,
                    },
                    span: Span {
                        start: here(kpos),
                        end: here(*cursor),
                    },
                };
                let value = convert(val, lines, cursor, depth + 1, budget)?;
                out.push(Entry { key, value });
            }
            Kind::Map(out)
        }
        other => {
            let (value, style) = scalar_text(other).unwrap_or_default();
            let first = value.lines().next().unwrap_or("");
            let found = if first.is_empty() {
                None
            } else {
                text.get(*cursor..).and_then(|t| t.find(first))
            };
            let (s, e) = match found {
                Some(i) => (
                    *cursor + i,
                    *cursor
                        + i
                        + if value.contains('\n') {
                            value.trim_end().len().min(text.len() - *cursor - i)
                        } else {
                            first.len()
                        },
                ),
                None => (*cursor, *cursor),
            };
            let e = (s..=e.min(text.len()))
                .rev()
                .find(|&i| text.is_char_boundary(i))
                .unwrap_or(s);
            *cursor = e.max(*cursor);
            return Ok(Node {
                kind: Kind::Scalar { value, style },
                span: Span {
                    start: here(s),
                    end: here(e),
                },
            });
        }
    };
    Ok(Node {
        kind,
        span: Span {
            start: here(start),
            end: here(*cursor),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workflows::yaml::parse;

    #[test]
    fn lenient_fallback_reads_what_github_accepts() {
        // A flow sequence closed at the parent's indentation: not YAML 1.2,
        // accepted by GitHub (and libyaml).
        let text = "jobs:\n  t:\n    strategy:\n      matrix:\n        name: [\n          \"a\",\n        ]\n    steps:\n      - uses: actions/checkout@v4\n";
        assert!(parse(text).is_err());
        let (doc, warning) = parse_lenient(text).unwrap();
        assert!(warning.unwrap().contains("read leniently"));
        let step = &doc
            .get("jobs")
            .unwrap()
            .get("t")
            .unwrap()
            .get("steps")
            .unwrap()
            .as_seq()
            .unwrap()[0];
        let uses = step.entry("uses").unwrap();
        assert_eq!((uses.key.span.start.line, uses.key.span.start.col), (9, 9));
        assert_eq!(
            (uses.value.span.start.line, uses.value.span.start.col),
            (9, 15)
        );
        assert!(parse_lenient("on: [push\n").is_err());
    }
}
