"""brat standoff, zipped: ``<name>.txt`` + ``<name>.ann`` per document, plus ``documents.jsonl``,
``annotation.conf``, ``visual.conf`` and the dataset card.

Offsets are characters of the UTF-8 ``.txt``, which brat's Python reads without newline
translation: code points, our unit, so no conversion. The ``.txt`` holds the text byte for byte
(CRLF kept). A span crossing a line break is written as brat writes it, as fragments split at
the break (``T1\\tQUOTE 0 5;7 12\\t…``); the reader joins fragments whose gaps are only
whitespace. An interrupted quote (`fragments`, DECISIONS 44) is one discontinuous ``T``
(``T1\\tQUOTE 1 40;58 120``), and a discontinuous ``T`` whose gaps hold words is read back as
one. Speaker and cue links are ``R`` lines like any relation; a speaker chain is an
``*\\tEquiv T3 T7 T9`` line (brat's equivalence, drawn as one entity), its id and name (brat
has none) in the sidecar with its mentions, so a chain of one mention survives too. A foreign
file's Equiv lines, and its ``R`` lines of a coreference type (``Coref``, ``Coreference``,
``Same_as``, …), become chains ``e1``, ``e2``, … (links sharing a mention are one chain).

brat has no document-level annotation, so document labels, title, meta, split and the original
external id go in one ``documents.jsonl`` sidecar (a line per document, keyed by file name),
which the reader reads back and brat ignores. One file rather than one per document keeps the
zip's central directory, held in memory until the end, small. Only the shared files are
checksummed in the card; the per-document files are covered by ``documents.jsonl``'s order.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from itertools import pairwise
from pathlib import Path
from typing import IO, Any, BinaryIO

from .archive import ZipOut
from .base import (
    CardContext,
    FormatError,
    ReadLimits,
    Record,
    Schema,
    Tally,
    WriteResult,
    relation_labels,
    span_labels,
)
from .jsonl import dumps
from .reading import ReadResult, json_lines, new_record
from .zip_reading import ZipIn

SIDECAR = "documents.jsonl"
# Relation types other brat setups draw coreference with: read as chains, like Equiv.
COREFERENCE_LABELS = frozenset({"coref", "coreference", "equiv", "same_as", "identity"})

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class BratWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._schema = schema
        self._card = card
        self._zip = ZipOut(out, card.exported_at if card else None)
        self._tally = Tally("brat")
        self._names: set[str] = set()
        # closed in close(); a writer spans many calls, so no with-block fits
        self._sidecar = tempfile.TemporaryFile()  # noqa: SIM115

    def write(self, record: Record) -> None:
        self._tally.count(record)
        self._tally.uncarried_annotations(record)
        name = self._name(record["external_id"])
        text = record["text"]
        self._zip.add(f"{name}.txt", text.encode("utf-8"), track=False)
        self._zip.add(f"{name}.ann", _ann(record, text).encode("utf-8"), track=False)
        sidecar = {
            "file": name,
            "external_id": record["external_id"],
            "title": record.get("title", ""),
            "document_labels": record.get("document_labels") or {},
            "meta": record.get("meta") or {},
        }
        chains = _chain_members(record)
        if chains:
            sidecar["chains"] = chains
        if record.get("split"):
            sidecar["split"] = record["split"]
        self._sidecar.write(dumps(sidecar))

    def _name(self, external_id: str) -> str:
        """A safe, unique file stem; the real id is kept in the sidecar."""
        base = _UNSAFE.sub("_", external_id)[:100] or "doc"
        name, n = base, 1
        while name.lower() in self._names:  # case-insensitive file systems
            n += 1
            name = f"{base}-{n}"
        self._names.add(name.lower())
        return name

    def close(self) -> WriteResult:
        from .card import dataset_card

        self._sidecar.seek(0)
        self._zip.add_stream(SIDECAR, self._sidecar)
        self._sidecar.close()
        self._zip.add("annotation.conf", annotation_conf(self._schema).encode("utf-8"))
        self._zip.add("visual.conf", visual_conf(self._schema).encode("utf-8"))
        result = self._tally.finish()
        if self._card is not None:
            card = dataset_card(self._schema, result, self._card, files=dict(self._zip.files))
            self._zip.add("README.md", card.encode("utf-8"))
        self._zip.close()
        result.files = dict(self._zip.files)
        return result


def _t_ids(record: Record) -> dict[str, str]:
    return {span["id"]: f"T{n}" for n, span in enumerate(record.get("spans") or (), start=1)}


def _chain_members(record: Record) -> list[dict[str, Any]]:
    """The record's chains for the sidecar: id, name and their mentions' T ids."""
    t_ids = _t_ids(record)
    mentions: dict[str, list[str]] = {}
    for span in record.get("spans") or ():
        if span.get("chain"):
            mentions.setdefault(span["chain"], []).append(t_ids[span["id"]])
    names = {c["id"]: c.get("name") or "" for c in record.get("chains") or ()}
    return [{"id": cid, "name": names.get(cid, ""), "mentions": ts} for cid, ts in mentions.items()]


def _ann(record: Record, text: str) -> str:
    lines, t_ids = [], _t_ids(record)
    for n, span in enumerate(record.get("spans") or (), start=1):
        fragments = [
            piece
            for start, end in span.get("fragments") or [(span["start"], span["end"])]
            for piece in _fragments(text, start, end)
        ]
        offsets = ";".join(f"{s} {e}" for s, e in fragments)
        covered = " ".join(text[s:e] for s, e in fragments)
        lines.append(f"T{n}\t{span['label']} {offsets}\t{covered}")
    a = 0
    for span in record.get("spans") or ():
        for key, value in (span.get("attributes") or {}).items():
            for v in value if isinstance(value, list) else [value]:
                a += 1
                lines.append(f"A{a}\t{key} {t_ids[span['id']]} {v}")
    for n, rel in enumerate(record.get("relations") or (), start=1):
        if rel["from"] in t_ids and rel["to"] in t_ids:
            lines.append(f"R{n}\t{rel['label']} Arg1:{t_ids[rel['from']]} Arg2:{t_ids[rel['to']]}")
    for chain in _chain_members(record):
        if len(chain["mentions"]) > 1:
            lines.append(f"*\tEquiv {' '.join(chain['mentions'])}")
    return "".join(line + "\n" for line in lines)


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Split ``start:end`` at line breaks, as brat does for spans across lines."""
    fragments, position = [], start
    for brk in _LINE_BREAK.finditer(text, start, end):
        if brk.start() > position:
            fragments.append((position, brk.start()))
        position = brk.end()
    if end > position:
        fragments.append((position, end))
    return fragments


