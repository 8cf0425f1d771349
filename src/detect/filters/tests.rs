//! Unit tests of the context filters: each filter accepts its look-alikes and
//! lets realistic secrets through.

use super::hash::line_words;
use super::shape::{longest_run_in_row, KEYBOARD_ROWS};
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
        "{api_key}",
        "sk-...",
        "changeit",
        "P@ssw0rd",
        "__PASSWORD__",
        "#{ClientSecret}#",
        "%API_TOKEN%",
    ] {
        assert!(is_placeholder(s), "{s}");
    }
    for s in ["q8Zr2LmX9vPd", "Tr0ub4dor&3", "{q8Zr2LmX9"] {
        assert!(!is_placeholder(s), "{s}");
    }
}

#[test]
fn test_values_only_in_test_files() {
    assert!(is_test_value("test-password-1", "tests/test_login.py"));
    assert!(is_test_value("wrongpass99", "src/auth/login.spec.ts"));
    assert!(is_test_value("mock_token_42", "pkg/auth/auth_test.go"));
    assert!(!is_test_value("test-password-1", "src/settings.py"));
    assert!(!is_test_value("q8Zr2LmX9vPd", "tests/test_login.py"));
    assert!(is_test_path("src/test/java/com/acme/LoginTest.java"));
    assert!(is_test_path("app/__tests__/api.js"));
    assert!(!is_test_path("src/latest/config.py"));
    assert!(!is_test_path("contest.py"));
}

#[test]
fn references() {
    let r = |s: &str, line: &str, path: &str| is_reference(s, line.as_bytes(), path);
    assert!(r("os.environ['TOKEN']", "x = os.environ['TOKEN']", "a.py"));
    assert!(r("getenv(\"X\")", "", "a.go"));
    assert!(r("process.env.API_KEY", "", "a.js"));
    assert!(r("secrets.GITHUB_TOKEN", "", "ci.yml"));
    assert!(r("get_password()", "p = get_password()", "a.py"));
    assert!(r("read_token(path", "t = read_token(path, 1)", "a.py"));
    assert!(r("config[", "t = config[\"token\"]", "a.py"));
    assert!(r("Optional[str]", "api_key: Optional[str] = None", "a.py"));
    assert!(r("Token::new(", "let token = Token::new(x)", "a.rs"));
    assert!(r(
        "var.db_password",
        "password = var.db_password",
        "main.tf"
    ));
    assert!(r("random_password.db.result", "", "main.tf"));
    assert!(r(
        "arn:aws:secretsmanager:us-east-1:123456789012:secret:db",
        "",
        "a.yml"
    ));
    assert!(r("op://prod/db/password", "", ".env"));
    assert!(r("DB_PASSWORD", "password = DB_PASSWORD", "a.py"));
    assert!(r("DB_PASSWORD", "password: DB_PASSWORD", "a.yml"));
    assert!(r("settings_pw2", "password = settings_pw2", "app.py"));
    // A URI password is a literal even in code, where it is never quoted itself.
    assert!(!r(
        "bEeWYLBfEIMGgiI2",
        "DATABASE_URL=postgres://app:bEeWYLBfEIMGgiI2@db.internal:5432/app",
        "settings.py"
    ));
    assert!(r(
        "t.secret||r(16)",
        "e.secret=t.secret||r(16)",
        "vendor.min.js"
    ));
    assert!(r(
        "password})",
        "f(secret={\"password\": password})",
        "a.py"
    ));
    assert!(!r("Secr3t!x9", "password: Secr3t!x9", "a.yml"));
    // Quoted text is a literal, and so is an unquoted value in .env/YAML.
    assert!(!r("DB_PASSWORD", "password = \"DB_PASSWORD\"", "a.py"));
    assert!(!r("q8Zr2LmX9vPd", "password = q8Zr2LmX9vPd", ".env"));
    assert!(!r("my_Secr3t_pw", "DB_PASS=my_Secr3t_pw", ".env"));
    assert!(!r(
        "iMqJHzufyC83Hd95pvEHme",
        "\tURL: \"postgres://w:iMqJHzufyC83Hd95pvEHme@db:5432/jobs\",",
        "config.go"
    ));
    assert!(r("pw_var2", "db := open(\"x\", pw_var2)", "main.go"));
    assert!(r(
        "std::ops::Range",
        "pub secret: std::ops::Range<usize>,",
        "mod.rs"
    ));
    assert!(!r("my_Secr3t_pw", "password: my_Secr3t_pw", "config.yaml"));
}

#[test]
fn uuids_and_sequences() {
    assert!(is_uuid("123e4567-e89b-12d3-a456-426614174000"));
    assert!(is_uuid("123E4567-E89B-12D3-A456-426614174000"));
    assert!(!is_uuid("123e4567e89b12d3a456426614174000"));
    assert!(is_sequential("abcdefghijkl"));
    assert!(is_sequential("1234567890"));
    assert!(is_sequential("abcabcabcabc"));
    assert!(is_sequential("1q2w3e4r5t"));
    assert!(is_sequential("aaaaaaaa"));
    assert!(is_sequential(
        "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
    ));
    assert!(!is_sequential("q8Zr2LmX9vPd"));
}

