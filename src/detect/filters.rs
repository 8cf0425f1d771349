//! Context filters that reject look-alikes of secrets: placeholders,
//! references to other variables, UUIDs, sequential strings, hashes, paths,
//! plain words. They are why the generic tier can run without one giant
//! allowlist: each filter encodes one reason a value is not a secret, and
//! looks at the secret together with its line and file, not at the secret
//! alone. Hand-written because no crate models these look-alikes.

use crate::rules::{Filter, Rule};

pub struct Context<'a> {
    pub secret: &'a [u8],
    pub matched: &'a [u8],
    pub line: &'a [u8],
    pub path: &'a str,
}

/// True when one of the rule's filters recognises the secret as a look-alike.
pub fn rejects(rule: &Rule, ctx: &Context<'_>) -> bool {
    if rule.spec.filters.is_empty() {
        return false;
    }
    let Ok(secret) = std::str::from_utf8(ctx.secret) else {
        // Non-UTF-8 bytes are not a placeholder or a reference; let the
        // entropy threshold decide.
        return false;
    };
    rule.spec.filters.iter().any(|f| match f {
        Filter::Placeholder => is_placeholder(secret),
        Filter::Reference => is_reference(secret, ctx.line),
        Filter::Uuid => is_uuid(secret),
        Filter::Sequential => is_sequential(secret),
        Filter::Hash => is_hash(secret, ctx.line, ctx.path),
        Filter::Path => is_path_or_plain_url(secret),
        Filter::Word => is_plain_words(secret),
    })
}

/// Fragments that only occur in values someone left for a human to fill in.
const PLACEHOLDER_PARTS: &[&str] = &[
    "changeme",
    "change_me",
    "change-me",
    "changethis",
    "your_",
    "your-",
    "yourtoken",
    "yourpassword",
    "yourkey",
    "yoursecret",
    "xxxx",
    "****",
    "....",
    "example",
    "dummy",
    "placeholder",
    "redacted",
    "replace_",
    "replaceme",
    "replace-me",
    "insert_",
    "insert-",
    "sample",
    "fake",
    "foobar",
    "lorem",
    "todo",
    "fixme",
    "notreal",
    "not_real",
    "not-real",
    "_here",
    "-here",
    "put_",
    "enter_",
    "enter-",
    "<",
    ">",
    "${",
    "{{",
    "}}",
    "%(",
    "%s",
    "#{",
    "$(",
    "[[",
];

/// Values that are placeholders when they are the whole secret.
const PLACEHOLDER_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "null",
    "none",
    "nil",
    "true",
    "false",
    "undefined",
    "empty",
    "test",
    "testing",
    "admin",
    "root",
    "string",
    "value",
    "required",
    "optional",
    "default",
    "unknown",
    "hidden",
    "masked",
    "pass",
    "mypassword",
    "mysecret",
    "mytoken",
    "password1",
    "password123",
    "secret123",
    "qwerty123",
    "letmein",
    "hunter2",
];

pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) {
        return true;
    }
    if PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // A value made mostly of one masking character: `********`, `xxxxxx`, `000000`.
    let masked = lower
        .bytes()
        .filter(|&b| matches!(b, b'*' | b'x' | b'#' | b'.' | b'-' | b'0' | b'_'))
        .count();
    masked * 10 >= lower.len() * 7
}

/// Calls and lookups that produce the value at run time instead of holding it.
const REFERENCE_PARTS: &[&str] = &[
    "os.environ",
    "getenv",
    "process.env",
    "env(",
    "env[",
    "env.",
    "secrets.",
    "vault(",
    "config.",
    "config[",
    "settings.",
    "environment.",
    "params.",
    "props.",
    "self.",
    "this.",
    "args.",
    "options.",
    "opts.",
    "request.",
    "req.",
    "context.",
    "ctx.",
    "system.getenv",
    "$env:",
    "keyring.",
    "credentials.",
    "secret_ref",
    "valuefrom",
    "secretkeyref",
];

