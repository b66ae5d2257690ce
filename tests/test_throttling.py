"""Login attempts are throttled per username and per client address: the token endpoint, the
login form and the admin's login count together, in the cache every worker shares (a
database table), and one too many answers 429 with Retry-After."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import connection
from rest_framework.test import APIClient
from rest_framework.throttling import SimpleRateThrottle

from tests.conftest import error_body
from workbench.env import env_rate
from workbench.settings import _cache

TOKEN = "/api/auth/token/"


@pytest.fixture
def database_cache(settings, db):
    """The configured cache (a table in the test database), and small rates."""
    settings.CACHES = {"default": _cache("")}
    settings.LOGIN_RATE_PER_USER = "3/minute"
    settings.LOGIN_RATE_PER_ADDRESS = "5/minute"


@pytest.fixture
def clock(monkeypatch):
    """The throttles' clock, moved by hand."""
    now = [1_000_000.0]
    monkeypatch.setattr(SimpleRateThrottle, "timer", lambda self: now[0])
    return now


def _token(client, username: str, password: str = "wrong", **extra):
    body = {"username": username, "password": password}
    return client.post(TOKEN, body, format="json", **extra)


def _assert_throttled(response, language: str = "en") -> dict:
    body = error_body(response, 429, "throttled")
    wait = int(response["Retry-After"])
    assert 1 <= wait <= 60
    sentence = {
        "en": f"Too many login attempts. Try again in {wait} seconds.",
        "id": f"Terlalu banyak percobaan masuk. Coba lagi dalam {wait} detik.",
    }
    assert body["detail"] == sentence[language]
    return body


def test_token_endpoint_throttles_each_username(cast, database_cache, clock):
    """Past 3 attempts a minute at one username, even the right password gets 429 with
    Retry-After in the one error body, in the caller's language; from another address too.
    A minute later it works again."""
    client = APIClient()
    for _ in range(3):
        error_body(_token(client, "alice"), 400, "invalid")
    _assert_throttled(_token(client, "alice", "pw-for-tests"))
    _assert_throttled(_token(client, "alice", HTTP_ACCEPT_LANGUAGE="id"), "id")
    _assert_throttled(_token(client, "ALICE", REMOTE_ADDR="127.0.0.2"))
    assert _token(client, "bob", "pw-for-tests", REMOTE_ADDR="127.0.0.3").status_code == 200
    clock[0] += 61
    assert _token(client, "alice", "pw-for-tests").status_code == 200


def test_token_endpoint_throttles_each_address(cast, database_cache, clock):
    """Past 5 attempts a minute from one address, any username is refused there; another
    address is not; X-Forwarded-For is not believed unless a proxy is trusted."""
    client = APIClient()
    for username in ("alice", "bob", "rita", "oscar", "adam"):
        error_body(_token(client, username), 400, "invalid")
    _assert_throttled(_token(client, "carol"))
    _assert_throttled(_token(client, "carol", HTTP_X_FORWARDED_FOR="127.0.0.9"))
    assert _token(client, "bob", "pw-for-tests", REMOTE_ADDR="127.0.0.2").status_code == 200


def test_a_trusted_proxys_forwarded_address_is_counted(cast, database_cache, clock, settings):
    """Behind one trusted proxy (TRUSTED_PROXIES=1) the address it saw is the one counted."""
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}
    client = APIClient()
    for username in ("alice", "bob", "rita", "oscar", "adam"):
        _token(client, username, HTTP_X_FORWARDED_FOR="127.0.0.7")
    _assert_throttled(_token(client, "carol", HTTP_X_FORWARDED_FOR="127.0.0.7"))
    response = _token(client, "bob", "pw-for-tests", HTTP_X_FORWARDED_FOR="127.0.0.8")
    assert response.status_code == 200


def test_login_forms_share_the_count_and_answer_a_429_page(cast, database_cache, clock):
    """The login form and the admin's login count with the token endpoint: past the rate the
    page is a translated 429 with Retry-After, and the right password does not log in."""
    client = APIClient()
    error_body(_token(client, "alice"), 400, "invalid")
    form = {"username": "alice", "password": "wrong"}
    assert client.post("/login/", form).status_code == 200  # the form, with its error
    assert client.post("/admin/login/", form).status_code == 200
    right = {"username": "alice", "password": "pw-for-tests"}
    response = client.post("/login/", right, HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert f"Coba lagi dalam {wait} detik" in response.content.decode()
    assert response["Content-Type"].startswith("text/html")
    assert client.get("/api/me/").status_code == 403  # not logged in
    assert client.post("/admin/login/", right).status_code == 429
    clock[0] += 61
    assert client.post("/login/", right).status_code == 302


def test_attempts_are_counted_in_the_shared_database_cache(cast, database_cache, clock):
    """The counts live in the database's cache table, which every gunicorn worker reads, not
    in one process's memory."""
    _token(APIClient(), "alice")
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM workbench_cache")
        assert cursor.fetchone()[0] == 2  # the address's key and the username's


@pytest.mark.parametrize("raw", ["ten", "0/minute", "10/min", "10/fortnight", "10 per minute"])
def test_rates_are_read_strictly(monkeypatch, raw):
    """A rate that is not a positive count per second, minute, hour or day stops start-up."""
    monkeypatch.setenv("LOGIN_RATE_PER_USER", raw)
    with pytest.raises(ImproperlyConfigured, match="LOGIN_RATE_PER_USER"):
        env_rate("LOGIN_RATE_PER_USER", "10/minute")
    monkeypatch.setenv("LOGIN_RATE_PER_USER", "20/hour")
    assert env_rate("LOGIN_RATE_PER_USER", "10/minute") == "20/hour"
