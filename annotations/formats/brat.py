"""brat standoff, zipped: ``<name>.txt`` + ``<name>.ann`` per document, plus ``documents.jsonl``,
``annotation.conf``, ``visual.conf`` and the dataset card.

Offsets are characters of the UTF-8 ``.txt``, which brat's Python reads without newline
translation: code points, our unit, so no conversion. The ``.txt`` holds the text byte for byte
(CRLF kept). A span crossing a line break is written as brat writes it, as fragments split at
the break (``T1\\tQUOTE 0 5;7 12\\t…``); the reader joins fragments whose gap is whitespace
holding a line break. An interrupted quote (`fragments`, DECISIONS 46) is one discontinuous
``T`` (``T1\\tQUOTE 1 40;58 120``), and a discontinuous ``T`` whose gaps hold words, or spaces
alone, is read back as one; where one of its gaps is whitespace with a line break (which the
file cannot tell from brat's split), the sidecar's ``fragments`` (T id -> fragments) says so.
Speaker and cue links are ``R`` lines like any relation; a speaker chain is an
``*\\tEquiv T3 T7 T9`` line (brat's equivalence, drawn as one entity), its id and name (brat
has none) in the sidecar with its mentions, so a chain of one mention survives too. A foreign
file's Equiv lines, and its ``R`` lines of a coreference type (``Coref``, ``Coreference``,
``Same_as``, …), become chains ``e1``, ``e2``, … (links sharing a mention are one chain).

brat has no document-level annotation, so document labels, title, meta, split and the original
external id go in one ``documents.jsonl`` sidecar (a line per document, keyed by file name),
which the reader reads back and brat ignores. One file rather than one per document keeps the
zip's central directory, held in memory until the end, small. Only the shared files are
checksummed in the card; the per-document files are covered by ``documents.jsonl``'s order.

An export of scope ``all`` adds each annotator's version of a document as a collection of its
own, ``annotators/<user>/<name>.txt`` and ``.ann`` (brat opens a directory as a collection), and
lists them in the document's sidecar line (``annotations``: annotator, file stem, document
labels); the reader reads them back as that document's annotators' layers.
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
    carries_versions,
    relation_labels,
    span_labels,
    versions,
)
from .jsonl import dumps
from .reading import ReadResult, json_lines, new_record
from .zip_reading import ZipIn

SIDECAR = "documents.jsonl"
# Where an export of scope all puts each annotator's version: <ANNOTATORS>/<user>/<name>.ann.
ANNOTATORS = "annotators"
# Relation types other brat setups draw coreference with: read as chains, like Equiv.
COREFERENCE_LABELS = frozenset({"coref", "coreference", "equiv", "same_as", "identity"})

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


class BratWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._schema = schema
        self._card = card
        self._zip = ZipOut(out)
        self._tally = Tally("brat")
        self._all = carries_versions(card)
        self._names: set[str] = set()
        self._folders: dict[str, str] = {}
        # closed in close(); a writer spans many calls, so no with-block fits
        self._sidecar = tempfile.TemporaryFile()  # noqa: SIM115

    def write(self, record: Record) -> None:
        self._tally.count(record)
        if not self._all:
            self._tally.uncarried_annotations(record)
        name = self._name(record["external_id"])
        text = record["text"]
        data = text.encode("utf-8")
        sidecar: dict[str, Any] = {"file": name, "external_id": record["external_id"]}
        layers = []
        chains: list[dict[str, Any]] = []
        gaps: dict[str, list[list[int]]] = {}
        # The top-level pair is the gold version; brat wants an .ann beside every .txt, so a
        # document with annotators' versions only (scope all) gets an empty one.
        self._zip.add(f"{name}.txt", data, track=False)
        gold = ""
        for annotator, version in versions(record, self._all):
            if annotator is None:
                gold = _ann(version, text)
                chains = _chain_members(version)
                gaps = _line_break_gaps(version, text)
                continue
            # brat opens a directory as a collection: each annotator's is one of its own
            stem = f"{ANNOTATORS}/{self._folder(annotator)}/{name}"
            self._zip.add(f"{stem}.txt", data, track=False)
            self._zip.add(f"{stem}.ann", _ann(version, text).encode("utf-8"), track=False)
            layer: dict[str, Any] = {"annotator": annotator, "file": stem}
            layer["document_labels"] = version.get("document_labels") or {}
            if version_chains := _chain_members(version):
                layer["chains"] = version_chains
            if version_gaps := _line_break_gaps(version, text):
                layer["fragments"] = version_gaps
            layers.append(layer)
        self._zip.add(f"{name}.ann", gold.encode("utf-8"), track=False)
        sidecar.update(
            title=record.get("title", ""),
            document_labels=record.get("document_labels") or {},
            meta=record.get("meta") or {},
        )
        if chains:
            sidecar["chains"] = chains
        if gaps:
            sidecar["fragments"] = gaps
        if record.get("split"):
            sidecar["split"] = record["split"]
        if layers:
            sidecar["annotations"] = layers
        self._sidecar.write(dumps(sidecar))

    def _folder(self, annotator: str) -> str:
        """A safe folder name per annotator, unique among them; the sidecar names who."""
        if annotator not in self._folders:
            base = _UNSAFE.sub("_", annotator)[:100] or "annotator"
            taken = {folder.lower() for folder in self._folders.values()}
            folder, n = base, 1
            while folder.lower() in taken:
                n += 1
                folder = f"{base}-{n}"
            self._folders[annotator] = folder
        return self._folders[annotator]

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


def _line_break_gaps(record: Record, text: str) -> dict[str, list[list[int]]]:
    """T id -> fragments, for each interrupted span with a gap of whitespace holding a line
    break: brat's file cannot tell it from a span split at the break (the reader joins
    those), so the sidecar says which it is."""
    t_ids = _t_ids(record)
    return {
        t_ids[span["id"]]: span["fragments"]
        for span in record.get("spans") or ()
        if any(
            _split_at_line_break(text[a[1] : b[0]])
            for a, b in pairwise(span.get("fragments") or ())
        )
    }


def _split_at_line_break(gap: str) -> bool:
    """Whether a gap between two fragments is what splitting a span at a line break leaves:
    whitespace holding a line break. A gap of spaces alone is a gap a person chose."""
    return not gap.strip() and _LINE_BREAK.search(gap) is not None


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

    Fragments separated by whitespace holding a line break are joined (brat splits a span at
    line breaks) unless our sidecar's ``fragments`` says they are an interrupted span's; a
    discontinuous span with other gaps is an interrupted span (`fragments`); Equiv lines are
    speaker chains. Events, normalisations and notes are reported in ``warnings``, not imported.
    """
    warnings: list[str] = []
    return ReadResult(_records(source, limits or ReadLimits(), warnings), warnings)


