"""The data model. Offsets are Unicode code points into `Document.text`, end exclusive.

The database enforces the invariants it can (ranges, uniqueness); policy (who
may do what, label restrictions, overlap rules) lives in services.
"""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone


class Role(models.TextChoices):
    ADMIN = "admin"
    REVIEWER = "reviewer"
    ANNOTATOR = "annotator"


class Project(models.Model):
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    language = models.CharField(max_length=35, default="en", help_text="BCP-47 tag, e.g. id, en")
    guidelines = models.TextField(blank=True, help_text="Markdown")
    annotators_per_document = models.PositiveSmallIntegerField(default=1)
    allow_overlap = models.BooleanField(default=True)
    # Annotators are blind to each other unless the project says otherwise.
    annotators_see_each_other = models.BooleanField(default=False)
    # Share of annotators that must agree for the automatic merge to propose an item.
    merge_threshold = models.FloatField(default=0.5)
    anonymize_review = models.BooleanField(default=False)
    # Annotators may compare their submitted version with gold once there is one (their own
    # spans only: `selectors.review.compare_to_gold`).
    annotators_see_gold_after_review = models.BooleanField(default=False, db_default=False)
    # The project's guideline for QUOTE spans: from the opening quotation mark to the
    # closing one (the news preset), or the quoted words only. Suggestions follow it.
    quotes_include_marks = models.BooleanField(default=True, db_default=True)
    # Bumped by every change to the project's labels, so an editor opened before the change
    # can tell its label set is out of date (the annotation answers carry it).
    label_schema_version = models.PositiveIntegerField(default=1, db_default=1)
    # Hidden gold checks (issue 12): the share of the queue's hand-outs that are check
    # documents the annotator has not done (every ceil(1/rate)-th; 1.0: checks first).
    check_rate = models.FloatField(default=0.0, db_default=0.0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(annotators_per_document__gte=1), name="project_min_one_annotator"
            ),
            models.CheckConstraint(
                condition=Q(merge_threshold__gt=0) & Q(merge_threshold__lte=1),
                name="project_merge_threshold_range",
            ),
            models.CheckConstraint(
                condition=Q(check_rate__gte=0) & Q(check_rate__lte=1),
                name="project_check_rate_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Language(models.TextChoices):
    """The interface languages (settings.LANGUAGES)."""

    ENGLISH = "en", "English"
    INDONESIAN = "id", "Bahasa Indonesia"


class UserPreferences(models.Model):
    """What a user chose for themselves; absent or blank means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        primary_key=True,
        on_delete=models.CASCADE,
        related_name="preferences",
    )
    # Blank: follow the browser's Accept-Language.
    language = models.CharField(max_length=8, choices=Language.choices, blank=True)

    def __str__(self) -> str:
        return f"{self.user} ({self.language or 'browser language'})"


class ApiToken(models.Model):
    """An API token of one user. Only the key's SHA-256 is kept (the key is shown once, when
    made), with a tag of the owner's password hash as it was then: a password changed by any
    path (the API, the admin, `changepassword`) ends every token made before."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    digest = models.CharField(max_length=64, unique=True)
    # The key's first characters: enough for its owner to tell which token is which.
    prefix = models.CharField(max_length=8)
    name = models.CharField(max_length=100, blank=True)
    password_tag = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.user} {self.prefix}… {self.name}".strip()


