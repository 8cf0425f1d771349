//! Whether a literal under a secret-bearing key is a secret, and how sure
//! that is: the value's shape (placeholder, reference, template, path,
//! prose, plain word, random string) weighed with what the key says.

use super::keys::{KeyKind, Words};
use crate::detect::filters;
use crate::rules::Confidence;
use crate::util::shannon_entropy;

/// Values that say "nothing here" in any config language.
const NOTHING: &[&str] = &[
    "null",
    "none",
    "nil",
    "true",
    "false",
    "yes",
    "no",
    "on",
    "off",
    "undefined",
    "~",
    "n/a",
    "na",
    "tbd",
    "unset",
    "default",
    "env",
    "required",
    "optional",
    "secret",
    "string",
];

/// Prefixes and markers of values that are fetched, encrypted or filled
/// in elsewhere: secret managers, sops/hiera-eyaml ciphertext, CI
/// variables, templates.
const INDIRECT: &[&str] = &[
    "enc[",
    "vault:",
    "vault(",
    "op://",
    "ssm:",
    "arn:aws:",
    "arn:aws-",
    "secretsmanager",
    "keyvault",
    "@microsoft.keyvault",
    "{{",
    "{%",
    "<%",
    "%(",
    "%{",
    "%env(",
    "${",
    "$(",
    "#{",
    "@@",
    "env:",
    "ref+",
    "sm://",
    "gcp:secretmanager",
    "azurekeyvault",
    "akv:",
    "secret:",
    "secretref:",
    "!secret",
    "lookup(",
    "!vault",
    "$ansible_vault",
    "-----begin",
];

/// The verdict on one value.
pub struct Verdict {
    pub confidence: Confidence,
}

fn char_classes(v: &[u8]) -> usize {
    let mut c = [false; 4];
    for &b in v {
        let k = if b.is_ascii_lowercase() {
            0
        } else if b.is_ascii_uppercase() {
            1
        } else if b.is_ascii_digit() {
            2
        } else {
            3
        };
        c[k] = true;
    }
    c.iter().filter(|&&x| x).count()
}

/// `key` is the key's text, `words` its split (scratch, reused).
pub fn judge(
    kind: KeyKind,
    value: &[u8],
    key: &[u8],
    quoted: bool,
    words: &mut Words,
) -> Option<Verdict> {
    let v = std::str::from_utf8(value).ok()?.trim();
    if v.is_empty() || v.len() > 400 || v.contains('\n') {
        return None;
    }
    let lower = v.to_ascii_lowercase();
    if NOTHING.contains(&lower.as_str()) {
        return None;
    }
    if INDIRECT.iter().any(|p| lower.contains(p)) {
        return None;
    }
    // `$VAR`, `%VAR%`, `&anchor`, `*alias`, `@var`, `:symbol`.
    if matches!(v.as_bytes()[0], b'$' | b'&' | b'*' | b'@') && !quoted {
        return None;
    }
    if v.starts_with('$')
        && v[1..]
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'{' || b == b'}')
    {
        return None;
    }
    // The value repeats the key, or a word of it (`POSTGRES_PASSWORD: postgres`).
    let key_lower = String::from_utf8_lossy(key).to_ascii_lowercase();
    let squash = |s: &str| {
        s.chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
    };
    if squash(&lower) == squash(&key_lower) {
        return None;
    }
    words.split(key);
    if (0..words.len()).any(|i| words.word(i) == lower) {
        return None;
    }
    if filters::is_placeholder(v) {
        return None;
    }
    // `GITHUB_TOKEN`, `DbPassword`: an unquoted name of a variable.
    let upper_snake = v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || b == b'_')
        && v.contains('_');
    if upper_snake {
        return None;
    }
    if filters::is_path_or_plain_url(v) {
        return None;
    }
    // Prose: i18n messages, labels, descriptions.
    let spaced = v.split_ascii_whitespace().count();
    if spaced >= 3
        || (spaced == 2
            && v.split_ascii_whitespace().all(|w| {
                w.bytes().all(|b| {
                    b.is_ascii_alphabetic()
                        || b == b'.'
                        || b == b','
                        || b == b'?'
                        || b == b'!'
                        || b == b':'
                })
            }))
    {
        return None;
    }
    if filters::is_uuid(v) {
        return Some(Verdict {
            confidence: Confidence::Low,
        });
    }
    let b = v.as_bytes();
    let entropy = shannon_entropy(b);
    let classes = char_classes(b);
    match kind {
        KeyKind::Password => {
            if b.len() < 4 || filters::is_sequential(v) {
                return None;
            }
            if filters::is_number(v) {
                return Some(Verdict {
                    confidence: Confidence::Low,
                });
            }
            // Letters of one case only (`postgres`, `guest`, `verysecret`):
            // a weak or well-known default, not evidence of a leak.
            let one_case =
                b.iter().all(u8::is_ascii_lowercase) || b.iter().all(u8::is_ascii_uppercase);
            if filters::is_plain_words(v) || looks_like_identifier(v) || (one_case && b.len() <= 12)
            {
                return Some(Verdict {
                    confidence: Confidence::Low,
                });
            }
            if b.len() >= 16 && entropy >= 4.0 && classes >= 3 {
                return Some(Verdict {
                    confidence: Confidence::High,
                });
            }
            Some(Verdict {
                confidence: Confidence::Medium,
            })
        }
        KeyKind::Secret | KeyKind::Token => {
            if b.len() < 8 || filters::is_sequential(v) || filters::is_number(v) {
                return None;
            }
            if filters::is_plain_words(v) || looks_like_identifier(v) || v.contains(' ') {
                return None;
            }
            let hex = b.iter().all(u8::is_ascii_hexdigit);
            if (b.len() >= 24 && entropy >= 4.2 && classes >= 2)
                || (hex && b.len() >= 32 && entropy >= 3.5)
            {
                return Some(Verdict {
                    confidence: Confidence::High,
                });
            }
            if entropy >= 3.0 && classes >= 2 {
                return Some(Verdict {
                    confidence: Confidence::Medium,
                });
            }
            if entropy >= 2.5 {
                return Some(Verdict {
                    confidence: Confidence::Low,
                });
            }
            None
        }
    }
}

/// `snake_case_name`, `kebab-case-name`, `dotted.name`, `camelCaseName`:
/// lower-case words with separators or humps, few digits.
fn looks_like_identifier(v: &str) -> bool {
    let b = v.as_bytes();
    let seps = b
        .iter()
        .filter(|&&c| matches!(c, b'_' | b'-' | b'.' | b':' | b'/'))
        .count();
    let digits = b.iter().filter(|c| c.is_ascii_digit()).count();
    let other = b
        .iter()
        .any(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'_' | b'-' | b'.' | b':' | b'/')));
    if other || seps == 0 || digits * 4 > b.len() {
        return false;
    }
    // Every segment is a word: letters, vowels in them, at most a digit tail.
    v.split(['_', '-', '.', ':', '/']).all(|seg| {
        let letters = seg.trim_end_matches(|c: char| c.is_ascii_digit());
        !letters.is_empty()
            && letters.bytes().all(|c| c.is_ascii_alphabetic())
            && (letters.len() <= 3
                || letters.bytes().any(|c| {
                    matches!(
                        c.to_ascii_lowercase(),
                        b'a' | b'e' | b'i' | b'o' | b'u' | b'y'
                    )
                }))
            && (seg.len() - letters.len()) <= 2
    })
}
