//! Composer / PHP `version_compare` ordering. Hand-rolled: no Rust crate
//! implements it. Composer normalises the release to four numbers and
//! then orders like PHP's `version_compare`, where the special words rank
//! `dev < alpha = a < beta = b < RC = rc < (number) < pl = p`.

use std::cmp::Ordering;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Part {
    Num(u64),
    Word(String),
}

pub fn parse(v: &str) -> Option<Vec<Part>> {
    let t = v.trim();
    let t = t.strip_prefix(['v', 'V']).unwrap_or(t);
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let mut parts = Vec::new();
    let mut cur = String::new();
    for c in t.chars() {
        if matches!(c, '.' | '-' | '_' | '+') {
            push(&mut cur, &mut parts)?;
        } else if !c.is_ascii_alphanumeric() {
            return None;
        } else if !cur.is_empty() && cur.as_bytes()[0].is_ascii_digit() != c.is_ascii_digit() {
            push(&mut cur, &mut parts)?;
            cur.push(c);
        } else {
            cur.push(c);
        }
    }
    push(&mut cur, &mut parts)?;
    // Pad the leading numeric release to four components (1.2 == 1.2.0.0).
    let nums = parts
        .iter()
        .take_while(|p| matches!(p, Part::Num(_)))
        .count();
    if nums < 4 {
        for _ in nums..4 {
            parts.insert(nums, Part::Num(0));
        }
    }
    Some(parts)
}

fn push(cur: &mut String, parts: &mut Vec<Part>) -> Option<()> {
    if cur.is_empty() {
        return Some(());
    }
    let s = std::mem::take(cur);
    parts.push(if s.as_bytes()[0].is_ascii_digit() {
        Part::Num(s.parse().ok()?)
    } else {
        Part::Word(s.to_ascii_lowercase())
    });
    Some(())
}

fn rank(p: &Part) -> i32 {
    match p {
        Part::Num(_) => 4,
        Part::Word(w) => match w.as_str() {
            "dev" => 0,
            "alpha" | "a" => 1,
            "beta" | "b" => 2,
            "rc" => 3,
            "pl" | "p" | "patch" => 5,
            // PHP ranks unknown words below `dev`.
            _ => -6,
        },
    }
}

pub fn cmp(a: &[Part], b: &[Part]) -> Ordering {
    for i in 0..a.len().max(b.len()) {
        let o = match (a.get(i), b.get(i)) {
            (Some(Part::Num(x)), Some(Part::Num(y))) => x.cmp(y),
            (Some(x), Some(y)) => rank(x).cmp(&rank(y)),
            // A longer version wins if its extra part is a number or a
            // patch level, loses if it is a pre-release word.
            (Some(x), None) => rank(x).cmp(&4).then(Ordering::Greater),
            (None, Some(y)) => 4.cmp(&rank(y)).then(Ordering::Less),
            (None, None) => Ordering::Equal,
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
    fn composer_rules() {
        assert_eq!(c("1.2", "1.2.0.0"), Ordering::Equal);
        assert_eq!(c("v1.2.3", "1.2.3"), Ordering::Equal);
        assert_eq!(c("1.0.0-RC1", "1.0.0"), Ordering::Less);
        assert_eq!(c("1.0.0-beta2", "1.0.0-RC1"), Ordering::Less);
        assert_eq!(c("1.0.0-alpha", "1.0.0-beta"), Ordering::Less);
        assert_eq!(c("1.0.0-p1", "1.0.0"), Ordering::Greater);
        assert_eq!(c("1.0.0.1", "1.0.0"), Ordering::Greater);
        assert_eq!(c("2.10", "2.9"), Ordering::Greater);
        assert!(parse("dev-master").is_none());
    }
}
