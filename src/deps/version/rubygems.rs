//! `Gem::Version` ordering. Hand-rolled: no maintained Rust crate implements
//! RubyGems' rules, and they are short. Mirrors `Gem::Version#<=>`:
//! segments are numbers or letter runs, a letter segment marks a
//! pre-release and sorts before any number, trailing zeros do not count.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Num(u64),
    Str(String),
}

pub fn parse(v: &str) -> Option<Vec<Seg>> {
    let t = v.trim();
    if t.is_empty() {
        return Some(vec![Seg::Num(0)]);
    }
    if !t.starts_with(|c: char| c.is_ascii_digit())
        || !t
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
    {
        return None;
    }
    // RubyGems reads `1.0-rc1` as `1.0.pre.rc1`.
    let t = t.replace('-', ".pre.");
    let mut segs = Vec::new();
    let mut cur = String::new();
    let flush = |cur: &mut String, segs: &mut Vec<Seg>| -> Option<()> {
        if cur.is_empty() {
            return Some(());
        }
        let s = std::mem::take(cur);
        if s.chars().all(|c| c.is_ascii_digit()) {
            segs.push(Seg::Num(s.parse().ok()?));
        } else {
            segs.push(Seg::Str(s));
        }
        Some(())
    };
    for c in t.chars() {
        if c == '.' {
            flush(&mut cur, &mut segs)?;
        } else if !cur.is_empty() && (cur.as_bytes()[0].is_ascii_digit() != c.is_ascii_digit()) {
            flush(&mut cur, &mut segs)?;
            cur.push(c);
        } else {
            cur.push(c);
        }
    }
    flush(&mut cur, &mut segs)?;
    Some(canonical(segs))
}

/// Trailing zeros of the release part and of the pre-release part are dropped.
fn canonical(segs: Vec<Seg>) -> Vec<Seg> {
    let split = segs
        .iter()
        .position(|s| matches!(s, Seg::Str(_)))
        .unwrap_or(segs.len());
    let (rel, pre) = segs.split_at(split);
    let trim = |s: &[Seg]| {
        let mut v = s.to_vec();
        while matches!(v.last(), Some(Seg::Num(0))) {
            v.pop();
        }
        v
    };
    let mut out = trim(rel);
    out.extend(trim(pre));
    out
}

pub fn cmp(a: &[Seg], b: &[Seg]) -> Ordering {
    let zero = Seg::Num(0);
    for i in 0..a.len().max(b.len()) {
        let x = a.get(i).unwrap_or(&zero);
        let y = b.get(i).unwrap_or(&zero);
        let o = match (x, y) {
            (Seg::Num(p), Seg::Num(q)) => p.cmp(q),
            (Seg::Str(p), Seg::Str(q)) => p.cmp(q),
            (Seg::Str(_), Seg::Num(_)) => Ordering::Less,
            (Seg::Num(_), Seg::Str(_)) => Ordering::Greater,
        };
        if o != Ordering::Equal {
            return o;
        }
    }
    Ordering::Equal
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(a: &str, b: &str) -> Ordering {
        cmp(&parse(a).unwrap(), &parse(b).unwrap())
    }

    #[test]
    fn gem_rules() {
        assert_eq!(c("1.0", "1.0.0"), Ordering::Equal);
        assert_eq!(c("1.0.a", "1.0"), Ordering::Less);
        assert_eq!(c("1.0.0.rc1", "1.0.0"), Ordering::Less);
        assert_eq!(c("1.0-rc1", "1.0.0.pre.rc1"), Ordering::Equal);
        assert_eq!(c("1.10", "1.9"), Ordering::Greater);
        assert_eq!(c("2.0.0.beta", "2.0.0.alpha"), Ordering::Greater);
        assert_eq!(c("5.2.4.3", "5.2.4.rc1"), Ordering::Greater);
        assert!(parse("abc").is_none());
    }
}