class Membership(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=16, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "user"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ({self.role}) in {self.project}"


class LabelKind(models.TextChoices):
    SPAN = "span"
    RELATION = "relation"
    DOCUMENT = "document"


class Label(models.Model):
    # What describes a label to the API, exports and dataset cards (besides id and position).
    SCHEMA_FIELDS = (
        "kind",
        "name",
        "color",
        "hotkey",
        "description",
        "attributes",
        "source_labels",
        "target_labels",
        "group",
        "multiple",
    )

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="labels")
    kind = models.CharField(max_length=16, choices=LabelKind.choices)
    name = models.CharField(max_length=100)
    color = models.CharField(max_length=7, default="#888888")
    hotkey = models.CharField(max_length=1, blank=True)
    description = models.TextField(blank=True)
    # Span labels: {"sentiment": ["positive", "neutral", "negative"], ...}
    attributes = models.JSONField(default=dict, blank=True)
    # Relation labels: allowed span label names at each end; empty means any.
    source_labels = models.JSONField(default=list, blank=True)
    target_labels = models.JSONField(default=list, blank=True)
    # Document labels: the group they belong to, and whether it is multi-choice.
    group = models.CharField(max_length=100, blank=True)
    multiple = models.BooleanField(default=False)
    # What people read, per interface language: {"id": {"title": "Orang", "description":
    # "…"}, "en": {…}}. `name` stays the identifier exports and the API use (`PER`).
    translations = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["project", "kind", "group", "name"], name="label_unique_name"
            ),
            models.UniqueConstraint(
                fields=["project", "hotkey"],
                condition=~Q(hotkey=""),
                name="label_unique_hotkey",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}:{self.group + '/' if self.group else ''}{self.name}"


class DocumentState(models.TextChoices):
    """Where a document stands, as the reviewers' table shows it (most advanced first):
    reviewed (its gold is final), gold (a gold version exists), disputed (two or more
    submitted versions that differ), annotated (at least one submitted), in progress
    (assigned, or someone has saved work), new."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    ANNOTATED = "annotated"
    DISPUTED = "disputed"
    GOLD = "gold"
    REVIEWED = "reviewed"


class Document(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="documents")
    # Stored exactly as given, never normalised: every offset refers to it.
    text = models.TextField()
    title = models.CharField(max_length=500, blank=True)
    external_id = models.CharField(max_length=200)
    meta = models.JSONField(default=dict, blank=True)
    # Length in code points, kept so lists never load the text.
    length = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    # Derived from the document's annotations and assignments by `services.work_state` (and
    # nothing else), so the reviewers' table filters and sorts 100,000 documents on indexed
    # columns instead of counting annotations per row. `db_default`: imports COPY rows
    # without these columns.
    state = models.CharField(
        max_length=16, choices=DocumentState.choices, default="new", db_default="new"
    )
    submitted_count = models.PositiveSmallIntegerField(default=0, db_default=0)
    # Two or more submitted versions that do not agree exactly (spans, links, labels).
    disputed = models.BooleanField(default=False, db_default=False)
    # Mean pairwise span F1 (overlap match) of the submitted versions; None below two.
    agreement = models.FloatField(null=True, blank=True)
    last_submitted_at = models.DateTimeField(null=True, blank=True)
    # A hidden gold check since then (issue 12; the API's `is_check`), None: not a check.
    # Annotators' work on it is measured against its gold and enters nothing else; work
    # from before it became a check is not counted as a check (it may have made the gold).
    check_since = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "external_id"], name="document_external_id"),
        ]
        # The reviewers' table sorts by these; the id breaks ties (and keeps pages stable).
        indexes = [
            models.Index(fields=["project", "state", "id"], name="document_state"),
            models.Index(fields=["project", "title", "id"], name="document_title"),
            models.Index(fields=["project", "length", "id"], name="document_length"),
            models.Index(fields=["project", "agreement", "id"], name="document_agreement"),
            models.Index(
                fields=["project", "last_submitted_at", "id"], name="document_last_submitted"
            ),
            # The queue's check turn and the quality report read the few check documents.
            models.Index(
                fields=["project", "id"],
                condition=Q(check_since__isnull=False),
                name="document_check",
            ),
        ]

    def __str__(self) -> str:
        return self.title or self.external_id

    @property
    def is_check(self) -> bool:
        return self.check_since is not None


class AnnotationStatus(models.TextChoices):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    SKIPPED = "skipped"


class ReviewState(models.TextChoices):
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    ACCEPTED = "accepted"


class Annotation(models.Model):
    """One annotator's work on a document, or the document's gold version.

    Gold shares the shape (spans, relations, document labels, version) so the
    editor, exports and agreement read both the same way.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="annotations")
    # The document's project, repeated so the dashboard's per-project indexes need no join.
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="annotations",
    )
    is_gold = models.BooleanField(default=False)
    status = models.CharField(
        max_length=16, choices=AnnotationStatus.choices, default=AnnotationStatus.DRAFT
    )
    # Optimistic concurrency: every write names the version it read.
    version = models.PositiveIntegerField(default=0)
    document_labels = models.JSONField(default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Kept by every write (services.annotating), for the dashboard: when it was last
    # submitted (None while not submitted), how many spans it has, and the seconds its
    # annotator spent on it as its history shows them (see `work_time`).
    submitted_at = models.DateTimeField(null=True, blank=True)
    span_count = models.PositiveIntegerField(default=0, db_default=0)
    event_seconds = models.FloatField(null=True, blank=True)
    # Seconds the editor reported its annotator active on it (window focused, not idle for
    # over `work_time.IDLE_SECONDS`), summed over its saves (issue 12); None: never reported.
    active_seconds = models.FloatField(null=True, blank=True)
    # A reviewer's verdict on this version (`services.conversation`): blank until one is
    # given; "returned" puts the annotation back to draft with a note for its annotator.
    review_state = models.CharField(
        max_length=16, choices=ReviewState.choices, blank=True, default="", db_default=""
    )
    review_note = models.TextField(blank=True, default="", db_default="")
    review_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    review_at = models.DateTimeField(null=True, blank=True)
    # Speaker chains (coreference, DECISIONS 46): the names people gave them, by chain id.
    # Membership is on the spans (`Span.chain`); a chain without a name has no entry, and a
    # chain left without mentions loses its entry, so nothing here outlives its mentions.
    chain_names = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["document", "annotator"],
                condition=Q(is_gold=False),
                name="annotation_one_per_annotator",
            ),
            models.UniqueConstraint(
                fields=["document"], condition=Q(is_gold=True), name="annotation_one_gold"
            ),
            models.CheckConstraint(
                condition=Q(is_gold=True) | Q(annotator__isnull=False),
                name="annotation_has_annotator",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "status"]),
            # The documents table's "annotator" filter and the dashboard's windows.
            models.Index(
                fields=["project", "annotator", "status"],
                condition=Q(is_gold=False),
                name="annotation_annotator_status",
            ),
            models.Index(
                fields=["project", "submitted_at"],
                condition=Q(is_gold=False, status="submitted"),
                name="annotation_submitted_at",
            ),
            # The queue's "returned to you first".
            models.Index(
                fields=["project", "annotator", "review_at"],
                condition=Q(review_state="returned"),
                name="annotation_returned",
            ),
        ]

    def __str__(self) -> str:
        who = "gold" if self.is_gold else str(self.annotator)
        return f"{who} on {self.document_id} v{self.version}"