#[test]
fn hashes() {
    let sha1 = "0123456789abcdef0123456789abcdef01234567";
    assert!(is_hash(sha1, b"commit_sha: 0123", "a.yml"));
    assert!(is_hash(sha1, b"  \"commitSha\": \"x\"", "a.json"));
    assert!(!is_hash(sha1, b"api_token: 0123", "a.yml"));
    // `shared` is not `sha`, `prevent` is not `rev`.
    assert!(!is_hash(sha1, b"SHARED_SECRET=0123 # prevent", ".env"));
    assert!(is_hash("sha512-AbCd==", b"", "x.json"));
    assert!(is_hash("h1:AbCd=", b"", "x.txt"));
    assert!(is_hash("anything", b"", "web/package-lock.json"));
    let b64 = "47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=";
    assert!(is_hash(b64, b"checksum = \"47DE\"", "a.toml"));
    assert!(!is_hash(b64, b"client_secret = \"47DE\"", "a.toml"));
}

#[test]
fn paths_and_urls() {
    assert!(is_path_or_plain_url("/etc/ssl/private/key.pem"));
    assert!(is_path_or_plain_url("https://example.org/a/b"));
    assert!(is_path_or_plain_url("s3://bucket/secrets/prod.env"));
    assert!(!is_path_or_plain_url("https://u:p4ss@example.org/a"));
    assert!(is_path_or_plain_url("config/keys/prod-key.json"));
    assert!(is_path_or_plain_url("C:\\Users\\ci\\token.txt"));
    assert!(is_path_or_plain_url("credentials.json"));
    assert!(is_path_or_plain_url("id_rsa.pub"));
    assert!(!is_path_or_plain_url("aZ3kP9/qW2xR7+tY5=="));
    assert!(!is_path_or_plain_url("Xk29.fa8Q"));
}

#[test]
fn words_and_numbers() {
    assert!(is_plain_words("correct-horse-battery"));
    assert!(!is_plain_words("correct-horse-battery-7"));
    assert!(is_plain_words("SomeClassName"));
    assert!(is_plain_words("HTTPBasicAuth"));
    assert!(!is_plain_words("VNqmBWqPQyzYgSRkBkRHdseNRKVl"));
    assert!(!is_plain_words("MJEBuqnKMmgWgtHO"));
    assert!(is_plain_words("AzureKeyVault"));
    assert!(is_plain_words("bert-base-uncased"));
    assert!(is_plain_words("postgres-password"));
    assert!(is_plain_words("LEDGER_DB_PASSWORD"));
    assert!(!is_plain_words("xKqP-wRtZ_mBvN"));
    assert!(is_number("86400"));
    assert!(!is_number("8640a"));
}

#[test]
fn line_words_split_camel_case_and_punctuation() {
    assert_eq!(
        line_words(b"commitSha: x_y"),
        vec!["commit", "sha", "x", "y"]
    );
    assert_eq!(line_words(b"SHA256=ab"), vec!["sha256", "ab"]);
}

#[test]
fn code_outside_code_files_is_a_reference() {
    // `.md`/`.txt`/`.yml` paths: the code is pasted, the extension says nothing.
    let r = |s: &str, line: &str| is_reference(s, line.as_bytes(), "README.md");
    assert!(r(
        "auth::SessionToken",
        "let token: auth::SessionToken = x;"
    ));
    assert!(r(
        "windows_sys::Win32::Foundation::HANDLE",
        "token: windows_sys::Win32::Foundation::HANDLE,"
    ));
    assert!(r("input.parse::", "let t = input.parse::<Token![=]>()?;"));
    assert!(r("vec![0u8", "let secret = vec![0u8; n];"));
    assert!(r("Token![=]", "eq_token: Token![=],"));
    assert!(r(
        "syn::braced!(content",
        "brace_token: syn::braced!(content in input),"
    ));
    assert!(r("json!{", "let token = json!{ \"a\": 1 };"));
    // Passwords with colons or bangs stay literals.
    assert!(!r("Xk9::pQ7!mZ2vR", "password: Xk9::pQ7!mZ2vR"));
    assert!(!r("q8Zr2!LmX9vPd", "password: q8Zr2!LmX9vPd"));
    assert!(!r(
        "fe80::1ff:fe23:4567:890a",
        "token: fe80::1ff:fe23:4567:890a"
    ));
    assert!(!r("Hunter2{q8Zr2", "password: Hunter2{q8Zr2"));
}

