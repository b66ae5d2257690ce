"""spaCy ``DocBin`` files, zipped: ``<split>/docs-00000.spacy``, … plus the dataset card.

Each Doc has ``doc.ents`` (entity labels, non-overlapping, as in CoNLL), every span in
``doc.spans["sc"]`` (overlap allowed, QUOTE included), and document labels in ``doc.cats``
(1.0 for the chosen values of a group, 0.0 for the others; keys are the values, or
``group:value`` when the schema has several groups). ``doc.user_data`` keeps ``external_id``,
``title``, span attributes (by index into ``sc``) and relations as ``[from, to, label]`` indices
into ``sc``. An export of scope ``all`` has a Doc per version of a document: the gold one, then
one per submitted annotation, whose ``user_data["annotator"]`` names its author. ``spacy
train`` accepts a directory of ``.spacy`` files, e.g. the unzipped ``train/``.

Memory: a DocBin is one compressed msgpack blob and cannot be appended to on disk, so it grows in
memory (roughly 8 bytes per token per stored attribute). The writer flushes a part every
``docs_per_part`` documents per split, which bounds memory by part size, not dataset size.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from annotations.attribution import pieces

from .archive import ZipOut
from .base import (
    NO_SPLIT,
    CardContext,
    Record,
    Schema,
    Tally,
    WriteResult,
    carries_versions,
    document_groups,
    split_order,
    versions,
)
from .tokens import entity_labels, non_overlapping, pipeline_for, token_span

# No SENT_START: entity and span training does not need sentences, and the sentencizer would
# cost a pass over every token.
ATTRS = ("ENT_IOB", "ENT_TYPE")


class SpacyWriter:
    def __init__(
        self,
        out: BinaryIO,
        schema: Schema,
        *,
        card: CardContext | None = None,
        labels: Collection[str] | None = None,
        docs_per_part: int = 1000,
    ) -> None:
        self._schema = schema
        self._card = card
        self._zip = ZipOut(out)
        self._tally = Tally("spacy")
        self._all = carries_versions(card)
        self._labels = entity_labels(schema, labels)
        self._nlp = pipeline_for(schema, self._tally)
        self._groups = document_groups(schema)
        self._per_part = docs_per_part
        self._bins: dict[str, Any] = {}
        self._parts: dict[str, int] = {}

    def write(self, record: Record) -> None:
        self._tally.count(record)
        if not self._all:
            self._tally.uncarried_annotations(record)
        split = record.get("split") or NO_SPLIT
        for annotator, version in versions(record, self._all):
            doc = self._doc(version)
            if annotator is not None:
                doc.user_data["annotator"] = annotator
            if split not in self._bins:
                self._bins[split] = _lean_docbin()
            docbin = self._bins[split]
            docbin.add(doc)
            if len(docbin) >= self._per_part:
                self._flush(split)

    def _doc(self, record: Record) -> Any:
        tally = self._tally
        doc = self._nlp.make_doc(record["text"])
        group: list[Any] = []
        indices: dict[str, int] = {}
        attributes: dict[int, dict[str, Any]] = {}
        for span in record.get("spans") or ():
            tokens = token_span(doc, record, span, tally)
            if tokens is not None:
                indices[span["id"]] = len(group)
                if span.get("attributes"):
                    attributes[len(group)] = span["attributes"]
                group.append(tokens)
        doc.spans["sc"] = group
        # misaligned spans were reported above and take no part in overlap resolution
        wanted = [
            s
            for s in record.get("spans") or ()
            if s["label"] in self._labels and s["id"] in indices
        ]
        doc.ents = [group[indices[s["id"]]] for s in non_overlapping(record, wanted, tally)]
        doc.cats = self._cats(record)
        self._attribution_groups(doc, record)
        doc.user_data.update(
            external_id=record["external_id"],
            title=record.get("title", ""),
            span_attributes=[[i, a] for i, a in attributes.items()],
            relations=[
                [indices[r["from"]], indices[r["to"]], r["label"]]
                for r in record.get("relations") or ()
                if r["from"] in indices and r["to"] in indices
            ],
        )
        return doc

    def _attribution_groups(self, doc: Any, record: Record) -> None:
        """Span groups for quote attribution (DECISIONS 46): ``quotes`` (every QUOTE piece by
        piece, so an interrupted quote is its fragments), ``cues`` (CUE spans) and one
        ``chain:<id>`` group per speaker chain (its mentions); the chains' ids, names and
        canonical names in ``user_data["chains"]``."""
        tally = self._tally
        groups: dict[str, list[Any]] = {"quotes": [], "cues": []}
        for span in record.get("spans") or ():
            name = {"QUOTE": "quotes", "CUE": "cues"}.get(span["label"])
            if span.get("chain"):
                whole = token_span(doc, record, span, tally)
                if whole is not None:
                    groups.setdefault(f"chain:{span['chain']}", []).append(whole)
            if name is None:
                continue
            for start, end in pieces(span):
                piece = token_span(doc, record, {**span, "start": start, "end": end}, tally)
                if piece is not None:
                    groups[name].append(piece)
        for name, spans in groups.items():
            if spans or name in ("quotes", "cues"):
                doc.spans[name] = spans
        if record.get("chains"):
            doc.user_data["chains"] = [
                {key: chain.get(key, "") for key in ("id", "name", "canonical")}
                for chain in record["chains"]
            ]

    def _cats(self, record: Record) -> dict[str, float]:
        chosen = record.get("document_labels") or {}
        cats = {}
        for group, spec in self._groups.items():
            value = chosen.get(group)
            values = set(value if isinstance(value, list) else [value] if value else [])
            if not values:
                continue  # unlabelled: no cats, rather than claiming every value is wrong
            for name in spec["values"]:
                key = name if len(self._groups) == 1 else f"{group}:{name}"
                cats[key] = 1.0 if name in values else 0.0
        return cats

    def _flush(self, split: str) -> None:
        docbin = self._bins.pop(split)
        part = self._parts.get(split, 0)
        self._parts[split] = part + 1
        self._zip.add(f"{split}/docs-{part:05d}.spacy", docbin.to_bytes(), compress=False)

    def close(self) -> WriteResult:
        from .card import dataset_card

        for split in sorted(self._bins, key=split_order):
            self._flush(split)
        result = self._tally.finish()
        if self._card is not None:
            files = dict(self._zip.files)
            card = dataset_card(self._schema, result, self._card, files=files)
            self._zip.add("README.md", card.encode("utf-8"))
        self._zip.close()
        result.files = dict(self._zip.files)
        return result


def _lean_docbin() -> Any:
    """A DocBin whose ``add`` collects only the strings our stored attributes use.

    ``DocBin.add`` adds nine strings per token (tag, lemma, dependency, … all empty for a blank
    pipeline) in a Python loop: most of the writer's time. Reading needs the strings of stored
    attributes (ORTH, ENT_TYPE) and span labels only; the foreign-reader test loads the result
    with ``DocBin().from_bytes`` to keep this honest across spaCy upgrades.
    """
    import numpy
    from spacy.attrs import ENT_TYPE, ORTH, SPACY
    from spacy.tokens import DocBin

    class LeanDocBin(DocBin):
        def add(self, doc: Any) -> None:
            array = doc.to_array(self.attrs)
            self.tokens.append(array)
            spaces = doc.to_array(SPACY).reshape((-1, 1))
            self.spaces.append(numpy.asarray(spaces, dtype=bool))
            self.flags.append({"has_unknown_spaces": doc.has_unknown_spaces})
            strings = doc.vocab.strings
            for column in (self.attrs.index(ORTH), self.attrs.index(ENT_TYPE)):
                self.strings.update(strings[int(key)] for key in numpy.unique(array[:, column]))
            self.cats.append(doc.cats)
            with _fast_msgpack():
                self.user_data.append(_msgpack_dumps()(doc.user_data))
                self.span_groups.append(doc.spans.to_bytes())
            self.strings.update(span.label_ for group in doc.spans.values() for span in group)

    return LeanDocBin(attrs=list(ATTRS), store_user_data=True)


@functools.cache
def _msgpack_dumps() -> Callable[[Any], bytes]:
    """srsly's msgpack_dumps with its encoder chain resolved once, not on every call."""
    from srsly import msgpack

    default = None
    for encoder in msgpack.msgpack_encoders.get_all().values():
        default = functools.partial(encoder, chain=default)
    return lambda data: msgpack._Packer(default=default, use_bin_type=True).pack(data)


@contextmanager
def _fast_msgpack() -> Iterator[None]:
    """Swap in ``_msgpack_dumps`` while DocBin.add runs.

    srsly looks its msgpack encoders up in a catalogue registry on every call (a copy of every
    registered spaCy function plus an entry-point scan): about 0.8 ms, three times per Doc,
    which made 100k documents take minutes. The output bytes are the same.
    """
    import srsly

    original = srsly.msgpack_dumps
    srsly.msgpack_dumps = _msgpack_dumps()
    try:
        yield
    finally:
        srsly.msgpack_dumps = original
