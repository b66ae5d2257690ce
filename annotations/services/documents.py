"""Writes to documents: imports (API objects, uploads) and edits.

An import is one transaction: every record is checked, and one bad record
stores nothing. Records are inserted in batches as they are parsed, so memory
stays bounded by the batch, not by the file.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import uuid
import zipfile
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import PurePath
from typing import IO, Any, Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from annotations.errors import Conflict, ImportFailed, Invalid, PayloadTooLarge
from annotations.formats import (
    ALIASES,
    FORMATS,
    FormatError,
    FormatSpec,
    ReadLimits,
    ReadOptions,
    TooLarge,
    format_for_upload,
    import_formats,
)
from annotations.formats.doccano import UnitUnclear
from annotations.formats.jsonl import KEY_ORDER
from annotations.formats.layers import (
    CONTENT,
    IMPORT_SOURCE,
    LAYERS,
    Layering,
    LayerProblem,
    assign_layers,
    unmapped,
)
from annotations.formats.reading import unstorable
from annotations.models import (
    Annotation,
    AnnotationEvent,
    AnnotationStatus,
    Document,
    Project,
    Role,
    SuggestionSet,
    SuggestionStatus,
)
from annotations.selectors.annotations import annotation_of
from annotations.selectors.exports import project_schema
from annotations.selectors.projects import document_is_annotated
from annotations.selectors.suggestions import suggester_project
from annotations.services import checks, work_state
from annotations.services.annotating import annotation_replace, write_contents
from annotations.services.people import account_create, member_add, user_by_name_or_email
from annotations.services.suggestions import suggestions_request
from annotations.services.uploads import upload_discard, upload_record, upload_store
from annotations.suggesting.payload import payload_fit
from annotations.validation import LabelSet, chain_names, validate_content

# The native record's keys, as the jsonl format writes them, plus an optional id.
# `suggestions`: a model's output uploaded with the document (spans, relations, document
# labels, each item with an optional score), stored as its suggestions (source `import`).
NATIVE_KEYS = {*KEY_ORDER, "id", "suggestions"}

BATCH = 1_000
# What an upload's `as` may say (`formats.layers`).
IMPORT_LAYERS = LAYERS
# What an upload does with an annotator who is no member (`annotators`), and with a document
# whose external id it repeats or the project has (`duplicates`); the first is the default.
ANNOTATOR_CHOICES = ("map", "create", "suggestions")
DUPLICATE_CHOICES = ("error", "skip", "update")


def _empty_content(key: str) -> Any:
    return {} if key == "document_labels" else []


MAX_REPORTED_ERRORS = 50
# Where a record came from, which decides how its errors are keyed: a file's line
# (`lines.3.text`), an item of a JSON array (`2.text`), or a single JSON object (`text`).
Origin = Literal["file", "array", "object"]
MAX_TITLE = 500
MAX_EXTERNAL_ID = 200


@dataclasses.dataclass
class Imported:
    """What an import stored: the documents' ids, in order, and the first document."""

    ids: list[int] = dataclasses.field(default_factory=list)
    first: Document | None = None
    # Repeated documents (`duplicates`): external ids skipped, and those updated in place.
    skipped: list[str] = dataclasses.field(default_factory=list)
    updated: list[str] = dataclasses.field(default_factory=list)
    # Annotators: foreign name -> member, accounts made, existing accounts made members,
    # and those whose work became suggestions (`annotators`).
    mapped: dict[str, str] = dataclasses.field(default_factory=dict)
    accounts_created: list[str] = dataclasses.field(default_factory=list)
    members_added: list[str] = dataclasses.field(default_factory=list)
    suggested_from: list[str] = dataclasses.field(default_factory=list)
    # Documents given suggestions (`as=suggestions`), and suggested items that did not fit.
    suggested: int = 0
    suggestions_dropped: int = 0


def _suggestions_errors(suggestions: Any) -> list[tuple[str, str]]:
    """The shape of a record's `suggestions`; items that do not fit the project are dropped
    (and counted) when stored, like any suggester's."""
    if suggestions is None:
        return []
    if not isinstance(suggestions, dict):
        return [("suggestions", "must be an object with spans, relations, document_labels")]
    problems = []
    for key, kind in (("spans", list), ("relations", list), ("document_labels", dict)):
        value = suggestions.get(key, kind())
        if not isinstance(value, kind):
            noun = "a list" if kind is list else "an object"
            problems.append((f"suggestions.{key}", f"must be {noun}"))
        elif kind is list and not all(isinstance(item, dict) for item in value):
            problems.append((f"suggestions.{key}", "must be a list of objects"))
    return problems


