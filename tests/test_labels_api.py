"""Labels through the API as the labels screen uses them: the work each label carries,
renames that carry the work along, deletes and changes refused while work needs the label,
hotkey clashes in words (and in Indonesian), and reordering."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.models import Annotation, Label
from tests.conftest import api, error_body
from tests.factories import DocumentFactory

pytestmark = pytest.mark.django_db

QUOTE_AND_SPEAKER = {
    "spans": [
        {"id": "q1", "start": 26, "end": 38, "label": "QUOTE"},
        {"id": "p1", "start": 0, "end": 16, "label": "PER"},
    ],
    "relations": [{"id": "r1", "from": "q1", "to": "p1", "label": "SPEAKER"}],
    "document_labels": {"sentiment": "negative"},
}


def annotate(cast, who: str, document, content=QUOTE_AND_SPEAKER, gold=False):
    suffix = "gold/" if gold else "annotations/mine/"
    url = api(cast.project.pk, f"documents/{document.pk}/{suffix}")
    response = cast.client(who).put(url, {"version": 0, **content}, format="json")
    assert response.status_code == 200, response.json()


def label(cast, name: str) -> Label:
    return cast.project.labels.get(name=name)


def detail(cast, name: str) -> str:
    return api(cast.project.pk, f"labels/{label(cast, name).pk}/")


def usage_by_name(cast) -> dict[str, dict]:
    response = cast.client("admin").get(api(cast.project.pk, "labels/"), {"usage": "true"})
    return {row["name"]: row["usage"] for row in response.json()["results"]}


def test_usage_counts_spans_links_and_document_labels_of_everyone(cast):
    """Drafts, submissions and gold all count; a label nobody uses counts zero."""
    one, two = DocumentFactory(project=cast.project), DocumentFactory(project=cast.project)
    annotate(cast, "annotator", one)
    annotate(cast, "teammate", one)
    annotate(cast, "reviewer", two, gold=True)
    annotate(cast, "annotator", two, {"spans": [QUOTE_AND_SPEAKER["spans"][1]]})
    usage = usage_by_name(cast)
    assert usage["PER"] == {"spans": 4, "relations": 0, "annotations": 4}
    assert usage["QUOTE"] == {"spans": 3, "relations": 0, "annotations": 3}
    assert usage["SPEAKER"] == {"spans": 0, "relations": 3, "annotations": 3}
    assert usage["negative"] == {"spans": 0, "relations": 0, "annotations": 3}
    assert usage["ORG"] == {"spans": 0, "relations": 0, "annotations": 0}
    plain = cast.client("annotator").get(api(cast.project.pk, "labels/")).json()["results"]
    assert {row["usage"] for row in plain} == {None}
    assert cast.client("annotator").get(detail(cast, "PER")).json()["usage"]["spans"] == 4


def test_usage_takes_the_same_queries_however_much_work(cast):
    """Three queries for the counts (spans, links, document labels) at any size."""
    client = cast.client("admin")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(api(cast.project.pk, "labels/"), {"usage": "true"}).status_code == 200
        return len(queries)

    annotate(cast, "annotator", DocumentFactory(project=cast.project))
    few = count()
    for _ in range(5):
        document = DocumentFactory(project=cast.project)
        annotate(cast, "annotator", document)
        annotate(cast, "teammate", document)
    # 1 project and role, 2 count, 3 page, 4 spans, 5 links, 6 document labels
    assert count() == few == 6


def test_a_rename_carries_the_work_along(cast, document):
    """Spans keep their (renamed) label, relation ends and document labels are rewritten."""
    annotate(cast, "annotator", document)
    admin = cast.client("admin")
    assert admin.patch(detail(cast, "PER"), {"name": "PERSON"}, format="json").status_code == 200
    assert label(cast, "SPEAKER").target_labels == ["PERSON", "ORG"]
    response = admin.patch(detail(cast, "negative"), {"name": "negatif"}, format="json")
    assert response.status_code == 200 and response.json()["usage"]["annotations"] == 1
    mine = (
        cast.client("annotator")
        .get(api(cast.project.pk, f"documents/{document.pk}/annotations/mine/"))
        .json()
    )
    assert [s["label"] for s in mine["spans"]] == ["PERSON", "QUOTE"]
    assert mine["document_labels"] == {"sentiment": "negatif"}
    # the renamed work still validates: saving it again is accepted
    keys = ("version", "spans", "relations", "document_labels")
    annotate_again = {key: mine[key] for key in keys}
    url = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    assert cast.client("annotator").put(url, annotate_again, format="json").status_code == 200


def test_a_multiple_choice_rename_rewrites_each_list(cast, document):
    admin = cast.client("admin")
    topics = [{"kind": "document", "group": "topic", "name": n, "multiple": True}
              for n in ("politik", "olahraga")]  # fmt: skip
    for body in topics:
        assert admin.post(api(cast.project.pk, "labels/"), body, format="json").status_code == 201
    annotate(cast, "annotator", document, {"document_labels": {"topic": ["politik", "olahraga"]}})
    assert usage_by_name(cast)["politik"]["annotations"] == 1
    admin.patch(detail(cast, "politik"), {"name": "politics"}, format="json")
    annotation = Annotation.objects.get(document=document, annotator=cast.annotator)
    assert annotation.document_labels == {"topic": ["politics", "olahraga"]}


@pytest.mark.parametrize(
    ("name", "change", "field"),
    [("PER", {"kind": "relation"}, "kind"), ("negative", {"group": "mood"}, "group")],
)
def test_what_work_would_not_survive_is_refused_while_in_use(cast, document, name, change, field):
    annotate(cast, "annotator", document)
    response = cast.client("admin").patch(detail(cast, name), change, format="json")
    body = error_body(response, 400, "invalid")
    assert "used in 1 annotation" in body["errors"][field][0]


def test_a_label_in_use_is_not_deleted_and_the_answer_counts_its_work(cast, document):
    annotate(cast, "annotator", document)
    annotate(cast, "teammate", document)
    for name, words in (("PER", "2 spans"), ("SPEAKER", "2 spans, links"),
                        ("negative", "2 spans, links or document labels")):  # fmt: skip
        response = cast.client("admin").delete(detail(cast, name))
        assert words in error_body(response, 400, "invalid")["detail"]
    assert cast.project.labels.filter(name__in=["PER", "SPEAKER", "negative"]).count() == 3
    response = cast.client("admin").delete(detail(cast, "PER"), HTTP_ACCEPT_LANGUAGE="id")
    assert "dipakai" in error_body(response, 400, "invalid")["detail"]


def test_a_span_label_named_as_a_relation_end_is_not_deleted(cast):
    """Taking ORG out of SPEAKER's ends would let SPEAKER link to anything: refused."""
    body = error_body(cast.client("admin").delete(detail(cast, "ORG")), 400, "invalid")
    assert "SPEAKER" in body["detail"]
    assert cast.client("admin").delete(detail(cast, "MISC")).status_code == 204


