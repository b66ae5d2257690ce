"""The interface language: the user's saved choice, else the browser's Accept-Language, for
server-rendered pages and API messages alike; the switcher; the translated error pages."""

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import Client, RequestFactory
from django.utils import translation
from django.views.defaults import permission_denied
from rest_framework.test import APIClient

from annotations.models import UserPreferences
from annotations.presets import NEWS
from annotations.services.tokens import token_create
from annotations.views.errors import server_error
from tests.conftest import api

INDONESIAN = "id-ID,id;q=0.9,en;q=0.5"


def logged_in(user, language: str | None = None) -> Client:
    """A browser session (through the middleware, unlike force_authenticate)."""
    if language is not None:
        UserPreferences.objects.update_or_create(user=user, defaults={"language": language})
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "lang", "words"),
    [(INDONESIAN, "id", "Nama pengguna"), ("en-US,en;q=0.9", "en", "Username")],
)
def test_login_page_speaks_the_browsers_language(accept, lang, words):
    """Before anyone logs in, Accept-Language picks the page's language."""
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert f'<html lang="{lang}">' in html
    assert words in html


@pytest.mark.django_db
def test_a_language_we_do_not_speak_gets_english():
    """French asks for what we do not have: the page is English."""
    response = Client().get("/login/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")
    assert '<html lang="en">' in response.content.decode()
    assert response["Content-Language"] == "en"


def test_a_saved_language_beats_the_browsers(cast):
    """A user who chose Indonesian gets it even from an English browser."""
    client = logged_in(cast.annotator, "id")
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US")
    assert '<html lang="id">' in response.content.decode()
    assert response["Content-Language"] == "id"