def _uploaded_suggestions(record: dict[str, Any]) -> dict[str, Any]:
    """One suggestion answer from the upload's layers (`as=suggestions`) and the record's own
    `suggestions` key; the key's ids are kept apart from the layers' with a prefix."""
    layers = record.get("_suggestions") or {}
    own = record.get("suggestions") or {}
    if not layers:
        return own
    if not own:
        return layers
    spans = [{**s, "id": f"own-{s.get('id', n)}"} for n, s in enumerate(own.get("spans", []))]
    relations = [
        {**r, "from": f"own-{r.get('from')}", "to": f"own-{r.get('to')}"}
        for r in own.get("relations", [])
    ]
    return {
        "spans": [*layers.get("spans", []), *spans],
        "relations": [*layers.get("relations", []), *relations],
        "document_labels": {**own.get("document_labels", {}), **layers.get("document_labels", {})},
    }


def _record_errors(record: dict[str, Any]) -> list[tuple[str, str]]:
    """(field, message) pairs for a record's document fields."""
    problems = []
    unknown = set(record) - NATIVE_KEYS - {"_line", "_suggestions"}
    if unknown:
        problems.append((sorted(unknown)[0], "unknown field"))
    text = record.get("text")
    if not isinstance(text, str) or not text:
        problems.append(("text", "required: a non-empty string"))
    title = record.get("title", "")
    if not isinstance(title, str) or len(title) > MAX_TITLE:
        problems.append(("title", f"must be a string of at most {MAX_TITLE} characters"))
    external_id = record.get("external_id")
    if external_id is not None and (
        not isinstance(external_id, str) or not external_id or len(external_id) > MAX_EXTERNAL_ID
    ):
        problems.append(("external_id", f"must be a string of 1 to {MAX_EXTERNAL_ID} characters"))
    if not isinstance(record.get("meta", {}), dict):
        problems.append(("meta", "must be an object"))
    problems += _suggestions_errors(record.get("suggestions"))
    if not isinstance(record.get("annotations", []), list):
        problems.append(("annotations", "must be a list"))
    return problems


