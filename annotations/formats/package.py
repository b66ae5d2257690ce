"""One export, one zip: the format's file(s), its extra files and the README.md dataset card.

Pure: records in, zip bytes out, no database (DECISIONS.md 8). Formats made of several files
(brat, hf, spaCy) write their zip themselves, card included. A single-file format is written
to a temporary file first (memory stays bounded by the writer, not the dataset), then copied
into the zip as ``documents<extension>`` beside the spec's extra files and the card, whose
checksum table covers both.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterable
from typing import BinaryIO

from .archive import ZipOut
from .base import CardContext, FormatSpec, Record, Schema, WriteResult
from .card import dataset_card

DATA_NAME = "documents"


def write_package(
    out: BinaryIO,
    spec: FormatSpec,
    schema: Schema,
    card: CardContext,
    batches: Iterable[Iterable[Record]],
) -> WriteResult:
    """Write every batch's records as one zip to `out`.

    `batches` is consumed one batch at a time; a caller that wants to act between batches
    (a heartbeat) does so in its generator, which resumes once the batch is written.
    """
    if spec.zipped:
        return _write_all(spec, out, schema, card, batches)
    with tempfile.TemporaryFile() as data:
        result = _write_all(spec, data, schema, card, batches)
        data.seek(0)
        archive = ZipOut(out, card.exported_at)
        archive.add_stream(DATA_NAME + spec.extension, data)
        for name, content in (spec.extra_files(schema) if spec.extra_files else {}).items():
            archive.add(name, content)
        text = dataset_card(schema, result, spec.card_context(card), files=dict(archive.files))
        archive.add("README.md", text.encode("utf-8"))
        archive.close()
    return result


def _write_all(
    spec: FormatSpec,
    out: BinaryIO,
    schema: Schema,
    card: CardContext,
    batches: Iterable[Iterable[Record]],
) -> WriteResult:
    writer = spec.open(out, schema, card=card)
    for records in batches:
        for record in records:
            writer.write(record)
    return writer.close()
