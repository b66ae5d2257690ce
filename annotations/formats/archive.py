"""The export zip: one per export, with the format's file(s), extra files and the card.

`ZipOut` writes deterministic entries (a fixed timestamp, 1980-01-01, and fixed permissions),
so the same data gives the same entry bytes whenever it is exported (DECISIONS.md 48): only
the card's "Exported at" line differs. Every entry's sha256 is recorded for the dataset card.
The multi-file formats (brat, hf, spaCy) write their zip with it, card included.

`write_package` makes any export's zip (DECISIONS.md 8), pure: records in, zip bytes out, no
database. A single-file format is written to a temporary file first (memory stays bounded by
the writer, not the dataset), then copied into the zip as ``documents<extension>`` beside the
spec's extra files and the card, whose checksum table covers both.
"""

from __future__ import annotations

import hashlib
import tempfile
import zipfile
from collections.abc import Iterable
from typing import IO, BinaryIO

from .base import CardContext, FormatSpec, Options, Record, Schema, WriteResult
from .card import dataset_card

# Every entry's date: the earliest a zip can store. The export time is in the card, not in
# the entries, so a data file's bytes depend on the data alone.
EPOCH = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 20


class ZipOut:
    def __init__(self, out: BinaryIO) -> None:
        self._zip = zipfile.ZipFile(out, "w")
        self._date_time = EPOCH
        self.files: dict[str, str] = {}

    def _info(self, name: str, compress: bool) -> zipfile.ZipInfo:
        info = zipfile.ZipInfo(name, date_time=self._date_time)
        info.compress_type = zipfile.ZIP_DEFLATED if compress else zipfile.ZIP_STORED
        info.external_attr = 0o644 << 16
        return info

    def add(self, name: str, data: bytes, *, compress: bool = True, track: bool = True) -> None:
        """Add one entry; ``track=False`` leaves it out of ``files`` (per-document files of a
        100k-document export would make the card's checksum table longer than the data)."""
        self._zip.writestr(self._info(name, compress), data)
        if track:
            self.files[name] = hashlib.sha256(data).hexdigest()

    def add_stream(self, name: str, source: IO[bytes]) -> None:
        """Copy a (temporary) file into the zip in chunks, hashing as it goes."""
        digest = hashlib.sha256()
        with self._zip.open(self._info(name, True), "w", force_zip64=True) as entry:
            while chunk := source.read(CHUNK):
                digest.update(chunk)
                entry.write(chunk)
        self.files[name] = digest.hexdigest()

    def close(self) -> None:
        self._zip.close()


DATA_NAME = "documents"


def write_package(
    out: BinaryIO,
    spec: FormatSpec,
    schema: Schema,
    card: CardContext,
    batches: Iterable[Iterable[Record]],
    options: Options | None = None,
) -> WriteResult:
    """Write every batch's records as one zip to `out`, with the spec's export `options`.

    `batches` is consumed one batch at a time; a caller that wants to act between batches
    (a heartbeat) does so in its generator, which resumes once the batch is written.
    """
    options = dict(options or {})
    if spec.zipped:
        return _write_all(spec, out, schema, card, batches, options)
    with tempfile.TemporaryFile() as data:
        result = _write_all(spec, data, schema, card, batches, options)
        data.seek(0)
        archive = ZipOut(out)
        archive.add_stream(DATA_NAME + spec.extension, data)
        for name, content in (spec.extra_files(schema) if spec.extra_files else {}).items():
            archive.add(name, content)
        text = dataset_card(
            schema, result, spec.card_context(card, options), files=dict(archive.files)
        )
        archive.add("README.md", text.encode("utf-8"))
        archive.close()
    return result


def _write_all(
    spec: FormatSpec,
    out: BinaryIO,
    schema: Schema,
    card: CardContext,
    batches: Iterable[Iterable[Record]],
    options: dict[str, str],
) -> WriteResult:
    writer = spec.open(out, schema, card=card, **options)
    for records in batches:
        for record in records:
            writer.write(record)
    return writer.close()
