"""The team dashboard in a real browser, in English and Indonesian.

On the seeded project of tests/test_dashboard.py (two annotators over two days), every
figure the page shows equals the API's, the times read as the hand-worked medians, and every
linked figure opens a documents table whose count is that figure. Screenshots at the phone
and laptop sizes, axe-core on each, no English left on the Indonesian page.
"""

from urllib.parse import urlsplit

import pytest

from tests.e2e.conftest import login
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.factories import make_project
from tests.test_dashboard import PERIOD, clock, seeded  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The medians worked by hand from tests/test_dashboard.py's seed (idle 600 s gap left out):
# alice 120 s and 220 s for 4 and 2 spans → 170 s, 70 s a span; bob 110, 30 and 20 s for
# 2, 2 and 1 spans → 30 s, 20 s a span; the team 110 s a document and 30 s a span.
TIMES = {
    "en": {
        "alice": ("2 min 50 s", "1 min 10 s"),
        "bob": ("30 s", "20 s"),
        "": ("1 min 50 s", "30 s"),
    },
    "id": {
        "alice": ("2 mnt 50 dtk", "1 mnt 10 dtk"),
        "bob": ("30 dtk", "20 dtk"),
        "": ("1 mnt 50 dtk", "30 dtk"),
    },
}
HAND_WORKED = {"alice": (170, 70), "bob": (30, 20)}
TEAM = (110, 30)


@pytest.fixture(params=sorted(LOCALES))
def lang(request) -> str:
    return request.param


@pytest.fixture
def context(browser, lang):
    ctx = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES[lang])
    yield ctx
    ctx.close()


def open_dashboard(page, live_server, project_id: int, query: str = PERIOD) -> dict:
    """The page for the period, and the API's figures for the same period."""
    page.goto(f"{live_server.url}/projects/{project_id}/dashboard/?{query}")
    page.locator("main h1").wait_for()
    response = page.request.get(f"{live_server.url}/api/projects/{project_id}/dashboard/?{query}")
    assert response.ok, response.text()
    return response.json()


def cell(page, figure: str, row: str, column: str | None = None) -> str:
    table = page.locator(f'table[data-figure="{figure}"]')
    located = table.locator(f"tr[{row}]")
    if column is not None:
        located = located.locator(f'td[data-column="{column}"]')
    else:
        located = located.locator("td")
    return located.inner_text().strip()


def share(value: float, lang: str) -> str:
    text = f"{value:.2f}"
    return text.replace(".", ",") if lang == "id" else text


def test_every_figure_is_the_apis_and_opens_its_documents(cast, seeded, live_server, page, lang):  # noqa: F811
    """States, progress, times, throughput, labels and agreement as the API says; each linked
    figure is the count of the documents its link lists."""
    login(page, live_server, "rita")
    figures = open_dashboard(page, live_server, cast.project.pk)
    page.locator('table[data-figure="agreement"]').wait_for()

    for state, n in figures["documents"]["by_state"].items():
        assert cell(page, "states", f'data-state="{state}"') == str(n), state
    for member in figures["annotators"]:
        row = f'data-annotator="{member["username"]}"'
        for column in ("assigned", "in_progress", "submitted", "skipped"):
            assert cell(page, "progress", row, column) == str(member[column]), (row, column)
        assert cell(page, "time", row, "timed") == str(member["timed"])
        expected_doc, expected_span = HAND_WORKED[member["username"]]
        assert member["seconds_per_document"] == pytest.approx(expected_doc, abs=0.01)
        assert member["seconds_per_span"] == pytest.approx(expected_span, abs=0.01)
        per_doc, per_span = TIMES[lang][member["username"]]
        assert cell(page, "time", row, "seconds_per_document") == per_doc
        assert cell(page, "time", row, "seconds_per_span") == per_span
    team = figures["team"]
    assert (team["seconds_per_document"], team["seconds_per_span"]) == pytest.approx(TEAM)
    assert cell(page, "time", 'data-annotator=""', "seconds_per_document") == TIMES[lang][""][0]
    assert cell(page, "time", 'data-annotator=""', "seconds_per_span") == TIMES[lang][""][1]

    busy = [row for row in figures["throughput"] if row["total"]]
    assert page.locator('table[data-figure="throughput"] tbody tr').count() == len(busy)
    for bucket in busy:
        row = f'data-bucket="{bucket["start"]}"'
        assert cell(page, "throughput", row, "total") == str(bucket["total"])
        for name, n in bucket["by_annotator"].items():
            assert cell(page, "throughput", row, name) == str(n)
    for label in figures["labels"]:
        row = f'data-label="{label["name"]}"'
        assert cell(page, "labels", row, "spans") == str(label["spans"])
        assert cell(page, "labels", row, "documents") == str(label["documents"])
    compared = [row for row in figures["agreement"] if row["documents"]]
    assert compared
    for bucket in compared:
        row = f'data-bucket="{bucket["start"]}"'
        assert cell(page, "agreement", row, "documents") == str(bucket["documents"])
        assert cell(page, "agreement", row, "span_f1") == share(bucket["span_f1"], lang)

    # Every linked figure counts the documents its link lists; the team's figures count
    # submissions (two annotators' on one document), so their links list fewer documents.
    checked = 0
    for link in page.locator("table[data-figure] td a").all():
        if link.locator("xpath=..").get_attribute("data-counts") == "submissions":
            continue
        href = urlsplit(link.get_attribute("href"))
        assert href.path == f"/projects/{cast.project.pk}/documents/"
        listed = page.request.get(f"{live_server.url}/api{href.path}?{href.query}")
        assert listed.ok, (href, listed.text())
        assert listed.json()["count"] == int(link.inner_text()), href.query
        checked += 1
    assert checked >= 25

    if lang == "id":
        assert english_on_page(page) == []
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        page.wait_for_timeout(300)  # charts redraw at the new size
        check_page(page, f"dashboard-{lang}-{size}")


def test_an_empty_project_says_what_to_do_first(cast, live_server, page, lang):
    """No documents: the page says so and links to the upload in Settings."""
    empty = make_project(admin=cast.admin, name="Kosong")
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{empty.pk}/dashboard/")
    page.locator(".empty-state").wait_for()
    link = page.locator(".empty-state a")
    assert link.get_attribute("href") == f"/projects/{empty.pk}/settings/"
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        check_page(page, f"dashboard-empty-{lang}-{size}")
    if lang == "id":
        assert english_on_page(page) == []


def test_an_annotator_is_told_the_dashboard_is_not_theirs(cast, live_server, page, lang):
    """An annotator gets the API's refusal as a message, not a blank page."""
    login(page, live_server, "alice")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/dashboard/")
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "dashboard" in alert.inner_text().lower() or "dasbor" in alert.inner_text().lower()
