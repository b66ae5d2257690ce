"""doccano JSONL, both shapes doccano reads, offsets in UTF-16 code units by default.

doccano measures offsets with JavaScript string indices, i.e. UTF-16 code units (doccano issue
#2290): an emoji before a span shifts it by two, not one. A project with "Count grapheme
clusters as one character" on stores offsets in grapheme clusters instead. We convert both
ways (``offsets.py``).

Two shapes, one per doccano import option (the writer's ``shape``):

``relation`` (default), for a Sequence Labeling project with "Use relation labeling" on,
imported with "JSONL(Relation)"::

    {"id": 1, "external_id": "doc-1", "text": "…",
     "entities": [{"id": 1, "label": "PER", "start_offset": 0, "end_offset": 16}],
     "relations": [{"id": 1, "from_id": 2, "to_id": 1, "type": "SPEAKER"}],
     "cats": ["negative"]}

``label``, for doccano's default Sequence Labeling project, imported with "JSONL"::

    {"id": 1, "external_id": "doc-1", "text": "…", "label": [[0, 16, "PER"]],
     "cats": ["negative"]}

Document labels go in ``cats`` (doccano's key for document categories next to spans) rather
than ``label``, which doccano's sequence-labelling import reads as spans; a Sequence Labeling
project keeps ``cats`` (and ``external_id``) as example metadata and writes them back. doccano
has no span attributes and no per-annotator layers in these shapes, and the label shape has no
relations: what is not written is reported. An export of scope ``all`` writes a line per
version of a document: the gold one, then one per submitted annotation with an ``annotator``
key naming its author (doccano keeps it as metadata); ``id`` numbers lines.

On import, ``id``, ``Comments`` and every other key doccano keeps as metadata land in the
document's ``meta`` (doccano's own under ``meta["doccano"]``). With no offset unit given, the
reader checks every span against the text under each unit (``detect_unit``) and refuses a file
whose unit is ambiguous or inconsistent rather than guessing.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from itertools import combinations
from typing import IO, Any, BinaryIO, Literal

from . import emulation
from .base import (
    CardContext,
    FormatError,
    Record,
    Schema,
    Tally,
    WriteResult,
    carries_versions,
    document_groups,
    document_label_values,
    relation_labels,
    span_ref,
    versions,
)
from .jsonl import dumps
from .offsets import UNITS, decoder, encoder
from .reading import ReadResult, json_lines, keep_known_relations, new_record

OffsetUnit = Literal["utf16", "code_point", "grapheme"]
Shape = Literal["relation", "label"]
SHAPES = ("relation", "label")

# Keys of a doccano line that are not metadata (doccano writes its metadata as top-level keys).
_CONTENT_KEYS = {"text", "data", "label", "labels", "entities", "relations", "cats", "meta"}
_ENTITY_KEYS = {"id", "label", "start_offset", "end_offset"}
_RELATION_KEYS = {"id", "from_id", "to_id", "type", "label"}


class DoccanoWriter:
    def __init__(
        self,
        out: BinaryIO,
        schema: Schema,
        *,
        card: CardContext | None = None,
        shape: Shape = "relation",
        offset_unit: OffsetUnit = "utf16",
    ) -> None:
        if shape not in SHAPES or offset_unit not in UNITS:
            raise ValueError(f"doccano: unknown shape {shape!r} or offset unit {offset_unit!r}")
        self._out = out
        self._shape = shape
        self._unit = offset_unit
        self._tally = Tally("doccano")
        self._all = carries_versions(card)
        self._next_entity = 1
        self._next_relation = 1
        self._lines = 0
        self._attributes_dropped = 0
        self._relations_dropped = 0
        self._single_chains = 0
        self._chains_written = 0
        self._names_dropped = 0

    def write(self, record: Record) -> None:
        self._tally.count(record)
        if not self._all:
            self._tally.uncarried_annotations(record)
        if self._shape == "label":
            self._tally.uncarried_attribution(record, fragments=True, chains=True)
        for annotator, version in versions(record, self._all):
            self._write_version(annotator, version)

    def _write_version(self, annotator: str | None, record: Record) -> None:
        """One line per version (DECISIONS.md 49): an annotator's carries ``annotator``."""
        entities, ids = self._entities(record)
        self._lines += 1
        line: dict[str, Any] = {
            "id": self._lines,
            "external_id": record["external_id"],
            "text": record["text"],
        }
        if annotator is not None:
            line["annotator"] = annotator
        if self._shape == "label":
            line["label"] = [[e["start_offset"], e["end_offset"], e["label"]] for e in entities]
            self._relations_dropped += len(record.get("relations") or ())
        else:
            line["entities"] = entities
            line["relations"] = self._relations(record, ids)
        line["cats"] = [value for _, value in document_label_values(record)]
        self._out.write(dumps(line))

    def _entities(self, record: Record) -> tuple[list[dict[str, Any]], dict[str, int]]:
        """doccano entities in the chosen unit, and our span (or fragment region) id ->
        doccano entity id. Shape relation writes each fragment of an interrupted span as an
        entity (``emulation.py``); shape label writes the span whole. A span whose ends have
        no offset in the unit (inside a grapheme cluster) is skipped and reported, never
        moved."""
        convert = encoder(self._unit, record["text"])
        entities, ids = [], {}
        if self._shape == "relation":
            regions = emulation.pieces(record)[0]
        else:
            regions = [
                emulation.Piece(s, s["id"], s["start"], s["end"], True)
                for s in record.get("spans") or ()
            ]
        offsets: dict[str, tuple[int, int]] = {}  # region id -> offsets in the unit
        skipped: set[str] = set()  # a fragment without the rest of its span is another span
        for piece in regions:
            try:
                offsets[piece.id] = convert(piece.start), convert(piece.end)
            except ValueError as exc:
                if piece.span["id"] not in skipped:
                    self._tally.warn(f"{span_ref(record, piece.span)}: {exc}; skipped")
                skipped.add(piece.span["id"])
        for piece in regions:
            if piece.span["id"] in skipped:
                continue
            ids[piece.id] = self._next_entity
            start, end = offsets[piece.id]
            entities.append(
                {
                    "id": self._next_entity,
                    "label": piece.span["label"],
                    "start_offset": start,
                    "end_offset": end,
                }
            )
            self._next_entity += 1
            self._attributes_dropped += piece.first and bool(piece.span.get("attributes"))
        return entities, ids

    def _relations(self, record: Record, ids: dict[str, int]) -> list[dict[str, Any]]:
        """The record's relations, then the FRAGMENT and COREF relations that emulate
        interrupted spans and chains (``emulation.py``)."""
        relations = []
        links = emulation.pieces(record)[1]
        self._note_chains(record)
        for rel in [*(record.get("relations") or ()), *links]:
            if rel["from"] not in ids or rel["to"] not in ids:
                self._tally.warn(
                    f"document {record['external_id']!r}: relation {rel.get('id')!r} refers "
                    "to a missing span; skipped"
                )
                continue
            relations.append(
                {
                    "id": self._next_relation,
                    "from_id": ids[rel["from"]],
                    "to_id": ids[rel["to"]],
                    "type": rel["label"],
                }
            )
            self._next_relation += 1
        return relations

    def _note_chains(self, record: Record) -> None:
        """Count what of the chains doccano cannot hold: ids and names (written chains keep
        only their mentions), and chains of one mention (no relation to draw them with)."""
        sizes: dict[str, int] = {}
        for span in record.get("spans") or ():
            if span.get("chain"):
                sizes[span["chain"]] = sizes.get(span["chain"], 0) + 1
        self._single_chains += sum(1 for size in sizes.values() if size == 1)
        self._chains_written += sum(1 for size in sizes.values() if size > 1)
        named = {c["id"] for c in record.get("chains") or () if c.get("name")}
        self._names_dropped += len(named & set(sizes))

    def close(self) -> WriteResult:
        if self._chains_written:
            names = f" and {self._names_dropped} name(s)" if self._names_dropped else ""
            self._tally.warn(
                f"{self._chains_written} speaker chain(s) written as COREF relations without "
                f"their ids{names}: doccano has no place for them (read back, a chain is e1, "
                "e2, … and its canonical name comes from its mentions)"
            )
        if self._single_chains:
            self._tally.warn(
                f"{self._single_chains} chain(s) of one mention not written: doccano draws a "
                "chain with COREF relations, and one mention has none"
            )
        if self._attributes_dropped:
            self._tally.warn(
                f"{self._attributes_dropped} span(s) have attributes; doccano has no span "
                "attributes, so they were not written"
            )
        if self._relations_dropped:
            self._tally.warn(
                f"{self._relations_dropped} relation(s) not written: doccano's label shape has "
                "no relations (export with shape 'relation' for a relation project)"
            )
        return self._tally.finish()


