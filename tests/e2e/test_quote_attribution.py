"""Quote attribution in the browser (issue 13): an interrupted quote joined into one span
with its cue and speaker, a speaker chain built with one key per mention, and a quote
attributed to "-nya" resolved through the chain; each checked through the API."""

import pytest

from annotations.models import Label
from tests.articles import SHARED_ARTICLE_PATH, needs_shared_article, read_article
from tests.e2e.conftest import click_text, login, my_annotation, select_text, wait_saved
from tests.e2e.pages import assert_accessible
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

FIRST = "Ketinggian gelombang bisa mencapai empat meter,"
SECOND = "jadi nelayan sebaiknya tidak melaut dulu."
INTERRUPTED = f'"{FIRST}" ujar Budi, "{SECOND}"'


def ensure_cue_labels(project) -> None:
    """The news preset's CUE span and its QUOTE → CUE link (added here when the preset lacks
    them, so the editor's side is tested on its own)."""
    if not Label.objects.filter(project=project, name="CUE", kind="span").exists():
        Label.objects.create(project=project, kind="span", name="CUE", color="#808000")
    if not Label.objects.filter(project=project, name="CUE", kind="relation").exists():
        Label.objects.create(
            project=project,
            kind="relation",
            name="CUE",
            color="#808000",
            source_labels=["QUOTE"],
            target_labels=["CUE"],
        )


def open_doc(page, live_server, text: str, project) -> int:
    doc = DocumentFactory(project=project, text=text, title="Artikel", length=len(text))
    page.goto(f"{live_server.url}/projects/{project.pk}/documents/{doc.pk}/")
    page.locator("[data-block]").first.wait_for()
    return doc.pk


def label_exact(page, needle: str, label: str, nth: int = 0) -> None:
    """Select exactly `needle` (snapping off) and label it with the palette."""
    page.keyboard.press("Shift+W")
    select_text(page, needle, nth)
    page.get_by_role("button", name=label, exact=True).click()
    page.keyboard.press("Shift+W")


def extent(text: str, needle: str, start: int = 0) -> list[int]:
    at = text.index(needle, start)
    return [at, at + len(needle)]


def test_interrupted_quote_joined_with_cue_and_speaker(cast, live_server, page):
    """Two QUOTE stretches joined with Shift+J are one span with fragments, drawn as one, its
    speaker and cue linked from the whole quote; split and undo work; saved as such."""
    ensure_cue_labels(cast.project)
    login(page, live_server, "alice")
    doc = open_doc(page, live_server, INTERRUPTED, cast.project)

    label_exact(page, FIRST, "QUOTE")
    select_text(page, "Budi")
    page.keyboard.press("p")
    select_text(page, "ujar")
    page.get_by_role("button", name="CUE", exact=True).click()
    click_text(page, "Ketinggian")
    page.keyboard.press("Shift+W")
    select_text(page, SECOND)
    page.keyboard.press("Shift+J")
    page.keyboard.press("Shift+W")
    page.get_by_text("Joined into one quote.").wait_for()

    details = page.get_by_role("region", name="Selected span")
    assert "2 fragments" in details.inner_text()
    # Drawn as one: one tag, a connector under "ujar Budi", both fragments outlined.
    assert page.locator('.wb-tag[data-label="QUOTE"]').count() == 1
    assert page.locator(".wb-bridge").count() >= 1
    assert page.locator(".wb-box-selected").count() >= 2

    details.get_by_role("button", name="Link speaker").click()
    click_text(page, "Budi")
    details.get_by_role("button", name="Link cue").click()
    click_text(page, "ujar")
    wait_saved(page)

    saved = my_annotation(page, live_server, cast.project.pk, doc)
    [quote] = [s for s in saved["spans"] if s["label"] == "QUOTE"]
    first, second = extent(INTERRUPTED, FIRST), extent(INTERRUPTED, SECOND)
    assert quote["fragments"] == [first, second]
    assert (quote["start"], quote["end"]) == (first[0], second[1])
    by_id = {s["id"]: s for s in saved["spans"]}
    links = sorted((r["label"], by_id[r["to"]]["label"]) for r in saved["relations"])
    assert links == [("CUE", "CUE"), ("SPEAKER", "PER")]
    assert all(r["from"] == quote["id"] for r in saved["relations"])

    # Split the second fragment off (Shift+U), then undo: one quote again, links kept.
    page.get_by_role("list", name="Spans").get_by_role("button", name="QUOTE").click()
    page.keyboard.press("Shift+U")
    page.get_by_text("Fragment taken out as a span of its own.").wait_for()
    assert page.locator('.wb-tag[data-label="QUOTE"]').count() == 2
    page.keyboard.press("Control+z")
    assert page.locator('.wb-tag[data-label="QUOTE"]').count() == 1
    wait_saved(page)
    again = my_annotation(page, live_server, cast.project.pk, doc)
    assert [s["fragments"] for s in again["spans"] if s["label"] == "QUOTE"] == [[first, second]]
    assert len(again["relations"]) == 2
    assert_accessible(page, "editor-interrupted-quote")


