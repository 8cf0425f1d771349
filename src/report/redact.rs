//! Redaction: enough of the secret to recognise it, never enough to use it.

/// Keep a short prefix (at most 4 characters and at most a quarter of the
/// secret) and replace the rest.
pub fn redact(secret: &str) -> String {
    let n = secret.chars().count();
    let keep = (n / 4).min(4);
    let prefix: String = secret.chars().take(keep).collect();
    format!("{prefix}*****")
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn never_reveals_more_than_a_quarter() {
        assert_eq!(redact("ghp_abcdefghijklmnop"), "ghp_*****");
        assert_eq!(redact("abc12345"), "ab*****");
        assert_eq!(redact("abc"), "*****");
        assert!(!redact("s3cr3t-p4ssw0rd").contains("p4ss"));
    }
}
