"""Reading an uploaded zip within limits (`ZipIn`), for the zipped import formats (brat).

The zip is someone else's file: a 300 KiB zip can inflate to 300 MB, and a 50 MB one can hold
a million members whose directory alone costs gigabytes to parse. So the member count and the
directory's size are read from the end record before `zipfile` parses the directory, every
member's path is checked (no `..`, no absolute path, no symlink, nothing encrypted), and
members are inflated in chunks, counted as they come and abandoned at the limit: the sizes a
header claims are never trusted.
"""

from __future__ import annotations

import lzma
import stat
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import PurePosixPath
from typing import IO

from .base import FormatError, ReadLimits, TooLarge

CHUNK = 1 << 20

# The end of central directory record and its zip64 form (APPNOTE.TXT 4.3.14-4.3.16).
_EOCD = struct.Struct("<4s4H2LH")
_EOCD_SIGNATURE = b"PK\x05\x06"
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
# A directory entry is 46 bytes plus its name and extra fields: budget this much per member.
DIRECTORY_BYTES_PER_MEMBER = 1024
_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
_DAMAGE = (zipfile.BadZipFile, zlib.error, lzma.LZMAError, EOFError, OSError)


def directory_extent(source: IO[bytes]) -> tuple[int, int, int]:
    """(members, directory start, directory bytes) as the zip's end record states them, read
    from its last 64 KiB without parsing the directory. The start is inferred from where the
    end record is, as `zipfile` does, so data prepended to the zip does not shift it."""
    source.seek(0, 2)
    size = source.tell()
    tail_start = max(0, size - (_EOCD.size + 0xFFFF))
    source.seek(tail_start)
    tail = source.read()
    at = tail.rfind(_EOCD_SIGNATURE)
    if at < 0 or len(tail) - at < _EOCD.size:
        raise FormatError("not a zip file: no end of central directory record", field="file")
    fields = _EOCD.unpack_from(tail, at)
    members, directory, end_at = fields[4], fields[5], tail_start + at
    if members == 0xFFFF or directory == 0xFFFFFFFF:
        members, directory, end_at = _zip64_extent(source, end_at) or (members, directory, end_at)
    source.seek(0)
    return members, max(0, end_at - directory), directory


def _zip64_extent(source: IO[bytes], eocd_at: int) -> tuple[int, int, int] | None:
    if eocd_at < _ZIP64_LOCATOR.size:
        return None
    source.seek(eocd_at - _ZIP64_LOCATOR.size)
    signature = _ZIP64_LOCATOR.unpack(source.read(_ZIP64_LOCATOR.size))[0]
    if signature != b"PK\x06\x07":
        return None
    # the zip64 record sits just before its locator (as zipfile finds it)
    record_at = eocd_at - _ZIP64_LOCATOR.size - _ZIP64_EOCD.size
    source.seek(record_at)
    record = source.read(_ZIP64_EOCD.size)
    if len(record) < _ZIP64_EOCD.size or record[:4] != b"PK\x06\x06":
        return None
    fields = _ZIP64_EOCD.unpack(record)
    return fields[7], fields[8], record_at


class ZipIn:
    """An uploaded zip, read within `ReadLimits`; raises TooLarge at a limit and FormatError
    (field `file`) for an unsafe or damaged member."""

    def __init__(self, source: IO[bytes], limits: ReadLimits) -> None:
        self.limits = limits
        self.inflated = 0
        self._check_directory(source)
        try:
            self._zip = zipfile.ZipFile(source)
        except zipfile.BadZipFile as exc:
            raise FormatError(f"not a zip file: {exc}", field="file") from exc
        for info in self._zip.infolist():
            _check_member(info)

    def _check_directory(self, source: IO[bytes]) -> None:
        """Refuse too many members before `zipfile` makes an object for each. Every directory
        entry starts with its signature, so counting signatures bounds the entries even when
        the end record understates them."""
        limit = self.limits.members
        members, start, size = directory_extent(source)
        if members <= limit and size <= limit * DIRECTORY_BYTES_PER_MEMBER:
            source.seek(start)
            members = max(members, source.read(size).count(b"PK\x01\x02"))
            source.seek(0)
        if members > limit or size > limit * DIRECTORY_BYTES_PER_MEMBER:
            raise TooLarge(
                f"the archive has {members:,} members ({size:,}-byte directory); "
                f"at most {limit:,} are read",
                field="file",
            )

    def names(self) -> set[str]:
        return {info.filename for info in self._zip.infolist() if not info.is_dir()}

    def read(self, name: str) -> bytes:
        """The member's bytes, inflated at most `member_bytes` (and the archive's budget)."""
        return b"".join(self._chunks(name))

    def lines(self, name: str) -> Iterator[bytes]:
        """The member's lines (with their newline), each within `member_bytes`."""
        pending = b""
        for chunk in self._chunks(name, per_member=False):
            pending += chunk
            *complete, pending = pending.split(b"\n")
            yield from (line + b"\n" for line in complete)
            if len(pending) > self.limits.member_bytes:
                raise TooLarge(f"a line is over {self.limits.member_bytes:,} bytes", field=name)
        if pending:
            yield pending

    def _chunks(self, name: str, *, per_member: bool = True) -> Iterator[bytes]:
        size = 0
        try:
            with self._zip.open(name) as member:
                while chunk := member.read(CHUNK):
                    size += len(chunk)
                    self.inflated += len(chunk)
                    self._check_budget(name, size if per_member else 0)
                    yield chunk
        except _DAMAGE as exc:
            raise FormatError(f"damaged member {name!r}: {exc}", field="file") from exc

    def _check_budget(self, name: str, size: int) -> None:
        if size > self.limits.member_bytes:
            raise TooLarge(f"inflates to over {self.limits.member_bytes:,} bytes", field=name)
        if self.inflated > self.limits.total_bytes:
            raise TooLarge(
                f"the archive inflates to over {self.limits.total_bytes:,} bytes", field="file"
            )

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> ZipIn:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()


def _check_member(info: zipfile.ZipInfo) -> None:
    name = info.filename
    path = PurePosixPath(name.replace("\\", "/"))
    unsafe = None
    if path.is_absolute() or (len(name) > 1 and name[1] == ":"):
        unsafe = "an absolute path"
    elif ".." in path.parts:
        unsafe = "a path with '..'"
    elif info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16):
        unsafe = "a symbolic link"
    elif info.flag_bits & 0x1:
        unsafe = "encrypted"
    elif info.compress_type not in _METHODS:
        unsafe = f"compressed with method {info.compress_type}, which is not read"
    if unsafe:
        raise FormatError(f"member {name!r} is {unsafe}; nothing was read", field="file")