def annotation_conf(schema: Schema) -> str:
    """brat's type configuration; ``<OVERLAP>`` allows entities inside quotes."""
    lines = ["[entities]", *span_labels(schema), "", "[relations]"]
    for lab in schema.get("labels", ()):
        if lab.get("kind") == "relation":
            sources = "|".join(lab.get("source_labels") or ["<ENTITY>"])
            targets = "|".join(lab.get("target_labels") or ["<ENTITY>"])
            lines.append(f"{lab['name']}\tArg1:{sources}, Arg2:{targets}")
    lines += [
        "Equiv\tArg1:<ENTITY>, Arg2:<ENTITY>, <REL-TYPE>:symmetric-transitive",
        "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>",
        "",
        "[events]",
        "",
    ]
    lines.append("[attributes]")
    for lab in schema.get("labels", ()):
        for name, values in (lab.get("attributes") or {}).items():
            lines.append(f"{name}\tArg:{lab['name']}, Value:{'|'.join(values)}")
    return "\n".join(lines) + "\n"


def visual_conf(schema: Schema) -> str:
    lines = ["[labels]", *span_labels(schema), *relation_labels(schema), "", "[drawing]"]
    for lab in schema.get("labels", ()):
        if lab.get("kind") == "span" and lab.get("color"):
            lines.append(f"{lab['name']}\tbgColor:{lab['color']}")
    return "\n".join(lines) + "\n"


