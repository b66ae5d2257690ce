"""The documents table in a real browser, in English and Indonesian: a dashboard figure opens
the documents behind it, filters and sorting live in the address, and an admin assigns,
resets and exports a selection; the database confirms what the page says."""

import pytest
from playwright.sync_api import expect

from annotations.models import Assignment, ExportJob
from tests.e2e.conftest import login
from tests.e2e.pages import LOCALES, VIEWPORTS, check_page, english_on_page
from tests.test_dashboard import PERIOD, clock, seeded  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=sorted(LOCALES))
def lang(request) -> str:
    return request.param


@pytest.fixture
def context(browser, lang):
    ctx = browser.new_context(viewport=VIEWPORTS["laptop"], locale=LOCALES[lang])
    yield ctx
    ctx.close()


def rows(page) -> list[int]:
    page.locator("table.docs-table").wait_for()
    return [int(r.get_attribute("data-document")) for r in page.locator("tbody tr").all()]


def api_ids(page, live_server, project_id: int, query: str) -> list[int]:
    response = page.request.get(f"{live_server.url}/api/projects/{project_id}/documents/?{query}")
    assert response.ok, response.text()
    return [row["id"] for row in response.json()["results"]]


def test_a_dashboard_figure_opens_its_documents(cast, seeded, live_server, page, lang):  # noqa: F811
    """alice's "skipped" count on the dashboard opens the table with that filter: the rows
    are the API's for it, and each row says where the document stands."""
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/dashboard/?{PERIOD}")
    link = page.locator(
        'table[data-figure="progress"] tr[data-annotator="alice"] td[data-column="skipped"] a'
    )
    assert link.inner_text() == "1"
    link.click()
    page.wait_for_url("**/documents/?annotator=alice&annotator_status=skipped")
    assert (
        rows(page)
        == api_ids(page, live_server, cast.project.pk, "annotator=alice&annotator_status=skipped")
        == [seeded[3].pk]
    )
    # The form shows the filter it came with, and the state column reads "k of n".
    assert page.locator("select").nth(1).input_value() == "alice"
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/?state=annotated")
    state = page.locator(f'tr[data-document="{seeded[2].pk}"] td[data-column="state"]')
    assert state.inner_text() == ("Teranotasi: 1 dari 2" if lang == "id" else "Annotated: 1 of 2")
    if lang == "id":
        assert english_on_page(page) == []
    for size, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        check_page(page, f"documents-{lang}-{size}")


def test_filters_and_sorting_live_in_the_address(cast, seeded, live_server, page, lang):  # noqa: F811
    """Choosing a state, a label and an order changes the address and the rows to the
    API's for the same query; Back returns to the previous rows."""
    login(page, live_server, "rita")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/")
    everything = rows(page)
    assert everything == api_ids(page, live_server, cast.project.pk, "")
    page.locator("select").first.select_option("in_progress")
    page.wait_for_url("**/documents/?state=in_progress")
    expect(page.locator("tbody tr")).to_have_count(3)
    assert rows(page) == api_ids(page, live_server, cast.project.pk, "state=in_progress")
    page.go_back()
    expect(page.locator("tbody tr")).to_have_count(len(everything))
    page.locator("th[data-sort=last_submitted_at] button").click()  # ascending
    page.wait_for_url("**/documents/?ordering=last_submitted_at")
    page.locator("th[data-sort=last_submitted_at] button").click()
    page.wait_for_url("**/documents/?ordering=-last_submitted_at")
    page.locator("th[aria-sort=descending]").wait_for()
    expected = api_ids(page, live_server, cast.project.pk, "ordering=-last_submitted_at")
    expect(page.locator("tbody tr").first).to_have_attribute("data-document", str(expected[0]))
    assert rows(page) == expected


def test_an_admin_assigns_resets_and_exports_a_selection(cast, seeded, live_server, page, lang):  # noqa: F811
    """Two new-ish documents picked by hand, assigned to bob; then reset (after a
    confirmation); then the two exported: each step as the database sees it."""
    login(page, live_server, "adam")
    page.goto(f"{live_server.url}/projects/{cast.project.pk}/documents/?state=in_progress")
    picked = rows(page)[:2]
    for pk in picked:
        page.locator(f'tr[data-document="{pk}"] input[type=checkbox]').check()
    bar = page.locator(".bulk-bar")
    bar.locator("button").nth(0).click()  # assign
    dialog = page.get_by_role("dialog")
    dialog.locator('input[value="bob"]').check()
    dialog.locator("button[type=submit]").click()
    bar.locator('[aria-live="polite"]').filter(has_text="2").wait_for()
    assert set(
        Assignment.objects.filter(annotator=cast.teammate, document_id__in=picked).values_list(
            "document_id", flat=True
        )
    ) == set(picked)

    for pk in picked:
        page.locator(f'tr[data-document="{pk}"] input[type=checkbox]').check()
    bar.locator("button").nth(1).click()  # reset
    confirm = page.get_by_role("alertdialog")
    confirm.wait_for()
    check_page(page, f"documents-reset-confirm-{lang}")
    confirm.locator("button.danger").click()
    confirm.wait_for(state="detached")
    assert (
        not Assignment.objects.filter(document_id__in=picked)
        .exclude(
            annotator__annotations__document_id__in=picked,
            annotator__annotations__status="submitted",
        )
        .exists()
    )

    for pk in picked:
        page.locator(f'tr[data-document="{pk}"] input[type=checkbox]').check()
    bar.locator("button").nth(2).click()  # export
    export = page.get_by_role("dialog")
    export.locator('select[name="format"] option[value="jsonl"]').wait_for(state="attached")
    export.locator('select[name="scope"]').select_option("all")
    export.locator("button[type=submit]").click()
    page.wait_for_url(f"**/projects/{cast.project.pk}/exports/")
    job = ExportJob.objects.get()
    assert job.documents == sorted(picked) and job.scope == "all"
