"""Imports keep every annotator's work: names mapped to members (username, email), accounts
made when asked (`annotators=create`), unmapped work as suggestions, repeated documents
skipped or updated (`duplicates`); the answer says which; a failed import stores nothing."""

from __future__ import annotations

import json

import pytest
from django.contrib.auth import get_user_model

from annotations.models import Annotation, Document, Membership, SuggestionSet
from tests.conftest import add_member, error_body
from tests.factories import DocumentFactory
from tests.test_export_records import LOC, PER, QUOTE, SPEAKER, TEXT, annotate
from tests.test_exports_api import download, request_export, run, unzip
from tests.test_import_foreign import upload

User = get_user_model()


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def studio_export(cast) -> list[dict]:
    """Our own Label Studio export (scope all) of two documents: gold, alice's and bob's."""
    for i in range(2):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"ls{i}")
        annotate(doc, None, spans=[PER, QUOTE], relations=[SPEAKER])
        annotate(doc, cast.annotator, spans=[PER])
        annotate(doc, cast.teammate, spans=[LOC])
    job = run(request_export(cast, format="label-studio", scope="all"))
    return json.loads(unzip(download(cast, job["id"])[1])["documents.json"])


def renamed(tasks: list[dict], old: str, new: str) -> bytes:
    for task in tasks:
        for annotation in task["annotations"]:
            if annotation.get("annotator") == old:
                annotation["annotator"] = new
    return json.dumps(tasks).encode()


def versions(project, external_id: str) -> dict[str, list[str]]:
    """annotator -> span labels of the document's submitted versions."""
    document = Document.objects.get(project=project, external_id=external_id)
    rows = Annotation.objects.filter(document=document, is_gold=False)
    return {a.annotator.username: sorted(s.label.name for s in a.spans.all()) for a in rows}


def test_our_label_studio_export_is_refused_elsewhere_until_asked(cast, studio_export):
    """Into a project where alice and bob are not members: refused, naming them, nothing
    stored; with annotators=create they become members and keep their versions."""
    elsewhere = cast.other_project
    client = cast.client("outsider")
    content = json.dumps(studio_export).encode()
    refused = error_body(upload(client, elsewhere, "ls.json", content), 400, "import_failed")
    assert "alice" in refused["errors"]["annotator_map"][0]
    assert not elsewhere.documents.exists()
    response = upload(client, elsewhere, "ls.json", content, annotators="create")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["created"] == 2
    assert body["annotators"]["added"] == ["alice", "bob"]  # existing accounts
    assert body["annotators"]["created"] == []
    assert versions(elsewhere, "ls0") == {"alice": ["PER"], "bob": ["LOC"]}
    roles = dict(Membership.objects.filter(project=elsewhere).values_list("user__username", "role"))
    assert roles["alice"] == roles["bob"] == "annotator"


def test_new_names_get_accounts_and_emails_map_to_members(cast, studio_export):
    """annotators=create: an unknown name gets an account (no password yet); a name that is
    a member's email maps to that member. The answer lists both."""
    cast.teammate.email = "bob@example.org"
    cast.teammate.save()
    elsewhere = cast.other_project
    add_member(elsewhere, cast.teammate, "annotator")
    tasks = json.loads(renamed(studio_export, "alice", "dewi"))
    content = renamed(tasks, "bob", "BOB@example.org")
    response = upload(cast.client("outsider"), elsewhere, "ls.json", content, annotators="create")
    assert response.status_code == 201, response.json()
    answer = response.json()["annotators"]
    assert answer["created"] == ["dewi"] and answer["mapped"]["BOB@example.org"] == "bob"
    assert versions(elsewhere, "ls1") == {"dewi": ["PER"], "bob": ["LOC"]}
    dewi = User.objects.get(username="dewi")
    assert not dewi.has_usable_password()
    assert Membership.objects.get(project=elsewhere, user=dewi).role == "annotator"


def test_unmapped_annotators_work_becomes_suggestions(cast, studio_export):
    """annotators=suggestions: bob (a member) keeps his version; alice's work is the
    documents' suggestions."""
    elsewhere = cast.other_project
    add_member(elsewhere, cast.teammate, "annotator")
    content = json.dumps(studio_export).encode()
    response = upload(
        cast.client("outsider"), elsewhere, "ls.json", content, annotators="suggestions"
    )
    assert response.status_code == 201, response.json()
    assert response.json()["annotators"]["suggestions"] == ["alice"]
    assert versions(elsewhere, "ls0") == {"bob": ["LOC"]}
    suggested = SuggestionSet.objects.get(
        document__external_id="ls0", document__project=elsewhere, source="import"
    )
    assert [s["label"] for s in suggested.payload["spans"]] == ["PER"]