# -- reading --------------------------------------------------------------------------------


class UnitUnclear(FormatError):
    """No offset unit was given and the spans do not say which one the file uses.

    ``ambiguous``: several units fit every span but read different text (``readings``: unit →
    the text the first such span covers). ``inconsistent``: no unit fits every span
    (``misfits``: unit → (line, span index, reason) where it first fails; reasons are
    ``surrogate``, ``cluster``, ``range``). The importer words it for the user's language.
    """

    def __init__(
        self,
        *,
        line: int | None = None,
        span: int | None = None,
        label: str = "",
        readings: dict[str, str] | None = None,
        misfits: dict[str, tuple[int, int, str]] | None = None,
    ) -> None:
        self.span = span
        self.label = label
        self.readings = readings or {}
        self.misfits = misfits or {}
        if self.readings:
            texts = ", ".join(f"{u}: {t!r}" for u, t in self.readings.items())
            message = f"offset unit ambiguous: span {span} ({label}) reads {texts}"
        else:
            where = ", ".join(
                f"{u} at line {m[0]} span {m[1]} ({m[2]})" for u, m in self.misfits.items()
            )
            message = f"no offset unit fits every span: {where}"
        super().__init__(message, line=line, field="offset_unit")


def read_doccano(
    source: IO[bytes] | Iterable[str | bytes],
    *,
    offset_unit: OffsetUnit | None = None,
    schema: Schema | None = None,
    external_id_key: str | None = None,
) -> ReadResult:
    """Read doccano JSONL in either shape: ``label: [[start, end, "PER"], …]`` (or a list of
    category names, for text classification) or ``entities``/``relations``.

    ``offset_unit`` is what the file uses: ``"utf16"`` for doccano itself, ``"grapheme"`` for a
    doccano project in grapheme mode, ``"code_point"`` for files made by Python scripts; None
    detects it from the spans (``detect_unit``), reading the file twice. ``schema`` maps
    category names to their document label group; without it, or for unknown names,
    categories land in the group ``"label"``. Entities joined by ``FRAGMENT`` relations are
    one interrupted span and ``COREF`` relations make chains (``emulation.py``), unless
    ``schema`` has relation labels of those names. The external id is the line's
    ``external_id_key`` (default ``external_id``, else doccano's ``id``).
    """
    if offset_unit is not None and offset_unit not in UNITS:
        raise ValueError(f"offset_unit must be one of {UNITS}, not {offset_unit!r}")
    warnings: list[str] = []
    groups = {v: g for g, spec in document_groups(schema or {}).items() for v in spec["values"]}
    reserved = emulation.reserved_labels(relation_labels(schema) if schema else None)
    reader = _Reader(groups, warnings, external_id_key, reserved)
    return ReadResult(reader.records(source, offset_unit), warnings)


