"""Export API: requesting, following and downloading export jobs; the runner in-process."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from annotations.formats import FORMATS
from annotations.models import ExportJob
from annotations.services.export_lease import EXPORT_TASK
from annotations.services.exports import export_request, export_run
from tests.conftest import api, error_body
from tests.factories import DocumentFactory
from tests.test_export_records import PER, QUOTE, SPEAKER, TEXT, annotate
from workbench.celery import app


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def gold_docs(cast):
    docs = []
    for i in range(3):
        doc = DocumentFactory(project=cast.project, text=TEXT, external_id=f"g{i}")
        annotate(
            doc, None, spans=[PER, QUOTE], relations=[SPEAKER], labels={"sentiment": "neutral"}
        )
        annotate(doc, cast.annotator, spans=[PER, QUOTE], relations=[SPEAKER])
        annotate(doc, cast.teammate, spans=[PER])
        docs.append(doc)
    return docs


def request_export(cast, who="reviewer", **body):
    return cast.client(who).post(api(cast.project.pk, "exports/"), body, format="json")


def run(response) -> dict:
    """Run the requested job in-process (no broker) and return its API representation."""
    job_id = response.json()["id"]
    export_run(job_id)
    return response.client.get(f"/api/exports/{job_id}/").json()


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def download(cast, job_id: int, who: str = "reviewer"):
    response = cast.client(who).get(f"/api/exports/{job_id}/download/")
    body = b"".join(response.streaming_content) if response.status_code == 200 else b""
    return response, body


def test_reviewer_requests_export_and_it_is_queued_after_commit(
    cast, gold_docs, django_capture_on_commit_callbacks, monkeypatch
):
    """POST answers 202 with a pending job and queues its id only once the row is committed."""
    sent = []

    def send_task(name: str, args: list) -> None:
        assert name == EXPORT_TASK
        sent.extend(args)

    monkeypatch.setattr(app, "send_task", send_task)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = request_export(cast, format="jsonl")
    assert response.status_code == 202
    job = response.json()
    assert job["status"] == "pending" and job["scope"] == "gold" and job["download_url"] is None
    assert response["Location"].endswith(f"/api/exports/{job['id']}/")
    assert sent == []
    for callback in callbacks:
        callback()
    assert sent == [job["id"]]


@pytest.mark.parametrize(
    ("who", "expected"), [("admin", 202), ("annotator", 403), ("outsider", 404), (None, 403)]
)
def test_who_may_request_an_export(cast, who, expected):
    """Admins and reviewers may export; annotators get 403, non-members 404."""
    assert request_export(cast, who, format="jsonl").status_code == expected


@pytest.mark.parametrize(
    ("body", "field", "words"),
    [
        ({"format": "xml"}, "format", "allowed: brat, conll, csv, doccano, hf, jsonl"),
        ({"format": "jsonl", "scope": "mine"}, "scope", "allowed: agreed, all, gold"),
        ({"format": "jsonl", "split": {"train": 0.9, "test": 0.2}}, "split", "sum to 1"),
        ({"format": "jsonl", "split": {"train": 1.2, "test": -0.2}}, "split", "non-negative"),
        ({"format": "jsonl", "split": {"../x": 1}}, "split", "split name"),
        ({"format": "jsonl", "split": [0.8, 0.2]}, "split", "object"),
    ],
)
def test_bad_requests_name_what_is_allowed(cast, body, field, words):
    """Unknown format or scope and bad splits are 400s that say what would be accepted."""
    response = request_export(cast, **body)
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not ExportJob.objects.exists()


def test_jsonl_export_runs_and_downloads(cast, gold_docs):
    """A finished job reports rows, size, checksum and a URL; the zip holds the data and a
    dataset card listing the data file's checksum."""
    job = run(request_export(cast, format="jsonl", split={"test": 0.2, "train": 0.8}))
    assert job["status"] == "succeeded", job["error"]
    assert job["progress"] == {"done": 3, "total": 3}
    assert job["row_count"] == 3 and job["attempt"] == 1
    assert job["split"] == {"train": 0.8, "test": 0.2}
    assert job["download_url"].endswith(f"/api/exports/{job['id']}/download/")
    assert job["file_name"] == f"tribun-jsonl-gold-{job['id']}.zip"
    response, body = download(cast, job["id"])
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert f'filename="tribun-jsonl-gold-{job["id"]}.zip"' in response["Content-Disposition"]
    assert len(body) == job["size"] and hashlib.sha256(body).hexdigest() == job["sha256"]
    files = unzip(body)
    assert sorted(files) == ["README.md", "documents.jsonl"]
    lines = [json.loads(line) for line in files["documents.jsonl"].splitlines()]
    assert [r["external_id"] for r in lines] == ["g0", "g1", "g2"]
    assert {r["split"] for r in lines} <= {"train", "test"}
    card = files["README.md"].decode()
    assert hashlib.sha256(files["documents.jsonl"]).hexdigest() in card
    assert "# Tribun" in card and "Scope: gold" in card and "Tool version: 0.1.0" in card
    assert "span F1, exact match (micro)" in card  # alice and bob annotated every document
    assert "- alice" in card and "- bob" in card


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_every_format_exports_a_zip_with_a_dataset_card(cast, gold_docs, name):
    """Every format's download is a zip with README.md beside the data."""
    job = run(request_export(cast, format=name, scope="all"))
    assert job["status"] == "succeeded", job["error"]
    files = unzip(download(cast, job["id"])[1])
    assert "README.md" in files
    assert len(files) >= 2
    assert f"Format: `{name}`" in files["README.md"].decode()


