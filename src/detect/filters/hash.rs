//! Digests (lockfile integrity hashes, commit SHAs, checksums) that look
//! like hex or base64 keys.

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
pub(super) fn line_words(line: &[u8]) -> Vec<String> {
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