class Span(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="spans")
    # Chosen by the client, unique within the annotation; relations refer to it.
    client_id = models.CharField(max_length=64)
    start = models.PositiveIntegerField()
    end = models.PositiveIntegerField()
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="spans")
    attributes = models.JSONField(default=dict, blank=True)
    # Provenance: blank when a person marked it, else the suggester it was accepted from
    # (`quotes`, `gold`, …, see `suggesting.registry`) and that suggestion's score.
    source = models.CharField(max_length=64, blank=True, default="", db_default="")
    score = models.FloatField(null=True, blank=True)
    # An interrupted span (a quote broken by its speaker tag, DECISIONS 46): its pieces as
    # [[start, end], …], at least two, in order, apart; `start`/`end` are the first's start
    # and the last's end. Null for the usual one-piece span.
    fragments = models.JSONField(null=True, blank=True)
    # The client's id of the speaker chain the span is a mention of; blank: in none.
    chain = models.CharField(max_length=64, blank=True, default="", db_default="")

    class Meta:
        ordering = ["start", "end", "id"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "client_id"], name="span_client_id"),
            models.CheckConstraint(condition=Q(start__lt=F("end")), name="span_start_before_end"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | (~Q(source="") & Q(score__gte=0, score__lte=1)),
                name="span_score_of_a_suggestion",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.client_id} [{self.start}:{self.end})"


class Relation(models.Model):
    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="relations")
    client_id = models.CharField(max_length=64)
    source = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="outgoing")
    target = models.ForeignKey(Span, on_delete=models.CASCADE, related_name="incoming")
    label = models.ForeignKey(Label, on_delete=models.RESTRICT, related_name="relations")

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["annotation", "client_id"], name="relation_client_id"),
        ]

    def __str__(self) -> str:
        return f"{self.client_id}: {self.source_id} → {self.target_id}"


