//! Key-value pairs in shell scripts, shell histories and Dockerfiles:
//! assignments (`export DB_PASSWORD=...`, `PGPASSWORD=... psql`, `-e
//! TOKEN=...`, `--build-arg KEY=...`, `--set db.password=...`), long flags
//! (`--password=...`, `--password ...`, `--http-password=...`), the
//! password arguments of mysql (`-p...`), sshpass and `docker login`
//! (`-p ...`), curl's `-u user:password`, and Dockerfile `ENV`/`ARG`.
//! Expansions (`$VAR`, `${VAR}`, `$(cmd)`, backticks) are not literals;
//! single quotes keep `$` literal.

use std::ops::Range;

use super::keys::KeyKind;
use super::Sink;

/// One shell word: its span, and its text with quotes removed as spans
/// (the pieces of the source that make up its value).
struct Word {
    span: Range<usize>,
    /// The bytes of the word outside quotes mark expansions.
    expands: bool,
    quoted: bool,
}

fn words(data: &[u8]) -> Vec<Word> {
    let mut out = Vec::new();
    let n = data.len();
    let mut i = 0;
    while i < n {
        let b = data[i];
        if b == b'\\' && data.get(i + 1) == Some(&b'\n') {
            i += 2;
            continue;
        }
        if b.is_ascii_whitespace() || matches!(b, b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>') {
            // A separator: mark command boundaries with an empty word.
            if matches!(b, b'\n' | b';' | b'|' | b'&' | b'(' | b')') {
                out.push(Word {
                    span: i..i,
                    expands: false,
                    quoted: false,
                });
            }
            i += 1;
            continue;
        }
        if b == b'#' {
            i = memchr::memchr(b'\n', &data[i..]).map_or(n, |p| i + p);
            continue;
        }
        let s = i;
        let mut expands = false;
        let mut quoted = false;
        while i < n {
            let c = data[i];
            if c.is_ascii_whitespace()
                || matches!(c, b';' | b'|' | b'&' | b'(' | b')' | b'<' | b'>')
            {
                break;
            }
            match c {
                b'\\' => i += 1,
                b'\'' => {
                    quoted = true;
                    i = memchr::memchr(b'\'', &data[i + 1..]).map_or(n, |p| i + 1 + p);
                }
                b'"' => {
                    quoted = true;
                    let mut k = i + 1;
                    while k < n && data[k] != b'"' {
                        if data[k] == b'\\' {
                            k += 1;
                        } else if data[k] == b'$' || data[k] == b'`' {
                            expands = true;
                        }
                        k += 1;
                    }
                    i = k;
                }
                b'$' | b'`' => expands = true,
                _ => {}
            }
            i += 1;
        }
        out.push(Word {
            span: s..i.min(n),
            expands,
            quoted,
        });
    }
    out
}

/// The value part of `text` (a word or its tail) without its quotes.
fn unquote(data: &[u8], r: Range<usize>) -> Range<usize> {
    let t = &data[r.clone()];
    if t.len() >= 2 && (t[0] == b'"' || t[0] == b'\'') && t[t.len() - 1] == t[0] {
        r.start + 1..r.end - 1
    } else {
        r
    }
}