def test_agreed_scope_export(cast, gold_docs):
    """Scope agreed exports nothing when every document has gold, and says so in counts."""
    job = run(request_export(cast, format="jsonl", scope="agreed"))
    assert job["status"] == "succeeded" and job["row_count"] == 0


@pytest.mark.parametrize(("who", "expected"), [("annotator", 403), ("outsider", 404), (None, 403)])
def test_only_members_who_see_everyones_work_read_jobs(cast, gold_docs, who, expected):
    """Non-members get 404 for a job and its file even knowing the id; blind annotators 403."""
    job = run(request_export(cast, format="jsonl"))
    client = cast.client(who)
    assert client.get(f"/api/exports/{job['id']}/").status_code == expected
    assert client.get(f"/api/exports/{job['id']}/download/").status_code == expected
    assert client.get(api(cast.project.pk, "exports/")).status_code == expected


def test_annotators_read_jobs_when_the_project_is_open(cast, gold_docs):
    """When annotators may see each other's work, they may download exports too."""
    cast.project.annotators_see_each_other = True
    cast.project.save()
    job = run(request_export(cast, format="jsonl"))
    assert download(cast, job["id"], "annotator")[0].status_code == 200
    assert request_export(cast, "annotator", format="jsonl").status_code == 403


def test_unknown_job_is_404_and_unfinished_job_has_no_download(cast):
    """A missing job is 404; a pending one has no file to download yet."""
    assert cast.client("reviewer").get("/api/exports/999999/").status_code == 404
    job = request_export(cast, format="jsonl").json()
    assert download(cast, job["id"])[0].status_code == 404


def test_list_is_paginated_newest_first_in_constant_queries(cast, gold_docs):
    """Listing costs the same queries for 2 jobs as for 6: membership, project, count, page."""
    for _ in range(2):
        request_export(cast, format="jsonl")
    url = api(cast.project.pk, "exports/")
    client = cast.client("reviewer")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).json()["count"] == 2
    for _ in range(4):
        request_export(cast, format="csv")
    with CaptureQueriesContext(connection) as many:
        body = client.get(url).json()
    assert body["count"] == 6 and len(few) == len(many)
    assert [job["format"] for job in body["results"]][:4] == ["csv"] * 4
    assert "warnings" not in body["results"][0]
    assert client.get(url + "?page_size=2").json()["next"]


def test_failed_export_records_the_reason(cast, gold_docs, monkeypatch):
    """A writer error fails the job with the error's text; nothing is stored."""

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("annotations.services.exports.record_batches", broken)
    job = run(request_export(cast, format="jsonl"))
    assert job["status"] == "failed" and job["error"] == "RuntimeError: disk full"
    assert job["download_url"] is None