#[test]
fn at_sign_references_and_passwords() {
    let r = |s: &str, line: &str| is_reference(s, line.as_bytes(), "app.yml");
    assert!(r("@db_password", "password: @db_password"));
    assert!(r("@db_password", "password: \"@db_password\""));
    assert!(r(
        "@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)",
        "\"Key\": \"@Microsoft.KeyVault(SecretUri=https://kv.vault.azure.net/secrets/x/)\""
    ));
    assert!(r("@q8Zr#2LmX9vPd", "password: @q8Zr#2LmX9vPd"));
    assert!(!r("@q8Zr#2LmX9vPd", "password: \"@q8Zr#2LmX9vPd\""));
}

#[test]
fn declared_types_are_not_values() {
    let t = |secret: &str, matched: &str, line: &str| {
        is_declared_type(secret, matched.as_bytes(), line.as_bytes())
    };
    assert!(t(
        "PrivateKey)",
        "(private_key: PrivateKey)",
        "pub fn new(private_key: PrivateKey) -> Self {"
    ));
    assert!(t(
        "OsString",
        " signing_key: OsString",
        "    pub signing_key: OsString,"
    ));
    assert!(t(
        "ApiKeyHandle)",
        " apiKey: ApiKeyHandle)",
        "constructor(private readonly apiKey: ApiKeyHandle) {}"
    ));
    assert!(t(
        "SecretBox",
        " master_key: SecretBox",
        "    pub(crate) master_key: SecretBox<[u8; 32]>,"
    ));
    // YAML and JSON values after a colon are literals.
    assert!(!t(
        "Tr0ub4dorXq",
        "password: Tr0ub4dorXq",
        "password: Tr0ub4dorXq"
    ));
    assert!(!t(
        "Tr0ub4dorXq",
        " password: Tr0ub4dorXq",
        "  - password: Tr0ub4dorXq"
    ));
    assert!(!t(
        "Tr0ub4dorXq",
        "\"password\": Tr0ub4dorXq",
        "{\"password\": Tr0ub4dorXq}"
    ));
    // A declared field with an assigned value: the value is after `=`.
    assert!(!t(
        "Zq81kLmXpR",
        " token = Zq81kLmXpR",
        "let token = Zq81kLmXpR;"
    ));
}

#[test]
fn badge_tokens_are_public() {
    let b = |s: &str, line: &str| is_badge_token(s, line.as_bytes());
    assert!(b(
        "H8QW3ZR1MV)](https://codecov.io/gh/acme/w)",
        "[![c](https://codecov.io/gh/acme/w/graph/badge.svg?token=H8QW3ZR1MV)](https://codecov.io/gh/acme/w)"
    ));
    assert!(b(
        "9f3b2c7d1e8a",
        "<img src=\"https://sonarcloud.io/api/project_badges/measure?project=a&metric=b&token=9f3b2c7d1e8a\">"
    ));
    // A token in the query of an API or download URL is a leak.
    assert!(!b(
        "Zq81kLmXpR77",
        "curl https://reports.internal/export.csv?token=Zq81kLmXpR77"
    ));
    assert!(!b("Zq81kLmXpR77", "token=Zq81kLmXpR77"));
    assert!(!b(
        "Zq81kLmXpR77",
        "see badge.svg; curl https://api.acme.io/v1?token=Zq81kLmXpR77"
    ));
}

/// The one-lookup-per-byte run search equals the all-pairs definition on
/// every keyboard row, for strings made of row characters and others.
#[test]
fn keyboard_run_matches_all_pairs_definition() {
    fn all_pairs(a: &[u8], b: &[u8]) -> usize {
        let mut best = 0;
        for i in 0..a.len() {
            for j in 0..b.len() {
                let k = a[i..]
                    .iter()
                    .zip(&b[j..])
                    .take_while(|(x, y)| x == y)
                    .count();
                best = best.max(k);
            }
        }
        best
    }
    let alphabet = b"0123456789abcdefqwertyzx-_";
    let mut state = 0x9e37_79b9_7f4a_7c15u64;
    for _ in 0..5_000 {
        let mut s = Vec::new();
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        let len = 4 + (state % 40) as usize;
        let mut run = state >> 8;
        while s.len() < len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            // Runs copied from a row keep the long-match paths exercised.
            if run % 3 == 0 {
                let row = KEYBOARD_ROWS[(state % KEYBOARD_ROWS.len() as u64) as usize].as_bytes();
                let at = (state >> 16) as usize % row.len();
                let n = 1 + (state >> 32) as usize % 12;
                s.extend_from_slice(&row[at..(at + n).min(row.len())]);
            } else {
                s.push(alphabet[(state >> 24) as usize % alphabet.len()]);
            }
            run = state >> 40;
        }
        for row in KEYBOARD_ROWS {
            assert_eq!(
                longest_run_in_row(&s, row.as_bytes()),
                all_pairs(&s, row.as_bytes()),
                "{:?} in {row}",
                String::from_utf8_lossy(&s)
            );
        }
    }
}
