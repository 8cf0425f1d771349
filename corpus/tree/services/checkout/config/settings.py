"""Checkout service settings (production)."""

RAZORPAY_KEY_ID = "⟪payments|rzp_live_[A-Za-z0-9]{14}⟫"
RAZORPAY_KEY_SECRET = "⟪payments|[A-Za-z0-9]{24}⟫"
FLUTTERWAVE = {"secret_key": "⟪payments|FLWSECK-[a-f0-9]{32}-X⟫"}
PADDLE_API_KEY = "⟪payments|pdl_live_apikey_[a-z0-9]{26}_[A-Za-z0-9]{22}_[A-Za-z0-9]{3}⟫"
SHIPPO_API_TOKEN = "⟪payments|shippo_live_[a-f0-9]{40}⟫"
PLAID_SECRET = "⟪payments|[a-f0-9]{30}⟫"
PLAID_CLIENT_ID = "⟪~public-id:5f1a2b3c4d5e6f7a8b9c0d1e⟫"
CURRENCY = "EUR"

# Sign-in
STYTCH_SECRET = "⟪identity|secret-live-[A-Za-z0-9_-]{36}⟫"
ORY_API_KEY = "⟪identity|ory_pat_[A-Za-z0-9]{32}⟫"
KEYCLOAK_CLIENT_SECRET = "⟪identity|[A-Za-z0-9]{32}⟫"

# Contracts
DOCUSIGN_SECRET_KEY = "⟪esignature|[a-f0-9]{8}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{4}-[a-f0-9]{12}⟫"
HELLOSIGN_API_KEY = "⟪esignature|[a-f0-9]{64}⟫"
PANDADOC_API_KEY = "⟪esignature|[a-f0-9]{40}⟫"
DOCUSIGN_ACCOUNT_ID = "⟪~uuid:0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d⟫"
