environment  = "prod"
github_token = "⟪github|ghp_[A-Za-z0-9]{36}⟫"
db_password  = "⟪generic|[A-Za-z0-9]{12}[!@][A-Za-z0-9]{6}⟫"
stripe_key   = "⟪stripe|rk_live_[A-Za-z0-9]{24}⟫"
api_token    = "⟪generic|[A-Za-z0-9]{32}⟫"
vault_token  = "⟪hashicorp|hvs\.[A-Za-z0-9_-]{90}⟫"
do_token     = "⟪digitalocean|dop_v1_[a-f0-9]{64}⟫"
token_ttl    = 7200
