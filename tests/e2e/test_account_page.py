"""The account page in a real browser: make an API token, see its key once, revoke it, and
change the password (which revokes the rest); in English and Indonesian."""

import pytest
from rest_framework.test import APIClient

from annotations.models import ApiToken
from tests.e2e.conftest import PASSWORD, login
from tests.e2e.pages import check_page, english_on_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _works(key: str) -> bool:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client.get("/api/me/").status_code == 200


def test_make_see_once_and_revoke_a_token(cast, live_server, page):
    """A token made on the page works from a script; revoked on the page, it stops."""
    login(page, live_server, "alice")
    page.get_by_role("link", name="Account").click()
    page.get_by_role("heading", name="API tokens").wait_for()
    page.get_by_text("You have no API tokens.").wait_for()
    page.get_by_label("New token's name").fill("laptop")
    page.get_by_role("button", name="Make a token").click()
    key = page.locator("[data-new-token]").inner_text()
    assert len(key) == 40 and _works(key)
    row = page.locator(f'tr[data-token="{key[:8]}"]')
    assert "laptop" in row.inner_text()
    check_page(page, "account-tokens")
    page.reload()
    page.get_by_role("heading", name="API tokens").wait_for()
    assert page.locator("[data-new-token]").count() == 0  # the key is shown once only
    page.get_by_role("button", name="Revoke the token laptop").click()
    page.get_by_text("The token laptop was revoked.").wait_for()
    assert not _works(key)
    assert not ApiToken.objects.exists()


def test_password_change_on_the_page_revokes_tokens_and_stays_logged_in(cast, live_server, page):
    """Changing the password on the page keeps this session and ends the tokens."""
    response = APIClient().post(
        "/api/auth/token/", {"username": "alice", "password": PASSWORD}, format="json"
    )
    key = response.json()["token"]
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/account/")
    page.locator(f'tr[data-token="{key[:8]}"]').wait_for()
    page.get_by_label("Current password").fill("not it")
    page.get_by_label("New password").fill("a-new-passphrase")
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("This is not your current password.").wait_for()
    assert _works(key)
    page.get_by_label("Current password").fill(PASSWORD)
    page.get_by_role("button", name="Change password").click()
    page.get_by_text("Password changed.").wait_for()
    page.get_by_text("You have no API tokens.").wait_for()
    assert not _works(key)
    page.goto(f"{live_server.url}/account/")
    page.get_by_role("heading", name="My account").wait_for()  # still logged in


def test_account_page_in_indonesian(cast, live_server, browser):
    """The page speaks Indonesian to an Indonesian browser, with no English left over."""
    context = browser.new_context(locale="id-ID", viewport={"width": 390, "height": 844})
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/login/")
        page.get_by_label("Nama pengguna").fill("alice")
        page.get_by_label("Kata sandi").fill(PASSWORD)
        page.get_by_role("button", name="Masuk").click()
        page.wait_for_url(f"{live_server.url}/")
        page.goto(f"{live_server.url}/account/")
        page.get_by_role("heading", name="Token API").wait_for()
        page.get_by_role("heading", name="Kata sandi").wait_for()
        assert english_on_page(page) == []
        check_page(page, "account-id-phone")
    finally:
        context.close()
