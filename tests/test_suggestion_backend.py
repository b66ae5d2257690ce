"""A project's HTTP model backend: the admin sets a URL the server may call, a real backend
server on 127.0.0.1 answers well, slowly or with garbage, and every failure becomes a stored
reason the admin reads, never an error for annotators."""

import pytest

from annotations.models import Document, SuggestionBackend
from annotations.services.suggestion_backend import (
    backend_suggest,
    suggestion_backend_record,
)
from annotations.services.suggestions import suggestions_compute
from annotations.suggesting.backend import BackendFailure, DocumentToSuggest
from annotations.suggesting.backend_http import AddressPolicy, post_json
from annotations.validation import LabelSet
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.model_backend import BackendServer

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di markas NATO."
LOOPBACK = ["127.0.0.0/8", "::1/128"]


@pytest.fixture
def backend_server():
    with BackendServer() as server:
        yield server


@pytest.fixture
def loopback_allowed(settings):
    """The tests' backend runs on 127.0.0.1: the operator's setting allows loopback."""
    settings.SUGGESTION_BACKEND_ALLOWED_NETWORKS = LOOPBACK
    settings.SUGGESTION_BACKEND_TIMEOUT_SECONDS = 1
    settings.SUGGESTION_BACKEND_MAX_BYTES = 200_000


def _put(client, project, url, **more):
    return client.put(api(project.pk, "suggestions/backend/"), {"url": url, **more}, format="json")


def _suggest(cast, server_url):
    document = DocumentFactory(project=cast.project, text=TEXT)
    return backend_suggest(
        url=server_url,
        document=DocumentToSuggest(
            document.pk, document.external_id, document.title, TEXT, cast.project.language
        ),
        labels=LabelSet.from_rows(cast.project.labels.all()),
    )


# --- Which URLs an admin may set ---------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("ftp://models.example.org/", "http:// or https://"),
        ("models.example.org/predict", "http:// or https://"),
        ("http:///predict", "must name a host"),
        ("http://user:secret@models.example.org/", "user name or password"),
        ("http://models.example.org:99999/", "not a valid URL"),
        ("http://127.0.0.1:9000/predict", "not a public address"),
        ("http://localhost:9000/predict", "not a public address"),
        ("http://[::1]:9000/", "not a public address"),
        ("http://10.1.2.3/predict", "not a public address"),
        ("http://192.168.1.20/", "not a public address"),
        ("http://169.254.169.254/latest/meta-data/", "not a public address"),
        ("http://100.64.0.1/", "not a public address"),
        ("http://[::ffff:10.0.0.1]/", "not a public address"),
        ("http://0.0.0.0:8000/", "not a public address"),
        ("http://224.0.0.1/", "not a public address"),
        ("http://127.1/", "not a public address"),
        ("http://0x7f000001/", "not a public address"),
        ("http://2130706433/", "not a public address"),
        ("http://[fe80::1%25eth0]/", "not a public address"),
        ("https://models.example.org/x#frag", "fragment"),
        ("http://" + "a" * 2000 + ".org/", "no more than 2000 characters"),
    ],
)
def test_an_admin_cannot_point_the_server_at_a_private_or_odd_url(cast, url, why):
    """By default loopback, private, link-local, shared and odd URLs are refused with a 400
    naming `url`, and nothing is stored."""
    response = _put(cast.client("admin"), cast.project, url)
    body = error_body(response, 400, "invalid")
    assert list(body["errors"]) == ["url"]
    assert why in body["detail"]
    assert not SuggestionBackend.objects.exists()


def test_an_admin_sets_a_public_backend_and_reads_it_back(cast):
    """A public URL is stored as given; GET shows it unused, with no calls yet."""
    client = cast.client("admin")
    url = "https://models.example.org/v1/predict?project=tribun"
    response = _put(client, cast.project, f"  {url} ")
    assert response.status_code == 200, response.json()
    shown = client.get(api(cast.project.pk, "suggestions/backend/")).json()
    assert shown == {
        "url": url,
        "enabled": True,
        "status": "unused",
        "error": "",
        "failed_at": None,
        "checked_at": None,
        "calls": 0,
        "failures": 0,
    }


