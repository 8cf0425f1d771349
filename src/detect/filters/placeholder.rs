//! Values left for a human to fill in, and values test fixtures make up.

use super::is_ident_byte;

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
