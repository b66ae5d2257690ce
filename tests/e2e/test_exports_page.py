"""The exports page in a real browser.

One test starts a jsonl export from the page and a real Celery worker runs it to
completion (the `broker` fixture and `celery_worker` helper of
tests/test_exports_worker.py). The others drive job rows directly: a running job
whose progress the test moves, and finished/failed rows, so the progress bar and
the result columns are checked without depending on a worker's speed.
"""

from datetime import timedelta

import pytest
from django.utils import timezone

from annotations.models import ExportJob, ExportStatus
from tests import test_exports_worker as workers
from tests.articles import ARTICLE, PERSON
from tests.e2e.conftest import login
from tests.factories import DocumentFactory
from tests.test_export_records import annotate

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Redis db of the test's own (locked among 5-15) and the web side's enqueue pointed at it.
broker = workers.broker
send_to_test_broker = workers.send_to_test_broker


def open_exports(page, live_server, project_id: int) -> None:
    page.goto(f"{live_server.url}/projects/{project_id}/exports/")
    page.get_by_role("heading", name="Past exports").wait_for()


def row(page, job_id: int):
    return page.locator(f'tr[data-job="{job_id}"]')


@pytest.mark.worker
def test_start_a_jsonl_export_and_see_it_complete(
    cast,
    live_server,
    page,
    broker,
    send_to_test_broker,
    settings,
    tmp_path,
):
    """Choose jsonl + gold, start: the row appears, a real worker runs it, the page shows
    Done with rows, size, checksum and a download link that serves the zip."""
    settings.MEDIA_ROOT = tmp_path / "data" / "media"
    for i in range(3):
        doc = DocumentFactory(
            project=cast.project, text=ARTICLE, external_id=f"bus-{i}", length=len(ARTICLE)
        )
        start = ARTICLE.index(PERSON)
        span = {"id": "p", "start": start, "end": start + len(PERSON), "label": "PER"}
        annotate(doc, None, spans=[span])
    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    page.get_by_label("Format").select_option("jsonl")
    page.get_by_label("Scope").select_option("gold")
    with workers.celery_worker(tmp_path, "exports-ui", broker) as worker:
        page.get_by_role("button", name="Start export").click()
        page.locator("tr[data-job]").first.wait_for()
        job = ExportJob.objects.get()
        status = row(page, job.pk).locator(".job-status")
        try:
            status.filter(has_text="Done").wait_for(timeout=60_000)
        except Exception:
            print(worker.log_path.read_text(errors="replace")[-3000:])
            raise
    job.refresh_from_db()
    assert job.status == ExportStatus.SUCCEEDED and job.row_count == 3
    shown = row(page, job.pk).inner_text()
    assert "jsonl · gold" in shown
    assert job.sha256[:12] in shown
    assert job.version == 1 and "v1" in shown and "first" in shown  # the first dataset version
    link = row(page, job.pk).get_by_role("link", name="Download")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.headers["x-checksum-sha256"] == job.sha256
    page.screenshot(path="/tmp/exports-done.png", full_page=True)


def test_progress_bar_moves_while_the_job_runs(cast, live_server, page):
    """A running job's bar and percentage follow the row as the test advances it, then
    the row turns into a finished one with its figures."""
    now = timezone.now()
    job = ExportJob.objects.create(
        project=cast.project,
        requested_by=cast.reviewer,
        format="conll",
        scope="all",
        status=ExportStatus.RUNNING,
        attempt=1,
        started_at=now,
        heartbeat_at=now,
        progress_total=10,
    )
    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    line = row(page, job.pk)
    line.get_by_text("Running 0%").wait_for()
    bar = line.get_by_role("progressbar", name=f"Export {job.pk} progress")

    ExportJob.objects.filter(pk=job.pk).update(progress_done=4, heartbeat_at=timezone.now())
    line.get_by_text("Running 40%").wait_for()
    assert bar.get_attribute("value") == "4"
    assert "4 of 10 documents" in line.inner_text()
    page.screenshot(path="/tmp/exports-running.png", full_page=True)

    ExportJob.objects.filter(pk=job.pk).update(progress_done=9, heartbeat_at=timezone.now())
    line.get_by_text("Running 90%").wait_for()
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportStatus.SUCCEEDED,
        progress_done=10,
        row_count=10,
        size=123_456,
        sha256="ab" * 32,
        warnings=["doc 3: span crosses a token boundary", "doc 7: empty text"],
        finished_at=timezone.now(),
    )
    line.get_by_text("Done").wait_for()
    assert bar.count() == 0
    text = line.inner_text()
    assert "121 KB" in text and "abababababab…" in text
    assert line.locator("summary").inner_text() == "2"
    assert line.get_by_role("link", name="Download").is_visible()


def test_past_jobs_show_errors_and_finished_figures(cast, live_server, page):
    """Failed jobs show their error text; finished ones their rows and warnings count."""
    finished = ExportJob.objects.create(
        project=cast.project,
        format="jsonl",
        status=ExportStatus.SUCCEEDED,
        progress_done=2,
        progress_total=2,
        row_count=2,
        size=2048,
        sha256="0f" * 32,
        finished_at=timezone.now() - timedelta(minutes=5),
    )
    failed = ExportJob.objects.create(
        project=cast.project,
        format="brat",
        scope="agreed",
        status=ExportStatus.FAILED,
        error="FormatError: label 'X Y' has a space",
    )
    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    assert "Failed" in row(page, failed.pk).inner_text()
    assert "label 'X Y' has a space" in row(page, failed.pk).inner_text()
    assert row(page, failed.pk).get_by_role("link", name="Download").count() == 0
    done = row(page, finished.pk)
    done.get_by_text("0", exact=True).wait_for()  # warnings, read from the job's own page
    assert "2.0 KB" in done.inner_text()


