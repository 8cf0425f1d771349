//! Context filters that reject look-alikes of secrets: placeholders,
//! references to other variables, UUIDs, sequential strings, hashes, paths,
//! plain words. They are why the generic tier can run without one giant
//! allowlist: each filter encodes one reason a value is not a secret, and
//! looks at the secret together with its line and file, not at the secret
//! alone. Hand-written because no crate models these look-alikes.

use crate::rules::{Filter, Rule};

mod code;
use code::{is_badge_token, is_declared_type, is_scoped_path};

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
        Filter::Placeholder => is_placeholder(secret) || is_test_value(secret, ctx.path),
        Filter::Reference => {
            is_reference(secret, ctx.line, ctx.path)
                || is_declared_type(secret, ctx.matched, ctx.line)
        }
        Filter::Uuid => is_uuid(secret),
        Filter::Sequential => is_sequential(secret),
        Filter::Hash => is_hash(secret, ctx.line, ctx.path),
        Filter::Path => is_path_or_plain_url(secret) || is_badge_token(secret, ctx.line),
        Filter::Word => is_plain_words(secret) || is_number(secret),
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
    "...",
    "…",
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

/// Values that are placeholders (or well-known development defaults that
/// every tutorial uses) when they are the whole secret.
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
    "changeit",
    "secret1",
    "passw0rd",
    "p@ssw0rd",
    "p@ssword",
    "admin123",
    "welcome1",
    "s3cr3t",
    "supersecret",
    "topsecret",
    "notasecret",
    "mysecretpassword",
];

