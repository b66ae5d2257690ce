"""People through the API: members added by username or email, suggestions limited to what
an admin may know, accounts with a temporary password or an invitation link (single use,
with an expiry), and messages in the user's language."""

from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from annotations.models import Invitation, Membership
from tests.conftest import api, error_body
from tests.factories import UserFactory, add_member, make_project

pytestmark = pytest.mark.django_db


def add(cast, name: str, role: str = "annotator", **headers):
    body = {"username": name, "role": role}
    return cast.client("admin").post(
        api(cast.project.pk, "members/"), body, format="json", **headers
    )


def create_account(cast, **fields):
    body = {"username": "nadia", "role": "annotator", **fields}
    return cast.client("admin").post(api(cast.project.pk, "accounts/"), body, format="json")


def search(cast, q: str, who: str = "admin"):
    return cast.client(who).get(api(cast.project.pk, "users/"), {"q": q})


# --- Adding members ---------------------------------------------------------------------


def test_a_member_is_added_by_username_or_by_email(cast):
    """A username or an account's email (any case) adds that account with the role asked."""
    UserFactory(username="nadia", email="Nadia@Tribun.example")
    UserFactory(username="omar")
    assert add(cast, "omar", "reviewer").json()["role"] == "reviewer"
    response = add(cast, "nadia@tribun.EXAMPLE")
    assert response.status_code == 201, response.json()
    assert response.json()["username"] == "nadia"
    assert Membership.objects.get(project=cast.project, user__username="nadia").role == "annotator"


def test_an_unknown_name_gets_a_clear_message_in_the_users_language(cast):
    """No raw serializer words ("Object with username=… does not exist"): a sentence that
    names what was typed, in English or Indonesian, and nothing is stored."""
    before = Membership.objects.count()
    body = error_body(add(cast, "nobody-here"), 400, "invalid")
    message = body["errors"]["username"][0]
    assert "nobody-here" in message and "No account is called" in message
    assert "Object with" not in body["detail"]
    body = error_body(add(cast, "nobody-here", HTTP_ACCEPT_LANGUAGE="id"), 400, "invalid")
    assert "Tidak ada akun" in body["errors"]["username"][0]
    assert Membership.objects.count() == before


def test_an_email_shared_by_two_accounts_adds_neither(cast):
    """An email that two accounts have is no way to tell which one is meant."""
    UserFactory(username="twin1", email="twins@example.org")
    UserFactory(username="twin2", email="twins@example.org")
    error_body(add(cast, "twins@example.org"), 400, "invalid")


def test_adding_an_existing_member_changes_the_role_but_not_the_last_admin(cast):
    """The last admin cannot be demoted by adding them again with another role."""
    assert add(cast, "alice", "reviewer").json()["role"] == "reviewer"
    body = error_body(add(cast, "adam", "annotator"), 400, "invalid")
    assert "at least one admin" in body["detail"]
    assert Membership.objects.get(project=cast.project, user=cast.admin).role == "admin"


def test_a_patch_naming_another_user_is_refused_in_words(cast):
    """A membership's user never changes; the message says so (translated), not a raw
    serializer error about a missing object."""
    member = cast.project.memberships.get(user=cast.teammate)
    response = cast.client("admin").patch(
        api(cast.project.pk, f"members/{member.pk}/"), {"username": "ghost"}, format="json"
    )
    assert "cannot change" in error_body(response, 400, "invalid")["detail"]


# --- Suggestions ------------------------------------------------------------------------


def test_suggestions_come_from_people_the_admin_may_know(cast):
    """Partial matches among people who share a project with the admin and accounts the
    admin created; anyone else only by their exact username or email."""
    stranger = UserFactory(username="alicia", email="alicia@elsewhere.example")
    other = make_project(admin=cast.admin, name="Second desk")
    add_member(other, UserFactory(username="alina"))
    found = search(cast, "ali").json()
    assert [u["username"] for u in found] == ["alice", "alina"]
    assert {u["username"]: u["role"] for u in found} == {"alice": "annotator", "alina": None}
    assert [u["username"] for u in search(cast, "alicia").json()] == ["alicia"]
    assert [u["id"] for u in search(cast, "ALICIA@elsewhere.example").json()] == [stranger.pk]
    assert search(cast, "alicia@").json() == []


def test_suggestions_are_for_admins_only(cast):
    """Annotators and reviewers cannot list accounts; outsiders do not see the project."""
    assert search(cast, "a", "annotator").status_code == 403
    assert search(cast, "a", "reviewer").status_code == 403
    assert search(cast, "a", "outsider").status_code == 404
    assert search(cast, " ").json() == []
    error_body(search(cast, "x" * 151), 400, "invalid")


def test_suggestions_take_one_query_however_many_match(cast):
    """One query after the caller's project and role (session and project lookups aside)."""
    for i in range(30):
        add_member(cast.project, UserFactory(username=f"kim{i:02d}"))
    client = cast.client("admin")
    client.get(api(cast.project.pk, "users/"), {"q": "kim"})
    with CaptureQueriesContext(connection) as queries:
        response = client.get(api(cast.project.pk, "users/"), {"q": "kim"})
    assert len(response.json()) == 10
    # 1 the project and the caller's role, 2 the matching accounts with their role here
    assert len(queries) == 2, [q["sql"] for q in queries]


