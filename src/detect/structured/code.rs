//! Key-value pairs in source code and JSON, from the token stream of
//! [`super::tokens`]: assignments (`password = "..."`, `x := "..."`,
//! `const API_KEY: &str = "..."`, `user, pass := "a", "b"`), object and
//! dictionary entries (`"password": "..."`, `'password' => '...'`,
//! `password: "..."`), setters and calls that take a key and a value
//! (`setPassword("...")`, `define('DB_PASSWORD', '...')`,
//! `props.setProperty("db.password", "...")`), subscript assignments
//! (`$cfg['password'] = '...'`), arrays under a key and `{"name": ...,
//! "value": ...}` objects. Only string literals count as values:
//! identifiers, calls, concatenations and interpolated strings are
//! computed at run time.

use std::ops::Range;

use super::tokens::{Kind, Lang, Token};
use super::Sink;

/// Calls whose first argument names what the second sets.
const KEY_CALLS: &[&str] = &[
    "define",
    "setenv",
    "Setenv",
    "putenv",
    "setdefault",
    "set",
    "put",
    "setProperty",
    "setItem",
    "add",
    "Add",
    "append",
    "header",
    "setHeader",
    "addHeader",
    "update",
    "store",
    "insert",
    "SetEnvironmentVariable",
    "option",
    "config",
    "setConfig",
];

/// Calls that wrap a literal without changing it.
const WRAPPERS: &[&str] = &[
    "Some",
    "String",
    "str",
    "from",
    "new",
    "bytes",
    "byte",
    "Secret",
    "SecretString",
    "SecretStr",
    "Box",
    "Cow",
    "Borrowed",
    "Owned",
    "Buffer",
    "Password",
    "literal",
];

/// Methods that keep a literal a literal (`"x".to_string()`).
const LITERAL_METHODS: &[&str] = &[
    "to_string",
    "to_owned",
    "into",
    "encode",
    "as_bytes",
    "getBytes",
    "toCharArray",
    "freeze",
    "strip",
    "trim",
    "to_vec",
    "as_str",
    "ToCharArray",
];

/// Keys of `{"name": "DB_PASSWORD", "value": "..."}` objects.
const NAME_KEYS: &[&str] = &["name", "key", "parameterkey", "parameter_key", "variable"];
const VALUE_KEYS: &[&str] = &["value", "parametervalue", "parameter_value", "defaultvalue"];

/// Types written between a Go or Java-like key and its `=`.
const TYPE_WORDS: &[&str] = &["string", "String", "str", "char", "byte"];

struct Frame {
    open: u8,
    label: bool,
    name: Option<Range<usize>>,
    value: Option<Range<usize>>,
}

struct Walker<'a> {
    data: &'a [u8],
    toks: &'a [Token],
    lang: Lang,
    frames: Vec<Frame>,
    labels: Vec<Range<usize>>,
    scratch: Vec<Range<usize>>,
}

pub fn extract(data: &[u8], lang: Lang, toks: &[Token], sink: &mut dyn Sink) {
    let mut w = Walker {
        data,
        toks,
        lang,
        frames: Vec::new(),
        labels: Vec::new(),
        scratch: Vec::new(),
    };
    w.run(sink);
}

fn is_assign(t: &Token) -> bool {
    t.is_punct(b"=") || t.is_punct(b":") || t.is_punct(b":=") || t.is_punct(b"=>")
}

