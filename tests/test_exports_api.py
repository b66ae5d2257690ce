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
        ({"colour": "red"}, "options.colour", "include_unannotated, shape, offset_unit"),
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


# --- documents nobody has annotated; the span labels a token format tags --------------------


@pytest.fixture
def unannotated(cast, gold_docs):
    """Beside the three gold documents: one nobody touched, one with a draft only."""
    DocumentFactory(project=cast.project, text="Belum dianotasi.", external_id="n0")
    draft = DocumentFactory(project=cast.project, text="Masih draf.", external_id="n1")
    annotate(draft, cast.annotator, spans=[], status="draft")
    return ["n0", "n1"]


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_include_unannotated_exports_every_document_in_every_format(cast, unannotated, name):
    """With `include_unannotated` every document is exported, in every format, those nobody
    has annotated yet with no annotations; the card says so; without it they are left out."""
    without = run(request_export(cast, format=name))
    assert without["row_count"] == 3
    job = run(request_export(cast, format=name, options={"include_unannotated": True}))
    assert job["status"] == "succeeded", job["error"]
    assert job["row_count"] == 5 and job["progress"] == {"done": 5, "total": 5}
    assert job["options"]["include_unannotated"] is True
    files = unzip(download(cast, job["id"])[1])
    card = files["README.md"].decode()
    assert "Scope: gold (and every document without annotations)" in card
    assert "Documents: 5" in card
    everything = b"".join(files.values())
    # spacy, hf: binary (DocBin, Arrow), checked by their own readers; quotes: a row per
    # quote, so a document without one has no row (the card's count has it)
    if name not in ("spacy", "hf", "quotes"):
        # by text, or (csv holds none) by external id
        texts = b"Belum" in everything and b"draf" in everything
        assert texts or (b'"n0"' in everything and b'"n1"' in everything)


def test_unannotated_documents_carry_no_annotations(cast, unannotated):
    """In JSONL the untouched and the draft-only documents have empty layers, and with
    scope `all` no per-annotator layer (a draft is not exported)."""
    for scope in ("gold", "all"):
        body = {"scope": scope, "options": {"include_unannotated": True}}
        job = run(request_export(cast, format="jsonl", **body))
        files = unzip(download(cast, job["id"])[1])
        lines = [json.loads(line) for line in files["documents.jsonl"].splitlines()]
        by_id = {line["external_id"]: line for line in lines}
        assert list(by_id) == ["g0", "g1", "g2", "n0", "n1"]
        for external_id in unannotated:
            record = by_id[external_id]
            assert (record["spans"], record["relations"], record["document_labels"]) == (
                [],
                [],
                {},
            )
            assert record.get("annotations", []) == []
        assert len(by_id["g0"]["spans"]) == 2


def test_include_unannotated_is_refused_for_the_agreed_scope(cast):
    """Scope `agreed` is about annotations that agree: the option is a 400 naming the scopes
    it applies to, and `false` is accepted anywhere."""
    response = request_export(
        cast, format="jsonl", scope="agreed", options={"include_unannotated": True}
    )
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == ["options.include_unannotated"]
    assert "gold, all" in errors["options.include_unannotated"][0]
    response = request_export(
        cast, format="jsonl", scope="agreed", options={"include_unannotated": False}
    )
    assert response.status_code == 202


def _conll_tags(cast, job) -> list[tuple[str, str]]:
    files = unzip(download(cast, job["id"])[1])
    lines = files["documents.conll"].decode().splitlines()
    return [tuple(line.split()) for line in lines if line and not line.startswith("-DOCSTART-")]