def test_loopback_is_allowed_only_when_the_operator_lists_it(cast, loopback_allowed):
    """With SUGGESTION_BACKEND_ALLOWED_NETWORKS listing loopback, 127.0.0.1 may be set;
    other private networks stay refused."""
    client = cast.client("admin")
    assert _put(client, cast.project, "http://127.0.0.1:9000/predict").status_code == 200
    assert _put(client, cast.project, "http://localhost:9000/predict").status_code == 400
    assert _put(client, cast.project, "http://10.1.2.3/predict").status_code == 400


def test_an_empty_url_or_delete_removes_the_backend(cast):
    """PUT with an empty URL, or DELETE, removes it; GET then shows none."""
    client = cast.client("admin")
    path = api(cast.project.pk, "suggestions/backend/")
    assert _put(client, cast.project, "https://models.example.org/").status_code == 200
    assert _put(client, cast.project, "").json()["url"] is None
    assert not SuggestionBackend.objects.exists()
    assert _put(client, cast.project, "https://models.example.org/").status_code == 200
    assert client.delete(path).status_code == 204
    assert client.get(path).json()["url"] is None


def test_only_admins_see_the_backend(cast):
    """The URL may name an internal host: reviewers and annotators get 403, outsiders 404."""
    SuggestionBackend.objects.create(project=cast.project, url="https://models.example.org/")
    path = api(cast.project.pk, "suggestions/backend/")
    assert cast.client("reviewer").get(path).status_code == 403
    assert cast.client("annotator").get(path).status_code == 403
    assert cast.client("outsider").get(path).status_code == 404
    assert cast.client("admin").get(path).json()["url"] == "https://models.example.org/"


# --- Calling a real backend --------------------------------------------------------------


def test_a_backend_that_answers_well_gives_scored_suggestions(
    cast, backend_server, loopback_allowed
):
    """The server sends the text and label schema; the answer's spans, links and document
    labels come back with their scores, tagged with the backend as their source."""
    found = _suggest(cast, backend_server.url("/good"))
    sent = backend_server.requests[0]["body"]
    assert sent["document"]["text"] == TEXT
    assert sent["document"]["length"] == len(TEXT)
    assert sent["offsets"] == "code_point"
    sentiment = ["positive", "neutral", "negative"]
    quote = {"quote_type": ["direct", "indirect"], "sentiment": sentiment}
    assert {"name": "QUOTE", "attributes": quote} in sent["labels"]["spans"]
    group = {"group": "sentiment", "values": sentiment, "multiple": False}
    assert group in sent["labels"]["document"]
    texts = {(TEXT[s["start"] : s["end"]], s["label"], s["score"]) for s in found.spans}
    assert texts == {("Stoltenberg", "PER", 0.9), ("NATO", "ORG", 0.9),
                     ("“Kami siap,”", "QUOTE", 0.75)}  # fmt: skip
    assert all(s["source"] == "backend" for s in found.spans)
    by_id = {s["id"]: s for s in found.spans}
    (link,) = found.relations
    assert (by_id[link["from"]]["label"], by_id[link["to"]]["label"]) == ("QUOTE", "PER")
    assert link["score"] == 0.6
    assert found.document_labels == [{"group": "sentiment", "value": "neutral", "score": 0.55}]


@pytest.mark.parametrize(
    ("path", "reason"),
    [
        ("/slow", "timed out"),
        ("/drip", "timed out"),
        ("/garbage", "not JSON"),
        ("/nan", "not JSON"),
        ("/error", "HTTP 500"),
        ("/redirect", "redirects are not followed"),
        ("/huge", "more than the 200000 bytes allowed"),
        ("/huge-stream", "more than the 200000 bytes allowed"),
        ("/past-end", "spans.0.end: 64 is past the end of the text (63 code points)"),
        ("/unknown-label", "spans.0.label: 'WHO' is not a span label of this project"),
        ("/bad-score", "spans.0.score: 1.5 is not between 0 and 1"),
        ("/bad-relation", "relations.0.to: span 'nowhere' does not exist"),
        ("/not-object", "not a JSON object"),
        ("/missing", "HTTP 404"),
    ],
)
def test_a_backend_that_fails_gives_a_reason(cast, backend_server, loopback_allowed, path, reason):
    """Slow, garbled, refused, oversized and out-of-range answers become one reason for the
    admin, within the timeout, and nothing is taken from them."""
    with pytest.raises(BackendFailure) as failure:
        _suggest(cast, backend_server.url(path))
    assert reason in failure.value.reason
    assert len(failure.value.reason) <= 500