def _records(source: IO[bytes], limits: ReadLimits, warnings: list[str]) -> Iterator[Record]:
    with ZipIn(source, limits) as archive:
        names = archive.names()
        sidecar = _sidecar(archive) if SIDECAR in names else {}
        # macOS zips add "__MACOSX/._name.txt" resource forks: not documents; nor are the
        # copies beside annotators' versions
        versions_of = {
            layer.get("file", ""): layer
            for facts in sidecar.values()
            for layer in facts.get("annotations") or ()
        }
        texts = sorted(
            n
            for n in names
            if n.endswith(".txt") and not _resource_fork(n) and n[: -len(".txt")] not in versions_of
        )
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
            _kept_fragments(record, sidecar.get(stem, {}).get("fragments"))
            _chains(record, ours, equivalences, f"{stem}.ann")
            for layer in sidecar.get(stem, {}).get("annotations") or ():
                record.setdefault("annotations", []).append(
                    _version(archive, names, record, layer, warnings)
                )
            yield record


def _version(
    archive: ZipIn, names: set[str] | list[str], record: Record, layer: dict, warnings: list[str]
) -> dict[str, Any]:
    """An annotator's version of the record (scope all): their ``.ann`` beside a copy of the
    text, named in the sidecar."""
    name = f"{layer.get('file', '')}.ann"
    if name not in names:
        raise FormatError(f"{SIDECAR} names {name!r}, which the zip does not hold")
    version: Record = {**record, "spans": [], "relations": []}
    version.pop("chains", None)
    ours = layer.get("chains")
    ann = _decode(archive.read(name), name)
    equivalences = _parse_ann(version, ann, name, warnings, ours is None)
    _kept_fragments(version, layer.get("fragments"))
    _chains(version, ours, equivalences, name)
    return {
        "annotator": str(layer.get("annotator") or ""),
        "status": "submitted",
        "spans": version["spans"],
        "relations": version["relations"],
        "chains": version.get("chains") or [],
        "document_labels": layer.get("document_labels") or {},
    }


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


def _kept_fragments(record: Record, ours: Any) -> None:
    """Our sidecar's fragments for spans whose gaps the reader joined as line breaks; only
    where they cover what the .ann line does (an edited file keeps what it says)."""
    if not isinstance(ours, dict):
        return
    for span in record["spans"]:
        pieces = ours.get(span["id"])
        if not (isinstance(pieces, list) and len(pieces) > 1):
            continue
        valid = all(isinstance(p, list) and len(p) == 2 for p in pieces)
        if valid and (pieces[0][0], pieces[-1][1]) == (span["start"], span["end"]):
            span["fragments"] = [list(p) for p in pieces]


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
    # brat splits a span at each line break: gaps of whitespace holding a line break join
    # again; other gaps (words, or spaces a person left between fragments) are an
    # interrupted span's (a quote broken by its speaker tag).
    pieces = [list(fragments[0])]
    for before, after in pairwise(fragments):
        if before[1] > after[0]:
            raise FormatError(f"fragments {offsets!r} out of order", line=line, field=name)
        if _split_at_line_break(text[before[1] : after[0]]):
            pieces[-1][1] = after[1]
        else:
            pieces.append(list(after))
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
