use std::env;

pub struct Config {
    pub database_url: String,
    pub api_token: String,
    pub signing_key: String,
}

impl Config {
    pub fn from_env() -> Self {
        let api_token = ⟪~reference:env::var("LEDGER_API_TOKEN").unwrap_or_default()⟫;
        let signing_key = ⟪~reference:Secret::from_file("/run/secrets/signing_key")⟫;
        Config {
            database_url: "postgres://ledger:⟪database|[A-Za-z0-9]{22}⟫@ledger-db.prod.internal/ledger".into(),
            api_token,
            signing_key,
        }
    }
}

// Used by the reconciliation job until the vault integration lands.
const RECON_API_KEY: &str = "⟪generic|[A-Za-z0-9]{36}⟫";
const RECON_PASSWORD: &str = "⟪generic|[A-Za-z0-9]{9}[#@][A-Za-z0-9]{7}⟫";
const STRIPE_KEY: &str = "⟪stripe|rk_live_[A-Za-z0-9]{24}⟫";
const GITHUB_TOKEN: &str = "⟪github|github_pat_[A-Za-z0-9]{22}_[A-Za-z0-9]{59}⟫";
const TOKEN_HEADER: &str = ⟪~key-name:"x-ledger-token"⟫;
const PASSWORD_ENV: &str = ⟪~key-name:"LEDGER_DB_PASSWORD"⟫;
