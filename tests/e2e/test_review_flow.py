"""Review in a real browser: two annotators' versions, the disputed items, accepting the
agreed ones, deciding the rest, saving gold, and a plain 409 when someone saved first.

The annotators' work is written through the service layer (fast); everything the
reviewer does goes through the browser.
"""

import pytest

from annotations.models import Annotation
from tests.articles import ARTICLE, ORG, PERSON, PLACES, QUOTE, QUOTE_PHRASE, SURNAME
from tests.e2e.conftest import click_text, login, select_text
from tests.factories import DocumentFactory
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def at(needle: str, label: str, sid: str, after: str | None = None) -> dict:
    start = ARTICLE.index(needle, ARTICLE.index(after) if after else 0)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label}


PERSON_SPAN = at(PERSON, "PER", "p1")
ORG_SPAN = at(ORG, "ORG", "o1")
SPEECH = at(QUOTE, "QUOTE", "q1")
SPEAKER_SPAN = at(SURNAME, "PER", "p2", after=QUOTE)
DISPUTED_PLACE, MISSED_PLACE = PLACES
LINK = {"id": "r1", "from": "q1", "to": "p2", "label": "SPEAKER"}


@pytest.fixture
def two_versions(cast):
    """alice and bob agree on the person, the org, the quote and its speaker; not on a place
    (LOC vs MISC) nor on the sentiment."""
    cast.project.merge_threshold = 1.0
    cast.project.save()
    doc = DocumentFactory(
        project=cast.project, text=ARTICLE, title="Bus listrik Semarang", length=len(ARTICLE)
    )
    common = [PERSON_SPAN, ORG_SPAN, SPEECH, SPEAKER_SPAN]
    annotate(
        doc,
        cast.annotator,
        spans=[*common, at(DISPUTED_PLACE, "LOC", "b1")],
        relations=[LINK],
        labels={"sentiment": "negative"},
    )
    annotate(
        doc,
        cast.teammate,
        spans=[*common, at(DISPUTED_PLACE, "MISC", "b1")],
        relations=[LINK],
        labels={"sentiment": "neutral"},
    )
    return doc


def gold_of(page, live_server, doc) -> dict:
    url = f"{live_server.url}/api/projects/{doc.project_id}/documents/{doc.pk}/gold/"
    response = page.request.get(url)
    assert response.ok, response.text()
    return response.json()


def open_review_from_project(page, live_server, doc) -> None:
    page.goto(f"{live_server.url}/projects/{doc.project_id}/")
    link = page.get_by_role("link", name=f"Review {doc.title}")
    link.wait_for()
    page.screenshot(path="/tmp/project-page.png")
    link.click()
    page.wait_for_url(f"**/projects/{doc.project_id}/documents/{doc.pk}/review/")
    page.get_by_role("region", name="Merge proposal").wait_for()


def proposal_item(page, key: str):
    return page.locator(f'[data-item="{key}"]')