# --- Accounts ---------------------------------------------------------------------------


def test_an_account_with_a_temporary_password_can_log_in(cast):
    """The password is in the answer once, works for logging in, and is never listed."""
    response = create_account(cast, method="password", email="nadia@tribun.example")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["member"]["username"] == "nadia" and body["member"]["role"] == "annotator"
    assert body["invitation"] is None and body["member"]["invitation"] is None
    password = body["temporary_password"]
    assert len(password) >= 12
    token = Client().post(
        "/api/auth/token/", {"username": "nadia", "password": password}, "application/json"
    )
    assert token.status_code == 200
    listed = cast.client("admin").get(api(cast.project.pk, "members/")).content.decode()
    assert password not in listed
    assert get_user_model().objects.get(username="nadia").email == "nadia@tribun.example"


def test_an_invitation_link_sets_the_password_once(cast):
    """The link's page sets a password and logs in; the second use finds the link spent."""
    body = create_account(cast, method="invitation", role="reviewer").json()
    url = body["invitation"]["url"]
    assert body["temporary_password"] is None
    assert body["member"]["invitation"]["expires_at"] == body["invitation"]["expires_at"]
    user = get_user_model().objects.get(username="nadia")
    assert not user.has_usable_password()
    token = url.rstrip("/").rsplit("/", 1)[1]
    assert not Invitation.objects.filter(token_hash__contains=token).exists()  # hashed

    browser = Client()
    page = browser.get(url)
    assert page.status_code == 200 and "nadia" in page.content.decode()
    answer = browser.post(url, {"password": "a long enough one", "password2": "a long enough one"})
    assert answer.status_code == 302 and answer["Location"] == f"/projects/{cast.project.pk}/"
    assert browser.get("/api/me/").json()["username"] == "nadia"
    user.refresh_from_db()
    assert user.check_password("a long enough one")

    again = Client().post(url, {"password": "another long one", "password2": "another long one"})
    assert again.status_code == 404
    user.refresh_from_db()
    assert user.check_password("a long enough one")


def test_an_invitation_refuses_short_or_mismatched_passwords(cast):
    """Django's password validators speak; the link stays usable."""
    url = create_account(cast).json()["invitation"]["url"]
    short = Client().post(url, {"password": "short", "password2": "short"})
    assert short.status_code == 200 and "too short" in short.content.decode()
    differ = Client().post(url, {"password": "long enough 1", "password2": "long enough 2"})
    assert "differ" in differ.content.decode()
    assert Client().get(url).status_code == 200


def test_an_expired_invitation_is_refused_and_can_be_renewed(cast):
    """Past its expiry a link is dead; the admin gets a new one and the old stays dead."""
    body = create_account(cast).json()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    old = body["invitation"]["url"]
    assert Client().get(old).status_code == 404
    listed = cast.client("admin").get(api(cast.project.pk, "members/")).json()["results"]
    assert [m["invitation"] for m in listed if m["username"] == "nadia"] == [{"expires_at": None}]
    member = body["member"]["id"]
    renewed = cast.client("admin").post(api(cast.project.pk, f"members/{member}/invitation/"))
    assert renewed.status_code == 201
    assert Client().get(renewed.json()["url"]).status_code == 200
    assert Client().get(old).status_code == 404


def test_renewing_for_a_member_with_a_password_is_refused(cast):
    member = cast.project.memberships.get(user=cast.teammate)
    response = cast.client("admin").post(api(cast.project.pk, f"members/{member.pk}/invitation/"))
    assert "password already" in error_body(response, 400, "invalid")["detail"]


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"username": "alice"}, "username", "exists"),
        ({"username": "ALICE"}, "username", "exists"),
        ({"username": "two words"}, "username", "without spaces"),
        ({"email": "not-an-email"}, "email", "not an email"),
        ({"method": "carrier-pigeon"}, "method", ""),
        ({"role": "owner"}, "role", ""),
    ],
)
def test_bad_accounts_are_refused_and_nothing_is_stored(cast, fields, field, words):
    users = get_user_model().objects.count()
    body = error_body(create_account(cast, **fields), 400, "invalid")
    assert words in body["errors"][field][0]
    assert get_user_model().objects.count() == users


def test_a_taken_email_is_refused(cast):
    UserFactory(username="someone", email="taken@example.org")
    body = error_body(create_account(cast, email="Taken@example.org"), 400, "invalid")
    assert "email" in body["errors"]


def test_an_admin_may_create_a_bounded_number_of_accounts(cast, settings):
    """USER_MAX_ACCOUNTS per admin (anyone can start a project and so be an admin)."""
    settings.USER_MAX_ACCOUNTS = 2
    assert create_account(cast, username="one").status_code == 201
    assert create_account(cast, username="two").status_code == 201
    body = error_body(create_account(cast, username="three"), 400, "invalid")
    assert "2 accounts" in body["detail"]
    assert not get_user_model().objects.filter(username="three").exists()


def test_accounts_are_created_by_admins_only(cast):
    body = {"username": "nadia", "role": "annotator"}
    for who, code in (("annotator", 403), ("reviewer", 403), ("outsider", 404)):
        response = cast.client(who).post(api(cast.project.pk, "accounts/"), body, format="json")
        assert response.status_code == code
    assert not get_user_model().objects.filter(username="nadia").exists()
