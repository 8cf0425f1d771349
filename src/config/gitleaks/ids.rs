//! gitleaks' default rule ids mapped to the built-in guardrail rules that
//! detect the same tokens. A gitleaks config that extends the defaults
//! (`[extend] useDefault = true`) names default rules in `disabledRules`,
//! in rule overrides and in `targetRules`; this table lets those names reach
//! our built-ins. Ids that are spelled the same in both tools (`jwt`,
//! `gitlab-pat`, `openai-api-key`...) need no entry.

/// `(gitleaks id, guardrail ids)`.
pub const ALIASES: &[(&str, &[&str])] = &[
    (
        "1password-service-account-token",
        &["onepassword-service-account-token"],
    ),
    (
        "airtable-personnal-access-token",
        &["airtable-access-token"],
    ),
    ("alibaba-secret-key", &["alibaba-access-key-secret"]),
    ("anthropic-admin-api-key", &["anthropic-admin-key"]),
    ("artifactory-api-key", &["jfrog-api-key"]),
    ("artifactory-reference-token", &["jfrog-reference-token"]),
    ("aws-access-token", &["aws-access-key-id"]),
    ("azure-ad-client-secret", &["azure-entra-client-secret"]),
    ("cloudflare-api-key", &["cloudflare-api-token"]),
    ("cohere-api-token", &["cohere-api-key"]),
    (
        "contentful-delivery-api-token",
        &["contentful-access-token"],
    ),
    ("curl-auth-user", &["curl-basic-auth"]),
    ("databricks-api-token", &["databricks-pat"]),
    ("digitalocean-access-token", &["digitalocean-oauth-token"]),
    ("doppler-api-token", &["doppler-personal-token"]),
    ("dropbox-api-token", &["dropbox-access-token"]),
    ("dropbox-long-lived-api-token", &["dropbox-access-token"]),
    ("dropbox-short-lived-api-token", &["dropbox-access-token"]),
    ("facebook-secret", &["facebook-app-secret"]),
    ("flyio-access-token", &["flyio-macaroon-token"]),
    (
        "generic-api-key",
        &[
            "generic-secret-assignment",
            "generic-secret-xml",
            "generic-secret-cli-flag",
            "generic-authorization-header",
        ],
    ),
    (
        "github-app-token",
        &["github-user-to-server-token", "github-installation-token"],
    ),
    ("github-fine-grained-pat", &["github-pat-fine-grained"]),
    ("github-oauth", &["github-oauth-token"]),
    ("github-pat", &["github-pat-classic"]),
    ("gitlab-cicd-job-token", &["gitlab-ci-job-token"]),
    (
        "gitlab-feature-flag-client-token",
        &["gitlab-feature-flags-client-token"],
    ),
    ("gitlab-kubernetes-agent-token", &["gitlab-agent-token"]),
    ("gitlab-ptt", &["gitlab-pipeline-trigger-token"]),
    ("gitlab-rrt", &["gitlab-runner-registration-token"]),
    (
        "gitlab-runner-authentication-token",
        &["gitlab-runner-token"],
    ),
    ("grafana-cloud-api-token", &["grafana-cloud-token"]),
    ("hashicorp-tf-api-token", &["terraform-cloud-token"]),
    ("heroku-api-key", &["heroku-legacy-api-key"]),
    ("heroku-api-key-v2", &["heroku-api-token"]),
    ("huggingface-access-token", &["huggingface-token"]),
    ("jfrog-identity-token", &["jfrog-reference-token"]),
    ("launchdarkly-access-token", &["launchdarkly-key"]),
    ("mailgun-private-api-token", &["mailgun-private-key"]),
    ("mailgun-signing-key", &["mailgun-webhook-signing-key"]),
    ("mapbox-api-token", &["mapbox-secret-token"]),
    ("microsoft-teams-webhook", &["microsoft-teams-webhook-url"]),
    ("netlify-access-token", &["netlify-token"]),
    ("new-relic-browser-api-token", &["newrelic-browser-key"]),
    ("new-relic-insert-key", &["newrelic-insights-key"]),
    ("new-relic-user-api-key", &["newrelic-user-api-key"]),
    ("notion-api-token", &["notion-integration-token"]),
    ("okta-access-token", &["okta-api-token"]),
    ("planetscale-api-token", &["planetscale-token"]),
    ("postman-api-token", &["postman-api-key"]),
    (
        "private-key",
        &[
            "private-key-rsa",
            "private-key-ec",
            "private-key-dsa",
            "private-key-pkcs8",
            "private-key-pkcs8-encrypted",
            "private-key-pem-encrypted",
            "private-key-openssh",
            "private-key-openssh-encrypted",
            "private-key-pgp",
            "private-key-putty",
            "private-key-putty-encrypted",
            "private-key-ssh2",
        ],
    ),
    ("pulumi-api-token", &["pulumi-access-token"]),
    ("rubygems-api-token", &["rubygems-api-key"]),
    ("sendgrid-api-token", &["sendgrid-api-key"]),
    ("slack-config-access-token", &["slack-config-token"]),
    ("slack-config-refresh-token", &["slack-refresh-token"]),
    ("sonar-api-token", &["sonarqube-token"]),
    (
        "stripe-access-token",
        &[
            "stripe-secret-key",
            "stripe-restricted-key",
            "stripe-test-key",
        ],
    ),
    ("telegram-bot-api-token", &["telegram-bot-token"]),
    ("twitter-access-secret", &["twitter-access-token-secret"]),
    ("typeform-api-token", &["typeform-access-token"]),
];

/// The guardrail ids a gitleaks default-rule id stands for, if any.
pub fn aliases(gitleaks_id: &str) -> Option<&'static [&'static str]> {
    ALIASES
        .iter()
        .find(|(g, _)| *g == gitleaks_id)
        .map(|(_, ours)| *ours)
}

#[cfg(test)]
mod tests {
    #[test]
    fn every_alias_target_is_a_builtin_rule() {
        let set = crate::rules::builtin_rules().unwrap();
        for (g, ours) in super::ALIASES {
            for id in *ours {
                assert!(set.get(id).is_some(), "{g} -> {id}: no such built-in");
            }
            assert!(set.get(g).is_none(), "{g} is itself a built-in id");
        }
    }
}
