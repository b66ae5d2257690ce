"""Shared types for every format: the writer protocol, results, errors and the record helpers.

Records are plain dicts in the native shape (see ``jsonl.py``). Offsets in records are Unicode
code points into ``text`` exactly as stored, end exclusive.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import IO, TYPE_CHECKING, Any, BinaryIO, Protocol

if TYPE_CHECKING:
    from .reading import ReadResult

Record = dict[str, Any]
Schema = Mapping[str, Any]
# What an export may hold: see the scopes in annotations/selectors/exports.py.
SCOPES = ("gold", "all", "agreed")
# The scopes the `include_unannotated` option widens to every document (agreed is about
# annotations that agree: a document without any has nothing to agree on).
UNANNOTATED_SCOPES = ("gold", "all")
# The export option of a format with `span_label_choice`: which span labels it tags.
LABELS_OPTION = "labels"

# A bad export can produce one warning per span; keep the result small enough for a job row.
MAX_WARNINGS = 1000
NO_SPLIT = "unsplit"
OFFSET_UNIT = "unicode_code_point"


class FormatError(ValueError):
    """Malformed input: says what is wrong and where (1-based line, field name)."""

    def __init__(self, message: str, *, line: int | None = None, field: str | None = None):
        self.message = message
        self.line = line
        self.field = field
        where = []
        if line is not None:
            where.append(f"line {line}")
        if field is not None:
            where.append(f"field {field!r}")
        super().__init__(f"{message} ({', '.join(where)})" if where else message)


class TooLarge(FormatError):
    """Input past a read limit (ReadLimits): the reader stopped there, nothing more is read."""


@dataclass(frozen=True)
class ReadLimits:
    """How much a reader may take from one upload. Archives are checked as they inflate,
    never by the sizes their headers claim."""

    # Bytes an archive may inflate to in all (the same budget as a plain upload's bytes).
    total_bytes: int = 50 * 1024 * 1024
    # Bytes one archive member may inflate to (a document's text, its annotations).
    member_bytes: int = 4 * 1024 * 1024
    # Members an archive may hold.
    members: int = 20_000


@dataclass
class WriteResult:
    """What a writer did: counts for the dataset card and warnings for the export job."""

    format: str
    records: int = 0
    warnings: list[str] = field(default_factory=list)
    warning_count: int = 0
    split_counts: dict[str, int] = field(default_factory=dict)
    # split -> label -> number of spans (gold layer) with that label
    span_label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    # split -> "group=value" -> number of documents
    document_label_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    relation_count: int = 0
    # inner file name -> sha256 hex, for formats that write several files into a zip
    files: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class CardContext:
    """Facts for the dataset card that the format code cannot know itself."""

    exported_at: datetime
    tool_version: str = "unknown"
    scope: str = "gold"
    agreement: Mapping[str, Any] | None = None
    annotators: tuple[str, ...] = ()
    # Flagged documents the export left out when asked to (None: not asked).
    flagged_left_out: int | None = None
    # Documents without annotations were exported too (`include_unannotated`).
    unannotated_included: bool = False
    # The format's own offsets, in one line for the card (its spec's `card_note`).
    format_note: str = "see format notes"
    # What a reader of this format must know beyond offsets (its spec's `card_caveat`).
    format_caveat: str = ""
    # How to load this export into the tool it is for, and what that tool cannot carry.
    format_guide: str = ""
    # What changed since the previous version (`dataset_diff`'s result and the previous
    # version's number), asked for once every record is written; None: no previous version.
    changes: Callable[[], Mapping[str, Any] | None] | None = None


class Writer(Protocol):
    """Streaming writer: call ``write`` once per record, then ``close`` exactly once."""

    def write(self, record: Record) -> None: ...

    def close(self) -> WriteResult: ...


@dataclass(frozen=True)
class ReadOptions:
    """What an upload says about its file; a reader takes what it needs."""

    name: str = ""  # the file's name: the native reader picks .jsonl, .csv or .txt by it
    # One of the reader's `offset_units`; None: detected (`detects_unit`), else the first.
    offset_unit: str | None = None
    schema: Schema | None = None  # the project's labels, for readers that map names
    limits: ReadLimits = ReadLimits()
    # Which field of a foreign record holds its external id (None: the reader's default).
    external_id_key: str | None = None


@dataclass(frozen=True)
class Reading:
    """How a format is imported: the reader, the file names it takes, its upload options."""

    read: Callable[[IO[bytes], ReadOptions], ReadResult]
    suffixes: tuple[str, ...]
    # Units the file's offsets may be in (an upload option); the first is the default.
    offset_units: tuple[str, ...] = ()
    # The reader maps names through the project's labels (ReadOptions.schema).
    takes_schema: bool = False
    # With no offset unit given, the reader detects it from the spans (and refuses when it
    # cannot tell) instead of taking the first.
    detects_unit: bool = False
    # A file is one person's layer, named after them (doccano's export): by default it
    # becomes that member's version (`formats.layers`).
    owner_from_name: bool = False


@dataclass(frozen=True)
class ExportOption:
    """A choice an export request may make for one format (`"options": {name: value}`)."""

    name: str
    choices: tuple[str, ...]  # the first is the default
    help: str

    @property
    def default(self) -> str:
        return self.choices[0]


# Option name -> value: a choice's string, or (`labels`) a list of span label names.
Options = Mapping[str, Any]


@dataclass(frozen=True)
class FormatSpec:
    """A registry entry: everything the API, the export, the importer and the browser need to
    know about one format (see ``registry.py``)."""

    name: str
    title: str
    offset_unit: str  # what the format's own offsets count: code_point, utf16, token, none
    offset_note: str  # one sentence for a person choosing the format
    card_note: str  # the dataset card's "Offsets in this format" line
    card_caveat: str = ""  # a line for the card about how values are written, if they change
    extension: str = ""
    content_type: str = ""
    # a writer class; options beyond ``card`` are format-specific (e.g. conll ``labels=``)
    factory: Callable[..., Writer] | None = None
    reading: Reading | None = None
    scopes: tuple[str, ...] = SCOPES
    # Files that travel beside the data in the export zip (e.g. Label Studio's config).
    extra_files: Callable[[Schema], dict[str, bytes]] | None = None
    # What an export request may choose (passed to the writer as keyword arguments).
    options: tuple[ExportOption, ...] = ()
    # The card's "Offsets in this format" line when it depends on the options.
    card_note_for: Callable[[Options], str] | None = None
    # The card's "Using this export" section: which import to pick in the tool, what it loses.
    card_guide: Callable[[Options], str] | None = None
    # The request may name the span labels to tag (`"labels": [...]`, the project's span
    # labels; default: the entity labels, every span label but QUOTE): token formats.
    span_label_choice: bool = False
    # The writer takes a record's stored tokens (`formats.tokens.TOKENS`) instead of
    # tokenising its text: the export attaches them (`services.document_tokens`).
    stored_tokens: bool = False

    @property
    def zipped(self) -> bool:
        """A zip of several files, with README.md inside when a CardContext is given."""
        return self.content_type == "application/zip"

    def with_defaults(self, options: Options | None = None) -> dict[str, Any]:
        """The export options with every default filled in (values are not checked here);
        the chosen span labels when the format takes them and they were given."""
        given = options or {}
        chosen: dict[str, Any] = {o.name: given.get(o.name, o.default) for o in self.options}
        if self.span_label_choice and given.get(LABELS_OPTION):
            chosen[LABELS_OPTION] = list(given[LABELS_OPTION])
        return chosen

    def card_context(self, card: CardContext, options: Options | None = None) -> CardContext:
        """The card facts with this format's notes (for these export options) filled in."""
        chosen = self.with_defaults(options)
        note = self.card_note_for(chosen) if self.card_note_for else self.card_note
        guide = self.card_guide(chosen) if self.card_guide else ""
        return replace(card, format_note=note, format_caveat=self.card_caveat, format_guide=guide)

    def open(
        self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None, **options: Any
    ) -> Writer:
        """A writer; ``options`` are the spec's export options (defaults filled in) and any
        format-specific keyword (conll's ``labels=``)."""
        if self.factory is None:
            raise ValueError(f"{self.name} is an import-only format")
        unit = schema.get("offset_unit", OFFSET_UNIT)
        if unit != OFFSET_UNIT:
            # every writer converts from code points; anything else would shift every span
            raise ValueError(f"records must use {OFFSET_UNIT} offsets, not {unit!r}")
        chosen = {**self.with_defaults(options), **options}
        card = self.card_context(card, self.with_defaults(chosen)) if card else None
        return self.factory(out, schema, card=card, **chosen)


