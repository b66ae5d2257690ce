"""API tokens: each login makes one, its owner lists and revokes them, and a password change
(by any path) revokes them all and ends the owner's other sessions."""

import importlib
from types import SimpleNamespace

from django.apps import apps
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from annotations.models import ApiToken
from tests.conftest import error_body

TOKENS = "/api/auth/tokens/"
PASSWORD = "/api/me/password/"


def _login(username: str = "alice", password: str = "pw-for-tests", **body) -> str:
    response = APIClient().post(
        "/api/auth/token/", {"username": username, "password": password, **body}, format="json"
    )
    assert response.status_code == 200, response.content
    return response.json()["token"]


def _by_token(key: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def _by_session(user) -> APIClient:
    client = APIClient()
    assert client.login(username=user.username, password="pw-for-tests")
    return client


def test_each_login_makes_a_token_listed_without_its_key(cast):
    """Two logins make two tokens; the list shows name, prefix and times, marks the one in
    use, and never a key or digest."""
    laptop = _login(name="laptop")
    script = _login(name="nightly script")
    assert laptop != script and len(laptop) == 40
    listed = _by_token(laptop).get(TOKENS).json()
    assert [(t["name"], t["prefix"], t["current"]) for t in listed] == [
        ("nightly script", script[:8], False),
        ("laptop", laptop[:8], True),
    ]
    assert set(listed[0]) == {"id", "name", "prefix", "created_at", "last_used_at", "current"}
    assert listed[1]["last_used_at"] is not None and listed[0]["last_used_at"] is None
    stored = ApiToken.objects.values_list("digest", flat=True)
    assert laptop not in stored and script not in stored


def test_a_session_makes_a_token_and_sees_its_key_once(cast):
    """POST /api/auth/tokens/ (from the browser's session) answers the key once; it works."""
    session = _by_session(cast.annotator)
    made = session.post(TOKENS, {"name": "notebook"}, format="json")
    assert made.status_code == 201
    key = made.json()["token"]
    assert _by_token(key).get("/api/me/").json()["username"] == "alice"
    assert "token" not in session.get(TOKENS).json()[0]


def test_revoked_token_is_refused_and_others_tokens_are_404(cast):
    """Revoking one token ends it and only it; another user's token id answers the same 404
    as an id that does not exist."""
    first, second = _login(), _login()
    client = _by_token(first)
    second_id = next(t["id"] for t in client.get(TOKENS).json() if not t["current"])
    assert client.delete(f"{TOKENS}{second_id}/").status_code == 204
    error_body(_by_token(second).get("/api/me/"), 403, "authentication_failed")
    assert client.get("/api/me/").status_code == 200
    theirs = _login("bob")
    theirs_id = _by_token(theirs).get(TOKENS).json()[0]["id"]
    other = client.delete(f"{TOKENS}{theirs_id}/")
    missing = client.delete(f"{TOKENS}999999/")
    assert error_body(other, 404, "not_found") == error_body(missing, 404, "not_found")
    assert _by_token(theirs).get("/api/me/").status_code == 200


def test_password_change_revokes_tokens_and_other_sessions(cast):
    """Changing the password keeps this session, ends the user's other sessions and every
    token; the new password logs in, the old one does not."""
    here, elsewhere = _by_session(cast.annotator), _by_session(cast.annotator)
    key = _login()
    bob = _login("bob")
    change = {"old_password": "pw-for-tests", "new_password": "a-new-passphrase"}
    assert here.post(PASSWORD, change, format="json").status_code == 204
    assert here.get("/api/me/").status_code == 200
    error_body(elsewhere.get("/api/me/"), 403, "not_authenticated")
    error_body(_by_token(key).get("/api/me/"), 403, "authentication_failed")
    assert here.get(TOKENS).json() == []
    assert _by_token(bob).get("/api/me/").status_code == 200  # someone else's: untouched
    _login(password="a-new-passphrase")
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": "pw-for-tests"}, format="json"
    )
    error_body(response, 400, "invalid")


def test_password_change_from_a_token_revokes_that_token_too(cast):
    """A script changing the password with its token loses that token as well."""
    client = _by_token(_login())
    change = {"old_password": "pw-for-tests", "new_password": "a-new-passphrase"}
    assert client.post(PASSWORD, change, format="json").status_code == 204
    error_body(client.get("/api/me/"), 403, "authentication_failed")


def test_password_change_needs_the_current_password_and_a_valid_new_one(cast):
    """A wrong current password or a too short new one is a 400 naming the field; nothing
    changes."""
    client = _by_session(cast.annotator)
    key = _login()
    wrong = {"old_password": "guess", "new_password": "a-new-passphrase"}
    body = error_body(client.post(PASSWORD, wrong, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["old_password"]
    short = {"old_password": "pw-for-tests", "new_password": "short"}
    body = error_body(client.post(PASSWORD, short, format="json"), 400, "invalid")
    assert list(body["errors"]) == ["new_password"]
    assert _by_token(key).get("/api/me/").status_code == 200
    _login()


def test_a_password_set_elsewhere_ends_the_tokens(cast):
    """The admin's password form and `changepassword` save the password without our service:
    tokens made before still stop working."""
    key = _login()
    cast.annotator.set_password("set-by-an-admin")
    cast.annotator.save()
    error_body(_by_token(key).get("/api/me/"), 403, "authentication_failed")


def test_a_user_keeps_at_most_the_configured_tokens(cast, settings):
    """Past USER_MAX_TOKENS the least recently used token goes."""
    settings.USER_MAX_TOKENS = 2
    used = _login()
    unused = _login()
    _by_token(used).get("/api/me/")
    newest = _login()
    error_body(_by_token(unused).get("/api/me/"), 403, "authentication_failed")
    assert _by_token(used).get("/api/me/").status_code == 200
    assert _by_token(newest).get("/api/me/").status_code == 200
    assert ApiToken.objects.filter(user=cast.annotator).count() == 2


def test_token_authentication_costs_one_query(cast, django_assert_num_queries):
    """A token request reads token, user and preferences in one query; last use is written
    at most every few minutes, not on every request."""
    client = _by_token(_login())
    with django_assert_num_queries(2):  # the token with its user; last_used_at
        assert client.get("/api/me/").status_code == 200
    with django_assert_num_queries(1):  # the token with its user
        assert client.get("/api/me/").status_code == 200


def test_drf_tokens_keep_working_after_the_migration(cast):
    """A key DRF's authtoken made before this version is carried over by the migration."""
    key = "0123456789abcdef0123456789abcdef01234567"
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE authtoken_token (key varchar(40) PRIMARY KEY, user_id bigint, "
            "created timestamp with time zone)"
        )
        cursor.execute(
            "INSERT INTO authtoken_token VALUES (%s, %s, %s)",
            [key, cast.annotator.pk, timezone.now()],
        )
    migration = importlib.import_module("annotations.migrations.0012_api_tokens")
    migration.carry_over_drf_tokens(apps, SimpleNamespace(connection=connection))
    assert _by_token(key).get("/api/me/").json()["username"] == "alice"