class AnnotationEvent(models.Model):
    """Append-only history: who changed an annotation, when, and what changed.

    `changes` holds the operations applied (with the removed items' previous
    values), so nothing an annotator edits away is ever lost.
    """

    annotation = models.ForeignKey(Annotation, on_delete=models.CASCADE, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    version = models.PositiveIntegerField()
    action = models.CharField(max_length=16)  # put | patch | import (gold edits: is_gold row)
    changes = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["annotation", "version"]
        # The metrics' active annotators: who saved work in the last minutes, read at each
        # scrape (workbench/metrics.py) without a scan of the whole history.
        indexes = [models.Index(fields=["created_at"], name="annotationevent_created_at")]

    def __str__(self) -> str:
        return f"{self.action} v{self.version} by {self.actor}"


class Assignment(models.Model):
    """A document handed to an annotator by the queue or by an admin."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="assignments")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "annotator"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.document_id} → {self.annotator}"


class AnnotatorTally(models.Model):
    """One member's documents in a project by where their work stands: kept current by every
    write that moves one (`services.work_state`), so the dashboard reads a row per member
    instead of counting 200,000 annotations. `recount_tallies` rebuilds them from scratch."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    assigned = models.IntegerField(default=0)
    # Assigned or started (a draft), and neither submitted nor skipped.
    in_progress = models.IntegerField(default=0)
    submitted = models.IntegerField(default=0)
    skipped = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "annotator"], name="annotator_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.annotator} in {self.project_id}"


class DocumentLabelCount(models.Model):
    """Spans of one label over a document's submitted annotations: the documents table's
    label filter, and (summed per label in `LabelTally`) the dashboard's distribution."""

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    label = models.ForeignKey(Label, on_delete=models.CASCADE, related_name="+")
    spans = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "label"], name="document_label_count")
        ]
        indexes = [models.Index(fields=["label", "document"], name="label_count_by_label")]

    def __str__(self) -> str:
        return f"{self.label_id} x{self.spans} in {self.document_id}"


class LabelTally(models.Model):
    """A span label's spans and documents over every submitted annotation of its project."""

    label = models.OneToOneField(
        Label, on_delete=models.CASCADE, primary_key=True, related_name="tally"
    )
    spans = models.IntegerField(default=0)
    documents = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.label_id}: {self.spans} spans in {self.documents} documents"


class SubmissionTally(models.Model):
    """Submissions per member and day (of their latest submission, in the server's time
    zone): the dashboard's throughput, read as a few hundred rows whatever the period."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    submitted = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["project", "day", "annotator"], name="submission_tally_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.annotator_id} on {self.day}: {self.submitted}"


class AgreementTally(models.Model):
    """Documents with an agreement figure per day of their latest submission, and the sum
    of those figures in millionths (integers, so adding and taking away never drifts)."""

    MICROS = 1_000_000

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    documents = models.IntegerField(default=0)
    agreement_micros = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["project", "day"], name="agreement_tally_unique")
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.documents}"


class ExportStatus(models.TextChoices):
    PENDING = "pending"
    RUNNING = "running"
    SUCCEEDED = "succeeded"
    FAILED = "failed"


class ExportJob(models.Model):
    """The source of truth for an export: the Celery task only gets its id."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="export_jobs")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=32)
    scope = models.CharField(max_length=16, default="gold")
    split = models.JSONField(null=True, blank=True)
    # What else the requester asked for: {"exclude_flagged": true} and the format's own
    # options (its spec's `options`, defaults filled in).
    options = models.JSONField(default=dict, blank=True)
    # A selection from the documents table (ids, in order); null: every document in scope.
    documents = models.JSONField(null=True, blank=True)
    status = models.CharField(
        max_length=16, choices=ExportStatus.choices, default=ExportStatus.PENDING
    )
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    row_count = models.PositiveIntegerField(default=0)
    size = models.PositiveBigIntegerField(default=0)
    sha256 = models.CharField(max_length=64, blank=True)
    # A succeeded export is a dataset version (DECISIONS.md 48): numbered 1, 2, … per project
    # when it succeeds, and chained to the previous succeeded export of the same project,
    # format, scope and split (null for the first).
    version = models.PositiveIntegerField(null=True, blank=True)
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The export kept what it contained (`ExportEntry` rows), so it can be diffed.
    has_manifest = models.BooleanField(default=False, db_default=False)
    file = models.FileField(upload_to="exports/", blank=True)
    error = models.TextField(blank=True)
    warnings = models.JSONField(default=list, blank=True)
    # The requester's interface language: the dataset card's headings are written in it.
    language = models.CharField(max_length=8, choices=Language.choices, default=Language.ENGLISH)
    # Which delivery owns the run; a new delivery takes over a stale one.
    attempt = models.PositiveIntegerField(default=0)
    heartbeat_at = models.DateTimeField(null=True, blank=True)
    # The process running the current attempt (`host pid start-ticks`): on its own host a
    # dead runner is known at once, not only when its heartbeat is old.
    worker = models.CharField(max_length=255, blank=True, default="")
    # When a message for the job was last sent; the sweep sends again when it may be lost.
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "version"], name="export_version_unique")
        ]

    def __str__(self) -> str:
        return f"export {self.pk} ({self.format}, {self.status})"


