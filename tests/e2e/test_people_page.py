"""The People page in a real browser, in English and Indonesian, on a laptop and a phone.

The admin adds a member picked from the suggestions, is told in words that an unknown
name has no account, changes a role, removes someone, and creates two accounts: one with
an invitation link that a new browser opens to set a password, one with a temporary
password that logs in. The ORM confirms what the page reported.
"""

import pytest
from django.contrib.auth import get_user_model

from annotations.models import Membership, Role
from tests.e2e.conftest import login
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.factories import UserFactory, add_member, make_project

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def open_people(page, live_server, project_id: int) -> None:
    page.goto(f"{live_server.url}/projects/{project_id}/people/")
    page.locator('tr[data-member="adam"]').wait_for()


def test_admin_adds_changes_and_removes_members(cast, live_server, page):
    """Suggestions as one types (keyboard pick), an unknown name in words, a role change and
    a removal by keyboard, each reaching the database."""
    desk = make_project(admin=cast.admin, name="Second desk")
    add_member(desk, UserFactory(username="nadia"))
    UserFactory(username="nadine")  # shares no project with adam: never suggested
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="People").click()
    page.locator('tr[data-member="adam"]').wait_for()

    form = page.get_by_role("form", name="Add a member")
    field = form.get_by_role("combobox", name="Username or email")
    field.fill("nobody-here")
    form.get_by_role("button", name="Add member").click()
    error = form.locator("#add-member-name-error")
    error.filter(has_text="No account is called “nobody-here”").wait_for()
    assert "Object with" not in error.inner_text()
    assert field.get_attribute("aria-invalid") == "true"

    field.fill("nad")
    listbox = page.get_by_role("listbox", name="Suggested accounts")
    listbox.get_by_role("option", name="nadia").wait_for()
    assert listbox.get_by_role("option").all_inner_texts() == ["nadia"]
    check_page(page, "people-suggestions")
    field.press("ArrowDown")
    assert field.get_attribute("aria-activedescendant")
    field.press("Enter")
    assert field.input_value() == "nadia"
    form.get_by_label("Role").select_option("reviewer")
    form.get_by_role("button", name="Add member").click()
    row = page.locator('tr[data-member="nadia"]')
    row.wait_for()
    assert row.get_by_label("Role of nadia").input_value() == "reviewer"
    assert Membership.objects.get(project=cast.project, user__username="nadia").role == "reviewer"

    page.get_by_label("Role of bob").select_option("reviewer")
    page.get_by_text("bob is now reviewer.").wait_for()
    assert Membership.objects.get(project=cast.project, user=cast.teammate).role == Role.REVIEWER
    # By keyboard: Enter asks, focus lands on the confirming button, Enter removes.
    page.get_by_role("button", name="Remove alice…").focus()
    page.keyboard.press("Enter")
    confirm = page.get_by_role("button", name="Remove alice", exact=True)
    assert confirm.evaluate("el => el === document.activeElement")
    page.keyboard.press("Enter")
    page.get_by_text("alice was removed.").wait_for()
    assert page.locator('tr[data-member="alice"]').count() == 0
    assert not Membership.objects.filter(project=cast.project, user=cast.annotator).exists()


def test_admin_creates_accounts_by_invitation_and_by_temporary_password(
    cast, live_server, page, browser
):
    """The link, opened in another browser, sets a password and lands on the project; the
    temporary password logs in. Both are shown once."""
    login(page, live_server, "adam")
    open_people(page, live_server, cast.project.pk)
    form = page.get_by_role("form", name="Create an account")
    form.get_by_label("Username").fill("alice")
    form.get_by_role("button", name="Create account").click()
    form.get_by_text("an account called “alice” exists").wait_for()

    form.get_by_label("Username").fill("nadia")
    form.get_by_label("Email (optional)").fill("nadia@tribun.example")
    form.get_by_role("button", name="Create account").click()
    secret = page.get_by_role("region", name="Pass this on")
    secret.wait_for()
    link = secret.locator("[data-secret]").inner_text()
    assert "/invitation/" in link
    page.locator('tr[data-member="nadia"]').get_by_text("Invited: the link works until").wait_for()
    check_page(page, "people-invitation")

    newcomer = browser.new_context(viewport=VIEWPORTS["phone"], locale=LOCALES["id"])
    try:
        other = newcomer.new_page()
        other.goto(link)
        other.get_by_role("heading", name="Buat kata sandi Anda").wait_for()
        check_page(other, "invitation-accept-phone-id")
        other.get_by_label("Kata sandi baru").fill("kata sandi yang panjang")
        other.get_by_label("Kata sandi yang sama sekali lagi").fill("kata sandi yang panjang")
        other.get_by_role("button", name="Simpan kata sandi dan masuk").click()
        other.wait_for_url(f"{live_server.url}/projects/{cast.project.pk}/")
        other.goto(link)
        other.get_by_role("heading", name="Tautan ini tidak dapat dipakai").wait_for()
    finally:
        newcomer.close()
    assert get_user_model().objects.get(username="nadia").check_password("kata sandi yang panjang")

    page.get_by_role("button", name="Done", exact=True).click()
    form.get_by_label("Username").fill("omar")
    form.get_by_label("Email (optional)").fill("")
    form.get_by_label("A temporary password that I pass on").check()
    form.get_by_label("Role").select_option("reviewer")
    form.get_by_role("button", name="Create account").click()
    password = secret.locator("[data-secret]").inner_text()
    assert "/" not in password and len(password) >= 12
    assert get_user_model().objects.get(username="omar").check_password(password)
    assert Membership.objects.get(project=cast.project, user__username="omar").role == "reviewer"


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_people_page_in_indonesian_at_both_sizes(cast, live_server, browser, size):
    """In Indonesian at 390 and 1024 px: no English words, no sideways scrolling, axe clean."""
    context = browser.new_context(viewport=VIEWPORTS[size], locale=LOCALES["id"])
    page = context.new_page()
    try:
        login(page, live_server, "adam")
        open_people(page, live_server, cast.project.pk)
        page.get_by_role("heading", name="Tambah anggota").wait_for()
        assert english_on_page(page) == []
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        check_page(page, f"people-{size}-id")
    finally:
        context.close()


def test_people_page_is_for_admins_only(cast, live_server, page):
    """A reviewer sees no People link and the page says it is not theirs."""
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="Exports").wait_for()
    assert page.get_by_role("link", name="People").count() == 0
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/people/")
    page.get_by_text("Only the project's admins can manage its people.").wait_for()