def test_reviewer_accepts_agreed_decides_disputed_and_saves_gold(
    cast, live_server, page, two_versions
):
    """Accept all agreed, accept LOC for the disputed place, pick the sentiment, label one more
    place in the gold editor, save: the gold has Python's offsets, the link and the choices."""
    doc = two_versions
    login(page, live_server, "rita")
    open_review_from_project(page, live_server, doc)

    versions = page.get_by_role("region", name="Annotators' versions")
    assert versions.get_by_role("article", name="Version of alice").is_visible()
    assert versions.get_by_role("article", name="Version of bob").is_visible()
    figures = page.get_by_role("region", name="Agreement on this document")
    assert "Span F1 (exact)" in figures.inner_text()

    place = ARTICLE.index(DISPUTED_PLACE)
    loc_key = f"span:{place}:{place + len(DISPUTED_PLACE)}:LOC"
    loc = proposal_item(page, loc_key)
    assert "disputed" in loc.inner_text() and "alice" in loc.inner_text()
    assert "disputed" in proposal_item(page, "label:sentiment=neutral").inner_text()
    page.screenshot(path="/tmp/review-before.png", full_page=True)

    page.get_by_role("button", name="Accept all agreed (5)").click()
    assert (
        "in gold"
        in proposal_item(page, f"span:{PERSON_SPAN['start']}:{PERSON_SPAN['end']}:PER").inner_text()
    )
    loc.get_by_role("button", name="Accept").click()
    assert "in gold" in loc.inner_text()
    misc = proposal_item(page, f"span:{place}:{place + len(DISPUTED_PLACE)}:MISC")
    misc.get_by_role("button", name="Reject").click()
    assert "rejected" in misc.inner_text()
    page.get_by_role("region", name="Gold").get_by_role("radio", name="negative").check()
    select_text(page, MISSED_PLACE)  # the reviewer adds what both annotators missed
    page.keyboard.press("l")
    page.keyboard.press("Control+s")  # the editor page's key map: Ctrl+S saves the gold
    page.get_by_role("status").filter(has_text="All changes saved · version 1").wait_for()
    page.screenshot(path="/tmp/review-saved.png", full_page=True)

    gold = gold_of(page, live_server, doc)
    spans = sorted((s["start"], s["end"], s["label"]) for s in gold["spans"])
    expected = [
        PERSON_SPAN,
        ORG_SPAN,
        SPEECH,
        SPEAKER_SPAN,
        at(DISPUTED_PLACE, "LOC", "b"),
        at(MISSED_PLACE, "LOC", "m"),
    ]
    assert spans == sorted((s["start"], s["end"], s["label"]) for s in expected)
    assert sorted(ARTICLE[start:end] for start, end, _ in spans) == sorted(
        [PERSON, ORG, QUOTE, SURNAME, DISPUTED_PLACE, MISSED_PLACE]
    )
    by_id = {s["id"]: (s["start"], s["end"]) for s in gold["spans"]}
    [link] = gold["relations"]
    assert link["label"] == "SPEAKER"
    assert by_id[link["from"]] == (SPEECH["start"], SPEECH["end"])
    assert by_id[link["to"]] == (SPEAKER_SPAN["start"], SPEAKER_SPAN["end"])
    assert gold["document_labels"] == {"sentiment": "negative"}
    assert gold["version"] == 1


def test_gold_saved_elsewhere_shows_a_plain_conflict(cast, live_server, page, two_versions):
    """Someone saves the gold while the reviewer works: saving says so, and reloading
    shows their gold."""
    doc = two_versions
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/review/")
    page.get_by_role("region", name="Merge proposal").wait_for()

    annotate(doc, None, spans=[PERSON_SPAN])  # another reviewer's save: gold version 1
    page.get_by_role("button", name="Accept all agreed (5)").click()
    page.get_by_role("button", name="Save gold").click()
    alert = page.get_by_role("alert").filter(has_text="someone else saved this gold")
    alert.wait_for()
    assert "version 1" in alert.inner_text()
    page.screenshot(path="/tmp/review-conflict.png", full_page=True)
    assert Annotation.objects.get(document=doc, is_gold=True).version == 1

    page.get_by_role("button", name="Reload their gold (drops your changes)").click()
    page.get_by_role("status").filter(has_text="All changes saved · version 1").wait_for()
    person = proposal_item(page, f"span:{PERSON_SPAN['start']}:{PERSON_SPAN['end']}:PER")
    assert "in gold" in person.inner_text()
    assert (
        "not in gold"
        in proposal_item(page, f"span:{ORG_SPAN['start']}:{ORG_SPAN['end']}:ORG").inner_text()
    )


def test_names_are_hidden_when_the_project_anonymises(cast, live_server, page, two_versions):
    """With anonymised review the versions are 'Annotator k', never a username."""
    cast.project.anonymize_review = True
    cast.project.save()
    login(page, live_server, "rita")
    page.goto(
        f"{live_server.url}/projects/{two_versions.project_id}/documents/{two_versions.pk}/review/"
    )
    page.get_by_role("region", name="Merge proposal").wait_for()
    body = page.locator("main").inner_text()
    assert "Annotator 1" in body and "Annotator 2" in body
    assert "alice" not in body and "bob" not in body
    assert "Names are hidden" in body


def test_annotator_cannot_review(cast, live_server, page, two_versions):
    """The review page tells an annotator plainly that it is not for them."""
    login(page, live_server, "alice")
    page.goto(
        f"{live_server.url}/projects/{two_versions.project_id}/documents/{two_versions.pk}/review/"
    )
    page.get_by_role("heading", name="Cannot review this document").wait_for()
    page.goto(f"{live_server.url}/projects/{two_versions.project_id}/")
    page.get_by_role("heading", name="Documents").wait_for()
    assert page.get_by_role("link", name="Review").count() == 0