class _Importer:
    """Checks records and inserts them batch by batch inside the caller's transaction."""

    def __init__(
        self,
        project: Project,
        actor: User,
        origin: Origin,
        *,
        duplicates: str = "error",
        create_annotators: bool = False,
    ):
        self.project = project
        self.actor = actor
        self.origin = origin
        self.duplicates = duplicates
        self.create_annotators = create_annotators
        # Records that update a document already stored (`duplicates=update`), applied once
        # every new document is in.
        self.updates: list[dict[str, Any]] = []
        self.labels = LabelSet.from_rows(project.labels.all())
        self.members = {m.user.username: m.user for m in project.memberships.select_related("user")}
        self.seen_ids: set[str] = set()
        self.errors: dict[str, list[str]] = {}
        self.error_count = 0
        # Ids only: keeping the documents would keep every text of the file in memory.
        self.imported = Imported()
        # Documents this import may add; the caller holds the project's row lock.
        self.room = settings.PROJECT_MAX_DOCUMENTS - project.documents.count()
        self.read = 0

    def error(self, line: int | None, field: str | None, message: str) -> None:
        if self.error_count < MAX_REPORTED_ERRORS:
            self.errors.setdefault(self.path(line, field), []).append(message)
        self.error_count += 1

    def path(self, line: int | None, field: str | None) -> str:
        """The error key of a record's field (see `Origin`)."""
        if self.origin == "file":
            record = f"lines.{line}"
        else:
            record = str((line or 1) - 1) if self.origin == "array" else ""
        parts = [part for part in (record, field) if part]
        return ".".join(parts) or "non_field_errors"

    def run(self, records: Iterable[dict[str, Any]]) -> Imported:
        iterator: Iterator[dict[str, Any]] = iter(records)
        while batch := list(islice(iterator, BATCH)):
            checked = [r for r in batch if self.check(r)]
            checked = self.check_existing_ids(checked)
            if not self.errors and checked:
                self.insert(checked)
            if self.error_count >= MAX_REPORTED_ERRORS:
                break  # enough to fix; reading on would only cost time
        if not self.errors:
            for record in self.updates:
                self.update(record)
        if self.errors:
            raise ImportFailed(self.errors)
        return self.imported

    def check(self, record: dict[str, Any]) -> bool:
        line = record.get("_line")
        self.check_limits(record, line)
        problems = _record_errors(record)
        for field, message in problems:
            self.error(line, field, message)
        if problems:
            return False
        # Any reader's values, not only ours: PostgreSQL stores no NUL or lone surrogate.
        if problem := unstorable(record):
            self.error(line, problem[0] or None, problem[1])
            return False
        external_id = record.get("external_id") or uuid.uuid4().hex[:16]
        record["external_id"] = external_id
        repeated = external_id in self.seen_ids
        if repeated and self.duplicates == "skip":
            self.imported.skipped.append(external_id)
            return False
        if repeated and self.duplicates == "error":
            message = (
                f"duplicate external_id {external_id!r} in this import (send duplicates=skip "
                "or duplicates=update)"
            )
            self.error(line, "external_id", message)
            return False
        self.seen_ids.add(external_id)
        ok = self.check_annotations(record, line)
        if ok and repeated:  # duplicates=update: the later record updates the earlier's
            self.updates.append(record)
            return False
        return ok

    def check_limits(self, record: dict[str, Any], line: int | None) -> None:
        """Stop at once, storing nothing, at the record that takes the project past its
        document quota or that is longer than a document may be: reading on would only cost
        time and memory (3 million tiny documents are refused at the quota, not at the end)."""
        self.read += 1
        if self.read > self.room:
            quota = settings.PROJECT_MAX_DOCUMENTS
            where = self.path(line, None)
            message = (
                f"the project would pass its quota of {quota:,} documents "
                f"(it has {quota - self.room:,}); nothing was imported"
            )
            raise PayloadTooLarge.at(where, message)
        text = record.get("text")
        if isinstance(text, str) and len(text) > settings.DOCUMENT_MAX_CHARS:
            where = self.path(line, "text")
            message = (
                f"{len(text):,} characters, over the {settings.DOCUMENT_MAX_CHARS:,}-character "
                "limit for one document; nothing was imported"
            )
            raise PayloadTooLarge.at(where, message)

    def check_annotations(self, record: dict[str, Any], line: int | None) -> bool:
        length = len(record["text"])
        allow_overlap = self.project.allow_overlap
        ok = True
        for index, item in enumerate(self.annotation_items(record)):
            # The gold layer's spans are the record's own; annotators' are under annotations.N.
            where = "" if item.get("_gold") else f"annotations.{index}."
            if not item.get("_gold") and item.get("annotator") not in self.members:
                if not self.create_annotators or not isinstance(item.get("annotator"), str):
                    message = "must be a member of this project (or send annotators=create)"
                    self.error(line, f"{where}annotator", message)
                    ok = False
                    continue
                self.add_member(item["annotator"], line, f"{where}annotator")
                if item["annotator"] not in self.members:
                    ok = False
                    continue
            if item.get("status", "submitted") not in AnnotationStatus.values:
                self.error(line, f"{where}status", f"must be one of {AnnotationStatus.values}")
                ok = False
                continue
            try:
                validate_content(item, self.labels, length, allow_overlap=allow_overlap)
            except Invalid as exc:
                for path, messages in exc.errors.items():
                    for message in messages:
                        self.error(line, f"{where}{path}", message)
                ok = False
        return ok

    @staticmethod
    def annotation_items(record: dict[str, Any]) -> list[dict[str, Any]]:
        items = [a for a in record.get("annotations", []) if isinstance(a, dict)]
        if record.get("spans") or record.get("relations") or record.get("document_labels"):
            gold: dict[str, Any] = {
                "spans": record.get("spans") or [],
                "relations": record.get("relations") or [],
                "document_labels": record.get("document_labels") or {},
            }
            if "chains" in record:
                gold["chains"] = record["chains"]
            items.append({**gold, "_gold": True, "status": "submitted"})
        return items

    def add_member(self, name: str, line: int | None, field: str) -> None:
        """`annotators=create`: make `name` a member, an existing account's or a new one's
        (with no password: the admin sends its invitation from People)."""
        try:
            if user_by_name_or_email(name) is not None:
                membership = member_add(project=self.project, name=name, role=Role.ANNOTATOR)
                self.imported.members_added.append(name)
            else:
                made = account_create(
                    project=self.project,
                    creator=self.actor,
                    username=name,
                    email="",
                    role=Role.ANNOTATOR,
                    method="invitation",
                )
                membership = made.membership
                self.imported.accounts_created.append(name)
        except Invalid as exc:
            self.error(line, field, f"cannot make {name!r} a member: {exc.detail}")
            return
        self.members[name] = membership.user

    def check_existing_ids(self, records: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """The records to insert: those whose external id is new to the project; a taken one
        is refused, skipped or kept to update its document (`duplicates`)."""
        ids = [r["external_id"] for r in records]
        taken = set(
            self.project.documents.filter(external_id__in=ids).values_list("external_id", flat=True)
        )
        fresh = []
        for record in records:
            external_id = record["external_id"]
            if external_id not in taken:
                fresh.append(record)
            elif self.duplicates == "skip":
                self.imported.skipped.append(external_id)
            elif self.duplicates == "update":
                self.updates.append(record)
            else:
                message = (
                    f"{external_id!r} already exists in this project (send duplicates=skip "
                    "or duplicates=update)"
                )
                self.error(record.get("_line"), "external_id", message)
        return fresh

    def update(self, record: dict[str, Any]) -> None:
        """`duplicates=update`: the stored document takes the record's title, meta and
        layers (each replaced as a save would: versioned, with history). Its text must be
        the same: offsets into another text would land on other words."""
        line, external_id = record.get("_line"), record["external_id"]
        document = self.project.documents.get(external_id=external_id)
        if document.text != record["text"]:
            message = (
                f"{external_id!r} exists with another text; duplicates=update keeps a "
                "document's text (its annotations' offsets point into it)"
            )
            self.error(line, "text", message)
            return
        Document.objects.filter(pk=document.pk).update(
            title=record.get("title") or document.title, meta=record.get("meta") or document.meta
        )
        for item in self.annotation_items(record):
            annotator = None if item.get("_gold") else self.members[item["annotator"]]
            current = annotation_of(document, annotator)
            data = {key: item.get(key) or _empty_content(key) for key in CONTENT}
            if annotator is not None:
                data["status"] = item.get("status", "submitted")
            try:
                annotation_replace(
                    document=document,
                    annotator=annotator,
                    actor=self.actor,
                    data=data,
                    expected_version=current.version if current else 0,
                )
            except Invalid as exc:
                for path, messages in exc.errors.items():
                    for message in messages:
                        self.error(line, path, message)
        if record.get("_suggestions") or record.get("suggestions"):
            self.insert_suggestions([(document, _uploaded_suggestions(record))])
        self.imported.updated.append(external_id)

    def insert(self, records: list[dict[str, Any]]) -> None:
        """Insert a batch: documents, then all their annotations, in a fixed number of queries."""
        now = timezone.now()
        documents = _insert_documents(
            [
                Document(
                    project=self.project,
                    text=r["text"],
                    title=r.get("title") or "",
                    external_id=r["external_id"],
                    meta=r.get("meta") or {},
                    length=len(r["text"]),
                    created_at=now,
                )
                for r in records
            ]
        )
        self.imported.ids.extend(document.pk for document in documents)
        self.imported.first = self.imported.first or documents[0]
        items = [
            (document, item)
            for record, document in zip(records, documents, strict=True)
            for item in self.annotation_items(record)
        ]
        if items:
            self.insert_annotations(items)
        suggested = [
            (document, _uploaded_suggestions(record))
            for record, document in zip(records, documents, strict=True)
            if record.get("_suggestions") or record.get("suggestions")
        ]
        if suggested:
            self.insert_suggestions(suggested)

    def insert_suggestions(self, suggested: list[tuple[Document, dict[str, Any]]]) -> None:
        """An upload's layers as each document's suggestions (one row, source `import`),
        fitted to the project like any suggester's answer; one query per batch."""
        project = suggester_project(self.project)
        now = timezone.now()
        rows = []
        for document, answer in suggested:
            payload, dropped = payload_fit(
                answer, project=project, length=document.length, source=IMPORT_SOURCE
            )
            self.imported.suggestions_dropped += dropped
            rows.append(
                SuggestionSet(
                    document=document,
                    source=IMPORT_SOURCE,
                    status=SuggestionStatus.READY,
                    payload=payload,
                    requested_at=now,
                    computed_at=now,
                )
            )
        SuggestionSet.objects.bulk_create(rows)
        self.imported.suggested += len(rows)

    def insert_annotations(self, items: list[tuple[Document, dict[str, Any]]]) -> None:
        now = timezone.now()
        annotations = Annotation.objects.bulk_create(
            Annotation(
                document=document,
                project=self.project,
                annotator=None if item.get("_gold") else self.members[item["annotator"]],
                is_gold=bool(item.get("_gold")),
                status=item.get("status", "submitted"),
                version=1,
                document_labels=item.get("document_labels") or {},
                chain_names=chain_names(item.get("chains")),
                updated_by=self.actor,
                span_count=len(item.get("spans", [])),
                submitted_at=now if item.get("status", "submitted") == "submitted" else None,
            )
            for document, item in items
        )
        contents = [
            (
                annotation,
                item.get("spans", []),
                [
                    {**r, "id": r.get("id") or f"r{i + 1}"}
                    for i, r in enumerate(item.get("relations", []))
                ],
            )
            for annotation, (_, item) in zip(annotations, items, strict=True)
        ]
        write_contents(labels=self.labels, contents=contents)
        AnnotationEvent.objects.bulk_create(
            AnnotationEvent(annotation=a, actor=self.actor, version=1, action="import", changes={})
            for a in annotations
        )
        work_state.documents_refresh(
            self.project.pk, {a.document_id for a in annotations}, created=True
        )
        work = [(a.annotator_id, a) for a in annotations if a.annotator_id is not None]
        work_state.pairs_move(
            self.project.pk,
            [
                work_state.PairMove(user, None, work_state.pair_state(False, a.status))
                for user, a in work
            ],
        )
        work_state.submissions_move(
            self.project.pk, [(user, a.submitted_at, 1) for user, a in work]
        )


_COPY_COLUMNS = ("id", "project_id", "text", "title", "external_id", "meta", "length", "created_at")


def _insert_documents(documents: list[Document]) -> list[Document]:
    """Insert documents; on PostgreSQL with COPY, which streams article texts as they are
    instead of quoting each into SQL (the bulk of an import's time otherwise).

    COPY returns no ids, so the batch's ids are drawn from the sequence first.
    """
    if connection.vendor != "postgresql" or not documents:
        return Document.objects.bulk_create(documents)
    table = Document._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, len(documents)],
        )
        for document, (pk,) in zip(documents, cursor.fetchall(), strict=True):
            document.pk = pk
        copy_sql = f"COPY {table} ({', '.join(_COPY_COLUMNS)}) FROM STDIN"
        with cursor.cursor.copy(copy_sql) as copy:
            for d in documents:
                copy.write_row(
                    (
                        d.pk,
                        d.project_id,
                        d.text,
                        d.title,
                        d.external_id,
                        json.dumps(d.meta),
                        d.length,
                        d.created_at,
                    )
                )
    return documents


