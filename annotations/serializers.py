"""API shapes. Annotation content is checked by `validation`, not field by field here,
so a 5,000-span PUT is not slowed by per-field serializer machinery; these
serializers describe it for the OpenAPI schema."""

import re
from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from annotations.formats import ALIASES, FormatSpec, import_formats
from annotations.formats.base import UNANNOTATED_SCOPES
from annotations.language import SUPPORTED
from annotations.models import (
    AnnotationStatus,
    DocumentState,
    Label,
    LabelKind,
    Membership,
    Project,
    ReviewState,
    Role,
)
from annotations.presets import PRESETS
from annotations.selectors.documents import masked_state

COLOR = re.compile(r"^#[0-9a-fA-F]{6}$")
_TEXTS = ("title", "description", "group")
_NAMES = ("attributes", "values")


def translations_problem(value: object) -> str | None:
    """What is wrong with a label's `translations`, or None."""
    if not isinstance(value, dict):
        return 'must map languages to texts, e.g. {"id": {"title": "Orang"}}'
    for language, texts in value.items():
        if language not in SUPPORTED:
            return f"{language!r} is not an interface language; use {', '.join(SUPPORTED)}"
        if not isinstance(texts, dict):
            return f"{language}: must be an object of texts"
        for key, text in texts.items():
            if key in _TEXTS and not isinstance(text, str):
                return f"{language}.{key}: must be text"
            if key in _NAMES and not (
                isinstance(text, dict) and all(isinstance(v, str) for v in text.values())
            ):
                return f"{language}.{key}: must map names to texts"
            if key not in _TEXTS + _NAMES:
                return f"{language}.{key}: unknown; use {', '.join(_TEXTS + _NAMES)}"
    return None


class ProgressSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    submitted = serializers.IntegerField()
    skipped = serializers.IntegerField()


class ProjectSerializer(serializers.ModelSerializer):
    preset = serializers.ChoiceField(
        choices=sorted(PRESETS), write_only=True, required=False, allow_null=True
    )
    my_role = serializers.CharField(read_only=True)
    progress = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id",
            "name",
            "description",
            "language",
            "guidelines",
            "annotators_per_document",
            "allow_overlap",
            "annotators_see_each_other",
            "merge_threshold",
            "anonymize_review",
            "annotators_see_gold_after_review",
            "quotes_include_marks",
            "check_rate",
            "created_at",
            "preset",
            "my_role",
            "progress",
        ]
        read_only_fields = ["created_at"]
        extra_kwargs = {
            "check_rate": {
                "help_text": "Hidden gold checks: the share (0 to 1) of the documents the "
                "queue hands out that are check documents the annotator has not done, every "
                "ceil(1/rate)-th; 1 serves every check first; 0 (the default) none"
            },
            "quotes_include_marks": {
                "help_text": "Whether a QUOTE span runs from the opening quotation mark to the "
                "closing one (the news preset) or holds the quoted words only; the quote "
                "suggester follows it"
            },
        }

    def get_progress(self, project: Project) -> ProgressSerializer:  # type: ignore[valid-type]
        return {  # type: ignore[return-value]
            "total": getattr(project, "document_count", None) or 0,
            "submitted": getattr(project, "my_submitted", 0),
            "skipped": getattr(project, "my_skipped", 0),
        }

    def validate_language(self, value: str) -> str:
        if not re.fullmatch(r"[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*", value):
            raise serializers.ValidationError(f"{value!r} is not a BCP-47 tag (e.g. 'id', 'en')")
        return value

    def validate_merge_threshold(self, value: float) -> float:
        if not 0 < value <= 1:
            raise serializers.ValidationError("must be in (0, 1]")
        return value

    def validate_check_rate(self, value: float) -> float:
        if not 0 <= value <= 1:
            raise serializers.ValidationError(_("must be between 0 and 1"))
        return value

    def validate_annotators_per_document(self, value: int) -> int:
        if value < 1:
            raise serializers.ValidationError("must be at least 1")
        return value


class LabelUsageSerializer(serializers.Serializer):
    spans = serializers.IntegerField()
    relations = serializers.IntegerField(help_text="Links")
    annotations = serializers.IntegerField(
        help_text="Annotations (gold included) that use it: its spans or links, or choosing it"
    )