def test_a_failed_import_makes_no_account(cast, studio_export):
    """annotators=create and a bad record: 400, no account, no membership, no document."""
    studio_export[1]["annotations"][0]["result"][0]["value"]["end"] = 10_000
    content = renamed(studio_export, "alice", "dewi")
    response = upload(
        cast.client("outsider"), cast.other_project, "ls.json", content, annotators="create"
    )
    assert response.status_code == 400
    assert not User.objects.filter(username="dewi").exists()
    assert not cast.other_project.documents.exists()


def jsonl(*records: dict) -> bytes:
    return b"".join(json.dumps(r).encode() + b"\n" for r in records)


def record(external_id: str, spans: list, text: str = TEXT) -> dict:
    return {"external_id": external_id, "text": text, "spans": spans}


def gold_labels(project, external_id: str) -> list[str]:
    gold = Annotation.objects.get(document__project=project, document__external_id=external_id)
    return sorted(s.label.name for s in gold.spans.all())


def test_repeated_documents_are_refused_skipped_or_updated(cast):
    """A file repeating an external id: refused by default (naming the options), the first
    kept with duplicates=skip, the last with duplicates=update."""
    content = jsonl(record("a", [PER]), record("b", []), record("a", [LOC]))
    admin = cast.client("admin")
    refused = error_body(upload(admin, cast.project, "d.jsonl", content), 400, "import_failed")
    assert "duplicates=skip" in json.dumps(refused["errors"])
    assert not cast.project.documents.exists()
    skipped = upload(admin, cast.project, "d.jsonl", content, duplicates="skip").json()
    assert skipped["created"] == 2 and skipped["skipped"] == ["a"]
    assert gold_labels(cast.project, "a") == ["PER"]


def test_update_replaces_a_stored_documents_layers_and_keeps_history(cast):
    """duplicates=update against documents already in the project: their gold is replaced
    (a new version), new ones are created; another text for a stored id refuses the file."""
    admin = cast.client("admin")
    assert upload(admin, cast.project, "d.jsonl", jsonl(record("a", [PER]))).status_code == 201
    again = jsonl(record("a", [LOC, QUOTE]), record("c", [PER]))
    body = upload(admin, cast.project, "d.jsonl", again, duplicates="update").json()
    assert body["updated"] == ["a"] and body["created"] == 1
    assert gold_labels(cast.project, "a") == ["LOC", "QUOTE"]
    gold = Annotation.objects.get(document__external_id="a", is_gold=True)
    assert gold.version == 2
    other_text = jsonl(record("a", [PER], text=TEXT + " Lagi."), record("d", []))
    refused = upload(admin, cast.project, "d.jsonl", other_text, duplicates="update")
    assert "another text" in json.dumps(error_body(refused, 400, "import_failed")["errors"])
    assert not cast.project.documents.filter(external_id="d").exists()
    assert gold_labels(cast.project, "a") == ["LOC", "QUOTE"]


def test_skip_against_the_project_imports_only_new_documents(cast):
    """Re-uploading a file with one more document and duplicates=skip adds just that one."""
    admin = cast.client("admin")
    upload(admin, cast.project, "d.jsonl", jsonl(record("a", [PER])))
    body = upload(
        admin, cast.project, "d.jsonl", jsonl(record("a", []), record("b", [])), duplicates="skip"
    ).json()
    assert body["skipped"] == ["a"] and body["created"] == 1
    assert gold_labels(cast.project, "a") == ["PER"]


def test_unknown_option_values_are_refused(cast):
    admin = cast.client("admin")
    for field in ("annotators", "duplicates"):
        response = upload(admin, cast.project, "d.jsonl", jsonl(record("a", [])), **{field: "x"})
        assert field in error_body(response, 400, "import_failed")["errors"]


def test_native_annotations_by_non_members_need_annotators_create(cast):
    """A native JSONL version by someone who is not a member: refused, naming the option;
    with annotators=create an account is made and the version is theirs."""
    line = {
        **record("z", []),
        "annotations": [{"annotator": "zed", "status": "submitted", "spans": [PER]}],
    }
    admin = cast.client("admin")
    refused = error_body(upload(admin, cast.project, "z.jsonl", jsonl(line)), 400, "import_failed")
    assert "annotators=create" in refused["errors"]["lines.1.annotations.0.annotator"][0]
    response = upload(admin, cast.project, "z.jsonl", jsonl(line), annotators="create")
    assert response.status_code == 201, response.json()
    assert response.json()["annotators"]["created"] == ["zed"]
    assert versions(cast.project, "z") == {"zed": ["PER"]}