@transaction.atomic
def documents_import(
    *,
    project: Project,
    records: Iterable[dict[str, Any]],
    actor: User,
    origin: Origin = "file",
    duplicates: str = "error",
    create_annotators: bool = False,
) -> Imported:
    """Store every record (with its annotations), or none and raise ImportFailed (or
    PayloadTooLarge past the project's document quota or a document's length limit).
    `duplicates` and `create_annotators`: the upload's `duplicates` and `annotators=create`."""
    # One import per project at a time, so two cannot both fit under the quota.
    Project.objects.select_for_update().filter(pk=project.pk).first()
    importer = _Importer(
        project, actor, origin, duplicates=duplicates, create_annotators=create_annotators
    )
    imported = importer.run(records)
    # Workers compute the new documents' suggestions once the import commits.
    suggestions_request(project=project, document_ids=imported.ids, on_import=True)
    return imported


@transaction.atomic
def document_delete(*, document: Document) -> None:
    """Delete a document with its annotations and assignments, and take them out of the
    members' and labels' tallies."""
    Document.objects.select_for_update().filter(pk=document.pk).first()
    work_state.documents_leaving(document.project_id, [document.pk])
    document.delete()


@transaction.atomic
def document_update(*, document: Document, fields: dict[str, Any]) -> Document:
    """Edit title, meta or external_id; the text only while nothing refers to its offsets;
    whether it is a hidden gold check (`services.checks`)."""
    fields = dict(fields)
    is_check = fields.pop("is_check", None)
    if "text" in fields and fields["text"] != document.text:
        if len(fields["text"]) > settings.DOCUMENT_MAX_CHARS:
            limit = f"over the {settings.DOCUMENT_MAX_CHARS:,}-character limit for one document"
            raise PayloadTooLarge.at("text", limit)
        if document_is_annotated(document):
            raise Conflict("the text is annotated: its offsets are in use, so it cannot change")
        document.length = len(fields["text"])
    for key, value in fields.items():
        setattr(document, key, value)
    try:
        # A savepoint, so a taken external_id leaves the caller's transaction usable.
        with transaction.atomic():
            # Only the columns asked for: the derived ones belong to `work_state`.
            changed = [*fields, *(["length"] if "text" in fields else [])]
            if changed:
                document.save(update_fields=changed)
    except IntegrityError as exc:
        if _constraint(exc) != "document_external_id":
            raise
        taken = f"{document.external_id!r} already exists in this project"
        raise Invalid({"external_id": [taken]}) from None
    if is_check is not None:
        # After the save, which writes every column: the check refreshes the derived ones.
        checks.document_check_set(document=document, is_check=is_check)
    return document