class Tally:
    """Counts and warnings every writer keeps; one instance per writer, O(labels) memory."""

    def __init__(self, format_name: str) -> None:
        self.result = WriteResult(format=format_name)
        self._spans: dict[str, Counter[str]] = {}
        self._docs: dict[str, Counter[str]] = {}
        self._uncarried = 0
        self._hulls = 0
        self._chained = 0

    def count(self, record: Record) -> None:
        split = record.get("split") or NO_SPLIT
        result = self.result
        result.records += 1
        result.split_counts[split] = result.split_counts.get(split, 0) + 1
        spans = self._spans.setdefault(split, Counter())
        spans.update(span["label"] for span in record.get("spans") or ())
        docs = self._docs.setdefault(split, Counter())
        for group, value in (record.get("document_labels") or {}).items():
            values = value if isinstance(value, list) else [value]
            docs.update(f"{group}={v}" for v in values)
        result.relation_count += len(record.get("relations") or ())

    def warn(self, message: str) -> None:
        self.result.warning_count += 1
        if len(self.result.warnings) < MAX_WARNINGS:
            self.result.warnings.append(message)

    def uncarried_annotations(self, record: Record) -> None:
        """Note per-annotator layers a writer drops (reported once, at close): hf's without
        a card to say the scope."""
        if record.get("annotations"):
            self._uncarried += 1

    def uncarried_attribution(self, record: Record, *, fragments: bool, chains: bool) -> None:
        """Note interrupted spans and speaker chains a format cannot carry (reported once,
        at close): `fragments` / `chains` say what this format leaves out."""
        spans = [
            span
            for layer in [record, *(record.get("annotations") or ())]
            for span in layer.get("spans") or ()
        ]
        if fragments:
            self._hulls += sum(1 for span in spans if span.get("fragments"))
        if chains:
            self._chained += sum(1 for span in spans if span.get("chain"))

    def finish(self) -> WriteResult:
        name = self.result.format
        if self._hulls:
            self.warn(
                f"{self._hulls} interrupted span(s) (a quote broken by its speaker tag) were "
                f"written whole, from their first fragment's start to their last one's end: "
                f"{name} has no discontinuous spans"
            )
        if self._chained:
            self.warn(
                f"{self._chained} span(s) are mentions of speaker chains; {name} cannot carry "
                "chains, so their chain ids and names were left out (jsonl, brat, spacy and "
                "quotes carry them)"
            )
        if self._uncarried:
            self.warn(
                f"{self._uncarried} document(s) carry per-annotator annotations; "
                f"{self.result.format} holds one layer, so only the gold layer was written"
            )
        self.result.span_label_counts = {s: dict(sorted(c.items())) for s, c in self._spans.items()}
        self.result.document_label_counts = {
            s: dict(sorted(c.items())) for s, c in self._docs.items()
        }
        return self.result