def test_agreement_page_leads_to_the_least_agreed_review(cast, live_server, page, two_versions):
    """Project figures, the alice/bob matrix, the chart, and the per-document list whose
    links open each document's review."""
    other = DocumentFactory(project=cast.project, text=ARTICLE, title="Agreed", length=len(ARTICLE))
    for who in (cast.annotator, cast.teammate):
        annotate(other, who, spans=[PERSON_SPAN, ORG_SPAN])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/")
    page.get_by_role("link", name="Agreement").click()
    page.get_by_role("heading", name="Agreement", exact=True).wait_for()

    project = page.get_by_role("table", name="Project agreement", exact=True)
    assert "Spans, F1 exact" in project.inner_text()
    labels = page.get_by_role("table", name="Agreement per span label", exact=True)
    assert "SPEAKER (link)" in labels.inner_text()
    matrix = page.get_by_role("table", name="Pairwise agreement")
    assert matrix.get_by_role("columnheader", name="alice").is_visible()
    assert matrix.get_by_role("rowheader", name="bob").is_visible()
    page.wait_for_function(
        "() => { const c = document.querySelector('.chart-box canvas');"
        " return c && c.width > 0 && c.getContext('2d').getImageData(0, 0, c.width, c.height)"
        ".data.some((v) => v !== 0); }"
    )
    page.screenshot(path="/tmp/agreement.png", full_page=True)

    rows = page.get_by_role("table", name="Agreement per document", exact=True).locator("tbody tr")
    assert rows.nth(0).get_by_role("link").inner_text() == "Bus listrik Semarang"
    assert rows.nth(1).get_by_role("link").inner_text() == "Agreed"
    rows.nth(0).get_by_role("link").click()
    page.wait_for_url(f"**/documents/{two_versions.pk}/review/")
    page.get_by_role("region", name="Merge proposal").wait_for()


def test_overwrite_after_a_conflict_saves_mine_on_top(cast, live_server, page, two_versions):
    """Choosing to overwrite after a 409 writes the reviewer's gold as the next version."""
    doc = two_versions
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/review/")
    page.get_by_role("region", name="Merge proposal").wait_for()
    annotate(doc, None, spans=[at(DISPUTED_PLACE, "MISC", "m")])
    page.get_by_role("button", name="Accept all agreed (5)").click()
    page.get_by_role("button", name="Save gold").click()
    page.get_by_role("button", name="Overwrite with mine").click()
    page.get_by_role("status").filter(has_text="All changes saved · version 2").wait_for()
    gold = gold_of(page, live_server, doc)
    assert gold["version"] == 2
    assert sorted((s["start"], s["label"]) for s in gold["spans"]) == sorted(
        (s["start"], s["label"]) for s in (PERSON_SPAN, ORG_SPAN, SPEECH, SPEAKER_SPAN)
    )
    assert len(gold["relations"]) == 1


def test_relabelled_quote_saves_without_the_attribute_the_new_label_lacks(cast, live_server, page):
    """Relabel a QUOTE that has a quote type to PER in the gold editor and save: the PUT is
    accepted and the gold's PER span carries no quote_type (the store trims like the server)."""
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title="Relabel", length=len(ARTICLE))
    annotate(doc, None, spans=[{**SPEECH, "attributes": {"quote_type": "direct"}}])
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{doc.project_id}/documents/{doc.pk}/review/")
    page.get_by_role("region", name="Merge proposal").wait_for()
    gold = page.get_by_role("region", name="Gold")

    click_text(page, QUOTE_PHRASE)
    gold.get_by_label("quote type").wait_for()
    gold.get_by_role("button", name="PER", exact=True).click()
    page.get_by_role("button", name="Save gold").click()
    page.get_by_role("status").filter(has_text="All changes saved · version 2").wait_for()

    [span] = gold_of(page, live_server, doc)["spans"]
    assert (span["start"], span["end"], span["label"]) == (SPEECH["start"], SPEECH["end"], "PER")
    assert span["attributes"] == {}