def _constraint(exc: IntegrityError) -> str | None:
    """The name of the constraint a write broke (PostgreSQL says; SQLite names columns)."""
    diag = getattr(exc.__cause__, "diag", None)
    if diag is not None:
        return diag.constraint_name
    if "external_id" in str(exc):
        return "document_external_id"
    return None


def documents_upload(
    *,
    project: Project,
    raw: IO[bytes],
    name: str,
    format: str | None,
    offset_unit: str | None,
    actor: User,
    external_id_key: str | None = None,
    layer: str | None = None,
    annotator_map: dict[str, str] | None = None,
    label_map: dict[str, str] | None = None,
    annotators: str | None = None,
    duplicates: str | None = None,
) -> tuple[Imported, list[str]]:
    """Import an uploaded file with its format's reader (named, else by the file's suffix):
    (documents, what the reader could not carry). All of it, or nothing.

    `layer` (the upload's `as`), `annotator_map` and `label_map` say whose work the file's
    layers are and what its labels are called here (`formats.layers`)."""
    spec = format_for_upload(format, name)
    if spec is None:
        raise _upload_error(format, name)
    reading = spec.reading
    assert reading is not None  # format_for_upload only answers importable formats
    if offset_unit and reading.offset_units and offset_unit not in reading.offset_units:
        allowed = " or ".join(reading.offset_units)
        raise ImportFailed({"offset_unit": [f"{spec.name} offsets are {allowed}"]})
    schema = project_schema(project) if reading.takes_schema else None
    if not offset_unit and reading.offset_units and not reading.detects_unit:
        offset_unit = reading.offset_units[0]
    options = ReadOptions(
        name=name,
        offset_unit=offset_unit or None,
        schema=schema,
        limits=read_limits(),
        external_id_key=external_id_key or None,
    )
    annotators = _option("annotators", annotators, ANNOTATOR_CHOICES)
    duplicates = _option("duplicates", duplicates, DUPLICATE_CHOICES)
    layering = _layering(project, name, layer, annotator_map or {}, label_map or {})
    layering = dataclasses.replace(
        layering, owner_by_default=reading.owner_from_name, unmapped=annotators
    )
    warnings: list[str] = []
    # The file is kept as uploaded (`services.uploads`) only if the import stores something.
    kept = upload_store(project=project, raw=raw, name=name)
    try:
        # One transaction: accounts made for the file's annotators go if the import fails.
        with transaction.atomic():
            records = _read(spec, raw, options, warnings, layering)
            imported = documents_import(
                project=project,
                records=records,
                actor=actor,
                duplicates=duplicates,
                create_annotators=annotators == "create",
            )
            upload_record(
                project=project,
                actor=actor,
                name=name,
                format=spec.name,
                kept=kept,
                documents=len(imported.ids),
            )
    except BaseException:
        upload_discard(kept)
        raise
    imported.mapped = dict(layering.report["mapped"])
    imported.suggested_from = list(layering.report["suggestions"])
    if imported.suggestions_dropped:
        warnings.append(
            f"{imported.suggestions_dropped} suggested item(s) do not fit this project's labels "
            "or text and were left out"
        )
    return imported, warnings