@dataclass
class _Reader:
    groups: dict[str, str]
    warnings: list[str]
    external_id_key: str | None
    reserved: frozenset[str] = frozenset(emulation.RESERVED)
    uncarried: dict[str, int] = field(default_factory=dict)

    def records(
        self, source: IO[bytes] | Iterable[str | bytes], unit: OffsetUnit | None
    ) -> Iterator[Record]:
        if unit is None:
            source = source if hasattr(source, "seek") else list(source)
            unit = detect_unit(source)
            if hasattr(source, "seek"):
                source.seek(0)
        for number, obj in json_lines(source):
            yield self.record(number, obj, unit)
        for what, count in sorted(self.uncarried.items()):
            self.warnings.append(f"{count} {what} not imported: doccano fields we do not model")

    def record(self, number: int, obj: dict[str, Any], unit: OffsetUnit) -> Record:
        text = _text(obj, number)
        record = new_record(self.external_id(obj, number), text)
        record["meta"] = _meta(obj, self.external_id_key or "external_id")
        convert = decoder(unit, text)
        raw_spans, categories = _split_label_field(obj, number)
        ids: dict[Any, str] = {}
        for index, raw in enumerate(raw_spans):
            span = _span(raw, index, text, convert, number)
            ids[raw["id"] if isinstance(raw, dict) and "id" in raw else index] = span["id"]
            record["spans"].append(span)
            if isinstance(raw, dict):
                self.note(raw, _ENTITY_KEYS, "entity field(s)")
        record["relations"] = self.relations(obj.get("relations") or [], ids, record, number)
        doc = f"document {record['external_id']!r} (line {number})"
        emulation.decode(record, reserved=self.reserved, doc=doc, warnings=self.warnings)
        for category in categories:
            group = self.groups.get(category, "label")
            _add_document_label(record, group, category)
        return record

    def external_id(self, obj: dict[str, Any], line: int) -> str:
        meta: dict[str, Any] = obj["meta"] if isinstance(obj.get("meta"), dict) else {}
        if self.external_id_key:
            value = obj.get(self.external_id_key, meta.get(self.external_id_key))
            if value is None or value == "":
                raise FormatError(
                    f"no {self.external_id_key!r} (the external_id_key)",
                    line=line,
                    field=self.external_id_key,
                )
        else:
            value = obj.get("external_id", meta.get("external_id", obj.get("id")))
        return f"line-{line}" if value is None or value == "" else str(value)

    def relations(
        self, raw: Any, ids: dict[Any, str], record: Record, line: int
    ) -> list[dict[str, Any]]:
        if not isinstance(raw, list):
            raise FormatError("must be a list", line=line, field="relations")
        relations = []
        for index, rel in enumerate(raw):
            if not isinstance(rel, dict) or "from_id" not in rel or "to_id" not in rel:
                raise FormatError(f"relation {index} needs from_id and to_id", line=line)
            self.note(rel, _RELATION_KEYS, "relation field(s)")
            relations.append(
                {
                    "id": f"r{index + 1}",
                    "from": ids.get(rel["from_id"], f"?{rel['from_id']}"),
                    "to": ids.get(rel["to_id"], f"?{rel['to_id']}"),
                    "label": str(rel.get("type", rel.get("label", ""))),
                }
            )
        return keep_known_relations(record, relations, self.warnings)

    def note(self, item: dict[str, Any], known: set[str], what: str) -> None:
        for key in sorted(set(item) - known):
            name = f"{what} {key!r}"
            self.uncarried[name] = self.uncarried.get(name, 0) + 1


