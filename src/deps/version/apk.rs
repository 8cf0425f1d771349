//! Alpine (apk-tools) version ordering:
//! `digit{.digit}...{letter}{_suffix{number}}...{~hash}{-r#}`.
//!
//! Hand-rolled: no maintained crate implements apk's ordering. Written
//! from apk-tools' documented grammar and behaviour and checked against
//! `apk version -t` on real Alpine version pairs
//! (tests/fixtures/versions/apk-pairs.txt, tests/image_versions.rs).
//!
//! - Numbers compare numerically, except that a component after the first
//!   with a leading zero compares as a string (`1.01` < `1.1`, Gentoo's rule).
//! - One letter may follow the numbers (`1.2a` > `1.2`).
//! - Suffixes: `_alpha` < `_beta` < `_pre` < `_rc` < (none) < `_cvs` <
//!   `_svn` < `_git` < `_hg` < `_p`, each with an optional number.
//! - `~hash` (a commit), then `-rN`, the package revision.
//! - When one version runs out first, the longer one is greater unless
//!   what it has next is a pre-release suffix.

use std::cmp::Ordering;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    InitialDigit,
    Digit,
    Letter,
    Suffix,
    SuffixNo,
    CommitHash,
    RevisionNo,
    End,
}

/// Suffix ranks; `NONE` sits between the pre- and post-release ones.
const PRE: [&str; 4] = ["alpha", "beta", "pre", "rc"];
const POST: [&str; 5] = ["cvs", "svn", "git", "hg", "p"];
const NONE: u8 = 4;

fn suffix_rank(s: &str) -> Option<u8> {
    if let Some(i) = PRE.iter().position(|p| *p == s) {
        return Some(i as u8);
    }
    POST.iter()
        .position(|p| *p == s)
        .map(|i| NONE + 1 + i as u8)
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    kind: Kind,
    number: u64,
    suffix: u8,
    text: String,
}

/// A version split into tokens, ending with an `End` token.
pub type Version = Vec<Token>;

/// Parse an apk version; `None` when apk would call it invalid.
pub fn parse(v: &str) -> Option<Version> {
    let b = v.trim().as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let digits = |i: &mut usize| -> Option<(u64, String)> {
        let start = *i;
        let mut n: u64 = 0;
        while *i < b.len() && b[*i].is_ascii_digit() {
            n = n.wrapping_mul(10).wrapping_add(u64::from(b[*i] - b'0'));
            *i += 1;
        }
        (*i > start).then(|| (n, String::from_utf8_lossy(&b[start..*i]).into_owned()))
    };
    let (n, t) = digits(&mut i)?;
    out.push(Token {
        kind: Kind::InitialDigit,
        number: n,
        suffix: 0,
        text: t,
    });
    loop {
        let prev = out.last().map_or(Kind::InitialDigit, |t| t.kind);
        if i >= b.len() {
            out.push(Token {
                kind: Kind::End,
                number: 0,
                suffix: 0,
                text: String::new(),
            });
            return Some(out);
        }
        let c = b[i];
        let tok = match c {
            b'a'..=b'z' => {
                if prev > Kind::Digit {
                    return None;
                }
                i += 1;
                Token {
                    kind: Kind::Letter,
                    number: u64::from(c),
                    suffix: 0,
                    text: (c as char).to_string(),
                }
            }
            b'.' | b'0'..=b'9' => {
                if c == b'.' {
                    if prev > Kind::Digit {
                        return None;
                    }
                    i += 1;
                }
                let kind = match prev {
                    Kind::InitialDigit | Kind::Digit => Kind::Digit,
                    Kind::Suffix => Kind::SuffixNo,
                    _ => return None,
                };
                let (n, t) = digits(&mut i)?;
                Token {
                    kind,
                    number: n,
                    suffix: 0,
                    text: t,
                }
            }
            b'_' => {
                if prev > Kind::SuffixNo {
                    return None;
                }
                i += 1;
                let start = i;
                while i < b.len() && b[i].is_ascii_lowercase() {
                    i += 1;
                }
                let name = std::str::from_utf8(&b[start..i]).ok()?;
                Token {
                    kind: Kind::Suffix,
                    number: 0,
                    suffix: suffix_rank(name)?,
                    text: name.to_string(),
                }
            }
            b'~' => {
                if prev >= Kind::CommitHash {
                    return None;
                }
                i += 1;
                let start = i;
                while i < b.len() && matches!(b[i], b'0'..=b'9' | b'a'..=b'f') {
                    i += 1;
                }
                if i == start {
                    return None;
                }
                Token {
                    kind: Kind::CommitHash,
                    number: 0,
                    suffix: 0,
                    text: String::from_utf8_lossy(&b[start..i]).into_owned(),
                }
            }
            b'-' => {
                if prev >= Kind::RevisionNo || b.get(i + 1) != Some(&b'r') {
                    return None;
                }
                i += 2;
                let (n, t) = digits(&mut i)?;
                Token {
                    kind: Kind::RevisionNo,
                    number: n,
                    suffix: 0,
                    text: t,
                }
            }
            _ => return None,
        };
        out.push(tok);
    }
}