pub fn is_placeholder(secret: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if PLACEHOLDER_WORDS.contains(&lower.as_str()) {
        return true;
    }
    if PLACEHOLDER_PARTS.iter().any(|p| lower.contains(p)) {
        return true;
    }
    // `test_secret_key_base_...`, `test-token-1`: says what it is for.
    if ["test_", "test-", "testing_", "testing-"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    // A format placeholder: `{token}`, `{0}`, `{api_key}`.
    if let (Some(open), Some(close)) = (lower.find('{'), lower.rfind('}')) {
        if open < close && lower[open + 1..close].bytes().all(is_ident_byte) {
            return true;
        }
    }
    // A deploy-time token: `__PASSWORD__`, `#{Secret}#`, `@@TOKEN@@`, `%API_KEY%`.
    for d in ["__", "#", "@@", "%", "$"] {
        if let Some(inner) = secret.strip_prefix(d).and_then(|rest| rest.strip_suffix(d)) {
            let inner = inner.trim_matches(|c| matches!(c, '{' | '}' | '(' | ')'));
            if !inner.is_empty() && inner.bytes().all(is_ident_byte) {
                return true;
            }
        }
    }
    // A value made mostly of one masking character: `********`, `xxxxxx`, `000000`.
    let masked = lower
        .bytes()
        .filter(|&b| matches!(b, b'*' | b'x' | b'#' | b'.' | b'-' | b'0' | b'_'))
        .count();
    masked * 10 >= lower.len() * 7
}

/// Words that test fixtures put in the values they invent.
const TEST_VALUE_HINTS: &[&str] = &[
    "test", "mock", "stub", "fixture", "dummy", "fake", "invalid", "wrong", "bad", "expired",
    "secret", "passw", "token", "sample", "demo", "foo", "bar", "baz", "qux", "abc", "xyz",
];

/// A value in a test file (`tests/`, `*_test.go`, `test_*.py`, `*.spec.ts`,
/// fixtures) that says it is made up.
pub fn is_test_value(secret: &str, path: &str) -> bool {
    if !is_test_path(path) {
        return false;
    }
    let lower = secret.to_ascii_lowercase();
    TEST_VALUE_HINTS.iter().any(|h| lower.contains(h))
}

pub fn is_test_path(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    let mut parts = lower.split('/').rev();
    let name = parts.next().unwrap_or("");
    let dir_hit = parts.any(|d| {
        matches!(
            d,
            "test"
                | "tests"
                | "spec"
                | "specs"
                | "__tests__"
                | "testdata"
                | "test-data"
                | "test_data"
                | "fixtures"
                | "__fixtures__"
                | "__mocks__"
                | "mocks"
                | "testing"
        )
    });
    let stem = name.split('.').next().unwrap_or(name);
    dir_hit
        || stem.starts_with("test_")
        || stem.ends_with("_test")
        || stem.ends_with("_tests")
        || stem.ends_with("test") && name.ends_with(".java")
        || stem.ends_with("tests") && name.ends_with(".cs")
        || name.contains(".test.")
        || name.contains(".spec.")
        || name == "conftest.py"
}

/// Calls and lookups that produce the value at run time instead of holding it.
const REFERENCE_PARTS: &[&str] = &[
    "os.environ",
    "getenv",
    "process.env",
    "import.meta.env",
    "deno.env",
    "env(",
    "env[",
    "env.",
    "env::var",
    "env!(",
    "secrets.",
    "vault(",
    "vault:",
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
    "$env:",
    "keyring.",
    "credentials.",
    "secret_ref",
    "valuefrom",
    "secretkeyref",
    "arn:aws:",
    "arn:aws-",
    "ssm:",
    "op://",
    "secretsmanager",
    "keyvault",
    "{{resolve:",
    "lookup(",
];

/// Prefixes of Terraform / HCL and templating references.
const REFERENCE_PREFIXES: &[&str] = &[
    "var.", "local.", "data.", "module.", "each.", "!ref", "!sub", "!getatt", "!vault", "%env(",
    "env:",
];

pub fn is_reference(secret: &str, line: &[u8], path: &str) -> bool {
    let lower = secret.to_ascii_lowercase();
    if lower.starts_with('$') || lower.starts_with('&') {
        return true;
    }
    // `@token`, `@Microsoft.KeyVault(SecretUri=...)`, `@config.key`: an
    // instance variable, decorator or Key Vault reference. A quoted value
    // with punctuation after the `@` is a password that starts with one.
    if let Some(rest) = secret.strip_prefix('@') {
        let head = rest.split('(').next().unwrap_or(rest);
        let named = head
            .split(['.', ':'])
            .all(|seg| !seg.is_empty() && is_identifier(seg));
        if named || !is_quoted_in(line, secret) {
            return true;
        }
    }
    if REFERENCE_PARTS.iter().any(|p| lower.contains(p))
        || REFERENCE_PREFIXES.iter().any(|p| lower.starts_with(p))
    {
        return true;
    }
    // A function call or subscript: `get_password()`, `read_token(path`,
    // `config["x"]`, `Optional[str]`, `Token::new(`.
    if is_call(secret) || is_scoped_path(secret) {
        return true;
    }
    // In code an unquoted identifier or member chain on the right-hand side
    // is another variable: `password = settings_password`, `key = a.b.c`.
    // In .env, YAML, properties and Dockerfiles the same text is a literal.
    let is_ident_chain = secret
        .split('.')
        .flat_map(|seg| seg.split("::"))
        .all(|seg| !seg.is_empty() && is_identifier(seg));
    if is_code_path(path) && is_expression(secret) {
        return true;
    }
    // A password inside a URI (`scheme://user:PASSWORD@host`) is a literal
    // whatever the file type, even though it is never directly quoted.
    if is_ident_chain && !is_quoted_in(line, secret) && !is_uri_password(line, secret) {
        if is_code_path(path) {
            return true;
        }
        let has_lower = secret.bytes().any(|b| b.is_ascii_lowercase());
        let has_upper = secret.bytes().any(|b| b.is_ascii_uppercase());
        // `token: GITHUB_TOKEN` names a variable in any syntax.
        if has_upper && !has_lower && secret.contains('_') {
            return true;
        }
    }
    false
}

/// Whether `secret` appears in `line` as `:secret@`, the password of a URI's
/// user-info.
fn is_uri_password(line: &[u8], secret: &str) -> bool {
    let s = secret.as_bytes();
    line.windows(s.len() + 2)
        .any(|w| w[0] == b':' && w[w.len() - 1] == b'@' && &w[1..w.len() - 1] == s)
}

const CODE_EXTENSIONS: &[&str] = &[
    "py", "pyi", "ipynb", "js", "jsx", "ts", "tsx", "mjs", "cjs", "go", "java", "kt", "kts",
    "scala", "groovy", "gradle", "rb", "php", "cs", "rs", "swift", "c", "h", "cc", "cpp", "hpp",
    "m", "tf", "hcl", "lua", "dart", "ex", "exs", "clj", "jl", "vue", "svelte",
];

/// `t.secret||r(16)`, `e.apiKey||i.apiKey}`, `password})`: an identifier
/// or member chain followed by an operator or a closing bracket is code
/// (minified JavaScript, nested literals), not a value.
fn is_expression(secret: &str) -> bool {
    let end = secret
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
        .unwrap_or(secret.len());
    let (head, rest) = secret.split_at(end);
    let head_is_chain = head
        .split('.')
        .all(|seg| !seg.is_empty() && is_identifier(seg));
    head_is_chain
        && ["||", "&&", "??", "?.", ")", "}", "]"]
            .iter()
            .any(|op| rest.starts_with(op))
}

fn is_code_path(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    match name.rsplit_once('.') {
        Some((_, ext)) => CODE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
        None => false,
    }
}

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_') && b.all(is_ident_byte)
}