def _text(obj: dict[str, Any], line: int) -> str:
    text = obj.get("text", obj.get("data"))
    if not isinstance(text, str):
        raise FormatError("missing or not str", line=line, field="text")
    return text


def _meta(obj: dict[str, Any], id_key: str) -> dict[str, Any]:
    """doccano's metadata (top-level keys, or a `meta` object from older versions), with its
    example id and comments under `doccano`."""
    meta = dict(obj["meta"]) if isinstance(obj.get("meta"), dict) else {}
    own: dict[str, Any] = {}
    for key, value in obj.items():
        if key in _CONTENT_KEYS:
            continue
        if key == "id":
            own["id"] = value
        elif key in ("Comments", "comments"):
            if value:
                own["comments"] = value
        else:
            meta[key] = value
    meta.pop(id_key, None)  # it is the document's external id
    if own:
        meta["doccano"] = own
    return meta


def _split_label_field(obj: dict[str, Any], line: int) -> tuple[list[Any], list[str]]:
    """Spans and categories, whichever shape the line uses."""
    label = obj.get("label", obj.get("labels"))
    spans = obj.get("entities")
    categories = obj.get("cats") or []
    if isinstance(label, list) and label and all(isinstance(x, str) for x in label):
        categories = [*categories, *label]
    elif label is not None:
        spans = [*(spans or []), *label] if isinstance(label, list) else label
    if not isinstance(spans or [], list) or not isinstance(categories, list):
        raise FormatError("must be a list", line=line, field="entities")
    return spans or [], [str(c) for c in categories]