@pytest.mark.parametrize(
    ("hotkey", "words", "indonesian"),
    [("p", "taken by PER", "dipakai oleh PER"), ("?", "editor's own keys", "tombol editor")],
)
def test_hotkey_clashes_are_refused_in_words(cast, hotkey, words, indonesian):
    body = {"kind": "span", "name": "DATE", "hotkey": hotkey}
    path = api(cast.project.pk, "labels/")
    response = cast.client("admin").post(path, body, format="json")
    assert words in error_body(response, 400, "invalid")["errors"]["hotkey"][0]
    response = cast.client("admin").post(path, body, format="json", HTTP_ACCEPT_LANGUAGE="id")
    assert indonesian in error_body(response, 400, "invalid")["errors"]["hotkey"][0]
    # re-keying a label to its own key is no clash
    response = cast.client("admin").patch(detail(cast, "PER"), {"hotkey": "p"}, format="json")
    assert response.status_code == 200


def test_labels_are_reordered_in_one_request(cast):
    ids = list(cast.project.labels.values_list("pk", flat=True))
    wanted = ids[::-1]
    response = cast.client("admin").post(
        api(cast.project.pk, "labels/order/"), {"ids": wanted}, format="json"
    )
    assert [row["id"] for row in response.json()] == wanted
    listed = cast.client("annotator").get(api(cast.project.pk, "labels/?page_size=100")).json()
    assert [row["id"] for row in listed["results"]] == wanted
    for bad in (wanted[1:], [*wanted, wanted[0]], [*wanted[1:], 999_999]):
        response = cast.client("admin").post(
            api(cast.project.pk, "labels/order/"), {"ids": bad}, format="json"
        )
        assert "every label" in error_body(response, 400, "invalid")["errors"]["ids"][0]


def test_reserved_hotkeys_match_the_editors_keys():
    """The server refuses the keys the editor keeps (frontend/src/ui/keys.ts)."""
    import re
    from pathlib import Path

    from annotations.services.projects import RESERVED_HOTKEYS

    keys = Path(__file__).resolve().parents[1] / "frontend" / "src" / "ui" / "keys.ts"
    found = re.search(r'export const RESERVED_HOTKEYS = "(.*?)";', keys.read_text())
    assert found, "keys.ts exports RESERVED_HOTKEYS"
    assert set(found.group(1)) == set(RESERVED_HOTKEYS)
