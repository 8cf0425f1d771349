import pytest

from billing.auth import AuthService, mask

TEST_PASSWORD = ⟪~test-fixture:"test-password-1"⟫
WRONG_PASSWORD = ⟪~test-fixture:"wrong-password-2"⟫
FAKE_TOKEN = ⟪~test-fixture:"fake-token-for-tests-0001"⟫
MOCK_API_KEY = ⟪~test-fixture:"mock_api_key_123456"⟫
DUMMY_SECRET = ⟪~test-fixture:"dummy-secret-abc"⟫
STRIPE_TEST_KEY = ⟪~test-fixture:"sk_test_4eC39HqLyjWDarjtT1zdp7dc"⟫


@pytest.fixture
def auth():
    return AuthService(password=⟪~test-fixture:"fixture-pass-42"⟫, secret=⟪~test-fixture:"test_secret_xyz_9"⟫)


def test_login_rejects_wrong_password(auth):
    assert not auth.login("alice", WRONG_PASSWORD)


def test_mask():
    assert mask(⟪~test-fixture:"sk_live_fakefakefakefake1234"⟫) == "sk_live_****"
    assert mask(⟪~test-fixture:"ghp_000000000000000000000000000000000000"⟫) == "ghp_****"


@pytest.mark.parametrize(
    "token",
    [
        ⟪~test-fixture:"invalid-token-1"⟫,
        ⟪~test-fixture:"expired-token-2"⟫,
        ⟪~test-fixture:"bad.token.value3"⟫,
    ],
)
def test_rejects_bad_tokens(auth, token):
    assert not auth.verify(token)


def test_password_from_env(monkeypatch):
    monkeypatch.setenv("DB_PASSWORD", ⟪~test-fixture:"test-db-pass-77"⟫)
    api_key = ⟪~test-fixture:"abc123-test-key"⟫
    assert api_key