# --- Suggestions (issue 10) ----------------------------------------------------------------


class SuggestionStatus(models.TextChoices):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class SuggestionSet(models.Model):
    """What one suggester (`source`, a name in `suggesting.registry`) proposes for one
    document: computed by a Celery task, never in a request, and read by the editor.

    `payload` is {"spans": [...], "relations": [...], "document_labels": {...}} in the API's
    shape, each item with `score` and `source`; span ids start with the source's name, so
    the sources of a document merge without clashes. It is the same for every reader of
    the document, so it may hold nothing learnt from one annotator's unsubmitted work.
    """

    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="suggestions")
    source = models.CharField(max_length=64)
    status = models.CharField(
        max_length=16, choices=SuggestionStatus.choices, default=SuggestionStatus.PENDING
    )
    payload = models.JSONField(default=dict, blank=True)
    # Why the last computation failed (shown to reviewers and admins, not annotators).
    error = models.TextField(blank=True)
    # A computation writes its result only if the row was not requested again meanwhile:
    # the later request's task will write the fresher one.
    requested_at = models.DateTimeField()
    computed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["document", "source"], name="suggestion_set_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} on {self.document_id} ({self.status})"


# --- The conversation around the work: comments, flags, notices (issue 16) ---------------


class CommentTarget(models.TextChoices):
    DOCUMENT = "document"
    ANNOTATION = "annotation"
    GOLD = "gold"


class CommentAudience(models.TextChoices):
    """Who may read a comment besides reviewers and admins (who read them all). Fixed when
    it is written (`services.conversation.comment_audience`), so a read is one indexed
    filter and blindness never depends on a join: `all` members; `owner` only the annotator
    named in `owner` (their annotation's threads, and an annotator's own words on the
    document); `reviewers` nobody else (gold)."""

    ALL = "all"
    OWNER = "owner"
    REVIEWERS = "reviewers"


class Comment(models.Model):
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="comments")
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    target = models.CharField(max_length=16, choices=CommentTarget.choices)
    # Whose annotation the comment is about (target `annotation`).
    annotator = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A span's client id in that annotation (the span may be gone since).
    span_id = models.CharField(max_length=64, blank=True)
    # The thread's first comment; replies are one level deep.
    thread = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    audience = models.CharField(max_length=16, choices=CommentAudience.choices)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    text = models.TextField()
    # Deleted with replies under it: the words go, the place in the thread stays.
    deleted = models.BooleanField(default=False)
    resolved = models.BooleanField(default=False)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    edited_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(target="annotation", annotator__isnull=False)
                | (~Q(target="annotation") & Q(annotator__isnull=True)),
                name="comment_annotation_has_annotator",
            ),
            models.CheckConstraint(
                condition=Q(audience="owner", owner__isnull=False)
                | (~Q(audience="owner") & Q(owner__isnull=True)),
                name="comment_owner_audience",
            ),
        ]
        indexes = [
            models.Index(fields=["document", "audience", "owner"], name="comment_audience"),
        ]

    def __str__(self) -> str:
        return f"comment {self.pk} on {self.document_id}"


