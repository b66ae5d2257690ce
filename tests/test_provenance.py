"""Every stored span says where it came from: a person (no `source`), or the suggester it was
accepted from and that suggestion's score; through PUT, PATCH, history, and a native JSONL
export imported again."""

import io
import json
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from tests.conftest import api, error_body
from tests.factories import DocumentFactory, make_project

TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel."


def mine(document) -> str:
    return api(document.project_id, f"documents/{document.pk}/annotations/mine/")


def span(sid, needle, label="PER", **extra):
    at = TEXT.index(needle)
    return {"id": sid, "start": at, "end": at + len(needle), "label": label, **extra}


ACCEPTED = span("quotes-s0-16", "Jens Stoltenberg", source="quotes", score=0.87)
MANUAL = span("m1", "Brussel", "LOC")


@pytest.fixture
def document(cast):
    return DocumentFactory(project=cast.project, text=TEXT, length=len(TEXT))


def put(client, document, spans, version=0, **body):
    response = client.put(
        mine(document), {"version": version, "spans": spans, **body}, format="json"
    )
    assert response.status_code == 200, response.json()
    return response.json()


def test_put_stores_the_suggester_and_score_and_nothing_for_a_persons_span(cast, document):
    """An accepted span reads back with `source` and `score`; a person's span with neither."""
    client = cast.client("annotator")
    answer = put(client, document, [ACCEPTED, MANUAL])
    read = client.get(mine(document)).json()
    assert read["spans"] == answer["spans"]
    by_id = {s["id"]: s for s in read["spans"]}
    assert by_id["quotes-s0-16"]["source"] == "quotes"
    assert by_id["quotes-s0-16"]["score"] == pytest.approx(0.87)
    assert "source" not in by_id["m1"] and "score" not in by_id["m1"]


def test_manual_or_null_source_is_a_persons_span(cast, document):
    """`"source": "manual"` (or null) on a write is the same as none."""
    client = cast.client("annotator")
    put(client, document, [{**MANUAL, "source": "manual"}, span("m2", "Jens", source=None)])
    assert all("source" not in s for s in client.get(mine(document)).json()["spans"])


@pytest.mark.parametrize(
    ("extra", "field", "message"),
    [
        ({"score": 0.5}, "score", "only a span accepted from a suggestion"),
        ({"source": "manual", "score": 0.5}, "score", "only a span accepted"),
        ({"source": "quotes", "score": 1.5}, "score", "from 0 to 1"),
        ({"source": "quotes", "score": True}, "score", "from 0 to 1"),
        ({"source": "quotes", "score": "0.5"}, "score", "from 0 to 1"),
        ({"source": ""}, "source", "suggester's name"),
        ({"source": "x" * 65}, "source", "suggester's name"),
        ({"source": 3}, "source", "suggester's name"),
    ],
)
def test_bad_provenance_is_a_400_naming_the_field(cast, document, extra, field, message):
    """A score without a source, out of range or not a number, or a source that is no name,
    is refused with the span's field path, and nothing is stored."""
    client = cast.client("annotator")
    response = client.put(
        mine(document), {"version": 0, "spans": [{**MANUAL, **extra}]}, format="json"
    )
    body = error_body(response, 400, "invalid")
    assert any(message in m for m in body["errors"][f"spans.0.{field}"])
    assert client.get(mine(document)).json()["version"] == 0


def test_patch_adds_with_provenance_and_keeps_it_through_edits(cast, document):
    """add_span takes source and score; moving the span keeps them; `manual` takes them away."""
    client = cast.client("annotator")

    def patch(version, *ops):
        response = client.patch(
            mine(document), {"version": version, "ops": list(ops)}, format="json"
        )
        assert response.status_code == 200, response.json()

    patch(0, {"op": "add_span", "span": ACCEPTED})
    patch(1, {"op": "update_span", "id": ACCEPTED["id"], "end": ACCEPTED["end"] - 1})
    (stored,) = client.get(mine(document)).json()["spans"]
    assert (stored["source"], stored["score"], stored["end"]) == ("quotes", 0.87, 15)
    patch(2, {"op": "update_span", "id": ACCEPTED["id"], "source": "manual", "score": None})
    (stored,) = client.get(mine(document)).json()["spans"]
    assert "source" not in stored


def test_history_records_the_provenance(cast, document):
    """The history's added spans carry the source and score they were stored with."""
    client = cast.client("annotator")
    put(client, document, [ACCEPTED])
    history = client.get(api(cast.project.pk, f"documents/{document.pk}/history/")).json()
    text = json.dumps(history)
    assert '"source": "quotes"' in text and '"score": 0.87' in text


def test_provenance_survives_a_native_export_and_reimport(cast, document, tmp_path):
    """Export as native JSONL, import the file into another project: the spans are the same,
    provenance included."""
    client = cast.client("annotator")
    put(client, document, [ACCEPTED, MANUAL], status="submitted")
    gold = api(cast.project.pk, f"documents/{document.pk}/gold/")
    response = cast.client("reviewer").put(
        gold, {"version": 0, "spans": [ACCEPTED, MANUAL]}, format="json"
    )
    assert response.status_code == 200
    output = tmp_path / "out.zip"
    call_command(
        "export_dataset",
        str(cast.project.pk),
        "--format=jsonl",
        "--scope=all",
        f"--output={output}",
        stdout=io.StringIO(),
    )
    with zipfile.ZipFile(output) as archive:
        exported = archive.read("documents.jsonl")
    (record,) = [json.loads(line) for line in exported.splitlines()]
    assert {s["id"]: s.get("source") for s in record["spans"]} == {
        "quotes-s0-16": "quotes",
        "m1": None,
    }

    other = make_project(admin=cast.admin, name="Again", language="id")
    from annotations.models import Membership, Role

    Membership.objects.create(project=other, user=cast.annotator, role=Role.ANNOTATOR)
    upload = SimpleUploadedFile("again.jsonl", exported, "application/jsonl")
    response = cast.client("admin").post(
        api(other.pk, "documents/upload/"), {"file": upload}, format="multipart"
    )
    assert response.status_code == 201, response.json()
    (doc_id,) = response.json()["ids"]
    again = cast.client("annotator").get(api(other.pk, f"documents/{doc_id}/annotations/mine/"))
    assert again.json()["spans"] == client.get(mine(document)).json()["spans"]
    gold_again = cast.client("admin").get(api(other.pk, f"documents/{doc_id}/gold/")).json()
    assert gold_again["spans"] == record["spans"]