impl Walker<'_> {
    fn text(&self, t: &Token) -> &[u8] {
        &self.data[t.span()]
    }

    fn tok(&self, i: usize) -> Option<&Token> {
        self.toks.get(i)
    }

    fn is_key(&self, i: usize) -> bool {
        self.tok(i)
            .is_some_and(|t| matches!(t.kind, Kind::Ident | Kind::Str) && !t.template)
    }

    /// A literal value starting at token `j`: its span and the index
    /// after it, or `None` for anything computed.
    fn value_at(&self, j: usize) -> Option<(Range<usize>, usize)> {
        let t = self.tok(j)?;
        let (span, mut k) = match t.kind {
            Kind::Str if !t.template => (t.span(), j + 1),
            Kind::Ident | Kind::Punct(_) => {
                // `String::from("x")`, `Some("x")`, `new String("x")`, `[]byte("x")`.
                let mut k = j;
                let mut wrapped = false;
                for _ in 0..6 {
                    let t = self.tok(k)?;
                    match t.kind {
                        Kind::Ident => {
                            let s = std::str::from_utf8(self.text(t)).unwrap_or("");
                            wrapped |= WRAPPERS.contains(&s);
                            k += 1;
                        }
                        Kind::Punct(_)
                            if t.is_punct(b"::")
                                || t.is_punct(b".")
                                || t.is_punct(b"[")
                                || t.is_punct(b"]") =>
                        {
                            k += 1
                        }
                        _ => break,
                    }
                }
                if !wrapped || !self.tok(k)?.is_punct(b"(") {
                    return None;
                }
                let s = self.tok(k + 1)?;
                if s.kind != Kind::Str || s.template || !self.tok(k + 2)?.is_punct(b")") {
                    return None;
                }
                (s.span(), k + 3)
            }
            _ => return None,
        };
        // What follows must not build a new value from it.
        if let Some(f) = self.tok(k) {
            if f.is_punct(b".") && self.lang != Lang::Php {
                let m = self.tok(k + 1)?;
                let name = std::str::from_utf8(self.text(m)).unwrap_or("");
                if m.kind != Kind::Ident || !LITERAL_METHODS.contains(&name) {
                    return None;
                }
                k += 2;
                if self.tok(k).is_some_and(|t| t.is_punct(b"("))
                    && self.tok(k + 1).is_some_and(|t| t.is_punct(b")"))
                {
                    k += 2;
                }
            } else if f.is_punct(b"+")
                || f.is_punct(b"%")
                || f.is_punct(b".")
                || f.is_punct(b"..")
                || f.is_punct(b"[")
                || f.is_punct(b"(")
                || f.is_punct(b"*")
            {
                return None;
            } else if f.kind == Kind::Str {
                // `"a" "b"` concatenated on one line; a string on a later
                // line is another statement.
                let between = &self.data[span.end.min(f.start as usize)..f.start as usize];
                if !between.contains(&b'\n') {
                    return None;
                }
            }
        }
        Some((span, k))
    }

    fn emit(&mut self, sink: &mut dyn Sink, key: usize, value: Range<usize>) {
        let Some(kt) = self.tok(key).copied() else {
            return;
        };
        let mut key_span = kt.span();
        let mut parents = self.labels.len();
        // HCL `variable "db_password" { default = "..." }`: the block names it.
        if self.lang == Lang::Hcl && matches!(self.text(&kt), b"default" | b"value") {
            if let Some(l) = self.labels.last() {
                key_span = l.clone();
                parents -= 1;
            }
        }
        self.scratch.clear();
        self.scratch.extend(self.labels[..parents].iter().cloned());
        // Member chain: `self.password`, `$this->password`, `config.db.password`.
        if kt.kind == Kind::Ident {
            let mut k = key;
            let mut chain = Vec::new();
            while k >= 2 {
                let sep = &self.toks[k - 1];
                let prev = &self.toks[k - 2];
                if (sep.is_punct(b".")
                    || sep.is_punct(b"->")
                    || sep.is_punct(b"::")
                    || sep.is_punct(b"?."))
                    && prev.kind == Kind::Ident
                {
                    chain.push(prev.span());
                    k -= 2;
                } else {
                    break;
                }
            }
            self.scratch.extend(chain.into_iter().rev());
        }
        sink.pair(key_span, value, true, &self.scratch);
    }

    fn run(&mut self, sink: &mut dyn Sink) {
        let n = self.toks.len();
        let mut i = 0;
        while i < n {
            let t = self.toks[i];
            if let Kind::Punct([p, 0]) = t.kind {
                match p {
                    b'{' | b'[' | b'(' => {
                        self.open(sink, i, p);
                        i += 1;
                        continue;
                    }
                    b'}' | b']' | b')' => {
                        self.close(sink, p);
                        i += 1;
                        continue;
                    }
                    _ => {}
                }
            }
            if t.kind == Kind::Str && !t.template {
                self.array_item(sink, i);
            }
            if self.is_key(i) {
                if let Some(next) = self.tok(i + 1).copied() {
                    if is_assign(&next) {
                        self.assignment(sink, i);
                    } else if next.is_punct(b"(") && t.kind == Kind::Ident {
                        self.call(sink, i);
                    } else if next.is_punct(b",") && t.kind == Kind::Ident {
                        self.multi_assign(sink, i);
                    } else if next.is_punct(b"]")
                        && t.kind == Kind::Str
                        && i > 0
                        && self.toks[i - 1].is_punct(b"[")
                    {
                        // `$cfg['password'] = '...'`, `ENV["TOKEN"] = "..."`.
                        if self.tok(i + 2).is_some_and(|a| a.is_punct(b"=")) {
                            if let Some((v, _)) = self.value_at(i + 3) {
                                self.emit(sink, i, v);
                            }
                        }
                    }
                }
            }
            i += 1;
        }
    }

    fn open(&mut self, sink: &mut dyn Sink, i: usize, p: u8) {
        let mut label = None;
        if p != b'(' && i >= 1 {
            let prev = &self.toks[i - 1];
            if is_assign(prev) && i >= 2 && self.is_key(i - 2) {
                label = Some(self.toks[i - 2].span());
            } else if self.lang == Lang::Hcl
                && p == b'{'
                && matches!(prev.kind, Kind::Str | Kind::Ident)
            {
                label = Some(prev.span());
            }
        }
        // C# `{ "Password", "..." }` collection initialisers.
        if p == b'{'
            && self
                .tok(i + 1)
                .is_some_and(|t| t.kind == Kind::Str && !t.template)
            && self.tok(i + 2).is_some_and(|t| t.is_punct(b","))
        {
            if let Some((v, k)) = self.value_at(i + 3) {
                if self.tok(k).is_some_and(|t| t.is_punct(b"}")) {
                    self.emit(sink, i + 1, v);
                }
            }
        }
        if let Some(l) = &label {
            self.labels.push(l.clone());
        }
        self.frames.push(Frame {
            open: p,
            label: label.is_some(),
            name: None,
            value: None,
        });
    }

    fn close(&mut self, sink: &mut dyn Sink, p: u8) {
        let want = match p {
            b'}' => b'{',
            b']' => b'[',
            _ => b'(',
        };
        // Tolerant: an unmatched closer pops nothing.
        if !self.frames.iter().any(|f| f.open == want) {
            return;
        }
        while let Some(f) = self.frames.pop() {
            if f.label {
                self.labels.pop();
            }
            if f.open == want {
                if let (Some(name), Some(value)) = (f.name, f.value) {
                    self.scratch.clear();
                    self.scratch.extend(self.labels.iter().cloned());
                    sink.pair(name, value, true, &self.scratch);
                }
                break;
            }
        }
    }

    /// A string directly in an array under a key: `"passwords": ["a", "b"]`.
    fn array_item(&mut self, sink: &mut dyn Sink, i: usize) {
        let Some(f) = self.frames.last() else {
            return;
        };
        if f.open != b'[' || !f.label || i == 0 {
            return;
        }
        let prev = &self.toks[i - 1];
        let next = self.tok(i + 1);
        if !(prev.is_punct(b"[") || prev.is_punct(b","))
            || !next.is_some_and(|t| t.is_punct(b",") || t.is_punct(b"]"))
        {
            return;
        }
        let Some(label) = self.labels.last().cloned() else {
            return;
        };
        let value = self.toks[i].span();
        self.scratch.clear();
        let parents = self.labels.len() - 1;
        self.scratch.extend(self.labels[..parents].iter().cloned());
        sink.pair(label, value, true, &self.scratch);
    }

    fn assignment(&mut self, sink: &mut dyn Sink, i: usize) {
        let op = self.toks[i + 1];
        let mut key = i;
        // Go `var password string = "..."`: the key is before the type.
        if op.is_punct(b"=")
            && i >= 1
            && self.toks[i].kind == Kind::Ident
            && self.toks[i - 1].kind == Kind::Ident
        {
            let t = std::str::from_utf8(self.text(&self.toks[i])).unwrap_or("");
            if TYPE_WORDS.contains(&t) {
                key = i - 1;
            }
        }
        // Multiple keys before the operator: handled by `multi_assign`.
        if i >= 2
            && self.toks[i - 1].is_punct(b",")
            && self.toks[i - 2].kind == Kind::Ident
            && (op.is_punct(b"=") || op.is_punct(b":="))
            && self.lang != Lang::Json
        {
            return;
        }
        let mut j = i + 2;
        if op.is_punct(b":") && !matches!(self.tok(j).map(|t| t.kind), Some(Kind::Str)) {
            // A type annotation: `password: str = "..."`, `KEY: &str = "..."`.
            let mut k = j;
            let mut found = false;
            for _ in 0..12 {
                let Some(t) = self.tok(k) else {
                    break;
                };
                if t.is_punct(b"=") {
                    found = true;
                    break;
                }
                let typeish = t.kind == Kind::Ident
                    || [
                        &b"&"[..],
                        b"'",
                        b"<",
                        b">",
                        b"::",
                        b".",
                        b"?",
                        b"[",
                        b"]",
                        b"*",
                    ]
                    .iter()
                    .any(|p| t.is_punct(p));
                if !typeish {
                    break;
                }
                k += 1;
            }
            if !found {
                return;
            }
            j = k + 1;
        }
        let Some((v, _)) = self.value_at(j) else {
            return;
        };
        // `{"name": "DB_PASSWORD", "value": "..."}`.
        if let Some(f) = self.frames.last_mut() {
            if f.open == b'{' || f.open == b'(' {
                let kt = &self.toks[key];
                let k = String::from_utf8_lossy(&self.data[kt.span()]).to_ascii_lowercase();
                let k = k.trim_start_matches('$');
                if NAME_KEYS.contains(&k) {
                    f.name = Some(v.clone());
                } else if VALUE_KEYS.contains(&k) {
                    f.value = Some(v.clone());
                }
            }
        }
        self.emit(sink, key, v);
    }

    fn call(&mut self, sink: &mut dyn Sink, i: usize) {
        // A setter or builder: `setPassword("...")`, `.password("...")`.
        if let Some((v, k)) = self.value_at(i + 2) {
            if self
                .tok(k)
                .is_some_and(|t| t.is_punct(b")") || t.is_punct(b","))
            {
                self.emit(sink, i, v.clone());
            }
        }
        // A key and a value: `define('DB_PASSWORD', '...')`.
        let callee = std::str::from_utf8(self.text(&self.toks[i])).unwrap_or("");
        if !KEY_CALLS.contains(&callee) {
            return;
        }
        let Some(key) = self.tok(i + 2) else {
            return;
        };
        if key.kind != Kind::Str
            || key.template
            || !self.tok(i + 3).is_some_and(|t| t.is_punct(b","))
        {
            return;
        }
        if let Some((v, k)) = self.value_at(i + 4) {
            if self
                .tok(k)
                .is_some_and(|t| t.is_punct(b")") || t.is_punct(b","))
            {
                self.emit(sink, i + 2, v);
            }
        }
    }

    /// `user, pass := "a", "b"`, `user, pw = 'a', 'b'`: `i` is the first key.
    fn multi_assign(&mut self, sink: &mut dyn Sink, i: usize) {
        if i >= 1 && self.toks[i - 1].is_punct(b",") {
            return; // not the first key
        }
        let mut keys = vec![i];
        let mut k = i + 1;
        while self.tok(k).is_some_and(|t| t.is_punct(b","))
            && self.tok(k + 1).is_some_and(|t| t.kind == Kind::Ident)
        {
            keys.push(k + 1);
            k += 2;
        }
        let Some(op) = self.tok(k) else {
            return;
        };
        if !(op.is_punct(b"=") || op.is_punct(b":=")) || keys.len() < 2 {
            return;
        }
        let mut values = Vec::new();
        let mut j = k + 1;
        loop {
            let Some((v, next)) = self.value_at(j) else {
                return;
            };
            values.push(v);
            if self.tok(next).is_some_and(|t| t.is_punct(b",")) && values.len() < keys.len() {
                j = next + 1;
            } else {
                break;
            }
        }
        if values.len() == keys.len() {
            for (key, v) in keys.into_iter().zip(values) {
                self.emit(sink, key, v);
            }
        }
    }
}