class FlagReason(models.TextChoices):
    BROKEN_TEXT = "broken text"
    DUPLICATE = "duplicate"
    OFF_TOPIC = "off topic"
    OTHER = "other"


class DocumentFlag(models.Model):
    """A document someone marked as not fit to annotate; a reviewer clears it. One per
    document: a second flag replaces the first."""

    document = models.OneToOneField(
        Document, on_delete=models.CASCADE, primary_key=True, related_name="flag"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=16, choices=FlagReason.choices)
    note = models.TextField(blank=True)
    flagged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    flagged_at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["project", "reason"], name="flag_reason")]

    def __str__(self) -> str:
        return f"{self.document_id}: {self.reason}"


class NoticeKind(models.TextChoices):
    REPLY = "reply"  # someone answered my comment
    COMMENT = "comment"  # a reviewer commented on my annotation
    RETURNED = "returned"  # my annotation came back for correction
    FLAG = "flag"  # a document of a project I review was flagged


class Notice(models.Model):
    """What concerns one user, shown in the header until they open it."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=16, choices=NoticeKind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # A short excerpt for the list (a flag's reason, a return's note), so it needs no join.
    text = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(read_at__isnull=True),
                name="notice_unread",
            ),
            models.Index(fields=["recipient", "-created_at", "-id"], name="notice_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.recipient_id}"


# --- Model backends for suggestions (issue 10) ------------------------------------------------


class BackendStatus(models.TextChoices):
    """How the last call to a project's model backend went."""

    UNUSED = "unused"
    OK = "ok"
    FAILED = "failed"


class SuggestionBackend(models.Model):
    """A project's HTTP model backend: where it is, and how its last call went.

    The URL is checked when saved and its host again at every call (`backend_http`); the
    outcome of the latest call is kept here for the admin, each document's own outcome with
    that document's suggestions."""

    project = models.OneToOneField(
        Project, primary_key=True, on_delete=models.CASCADE, related_name="suggestion_backend"
    )
    url = models.CharField(max_length=2000)
    enabled = models.BooleanField(default=True)
    status = models.CharField(
        max_length=16, choices=BackendStatus.choices, default=BackendStatus.UNUSED
    )
    # The reason of the latest failure, kept after later successes so the admin can read it.
    error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    # Calls since the URL was saved, and how many of them failed.
    calls = models.PositiveIntegerField(default=0)
    failures = models.PositiveIntegerField(default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.url} ({self.status})"


# --- People: accounts an admin made, and the links that set their password ---------------


class Invitation(models.Model):
    """A link that lets a new account set its own password: single use, until `expires_at`.

    Only the token's SHA-256 is kept: the link is shown once, to the admin who made it, and
    a copy of the database cannot be turned into working links.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations"
    )
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="invitations")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"invitation for {self.user} ({'used' if self.used_at else 'open'})"


class AccountOrigin(models.Model):
    """Who made an account from the app, and for which project: an admin's user search sees
    the accounts they made, and `USER_MAX_ACCOUNTS` counts them."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    project = models.ForeignKey(Project, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.user_id} made by {self.created_by_id}"


# --- Trash: what a confirmed delete keeps until its retention ends (DECISIONS 44) --------


class TrashKind(models.TextChoices):
    PROJECT = "project"
    DOCUMENT = "document"
    MEMBER = "member"


class TrashItem(models.Model):
    """A deleted project, document or membership, restorable until `purge_after`.

    A project or document is kept as its archive (`project_archive`, the same file
    `project_dump` writes), so a restore is a load and nothing else has to skip deleted rows;
    a membership needs only who and which role (the member's work stays where it was).
    """

    kind = models.CharField(max_length=16, choices=TrashKind.choices)
    # Where a document or member belonged; null once that project is gone too.
    project = models.ForeignKey(Project, null=True, on_delete=models.SET_NULL, related_name="+")
    name = models.CharField(max_length=500)
    # What the delete took away (documents, annotations, spans), as the 409 said.
    counts = models.JSONField(default=dict)
    # For a membership: {"username", "role"}; for a project: the admins who may restore it.
    details = models.JSONField(default=dict, blank=True)
    archive = models.FileField(upload_to="trash/", blank=True)
    deleted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    deleted_at = models.DateTimeField(default=timezone.now)
    purge_after = models.DateTimeField(db_index=True)
    restored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-deleted_at", "-id"]

    def __str__(self) -> str:
        return f"trash {self.kind} {self.name}"