def test_me_patch_saves_the_language_and_null_follows_the_browser_again(cast):
    """PATCH /api/me/ {"language"} saves the choice; null goes back to Accept-Language."""
    client = logged_in(cast.annotator)
    answer = client.patch(
        "/api/me/", {"language": "id"}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert answer.status_code == 200
    assert answer.json()["language"] == "id"
    assert answer.json()["active_language"] == "id"
    assert answer.cookies[settings.LANGUAGE_COOKIE_NAME].value == "id"
    me = client.get("/api/me/", HTTP_ACCEPT_LANGUAGE="en").json()
    assert (me["language"], me["active_language"]) == ("id", "id")

    cleared = client.patch(
        "/api/me/", {"language": None}, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert (cleared.json()["language"], cleared.json()["active_language"]) == (None, "en")
    assert UserPreferences.objects.get(user=cast.annotator).language == ""


def test_me_patch_refuses_a_language_we_do_not_speak(cast):
    """An unknown language is a 400 naming the field."""
    response = cast.client("annotator").patch("/api/me/", {"language": "fr"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["language"]


def test_api_errors_come_in_the_saved_language(cast):
    """DRF's own messages (shipped in Indonesian) follow the user's choice, session or token."""
    session = logged_in(cast.admin, "id")
    response = session.post(api(cast.project.pk, "labels/"), {}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.json()["errors"]["kind"] == ["Bidang ini harus diisi."]

    _token, key = token_create(user=cast.admin)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}", HTTP_ACCEPT_LANGUAGE="en")
    response = client.post(api(cast.project.pk, "labels/"), {}, format="json")
    assert response.json()["errors"]["kind"] == ["Bidang ini harus diisi."]


@pytest.mark.django_db
def test_anonymous_api_errors_follow_accept_language():
    """Without a user, the API answers in the browser's language."""
    response = APIClient().get("/api/projects/", HTTP_ACCEPT_LANGUAGE=INDONESIAN)
    assert response.status_code == 403
    assert response.json()["detail"] == "Data autentikasi tidak diberikan."


def test_the_language_costs_no_query_of_its_own(cast, django_assert_num_queries):
    """The saved language comes with the user: GET /api/me/ is the session and the user."""
    client = logged_in(cast.annotator, "id")
    with django_assert_num_queries(2):  # the session row; the user joined with preferences
        response = client.get("/api/me/")
    assert response.json()["active_language"] == "id"


def test_switcher_saves_a_logged_in_users_choice_and_comes_back(cast):
    """The header's form (POST /language/) saves the choice and returns to the page."""
    client = logged_in(cast.annotator)
    page = f"/projects/{cast.project.pk}/"
    response = client.post("/language/", {"language": "id", "next": page})
    assert response.status_code == 302
    assert response["Location"] == page
    assert UserPreferences.objects.get(user=cast.annotator).language == "id"
    assert '<html lang="id">' in client.get(page, HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_switcher_before_login_sets_the_language_for_the_browser():
    """Anonymous: the choice is a cookie, and the login page speaks it."""
    client = Client()
    client.post("/language/", {"language": "id", "next": "/login/"})
    assert "Kata sandi" in client.get("/login/", HTTP_ACCEPT_LANGUAGE="en").content.decode()


@pytest.mark.django_db
def test_switcher_is_on_the_login_page():
    """Both languages are offered, each named in itself, the current one pressed."""
    html = Client().get("/login/", HTTP_ACCEPT_LANGUAGE=INDONESIAN).content.decode()
    assert 'action="/language/"' in html
    flat = " ".join(html.split())
    assert 'value="id" lang="id" title="Bahasa Indonesia" aria-pressed="true"' in flat
    assert 'value="en" lang="en" title="English" aria-pressed="false"' in flat


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("accept", "heading", "back"),
    [
        (INDONESIAN, "Halaman tidak ditemukan", "Kembali ke proyek saya"),
        ("en", "Page not found", "Back to my projects"),
    ],
)
def test_404_page_is_translated_with_a_way_back(accept, heading, back):
    """An unknown page is a styled 404 in the user's language, with a link home."""
    response = Client().get("/no/such/page/", HTTP_ACCEPT_LANGUAGE=accept)
    html = response.content.decode()
    assert response.status_code == 404
    assert heading in html and back in html
    assert 'href="/"' in html
    assert "/no/such/page/" in html  # says what was not found


@pytest.mark.django_db
def test_expired_form_is_a_translated_403():
    """A POST without a valid CSRF token gets the "form expired" page, not Django's."""
    client = Client(enforce_csrf_checks=True)
    response = client.post(
        "/login/", {"username": "x", "password": "y"}, HTTP_ACCEPT_LANGUAGE=INDONESIAN
    )
    assert response.status_code == 403
    assert "Formulir kedaluwarsa" in response.content.decode()


@pytest.mark.django_db
def test_403_page_says_whom_to_ask():
    """A refused page explains itself and offers a way back and a login."""
    request = RequestFactory().get("/admin/x/")
    request.user = AnonymousUser()
    with translation.override("en"):
        html = permission_denied(request, Exception()).content.decode()
    assert "ask an admin of the project" in html
    assert 'href="/login/"' in html and 'href="/"' in html


@pytest.mark.django_db
def test_500_page_is_translated_and_needs_no_context():
    """The server error page renders without a request context, in the active language."""
    with translation.override("id"):
        response = server_error(RequestFactory().get("/projects/1/"))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Terjadi kesalahan di pihak kami" in html and 'href="/"' in html


def test_news_labels_have_indonesian_and_english_texts():
    """Every preset label has a title and a description in both languages, and every
    attribute and value it offers has a display name in both."""
    for spec in NEWS:
        for language in ("en", "id"):
            texts = spec["translations"][language]
            assert texts["title"] and texts["description"], (spec["name"], language)
            for attribute, values in spec.get("attributes", {}).items():
                assert texts["attributes"][attribute], (spec["name"], attribute)
                assert all(texts["values"][value] for value in values), (spec["name"], values)
            if spec["kind"] == "document":
                assert texts["group"]
    titles = {spec["name"]: spec["translations"]["id"]["title"] for spec in NEWS}
    assert (titles["PER"], titles["QUOTE"], titles["SPEAKER"]) == ("Orang", "Kutipan", "Penutur")


def test_labels_api_serves_and_checks_translations(cast):
    """The label list carries translations; a bad one is a 400 at `translations`, and the
    identifier `name` does not change with them."""
    client = cast.client("admin")
    labels = client.get(api(cast.project.pk, "labels/")).json()["results"]
    person = next(label for label in labels if label["name"] == "PER")
    assert person["translations"]["id"]["title"] == "Orang"
    url = api(cast.project.pk, f"labels/{person['id']}/")
    bad = client.patch(url, {"translations": {"fr": {"title": "Personne"}}}, format="json")
    assert bad.status_code == 400 and list(bad.json()["errors"]) == ["translations"]
    texts = {"id": {"title": "Tokoh"}, "en": {"title": "Person"}}
    good = client.patch(url, {"translations": texts}, format="json")
    assert good.status_code == 200
    assert (good.json()["name"], good.json()["translations"]) == ("PER", texts)