def read_brat(source: IO[bytes], limits: ReadLimits | None = None) -> ReadResult:
    """Read a brat zip: every ``.txt`` with its ``.ann`` (and our ``.json`` sidecar, if any),
    within ``limits`` (members, inflated bytes per member and in all: see ``zip_reading.ZipIn``).

    Fragments separated only by whitespace are joined; a discontinuous span with words in its
    gaps is an interrupted span (`fragments`); Equiv lines are speaker chains. Events,
    normalisations and notes are reported in ``warnings``, not imported.
    """
    warnings: list[str] = []
    return ReadResult(_records(source, limits or ReadLimits(), warnings), warnings)


def _records(source: IO[bytes], limits: ReadLimits, warnings: list[str]) -> Iterator[Record]:
    with ZipIn(source, limits) as archive:
        names = archive.names()
        sidecar = _sidecar(archive) if SIDECAR in names else {}
        # macOS zips add "__MACOSX/._name.txt" resource forks: not documents
        texts = sorted(n for n in names if n.endswith(".txt") and not _resource_fork(n))
        # documents in export order when our sidecar says it, else by file name
        order = {name: i for i, name in enumerate(sidecar)}
        texts.sort(key=lambda n: order.get(n[: -len(".txt")], len(order)))
        for txt in texts:
            stem = txt[: -len(".txt")]
            text = _decode(archive.read(txt), txt)
            ann = (
                _decode(archive.read(f"{stem}.ann"), f"{stem}.ann")
                if f"{stem}.ann" in names
                else ""
            )
            record = new_record(Path(stem).name, text)
            for key in ("external_id", "title", "document_labels", "meta", "split"):
                if key in sidecar.get(stem, {}):
                    record[key] = sidecar[stem][key]
            ours = sidecar.get(stem, {}).get("chains")
            equivalences = _parse_ann(record, ann, f"{stem}.ann", warnings, ours is None)
            _chains(record, ours, equivalences, f"{stem}.ann")
            yield record


def _resource_fork(name: str) -> bool:
    return name.startswith("__MACOSX/") or Path(name).name.startswith("._")


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 at byte {exc.start}", field=name) from exc


def _sidecar(archive: ZipIn) -> dict[str, dict[str, Any]]:
    """file stem -> document facts, from our documents.jsonl."""
    try:
        return {obj.get("file", ""): obj for _, obj in json_lines(archive.lines(SIDECAR))}
    except FormatError as exc:
        raise FormatError(exc.message, line=exc.line, field=SIDECAR) from exc


def _parse_ann(
    record: Record, ann: str, name: str, warnings: list[str], foreign_chains: bool = True
) -> list[list[str]]:
    """Spans, attributes and relations into the record; the Equiv lines' T ids (and, in a
    file without our sidecar's chains, coreference links' ends), returned."""
    text, spans = record["text"], {}
    relations: list[dict[str, Any]] = []
    equivalences: list[list[str]] = []
    attributes: list[tuple[int, str, str, str]] = []
    for number, line in enumerate(ann.splitlines(), start=1):
        if not line.strip():
            continue
        kind = line[0]
        fields = line.split("\t")
        if kind == "T":
            span = _span(fields, text, number, name, record, warnings)
            if span is not None:
                spans[span["id"]] = span
        elif kind == "R":
            relation = _relation(fields, number, name)
            if foreign_chains and relation["label"].casefold() in COREFERENCE_LABELS:
                # Another tool's chains drawn as links: one chain per connected group.
                equivalences.append([relation["from"], relation["to"]])
            else:
                relations.append(relation)
        elif kind in "AM":
            parts = fields[1].split() if len(fields) > 1 else []
            if len(parts) not in (2, 3):
                raise FormatError("expected 'A<n>\\tName T<n> [Value]'", line=number, field=name)
            attributes.append((number, parts[1], parts[0], parts[2] if len(parts) == 3 else "true"))
        elif kind == "*" and len(fields) > 1 and fields[1].split()[:1] == ["Equiv"]:
            equivalences.append(fields[1].split()[1:])
        else:
            what = {"E": "event", "*": "equivalence", "N": "normalisation", "#": "note"}
            warnings.append(
                f"document {record['external_id']!r} {name}:{number}: "
                f"{what.get(kind, 'unknown annotation')} {fields[0]!r} not imported"
            )
    for number, target, key, value in attributes:
        if target not in spans:
            warnings.append(f"{name}:{number}: attribute on unknown {target!r} skipped")
            continue
        current = spans[target]["attributes"].get(key)
        spans[target]["attributes"][key] = value if current is None else [*_list(current), value]
    record["spans"] = list(spans.values())
    for rel in relations:
        if rel["from"] in spans and rel["to"] in spans:
            record["relations"].append(rel)
        else:
            warnings.append(f"{name}: relation {rel['id']} to a skipped or unknown span skipped")
    return equivalences


