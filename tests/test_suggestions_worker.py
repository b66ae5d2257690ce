"""Suggestions computed by a real Celery worker: an upload queues the task by name, a worker
process computes the rows, and the document's suggestions read as ready (the fixtures are
the export worker tests')."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import test_exports_worker as workers
from tests.articles import ARTICLE, QUOTE
from tests.conftest import api

broker = workers.broker
send_to_test_broker = workers.send_to_test_broker


@pytest.mark.worker
def test_an_upload_gets_its_suggestions_from_a_worker(
    cast, transactional_db, send_to_test_broker, broker, tmp_path
):
    """Upload our article as .txt: a worker computes its suggestions, and GET shows the
    quote with its marks, linked to its speaker, without anyone asking again."""
    upload = SimpleUploadedFile("bus.txt", ARTICLE.encode(), "text/plain")
    with workers.celery_worker(tmp_path, "suggestions", broker) as worker:
        response = cast.client("admin").post(
            api(cast.project.pk, "documents/upload/"), {"file": upload}, format="multipart"
        )
        assert response.status_code == 201, response.json()
        (doc_id,) = response.json()["ids"]
        path = api(cast.project.pk, f"documents/{doc_id}/suggestions/")
        client = cast.client("annotator")

        def ready() -> dict | None:
            body = client.get(path).json()
            return body if body["status"] == "ready" else None

        answer = workers.wait_for(ready, 60, "the suggestions", worker.log_path)
    text = client.get(api(cast.project.pk, f"documents/{doc_id}/")).json()["text"]
    spans = {s["id"]: text[s["start"] : s["end"]] for s in answer["spans"]}
    # The news preset has cues too: the quote's CUE link is beside its SPEAKER link.
    speakers = {
        spans[r["from"]]: spans[r["to"]] for r in answer["relations"] if r["label"] == "SPEAKER"
    }
    (quote,) = [q for q in speakers if QUOTE in q]
    assert speakers[quote].endswith("Wulandari")
    assert {s["source"]: s["status"] for s in answer["sources"]} == {
        "quotes": "ready",
        "gold": "ready",
    }