def test_a_dead_backend_gives_a_reason(cast, loopback_allowed):
    """Nobody listening on the port: a connection error, as a reason."""
    with BackendServer() as server:
        url = server.url("/good")
    with pytest.raises(BackendFailure) as failure:
        _suggest(cast, url)
    assert "could not reach the backend" in failure.value.reason


def test_the_last_outcome_is_kept_for_the_admin(cast, backend_server, loopback_allowed):
    """A failure's reason and time stay on the backend's record (after a later success too);
    GET shows them with the count of calls."""
    client = cast.client("admin")
    assert _put(client, cast.project, backend_server.url("/garbage")).status_code == 200
    try:
        _suggest(cast, SuggestionBackend.objects.get().url)
    except BackendFailure as failure:
        suggestion_backend_record(project_id=cast.project.pk, failure=failure)
    shown = client.get(api(cast.project.pk, "suggestions/backend/")).json()
    assert shown["status"] == "failed"
    assert "not JSON" in shown["error"]
    assert (shown["calls"], shown["failures"]) == (1, 1)
    suggestion_backend_record(project_id=cast.project.pk, failure=None)
    shown = client.get(api(cast.project.pk, "suggestions/backend/")).json()
    assert (shown["status"], shown["calls"], shown["failures"]) == ("ok", 2, 1)
    assert "not JSON" in shown["error"]
    assert Document.objects.get().text == TEXT


# --- Names resolved at call time ---------------------------------------------------------


def test_a_name_that_resolves_to_a_private_address_is_not_called(backend_server):
    """A public-looking name whose DNS answer is private (or loopback) is refused before
    anything is sent."""
    policy = AddressPolicy()
    for address in ("10.0.0.7", "127.0.0.1", "169.254.169.254", "fd00::1"):
        with pytest.raises(BackendFailure) as failure:
            post_json(
                f"http://models.example.org:{backend_server.port}/good",
                {},
                policy=policy,
                timeout=1,
                max_bytes=1000,
                resolve=lambda host, port, a=address: ["93.184.216.34", a],
            )
        assert "not a public address" in failure.value.reason
    assert backend_server.requests == []


def test_the_call_goes_to_the_checked_address_with_the_name_as_host(backend_server):
    """The request connects to the address that was checked and names the host in `Host`,
    so a second DNS answer cannot redirect it (rebinding)."""
    answers = iter([["127.0.0.1"], ["10.9.9.9"]])  # a second lookup would be private
    policy = AddressPolicy.from_setting(["127.0.0.0/8"])
    body = {"document": {"text": "NATO", "length": 4}}
    answer = post_json(
        f"http://models.example.org:{backend_server.port}/good",
        body,
        policy=policy,
        timeout=1,
        max_bytes=10_000,
        resolve=lambda host, port: next(answers),
    )
    assert answer["spans"][0]["label"] == "ORG"
    (request,) = backend_server.requests
    assert request["host"] == f"models.example.org:{backend_server.port}"


def test_junk_in_the_allowed_networks_setting_is_an_error(monkeypatch):
    """SUGGESTION_BACKEND_ALLOWED_NETWORKS is read strictly."""
    from django.core.exceptions import ImproperlyConfigured

    from workbench.env import env_networks

    monkeypatch.setenv("X_NETS", "10.0.0.0/8, 127.0.0.1")
    assert env_networks("X_NETS", []) == ["10.0.0.0/8", "127.0.0.1"]
    monkeypatch.setenv("X_NETS", "10.0.0.0/8,intranet")
    with pytest.raises(ImproperlyConfigured, match="intranet"):
        env_networks("X_NETS", [])


