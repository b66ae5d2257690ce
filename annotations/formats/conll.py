"""CoNLL-2003-style IOB2: ``token TAG`` per line, a blank line after each sentence, and a
``-DOCSTART- -X- O O`` line (plus blank line) before each document: the exact delimiter
CoNLL-2003 uses, which ``spacy convert --converter ner`` splits documents on (it does not
recognise a shorter line, and reads it as a one-token document) and which conlleval and
seqeval-based scripts skip.

Tokens come from spaCy's rule-based tokenizer for the project language (``spacy.blank``) and
sentences from its rule-based sentencizer; whitespace tokens (newlines) are not written. The
span labels in ``labels`` are tagged (an export's ``options.labels``; default: every span label
except ``NON_ENTITY_LABELS``, so quotes only when asked for), overlapping ones are resolved by
``non_overlapping`` and misaligned ones skipped, all with warnings.
A sentence break that would cut an entity is dropped so no entity spans two sentences.

The file loses the original whitespace: the reader rebuilds text with single spaces between
tokens and newlines between sentences, so offsets after a round trip refer to that text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Collection, Iterable, Iterator
from typing import IO, Any, BinaryIO

from .base import (
    CardContext,
    FormatError,
    Record,
    Schema,
    Tally,
    WriteResult,
    carries_versions,
    language,
    versions,
)
from .reading import ReadResult, new_record, text_lines
from .tokens import (
    TOKENS,
    TokenTable,
    entity_labels,
    non_overlapping,
    pipeline_for,
    table_span,
    token_span,
)

DOCSTART = "-DOCSTART-"
# CoNLL-2003's document line: word, POS, chunk and NER columns.
DOCSTART_LINE = f"{DOCSTART} -X- O O"
# The line naming the annotator of a version of the document (scope all), CoNLL-U's comment form.
ANNOTATOR_COMMENT = "# annotator = "
# Every version's block names its document under scope all (a -DOCSTART- block has no id).
DOCUMENT_COMMENT = "# document = "
_WHITESPACE = re.compile(r"\s")
_TAG = re.compile(r"^(?:O|[BI]-\S+)$")


class ConllWriter:
    def __init__(
        self,
        out: BinaryIO,
        schema: Schema,
        *,
        card: CardContext | None = None,
        labels: Collection[str] | None = None,
    ) -> None:
        self._out = out
        self._schema = schema
        self._tally = Tally("conll")
        self._all = carries_versions(card)
        self._labels = entity_labels(schema, labels)
        self._nlp: Any = None  # loaded for the first record without stored tokens
        self._fallback_reported = False

    def write(self, record: Record) -> None:
        tally = self._tally
        tally.count(record)
        if not self._all:
            tally.uncarried_annotations(record)
        tally.uncarried_attribution(record, fragments=False, chains=True)
        table = record.get(TOKENS)
        doc = None
        if table is None:
            if self._nlp is None:
                self._nlp = pipeline_for(self._schema, tally)
            doc = self._nlp(record["text"])
        for annotator, version in versions(record, self._all):
            header = [f"{DOCUMENT_COMMENT}{record['external_id']}"] if self._all else []
            if annotator is not None:
                header.append(f"{ANNOTATOR_COMMENT}{annotator}")
            if table is not None:
                block = self._from_table(version, table, header)
            else:
                block = self._from_doc(doc, version, header)
            self._out.write(block.encode("utf-8"))

    def _from_doc(self, doc: Any, record: Record, header: list[str]) -> str:
        """One version's block from spaCy's tokens (a text with no stored tokens)."""
        tally = self._tally
        tags = ["O"] * len(doc)
        starts = {sent.start for sent in doc.sents}
        # align first, so a misaligned span cannot push out an aligned one it overlaps
        aligned = {}
        for span in record.get("spans") or ():
            if span["label"] in self._labels:
                tokens = token_span(doc, record, span, tally)
                if tokens is not None:
                    aligned[span["id"]] = (span, tokens)
        for span in non_overlapping(record, (s for s, _ in aligned.values()), tally):
            tokens = aligned[span["id"]][1]
            tags[tokens.start] = f"B-{span['label']}"
            for i in range(tokens.start + 1, tokens.end):
                tags[i] = f"I-{span['label']}"
                starts.discard(i)
        return _document(doc, tags, starts, header)

    def _from_table(self, record: Record, table: TokenTable, header: list[str]) -> str:
        """The same lines as the spaCy path, from the text's stored tokens: no tokenizer,
        and a sentence with no tagged token written by one join (the hot path)."""
        if table.lang != language(self._schema) and not self._fallback_reported:
            self._fallback_reported = True
            self._tally.warn(
                f"spaCy has no tokenizer for {language(self._schema)!r}; used the "
                "multi-language one"
            )
        tags: dict[int, str] = {}
        starts = set(table.sentence_starts)
        chosen = [s for s in record.get("spans") or () if s["label"] in self._labels]
        if chosen:
            aligned = {}
            for span in chosen:
                tokens = table_span(table, record, span, self._tally)
                if tokens is not None:
                    aligned[span["id"]] = (span, tokens)
            kept = non_overlapping(record, (s for s, _ in aligned.values()), self._tally)
            for span in kept:
                tokens = aligned[span["id"]][1]
                tags[tokens.start] = f" B-{span['label']}"
                for i in tokens[1:]:
                    tags[i] = f" I-{span['label']}"
                    starts.discard(i)
        return _table_lines(record["text"], table, tags, sorted(starts), header)

    def close(self) -> WriteResult:
        return self._tally.finish()


def _table_lines(
    text: str, table: TokenTable, tags: dict[int, str], starts: list[int], header: list[str]
) -> str:
    """`_document`'s layout from stored tokens: whitespace tokens left out, a blank line
    before each sentence start that has a token before it. `tags`: the tagged tokens only
    (" B-PER"); every other token is " O".

    The words are cut from the text once, in one pass; a sentence with no whitespace token
    and no tag (most of them) is one join, found by bisecting the sorted whitespace and
    tagged tokens rather than by scanning them for every sentence."""
    words = [text[start:end] for start, end in zip(table.starts, table.ends, strict=True)]
    if not table.plain:  # a non-space token holding whitespace: keep two columns
        words = [_WHITESPACE.sub("_", word) for word in words]
    spaces = sorted(table.spaces)
    space_set = set(spaces)
    tagged = sorted(tags)
    parts = [DOCSTART_LINE, "\n\n", *(line + "\n" for line in header)]
    bounds = [*(i for i in starts if i > 0), len(words)]
    first = 0
    for last in bounds:
        if table.plain and not _any_in(spaces, first, last) and not _any_in(tagged, first, last):
            if last > first:
                parts.append(" O\n".join(words[first:last]))
                parts.append(" O\n\n")
        else:
            lines = [words[i] + tags.get(i, " O") for i in range(first, last) if i not in space_set]
            if lines:
                parts.append("\n".join(lines))
                parts.append("\n\n")
        first = last
    return "".join(parts)


def _any_in(ordered: list[int], first: int, last: int) -> bool:
    """Whether the sorted `ordered` holds a number in [first, last)."""
    at = bisect_left(ordered, first)
    return at < len(ordered) and ordered[at] < last


def _document(doc: Any, tags: list[str], starts: set[int], header: list[str]) -> str:
    lines = [DOCSTART_LINE, "", *header]
    sentence: list[str] = []
    for token, tag in zip(doc, tags, strict=True):
        if token.i in starts and sentence:
            lines += [*sentence, ""]
            sentence = []
        if not token.is_space:
            # a token never holds a space in spaCy, but guard the two-column layout anyway
            sentence.append(f"{_WHITESPACE.sub('_', token.text)} {tag}")
    if sentence:
        lines += [*sentence, ""]
    return "\n".join(lines) + "\n"


def read_conll(source: IO[bytes] | Iterable[str | bytes]) -> ReadResult:
    """Read IOB2 (token first column, tag last column; ``-DOCSTART-`` separates documents).

    Text is rebuilt: tokens joined by single spaces, sentences by ``\\n``. An ``I-`` tag that
    does not continue an entity of the same label is repaired to ``B-`` and reported.
    """
    warnings: list[str] = []
    return ReadResult(_records(source, warnings), warnings)


def _records(source: IO[bytes] | Iterable[str | bytes], warnings: list[str]) -> Iterator[Record]:
    documents = _Versions()
    builder = _DocumentBuilder(1, warnings)
    for number, line in text_lines(source):
        columns = line.split()
        if columns and columns[0] == DOCSTART:
            if builder.has_tokens():
                yield from documents.add(builder)
            builder = _DocumentBuilder(documents.count + 1, warnings)
        elif line.startswith(ANNOTATOR_COMMENT) and not builder.has_tokens():
            builder.annotator = line[len(ANNOTATOR_COMMENT) :].strip()
        elif line.startswith(DOCUMENT_COMMENT) and not builder.has_tokens():
            builder.document = line[len(DOCUMENT_COMMENT) :].strip()
        elif not columns:
            builder.end_sentence()
        elif len(columns) < 2 or not _TAG.match(columns[-1]):
            raise FormatError("expected 'token TAG' with an IOB2 tag", line=number)
        else:
            builder.add(columns[0], columns[-1], number)
    if builder.has_tokens():
        yield from documents.add(builder)
    yield from documents.rest()


class _Versions:
    """Joins an annotator's version (a block starting ``# annotator = …``) to the document
    before it; one document is held until the next one starts."""

    def __init__(self) -> None:
        self.count = 0
        self._held: Record | None = None

    def add(self, builder: _DocumentBuilder) -> Iterator[Record]:
        record = builder.record()
        held = self._held
        if (
            builder.annotator is None
            or held is None
            or held["external_id"] != (builder.document or held["external_id"])
            or not _same_tokens(held, record)
        ):
            yield from self.rest()
            self.count += 1
            record["external_id"] = builder.document or f"conll-{self.count}"
            if builder.annotator is not None:  # no gold version of this document
                layer, record["spans"] = record["spans"], []
                record["annotations"] = [_layer(builder.annotator, layer)]
            self._held = record
            return
        held.setdefault("annotations", []).append(_layer(builder.annotator, record["spans"]))

    def rest(self) -> Iterator[Record]:
        if self._held is not None:
            yield self._held
        self._held = None


def _layer(annotator: str, spans: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "annotator": annotator,
        "status": "submitted",
        "spans": spans,
        "relations": [],
        "document_labels": {},
    }


def _same_tokens(a: Record, b: Record) -> bool:
    """The same tokens (versions may break sentences differently: a newline or a space, one
    character either way, so offsets agree)."""
    return a["text"].replace("\n", " ") == b["text"].replace("\n", " ")


class _DocumentBuilder:
    """Accumulates one document's text and spans; a document is held while it is read."""

    def __init__(self, number: int, warnings: list[str]) -> None:
        self.number = number
        self._warnings = warnings
        self._parts: list[str] = []
        self._length = 0
        self._spans: list[dict[str, Any]] = []
        self._open: dict[str, Any] | None = None
        self._sentence_open = False
        self.annotator: str | None = None
        self.document: str | None = None

    def has_tokens(self) -> bool:
        return self._length > 0

    def add(self, token: str, tag: str, line: int) -> None:
        if self._length:
            separator = " " if self._sentence_open else "\n"
            self._parts.append(separator)
            self._length += 1
        start = self._length
        self._parts.append(token)
        self._length += len(token)
        self._sentence_open = True
        if tag == "O":
            self._open = None
            return
        prefix, label = tag[0], tag[2:]
        if prefix == "I" and self._open is not None and self._open["label"] == label:
            self._open["end"] = self._length
            return
        if prefix == "I":
            self._warnings.append(
                f"document 'conll-{self.number}' line {line}: {tag} does not continue an "
                f"entity; read as B-{label}"
            )
        self._open = {"id": f"s{len(self._spans) + 1}", "start": start, "end": self._length}
        self._open.update(label=label, attributes={})
        self._spans.append(self._open)

    def end_sentence(self) -> None:
        self._sentence_open = False
        self._open = None

    def record(self) -> Record:
        record = new_record(f"conll-{self.number}", "".join(self._parts))
        record["spans"] = self._spans
        return record
