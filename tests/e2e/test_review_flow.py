"""Review in a real browser: two annotators' versions, the disputed items, accepting the
agreed ones, deciding the rest, saving gold, and a plain 409 when someone saved first.

The annotators' work is written through the service layer (fast); everything the
reviewer does goes through the browser.
"""

import pytest

from annotations.models import Annotation
from tests.e2e.conftest import SAMPLES, login, select_text
from tests.factories import DocumentFactory
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SAMPLE = (SAMPLES / "tribunnews-nato-steadfast-noon.id.txt").read_text(encoding="utf-8")
QUOTE = (
    "Itu akan mengirimkan sinyal yang sangat salah jika kita tiba-tiba sekarang membatalkan "
    "latihan rutin yang sudah lama direncanakan karena perang di Ukraina"
)


def at(needle: str, label: str, sid: str, after: str | None = None) -> dict:
    start = SAMPLE.index(needle, SAMPLE.index(after) if after else 0)
    return {"id": sid, "start": start, "end": start + len(needle), "label": label}


JENS = at("Jens Stoltenberg", "PER", "p1")
NATO = at("NATO", "ORG", "o1")
SPEECH = at(QUOTE, "QUOTE", "q1")
SPEAKER_SPAN = at("Stoltenberg", "PER", "p2", after=QUOTE)
BRUSSELS = "Brussels"
LINK = {"id": "r1", "from": "q1", "to": "p2", "label": "SPEAKER"}


@pytest.fixture
def two_versions(cast):
    """alice and bob agree on Jens, NATO, the quote and its speaker; not on Brussels
    (LOC vs MISC) nor on the sentiment."""
    cast.project.merge_threshold = 1.0
    cast.project.save()
    doc = DocumentFactory(
        project=cast.project, text=SAMPLE, title="NATO Steadfast Noon", length=len(SAMPLE)
    )
    common = [JENS, NATO, SPEECH, SPEAKER_SPAN]
    annotate(
        doc,
        cast.annotator,
        spans=[*common, at(BRUSSELS, "LOC", "b1")],
        relations=[LINK],
        labels={"sentiment": "negative"},
    )
    annotate(
        doc,
        cast.teammate,
        spans=[*common, at(BRUSSELS, "MISC", "b1")],
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
    """Accept all agreed, accept LOC for Brussels, pick the sentiment, label one more place
    in the gold editor, save: the gold has Python's offsets, the link and the choices."""
    doc = two_versions
    login(page, live_server, "rita")
    open_review_from_project(page, live_server, doc)

    versions = page.get_by_role("region", name="Annotators' versions")
    assert versions.get_by_role("article", name="Version of alice").is_visible()
    assert versions.get_by_role("article", name="Version of bob").is_visible()
    figures = page.get_by_role("region", name="Agreement on this document")
    assert "Span F1 (exact)" in figures.inner_text()

    brussels = SAMPLE.index(BRUSSELS)
    loc_key = f"span:{brussels}:{brussels + len(BRUSSELS)}:LOC"
    loc = proposal_item(page, loc_key)
    assert "disputed" in loc.inner_text() and "alice" in loc.inner_text()
    assert "disputed" in proposal_item(page, "label:sentiment=neutral").inner_text()
    page.screenshot(path="/tmp/review-before.png", full_page=True)

    page.get_by_role("button", name="Accept all agreed (5)").click()
    assert "in gold" in proposal_item(page, f"span:{JENS['start']}:{JENS['end']}:PER").inner_text()
    loc.get_by_role("button", name="Accept").click()
    assert "in gold" in loc.inner_text()
    misc = proposal_item(page, f"span:{brussels}:{brussels + len(BRUSSELS)}:MISC")
    misc.get_by_role("button", name="Reject").click()
    assert "rejected" in misc.inner_text()
    page.get_by_role("region", name="Gold").get_by_role("radio", name="negative").check()
    select_text(page, "Rusia")  # the reviewer adds what both annotators missed
    page.keyboard.press("l")
    page.get_by_role("button", name="Save gold").click()
    page.get_by_role("status").filter(has_text="Saved · version 1").wait_for()
    page.screenshot(path="/tmp/review-saved.png", full_page=True)

    gold = gold_of(page, live_server, doc)
    spans = sorted((s["start"], s["end"], s["label"]) for s in gold["spans"])
    expected = [JENS, NATO, SPEECH, SPEAKER_SPAN, at(BRUSSELS, "LOC", "b"), at("Rusia", "LOC", "r")]
    assert spans == sorted((s["start"], s["end"], s["label"]) for s in expected)
    assert SAMPLE[spans[0][0] : spans[0][1]] in ("Jens Stoltenberg", "NATO")
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

    annotate(doc, None, spans=[JENS])  # another reviewer's save: gold version 1
    page.get_by_role("button", name="Accept all agreed (5)").click()
    page.get_by_role("button", name="Save gold").click()
    alert = page.get_by_role("alert").filter(has_text="someone else saved this gold")
    alert.wait_for()
    assert "version 1" in alert.inner_text()
    page.screenshot(path="/tmp/review-conflict.png", full_page=True)
    assert Annotation.objects.get(document=doc, is_gold=True).version == 1

    page.get_by_role("button", name="Reload their gold (drops your changes)").click()
    page.get_by_role("status").filter(has_text="Saved · version 1").wait_for()
    jens = proposal_item(page, f"span:{JENS['start']}:{JENS['end']}:PER")
    assert "in gold" in jens.inner_text()
    assert (
        "not in gold" in proposal_item(page, f"span:{NATO['start']}:{NATO['end']}:ORG").inner_text()
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
    other = DocumentFactory(project=cast.project, text=SAMPLE, title="Agreed", length=len(SAMPLE))
    for who in (cast.annotator, cast.teammate):
        annotate(other, who, spans=[JENS, NATO])
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
    assert rows.nth(0).get_by_role("link").inner_text() == "NATO Steadfast Noon"
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
    annotate(doc, None, spans=[at(BRUSSELS, "MISC", "m")])
    page.get_by_role("button", name="Accept all agreed (5)").click()
    page.get_by_role("button", name="Save gold").click()
    page.get_by_role("button", name="Overwrite with mine").click()
    page.get_by_role("status").filter(has_text="Saved · version 2").wait_for()
    gold = gold_of(page, live_server, doc)
    assert gold["version"] == 2
    assert sorted((s["start"], s["label"]) for s in gold["spans"]) == sorted(
        (s["start"], s["label"]) for s in (JENS, NATO, SPEECH, SPEAKER_SPAN)
    )
    assert len(gold["relations"]) == 1