pub fn is_reference(secret: &str, line: &[u8]) -> bool {
    let lower = secret.to_ascii_lowercase();
    if lower.starts_with('$') || lower.starts_with('@') || lower.starts_with('&') {
        return true;
    }
    if REFERENCE_PARTS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // A function call: `get_password()`, `read_token(path)`.
    if is_call(secret) {
        return true;
    }
    // An unquoted identifier or member chain on the right-hand side:
    // `password = settings_password`, `token: TOKEN_VALUE`, `key = a.b.c`.
    let is_ident_chain = secret
        .split('.')
        .all(|seg| !seg.is_empty() && is_identifier(seg));
    if is_ident_chain && !is_quoted_in(line, secret) {
        let has_lower = secret.bytes().any(|b| b.is_ascii_lowercase());
        let has_upper = secret.bytes().any(|b| b.is_ascii_uppercase());
        let shouty = has_upper && !has_lower;
        if shouty || secret.contains('.') || secret.contains('_') {
            return true;
        }
    }
    false
}

fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_')
        && b.all(|c| c.is_ascii_alphanumeric() || c == b'_')
}

fn is_call(s: &str) -> bool {
    match (s.find('('), s.ends_with(')')) {
        (Some(open), true) if open > 0 => s[..open]
            .split(['.', ':'])
            .filter(|seg| !seg.is_empty())
            .all(is_identifier),
        _ => false,
    }
}

