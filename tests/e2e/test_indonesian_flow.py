"""A newsroom's whole day in Indonesian, through the browser only: two annotators open the
article from their queue in an id-ID browser and label it (Alice with the mouse, Bob with the
keyboard), each submits through the confirmation; the reviewer sees their agreement and the
dispute, accepts the agreed items, decides the disputed place and saves the gold; then she
exports the gold as JSONL and as CoNLL, a real Celery worker runs both jobs, and the files
the browser downloads hold what was annotated, at Python's code point offsets (the article
has an emoji outside the BMP before the quote), with the quote's speaker linked.

Every screen's texts are read from the Indonesian catalog (frontend/src/i18n/locales/id.json,
the server's through gettext), none of the English words tests/e2e/pages.py lists shows, and
each screen gets check_page (a screenshot and axe-core) at 1024 x 768, the editor and the
review also at 390 x 844.
"""

import json
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.utils import translation

from annotations.models import ExportJob, ExportStatus
from annotations.presets import NEWS
from tests import test_exports_worker as workers
from tests.articles import (
    ARTICLE,
    ORG,
    PERSON,
    PLACES,
    QUOTE,
    QUOTE_PHRASE,
    SPEAKER_AFTER_QUOTE,
    SURNAME,
)
from tests.e2e.conftest import PASSWORD, click_text, select_text
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page, ui_text
from tests.factories import DocumentFactory

pytestmark = [pytest.mark.browser, pytest.mark.worker, pytest.mark.django_db(transaction=True)]

broker = workers.broker
send_to_test_broker = workers.send_to_test_broker

TITLE = "Bus listrik Semarang"
PLACE = PLACES[0]  # Alice says LOC, Bob says MISC: the one dispute


def extent(needle: str, after: str | None = None) -> tuple[int, int]:
    """Where `needle` is in the article, as Python counts (code points)."""
    start = ARTICLE.index(needle, ARTICLE.index(after) if after else 0)
    return start, start + len(needle)


# What both annotators mark, and so what the gold holds, by Python's own str.index.
EXPECTED = {
    (*extent(PLACE), "LOC"),
    (*extent(ORG), "ORG"),
    (*extent(PERSON), "PER"),
    (*extent(QUOTE), "QUOTE"),
    (*extent(SURNAME, after=QUOTE), "PER"),
}


@contextmanager
def indonesian(browser, live_server, username: str) -> Iterator:
    """A logged-in page in a browser whose language is Indonesian, at 1024 x 768; fails
    on any JavaScript error."""
    context = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES["id"])
    page = context.new_page()
    page.set_default_timeout(30_000)
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.on("console", lambda msg: print(f"{username} console.{msg.type}: {msg.text}"))
    try:
        page.goto(f"{live_server.url}/login/")
        with translation.override("id"):
            log_in = translation.gettext("Log in")
        assert log_in != "Log in"  # the server's catalog has it in Indonesian
        page.get_by_role("heading", name=log_in).wait_for()
        check_screen(page, f"id-flow-login-{username}")
        page.locator("#id_username").fill(username)
        page.locator("#id_password").fill(PASSWORD)
        page.get_by_role("button", name=log_in).click()
        page.wait_for_url(f"{live_server.url}/")
        yield page
    finally:
        context.close()
    assert not errors, f"JavaScript errors for {username}: {errors}"


def check_screen(page, name: str, *, phone: bool = False) -> None:
    """check_page (screenshot + axe) at 1024 x 768 (and 390 x 844), and no English."""
    page.wait_for_load_state("networkidle")
    check_page(page, name)
    assert english_on_page(page) == [], name
    if phone:
        page.set_viewport_size(VIEWPORTS["phone"])
        page.wait_for_timeout(300)  # the layout settles (drawers, relaid tags)
        check_page(page, f"{name}-phone")
        assert english_on_page(page) == [], f"{name}-phone"
        page.set_viewport_size(VIEWPORTS["laptop"])
        page.wait_for_timeout(300)


def open_from_queue(page, doc, who: str) -> None:
    """From "Proyek saya", the project's "Dokumen berikutnya" opens the queued article."""
    page.get_by_role("heading", name=ui_text("projects.title")).wait_for()
    check_screen(page, f"id-flow-projects-{who}")
    page.get_by_role("button", name=ui_text("projects.nextDocument")).click()
    page.wait_for_url(f"**/projects/{doc.project_id}/documents/{doc.pk}/")
    page.get_by_role("heading", name=TITLE).wait_for()
    page.locator("[data-block]").first.wait_for()
    assert page.get_by_role("toolbar", name=ui_text("editor.labels")).is_visible()


def wait_saved(page) -> None:
    page.get_by_role("status").filter(has_text=ui_text("save.saved")).first.wait_for()


def submit(page, live_server, doc, *, spans: int, links: int, name: str) -> None:
    """Kirim asks first, saying what goes to the reviewers; Kirim in the dialog sends it."""
    page.get_by_role("button", name=ui_text("editor.submit"), exact=True).click()
    dialog = page.get_by_role("alertdialog", name=ui_text("submit.title"))
    dialog.wait_for()
    assert ui_text("submit.summary", count=spans, links=links) in dialog.inner_text()
    check_screen(page, f"id-flow-submit-{name}")
    dialog.get_by_role("button", name=ui_text("submit.confirm"), exact=True).click()
    page.wait_for_url(lambda url: f"/documents/{doc.pk}/" not in url)