fn is_name(s: &[u8]) -> bool {
    !s.is_empty()
        && (s[0].is_ascii_alphabetic() || s[0] == b'_')
        && s.iter()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

pub fn extract(data: &[u8], dockerfile: bool, sink: &mut dyn Sink) {
    let ws = words(data);
    let mut cmd: Option<usize> = None; // index of the current command word
    for (i, w) in ws.iter().enumerate() {
        if w.span.is_empty() {
            cmd = None;
            continue;
        }
        let text = &data[w.span.clone()];
        let first = cmd.is_none();
        // Dockerfile instructions: `RUN mysql ...` runs `mysql`.
        if dockerfile
            && first
            && matches!(
                text,
                b"RUN" | b"CMD" | b"ENTRYPOINT" | b"ARG" | b"SHELL" | b"HEALTHCHECK"
            )
        {
            continue;
        }
        if first && !text.contains(&b'=') {
            cmd = Some(i);
        }
        let next = ws.get(i + 1).filter(|n| !n.span.is_empty());
        // Dockerfile `ENV KEY value` (the old form without `=`).
        if dockerfile && first && text.eq_ignore_ascii_case(b"ENV") {
            if let (Some(k), Some(v)) = (next, ws.get(i + 2)) {
                let kt = &data[k.span.clone()];
                if !v.span.is_empty() && !kt.contains(&b'=') && is_name(kt) && !v.expands {
                    sink.pair(k.span.clone(), unquote(data, v.span.clone()), v.quoted, &[]);
                }
            }
            continue;
        }
        let lit = |v: &Word| !v.expands;
        // NAME=value, --flag=value.
        if let Some(eq) = text.iter().position(|&b| b == b'=') {
            let name = &text[..eq];
            let off = name.iter().take_while(|&&b| b == b'-').count();
            let bare = &name[off..];
            if is_name(bare) && lit(w) {
                let key = w.span.start + off..w.span.start + eq;
                let v = unquote(data, w.span.start + eq + 1..w.span.end);
                if !v.is_empty() {
                    sink.pair(key, v.clone(), w.quoted, &[]);
                    // `--from-literal=token=...`, `--build-arg=KEY=...`.
                    let inner = &data[v.clone()];
                    if let Some(e2) = inner.iter().position(|&b| b == b'=') {
                        if is_name(&inner[..e2]) && e2 + 1 < inner.len() {
                            sink.pair(
                                v.start..v.start + e2,
                                v.start + e2 + 1..v.end,
                                w.quoted,
                                &[],
                            );
                        }
                    }
                }
            }
            if (bare == b"header" || bare == b"H") && lit(w) {
                header(data, w.span.start + eq + 1..w.span.end, sink);
            }
            continue;
        }
        let command = cmd.map(|c| &data[ws[c].span.clone()]).unwrap_or(b"");
        let command = command.rsplit(|&b| b == b'/').next().unwrap_or(command);
        // --password value
        if let Some(flag) = text.strip_prefix(b"--") {
            if let Some(v) = next {
                let vt = &data[v.span.clone()];
                if is_name(flag) && !vt.starts_with(b"-") && lit(v) {
                    sink.pair(
                        w.span.start + 2..w.span.end,
                        unquote(data, v.span.clone()),
                        v.quoted,
                        &[],
                    );
                }
            }
            if flag == b"header" {
                if let Some(v) = next.filter(|v| lit(v)) {
                    header(data, v.span.clone(), sink);
                }
            }
            if (flag == b"user" || flag == b"proxy-user") && command == b"curl" {
                if let Some(v) = next {
                    user_password(data, v, sink);
                }
            }
            continue;
        }
        if text.starts_with(b"-") && text.len() >= 2 && text[1] != b'-' {
            let opt = text[1];
            let attached = text.len() > 2;
            let mysql = matches!(
                command,
                b"mysql"
                    | b"mysqldump"
                    | b"mysqladmin"
                    | b"mariadb"
                    | b"mariadb-dump"
                    | b"mysqlimport"
                    | b"mysqlshow"
            );
            let login = ws
                .get(cmd.map_or(usize::MAX, |c| c + 1))
                .is_some_and(|s| !s.span.is_empty() && &data[s.span.clone()] == b"login");
            if opt == b'p' && mysql && attached && lit(w) {
                let v = unquote(data, w.span.start + 2..w.span.end);
                sink.named(KeyKind::Password, w.span.clone(), v);
            } else if opt == b'p' && !attached && (command == b"sshpass" || login) {
                if let Some(v) = next.filter(|v| lit(v)) {
                    sink.named(
                        KeyKind::Password,
                        w.span.clone(),
                        unquote(data, v.span.clone()),
                    );
                }
            } else if opt == b'a' && !attached && command == b"redis-cli" {
                if let Some(v) = next.filter(|v| lit(v)) {
                    sink.named(
                        KeyKind::Password,
                        w.span.clone(),
                        unquote(data, v.span.clone()),
                    );
                }
            } else if opt == b'H' && !attached {
                if let Some(v) = next.filter(|v| lit(v)) {
                    header(data, v.span.clone(), sink);
                }
            } else if opt == b'u' && command == b"curl" {
                if attached {
                    let fake = Word {
                        span: w.span.start + 2..w.span.end,
                        expands: w.expands,
                        quoted: w.quoted,
                    };
                    user_password(data, &fake, sink);
                } else if let Some(v) = next {
                    user_password(data, v, sink);
                }
            }
        }
    }
}

/// curl's `user:password`.
fn user_password(data: &[u8], w: &Word, sink: &mut dyn Sink) {
    if w.expands {
        return;
    }
    let r = unquote(data, w.span.clone());
    let t = &data[r.clone()];
    if let Some(c) = t.iter().position(|&b| b == b':') {
        if c > 0 && c + 1 < t.len() {
            sink.named(
                KeyKind::Password,
                r.start..r.start + c,
                r.start + c + 1..r.end,
            );
        }
    }
}

/// An HTTP header argument: `Authorization: Bearer <token>`,
/// `X-Api-Key: <key>`.
fn header(data: &[u8], r: Range<usize>, sink: &mut dyn Sink) {
    let r = unquote(data, r);
    let t = &data[r.clone()];
    let Some(c) = t.iter().position(|&b| b == b':') else {
        return;
    };
    let name = &t[..c];
    let mut v = c + 1;
    while v < t.len() && t[v] == b' ' {
        v += 1;
    }
    if name.eq_ignore_ascii_case(b"authorization")
        || name.eq_ignore_ascii_case(b"proxy-authorization")
    {
        // `Bearer x`, `token x`, `Basic x`: the credential is the last word.
        let rest = &t[v..];
        let Some(sp) = rest.iter().position(|&b| b == b' ') else {
            return;
        };
        let s = v + sp + 1;
        if s < t.len() {
            sink.named(KeyKind::Token, r.start..r.start + c, r.start + s..r.end);
        }
    } else if v < t.len() {
        sink.pair(r.start..r.start + c, r.start + v..r.end, true, &[]);
    }
}
