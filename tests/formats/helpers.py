"""Golden-file comparison and export helpers shared by the format tests."""

from __future__ import annotations

import difflib
import io
import os
import zipfile
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from annotations.formats import FORMATS, CardContext, WriteResult
from tests.formats import fixture

GOLDEN = Path(__file__).parent / "golden"


def assert_golden(name: str, data: bytes) -> None:
    """Compare ``data`` with ``golden/<name>`` byte for byte.

    ``UPDATE_GOLDEN=1`` rewrites the file instead: read the diff before committing it.
    """
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        return
    assert path.exists(), f"no golden file {path}; run with UPDATE_GOLDEN=1 and review it"
    expected = path.read_bytes()
    if data != expected:
        diff = difflib.unified_diff(
            expected.decode("utf-8", "replace").splitlines(keepends=True),
            data.decode("utf-8", "replace").splitlines(keepends=True),
            f"golden/{name}",
            "actual",
        )
        raise AssertionError(f"{name} differs from its golden file:\n{''.join(diff)[:4000]}")


def export(
    name: str,
    records: Iterable[dict[str, Any]] | None = None,
    *,
    card: CardContext | None = None,
    schema: dict[str, Any] | None = None,
    **options: Any,
) -> tuple[bytes, WriteResult]:
    """Run one writer over the fixture (or ``records``) the way the export task does."""
    out = io.BytesIO()
    writer = FORMATS[name].open(
        out, schema or fixture.schema(), card=card or fixture.card(), **options
    )
    for record in fixture.records() if records is None else records:
        writer.write(record)
    result = writer.close()
    return out.getvalue(), result


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def spans_of(record: dict[str, Any]) -> list[tuple[int, int, str]]:
    return sorted((s["start"], s["end"], s["label"]) for s in record["spans"])


def relations_of(record: dict[str, Any]) -> list[tuple[Any, Any, str]]:
    """Relations by the offsets of their ends, since formats renumber span ids."""
    by_id = {s["id"]: (s["start"], s["end"], s["label"]) for s in record["spans"]}
    return sorted((by_id[r["from"]], by_id[r["to"]], r["label"]) for r in record["relations"])