def test_conll_tags_quotes_when_asked(cast, gold_docs):
    """By default CoNLL tags entities only (QUOTE left out); `labels` naming QUOTE tags the
    quote's tokens too, and the job keeps the labels in the project's order."""
    default = run(request_export(cast, format="conll"))
    tags = _conll_tags(cast, default)
    assert not any(tag.endswith("QUOTE") for _, tag in tags)
    assert tags[:3] == [("Jens", "B-PER"), ("Stoltenberg", "I-PER"), ("berkata", "O")]
    job = run(request_export(cast, format="conll", options={"labels": ["QUOTE", "PER"]}))
    assert job["status"] == "succeeded", job["error"]
    assert job["options"] == {"labels": ["PER", "QUOTE"]}
    tags = _conll_tags(cast, job)
    assert tags[:7] == [
        ("Jens", "B-PER"),
        ("Stoltenberg", "I-PER"),
        ("berkata", "O"),
        (":", "O"),
        ("“", "O"),
        ("Kami", "B-QUOTE"),
        ("siap", "I-QUOTE"),
    ]
    assert tags[7] == (",", "O")
    card = unzip(download(cast, job["id"])[1])["README.md"].decode()
    assert "Tagged labels: `PER`, `QUOTE`" in card
    # only QUOTE: the names inside and outside it are not tagged
    job = run(request_export(cast, format="conll", options={"labels": ["QUOTE"]}))
    assert {tag for _, tag in _conll_tags(cast, job)} == {"O", "B-QUOTE", "I-QUOTE"}


def test_conll_overlapping_labels_keep_the_earlier_then_the_longer(cast):
    """A name inside a quote, both asked for: the quote (same start, longer) is tagged, the
    name is left out with a warning that names it."""
    doc = DocumentFactory(project=cast.project, text=TEXT, external_id="o0")
    inner = {"id": "s9", "start": 27, "end": 31, "label": "PER", "attributes": {}}
    annotate(doc, None, spans=[PER, QUOTE, inner])
    job = run(request_export(cast, format="conll", options={"labels": ["PER", "QUOTE"]}))
    assert ("Kami", "B-QUOTE") in _conll_tags(cast, job)
    assert any("'s9'" in w and "overlaps 's3'" in w for w in job["warnings"]), job["warnings"]


@pytest.mark.parametrize(
    ("labels", "words"),
    [
        (["FOO"], "not a span label of this project: FOO; its span labels: PER"),
        (["SPEAKER"], "not a span label of this project: SPEAKER"),  # a relation label
        ([], "a non-empty list of span label names"),
        ("PER", "a non-empty list of span label names"),
        ([1], "a non-empty list of span label names"),
    ],
)
def test_bad_conll_labels_name_what_is_allowed(cast, labels, words):
    """`labels` must list the project's span labels: else a 400 at `options.labels`."""
    response = request_export(cast, format="conll", options={"labels": labels})
    errors = error_body(response, 400, "invalid")["errors"]
    assert list(errors) == ["options.labels"]
    assert words in errors["options.labels"][0]
    assert not ExportJob.objects.exists()


def test_labels_are_an_option_of_token_formats_only(cast):
    """JSONL carries every span already: `labels` is an unknown option there; the format
    list says which formats take it and which scopes `include_unannotated` widens."""
    response = request_export(cast, format="jsonl", options={"labels": ["PER"]})
    errors = error_body(response, 400, "invalid")["errors"]
    assert "exclude_flagged, include_unannotated" in errors["options.labels"][0]
    formats = {f["name"]: f for f in cast.client("annotator").get("/api/formats/").json()}
    assert formats["conll"]["export"]["span_labels"] is True
    assert formats["spacy"]["export"]["span_labels"] is True
    assert formats["jsonl"]["export"]["span_labels"] is False
    assert formats["jsonl"]["export"]["unannotated_scopes"] == ["gold", "all"]


def test_export_dataset_command_takes_unannotated_and_labels(cast, unannotated, tmp_path):
    """The command's `--include-unannotated` and `--labels` are the API's options."""
    out = tmp_path / "out.zip"
    call_command(
        "export_dataset",
        str(cast.project.pk),
        "--format",
        "conll",
        "--include-unannotated",
        "--labels",
        "PER,QUOTE",
        "--output",
        str(out),
    )
    files = unzip(out.read_bytes())
    text = files["documents.conll"].decode()
    assert "Kami B-QUOTE" in text and "Belum O" in text
