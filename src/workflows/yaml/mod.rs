//! A YAML document as a tree of nodes that know where they are in the file.
//!
//! Built from `saphyr-parser`'s event stream: it is a pure-Rust YAML 1.2
//! parser whose events carry spans (line, column, character index), which
//! `serde_yaml_ng` does not expose. YAML 1.2 also reads the bare key `on` as
//! the string GitHub reads, not the boolean of YAML 1.1.
//!
//! The tree is bounded, because a workflow is input from whoever can open a
//! pull request: aliases are expanded into copies, with a budget on the nodes
//! they add (an anchor/alias "billion laughs" bomb stops with an error);
//! nesting deeper than [`MAX_DEPTH`] and more than [`MAX_NODES`] nodes are
//! errors too, so nothing downstream can recurse or allocate without bound.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

mod lenient;
mod lines;

pub use lenient::parse_lenient;
pub use lines::Lines;

/// Nesting deeper than this is refused (workflows nest a dozen levels).
pub const MAX_DEPTH: usize = 200;
/// Nodes in a document, aliases expanded.
pub const MAX_NODES: usize = 2_000_000;
/// Nodes that alias expansion may add on top of the ones written out.
pub const MAX_ALIAS_NODES: usize = 100_000;

/// A position: 1-based line and column (columns count characters), and the
/// character index from the start of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, PartialOrd, Ord)]
pub struct Pos {
    pub line: usize,
    pub col: usize,
    pub index: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: Pos,
    /// Exclusive.
    pub end: Pos,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Style {
    #[default]
    Plain,
    SingleQuoted,
    DoubleQuoted,
    Literal,
    Folded,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Scalar { value: String, style: Style },
    Seq(Vec<Node>),
    Map(Vec<Entry>),
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Entry {
    pub key: Node,
    pub value: Node,
}

impl Entry {
    pub fn key_str(&self) -> Option<&str> {
        self.key.as_str()
    }
}

impl Node {
    /// The scalar's text (any style); `None` for a sequence or mapping.
    pub fn as_str(&self) -> Option<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => Some(value),
            _ => None,
        }
    }

    pub fn style(&self) -> Option<Style> {
        match &self.kind {
            Kind::Scalar { style, .. } => Some(*style),
            _ => None,
        }
    }

