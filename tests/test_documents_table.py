"""The reviewers' documents table: derived state, filters, sorting, search and paging on
`GET /api/projects/{id}/documents/`, with the old contract (fields, page, page_size, status)
kept."""

import pytest

from tests.conftest import api, error_body
from tests.factories import DocumentFactory

PER = {"id": "p", "start": 0, "end": 16, "label": "PER"}
LOC = {"id": "l", "start": 51, "end": 58, "label": "LOC"}


def save(cast, who, document, spans, status="submitted"):
    client = cast.client(who)
    mine = api(cast.project.pk, f"documents/{document.pk}/annotations/mine/")
    version = client.get(mine).json()["version"]
    body = {"version": version, "spans": spans, "status": status}
    assert client.put(mine, body, format="json").status_code == 200


def rows(cast, query="", who="reviewer"):
    response = cast.client(who).get(api(cast.project.pk, f"documents/?{query}"))
    assert response.status_code == 200, response.content
    return response.json()


def ids(cast, query="", who="reviewer"):
    return [row["id"] for row in rows(cast, query, who)["results"]]


@pytest.fixture
def docs(cast):
    """Six documents: new; in progress (assigned); annotated 1 of 2; disputed; agreed 2 of 2;
    gold."""
    cast.project.annotators_per_document = 2
    cast.project.save()
    titles = ["Banjir Jakarta", "Pemilu", "Harga beras", "Gempa Cianjur", "Timnas", "Kurs rupiah"]
    docs = [DocumentFactory(project=cast.project, title=t) for t in titles]
    admin = cast.client("admin")
    body = {"document": docs[1].pk, "annotator": "alice"}
    assert admin.post(api(cast.project.pk, "assignments/"), body, format="json").status_code == 201
    save(cast, "annotator", docs[2], [PER])
    save(cast, "annotator", docs[3], [PER])
    save(cast, "teammate", docs[3], [LOC])
    save(cast, "annotator", docs[4], [PER, LOC])
    save(cast, "teammate", docs[4], [PER, LOC])
    gold = api(cast.project.pk, f"documents/{docs[5].pk}/gold/")
    body = {"version": 0, "spans": [PER], "status": "submitted"}
    assert cast.client("reviewer").put(gold, body, format="json").status_code == 200
    return docs


def test_each_row_says_where_the_document_stands(cast, docs):
    """state, k of n, disagreement, agreement and who worked on it, beside the old fields."""
    table = {row["id"]: row for row in rows(cast)["results"]}
    states = [table[d.pk]["state"] for d in docs]
    assert states == ["new", "in_progress", "annotated", "disputed", "annotated", "reviewed"]
    assert [table[d.pk]["status"] for d in docs] == [
        "new",
        "in_progress",
        "in_progress",  # 1 of 2 submitted: the old status says in progress
        "annotated",
        "annotated",
        "reviewed",
    ]
    assert [table[d.pk]["submitted_count"] for d in docs] == [0, 0, 1, 2, 2, 0]
    assert table[docs[3].pk]["disputed"] is True
    assert table[docs[3].pk]["agreement"] == 0.0
    assert table[docs[4].pk]["agreement"] == 1.0
    assert table[docs[2].pk]["agreement"] is None
    assert table[docs[3].pk]["annotators"] == [
        {"annotator": "alice", "status": "submitted"},
        {"annotator": "bob", "status": "submitted"},
    ]
    assert table[docs[1].pk]["annotators"] == [{"annotator": "alice", "status": "assigned"}]
    assert {"id", "title", "external_id", "length", "status", "my_status", "created_at"} <= set(
        table[docs[0].pk]
    )


def test_filters_by_state_annotator_label_and_disagreement(cast, docs):
    """Each filter narrows to exactly the documents it names; they combine."""
    pk = [d.pk for d in docs]
    assert ids(cast, "state=disputed") == [pk[3]]
    assert ids(cast, "state=new,reviewed") == [pk[0], pk[5]]
    assert ids(cast, "annotator=alice") == [pk[1], pk[2], pk[3], pk[4]]
    assert ids(cast, "annotator=alice&annotator_status=assigned") == [pk[1]]
    assert ids(cast, "annotator=alice&annotator_status=in_progress") == [pk[1]]
    assert ids(cast, "annotator=bob&annotator_status=submitted") == [pk[3], pk[4]]
    assert ids(cast, "label=LOC") == [pk[3], pk[4]]
    assert ids(cast, "label=LOC,PER&annotator=alice") == [pk[2], pk[3], pk[4]]
    assert ids(cast, "disagreement=true") == [pk[3]]
    assert ids(cast, "compared=true") == [pk[3], pk[4]]
    assert ids(cast, "status=annotated") == [pk[3], pk[4]]
    assert ids(cast, "status=in_progress") == [pk[1], pk[2]]