def _chains(record: Record, ours: Any, equivalences: list[list[str]], name: str) -> None:
    """Speaker chains: our sidecar's (ids, names, mentions), else the Equiv lines' and
    coreference links' (chains e1, e2, … unnamed; lines sharing a mention are one chain)."""
    spans = {span["id"]: span for span in record["spans"]}
    if isinstance(ours, list):
        groups = [
            (str(c.get("id")), str(c.get("name") or ""), c.get("mentions") or [])
            for c in ours
            if isinstance(c, dict)
        ]
    else:
        groups = [(f"e{n}", "", ids) for n, ids in enumerate(_joined(equivalences), start=1)]
    chains = []
    for chain_id, chain_name, mentions in groups:
        known = [spans[t] for t in mentions if isinstance(t, str) and t in spans]
        if not known:
            continue
        for span in known:
            span["chain"] = chain_id
        chains.append({"id": chain_id, "name": chain_name})
    if chains:
        record["chains"] = chains


def _span(
    fields: list[str], text: str, line: int, name: str, record: Record, warnings: list[str]
) -> dict[str, Any] | None:
    try:
        label, offsets = fields[1].split(" ", 1)
        fragments = [tuple(map(int, part.split())) for part in offsets.split(";")]
    except (IndexError, ValueError) as exc:
        raise FormatError(
            "expected 'T<n>\\tLabel start end[;start end]\\ttext'", line=line, field=name
        ) from exc
    if any(len(f) != 2 or not 0 <= f[0] < f[1] <= len(text) for f in fragments):
        raise FormatError(f"offsets {offsets!r} outside the text", line=line, field=name)
    # brat splits a span at each line break: gaps of whitespace alone join again; gaps with
    # words are an interrupted span's (a quote broken by its speaker tag).
    pieces = [list(fragments[0])]
    for before, after in pairwise(fragments):
        if before[1] > after[0]:
            raise FormatError(f"fragments {offsets!r} out of order", line=line, field=name)
        if text[before[1] : after[0]].strip():
            pieces.append(list(after))
        else:
            pieces[-1][1] = after[1]
    span: dict[str, Any] = {
        "id": fields[0],
        "start": fragments[0][0],
        "end": fragments[-1][1],
        "label": label,
        "attributes": {},
    }
    if len(pieces) > 1:
        span["fragments"] = pieces
    return span


def _joined(groups: list[list[str]]) -> list[list[str]]:
    """Equiv groups sharing a member merged (brat's equivalence is transitive), in order."""
    merged: list[list[str]] = []
    for group in groups:
        members = list(dict.fromkeys(group))
        overlapping = [m for m in merged if set(m) & set(members)]
        for other in overlapping:
            merged.remove(other)
            members = list(dict.fromkeys([*other, *members]))
        merged.append(members)
    return merged


def _relation(fields: list[str], line: int, name: str) -> dict[str, Any]:
    parts = fields[1].split() if len(fields) > 1 else []
    if len(parts) != 3 or ":" not in parts[1] or ":" not in parts[2]:
        raise FormatError("expected 'R<n>\\tLabel Arg1:T<a> Arg2:T<b>'", line=line, field=name)
    return {
        "id": fields[0],
        "from": parts[1].split(":", 1)[1],
        "to": parts[2].split(":", 1)[1],
        "label": parts[0],
    }


def _list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