def alice_labels_with_the_mouse(page) -> None:
    palette = page.get_by_role("toolbar", name=ui_text("editor.labels"))
    for needle, label, nth in [(PLACE, "LOC", 0), (ORG, "ORG", 0), (PERSON, "PER", 0)]:
        select_text(page, needle, nth)
        palette.get_by_role("button", name=label, exact=True).click()
    select_text(page, QUOTE)
    palette.get_by_role("button", name="QUOTE", exact=True).click()
    select_text(page, SURNAME, nth=ARTICLE[: ARTICLE.index(QUOTE)].count(SURNAME))
    palette.get_by_role("button", name="PER", exact=True).click()
    click_text(page, QUOTE_PHRASE)  # the quote selected again: its details panel
    details = page.get_by_role("region", name=ui_text("spanPanel.selected"))
    # The link button names the link by its title in the interface language ("penutur").
    speaker = next(
        spec for spec in NEWS if spec["kind"] == "relation" and spec["name"] == "SPEAKER"
    )
    link = ui_text("spanPanel.link", label=speaker["translations"]["id"]["title"].lower())
    details.get_by_role("button", name=link).click()
    page.get_by_text(ui_text("editor.linkHint")).wait_for()
    click_text(page, SURNAME, nth=ARTICLE[: ARTICLE.index(QUOTE)].count(SURNAME))
    assert f"SPEAKER: {SURNAME}" in details.inner_text()


def find(page, needle: str) -> None:
    """The find box ("/"), by keyboard only: the match becomes the text selection."""
    page.keyboard.press("/")
    page.keyboard.press("Control+a")
    page.keyboard.type(needle)
    page.keyboard.press("Enter")


def bob_labels_with_the_keyboard(page) -> None:
    for needle, key in [(PLACE, "m"), (ORG, "o"), (PERSON, "p")]:
        find(page, needle)
        page.keyboard.press(key)
    find(page, SPEAKER_AFTER_QUOTE)
    page.keyboard.press("p")
    page.keyboard.press("Shift+ArrowLeft")  # the span's end back by one character...
    page.keyboard.press("Control+Shift+ArrowLeft")  # ...then by a word: the surname
    find(page, QUOTE)
    page.keyboard.press("q")
    page.keyboard.press("s")  # link mode from the quote: the nearest PER first
    page.get_by_text(ui_text("editor.linkHint")).wait_for()
    page.keyboard.press("Enter")


def annotate_and_submit(browser, live_server, doc, who: str, label, *, phone: bool) -> None:
    with indonesian(browser, live_server, who) as page:
        open_from_queue(page, doc, who)
        label(page)
        wait_saved(page)
        spans = page.get_by_role("list", name=ui_text("spanPanel.spansList"))
        assert spans.get_by_role("button").count() == len(EXPECTED)
        check_screen(page, f"id-flow-editor-{who}", phone=phone)
        submit(page, live_server, doc, spans=len(EXPECTED), links=1, name=who)


def review(page, live_server, doc) -> None:
    """Rita opens the review from the project, reads agreement and the dispute in
    Indonesian, accepts the agreed items, takes LOC for the place, rejects MISC, saves."""
    page.goto(f"{live_server.url}/projects/{doc.project_id}/")
    page.get_by_role("link", name=ui_text("project.reviewDoc", title=TITLE)).click()
    page.wait_for_url(f"**/projects/{doc.project_id}/documents/{doc.pk}/review/")
    page.get_by_text(ui_text("review.heading", title=TITLE), exact=True).wait_for()
    page.get_by_text(ui_text("review.submittedOf", count=2, k=2)).wait_for()
    page.get_by_role("region", name=ui_text("review.proposal")).wait_for()
    page.locator(".rv-gold [data-block]").first.wait_for()

    versions = page.get_by_role("region", name=ui_text("review.versions"))
    for who in ("alice", "bob"):
        assert versions.get_by_role(
            "article", name=ui_text("review.versionOf", name=who)
        ).is_visible()
    figures = page.get_by_role("region", name=ui_text("review.documentAgreement"))
    assert ui_text("review.spanF1Exact") in figures.inner_text()
    start, end = extent(PLACE)
    loc = page.locator(f'[data-item="span:{start}:{end}:LOC"]')
    misc = page.locator(f'[data-item="span:{start}:{end}:MISC"]')
    for item, who in ((loc, "alice"), (misc, "bob")):
        assert ui_text("review.disputed") in item.inner_text() and who in item.inner_text()
    agreed = len(EXPECTED) - 1 + 1  # the spans but the place, and the speaker link
    check_screen(page, "id-flow-review", phone=True)

    page.get_by_role("button", name=ui_text("review.acceptAgreed", n=agreed)).click()
    person = page.locator('[data-item="span:{}:{}:PER"]'.format(*extent(PERSON)))
    assert ui_text("review.inGold") in person.inner_text()
    described = {
        label: ui_text("review.describeSpan", label=label, start=start, end=end)
        for label in ("LOC", "MISC")
    }
    loc.get_by_role("button", name=ui_text("review.acceptItem", item=described["LOC"])).click()
    assert ui_text("review.inGold") in loc.inner_text()
    misc.get_by_role("button", name=ui_text("review.rejectItem", item=described["MISC"])).click()
    assert ui_text("review.rejectedState") in misc.inner_text()
    page.get_by_role("button", name=ui_text("review.saveGold")).click()
    saved = f"{ui_text('save.saved')} · {ui_text('review.version', version=1)}"
    page.get_by_role("status").filter(has_text=saved).wait_for()
    check_screen(page, "id-flow-review-saved", phone=True)