def test_bad_split_is_refused_before_sending(cast, live_server, page):
    """Shares that do not add up to 1 are explained on the page; no job is made."""
    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    page.get_by_label("Split into train / dev / test").check()
    page.get_by_label("train", exact=True).fill("0.5")
    page.get_by_role("button", name="Start export").click()
    page.get_by_role("alert").filter(has_text="add up to 0.70").wait_for()
    assert not ExportJob.objects.exists()


def test_export_menu_is_the_registry(cast, live_server, page):
    """The format menu lists exactly the registry's export formats, titled and in its order;
    the scopes are the chosen format's, and its offset note is shown."""
    from annotations.formats.registry import export_formats

    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    menu = page.get_by_label("Format")
    menu.locator("option").first.wait_for(state="attached")
    specs = list(export_formats().values())
    assert menu.locator("option").all_inner_texts() == [f"{s.title} ({s.name})" for s in specs]
    last = specs[-1]
    menu.select_option(last.name)
    scopes = page.get_by_label("Scope").locator("option").evaluate_all("os => os.map(o => o.value)")
    assert scopes == list(last.scopes)
    page.get_by_text(last.offset_note).wait_for()


def test_a_versions_changes_are_shown_with_a_link_to_each_document(
    cast, live_server, page, settings, tmp_path
):
    """Two versions, one document's gold changed between them: opening "Changes since"
    shows the counts and that document, whose link opens its review page."""
    from annotations.services.exports import export_request, export_run

    settings.MEDIA_ROOT = tmp_path / "media"
    docs = []
    for i in range(3):
        doc = DocumentFactory(
            project=cast.project, text=ARTICLE, external_id=f"art-{i}", length=len(ARTICLE)
        )
        start = ARTICLE.index(PERSON)
        annotate(
            doc,
            None,
            spans=[{"id": "p", "start": start, "end": start + len(PERSON), "label": "PER"}],
        )
        docs.append(doc)

    def export() -> ExportJob:
        job = export_request(
            project=cast.project, requested_by=cast.reviewer, format="jsonl", enqueue=False
        )
        export_run(job.pk)
        return ExportJob.objects.get(pk=job.pk)

    first = export()
    start = ARTICLE.index(PERSON)
    gold = cast.client("reviewer")
    url = f"/api/projects/{cast.project.pk}/documents/{docs[1].pk}/gold/"
    version = gold.get(url).json()["version"]
    moved = {"id": "p", "start": start, "end": start + len(PERSON), "label": "ORG"}
    assert gold.put(url, {"version": version, "spans": [moved]}, format="json").status_code == 200
    second = export()
    assert second.previous_id == first.pk and second.version == 2

    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    line = row(page, second.pk)
    assert "v2" in line.inner_text() and f"after #{first.pk}" in line.inner_text()
    line.get_by_text(f"Changes since #{first.pk}").click()
    changed = line.locator('.diff-documents[data-kind="changed"]')
    changed.wait_for()
    assert "1 relabelled" in line.inner_text()
    link = changed.get_by_role("link", name="art-1")
    link.click()
    page.wait_for_url(f"**/projects/{cast.project.pk}/documents/{docs[1].pk}/review/")


def test_export_options_from_the_page(cast, live_server, page):
    """The page sends `include_unannotated` (disabled for scope agreed), `exclude_flagged`
    and, for CoNLL, the span labels to tag: the entities by default, QUOTE when ticked."""
    login(page, live_server, "rita")
    open_exports(page, live_server, cast.project.pk)
    page.get_by_label("Format").select_option("jsonl")
    unannotated = page.get_by_label("Include documents nobody has annotated yet")
    page.get_by_label("Scope").select_option("agreed")
    assert unannotated.is_disabled()
    page.get_by_label("Scope").select_option("gold")
    unannotated.check()
    page.get_by_label("Leave flagged documents out").check()
    page.get_by_role("button", name="Start export").click()
    page.locator("tr[data-job]").first.wait_for()
    job = ExportJob.objects.get()
    assert job.options == {"include_unannotated": True, "exclude_flagged": True}

    page.get_by_label("Leave flagged documents out").uncheck()
    page.get_by_label("Format").select_option("conll")
    tagged = page.locator("fieldset.tagged-labels")
    assert tagged.get_by_label("PER").is_checked()
    assert not tagged.get_by_label("QUOTE").is_checked()
    tagged.get_by_label("QUOTE").check()
    tagged.get_by_label("LOC").uncheck()
    page.get_by_role("button", name="Start export").click()
    page.locator("tr[data-job]").nth(1).wait_for()
    job = ExportJob.objects.latest("pk")
    assert job.format == "conll"
    assert job.options["include_unannotated"] is True
    assert "QUOTE" in job.options["labels"] and "LOC" not in job.options["labels"]
    assert "PER" in job.options["labels"]