def _option(name: str, value: str | None, choices: tuple[str, ...]) -> str:
    if value is None or value == "":
        return choices[0]
    if value not in choices:
        message = _("unknown value %(value)s; allowed: %(allowed)s")
        raise ImportFailed(
            {name: [message % {"value": repr(value), "allowed": ", ".join(choices)}]}
        )
    return value


def _layering(
    project: Project,
    name: str,
    layer: str | None,
    annotators: dict[str, str],
    labels: dict[str, str],
) -> Layering:
    """The upload's `as`, `annotator_map` and `label_map`, checked against the project."""
    if layer is not None and layer not in IMPORT_LAYERS:
        message = _("unknown value %(value)s; allowed: %(allowed)s")
        raise ImportFailed(
            {"as": [message % {"value": repr(layer), "allowed": ", ".join(IMPORT_LAYERS)}]}
        )

    @functools.cache
    def members() -> frozenset[str]:
        return frozenset(project.memberships.values_list("user__username", flat=True))

    for foreign, ours in annotators.items():
        if ours not in members():
            message = _("“%(name)s” is not a member of this project")
            raise ImportFailed({f"annotator_map.{foreign}": [message % {"name": ours}]})

    @functools.cache
    def emails() -> dict[str, str]:
        rows = project.memberships.exclude(user__email="").values_list(
            "user__email", "user__username"
        )
        return {email.lower(): username for email, username in rows}

    owner = PurePath(name).stem or None
    return Layering(layer, annotators, labels, members, owner, emails=emails)