def test_the_protocol_is_in_the_schema(cast):
    """The request and answer shapes are components of the OpenAPI schema, and the PUT that
    sets the URL documents the call as a callback."""
    schema = cast.client("admin").get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert {"ModelBackendRequest", "ModelBackendAnswer", "ModelBackendSpan"} <= set(components)
    assert set(components["ModelBackendSpan"]["properties"]) >= {
        "id", "start", "end", "label", "attributes", "score"
    }  # fmt: skip
    put = schema["paths"]["/api/projects/{project_id}/suggestions/backend/"]["put"]
    call = put["callbacks"]["model-backend"]["{$request.body#/url}"]["post"]
    assert call["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith(
        "/ModelBackendRequest"
    )
    assert set(call["responses"]) == {"200"}


# --- In the suggestion task, as one more source ------------------------------------------


def _computed(client, document) -> dict:
    """What GET shows once the worker has run the task's body for the document."""
    path = api(document.project_id, f"documents/{document.pk}/suggestions/")
    assert client.post(path, {}, format="json").status_code == 202
    suggestions_compute([document.pk])
    return client.get(path).json()


def test_the_backend_is_one_more_source_of_the_suggestion_task(
    cast, backend_server, loopback_allowed
):
    """With a backend set, the task asks it beside the built-in suggesters: its spans,
    links and scored document labels reach the editor's answer with source `backend`,
    and the admin sees the call counted."""
    assert _put(cast.client("admin"), cast.project, backend_server.url("/good")).status_code == 200
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    answer = _computed(cast.client("annotator"), document)
    assert answer["status"] == "ready"
    sources = {s["source"]: s["status"] for s in answer["sources"]}
    assert sources["backend"] == "ready" and sources["quotes"] == "ready"
    mine = {
        (TEXT[s["start"] : s["end"]], s["label"])
        for s in answer["spans"]
        if s["source"] == "backend"
    }
    assert ("NATO", "ORG") in mine and ("Stoltenberg", "PER") in mine
    assert answer["document_labels"]["sentiment"] == [{"value": "neutral", "score": 0.55}]
    (sent,) = backend_server.requests
    assert sent["body"]["document"]["id"] == document.pk
    assert sent["body"]["document"]["external_id"] == document.external_id
    shown = cast.client("admin").get(api(cast.project.pk, "suggestions/backend/")).json()
    assert (shown["status"], shown["calls"], shown["failures"]) == ("ok", 1, 0)


@pytest.mark.parametrize(("path", "reason"), [("/garbage", "not JSON"), ("/slow", "timed out")])
def test_a_failing_backend_never_breaks_annotation(
    cast, backend_server, loopback_allowed, path, reason
):
    """A backend that answers garbage or too late: the document's other suggestions are
    ready, the annotator reads them (without the reason) and saves work; reviewers see the
    backend's row failed with the reason, and so does the admin's backend record."""
    assert _put(cast.client("admin"), cast.project, backend_server.url(path)).status_code == 200
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    annotator = cast.client("annotator")
    answer = _computed(annotator, document)
    assert answer["status"] == "ready"
    rows = {s["source"]: s for s in answer["sources"]}
    assert rows["backend"]["status"] == "failed" and rows["backend"]["error"] is None
    assert rows["quotes"]["status"] == "ready"
    assert any(s["source"] == "quotes" for s in answer["spans"])
    assert not any(s["source"] == "backend" for s in answer["spans"])
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    body = {"version": 0, "spans": [{"id": "s1", "start": 5, "end": 16, "label": "PER"}]}
    assert annotator.put(mine, body, format="json").status_code == 200
    seen = cast.client("reviewer").get(
        api(cast.project.pk, f"documents/{document.pk}/suggestions/")
    )
    backend_row = next(s for s in seen.json()["sources"] if s["source"] == "backend")
    assert reason in backend_row["error"]
    shown = cast.client("admin").get(api(cast.project.pk, "suggestions/backend/")).json()
    assert shown["status"] == "failed" and reason in shown["error"]


def test_a_disabled_backend_is_not_asked(cast, backend_server, loopback_allowed):
    """enabled: false keeps the URL but the task does not call it."""
    response = _put(cast.client("admin"), cast.project, backend_server.url("/good"), enabled=False)
    assert response.json()["enabled"] is False
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    answer = _computed(cast.client("annotator"), document)
    assert "backend" not in {s["source"] for s in answer["sources"]}
    assert backend_server.requests == []