def test_export_dataset_command_runs_the_same_export(cast, gold_docs, tmp_path):
    """The management command runs the runner synchronously and writes the zip to --output."""
    output = tmp_path / "out" / "berita.zip"
    out = io.StringIO()
    call_command(
        "export_dataset",
        str(cast.project.pk),
        "--format=jsonl",
        "--scope=all",
        f"--output={output}",
        "--split=train=0.8,dev=0.1,test=0.1",
        stdout=out,
    )
    job = ExportJob.objects.get()
    assert job.status == "succeeded" and job.requested_by is None
    data = output.read_bytes()
    assert hashlib.sha256(data).hexdigest() == job.sha256
    assert job.sha256 in out.getvalue()
    lines = [json.loads(x) for x in unzip(data)["documents.jsonl"].splitlines()]
    assert len(lines) == 3 and all("annotations" in r and "split" in r for r in lines)


def test_export_dataset_command_rejects_bad_arguments(cast, tmp_path):
    """Bad format, scope or split ends the command with the allowed values, no job left."""
    from django.core.management.base import CommandError

    for args, words in (
        (["--format=xml"], "format: unknown format 'xml'; allowed: brat,"),
        (["--format=jsonl", "--split=train=0.5"], "split: ratios must sum to 1, not 0.5"),
    ):
        with pytest.raises(CommandError, match=words):
            call_command(
                "export_dataset", str(cast.project.pk), *args, f"--output={tmp_path / 'x.zip'}"
            )
    with pytest.raises(CommandError, match="No project"):
        call_command("export_dataset", "999999", "--format=jsonl", f"--output={tmp_path}/y.zip")
    assert not ExportJob.objects.exists()


def test_export_request_service_validates_and_orders_split(cast):
    """The service stores the split in train, dev, test order whatever order it was given."""
    job = export_request(
        project=cast.project,
        requested_by=cast.admin,
        format="jsonl",
        split={"test": 0.1, "dev": 0.1, "train": 0.8},
        enqueue=False,
    )
    assert list(job.split) == ["train", "dev", "test"]


def test_card_agreement_is_computed_over_a_bounded_sample(cast, gold_docs, settings):
    """On big projects the card's agreement covers the first documents only, and says so."""
    settings.EXPORT_AGREEMENT_MAX_DOCUMENTS = 2
    job = run(request_export(cast, format="jsonl"))
    card = unzip(download(cast, job["id"])[1])["README.md"].decode()
    assert "2 of 3 (the first, by import order)" in card


@pytest.mark.parametrize(
    ("options", "field", "words"),
    [
        ({"shape": "table"}, "options.shape", "allowed: relation, label"),
        ({"offset_unit": "bytes"}, "options.offset_unit", "allowed: utf16, code_point, grapheme"),
        ({"colour": "red"}, "options.colour", "exclude_flagged, shape, offset_unit"),
        (["label"], "options", "must be an object"),
    ],
)
def test_bad_export_options_name_what_is_allowed(cast, options, field, words):
    """An option the format does not have, or a value it does not take, is a 400 keyed by
    the option's path; no job is made."""
    response = request_export(cast, format="doccano", options=options)
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == [field]
    assert words in errors[field][0]
    assert not ExportJob.objects.exists()


def test_doccano_label_shape_in_graphemes_through_the_api(cast, gold_docs):
    """`options` pick doccano's label shape and grapheme offsets; the job keeps them (defaults
    filled in) and the card says which doccano project and import option to use."""
    response = request_export(cast, format="doccano", options={"shape": "label"})
    assert response.json()["options"] == {"shape": "label", "offset_unit": "utf16"}
    job = run(request_export(cast, format="doccano", options={"offset_unit": "grapheme"}))
    assert job["status"] == "succeeded", job["error"]
    assert job["options"] == {"shape": "relation", "offset_unit": "grapheme"}
    job = run(request_export(cast, format="doccano", options={"shape": "label"}))
    files = unzip(download(cast, job["id"])[1])
    line = json.loads(files["documents.jsonl"].decode().splitlines()[0])
    assert set(line) == {"id", "external_id", "text", "label", "cats"}
    assert all(len(item) == 3 for item in line["label"])
    card = files["README.md"].decode()
    assert "## Using this export" in card
    assert "with the option **JSONL**, column data `text`, column label `label`" in card
    assert "doccano cannot carry relations" in card


def test_export_options_are_per_format(cast, gold_docs):
    """A format without options refuses any, and gets `{}` when none are sent."""
    response = request_export(cast, format="jsonl", options={"shape": "label"})
    assert list(error_body(response, 400, "invalid")["errors"]) == ["options.shape"]
    assert request_export(cast, format="jsonl").json()["options"] == {}
