"""Deterministic zip output for the multi-file formats (brat, hf, spaCy).

Entries get a fixed timestamp (the export time) and fixed permissions, so the same data exported
at the same time gives the same bytes; every entry's sha256 is recorded for the dataset card.
"""

from __future__ import annotations

import hashlib
import zipfile
from datetime import datetime
from typing import IO, BinaryIO

# zip cannot store dates before 1980; a missing export time maps to this.
EPOCH = (1980, 1, 1, 0, 0, 0)
CHUNK = 1 << 20


class ZipOut:
    def __init__(self, out: BinaryIO, exported_at: datetime | None) -> None:
        self._zip = zipfile.ZipFile(out, "w")
        self._date_time = exported_at.timetuple()[:6] if exported_at else EPOCH
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