fn token_cmp(a: &Token, b: &Token) -> Ordering {
    match a.kind {
        Kind::Digit if a.text.starts_with('0') || b.text.starts_with('0') => {
            a.text.as_bytes().cmp(b.text.as_bytes())
        }
        Kind::InitialDigit | Kind::Digit | Kind::SuffixNo | Kind::RevisionNo | Kind::Letter => {
            a.number.cmp(&b.number)
        }
        Kind::Suffix => a.suffix.cmp(&b.suffix),
        Kind::CommitHash | Kind::End => a.text.as_bytes().cmp(b.text.as_bytes()),
    }
}

/// Order two parsed versions as `apk version -t` does.
pub fn cmp(a: &Version, b: &Version) -> Ordering {
    let mut i = 0;
    loop {
        let (ta, tb) = (&a[i], &b[i]);
        if ta.kind != tb.kind || ta.kind == Kind::End {
            break;
        }
        let o = token_cmp(ta, tb);
        if o != Ordering::Equal {
            return o;
        }
        i += 1;
    }
    let (ta, tb) = (&a[i], &b[i]);
    if ta.kind == tb.kind {
        return Ordering::Equal;
    }
    if ta.kind == Kind::Suffix && ta.suffix < NONE {
        return Ordering::Less;
    }
    if tb.kind == Kind::Suffix && tb.suffix < NONE {
        return Ordering::Greater;
    }
    // The one that ran out (a higher kind, `End` highest) is older.
    tb.kind.cmp(&ta.kind)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str) -> Ordering {
        cmp(&parse(a).unwrap(), &parse(b).unwrap())
    }

    #[test]
    fn orders() {
        use Ordering::*;
        assert_eq!(c("1.2.3-r0", "1.2.3-r1"), Less);
        assert_eq!(c("1.2.3_rc1-r0", "1.2.3-r0"), Less);
        assert_eq!(c("1.2.3_p1-r0", "1.2.3-r0"), Greater);
        assert_eq!(c("1.2_alpha", "1.2_beta2"), Less);
        assert_eq!(c("1.2a", "1.2"), Greater);
        assert_eq!(c("1.10", "1.9"), Greater);
        assert_eq!(c("1.01", "1.1"), Less);
        assert_eq!(c("1.0-r10", "1.0-r9"), Greater);
        assert_eq!(c("2.0", "2.0-r0"), Less);
        assert_eq!(c("1.0_git20230101", "1.0"), Greater);
        assert_eq!(c("1.0~abc1-r0", "1.0-r0"), Greater);
        assert_eq!(c("3.0.11-r0", "3.0.11-r0"), Equal);
    }

    #[test]
    fn invalid() {
        for v in [
            "",
            "a1",
            "1.2-3",
            "1._x",
            "1.2-r",
            "1~",
            "1.0-r1-r2",
            "1_foo",
        ] {
            assert!(parse(v).is_none(), "{v}");
        }
    }
}