/// `name(`, `a.b(`, `A::b(` or `a[`: the start of a call or subscript,
/// whether or not the regex captured its end. Macro invocations count too
/// (`vec![0u8`, `format!(`, `Token![=]`, `json!{`): in any file type an
/// identifier followed by `!(` is code, as passwords are not written so.
fn is_call(s: &str) -> bool {
    let open = match s.find(['(', '[', '{']) {
        Some(open) if s.as_bytes()[open] == b'{' && !s[..open].ends_with('!') => return false,
        open => open,
    };
    match open {
        Some(open) if open > 0 => {
            let head = s[..open].strip_suffix('!').unwrap_or(&s[..open]);
            let mut segs = head.split(['.', ':']).filter(|seg| !seg.is_empty());
            let first = segs.next();
            first.is_some_and(is_identifier) && segs.all(is_identifier)
        }
        _ => false,
    }
}

/// Whether `secret` is (part of) a string literal in `line`: an odd number
/// of one kind of quote precedes it. `"postgres://u:PW@h"` holds a literal
/// even though no quote touches `PW`.
fn is_quoted_in(line: &[u8], secret: &str) -> bool {
    let Some(at) = find(line, secret.as_bytes()) else {
        return false;
    };
    let mut open: Option<u8> = None;
    let mut escaped = false;
    for &b in &line[..at] {
        match (open, b) {
            (_, b'\\') if !escaped => {
                escaped = true;
                continue;
            }
            (None, b'"' | b'\'' | b'`') if !escaped => open = Some(b),
            (Some(q), c) if c == q && !escaped => open = None,
            _ => {}
        }
        escaped = false;
    }
    open.is_some() || matches!(line.get(at + secret.len()), Some(b'"' | b'\'' | b'`'))
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
    "mix.lock",
    "pubspec.lock",
    "podfile.lock",
    ".terraform.lock.hcl",
];

/// Words (whole identifier parts) that say a hex or base64 value on the
/// line is a digest, not a key.
const HASH_WORDS: &[&str] = &[
    "hash",
    "hashes",
    "sha",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "shasum",
    "md5",
    "checksum",
    "checksums",
    "digest",
    "integrity",
    "etag",
    "commit",
    "rev",
    "revision",
    "fingerprint",
    "crc",
    "crc32",
    "blake2b",
    "blake3",
    "oid",
    "nonce",
    "salt",
    "uses",
    "ref",
];

pub fn is_lockfile(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path).to_ascii_lowercase();
    LOCKFILE_NAMES.contains(&name.as_str())
}

/// The identifier words of a line, split at punctuation and camelCase
/// humps, lower-cased: `commitSha: x` -> `commit`, `sha`, `x`.
fn line_words(line: &[u8]) -> Vec<String> {
    let mut words = Vec::new();
    let mut cur = String::new();
    let mut prev_lower = false;
    for &b in line {
        if b.is_ascii_alphanumeric() {
            if b.is_ascii_uppercase() && prev_lower && !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
            prev_lower = b.is_ascii_lowercase() || b.is_ascii_digit();
            cur.push(b.to_ascii_lowercase() as char);
        } else {
            prev_lower = false;
            if !cur.is_empty() {
                words.push(std::mem::take(&mut cur));
            }
        }
    }
    if !cur.is_empty() {
        words.push(cur);
    }
    words
}

pub fn is_hash(secret: &str, line: &[u8], path: &str) -> bool {
    // Subresource-integrity strings `sha512-<base64>`, typed digests
    // `sha256:<hex>`, go.sum's `h1:<base64>`.
    let lower = secret.to_ascii_lowercase();
    if [
        "sha1-", "sha256-", "sha384-", "sha512-", "sha256:", "sha512:", "sha1:", "md5:", "h1:",
        "blake3:",
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
    let digest_b64 = |n: usize| {
        secret.len() == n
            && secret.ends_with('=')
            && secret
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'-' | b'_'))
    };
    let digest_shaped = (hex && matches!(secret.len(), 32 | 40 | 56 | 64 | 96 | 128))
        || digest_b64(28)
        || digest_b64(44)
        || digest_b64(88);
    digest_shaped
        && line_words(line)
            .iter()
            .any(|w| HASH_WORDS.contains(&w.as_str()))
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

#[cfg(test)]
mod tests;