class LabelSerializer(serializers.ModelSerializer):
    usage = serializers.SerializerMethodField(
        help_text="The work that uses it: on one label, and on the list with ?usage=true "
        "(else null)"
    )

    class Meta:
        model = Label
        fields = ["id", *Label.SCHEMA_FIELDS, "translations", "position", "usage"]
        extra_kwargs = {
            "kind": {"choices": LabelKind.choices},
            "translations": {
                "help_text": "What people read, per interface language: "
                '{"id": {"title": "Orang", "description": "…", "attributes": {"sentiment": '
                '"Sentimen"}, "values": {"positive": "Positif"}, "group": "Sentimen"}}; '
                "every key optional. `name` stays the identifier."
            },
        }

    @extend_schema_field(LabelUsageSerializer(allow_null=True))
    def get_usage(self, label: Label) -> dict | None:
        return (self.context.get("usage") or {}).get(label.pk)

    def validate_color(self, value: str) -> str:
        if not COLOR.match(value):
            raise serializers.ValidationError("must be a colour like #1f77b4")
        return value

    def validate_attributes(self, value: object) -> dict:
        ok = isinstance(value, dict) and all(
            isinstance(k, str) and isinstance(v, list) and v and all(isinstance(x, str) for x in v)
            for k, v in value.items()
        )
        if not ok:
            raise serializers.ValidationError(
                'must map attribute names to lists of allowed values, e.g. {"sentiment": '
                '["positive", "neutral", "negative"]}'
            )
        return value  # type: ignore[return-value]

    def validate_translations(self, value: object) -> dict:
        problem = translations_problem(value)
        if problem:
            raise serializers.ValidationError(problem)
        return value  # type: ignore[return-value]

    def _names(self, value: object) -> list:
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise serializers.ValidationError("must be a list of span label names")
        return value

    validate_source_labels = _names
    validate_target_labels = _names


class MembershipSerializer(serializers.ModelSerializer):
    username = serializers.CharField(
        source="user.username", help_text="Adding: a username, or the email of one account"
    )
    role = serializers.ChoiceField(choices=Role.choices)
    invitation = serializers.SerializerMethodField(
        help_text="Admins only: for a member who has not set a password yet, "
        '{"expires_at"} of the open invitation link (null: it lapsed); else null'
    )

    class Meta:
        model = Membership
        fields = ["id", "username", "role", "invitation"]

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_invitation(self, membership: Membership) -> dict | None:
        pending = self.context.get("pending") or {}
        if membership.user_id not in pending:
            return None
        return {"expires_at": pending[membership.user_id]}


class DocumentWorkSerializer(serializers.Serializer):
    annotator = serializers.CharField()
    status = serializers.ChoiceField(choices=["assigned", *AnnotationStatus.values])


class DocumentListSerializer(serializers.Serializer):
    """A row of the documents table. The fields after `created_at` tell about other people's
    work: blank (null, and `disputed` shown as `annotated`) for those who may not see it."""

    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField()
    external_id = serializers.CharField()
    length = serializers.IntegerField(read_only=True, help_text="Length in Unicode code points")
    status = serializers.ChoiceField(
        choices=["new", "in_progress", "annotated", "reviewed"], read_only=True
    )
    my_status = serializers.CharField(read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)
    state = serializers.SerializerMethodField(
        help_text="new, in_progress, annotated (k of n: submitted_count of the project's "
        "annotators_per_document), disputed, gold, reviewed"
    )
    submitted_count = serializers.IntegerField(read_only=True)
    disputed = serializers.SerializerMethodField()
    agreement = serializers.SerializerMethodField(
        help_text="Mean pairwise span F1 (overlap) of the submitted versions"
    )
    last_submitted_at = serializers.DateTimeField(read_only=True, allow_null=True)
    annotators = serializers.SerializerMethodField(help_text="Who was given or worked on it")
    comments = serializers.IntegerField(
        source="comment_count", read_only=True, help_text="Comments the caller may read"
    )
    open_threads = serializers.IntegerField(read_only=True, help_text="… not resolved")
    flag = serializers.CharField(
        source="flag_reason", read_only=True, allow_null=True, help_text="The flag's reason"
    )
    is_check = serializers.SerializerMethodField(
        help_text="A hidden gold check (reviewers and admins; null for annotators, to whom a "
        "check looks like any document)"
    )

    def _sees_all(self) -> bool:
        return bool(self.context.get("sees_all"))

    def _reviewer(self) -> bool:
        return bool(self.context.get("reviewer"))

    @extend_schema_field(serializers.ChoiceField(choices=DocumentState.values))
    def get_state(self, document: Any) -> str:
        if document.check_since is not None and not self._reviewer():
            return masked_state(document.state, document.submitted_count)
        if document.state == DocumentState.DISPUTED and not self._sees_all():
            return DocumentState.ANNOTATED
        return document.state

    @extend_schema_field(serializers.BooleanField(allow_null=True))
    def get_is_check(self, document: Any) -> bool | None:
        return document.check_since is not None if self._reviewer() else None

    def get_disputed(self, document: Any) -> bool | None:
        return document.disputed if self._sees_all() else None

    def get_agreement(self, document: Any) -> float | None:
        return document.agreement if self._sees_all() else None

    @extend_schema_field(DocumentWorkSerializer(many=True, allow_null=True))
    def get_annotators(self, document: Any) -> list[dict[str, Any]] | None:
        return self.context.get("work", {}).get(document.pk) if self._sees_all() else None


class DocumentSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    external_id = serializers.CharField(required=False, max_length=200)
    text = serializers.CharField(trim_whitespace=False)
    meta = serializers.JSONField(required=False)
    length = serializers.IntegerField(read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class DocumentAdminSerializer(DocumentSerializer):
    """A document as its admins' PATCH answers it: with whether it is a hidden gold check
    (never in what annotators read, so a check looks like any document to them)."""

    is_check = serializers.BooleanField(read_only=True)


class DocumentUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(required=False, allow_blank=True, max_length=500)
    external_id = serializers.CharField(required=False, max_length=200)
    text = serializers.CharField(required=False, trim_whitespace=False)
    meta = serializers.JSONField(required=False)
    is_check = serializers.BooleanField(
        required=False,
        help_text="Make it a hidden gold check (it must have gold), or no longer one",
    )

    def validate_meta(self, value: object) -> dict:
        if not isinstance(value, dict):
            raise serializers.ValidationError("must be an object")
        return value


class SpanSerializer(serializers.Serializer):
    id = serializers.CharField(help_text="Client-chosen, unique within the annotation")
    start = serializers.IntegerField(help_text="Unicode code point offset, inclusive")
    end = serializers.IntegerField(help_text="Unicode code point offset, exclusive")
    label = serializers.CharField()
    attributes = serializers.DictField(child=serializers.CharField(), required=False)
    source = serializers.CharField(
        required=False,
        allow_null=True,
        help_text="Provenance: the suggester the span was accepted from (`quotes`, `gold`, …, "
        "as in the suggestions' `source`). Absent when a person marked it; `manual` or null "
        "on a write means the same",
    )
    score = serializers.FloatField(
        required=False,
        allow_null=True,
        min_value=0,
        max_value=1,
        help_text="The accepted suggestion's score (0 to 1); only with a `source`",
    )
    fragments = serializers.ListField(
        child=serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2),
        required=False,
        allow_null=True,
        help_text="An interrupted span (a quote broken by its speaker tag): its pieces as "
        "[[start, end], …] in code points, at least two, sorted, apart (not touching); then "
        "`start` is the first's start and `end` the last's end. Absent in answers for a "
        "one-piece span; absent, null or [] on a write mean one piece [start, end]",
    )
    chain = serializers.CharField(
        required=False,
        allow_null=True,
        max_length=64,
        help_text="The id of the speaker chain (coreference) this span is a mention of, "
        "client-chosen like span ids; an id not in `chains` makes that chain, unnamed. "
        "Absent in answers when in no chain; absent or null on a write mean none",
    )


class ChainSerializer(serializers.Serializer):
    id = serializers.CharField(max_length=64, help_text="Client-chosen, as the spans' `chain`")
    name = serializers.CharField(
        allow_blank=True,
        allow_null=True,
        max_length=200,
        help_text="The name a person gave the chain; may be blank",
    )
    canonical = serializers.CharField(
        read_only=True,
        help_text="`name` if set, else the chain's longest PER or ORG mention (else its longest "
        "mention), the first of equally long ones. A quote whose speaker is in the chain is "
        "attributed to this name",
    )


class RelationSerializer(serializers.Serializer):
    id = serializers.CharField(required=False)
    # "from" is a Python keyword: declared through the fields mapping below.
    to = serializers.CharField(help_text="Target span id (e.g. the speaker)")
    label = serializers.CharField()

    def get_fields(self):
        fields = super().get_fields()
        fields["from"] = serializers.CharField(help_text="Source span id (e.g. the QUOTE)")
        return fields


class ReviewSerializer(serializers.Serializer):
    state = serializers.ChoiceField(choices=ReviewState.choices)
    note = serializers.CharField()
    by = serializers.CharField(allow_null=True)
    at = serializers.DateTimeField()


class AnnotationSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=AnnotationStatus.choices)
    version = serializers.IntegerField(
        min_value=0, help_text="The version you read; 0 before the first save"
    )
    spans = SpanSerializer(many=True)
    relations = RelationSerializer(many=True)
    chains = ChainSerializer(
        many=True,
        help_text="Speaker chains in the order of their first mention; every one has at least "
        "one mention (a span whose `chain` is its id)",
    )
    document_labels = serializers.DictField(
        child=serializers.JSONField(), help_text='Group → value, e.g. {"sentiment": "negative"}'
    )
    review = ReviewSerializer(
        read_only=True,
        allow_null=True,
        help_text="A reviewer's verdict: returned (back to draft, with a note), resubmitted, "
        "accepted; null before any",
    )
    active_seconds = serializers.FloatField(
        read_only=True,
        allow_null=True,
        help_text="Seconds its annotator was active on it in the editor, summed over their "
        "saves; null before any report",
    )


# One save reports at most a day of active time (the editor sends what passed since its
# last acknowledged save, normally seconds).
ACTIVE_SECONDS_MAX = 86_400


def active_seconds_field() -> serializers.FloatField:
    return serializers.FloatField(
        required=False,
        min_value=0,
        max_value=ACTIVE_SECONDS_MAX,
        help_text="Seconds the editor saw its annotator active (window focused, not idle "
        "for over 5 minutes) since its previous save; added to the annotation's "
        "`active_seconds` when the annotator saves their own work",
    )


class AnnotationPutSerializer(serializers.Serializer):
    """Only the envelope is checked here; spans and relations by `validation`."""

    version = serializers.IntegerField(min_value=0)
    active_seconds = active_seconds_field()
    status = serializers.ChoiceField(choices=AnnotationStatus.choices, required=False)
    spans = serializers.ListField(child=serializers.JSONField(), required=False)
    relations = serializers.ListField(child=serializers.JSONField(), required=False)
    chains = serializers.ListField(
        child=serializers.JSONField(),
        required=False,
        help_text='[{"id", "name"}] (`canonical` is ignored): replaces the chains\' names; '
        "each must have a mention. Chains the spans name but this omits are unnamed",
    )
    document_labels = serializers.JSONField(required=False)


class AnnotationPatchSerializer(serializers.Serializer):
    version = serializers.IntegerField(min_value=0)
    active_seconds = active_seconds_field()
    ops = serializers.ListField(
        child=serializers.JSONField(),
        help_text=(
            "Applied in order, all or nothing: add_span {span}, update_span {id, start?, end?, "
            "label?, attributes?, source?, score?, fragments?, chain?} (fragments alone move "
            "start and end with them; chain null takes the span out of its chain), delete_span "
            "{id}, add_relation {relation}, delete_relation {id}, set_document_label {group, "
            "value}, set_status {status}, set_chain {id, name} (names a chain that has or "
            "gets a mention in the batch; blank or null name: unnamed), delete_chain {id} "
            "(its mentions stay, in no chain). A chain left without mentions is gone"
        ),
    )


class VersionSerializer(serializers.Serializer):
    version = serializers.IntegerField()
    status = serializers.CharField()


class AnnotatorAnnotationSerializer(AnnotationSerializer):
    annotator = serializers.CharField(allow_null=True)
    is_gold = serializers.BooleanField()
    updated_at = serializers.DateTimeField()


def _upload_choices() -> tuple[list[str], list[str]]:
    readings = [spec.reading for spec in import_formats().values() if spec.reading]
    units = dict.fromkeys(unit for reading in readings for unit in reading.offset_units)
    return [*import_formats(), *ALIASES], list(units)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text="A file in one of the import formats of `GET /api/formats/` "
        "(native: .txt, .jsonl, .csv)"
    )
    format = serializers.ChoiceField(
        choices=_upload_choices()[0],
        required=False,
        help_text="Default: the first format that takes the file's suffix; `native` is `jsonl`",
    )
    offset_unit = serializers.ChoiceField(
        choices=_upload_choices()[1],
        required=False,
        help_text="For formats with offset_units (doccano): the file's unit. Default: "
        "detected from the spans (refused, saying where, when the file is ambiguous or "
        "inconsistent)",
    )
    annotator_map = serializers.CharField(
        required=False,
        help_text="A JSON object from the file's annotators (Label Studio user ids or emails, "
        'a doccano file\'s user) to members\' usernames, e.g. {"2": "alice"}; default: a '
        "member of the same name",
    )
    label_map = serializers.CharField(
        required=False,
        help_text="A JSON object from the file's labels and choice groups to ours, e.g. "
        '{"PERSON": "PER", "tone": "sentiment"}',
    )
    annotators = serializers.ChoiceField(
        choices=["map", "create", "suggestions"],
        required=False,
        help_text="An annotator who maps to no member (by annotator_map, username or email): "
        "`map` refuses the file, `create` makes them members (an account, without password, "
        "for a new name), `suggestions` imports their work as the documents' suggestions",
    )
    duplicates = serializers.ChoiceField(
        choices=["error", "skip", "update"],
        required=False,
        help_text="A document whose external_id the file repeats or the project has: `error` "
        "refuses the file, `skip` keeps the first, `update` replaces the stored document's "
        "title, meta and layers (same text only)",
    )
    external_id_key = serializers.CharField(
        required=False,
        max_length=100,
        help_text="doccano and Label Studio: the field holding each document's external id "
        "(default `external_id`, else the tool's own `id`)",
    )

    def get_fields(self):
        fields = super().get_fields()
        # "as" is a Python keyword: declared through the fields mapping.
        fields["as"] = serializers.ChoiceField(
            choices=["annotations", "gold", "suggestions"],
            required=False,
            help_text="annotations (default): each annotation is its author's version, a "
            "ground-truth one also gold; a doccano file is the version of the member it is "
            "named after (else gold, with a warning). gold: the ground-truth annotation, or a "
            "task's only one, is the gold layer and nothing else is imported. suggestions: "
            "every layer (Label Studio's predictions too) becomes the documents' suggestions",
        )
        return fields


class ExportOptionSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The key in an export request's `options`")
    choices = serializers.ListField(child=serializers.CharField())
    default = serializers.CharField()
    help = serializers.CharField()


class ExportCapabilitySerializer(serializers.Serializer):
    scopes = serializers.ListField(child=serializers.CharField())
    options = ExportOptionSerializer(many=True)
    unannotated_scopes = serializers.ListField(
        child=serializers.CharField(),
        help_text="The scopes `options.include_unannotated` widens to every document "
        "(documents nobody has annotated yet are written with no annotations)",
    )
    span_labels = serializers.BooleanField(
        help_text="The request may name the span labels to tag: `options.labels`, a list of "
        "the project's span label names (default: every span label except QUOTE)"
    )


class ImportCapabilitySerializer(serializers.Serializer):
    suffixes = serializers.ListField(child=serializers.CharField())
    offset_units = serializers.ListField(
        child=serializers.CharField(), help_text="Choices of the upload's offset_unit, if any"
    )
    detects_unit = serializers.BooleanField(
        help_text="With no offset_unit, the unit is detected from the spans (else the first)"
    )


class FormatSerializer(serializers.Serializer):
    """A registry entry as the browser needs it (`annotations/formats/registry.py`)."""

    name = serializers.CharField(help_text="What exports (`format`) and uploads take")
    title = serializers.CharField()
    offset_unit = serializers.ChoiceField(choices=["code_point", "utf16", "token", "none"])
    offset_note = serializers.CharField()
    export = serializers.SerializerMethodField()

    def get_fields(self):
        fields = super().get_fields()
        # "import" is a Python keyword: declared through the fields mapping.
        fields["import"] = serializers.SerializerMethodField(method_name="get_import")
        return fields

    @extend_schema_field(ExportCapabilitySerializer(allow_null=True))
    def get_export(self, spec: FormatSpec) -> dict | None:
        if spec.factory is None:
            return None
        options = [
            {"name": o.name, "choices": list(o.choices), "default": o.default, "help": o.help}
            for o in spec.options
        ]
        return {
            "scopes": list(spec.scopes),
            "options": options,
            "unannotated_scopes": [s for s in spec.scopes if s in UNANNOTATED_SCOPES],
            "span_labels": spec.span_label_choice,
        }

    @extend_schema_field(ImportCapabilitySerializer(allow_null=True))
    def get_import(self, spec: FormatSpec) -> dict | None:
        if spec.reading is None:
            return None
        return {
            "suffixes": list(spec.reading.suffixes),
            "offset_units": list(spec.reading.offset_units),
            "detects_unit": spec.reading.detects_unit,
        }


class ImportAnnotatorsSerializer(serializers.Serializer):
    mapped = serializers.DictField(
        child=serializers.CharField(), help_text="The file's annotator names -> members"
    )
    created = serializers.ListField(
        child=serializers.CharField(), help_text="Accounts made (annotators=create)"
    )
    added = serializers.ListField(
        child=serializers.CharField(), help_text="Existing accounts made members"
    )
    suggestions = serializers.ListField(
        child=serializers.CharField(),
        help_text="Annotators whose work became suggestions (annotators=suggestions)",
    )


class ImportResultSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    ids = serializers.ListField(child=serializers.IntegerField())
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="What could not be carried over, and why"
    )
    annotators = ImportAnnotatorsSerializer(required=False)
    skipped = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="External ids not imported (duplicates=skip)",
    )
    updated = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="External ids whose stored document was updated (duplicates=update)",
    )