def carries_versions(card: CardContext | None) -> bool:
    """Whether a one-layer-per-record writer writes annotators' versions: for scope all (a
    writer used without a card writes the top-level layer and reports what it left out)."""
    return card is not None and card.scope == "all"


def versions(record: Record, carried: bool = True) -> Iterator[tuple[str | None, Record]]:
    """Each version of a document as a record of its own: (None, the top-level layer: gold,
    or the agreed content), then (annotator, their layer) for each submitted annotation a
    record of scope ``all`` carries, in the record's order (by username).

    The formats that hold one layer per record (brat, CoNLL, spaCy, CSV, doccano) write one
    record per version with the annotator named (DECISIONS.md 49). Under scope ``all`` a
    document that has annotators' work but no gold content has no gold version: an empty
    gold record would read as "no entities here".
    """
    layers = record.get("annotations") or () if carried else ()
    top = {key: value for key, value in record.items() if key != "annotations"}
    if not layers or top.get("spans") or top.get("relations") or top.get("document_labels"):
        yield None, top
    for layer in layers:
        yield (
            layer.get("annotator") or "",
            {
                **top,
                "spans": layer.get("spans") or [],
                "relations": layer.get("relations") or [],
                "chains": layer.get("chains") or [],
                "document_labels": layer.get("document_labels") or {},
            },
        )