def test_sorting_keeps_pages_stable(cast, docs):
    """`ordering` by title or agreement (either way), ties broken by id."""
    titles = [row["title"] for row in rows(cast, "ordering=title")["results"]]
    assert titles == sorted(titles)
    assert ids(cast, "ordering=-title")[0] == docs[4].pk  # Timnas
    by_agreement = ids(cast, "ordering=agreement")
    assert by_agreement[:2] == [docs[3].pk, docs[4].pk]
    assert by_agreement[2:] == sorted(by_agreement[2:])
    first = ids(cast, "ordering=length&page_size=4&page=1")
    second = ids(cast, "ordering=length&page_size=4&page=2")
    assert sorted(first + second) == sorted(d.pk for d in docs)


def test_text_search_finds_words_in_title_and_text(cast, docs):
    """A word of the title, a word of the text (any case), or an exact external id."""
    assert ids(cast, "q=gempa") == [docs[3].pk]
    assert ids(cast, "q=BRUSSEL") == [d.pk for d in docs]
    assert ids(cast, f"q={docs[2].external_id}") == [docs[2].pk]
    assert ids(cast, "q=tsunami") == []


@pytest.mark.parametrize(
    ("query", "where"),
    [
        ("state=finished", "state"),
        ("label=NOPE", "label"),
        ("annotator=nobody", "annotator"),
        ("annotator_status=submitted", "annotator_status"),
        ("annotator=alice&annotator_status=bored", "annotator_status"),
        ("ordering=text", "ordering"),
        ("disagreement=maybe", "disagreement"),
        ("submitted_after=soon", "submitted_after"),
        ("status=finished", "status"),
        ("page_size=0&page=x", "page"),
    ],
)
def test_bad_filters_are_a_400_naming_the_parameter(cast, docs, query, where):
    """A junk value is a 400 whose errors name the parameter, never an empty page."""
    response = cast.client("reviewer").get(api(cast.project.pk, f"documents/?{query}"))
    code = "not_found" if where == "page" else "invalid"
    body = error_body(response, 404 if where == "page" else 400, code)
    if where != "page":
        assert where in body["errors"], body


def test_annotators_see_their_own_status_but_nothing_of_others_work(cast, docs):
    """Blind annotators: no state filters, no disagreement or names in the rows."""
    table = {row["id"]: row for row in rows(cast, who="annotator")["results"]}
    disputed = table[docs[3].pk]
    assert disputed["state"] == "annotated"
    assert disputed["disputed"] is None and disputed["agreement"] is None
    assert disputed["annotators"] is None
    assert disputed["my_status"] == "submitted"
    for query in ("state=disputed", "annotator=bob", "label=LOC", "disagreement=true"):
        response = cast.client("annotator").get(api(cast.project.pk, f"documents/?{query}"))
        error_body(response, 403, "permission_denied")
    assert ids(cast, "q=gempa&ordering=title", who="annotator") == [docs[3].pk]


def test_annotators_who_may_see_each_other_may_filter(cast, docs):
    """With annotators_see_each_other, annotators get the reviewers' table."""
    cast.project.annotators_see_each_other = True
    cast.project.save()
    assert ids(cast, "state=disputed", who="annotator") == [docs[3].pk]


def test_the_old_status_contract_holds(cast, docs):
    """`page`, `page_size` and `status` answer as before."""
    page = rows(cast, "page_size=2&page=2")
    assert page["count"] == 6 and len(page["results"]) == 2
    assert page["next"] and page["previous"]
    assert ids(cast, "status=reviewed") == [docs[5].pk]
    assert ids(cast, "status=new") == [docs[0].pk]


def test_a_page_costs_the_same_queries_for_any_filter_and_size(cast, django_assert_num_queries):
    """Six queries for a page of 2 or 60 documents, filtered or not."""
    for n in (2, 60):
        cast.project.documents.all().delete()
        docs = DocumentFactory.create_batch(n, project=cast.project)
        for document in docs[::3]:
            save(cast, "annotator", document, [PER])
        for query in (
            "",
            "state=annotated&label=PER&ordering=-agreement",
            "annotator=alice&q=kata",
        ):
            # the project with the caller's role, the count, the page's ids, its rows, and
            # who worked on the page (assignments, annotations); `label` and `annotator`
            # add their lookup
            with django_assert_num_queries(7 if query else 6):
                rows(cast, f"page_size=100&{query}")