/// Whether `secret` appears in `line` directly inside quotes.
fn is_quoted_in(line: &[u8], secret: &str) -> bool {
    let s = secret.as_bytes();
    let mut from = 0;
    while let Some(p) = find(&line[from..], s) {
        let start = from + p;
        let end = start + s.len();
        let before = start.checked_sub(1).map(|i| line[i]);
        let after = line.get(end).copied();
        if matches!(before, Some(b'"' | b'\'' | b'`')) || matches!(after, Some(b'"' | b'\'' | b'`'))
        {
            return true;
        }
        from = start + 1;
    }
    false
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

pub fn is_uuid(secret: &str) -> bool {
    let b = secret.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, &c)| match i {
            8 | 13 | 18 | 23 => c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

const KEYBOARD_ROWS: &[&str] = &[
    "abcdefghijklmnopqrstuvwxyz",
    "zyxwvutsrqponmlkjihgfedcba",
    "0123456789012345678901234567890",
    "9876543210987654321098765432109",
    "qwertyuiopasdfghjklzxcvbnm",
    "1qaz2wsx3edc4rfv5tgb6yhn7ujm",
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
    // Mostly one run along the alphabet, the digits or the keyboard.
    let longest = KEYBOARD_ROWS
        .iter()
        .map(|row| longest_common_substring_len(b, row.as_bytes()))
        .max()
        .unwrap_or(0);
    longest * 10 >= b.len() * 6
}

fn longest_common_substring_len(a: &[u8], b: &[u8]) -> usize {
    let mut best = 0;
    for i in 0..a.len() {
        for j in 0..b.len() {
            let mut k = 0;
            while i + k < a.len() && j + k < b.len() && a[i + k] == b[j + k] {
                k += 1;
            }
            best = best.max(k);
        }
    }
    best
}

const LOCKFILE_NAMES: &[&str] = &[
    "package-lock.json",
    "npm-shrinkwrap.json",
    "yarn.lock",
    "pnpm-lock.yaml",
    "cargo.lock",
    "poetry.lock",
    "uv.lock",
    "pipfile.lock",
    "gemfile.lock",
    "composer.lock",
    "go.sum",
    "flake.lock",
    "packages.lock.json",
    "bun.lock",
];

const HASH_CONTEXT: &[&str] = &[
    "hash",
    "sha",
    "md5",
    "checksum",
    "digest",
    "integrity",
    "etag",
    "commit",
    "rev",
    "revision",
    "fingerprint",
    "crc",
    "blake",
    "nonce",
    "salt",
];

pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    LOCKFILE_NAMES.contains(&name.as_str())
}

pub fn is_hash(secret: &str, line: &[u8], path: &str) -> bool {
    // Subresource-integrity strings: `sha512-<base64>`.
    let lower = secret.to_ascii_lowercase();
    if [
        "sha1-", "sha256-", "sha384-", "sha512-", "sha256:", "sha512:", "sha1:", "md5:",
    ]
    .iter()
    .any(|p| lower.starts_with(p))
    {
        return true;
    }
    if is_lockfile(path) {
        return true;
    }
    let hex = secret.bytes().all(|b| b.is_ascii_hexdigit());
    if hex && matches!(secret.len(), 32 | 40 | 56 | 64 | 96 | 128) {
        let line = String::from_utf8_lossy(line).to_ascii_lowercase();
        return HASH_CONTEXT.iter().any(|w| line.contains(w));
    }
    false
}

pub fn is_path_or_plain_url(secret: &str) -> bool {
    if let Some(scheme_end) = secret.find("://") {
        let scheme = &secret[..scheme_end];
        if !scheme.is_empty()
            && scheme
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'+')
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
    {
        return true;
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
    secret
        .bytes()
        .all(|b| b.is_ascii_alphabetic() || matches!(b, b'_' | b'-' | b'.' | b' '))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders() {
        for s in [
            "changeme",
            "<your-token>",
            "${API_TOKEN}",
            "{{ token }}",
            "%(password)s",
            "xxxxxxxxxxxx",
            "************",
            "example-key-123",
            "dummy_secret_value",
            "REDACTED",
        ] {
            assert!(is_placeholder(s), "{s}");
        }
        for s in ["q8Zr2LmX9vPd", "Tr0ub4dor&3"] {
            assert!(!is_placeholder(s), "{s}");
        }
    }

    #[test]
    fn references() {
        assert!(is_reference(
            "os.environ['TOKEN']",
            b"x = os.environ['TOKEN']"
        ));
        assert!(is_reference("getenv(\"X\")", b""));
        assert!(is_reference("process.env.API_KEY", b""));
        assert!(is_reference("secrets.GITHUB_TOKEN", b""));
        assert!(is_reference("get_password()", b"p = get_password()"));
        assert!(is_reference("DB_PASSWORD", b"password = DB_PASSWORD"));
        assert!(!is_reference("DB_PASSWORD", b"password = \"DB_PASSWORD\""));
        assert!(!is_reference("q8Zr2LmX9vPd", b"password = q8Zr2LmX9vPd"));
    }

    #[test]
    fn uuids_sequences_hashes_paths_words() {
        assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
        assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
        assert!(is_sequential("abcdefghijkl"));
        assert!(is_sequential("1234567890"));
        assert!(is_sequential("abcabcabcabc"));
        assert!(!is_sequential("q8Zr2LmX9vPd"));
        let sha1 = "0123456789abcdef0123456789abcdef01234567";
        assert!(is_hash(sha1, b"commit_sha: 0123", "a.yml"));
        assert!(!is_hash(sha1, b"api_token: 0123", "a.yml"));
        assert!(is_hash("sha512-AbCd==", b"", "x.json"));
        assert!(is_hash("anything", b"", "web/package-lock.json"));
        assert!(is_path_or_plain_url("/etc/ssl/private/key.pem"));
        assert!(is_path_or_plain_url("https://example.org/a/b"));
        assert!(!is_path_or_plain_url("https://u:p4ss@example.org/a"));
        assert!(is_path_or_plain_url("config/keys/prod-key.json"));
        assert!(!is_path_or_plain_url("aZ3kP9/qW2xR7+tY5=="));
        assert!(is_plain_words("correct-horse-battery"));
        assert!(!is_plain_words("correct-horse-battery-7"));
    }
}
