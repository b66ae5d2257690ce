"""A database outage answers 503 with Retry-After in the one error body, never a 500, and the
next request after it is back is served again.

The outage is real: the connection is pointed at a port where nothing listens (a socket bound
and never listening, so connecting is refused at once), never at the shared PostgreSQL.
"""

import socket

import pytest
from django.db import connections
from rest_framework.test import APIClient

from annotations.services.tokens import token_create
from annotations.views.errors import OUTAGE_RETRY_AFTER
from tests.conftest import error_body


@pytest.fixture
def refused_database(transactional_db):
    """While active, every new database connection is refused; on exit, the real one again."""
    connection = connections["default"]
    saved = dict(connection.settings_dict)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))

        def refuse() -> None:
            connection.close()
            if connection.vendor == "sqlite":  # a file that cannot be opened
                connection.settings_dict["NAME"] = "/nonexistent/workbench.sqlite3"
            else:
                connection.settings_dict["HOST"] = "127.0.0.1"
                connection.settings_dict["PORT"] = closed.getsockname()[1]

        def restore() -> None:
            connection.close()
            connection.settings_dict.update(saved)

        try:
            yield refuse, restore
        finally:
            restore()


def _client(**credentials) -> APIClient:
    # The test client re-raises what a view raised even when the handler answered; a real
    # server only sends the answer.
    client = APIClient(raise_request_exception=False)
    client.credentials(**credentials)
    return client


def _assert_outage(response) -> None:
    assert response.status_code == 503, response.content[:300]
    assert response["Retry-After"] == str(OUTAGE_RETRY_AFTER)


def test_api_requests_get_a_json_503_while_the_database_refuses(cast, refused_database):
    """Token, session and anonymous API requests answer 503 `unavailable` with Retry-After
    in the one body (whether the database is first needed in DRF's authentication or in a
    middleware's session lookup), then succeed again once it is back."""
    refuse, restore = refused_database
    _token, key = token_create(user=cast.annotator)
    by_token = _client(HTTP_AUTHORIZATION=f"Token {key}")
    by_session = _client()
    by_session.force_login(cast.annotator)
    anonymous = _client()
    refuse()
    for client in (by_token, by_session):
        response = client.get("/api/projects/")
        _assert_outage(response)
        body = error_body(response, 503, "unavailable")
        assert "try again" in body["detail"]
    response = anonymous.post(
        "/api/auth/token/", {"username": "alice", "password": "x"}, format="json"
    )
    _assert_outage(response)
    error_body(response, 503, "unavailable")
    restore()
    for client in (by_token, by_session):
        response = client.get("/api/projects/")
        assert response.status_code == 200, response.content[:300]
        assert [p["name"] for p in response.json()["results"]] == ["Tribun"]


def test_pages_get_an_html_503_while_the_database_refuses(cast, refused_database):
    """A logged-in browser page answers a 503 page with Retry-After, in the browser's
    language, not the 500 page."""
    refuse, restore = refused_database
    client = _client()
    client.force_login(cast.annotator)
    refuse()
    response = client.get(f"/projects/{cast.project.pk}/", HTTP_ACCEPT_LANGUAGE="id")
    _assert_outage(response)
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert "503" in page and "Server error" not in page
    assert "Basis data" in page or "basis data" in page
    restore()
    assert client.get(f"/projects/{cast.project.pk}/").status_code == 200
