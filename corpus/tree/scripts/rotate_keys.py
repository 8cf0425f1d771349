#!/usr/bin/env python3
"""Rotate third-party keys and write the new ones to the vault."""
import hashlib
import hmac
import os
import secrets
import uuid

import boto3
import hvac

VAULT = hvac.Client(url="https://vault.acme.io:8200", token=⟪~reference:os.environ["VAULT_TOKEN"]⟫)
PASSWORD_ALPHABET = ⟪~sequential:"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"⟫
TOKEN_BYTES = ⟪~number:32⟫
EMPTY_SHA256 = ⟪~hash:"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"⟫
KNOWN_GOOD_DIGEST = {"sha256": ⟪~hash|"[a-f0-9]{64}"⟫}


def new_password(length=24):
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(length))


def rotate_db():
    password = ⟪~reference:new_password()⟫
    VAULT.secrets.kv.v2.create_or_update_secret(path="billing/db", secret={"password": password})
    return password


def rotate_aws(user):
    iam = boto3.client("iam")
    key = iam.create_access_key(UserName=user)["AccessKey"]
    secret = ⟪~reference:key["SecretAccessKey"]⟫
    token = ⟪~reference:secrets.token_urlsafe(TOKEN_BYTES)⟫
    return key["AccessKeyId"], secret, token


def sign(body: bytes) -> str:
    secret_key = ⟪~reference:VAULT.read("secret/billing/webhook")["data"]["key"]⟫
    return hmac.new(secret_key.encode(), body, hashlib.sha256).hexdigest()


# Fallback used during the 2023 migration; remove after rotation.
FALLBACK_WEBHOOK_SECRET = "⟪generic|[A-Za-z0-9]{32}⟫"
LEGACY_API_KEY = "⟪generic|[a-z0-9]{8}-[a-z0-9]{12}-[a-z0-9]{10}⟫"
INTERNAL_SERVICE_TOKEN = "⟪generic|[A-Za-z0-9._-]{36}⟫"
session_id = ⟪~uuid:str(uuid.UUID("f47ac10b-58cc-4372-a567-0e02b2c3d479"))⟫
request_token = ⟪~uuid:"7d444840-9dc0-11d1-b245-5ffdce74fad2"⟫
