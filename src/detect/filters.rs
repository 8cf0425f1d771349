//! Context filters that reject look-alikes of secrets: placeholders,
//! references to other variables, UUIDs, sequential strings, hashes, paths,
//! plain words. They are why the generic tier can run without one giant
//! allowlist: each filter encodes one reason a value is not a secret, and
//! looks at the secret together with its line and file, not at the secret
//! alone. Hand-written because no crate models these look-alikes.

use crate::rules::{Filter, Rule};

mod code;
mod hash;
mod placeholder;
mod reference;
mod shape;

use code::{is_badge_token, is_declared_type};
pub use hash::{is_hash, is_lockfile};
pub use placeholder::{is_placeholder, is_test_path, is_test_value};
pub use reference::is_reference;
pub use shape::{is_number, is_path_or_plain_url, is_plain_words, is_sequential, is_uuid};

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

fn is_ident_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

fn is_identifier(s: &str) -> bool {
    let mut b = s.bytes();
    matches!(b.next(), Some(c) if c.is_ascii_alphabetic() || c == b'_') && b.all(is_ident_byte)
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    if needle.is_empty() || needle.len() > hay.len() {
        return None;
    }
    hay.windows(needle.len()).position(|w| w == needle)
}

#[cfg(test)]
mod tests;