def split_order(split: str) -> tuple[int, str]:
    """Sort key: train, dev, test first, in that order, then any other split by name."""
    known = ("train", "dev", "validation", "test")
    return (known.index(split) if split in known else len(known), split)


def span_ref(record: Record, span: Mapping[str, Any]) -> str:
    """How warnings name a span, so a person can find it."""
    return (
        f"document {record.get('external_id')!r} span {span.get('id')!r} "
        f"({span.get('label')} {span.get('start')}-{span.get('end')})"
    )


DEFAULT_GROUP = "label"  # the document label group of a label saved without one


@dataclass(frozen=True)
class DocumentGroup:
    name: str
    values: tuple[str, ...]
    multiple: bool


@dataclass(frozen=True)
class LabelGroups:
    """A project's label names by kind, in schema order: the one place labels are grouped
    (validation's LabelSet, the writers, the card's and the API's agreement read it)."""

    spans: tuple[str, ...]
    relations: tuple[str, ...]
    documents: Mapping[str, DocumentGroup]

    def agreement_arguments(self) -> dict[str, Any]:
        """The label lists `annotations.agreement.agreement_summary` takes."""
        return {
            "span_labels": list(self.spans),
            "relation_labels": list(self.relations),
            "document_groups": {name: list(g.values) for name, g in self.documents.items()},
        }


def label_groups(labels: Iterable[Any]) -> LabelGroups:
    """Group labels (schema dicts or Label rows) by kind; document labels by their group."""
    spans: list[str] = []
    relations: list[str] = []
    groups: dict[str, tuple[list[str], bool]] = {}
    for label in labels:
        kind, name = _field(label, "kind"), _field(label, "name")
        if kind == "span":
            spans.append(name)
        elif kind == "relation":
            relations.append(name)
        elif kind == "document":
            group = _field(label, "group") or DEFAULT_GROUP
            values, multiple = groups.get(group, ([], False))
            groups[group] = ([*values, name], multiple or bool(_field(label, "multiple")))
    documents = {g: DocumentGroup(g, tuple(v), m) for g, (v, m) in groups.items()}
    return LabelGroups(tuple(spans), tuple(relations), documents)


def _field(label: Any, key: str) -> Any:
    return label.get(key) if isinstance(label, Mapping) else getattr(label, key, None)


def span_labels(schema: Schema) -> list[str]:
    return list(label_groups(schema.get("labels", ())).spans)


def relation_labels(schema: Schema) -> list[str]:
    return list(label_groups(schema.get("labels", ())).relations)


def document_groups(schema: Schema) -> dict[str, dict[str, Any]]:
    """group -> {"values": [...], "multiple": bool}, in schema order."""
    groups = label_groups(schema.get("labels", ())).documents
    return {name: {"values": list(g.values), "multiple": g.multiple} for name, g in groups.items()}


def span_attribute_names(schema: Schema) -> list[str]:
    names: dict[str, None] = {}
    for lab in schema.get("labels", ()):
        if lab.get("kind") == "span":
            names.update(dict.fromkeys(lab.get("attributes") or {}))
    return list(names)


def document_label_values(record: Record) -> Iterator[tuple[str, str]]:
    """(group, value) pairs of the gold document labels, list-valued groups flattened."""
    for group, value in (record.get("document_labels") or {}).items():
        for v in value if isinstance(value, list) else [value]:
            yield group, v


def language(schema: Schema) -> str:
    return (schema.get("project") or {}).get("language") or "en"