    pub fn as_seq(&self) -> Option<&[Node]> {
        match &self.kind {
            Kind::Seq(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_map(&self) -> Option<&[Entry]> {
        match &self.kind {
            Kind::Map(entries) => Some(entries),
            _ => None,
        }
    }

    /// A plain `null`, `~` or empty scalar.
    pub fn is_null(&self) -> bool {
        matches!(&self.kind, Kind::Scalar { value, style: Style::Plain }
            if value.is_empty() || value == "~" || value == "null" || value == "Null" || value == "NULL")
    }

    /// A plain `true` / `false` (YAML 1.2 core schema), as a bool.
    pub fn as_bool(&self) -> Option<bool> {
        match &self.kind {
            Kind::Scalar {
                value,
                style: Style::Plain,
            } => match value.as_str() {
                "true" | "True" | "TRUE" => Some(true),
                "false" | "False" | "FALSE" => Some(false),
                _ => None,
            },
            _ => None,
        }
    }

    /// The entry for `key` in a mapping (the first one, if repeated).
    pub fn entry(&self, key: &str) -> Option<&Entry> {
        self.as_map()?.iter().find(|e| e.key_str() == Some(key))
    }

    /// The value of `key` in a mapping.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entry(key).map(|e| &e.value)
    }

    /// The value of `key` as a string scalar.
    pub fn get_str(&self, key: &str) -> Option<&str> {
        self.get(key).and_then(Node::as_str)
    }

    /// A scalar, or every scalar of a sequence (`runs-on: [a, b]`).
    pub fn strings(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Scalar { value, .. } => vec![value.as_str()],
            Kind::Seq(items) => items.iter().filter_map(Node::as_str).collect(),
            Kind::Map(_) => Vec::new(),
        }
    }

    /// Every scalar under this node (keys excluded), depth first. The tree
    /// is bounded by [`MAX_DEPTH`], so recursion is safe.
    pub fn scalars<'a>(&'a self, out: &mut Vec<&'a Node>) {
        match &self.kind {
            Kind::Scalar { .. } => out.push(self),
            Kind::Seq(items) => items.iter().for_each(|n| n.scalars(out)),
            Kind::Map(entries) => entries.iter().for_each(|e| e.value.scalars(out)),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum YamlError {
    #[error("invalid YAML at line {line} column {col}: {message}")]
    Syntax {
        line: usize,
        col: usize,
        message: String,
    },
    #[error("YAML aliases expand to more than {MAX_ALIAS_NODES} nodes (an anchor/alias bomb?)")]
    AliasBomb,
    #[error("YAML alias at line {line} refers to an anchor that is not defined before it")]
    UnknownAlias { line: usize },
    #[error("more than {MAX_NODES} YAML nodes")]
    TooManyNodes,
    #[error("YAML nested deeper than {MAX_DEPTH} levels at line {line}")]
    TooDeep { line: usize },
    #[error("the file holds no YAML document")]
    Empty,
    #[error("the file holds more than one YAML document (`---`); GitHub reads only one")]
    MultipleDocuments,
}

fn pos(m: saphyr_parser::Marker) -> Pos {
    Pos {
        line: m.line(),
        col: m.col() + 1,
        index: m.index(),
    }
}

fn span(s: YSpan) -> Span {
    Span {
        start: pos(s.start),
        end: pos(s.end),
    }
}

fn style(s: ScalarStyle) -> Style {
    match s {
        ScalarStyle::Plain => Style::Plain,
        ScalarStyle::SingleQuoted => Style::SingleQuoted,
        ScalarStyle::DoubleQuoted => Style::DoubleQuoted,
        ScalarStyle::Literal => Style::Literal,
        ScalarStyle::Folded => Style::Folded,
    }
}

fn count(n: &Node) -> usize {
    // Iterative: a node is bounded in depth, but keep this cheap anyway.
    let mut total = 0;
    let mut stack = vec![n];
    while let Some(n) = stack.pop() {
        total += 1;
        match &n.kind {
            Kind::Scalar { .. } => {}
            Kind::Seq(items) => stack.extend(items),
            Kind::Map(entries) => {
                for e in entries {
                    stack.push(&e.key);
                    stack.push(&e.value);
                }
            }
        }
    }
    total
}

enum Open {
    Seq {
        anchor: usize,
        start: Span,
        items: Vec<Node>,
    },
    Map {
        anchor: usize,
        start: Span,
        entries: Vec<Entry>,
        key: Option<Node>,
    },
}

/// Parse one YAML document into a [`Node`] tree.
pub fn parse(text: &str) -> Result<Node, YamlError> {
    let mut parser = Parser::new_from_str(text);
    let mut stack: Vec<Open> = Vec::new();
    let mut anchors: HashMap<usize, Node> = HashMap::new();
    let mut root: Option<Node> = None;
    let mut docs = 0usize;
    let mut nodes = 0usize;
    let mut alias_nodes = 0usize;

    // Attach a finished node to its parent (or make it the root); record
    // its anchor.
    fn attach(
        stack: &mut [Open],
        root: &mut Option<Node>,
        anchors: &mut HashMap<usize, Node>,
        anchor: usize,
        node: Node,
    ) {
        if anchor != 0 {
            anchors.insert(anchor, node.clone());
        }
        match stack.last_mut() {
            None => {
                if root.is_none() {
                    *root = Some(node);
                }
            }
            Some(Open::Seq { items, .. }) => items.push(node),
            Some(Open::Map { entries, key, .. }) => match key.take() {
                None => *key = Some(node),
                Some(k) => entries.push(Entry {
                    key: k,
                    value: node,
                }),
            },
        }
    }

    while let Some(ev) = parser.next_event() {
        let (ev, sp) = ev.map_err(|e| YamlError::Syntax {
            line: e.marker().line(),
            col: e.marker().col() + 1,
            message: e.info().to_string(),
        })?;
        match ev {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                docs += 1;
                if docs > 1 {
                    return Err(YamlError::MultipleDocuments);
                }
            }
            Event::Scalar(value, st, anchor, _tag) => {
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(YamlError::TooManyNodes);
                }
                let node = Node {
                    kind: Kind::Scalar {
                        value: value.into_owned(),
                        style: style(st),
                    },
                    span: span(sp),
                };
                attach(&mut stack, &mut root, &mut anchors, anchor, node);
            }
            Event::Alias(id) => {
                let Some(target) = anchors.get(&id) else {
                    return Err(YamlError::UnknownAlias {
                        line: sp.start.line(),
                    });
                };
                let added = count(target);
                alias_nodes += added;
                nodes += added;
                if alias_nodes > MAX_ALIAS_NODES {
                    return Err(YamlError::AliasBomb);
                }
                if nodes > MAX_NODES {
                    return Err(YamlError::TooManyNodes);
                }
                let node = target.clone();
                attach(&mut stack, &mut root, &mut anchors, 0, node);
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                nodes += 1;
                if nodes > MAX_NODES {
                    return Err(YamlError::TooManyNodes);
                }
                if stack.len() >= MAX_DEPTH {
                    return Err(YamlError::TooDeep {
                        line: sp.start.line(),
                    });
                }
                let start = span(sp);
                stack.push(if matches!(ev, Event::SequenceStart(..)) {
                    Open::Seq {
                        anchor,
                        start,
                        items: Vec::new(),
                    }
                } else {
                    Open::Map {
                        anchor,
                        start,
                        entries: Vec::new(),
                        key: None,
                    }
                });
            }
            Event::SequenceEnd | Event::MappingEnd => {
                let end = pos(sp.end);
                let (anchor, node) = match stack.pop() {
                    Some(Open::Seq {
                        anchor,
                        start,
                        items,
                    }) => (
                        anchor,
                        Node {
                            span: Span {
                                start: start.start,
                                end: end.max(start.end),
                            },
                            kind: Kind::Seq(items),
                        },
                    ),
                    Some(Open::Map {
                        anchor,
                        start,
                        entries,
                        ..
                    }) => (
                        anchor,
                        Node {
                            span: Span {
                                start: start.start,
                                end: end.max(start.end),
                            },
                            kind: Kind::Map(entries),
                        },
                    ),
                    // The parser balances its events; be defensive anyway.
                    None => continue,
                };
                attach(&mut stack, &mut root, &mut anchors, anchor, node);
            }
        }
    }
    root.ok_or(YamlError::Empty)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_and_values_know_their_positions() {
        let text = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n        with: {ref: main}\n";
        let doc = parse(text).unwrap();
        let on = doc.entry("on").unwrap();
        assert_eq!((on.key.span.start.line, on.key.span.start.col), (1, 1));
        assert_eq!(on.value.as_str(), Some("push"));
        let step = &doc
            .get("jobs")
            .unwrap()
            .get("build")
            .unwrap()
            .get("steps")
            .unwrap()
            .as_seq()
            .unwrap()[0];
        let uses = step.entry("uses").unwrap();
        assert_eq!((uses.key.span.start.line, uses.key.span.start.col), (6, 9));
        assert_eq!(
            (uses.value.span.start.line, uses.value.span.start.col),
            (6, 15)
        );
        let r = step.get("with").unwrap().entry("ref").unwrap();
        assert_eq!((r.key.span.start.line, r.key.span.start.col), (7, 16));
    }

    #[test]
    fn on_is_a_string_key_and_scalars_keep_their_style() {
        let doc = parse("on:\n  push:\nname: 'x'\nrun: |\n  echo hi\n").unwrap();
        assert!(doc.get("on").unwrap().get("push").unwrap().is_null());
        assert_eq!(doc.get("name").unwrap().style(), Some(Style::SingleQuoted));
        assert_eq!(doc.get_str("run"), Some("echo hi\n"));
        assert_eq!(doc.get("run").unwrap().style(), Some(Style::Literal));
    }

    #[test]
    fn aliases_are_expanded_with_a_budget() {
        let doc = parse("a: &x [1, 2]\nb: *x\n").unwrap();
        assert_eq!(doc.get("b").unwrap().as_seq().unwrap().len(), 2);
        // Nine levels of ten: 10^9 nodes if expanded.
        let mut bomb = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            bomb.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        assert_eq!(parse(&bomb).unwrap_err(), YamlError::AliasBomb);
        assert!(matches!(
            parse("a: *nope\n"),
            Err(YamlError::Syntax { .. } | YamlError::UnknownAlias { .. })
        ));
    }

    #[test]
    fn bad_yaml_and_deep_nesting_are_errors_with_a_line() {
        let err = parse("on: [push\njobs: {\n").unwrap_err();
        assert!(matches!(err, YamlError::Syntax { .. }), "{err}");
        // Flow nesting: the parser's own recursion limit; block nesting: ours.
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(matches!(
            parse(&deep),
            Err(YamlError::Syntax { line: 1, .. })
        ));
        let block: String = (0..MAX_DEPTH + 5)
            .map(|i| format!("{}a:\n", " ".repeat(i)))
            .collect();
        assert!(
            matches!(parse(&block), Err(YamlError::TooDeep { line: 201 })),
            "{:?}",
            parse(&block).err()
        );
        assert_eq!(parse("# only a comment\n").unwrap_err(), YamlError::Empty);
        assert_eq!(
            parse("a: 1\n---\nb: 2\n").unwrap_err(),
            YamlError::MultipleDocuments
        );
    }

    #[test]
    fn lines_map_positions_to_offsets_and_back() {
        let text = "a: é\nrun: |\n  echo ${{ x }}\n";
        let lines = Lines::new(text);
        assert_eq!(lines.line(3), "  echo ${{ x }}");
        let doc = parse(text).unwrap();
        let run = doc.get("run").unwrap();
        let p = lines.find_in(run.span, "${{").unwrap();
        assert_eq!((p.line, p.col), (3, 8));
        let p = Pos {
            line: 1,
            col: 4,
            index: 0,
        };
        assert_eq!(&text[lines.offset(p)..lines.offset(p) + 2], "é");
        assert_eq!(lines.pos_of(lines.offset(p)).col, 4);
    }
}
