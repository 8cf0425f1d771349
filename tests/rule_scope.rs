//! Keeps the keyword prefilter selective as packs grow (issue 12, item 6):
//! every built-in rule runs only on the lines of its keyword hits, except
//! the few listed here whose formats really span lines or whose keyword is
//! context elsewhere in the file. A new rule that falls back to the whole
//! file (a keyword that misses an alternative of its regex, `\s` between
//! the name and the value) fails this test instead of slowing every scan.

use guardrail::rules::{builtin_rules, KeywordScope};

/// Packs of formats rather than providers, left out of this check.
const SHARED_PACKS: &[&str] = &[
    "config-files.toml",
    "password-hashes.toml",
    "urls.toml",
    "database.toml",
];

/// Rules whose regex may run beyond the lines of their keyword hits, with
/// the scope they have.
const NOT_LINE: &[(&str, KeywordScope)] = &[
    ("cohere-api-key", KeywordScope::File),
    ("mistral-api-key", KeywordScope::Near),
    ("together-api-key", KeywordScope::Near),
    ("deepseek-api-key", KeywordScope::Near),
    ("fireworks-api-key", KeywordScope::Near),
    ("algolia-admin-key", KeywordScope::Near),
    ("alibaba-access-key-secret", KeywordScope::File),
    ("atlassian-legacy-token", KeywordScope::Near),
    ("auth0-client-secret", KeywordScope::Near),
    ("aws-secret-access-key", KeywordScope::File),
    ("aws-session-token", KeywordScope::File),
    ("azure-storage-account-key", KeywordScope::File),
    ("azure-shared-access-key", KeywordScope::File),
    ("azure-devops-pat", KeywordScope::File),
    ("azure-account-key-base64", KeywordScope::File),
    ("cloudflare-legacy-api-token", KeywordScope::File),
    ("cloudflare-legacy-global-api-key", KeywordScope::File),
    ("netrc-password", KeywordScope::Near),
    ("npmrc-basic-auth", KeywordScope::File),
    ("pypirc-password", KeywordScope::File),
    ("docker-config-auth", KeywordScope::File),
    ("kubeconfig-token", KeywordScope::File),
    ("kubeconfig-password", KeywordScope::File),
    ("git-credentials-password", KeywordScope::File),
    ("maven-settings-password", KeywordScope::File),
    ("gradle-properties-password", KeywordScope::File),
    ("pgpass-password", KeywordScope::File),
    ("mysql-cnf-password", KeywordScope::File),
    ("adonet-connection-string-password", KeywordScope::Near),
    ("datadog-api-key", KeywordScope::File),
    ("datadog-app-key", KeywordScope::Near),
    ("discord-bot-token", KeywordScope::File),
    ("discord-client-secret", KeywordScope::Near),
    ("facebook-app-secret", KeywordScope::File),
    ("firebase-admin-service-account", KeywordScope::Near),
    ("flyio-macaroon-token", KeywordScope::File),
    ("gcp-service-account-key", KeywordScope::Near),
    ("github-app-private-key", KeywordScope::Near),
    ("vault-legacy-token", KeywordScope::Near),
    ("heroku-legacy-api-key", KeywordScope::Near),
    ("mailgun-private-key", KeywordScope::File),
    ("mailgun-webhook-signing-key", KeywordScope::Near),
    ("netlify-legacy-token", KeywordScope::Near),
    ("newrelic-legacy-license-key", KeywordScope::File),
    ("okta-api-token", KeywordScope::Near),
    ("bcrypt-password-hash", KeywordScope::File),
    ("paypal-client-secret", KeywordScope::Near),
    ("private-key-rsa", KeywordScope::Near),
    ("private-key-ec", KeywordScope::Near),
    ("private-key-dsa", KeywordScope::Near),
    ("private-key-pkcs8", KeywordScope::Near),
    ("private-key-pkcs8-encrypted", KeywordScope::Near),
    ("private-key-pem-encrypted", KeywordScope::Near),
    ("private-key-openssh", KeywordScope::Near),
    ("private-key-openssh-encrypted", KeywordScope::Near),
    ("private-key-pgp", KeywordScope::Near),
    ("private-key-putty", KeywordScope::Near),
    ("private-key-putty-encrypted", KeywordScope::Near),
    ("private-key-ssh2", KeywordScope::Near),
    ("airtable-access-token", KeywordScope::File),
    ("asana-access-token", KeywordScope::File),
    ("resend-api-key", KeywordScope::File),
    ("launchdarkly-key", KeywordScope::File),
    ("snowflake-password", KeywordScope::Near),
    ("snowflake-private-key-passphrase", KeywordScope::Near),
    ("square-access-token", KeywordScope::File),
    ("telegram-bot-token", KeywordScope::File),
    ("twilio-api-key", KeywordScope::File),
    ("twilio-auth-token", KeywordScope::File),
    ("twilio-api-key-secret", KeywordScope::Near),
    ("twitter-api-key", KeywordScope::File),
    ("twitter-api-secret", KeywordScope::File),
    ("twitter-access-token-secret", KeywordScope::File),
    ("vercel-token", KeywordScope::File),
    ("vercel-legacy-token", KeywordScope::Near),
];

#[test]
fn builtin_rules_run_on_keyword_lines() {
    let rules = builtin_rules().expect("built-in rules compile");
    let mut wrong = Vec::new();
    for rule in rules.rules() {
        // Credential files, hashes, URLs and connection strings are formats
        // whose packs are measured on their own.
        if SHARED_PACKS.iter().any(|p| rule.origin.ends_with(p)) {
            continue;
        }
        let expected = NOT_LINE
            .iter()
            .find(|(id, _)| *id == rule.id())
            .map_or(KeywordScope::Line, |(_, s)| *s);
        if rule.scope != expected {
            wrong.push(format!(
                "    (\"{}\", KeywordScope::{:?}),",
                rule.id(),
                rule.scope
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "rules whose keyword scope is not the expected one (fix the rule, or list it in NOT_LINE):\n{}",
        wrong.join("\n")
    );
}

/// The keyword set is what the prefilter automaton is built from; its size
/// is reported in BENCHMARKS.md. Keywords must be lower-case (the automaton
/// matches ASCII case-insensitively) and at least two bytes, so that no
/// rule is selected by a fragment common in any text.
#[test]
fn builtin_keywords_are_lower_case_and_not_tiny() {
    let rules = builtin_rules().expect("built-in rules compile");
    let mut bad = Vec::new();
    let mut all = std::collections::BTreeSet::new();
    for rule in rules.rules() {
        for k in &rule.spec.keywords {
            if k.to_ascii_lowercase() != *k || k.len() < 2 {
                bad.push(format!("{}: {k:?}", rule.id()));
            }
            all.insert(k.clone());
        }
    }
    assert!(bad.is_empty(), "bad keywords:\n{}", bad.join("\n"));
    eprintln!("{} distinct keywords over {} rules", all.len(), rules.len());
}