def read_limits() -> ReadLimits:
    """What a reader may take from one upload: an archive inflates to at most what a plain
    upload may weigh, and a member to at most a document's longest text in UTF-8."""
    return ReadLimits(
        total_bytes=settings.UPLOAD_MAX_BYTES,
        member_bytes=4 * settings.DOCUMENT_MAX_CHARS,
        members=settings.ARCHIVE_MAX_MEMBERS,
    )


def _upload_error(format: str | None, name: str) -> ImportFailed:
    if format:
        known = ", ".join([*import_formats(), *ALIASES])
        what = "an export-only format" if format in FORMATS else "unknown"
        return ImportFailed({"format": [f"{format!r} is {what}: use {known}"]})
    suffixes = ", ".join(s for spec in import_formats().values() for s in spec.reading.suffixes)  # type: ignore[union-attr]
    return ImportFailed(
        {
            "file": [
                f"unsupported file type {PurePath(name).suffix or name!r}: use {suffixes}, "
                "or name the format"
            ]
        }
    )


def _read(
    spec: FormatSpec,
    raw: IO[bytes],
    options: ReadOptions,
    warnings: list[str],
    layering: Layering,
) -> Iterator[dict[str, Any]]:
    """The reader's records, numbered by line, their layers made ours; its FormatError
    becomes our ImportFailed."""
    assert spec.reading is not None
    try:
        result = spec.reading.read(raw, options)
        if (
            result.annotators is not None
            and layering.layer not in ("gold", "suggestions")
            and layering.unmapped == "map"
        ):
            missing = unmapped(result.annotators, layering)
            if missing:
                raise ImportFailed({"annotator_map": [_unmapped_message(result, missing)]})
        records = assign_layers(result, layering, warnings)
        for number, record in enumerate(records, start=1):
            yield {**record, "_line": record.get("_line", number)}
    except TooLarge as exc:
        raise PayloadTooLarge.at(_where(exc), exc.message) from None
    except UnitUnclear as exc:
        raise ImportFailed({"offset_unit": [unit_unclear_message(exc)]}) from None
    except LayerProblem as exc:
        raise ImportFailed(layer_problem_errors(exc)) from None
    except FormatError as exc:
        raise ImportFailed({_where(exc): [exc.message]}) from None
    except (UnicodeDecodeError, zipfile.BadZipFile, json.JSONDecodeError) as exc:
        raise ImportFailed({"file": [f"not a readable {spec.name} file: {exc}"]}) from None
    warnings.extend(result.warnings)


