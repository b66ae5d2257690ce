"""The project agreement endpoint on tiny datasets whose figures are known by hand."""

import pytest
from rest_framework.test import APIClient

from annotations.models import Role
from tests.conftest import api
from tests.factories import DocumentFactory, UserFactory, add_member

PER = {"id": "p", "start": 0, "end": 16, "label": "PER"}
QUOTE = {"id": "q", "start": 27, "end": 37, "label": "QUOTE"}
LOC = {"id": "l", "start": 51, "end": 58, "label": "LOC"}
MISC = {"id": "m", "start": 51, "end": 58, "label": "MISC"}
SPEAKER = {"id": "r1", "from": "q", "to": "p", "label": "SPEAKER"}
# alice and bob agree on 3 of 4 sentiments: p_o = 3/4, p_e = (2·1 + 1·2 + 1·1)/16 = 5/16,
# so Cohen's kappa = (3/4 - 5/16) / (1 - 5/16) = 7/11.
ALICE = ["positive", "positive", "negative", "neutral"]
BOB = ["positive", "negative", "negative", "neutral"]


def agreement(client, **params):
    return client.get(api(client.project.pk, "agreement/"), params)


def submit(client, document, *, spans, relations=(), labels=None, status="submitted"):
    mine = api(document.project_id, f"documents/{document.pk}/annotations/mine/")
    version = client.get(mine).json()["version"]
    body = {
        "version": version,
        "spans": list(spans),
        "relations": list(relations),
        "document_labels": labels or {},
        "status": status,
    }
    assert client.put(mine, body, format="json").status_code == 200


@pytest.fixture
def reviewer(cast):
    client = cast.client("reviewer")
    client.project = cast.project
    return client


@pytest.fixture
def known(cast):
    """Four documents: identical spans and link, sentiments as ALICE and BOB."""
    documents = [DocumentFactory(project=cast.project) for _ in range(4)]
    for who, sentiments in (("annotator", ALICE), ("teammate", BOB)):
        client = cast.client(who)
        for document, sentiment in zip(documents, sentiments, strict=True):
            submit(
                client,
                document,
                spans=[PER, QUOTE],
                relations=[SPEAKER],
                labels={"sentiment": sentiment},
            )
    return documents


def test_identical_spans_give_f1_one_and_the_hand_computed_kappa(reviewer, known):
    """Same spans and links → F1 1.0; the sentiments → Cohen's kappa 7/11."""
    response = agreement(reviewer)
    assert response.status_code == 200
    summary = response.json()
    assert summary["documents"] == 4
    assert summary["annotators"] == ["alice", "bob"]
    spans = summary["spans"]["overall"]
    assert spans["f1_exact_micro"] == 1.0
    assert spans["f1_overlap_micro"] == 1.0
    assert summary["spans"]["per_label"]["PER"]["f1_exact"] == 1.0
    assert summary["spans"]["per_label"]["LOC"]["f1_exact"] is None  # nobody used it
    assert summary["relations"]["overall"]["f1_micro"] == 1.0
    sentiment = summary["document_labels"]["per_group"]["sentiment"]
    assert sentiment["cohen_kappa"] == pytest.approx(7 / 11)
    assert sentiment["items"] == 4
    [pair] = summary["pairwise"]
    assert (pair["a"], pair["b"], pair["documents"]) == ("alice", "bob", 4)
    assert pair["document_label_kappa"]["sentiment"] == pytest.approx(7 / 11)
    assert [row["id"] for row in summary["per_document"]] == [d.pk for d in known]
    assert all(row["span_f1_exact"] == 1.0 for row in summary["per_document"])
    assert summary["per_document"][0]["title"] == known[0].title


def test_drafts_and_skips_do_not_change_the_figures(cast, reviewer, known):
    """Only submitted annotations count: a disagreeing draft or skip changes nothing."""
    before = agreement(reviewer).json()
    carol = UserFactory(username="carol")
    add_member(cast.project, carol, Role.ANNOTATOR)
    client = APIClient()
    client.force_authenticate(carol)
    submit(client, known[0], spans=[LOC], labels={"sentiment": "negative"}, status="draft")
    submit(client, known[1], spans=[MISC], status="skipped")
    # bob reopens one of his as a draft: that document then has one voter
    assert agreement(reviewer).json() == before
    submit(cast.client("teammate"), known[3], spans=[LOC], status="draft")
    after = agreement(reviewer).json()
    assert after["documents"] == 4
    assert after["pairwise"][0]["documents"] == 3
    assert "carol" not in after["annotators"]


def test_order_by_agreement_puts_the_most_disputed_document_first(cast, reviewer, known):
    """?order=agreement lists documents by ascending span F1, single-annotator ones last."""
    disputed = DocumentFactory(project=cast.project)
    submit(cast.client("annotator"), disputed, spans=[PER, LOC])
    submit(cast.client("teammate"), disputed, spans=[PER, MISC])
    lonely = DocumentFactory(project=cast.project)
    submit(cast.client("annotator"), lonely, spans=[PER])
    by_id = agreement(reviewer).json()["per_document"]
    assert [row["id"] for row in by_id] == [*(d.pk for d in known), disputed.pk, lonely.pk]
    ranked = agreement(reviewer, order="agreement").json()["per_document"]
    assert ranked[0]["id"] == disputed.pk
    assert ranked[0]["span_f1_exact"] == pytest.approx(0.5)
    assert ranked[-1]["id"] == lonely.pk
    assert ranked[-1]["span_f1_exact"] is None
    assert agreement(reviewer, order="mood").status_code == 400


def test_anonymized_agreement_hides_usernames(cast, reviewer, known):
    """With anonymize_review the pairwise matrix and document rows use pseudonyms."""
    cast.project.anonymize_review = True
    cast.project.save()
    response = agreement(reviewer)
    assert sorted(response.json()["annotators"]) == ["Annotator 1", "Annotator 2"]
    assert "alice" not in response.content.decode()


@pytest.mark.parametrize(("who", "code"), [("annotator", 403), ("outsider", 404), (None, 403)])
def test_agreement_is_for_reviewers(cast, known, who, code):
    """Annotators get 403, outsiders 404, anonymous 403."""
    client = cast.client(who)
    assert client.get(api(cast.project.pk, "agreement/")).status_code == code


def test_agreement_reads_in_constant_queries(cast, reviewer, known, django_assert_num_queries):
    """Four documents or fourteen: the same flat queries."""
    # project with the caller's role, labels, annotations (with titles), spans, relations,
    # the texts of the documents where two versions link quotes to speakers (their names)
    with django_assert_num_queries(6):
        assert agreement(reviewer).status_code == 200
    for _ in range(10):
        document = DocumentFactory(project=cast.project)
        for who in ("annotator", "teammate"):
            submit(cast.client(who), document, spans=[PER, QUOTE, LOC], relations=[SPEAKER])
    with django_assert_num_queries(6):
        assert agreement(reviewer).json()["documents"] == 14
