//! Values whose shape says they are not secrets: UUIDs, sequences,
//! paths and plain URLs, words without digits, bare numbers.

pub fn is_uuid(secret: &str) -> bool {
    let b = secret.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

pub(super) const KEYBOARD_ROWS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "0123456789012345678901234567890",
    "9876543210987654321098765432109",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm",
    "1q2w3e4r5t6y7u8i9o0p",
];

pub fn is_sequential(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    let b = lower.as_bytes();
    if b.len() < 4 {
        return true;
    }
    // Few distinct characters: `aaaaaaaa`, `abababab`, `11112222`.
    let mut seen = [false; 256];
    let distinct = b
        .iter()
        .filter(|&&c| !std::mem::replace(&mut seen[c as usize], true))
        .count();
    if distinct <= 3 {
        return true;
    }
    // A short unit repeated: `abc123abc123abc123`.
    for period in 1..=b.len() / 3 {
        if b.iter().enumerate().all(|(i, &c)| c == b[i % period]) {
            return true;
        }
    }
    // Mostly steps of one: `abcdef...XYZ0123456789`, `zyxw`.
    let steps = b
        .windows(2)
        .filter(|w| w[1] == w[0].wrapping_add(1) || w[0] == w[1].wrapping_add(1))
        .count();
    if steps * 10 >= (b.len() - 1) * 8 {
        return true;
    }
    // Mostly one run along the alphabet, the digits or the keyboard.
    let longest = KEYBOARD_ROWS
        .iter()
        .map(|row| longest_run_in_row(b, row.as_bytes()))
        .max()
        .unwrap_or(0);
    longest * 10 >= b.len() * 6
}

/// Longest run of `a` that also occurs in `row`. Every keyboard row is
/// either free of repeats or periodic (the digit rows), so a run starting at
/// `a[i]` extends furthest from the first place `a[i]` occurs in the row:
/// one table lookup per byte instead of comparing every pair of offsets
/// (that quadratic loop was 4% of a corpus scan).
pub(super) fn longest_run_in_row(a: &[u8], row: &[u8]) -> usize {
    let mut first = [u8::MAX; 256];
    for (j, &c) in row.iter().enumerate().rev() {
        first[c as usize] = j as u8;
    }
    let mut best = 0;
    let mut i = 0;
    while i < a.len() {
        let j = first[a[i] as usize];
        if j == u8::MAX {
            i += 1;
            continue;
        }
        let j = j as usize;
        let k = a[i..]
            .iter()
            .zip(&row[j..])
            .take_while(|(x, y)| x == y)
            .count();
        best = best.max(k);
        i += 1;
    }
    best
}

/// Names of files that hold secrets but are not secrets themselves.
const FILE_EXTENSIONS: &[&str] = &[
    "json",
    "yaml",
    "yml",
    "pem",
    "key",
    "crt",
    "cer",
    "p12",
    "pfx",
    "jks",
    "txt",
    "env",
    "ini",
    "cfg",
    "conf",
    "toml",
    "pub",
    "gpg",
    "asc",
    "keystore",
    "properties",
    "xml",
    "csv",
    "enc",
    "age",
    "der",
    "kdbx",
];

pub fn is_path_or_plain_url(secret: &str) -> bool {
    if let Some(scheme_end) = secret.find("://") {
        let scheme = &secret[..scheme_end];
        if !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'))
        {
            let rest = &secret[scheme_end + 3..];
            let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
            // Credentials in the authority make it a secret for other rules.
            return !authority.contains('@');
        }
    }
    if secret.starts_with('/')
        || secret.starts_with("./")
        || secret.starts_with("../")
        || secret.starts_with("~/")
        || secret.get(1..3) == Some(":\\")
        || secret.starts_with("\\\\")
    {
        return true;
    }
    // A bare file name: `credentials.json`, `server.key`, `id_rsa.pub`.
    if let Some((stem, ext)) = secret.rsplit_once('.') {
        if !stem.is_empty()
            && stem
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_'))
            && FILE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str())
        {
            return true;
        }
    }
    if !secret.contains('/') && !secret.contains('\\') {
        return false;
    }
    let segments: Vec<&str> = secret
        .split(['/', '\\'])
        .filter(|s| !s.is_empty())
        .collect();
    let wordy = |s: &&str| {
        s.len() <= 40
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'@'))
    };
    segments.len() >= 2
        && segments.iter().all(wordy)
        && (secret == secret.to_ascii_lowercase()
            || segments
                .iter()
                .any(|s| s.contains('.') || s.contains('-') || s.contains('_')))
}

/// Letters only (with word separators), no digits: `correct-horse`,
/// `SomeClassName`, `enabled`.
pub fn is_plain_words(secret: &str) -> bool {
    let b = secret.as_bytes();
    if !b
        .iter()
        .all(|&c| c.is_ascii_alphabetic() || matches!(c, b'_' | b'-' | b'.' | b' '))
    {
        return false;
    }
    // `postgres-password`, `LEDGER_DB_PASSWORD`, `Some.Words`: separated
    // segments that are each lower-case, Capitalised or upper-case.
    let segments: Vec<&[u8]> = b
        .split(|c| matches!(c, b'_' | b'-' | b'.' | b' '))
        .filter(|s| !s.is_empty())
        .collect();
    let plain_segment = |s: &&[u8]| {
        s.iter().all(u8::is_ascii_uppercase) || s[1..].iter().all(u8::is_ascii_lowercase)
    };
    if segments.len() > 1 && segments.iter().all(plain_segment) {
        return true;
    }
    // Words and camelCase identifiers are about 30-40% vowels with a
    // hump (lower -> upper) every five or more letters; random letters are
    // about 19% vowels and hump every fourth byte.
    let humps = b
        .windows(2)
        .filter(|w| w[0].is_ascii_lowercase() && w[1].is_ascii_uppercase())
        .count();
    let letters = b.iter().filter(|c| c.is_ascii_alphabetic()).count();
    let vowels = b
        .iter()
        .filter(|c| matches!(c.to_ascii_lowercase(), b'a' | b'e' | b'i' | b'o' | b'u'))
        .count();
    vowels * 10 >= letters * 3 && humps * 4 <= b.len()
}

/// Digits only (ports, timeouts, sizes, ids): no generic secret is a bare number.
pub fn is_number(secret: &str) -> bool {
    !secret.is_empty() && secret.bytes().all(|b| b.is_ascii_digit() || b == b'.')
}