def _example(names: list[str]) -> str:
    return json.dumps({name: _("username") for name in names[:3]}, ensure_ascii=False)


def _unmapped_message(result: Any, missing: list[str]) -> str:
    message = _(
        "these annotators map to no member of this project: %(unmapped)s (found in the "
        "file: %(found)s; Label Studio names them by user id). Send annotator_map, a JSON "
        "object from each to a member's username, e.g. %(example)s"
    )
    return message % {
        "unmapped": ", ".join(missing),
        "found": ", ".join(_with_aliases(result.annotators)),
        "example": _example(missing),
    }


def _with_aliases(annotators: dict[str, tuple[str, ...]]) -> list[str]:
    return [
        names[0] + (f" ({', '.join(names[1:])})" if len(names) > 1 else "")
        for names in annotators.values()
    ]


def layer_problem_errors(problem: LayerProblem) -> dict[str, list[str]]:
    """A layer that cannot become ours, worded for the user's language, by form field."""
    params = problem.params
    if problem.code == "owner_unknown":
        message = _(
            "a doccano file holds one member's work and is named after them, and no member "
            "is called “%(owner)s”: send annotator_map, e.g. %(example)s, or as=gold"
        )
        return {"annotator_map": [message % {**params, "example": _example([params["owner"]])}]}
    if problem.code == "duplicate_author":
        message = _(
            "document “%(document)s”: two annotations are by %(member)s, who may have one "
            "version of a document"
        )
        return {"annotator_map": [message % params]}
    if problem.code == "gold_ambiguous":
        message = _(
            "document “%(document)s” has %(count)d annotations and none is marked ground "
            "truth: as=gold takes the ground-truth annotation, or a task's only one"
        )
        return {"as": [message % params]}
    return {"annotator_map": [problem.message]}


def _unit_name(unit: str) -> str:
    names = {
        "utf16": _("UTF-16 code units"),
        "code_point": _("code points"),
        "grapheme": _("grapheme clusters"),
    }
    return names.get(unit, unit)


def _excerpt(text: str, limit: int = 40) -> str:
    shown = text if len(text) <= limit else text[: limit - 1] + "…"
    return shown.replace("\r", "\\r").replace("\n", "\\n")


def unit_unclear_message(error: UnitUnclear) -> str:
    """What a person reads when a file's offset unit cannot be told from its spans."""
    if error.readings:
        readings = "; ".join(
            _("“%(text)s” in %(unit)s") % {"text": _excerpt(text), "unit": _unit_name(unit)}
            for unit, text in error.readings.items()
        )
        message = _(
            "line %(line)d, span %(span)d (%(label)s) reads %(readings)s: the file's offset "
            "unit is ambiguous. Name it with offset_unit: utf16 for doccano, grapheme for a "
            "doccano project counting grapheme clusters, code_point for files made by Python"
        )
        return message % {
            "line": error.line or 0,
            "span": (error.span or 0) + 1,
            "label": error.label,
            "readings": readings,
        }
    reasons = {
        "surrogate": _("an offset falls between the two halves of an emoji"),
        "range": _("the offsets fall outside the text"),
    }
    misfits = "; ".join(
        _("%(unit)s: line %(line)d, span %(span)d (%(reason)s)")
        % {
            "unit": _unit_name(unit),
            "line": line,
            "span": span + 1,
            "reason": reasons.get(reason, reason),
        }
        for unit, (line, span, reason) in error.misfits.items()
    )
    message = _(
        "no offset unit fits every span (%(misfits)s): the file mixes units or its offsets "
        "are wrong. Fix those lines, or name the unit with offset_unit to see every span "
        "that does not fit"
    )
    return message % {"misfits": misfits}


def _where(error: FormatError) -> str:
    """`lines.N[.field]` (a reader's `spans[0]` becomes `spans.0`), else the form field."""
    if error.line is None:
        return error.field or "file"
    field = (error.field or "").replace("[", ".").replace("]", "")
    return f"lines.{error.line}" + (f".{field}" if field else "")