def _raw_offsets(raw: Any, index: int, line: int) -> tuple[int, int, str]:
    if isinstance(raw, list) and len(raw) == 3:
        start, end, label = raw
    elif isinstance(raw, dict):
        start, end, label = raw.get("start_offset"), raw.get("end_offset"), raw.get("label")
    else:
        raise FormatError(f"span {index} is neither [start, end, label] nor an object", line=line)
    if not (
        isinstance(start, int)
        and isinstance(end, int)
        and not isinstance(start, bool)
        and not isinstance(end, bool)
        and isinstance(label, str)
    ):
        raise FormatError(f"span {index} needs integer offsets and a label", line=line)
    return start, end, label


def _span(raw: Any, index: int, text: str, convert: Any, line: int) -> dict[str, Any]:
    start, end, label = _raw_offsets(raw, index, line)
    if start < 0 or end < 0:
        raise FormatError(f"span {index} offsets outside the text", line=line, field="end_offset")
    try:
        start, end = convert(start), convert(end)
    except ValueError as exc:
        raise FormatError(f"span {index}: {exc}", line=line, field="start_offset") from exc
    if not 0 <= start < end <= len(text):
        raise FormatError(f"span {index} offsets outside the text", line=line, field="end_offset")
    return {"id": f"s{index + 1}", "start": start, "end": end, "label": label, "attributes": {}}


def _add_document_label(record: Record, group: str, value: str) -> None:
    labels = record["document_labels"]
    if group not in labels:
        labels[group] = value
    elif isinstance(labels[group], list):
        labels[group].append(value)
    else:
        labels[group] = [labels[group], value]


# -- which unit? ----------------------------------------------------------------------------


def _fit(unit: str, text: str, start: int, end: int) -> tuple[int, int] | str:
    """The span in code points under ``unit``, or why it cannot be in that unit:
    ``surrogate`` (an offset between the halves of a UTF-16 surrogate pair) or ``range``."""
    try:
        convert = decoder(unit, text)
        cp_start, cp_end = convert(start), convert(end)
    except ValueError as exc:
        return "surrogate" if unit == "utf16" and "surrogate" in str(exc) else "range"
    if not 0 <= cp_start < cp_end <= len(text):
        return "range"
    return cp_start, cp_end


def detect_unit(source: IO[bytes] | Iterable[str | bytes]) -> OffsetUnit:
    """The one offset unit the file's spans are in, or ``UnitUnclear``.

    A unit fits a span when both offsets land in the text, start before end, on a boundary the
    unit has (UTF-16: not between the halves of a surrogate pair). A unit that fails any span
    is out. If the units left read the same code points for every span, it does not matter
    which (text with no emoji, flags or combining marks: nearly all news); if two of them read
    different text somewhere, the file is ambiguous and the first such span is named; if none
    is left, the file is inconsistent and each unit's first failure is named.
    """
    misfits: dict[str, tuple[int, int, str]] = {}
    # for each pair of units, the first span where both fit and read different offsets
    differences: dict[tuple[str, str], UnitUnclear] = {}
    for number, obj in json_lines(source):
        text = _text(obj, number)
        raw_spans, _ = _split_label_field(obj, number)
        for index, raw in enumerate(raw_spans):
            start, end, label = _raw_offsets(raw, index, number)
            fits: dict[str, tuple[int, int]] = {}
            for unit in UNITS:
                if unit in misfits:
                    continue
                found = _fit(unit, text, start, end)
                if isinstance(found, str):
                    misfits[unit] = (number, index, found)
                else:
                    fits[unit] = found
            if all(misfits.get(unit, ())[:2] == (number, index) for unit in UNITS):
                # wrong in every unit: the span is broken, whatever the file's unit
                raise FormatError(
                    f"span {index} offsets outside the text", line=number, field="end_offset"
                )
            for pair in combinations(fits, 2):
                if pair not in differences and fits[pair[0]] != fits[pair[1]]:
                    readings = {u: text[s:e] for u, (s, e) in fits.items()}
                    differences[pair] = UnitUnclear(
                        line=number, span=index, label=label, readings=readings
                    )
    candidates = [unit for unit in UNITS if unit not in misfits]
    if not candidates:
        raise UnitUnclear(misfits=misfits)
    unclear = [d for pair, d in differences.items() if set(pair) <= set(candidates)]
    if unclear:
        first = min(unclear, key=lambda d: (d.line or 0, d.span or 0))
        first.readings = {u: t for u, t in first.readings.items() if u in candidates}
        raise first
    return candidates[0]  # type: ignore[return-value]