@needs_shared_article
def test_speaker_chain_on_the_sample_article(cast, live_server, page):
    """Jens Stoltenberg, Stoltenberg and -nya chained with Shift+C; the quote "…dikirim,"
    tambahnya gets the cue "tambah" and the speaker "-nya", shown as Jens Stoltenberg."""
    ensure_cue_labels(cast.project)
    text = read_article(SHARED_ARTICLE_PATH)
    login(page, live_server, "alice")
    doc = open_doc(page, live_server, text, cast.project)
    quote_text = "Itu akan menjadi sinyal yang salah untuk dikirim,"
    said = text.index("tambahnya", text.index(quote_text))
    nya_nth = text[: said + len("tambah")].count("nya")
    tambah_nth = text[:said].count("tambah")
    stolt_nth = text[: text.index("kata Stoltenberg")].count("Stoltenberg")

    select_text(page, "Jens Stoltenberg")
    page.keyboard.press("p")
    page.keyboard.press("Shift+C")
    page.get_by_text("Started a chain: Jens Stoltenberg.").wait_for()
    select_text(page, "Stoltenberg", stolt_nth)
    page.keyboard.press("p")
    page.keyboard.press("Shift+C")
    label_exact(page, "nya", "PER", nya_nth)
    page.keyboard.press("Shift+C")
    page.get_by_text("Added to the chain Jens Stoltenberg.").last.wait_for()
    # The chain's mentions are outlined together while one of them is selected.
    assert page.locator(".wb-box-chain").count() >= 2

    chains = page.get_by_role("region", name="Chains")
    assert chains.locator(".chain-name").first.get_attribute("placeholder") == "Jens Stoltenberg"
    assert "3 mentions" in chains.inner_text()

    # Deselect "nya" first: its edge handle sits over the end of "tambah".
    page.keyboard.press("Escape")
    label_exact(page, "tambah", "CUE", tambah_nth)
    select_text(page, quote_text)
    page.keyboard.press("q")
    details = page.get_by_role("region", name="Selected span")
    details.get_by_role("button", name="Link speaker").click()
    click_text(page, "nya", nya_nth)
    details.get_by_role("button", name="Link cue").click()
    click_text(page, "tambah", tambah_nth)
    assert "nya → Jens Stoltenberg" in details.inner_text()
    wait_saved(page)

    saved = my_annotation(page, live_server, cast.project.pk, doc)
    chained = sorted((s["start"], s["end"], s["chain"]) for s in saved["spans"] if s.get("chain"))
    jens = extent(text, "Jens Stoltenberg")
    stolt = extent(text, "Stoltenberg", text.index("kata Stoltenberg"))
    nya = [said + len("tambah"), said + len("tambahnya")]
    assert [[s, e] for s, e, _ in chained] == [jens, stolt, nya]
    [chain_id] = {c for _, _, c in chained}
    [chain] = saved["chains"]
    assert chain["id"] == chain_id
    assert chain.get("canonical", "Jens Stoltenberg") == "Jens Stoltenberg"
    by_id = {s["id"]: s for s in saved["spans"]}
    [quote] = [s for s in saved["spans"] if s["label"] == "QUOTE"]
    links = {r["label"]: by_id[r["to"]] for r in saved["relations"] if r["from"] == quote["id"]}
    assert [links["SPEAKER"]["start"], links["SPEAKER"]["end"]] == nya
    assert [links["CUE"]["start"], links["CUE"]["end"]] == [said, said + len("tambah")]

    # Renamed in the chain list, the speaker reads by the new name after a reload too.
    name = chains.locator(".chain-name").first
    name.fill("Sekjen NATO")
    with page.expect_response(lambda r: r.request.method == "PATCH" and r.ok):
        name.press("Enter")
    assert "nya → Sekjen NATO" in details.inner_text()
    wait_saved(page)
    page.reload()
    page.locator("[data-block]").first.wait_for()
    assert "nya → Sekjen NATO" in page.get_by_role("list", name="Spans").inner_text()
    reloaded = my_annotation(page, live_server, cast.project.pk, doc)
    assert [c["name"] for c in reloaded["chains"]] == ["Sekjen NATO"]
