"""A person's history through the API: their annotations' events and the gold versions they
edited, newest first, in a constant number of queries; annotators see only their own."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.conftest import api, error_body
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

SPAN = {"id": "s1", "start": 0, "end": 4, "label": "PER"}


def put(cast, who: str, document, gold: bool = False):
    suffix = "gold/" if gold else "annotations/mine/"
    url = api(cast.project.pk, f"documents/{document.pk}/{suffix}")
    response = cast.client(who).put(url, {"version": 0, "spans": [SPAN]}, format="json")
    assert response.status_code == 200, response.json()


def history(cast, who: str, **query):
    return cast.client(who).get(api(cast.project.pk, "history/"), query)


def test_a_persons_history_holds_their_work_and_their_gold_edits(cast):
    one, two = DocumentFactory(project=cast.project), DocumentFactory(project=cast.project)
    put(cast, "annotator", one)
    put(cast, "teammate", one)
    put(cast, "annotator", two)
    put(cast, "reviewer", two, gold=True)
    rows = history(cast, "admin", annotator="alice").json()["results"]
    assert [(r["document"]["id"], r["annotator"], r["action"]) for r in rows] == [
        (two.pk, "alice", "put"),
        (one.pk, "alice", "put"),
    ]
    assert rows[0]["changes"]["spans"]["added"][0]["label"] == "PER"
    gold = history(cast, "reviewer", annotator="rita").json()["results"]
    assert [(r["is_gold"], r["actor"], r["annotator"]) for r in gold] == [(True, "rita", None)]


def test_annotators_see_only_their_own(cast):
    put(cast, "annotator", DocumentFactory(project=cast.project))
    mine = history(cast, "annotator").json()["results"]
    assert [r["annotator"] for r in mine] == ["alice"]
    assert history(cast, "annotator", annotator="alice").status_code == 200
    assert history(cast, "annotator", annotator="bob").status_code == 403
    assert history(cast, "outsider", annotator="alice").status_code == 404
    error_body(history(cast, "admin", annotator="nobody-here"), 400, "invalid")


def test_an_anonymous_review_keeps_reviewers_from_others_history(cast):
    cast.project.anonymize_review = True
    cast.project.save()
    assert history(cast, "reviewer", annotator="alice").status_code == 403
    assert history(cast, "admin", annotator="alice").status_code == 200


def test_a_persons_history_takes_the_same_queries_however_long(cast):
    """One query for the page however many documents and events it shows."""
    client = cast.client("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(api(cast.project.pk, "history/"), {"annotator": "alice"})
            assert response.status_code == 200
        return len(queries)

    put(cast, "annotator", DocumentFactory(project=cast.project))
    few = count()
    for _ in range(6):
        put(cast, "annotator", DocumentFactory(project=cast.project))
    # 1 project and role, 2 the person, 3 count, 4 the page with documents and people
    assert count() == few == 4
