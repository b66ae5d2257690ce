# ruff: noqa: RUF001 -- quotation marks are the subject
"""GET/POST …/documents/{doc}/suggestions/: computed by the task (never by the request),
merged over sources, stable ids, the project's quotation-mark setting, and nobody's
unsubmitted or blind work leaking through the entities learnt from the project."""

import pytest

from annotations.models import SuggestionSet, SuggestionStatus
from annotations.services.suggestions import SUGGESTIONS_TASK, suggestions_compute
from annotations.suggesting.registry import SUGGESTERS, SuggesterSpec
from tests.articles import (
    ARTICLE,
    QUOTE,
    SHARED_ARTICLE_PATH,
    needs_shared_article,
    read_article,
)
from tests.conftest import api, error_body
from tests.factories import DocumentFactory

OPENERS = "\"“'‘"


def suggestions(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/suggestions/")


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def computed(client, document) -> dict:
    """What GET shows once the worker has run the task's body for the document (the first
    read asks for them, as for a document imported before suggestions existed)."""
    client.get(suggestions(document))
    suggestions_compute([document.pk])
    answer = client.get(suggestions(document)).json()
    assert answer["status"] == "ready", answer
    return answer


def texts(answer, text, label):
    return [text[s["start"] : s["end"]] for s in answer["spans"] if s["label"] == label]


def speakers_of(answer, text) -> dict[str, str]:
    """Quote text → the text of the span its SPEAKER relation points at."""
    by_id = {s["id"]: text[s["start"] : s["end"]] for s in answer["spans"]}
    return {
        by_id[r["from"]]: by_id[r["to"]] for r in answer["relations"] if r["label"] == "SPEAKER"
    }


@pytest.fixture
def article(cast):
    return DocumentFactory(project=cast.project, text=ARTICLE, length=len(ARTICLE))


def test_import_marks_suggestions_pending_and_queues_the_task_after_commit(
    cast, django_capture_on_commit_callbacks, monkeypatch
):
    """An import stores pending rows and, once committed, sends the task by name with the
    documents' ids; reading them meanwhile says pending and computes nothing."""
    from workbench.celery import app

    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    client = cast.client("admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            api(cast.project.pk, "documents/"),
            [{"text": ARTICLE, "external_id": "a"}],
            format="json",
        )
    assert response.status_code == 201
    (doc_id,) = response.json()["ids"]
    assert sent == [(SUGGESTIONS_TASK, [[doc_id]])]
    rows = SuggestionSet.objects.filter(document_id=doc_id)
    assert {r.source: r.status for r in rows} == {"quotes": "pending", "gold": "pending"}
    answer = (
        cast.client("annotator")
        .get(api(cast.project.pk, f"documents/{doc_id}/suggestions/"))
        .json()
    )
    assert answer["status"] == "pending" and answer["spans"] == []


def test_the_article_gets_its_quotes_with_marks_and_their_speaker(cast, article):
    """Our article: the quote by Wulandari is suggested from its opening to its closing mark
    (the news preset), linked by SPEAKER to her; ids name spans of the same answer."""
    answer = computed(cast.client("annotator"), article)
    quotes = texts(answer, ARTICLE, "QUOTE")
    with_marks = next(q for q in quotes if QUOTE in q)
    assert with_marks[0] == "“" and with_marks[-1] == "”"
    assert speakers_of(answer, ARTICLE)[with_marks] in ("Wulandari", "Rina Wulandari")
    ids = {s["id"] for s in answer["spans"]}
    assert len(ids) == len(answer["spans"])
    assert all(r["from"] in ids and r["to"] in ids for r in answer["relations"])
    assert all(s["source"] == "quotes" and 0 < s["score"] <= 1 for s in answer["spans"])
    assert {s["source"]: s["status"] for s in answer["sources"]} == {
        "quotes": "ready",
        "gold": "ready",
    }


def test_interrupted_quote_gives_two_quote_spans_linked_to_one_speaker(cast, article):
    """`"…," ujar Budi Hartono, "…"`: two QUOTE spans, both linked to Budi Hartono."""
    answer = computed(cast.client("annotator"), article)
    linked = speakers_of(answer, ARTICLE)
    budi = [q for q, who in linked.items() if who == "Budi Hartono"]
    assert any("Baterainya" in q for q in budi) and any("pengisian" in q for q in budi)


def test_the_setting_without_marks_is_followed(cast, article):
    """With quotes_include_marks off, the suggested QUOTE holds the words only."""
    admin = cast.client("admin")
    response = admin.patch(api(cast.project.pk), {"quotes_include_marks": False}, format="json")
    assert response.status_code == 200 and response.json()["quotes_include_marks"] is False
    quotes = texts(computed(admin, article), ARTICLE, "QUOTE")
    assert any(q.startswith(QUOTE) for q in quotes)
    assert not any(q[0] in OPENERS for q in quotes)


def test_a_new_project_with_the_news_preset_includes_the_marks(cast):
    """The news preset's guideline: quote spans include their quotation marks."""
    response = cast.client("admin").post(
        "/api/projects/", {"name": "N", "preset": "news"}, format="json"
    )
    assert response.json()["quotes_include_marks"] is True


@needs_shared_article
def test_the_shared_sample_gets_its_quotes_spoken_by_stoltenberg(cast):
    """The team's sample: its direct quotes are suggested, linked to Stoltenberg."""
    text = read_article(SHARED_ARTICLE_PATH)
    document = DocumentFactory(project=cast.project, text=text, length=len(text))
    answer = computed(cast.client("annotator"), document)
    linked = speakers_of(answer, text)
    by_stoltenberg = [q for q, who in linked.items() if "Stoltenberg" in who]
    assert len(by_stoltenberg) >= 3
    assert any(q.startswith('"Itu akan mengirimkan sinyal') for q in by_stoltenberg)


def test_post_recomputes_with_202_and_the_same_ids(
    cast, article, django_capture_on_commit_callbacks, monkeypatch
):
    """POST answers 202 with the rows pending and queues the task; recomputing the same text
    gives the same ids."""
    from workbench.celery import app

    client = cast.client("annotator")
    first = computed(client, article)
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(suggestions(article), {}, format="json")
    assert response.status_code == 202
    assert response.json()["status"] == "pending"
    assert response.json()["spans"] == first["spans"]  # the last result stays meanwhile
    assert sent == [(SUGGESTIONS_TASK, [[article.pk]])]
    again = computed(client, article)
    assert [s["id"] for s in again["spans"]] == [s["id"] for s in first["spans"]]
    assert again["relations"] == first["relations"]


def test_post_may_name_sources_and_refuses_unknown_ones(cast, article):
    """`sources` limits the recomputation; a source that is not installed is a 400."""
    client = cast.client("annotator")
    computed(client, article)
    response = client.post(suggestions(article), {"sources": ["gold"]}, format="json")
    assert response.status_code == 202
    statuses = {s["source"]: s["status"] for s in response.json()["sources"]}
    assert statuses == {"quotes": "ready", "gold": "pending"}
    bad = client.post(suggestions(article), {"sources": ["nope"]}, format="json")
    assert error_body(bad, 400, "invalid")["errors"]


def test_a_document_never_asked_for_is_asked_for_on_first_read(cast, article):
    """A document imported before suggestions existed answers pending, and gets its rows."""
    assert not SuggestionSet.objects.filter(document=article).exists()
    answer = cast.client("annotator").get(suggestions(article)).json()
    assert answer["status"] == "pending"
    assert SuggestionSet.objects.filter(document=article, status="pending").count() == 2


def test_a_failing_suggester_leaves_the_others_and_tells_only_reviewers_why(
    cast, article, monkeypatch
):
    """A source that raises is `failed` with its reason, shown to reviewers and admins and
    null for annotators; the other sources' suggestions are still served."""

    def broken(_given):
        raise RuntimeError("model server at 10.0.0.7 refused the connection")

    spec = SuggesterSpec("broken", "Broken", applies=lambda p: True, compute=broken)
    monkeypatch.setitem(SUGGESTERS, "broken", spec)
    cast.client("annotator").get(suggestions(article))
    suggestions_compute([article.pk])
    for who, error in (("annotator", None), ("reviewer", "RuntimeError: model server")):
        answer = cast.client(who).get(suggestions(article)).json()
        assert answer["status"] == "ready"
        assert answer["spans"]
        (row,) = [s for s in answer["sources"] if s["source"] == "broken"]
        assert row["status"] == "failed"
        assert (row["error"] or None) == error or row["error"].startswith(error)


def test_only_failures_answer_failed(cast, article, monkeypatch):
    """When every source failed, the answer's status is failed."""

    def broken(_given):
        raise ValueError("no")

    for name in list(SUGGESTERS):
        monkeypatch.setitem(SUGGESTERS, name, SuggesterSpec(name, name, lambda p: True, broken))
    cast.client("annotator").get(suggestions(article))
    suggestions_compute([article.pk])
    assert cast.client("annotator").get(suggestions(article)).json()["status"] == "failed"


def test_what_does_not_fit_the_project_is_dropped(cast, article, monkeypatch):
    """A source's spans past the text, with labels the project lacks or scores out of range
    are dropped (scores clamped), ids are prefixed with the source, relations keep to
    spans of the answer."""
    answer = {
        "spans": [
            {"id": 1, "start": 0, "end": 8, "label": "LOC", "score": 3},
            {"id": "x", "start": 0, "end": 10**6, "label": "LOC"},
            {"id": "y", "start": 0, "end": 4, "label": "NOPE"},
            {"id": "z", "start": 9, "end": 12, "label": "PER", "score": "high"},
        ],
        "relations": [{"from": 1, "to": "y", "label": "SPEAKER"}],
    }
    spec = SuggesterSpec("model", "Model", applies=lambda p: True, compute=lambda g: answer)
    monkeypatch.setitem(SUGGESTERS, "model", spec)
    client = cast.client("annotator")
    client.post(suggestions(article), {"sources": ["model"]}, format="json")
    got = computed(client, article)
    mine = [s for s in got["spans"] if s["source"] == "model"]
    assert mine == [
        {
            "id": "model-1",
            "start": 0,
            "end": 8,
            "label": "LOC",
            "attributes": {},
            "score": 1.0,
            "source": "model",
        }
    ]
    assert not [r for r in got["relations"] if r["source"] == "model"]


# --- what the entities learnt from the project may reveal ---------------------------------

NATO = "NATO menggelar latihan. Kata Jens di Brussel."


def _put(client, document, spans, status="submitted"):
    body = {"version": 0, "spans": spans, "status": status}
    response = client.put(mine(document), body, format="json")
    assert response.status_code == 200, response.json()


def _span(text, needle, label, sid="s1"):
    at = text.index(needle)
    return {"id": sid, "start": at, "end": at + len(needle), "label": label}


def _gold_texts(cast, document) -> set[str]:
    answer = computed(cast.client("annotator"), document)
    return {document.text[s["start"] : s["end"]] for s in answer["spans"] if s["source"] == "gold"}


@pytest.fixture
def pair(cast):
    """Two documents with the same names in them."""
    return [DocumentFactory(project=cast.project, text=NATO, length=len(NATO)) for _ in range(2)]


def test_gold_of_other_documents_is_proposed(cast, pair):
    """A string labelled in another document's gold is proposed, with its label."""
    here, there = pair
    gold = api(cast.project.pk, f"documents/{there.pk}/gold/")
    response = cast.client("reviewer").put(
        gold, {"version": 0, "spans": [_span(NATO, "Brussel", "LOC")]}, format="json"
    )
    assert response.status_code == 200
    assert _gold_texts(cast, here) == {"Brussel"}


def test_a_teammates_draft_or_lone_submission_is_never_proposed(cast, pair):
    """A draft (unsubmitted) and a string only one annotator submitted teach nothing: the
    suggestions everyone reads must not reveal one teammate's work."""
    here, there = pair
    _put(cast.client("teammate"), there, [_span(NATO, "NATO", "ORG")], status="draft")
    _put(cast.client("reviewer"), there, [_span(NATO, "NATO", "ORG")], status="skipped")
    assert _gold_texts(cast, here) == set()
    third = DocumentFactory(project=cast.project, text=NATO, length=len(NATO))
    _put(cast.client("teammate"), third, [_span(NATO, "Jens", "PER")])
    assert _gold_texts(cast, here) == set()


def test_a_string_two_annotators_submitted_is_proposed(cast, pair):
    """Two annotators labelling the same string alike (on other documents) teach it."""
    here, there = pair
    _put(cast.client("teammate"), there, [_span(NATO, "NATO", "ORG")])
    _put(cast.client("reviewer"), there, [_span(NATO, "NATO", "ORG")])
    assert _gold_texts(cast, here) == {"NATO"}


def test_nothing_is_learnt_from_the_document_itself(cast, pair):
    """The document's own gold and submitted versions are never proposed back on it (they
    would tell a blind annotator the answer)."""
    here, _ = pair
    gold = api(cast.project.pk, f"documents/{here.pk}/gold/")
    cast.client("reviewer").put(
        gold, {"version": 0, "spans": [_span(NATO, "Brussel", "LOC")]}, format="json"
    )
    _put(cast.client("teammate"), here, [_span(NATO, "NATO", "ORG")])
    _put(cast.client("reviewer"), here, [_span(NATO, "NATO", "ORG")])
    assert _gold_texts(cast, here) == set()


def test_get_costs_the_same_queries_whatever_the_suggestions(
    cast, article, django_assert_num_queries
):
    """Reading suggestions: a handful of queries, whether a short or the whole article."""
    short = DocumentFactory(project=cast.project, text="Halo.", length=5)
    client = cast.client("annotator")
    for document in (short, article):
        computed(client, document)
        # the session's user, the project with the caller's role, the document, its rows
        with django_assert_num_queries(3):
            assert client.get(suggestions(document)).status_code == 200


def test_reading_never_computes(cast, article, monkeypatch):
    """Opening a document's suggestions never runs a suggester in the request."""

    def refuse(*_args, **_kwargs):
        raise AssertionError("computed in a request")

    monkeypatch.setattr("annotations.suggesting.registry.suggest_quotes", refuse)
    client = cast.client("annotator")
    assert client.get(suggestions(article)).status_code == 200
    assert client.post(suggestions(article), {}, format="json").status_code == 202
    assert (
        SuggestionSet.objects.filter(document=article, status=SuggestionStatus.PENDING).count() == 2
    )


def test_the_contract_is_in_the_schema(cast):
    """GET and POST are documented with the contract's fields, and span provenance too."""
    schema = cast.client("annotator").get("/api/schema/?format=json").json()
    path = schema["paths"]["/api/projects/{project_id}/documents/{doc_id}/suggestions/"]
    assert {"get", "post"} <= set(path)
    assert "202" in path["post"]["responses"]
    parts = schema["components"]["schemas"]
    assert set(parts["Suggestions"]["properties"]) >= {
        "status",
        "spans",
        "relations",
        "document_labels",
    }
    assert set(parts["SuggestedSpan"]["properties"]) == {
        "id",
        "start",
        "end",
        "label",
        "attributes",
        "score",
        "source",
    }
    assert set(parts["SuggestedRelation"]["properties"]) == {
        "from",
        "to",
        "label",
        "score",
        "source",
    }
    assert {"source", "score"} <= set(parts["Span"]["properties"])


def test_changing_the_marks_setting_asks_again_for_the_quotes(cast, article):
    """Turning quotes_include_marks off marks every document's quote suggestions pending, so
    a worker recomputes them to the new guideline; the other sources stay as they are."""
    computed(cast.client("annotator"), article)
    admin = cast.client("admin")
    admin.patch(api(cast.project.pk), {"description": "same marks"}, format="json")
    assert not SuggestionSet.objects.filter(status="pending").exists()
    admin.patch(api(cast.project.pk), {"quotes_include_marks": False}, format="json")
    rows = {r.source: r.status for r in SuggestionSet.objects.filter(document=article)}
    assert rows == {"quotes": "pending", "gold": "ready"}


def test_a_starting_worker_queues_pending_suggestions_again(cast, article, monkeypatch):
    """Rows left pending (a broker that lost its messages) are sent again at worker start,
    once per document; computed ones are not."""
    from annotations.services.suggestions import suggestions_recover
    from workbench.celery import app

    other = DocumentFactory(project=cast.project, text="Halo.", length=5)
    client = cast.client("annotator")
    computed(client, other)
    client.get(suggestions(article))  # asked for, never computed
    sent = []
    monkeypatch.setattr(app, "send_task", lambda name, args: sent.append((name, args)))
    assert suggestions_recover() == {"documents": 1}
    assert sent == [(SUGGESTIONS_TASK, [[article.pk]])]


def test_a_task_reads_what_the_project_teaches_once_whatever_its_documents(
    cast, django_assert_num_queries
):
    """One task over many documents reads the same queries whether it has 2 or 6 of them
    (pending rows, documents, labels, backend, gold and submitted strings), then writes each
    row; every document gets what it gets computed alone, its own work still left out."""
    gold_doc = DocumentFactory(project=cast.project, text=NATO, length=len(NATO))
    gold = api(cast.project.pk, f"documents/{gold_doc.pk}/gold/")
    spans = [_span(NATO, "Brussel", "LOC"), _span(NATO, "NATO", "ORG", "s2")]
    response = cast.client("reviewer").put(gold, {"version": 0, "spans": spans}, format="json")
    assert response.status_code == 200
    agreed_doc = DocumentFactory(project=cast.project, text=NATO, length=len(NATO))
    _put(cast.client("teammate"), agreed_doc, [_span(NATO, "Jens", "PER")])
    _put(cast.client("reviewer"), agreed_doc, [_span(NATO, "Jens", "PER")])
    fresh = [DocumentFactory(project=cast.project, text=NATO, length=len(NATO)) for _ in range(4)]
    client = cast.client("annotator")

    def ask(documents) -> int:
        for document in documents:
            assert client.post(suggestions(document), {}, format="json").status_code == 202
        return SuggestionSet.objects.filter(document__in=documents, status="pending").count()

    def gold_spans(document) -> list:
        answer = client.get(suggestions(document)).json()
        return sorted(
            (document.text[s["start"] : s["end"]], s["label"], s["score"])
            for s in answer["spans"]
            if s["source"] == "gold"
        )

    alone = {}
    for document in (gold_doc, agreed_doc, *fresh):
        ask([document])
        suggestions_compute([document.pk])
        alone[document.pk] = gold_spans(document)
    assert alone[gold_doc.pk] == [("Jens", "PER", 1.0)]  # its own gold is not proposed
    assert alone[agreed_doc.pk] == [("Brussel", "LOC", 1.0), ("NATO", "ORG", 1.0)]
    assert alone[fresh[0].pk] == [
        ("Brussel", "LOC", 1.0),
        ("Jens", "PER", 1.0),
        ("NATO", "ORG", 1.0),
    ]
    for documents in ([gold_doc, agreed_doc], [gold_doc, agreed_doc, *fresh]):
        rows = ask(documents)
        with django_assert_num_queries(6 + rows):
            suggestions_compute([d.pk for d in documents])
        assert {d.pk: gold_spans(d) for d in documents} == {d.pk: alone[d.pk] for d in documents}