# --- Dataset versions: manifests and diffs (issue 12, DECISIONS.md 50) ---------------------


class ExportEntry(models.Model):
    """One document of an export as the diff needs it (`annotations.dataset_diff`): written
    batch by batch while the export runs, under the attempt that wrote it, so a run taken
    over by another delivery cannot mix its rows with the winner's."""

    export = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="entries")
    attempt = models.PositiveIntegerField()
    external_id = models.CharField(max_length=200)
    # sha256 (first 40 hex digits) of the document's text, title, meta and top-level layer
    digest = models.CharField(max_length=40)
    # {"spans": [[start, end, label]], "relations": [[from, to, label]], "labels": {}}
    content = models.JSONField()

    class Meta:
        constraints = [
            # also the index the diff's joins on external id use
            models.UniqueConstraint(
                fields=["export", "attempt", "external_id"], name="export_entry_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.external_id} in export {self.export_id}"


class DiffStatus(models.TextChoices):
    PENDING = "pending"
    READY = "ready"
    FAILED = "failed"


class ExportDiff(models.Model):
    """What changed from `against` to `export`: computed once (by the export's task for its
    previous version, or on request), then served as stored. Exports are immutable, so a
    diff never goes stale."""

    export = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="diffs")
    against = models.ForeignKey(ExportJob, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=16, choices=DiffStatus.choices, default=DiffStatus.PENDING)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["export", "against"], name="export_diff_unique")
        ]

    def __str__(self) -> str:
        return f"diff of export {self.export_id} against {self.against_id} ({self.status})"


# --- Single sign-on (issue 14) -------------------------------------------------------------


class SsoIdentity(models.Model):
    """The provider's account behind one of ours: its issuer and `sub` claim (stable where
    an email or a username may change), and the project roles its groups claim gave at the
    last sign-in (`services.sso`), so a role the claim stops naming can be taken back."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="sso_identity"
    )
    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    # {"<project id>": "<role>"} as the groups claim gave them.
    granted_roles = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_login_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="sso_identity_unique")
        ]

    def __str__(self) -> str:
        return f"{self.issuer} {self.subject} → {self.user_id}"


# --- Uploaded import files, kept in the file storage (issue 14) --------------------------


class Upload(models.Model):
    """An import file as it was uploaded, kept whole in the file storage (the bucket with
    FILE_STORAGE=s3): which file a project's documents came from, to check or import again.
    Only an upload that imported is kept; project admins read it (it may hold anyone's
    work)."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="uploads")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The file's name as the browser sent it (the stored name adds a folder of its own).
    name = models.CharField(max_length=255)
    format = models.CharField(max_length=32)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    documents = models.PositiveIntegerField()
    file = models.FileField(upload_to="uploads/", max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.documents} documents)"


# --- Stored tokens: a document's text tokenised once, for the token formats (issue 9) ------


class DocumentTokens(models.Model):
    """A document's tokens and sentence starts as code-point offsets (`formats.tokens.
    TokenTable`, ~8 bytes a token), made by the first CoNLL export that needed them, so later
    exports map spans to tokens without loading or running spaCy (DECISIONS 60).

    Valid only for the text it was made from (`digest`) by the tokenizer it names
    (`tokenizer`: spaCy's version, the language asked for, the layout); an export that finds
    either different makes the table again. Nothing else reads or writes it.
    """

    document = models.OneToOneField(
        Document, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    tokenizer = models.CharField(max_length=100)
    digest = models.BinaryField(max_length=16)
    data = models.BinaryField()

    def __str__(self) -> str:
        return f"tokens of document {self.document_id} ({self.tokenizer})"