def export_and_download(page, worker, fmt: str, tmp_path: Path) -> dict[str, bytes]:
    """Start a gold export of `fmt` on the exports page, wait for Selesai, download it
    through the browser; the zip's files."""
    page.get_by_label(ui_text("table.format")).select_option(fmt)
    page.get_by_label(ui_text("table.scope")).select_option("gold")
    before = set(ExportJob.objects.values_list("pk", flat=True))
    page.get_by_role("button", name=ui_text("table.exportConfirm")).click()
    workers.wait_for(
        lambda: ExportJob.objects.exclude(pk__in=before).exists(), 20, "the export job"
    )
    job = ExportJob.objects.exclude(pk__in=before).get()
    row = page.locator(f'tr[data-job="{job.pk}"]')
    try:
        row.locator(".job-status").filter(has_text=ui_text("exports.done")).wait_for(timeout=90_000)
    except Exception:
        print(worker.log_path.read_text(errors="replace")[-3000:])
        raise
    job.refresh_from_db()
    assert job.status == ExportStatus.SUCCEEDED and job.format == fmt and job.row_count == 1
    with page.expect_download() as download:
        row.get_by_role("link", name=ui_text("exports.download")).click()
    path = tmp_path / download.value.suggested_filename
    download.value.save_as(path)
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def conll_entities(text: str) -> list[tuple[str, str]]:
    """(label, words) of each IOB2 entity in a CoNLL file, in file order."""
    entities: list[tuple[str, list[str]]] = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("-DOCSTART-"):
            continue
        token, tag = line.split()[0], line.split()[-1]
        if tag.startswith("B-"):
            entities.append((tag[2:], [token]))
        elif tag.startswith("I-"):
            assert entities and entities[-1][0] == tag[2:], line
            entities[-1][1].append(token)
    return [(label, " ".join(words)) for label, words in entities]


def test_annotate_review_and_export_in_indonesian(
    cast, live_server, browser, broker, send_to_test_broker, settings, tmp_path
):
    """Two annotators → review → gold → JSONL and CoNLL downloads, all in Indonesian."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"  # where the worker writes its files
    cast.project.annotators_per_document = 2
    cast.project.save()
    doc = DocumentFactory(project=cast.project, text=ARTICLE, title=TITLE, length=len(ARTICLE))
    # Offsets in code points mean something here: an astral emoji precedes the quote.
    assert any(ord(c) > 0xFFFF for c in ARTICLE[: ARTICLE.index(QUOTE)])

    annotate_and_submit(browser, live_server, doc, "alice", alice_labels_with_the_mouse, phone=True)
    annotate_and_submit(browser, live_server, doc, "bob", bob_labels_with_the_keyboard, phone=False)

    with indonesian(browser, live_server, "rita") as page:
        review(page, live_server, doc)
        page.goto(f"{live_server.url}/projects/{doc.project_id}/exports/")
        page.get_by_role("heading", name=ui_text("exports.past")).wait_for()
        check_screen(page, "id-flow-exports")
        with workers.celery_worker(tmp_path, "id-flow", broker) as worker:
            jsonl = export_and_download(page, worker, "jsonl", tmp_path)
            conll = export_and_download(page, worker, "conll", tmp_path)
        check_screen(page, "id-flow-exports-done")

    [line] = jsonl["documents.jsonl"].decode("utf-8").splitlines()
    record = json.loads(line)
    assert record["text"] == ARTICLE
    spans = {(s["start"], s["end"], s["label"]) for s in record["spans"]}
    assert spans == EXPECTED
    assert sorted(record["text"][start:end] for start, end, _ in spans) == sorted(
        [PLACE, ORG, PERSON, QUOTE, SURNAME]
    )
    by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"]}
    [link] = record["relations"]
    assert link["label"] == "SPEAKER"
    assert by_id[link["from"]] == (*extent(QUOTE), "QUOTE")
    assert by_id[link["to"]] == (*extent(SURNAME, after=QUOTE), "PER")

    # CoNLL tags the entities (quotes only when asked), in reading order, word by word.
    assert conll_entities(conll["documents.conll"].decode("utf-8")) == [
        ("LOC", PLACE),
        ("ORG", ORG),
        ("PER", PERSON),
        ("PER", SURNAME),
    ]
