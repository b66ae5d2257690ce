"""Who did what survives an import: Label Studio annotators and doccano per-user files become
members' versions (`annotator_map`), ground truth becomes gold, `as=gold` asks for gold only,
`label_map` renames foreign labels; what cannot be carried is in `warnings`; a refused
upload stores nothing. Files are the ones real Label Studio 1.23.2 and doccano 1.8.4 exported
(tests/data/interop/)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from annotations.models import Annotation, Document
from tests.conftest import api, error_body

INTEROP = Path(__file__).parent / "data" / "interop"
LS = INTEROP / "label-studio-1.23.2"
DOCCANO = INTEROP / "doccano-1.8.4"
TESTSET = [json.loads(x) for x in (INTEROP / "testset.jsonl").read_text().splitlines() if x]
# The user ids Label Studio gave the harness's alice and bob (see the fixture's README).
LS_USERS = {"2": "alice", "3": "bob"}


def upload(cast, name: str, content: bytes, **fields):
    data = {"file": SimpleUploadedFile(name, content), **fields}
    client = cast.client("admin")
    return client.post(api(cast.project.pk, "documents/upload/"), data, format="multipart")


def contents(annotation: Annotation) -> set[tuple[str, str]]:
    text = annotation.document.text
    return {(s.label.name, text[s.start : s.end]) for s in annotation.spans.all()}


def expected(record: dict, who: str) -> set[tuple[str, str]]:
    layer = next(a for a in record["annotations"] if a["annotator"] == who)
    return {(s["label"], record["text"][s["start"] : s["end"]]) for s in layer["spans"]}


def layers(external_id: str) -> dict[str, Annotation]:
    rows = Annotation.objects.filter(document__external_id=external_id).select_related(
        "annotator", "document"
    )
    return {("gold" if a.is_gold else a.annotator.username): a for a in rows}


def test_label_studio_annotators_unmapped_refuse_the_file_listing_the_ids(cast):
    """Label Studio names users by numeric id: with no annotator_map the upload is a 400 on
    `annotator_map` listing the ids found, and nothing is stored."""
    response = upload(cast, "tasks.json", (LS / "export-json.json").read_bytes())
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["annotator_map"]
    assert (
        "map to no member of this project: 2, 3 (found in the file: 2, 3"
        in (errors["annotator_map"][0])
    )
    assert Document.objects.count() == 0 and Annotation.objects.count() == 0


def test_label_studio_two_annotators_become_versions_and_ground_truth_gold(cast):
    """With annotator_map, each Label Studio annotation is its author's version, submitted;
    the ground-truth one (alice's) is also the gold layer. Task ids and data fields are kept
    in meta; predictions and Label Studio's bookkeeping fields are named in warnings."""
    response = upload(
        cast,
        "tasks.json",
        (LS / "export-json.json").read_bytes(),
        annotator_map=json.dumps(LS_USERS),
    )
    assert response.status_code == 201, response.json()
    warnings = response.json()["warnings"]
    assert response.json()["created"] == len(TESTSET)
    for record in TESTSET:
        found = layers(record["external_id"])
        assert set(found) == {"gold", "alice", "bob"}
        assert contents(found["alice"]) == expected(record, "alice")
        assert contents(found["bob"]) == expected(record, "bob")
        assert contents(found["gold"]) == expected(record, "alice")
        assert found["bob"].status == "submitted"
        assert found["bob"].document_labels == next(
            a["document_labels"] for a in record["annotations"] if a["annotator"] == "bob"
        )
    meta = Document.objects.get(external_id="interop-01").meta
    assert isinstance(meta["label_studio"]["task_id"], int)
    assert "external_id" not in meta and "text" not in meta
    assert any(
        w.startswith("document 'interop-01': 1 prediction(s) given by id only") for w in warnings
    )
    assert any(w.startswith("Label Studio task fields not imported") for w in warnings)
    assert any("lead_time" in w for w in warnings if "annotation fields" in w)


def test_as_gold_keeps_the_ground_truth_only(cast):
    """as=gold: the ground-truth annotation is the gold layer, no annotator needs mapping,
    and the annotations left out are counted in the warnings."""
    response = upload(cast, "tasks.json", (LS / "export-json.json").read_bytes(), **{"as": "gold"})
    assert response.status_code == 201, response.json()
    assert not Annotation.objects.filter(is_gold=False).exists()
    for record in TESTSET:
        assert contents(layers(record["external_id"])["gold"]) == expected(record, "alice")
    assert any(w.startswith("10 annotation(s) not imported") for w in response.json()["warnings"])


def _only(user_id: int) -> bytes:
    tasks = json.loads((LS / "export-json.json").read_bytes())
    for task in tasks:
        task["annotations"] = [
            {**a, "ground_truth": False}
            for a in task["annotations"]
            if a["completed_by"] == user_id
        ]
    return json.dumps(tasks).encode()


def test_a_single_label_studio_annotation_is_its_authors_version_not_gold(cast):
    """One annotation per task, not ground truth: it is bob's version, and there is no gold."""
    response = upload(cast, "tasks.json", _only(3), annotator_map=json.dumps(LS_USERS))
    assert response.status_code == 201, response.json()
    for record in TESTSET:
        assert set(layers(record["external_id"])) == {"bob"}


def test_as_gold_refuses_a_task_with_several_annotations_and_no_ground_truth(cast):
    """as=gold with two annotations and none marked ground truth is refused on `as`."""
    tasks = json.loads((LS / "export-json.json").read_bytes())
    for task in tasks:
        for annotation in task["annotations"]:
            annotation["ground_truth"] = False
    response = upload(cast, "tasks.json", json.dumps(tasks).encode(), **{"as": "gold"})
    errors = error_body(response, 400, "import_failed")["errors"]
    assert list(errors) == ["as"]
    assert "“interop-01” has 2 annotations and none is marked ground truth" in errors["as"][0]
    assert Document.objects.count() == 0


def test_two_annotators_mapped_to_one_member_are_refused(cast):
    """Mapping both Label Studio users to alice would give her two versions: refused, and
    nothing stored."""
    response = upload(
        cast,
        "tasks.json",
        (LS / "export-json.json").read_bytes(),
        annotator_map=json.dumps({"2": "alice", "3": "alice"}),
    )
    errors = error_body(response, 400, "import_failed")["errors"]
    assert "two annotations are by alice" in errors["annotator_map"][0]
    assert Document.objects.count() == 0 and Annotation.objects.count() == 0


@pytest.mark.parametrize(
    ("value", "path"),
    [
        ("{not json", "annotator_map"),
        ('{"2": 5}', "annotator_map"),
        ('{"2": "zed"}', "annotator_map.2"),
    ],
)
def test_a_bad_annotator_map_is_refused(cast, value, path):
    """annotator_map must be a JSON object from names to members' usernames."""
    response = upload(
        cast, "tasks.json", (LS / "export-json.json").read_bytes(), annotator_map=value
    )
    assert path in response.json()["errors"], response.json()
    assert response.status_code == 400
    assert Document.objects.count() == 0


@pytest.mark.parametrize("user", ["alice", "bob"])
def test_a_doccano_users_file_becomes_that_members_version(cast, user):
    """doccano names each member's export file after them: `alice.jsonl` is alice's version
    (here from a grapheme-mode project), with her spans where she made them."""
    content = (DOCCANO / "grapheme-mode" / f"{user}.jsonl").read_bytes()
    response = upload(cast, f"{user}.jsonl", content, format="doccano", offset_unit="grapheme")
    assert response.status_code == 201, response.json()
    for record in TESTSET:
        found = layers(record["external_id"])
        if expected(record, user):
            assert set(found) == {user}
            assert contents(found[user]) == expected(record, user)


def test_a_doccano_file_of_someone_else_is_mapped_or_refused(cast):
    """A file named after a doccano user who is not a member: as=annotations refuses it
    naming the user; annotator_map makes it a member's version; by default it is gold with a
    warning saying how to make it someone's."""
    content = (DOCCANO / "relation" / "alice.jsonl").read_bytes()
    response = upload(cast, "carol.jsonl", content, format="doccano", **{"as": "annotations"})
    errors = error_body(response, 400, "import_failed")["errors"]
    assert "no member is called “carol”" in errors["annotator_map"][0]
    assert Document.objects.count() == 0
    response = upload(cast, "carol.jsonl", content, format="doccano")
    assert response.status_code == 201, response.json()
    assert any("imported as gold" in w for w in response.json()["warnings"])
    assert set(layers("interop-01")) == {"gold"}
    Document.objects.all().delete()
    response = upload(
        cast, "carol.jsonl", content, format="doccano", annotator_map='{"carol": "bob"}'
    )
    assert response.status_code == 201, response.json()
    assert set(layers("interop-01")) == {"bob"}


def _renamed_task() -> bytes:
    text = "Joko Widodo senang."
    result = [
        {
            "id": "a",
            "from_name": "label",
            "to_name": "text",
            "type": "labels",
            "value": {"start": 0, "end": 11, "text": "Joko Widodo", "labels": ["PERSON"]},
        },
        {
            "id": "d",
            "from_name": "tone",
            "to_name": "text",
            "type": "choices",
            "value": {"choices": ["positive"]},
        },
    ]
    task = {
        "id": 1,
        "data": {"text": text},
        "annotations": [{"result": result, "ground_truth": True}],
    }
    return json.dumps([task]).encode()


def test_label_map_renames_foreign_labels_and_choice_groups(cast):
    """A label spelled PERSON and a choice group named tone are refused as they are, and
    imported as PER and sentiment with label_map."""
    response = upload(cast, "tasks.json", _renamed_task())
    assert response.status_code == 400
    assert Document.objects.count() == 0
    label_map = json.dumps({"PERSON": "PER", "tone": "sentiment", "NOPE": "X"})
    response = upload(cast, "tasks.json", _renamed_task(), label_map=label_map)
    assert response.status_code == 201, response.json()
    gold = Annotation.objects.get(is_gold=True)
    assert contents(gold) == {("PER", "Joko Widodo")}
    assert gold.document_labels == {"sentiment": "positive"}
    assert "label_map entries that matched nothing: NOPE" in response.json()["warnings"]


def test_as_suggestions_makes_every_layer_a_suggestion(cast):
    """as=suggestions: the file's layers, Label Studio's predictions included (the snapshot
    export carries them in full), become each document's suggestions (source `import`);
    no version or gold is made and no annotator needs mapping."""
    from annotations.models import SuggestionSet

    content = (LS / "export-snapshot-json.json").read_bytes()
    response = upload(cast, "tasks.json", content, **{"as": "suggestions"})
    assert response.status_code == 201, response.json()
    assert not Annotation.objects.exists()
    for record in TESTSET:
        row = SuggestionSet.objects.get(
            document__external_id=record["external_id"], source="import"
        )
        assert row.status == "ready"
        spans = {(s["label"], record["text"][s["start"] : s["end"]]) for s in row.payload["spans"]}
        assert spans == expected(record, "alice")
        assert all(s["source"] == "import" for s in row.payload["spans"])
    assert not any("prediction(s)" in w for w in response.json()["warnings"])


def test_doccano_metadata_and_comments_from_doccano_land_in_meta(cast):
    """What doccano exported beside the spans (the example's metadata, its id, the member's
    comment) is in the document's meta after the upload; nothing is left unnamed."""
    content = (DOCCANO / "relation" / "alice.jsonl").read_bytes()
    response = upload(cast, "alice.jsonl", content, format="doccano", offset_unit="utf16")
    assert response.status_code == 201, response.json()
    assert response.json()["warnings"] == []
    meta = Document.objects.get(external_id="interop-01").meta
    assert meta["source"] == "peers harness test set"
    # the relation export writes comments as objects, the sequence-labelling one as strings
    assert [c["comment"] for c in meta["doccano"]["comments"]] == ["alice: check the quote"]
    assert isinstance(meta["doccano"]["id"], int)


def test_label_studio_data_fields_land_in_meta(cast):
    """A Label Studio task's data fields other than the text and the external id are kept in
    the document's meta, beside the task id."""
    response = upload(
        cast,
        "tasks.json",
        (LS / "export-json.json").read_bytes(),
        annotator_map=json.dumps(LS_USERS),
    )
    assert response.status_code == 201, response.json()
    meta = Document.objects.get(external_id="interop-01").meta
    assert meta["source"] == "peers harness test set"
    assert set(meta) == {"source", "label_studio"}


def test_a_native_suggestions_key_becomes_the_documents_suggestions(cast):
    """A JSONL record's `suggestions` (a model's output: spans and links with scores) is
    stored as the document's suggestions (source `import`) with its scores, served by the
    suggestions endpoint; what does not fit the project is left out and said."""
    text = "“Kita siap,” kata Budi."
    record = {
        "text": text,
        "external_id": "predicted-1",
        "suggestions": {
            "spans": [
                {"id": "q", "start": 0, "end": 12, "label": "QUOTE", "score": 0.8},
                {"id": "p", "start": 18, "end": 22, "label": "PER", "score": 0.6},
                {"id": "x", "start": 0, "end": 99, "label": "PER"},  # past the text
            ],
            "relations": [{"from": "q", "to": "p", "label": "SPEAKER", "score": 0.7}],
        },
    }
    response = upload(cast, "predicted.jsonl", json.dumps(record).encode())
    assert response.status_code == 201, response.json()
    assert "1 suggested item(s) do not fit" in " ".join(response.json()["warnings"])
    document = Document.objects.get(external_id="predicted-1")
    assert not Annotation.objects.filter(document=document).exists()
    answer = cast.client("admin").get(api(cast.project.pk, f"documents/{document.pk}/suggestions/"))
    assert answer.status_code == 200, answer.json()
    body = answer.json()
    spans = {s["id"]: s for s in body["spans"] if s["source"] == "import"}
    assert {(text[s["start"] : s["end"]], s["label"], s["score"]) for s in spans.values()} == {
        ("“Kita siap,”", "QUOTE", 0.8),
        ("Budi", "PER", 0.6),
    }
    [link] = [r for r in body["relations"] if r["source"] == "import"]
    assert (spans[link["from"]]["label"], spans[link["to"]]["label"]) == ("QUOTE", "PER")
    assert (link["label"], link["score"]) == ("SPEAKER", 0.7)


@pytest.mark.parametrize(
    ("suggestions", "where"),
    [
        ("QUOTE", "lines.2.suggestions"),
        ({"spans": {"id": "q"}}, "lines.2.suggestions.spans"),
        ({"relations": ["q->p"]}, "lines.2.suggestions.relations"),
        ({"document_labels": ["positive"]}, "lines.2.suggestions.document_labels"),
    ],
)
def test_a_malformed_suggestions_key_is_refused_where_it_is_and_stores_nothing(
    cast, suggestions, where
):
    """A `suggestions` value of the wrong shape refuses the upload with its line and field;
    the good record before it is not stored either."""
    lines = [{"text": "Teks pertama."}, {"text": "Teks kedua.", "suggestions": suggestions}]
    content = "\n".join(json.dumps(x) for x in lines).encode()
    before = Document.objects.count()
    response = upload(cast, "bad.jsonl", content)
    assert where in error_body(response, 400, "import_failed")["errors"], response.json()
    assert Document.objects.count() == before
