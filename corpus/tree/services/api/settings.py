"""Django settings for the billing service."""
import os
from pathlib import Path

import environ

BASE_DIR = Path(__file__).resolve().parent.parent
env = environ.Env()

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = ⟪~reference:os.environ["DJANGO_SECRET_KEY"]⟫
ALLOWED_HOSTS = ["billing.acme.io"]

DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "billing",
        "USER": "billing",
        "PASSWORD": ⟪~reference:os.getenv("DB_PASSWORD")⟫,
        "HOST": os.getenv("DB_HOST", "localhost"),
    },
    "legacy": {
        "ENGINE": "django.db.backends.mysql",
        "NAME": "legacy",
        "USER": "legacy_ro",
        "PASSWORD": "⟪generic|[A-Za-z0-9]{6}[@#][A-Za-z0-9]{9}⟫",
        "HOST": "10.20.0.15",
    },
}

CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "⟪~placeholder:redis://:%(password)s@cache:6379/1⟫",
    }
}

AWS_ACCESS_KEY_ID = ⟪~reference:env("AWS_ACCESS_KEY_ID")⟫
AWS_SECRET_ACCESS_KEY = ⟪~reference:env.str("AWS_SECRET_ACCESS_KEY")⟫
AWS_STORAGE_BUCKET_NAME = "acme-billing-static"

# TODO(ops): move to the vault before launch
STRIPE_API_KEY = "⟪stripe|sk_live_[A-Za-z0-9]{24}⟫"
STRIPE_RESTRICTED_KEY = "⟪stripe|rk_live_[A-Za-z0-9]{24}⟫"
SENDGRID_API_KEY = ⟪~reference:os.environ.get("SENDGRID_API_KEY", "")⟫
TWILIO_ACCOUNT_SID = "ACd3f0c1b2a3948576e1f2a3b4c5d6e7f8"
TWILIO_AUTH_TOKEN = "⟪twilio|[0-9a-f]{32}⟫"
OPENAI_API_KEY = ⟪~reference:settings_from_vault("openai")⟫
ANTHROPIC_API_KEY = "⟪anthropic|sk-ant-api03-[A-Za-z0-9_-]{93}AA⟫"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
]
PASSWORD_RESET_TIMEOUT = ⟪~number:259200⟫
SESSION_COOKIE_NAME = "billing_session"
CSRF_COOKIE_NAME = "billing_csrftoken"
TOKEN_EXPIRY_SECONDS = 3600
SECRET_KEY_FALLBACKS = ⟪~reference:[env("OLD_SECRET_KEY")]⟫
API_KEY_HEADER = ⟪~key-name:"X-Api-Key"⟫
password_field = ⟪~key-name:"password_confirmation"⟫


def get_client():
    token = ⟪~reference:get_token_from_keyring("billing")⟫
    api_key = ⟪~reference:self_config.api_key⟫
    password = ⟪~reference:kwargs.get("password")⟫
    secret = ⟪~reference:request.headers.get("X-Webhook-Secret")⟫
    return Client(token=token, api_key=api_key, password=password, secret=secret)


def legacy_client():
    return LegacyClient(
        username="svc-billing",
        password="⟪generic|[A-Za-z]{4}[0-9]{4}[A-Za-z]{4}[!@#][0-9]{2}⟫",
        api_key="⟪generic|[a-z0-9]{32}⟫",
    )
