"""GET …/suggestions/quality/: per suggester, precision and recall against gold and the
annotators' acceptance, from suggestions the task computed (a real backend among them),
gold a reviewer saved and work annotators submitted with provenance; constant queries."""

import pytest

from annotations.services.suggestions import suggestions_compute
from tests.conftest import api
from tests.factories import DocumentFactory
from tests.model_backend import BackendServer

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di markas NATO."
QUOTE = (TEXT.index("“"), TEXT.index("”") + 1)
NATO = (TEXT.index("NATO"), TEXT.index("NATO") + 4)
JENS = (0, len("Jens Stoltenberg"))


@pytest.fixture
def backend(cast, settings):
    settings.SUGGESTION_BACKEND_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    settings.SUGGESTION_BACKEND_TIMEOUT_SECONDS = 2
    with BackendServer() as server:
        response = cast.client("admin").put(
            api(cast.project.pk, "suggestions/backend/"),
            {"url": server.url("/good")},
            format="json",
        )
        assert response.status_code == 200
        yield server


def _span(sid, offsets, label, **more):
    return {"id": sid, "start": offsets[0], "end": offsets[1], "label": label, **more}


def _document(cast):
    document = DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))
    path = api(cast.project.pk, f"documents/{document.pk}/suggestions/")
    cast.client("admin").post(path, {}, format="json")
    suggestions_compute([document.pk])
    return document, cast.client("annotator").get(path).json()


def _gold(cast, document):
    gold = {
        "version": 0,
        "spans": [
            _span("p", JENS, "PER"),
            _span("o", NATO, "ORG"),
            _span("q", QUOTE, "QUOTE", attributes={"quote_type": "direct"}),
        ],
        "relations": [{"from": "q", "to": "p", "label": "SPEAKER"}],
    }
    path = api(cast.project.pk, f"documents/{document.pk}/gold/")
    assert cast.client("reviewer").put(path, gold, format="json").status_code == 200


def _submit(client, document, spans):
    path = api(document.project_id, f"documents/{document.pk}/annotations/mine/")
    body = {"version": 0, "spans": spans, "status": "submitted"}
    response = client.put(path, body, format="json")
    assert response.status_code == 200, response.json()


def quality(client, project):
    return {
        q["source"]: q
        for q in client.get(api(project.pk, "suggestions/quality/")).json()["sources"]
    }


def test_the_backends_precision_recall_and_acceptance(cast, backend):
    """The test backend proposes Stoltenberg (PER, gold says Jens Stoltenberg), NATO (ORG,
    right) and the quote (right), linked to the wrong PER span: precision and recall 2/3,
    links 0 of 1. Two annotators submit: one keeps its NATO, one moves it; the editor showed
    each of them the backend's spans that no earlier source also proposed."""
    document, shown = _document(cast)
    _gold(cast, document)
    backend_ids = {s["id"]: s for s in shown["spans"] if s["source"] == "backend"}
    nato = next(s for s in backend_ids.values() if s["label"] == "ORG")
    accepted = _span("a", NATO, "ORG", source="backend", score=nato["score"])
    _submit(cast.client("annotator"), document, [accepted, _span("m", JENS, "PER")])
    moved = {**accepted, "start": NATO[0] + 1}
    _submit(cast.client("teammate"), document, [moved])

    figures = quality(cast.client("reviewer"), cast.project)
    ours = figures["backend"]
    assert (ours["documents"], ours["compared"]) == (1, 1)
    spans = ours["spans"]
    assert (spans["suggested"], spans["correct"], spans["gold"]) == (3, 2, 3)
    assert spans["precision"] == pytest.approx(2 / 3) and spans["recall"] == pytest.approx(2 / 3)
    assert (ours["links"]["suggested"], ours["links"]["correct"], ours["links"]["gold"]) == (
        1,
        0,
        1,
    )
    by_label = {m["label"]: m for m in ours["span_labels"]}
    assert by_label["PER"]["precision"] == 0 and by_label["ORG"]["precision"] == 1
    acceptance = ours["acceptance"]
    assert acceptance["shown"] == 2 * len(backend_ids)  # two submissions, each shown them all
    assert (acceptance["accepted"], acceptance["edited"]) == (2, 1)
    assert acceptance["rate"] == pytest.approx(2 / acceptance["shown"])
    assert acceptance["not_accepted"] == acceptance["shown"] - 2
    assert "quotes" in figures and figures["quotes"]["compared"] == 1


def test_quality_costs_the_same_queries_at_any_size(cast, backend, django_assert_num_queries):
    """The figures are read in a fixed number of queries whatever the number of documents,
    suggestions and submissions."""
    client = cast.client("reviewer")
    path = api(cast.project.pk, "suggestions/quality/")
    for count in (1, 3):
        while cast.project.documents.count() < count:
            document, _ = _document(cast)
            _gold(cast, document)
            _submit(cast.client("annotator"), document, [_span("m", JENS, "PER")])
        # the project with the caller's role; suggestion rows; gold annotations, spans and
        # links; submitted annotations and their spans
        with django_assert_num_queries(7):
            assert client.get(path).status_code == 200


def test_only_reviewers_and_admins_see_the_figures(cast):
    """Annotators get 403 (the figures reflect teammates' work), outsiders 404."""
    path = api(cast.project.pk, "suggestions/quality/")
    assert cast.client("annotator").get(path).status_code == 403
    assert cast.client("outsider").get(path).status_code == 404
    assert cast.client("reviewer").get(path).json() == {"sources": []}
