"""The format registry: one spec per format, the single source for everything that varies by
format (DECISIONS.md 13). The export service, the importer, `GET /api/formats/`, the upload
and export choices, the dataset card and the tests' parametrisation all read it; nothing else
keeps a list of formats. Order matters: it is the order the browser lists them in, and an
upload with no format named goes to the first format that takes its suffix.
"""

from __future__ import annotations

from pathlib import PurePath

from .base import FormatSpec, Reading, Schema
from .brat import BratWriter, read_brat
from .conll import ConllWriter, read_conll
from .csv_table import CSV_CAVEAT, CsvWriter
from .doccano import DoccanoWriter, read_doccano
from .hf import HfWriter
from .jsonl import JsonlWriter
from .labelstudio import LabelStudioWriter, label_studio_config, read_label_studio
from .native import SUFFIXES as NATIVE_SUFFIXES
from .native import read_native
from .spacy_docbin import SpacyWriter

_ZIP = "application/zip"
_NDJSON = "application/x-ndjson"
_CODE_POINTS = "Offsets are Unicode code points into the text as stored, end exclusive."


def _label_studio_files(schema: Schema) -> dict[str, bytes]:
    return {"label-studio.config.xml": label_studio_config(schema).encode()}


_SPECS = (
    FormatSpec(
        "jsonl",
        title="Native JSONL",
        offset_unit="code_point",
        offset_note=_CODE_POINTS,
        card_note="Unicode code points (same as ours)",
        extension=".jsonl",
        content_type=_NDJSON,
        factory=JsonlWriter,
        reading=Reading(read_native, suffixes=NATIVE_SUFFIXES),
    ),
    FormatSpec(
        "doccano",
        title="doccano JSONL",
        offset_unit="utf16",
        offset_note="Offsets are UTF-16 code units, as doccano (JavaScript) counts them: an "
        "emoji takes two. Files made by Python scripts may use code points instead.",
        card_note="UTF-16 code units (doccano counts like JavaScript; an emoji takes 2)",
        extension=".jsonl",
        content_type=_NDJSON,
        factory=DoccanoWriter,
        reading=Reading(
            lambda source, options: read_doccano(
                source,
                offset_unit="code_point" if options.offset_unit == "code_point" else "utf16",
                schema=options.schema,
            ),
            suffixes=(".jsonl",),
            offset_units=("utf16", "code_point"),
            takes_schema=True,
        ),
    ),
    FormatSpec(
        "label-studio",
        title="Label Studio JSON",
        offset_unit="code_point",
        offset_note="Offsets are Unicode code points (Label Studio's Text tag converts from "
        "UTF-16); the zip carries the matching labeling config.",
        card_note="Unicode code points (Label Studio's Text tag converts from UTF-16)",
        extension=".json",
        content_type="application/json",
        factory=LabelStudioWriter,
        reading=Reading(lambda source, _: read_label_studio(source), suffixes=(".json",)),
        extra_files=_label_studio_files,
    ),
    FormatSpec(
        "conll",
        title="CoNLL IOB2",
        offset_unit="token",
        offset_note="No character offsets: one token per line with its IOB2 tag; the text is "
        "rebuilt from tokens on import.",
        card_note="none: tokens only; text is rebuilt from tokens on import",
        extension=".conll",
        content_type="text/plain; charset=utf-8",
        factory=ConllWriter,
        reading=Reading(lambda source, _: read_conll(source), suffixes=(".conll", ".iob")),
    ),
    FormatSpec(
        "spacy",
        title="spaCy DocBin",
        offset_unit="token",
        offset_note="Token indices; Span.start_char and end_char are code points into Doc.text.",
        card_note="token indices; Span.start_char/end_char are code points into Doc.text",
        extension=".zip",
        content_type=_ZIP,
        factory=SpacyWriter,
    ),
    FormatSpec(
        "brat",
        title="brat standoff",
        offset_unit="code_point",
        offset_note="Offsets are characters of the UTF-8 .txt as brat reads them: code points.",
        card_note="characters of the UTF-8 .txt as brat's Python reads them: code points",
        extension=".zip",
        content_type=_ZIP,
        factory=BratWriter,
        reading=Reading(
            lambda source, options: read_brat(source, options.limits), suffixes=(".zip",)
        ),
    ),
    FormatSpec(
        "csv",
        title="CSV table",
        offset_unit="none",
        offset_note="No offsets: one row per document with its labels and span counts.",
        card_note="none: counts only",
        card_caveat=CSV_CAVEAT,
        extension=".csv",
        content_type="text/csv; charset=utf-8",
        factory=CsvWriter,
    ),
    FormatSpec(
        "hf",
        title="Hugging Face datasets",
        offset_unit="code_point",
        offset_note=_CODE_POINTS,
        card_note="Unicode code points (same as ours)",
        extension=".zip",
        content_type=_ZIP,
        factory=HfWriter,
    ),
)

FORMATS: dict[str, FormatSpec] = {spec.name: spec for spec in _SPECS}
# Names the upload accepts for a format besides its own (scripts still send `native`).
ALIASES = {"native": "jsonl"}


def export_formats() -> dict[str, FormatSpec]:
    return {name: spec for name, spec in FORMATS.items() if spec.factory is not None}


def import_formats() -> dict[str, FormatSpec]:
    return {name: spec for name, spec in FORMATS.items() if spec.reading is not None}


def format_for_upload(name: str | None, file_name: str) -> FormatSpec | None:
    """The format an upload names (or an alias of it), else the first that takes the file's
    suffix; None when neither fits."""
    if name:
        spec = FORMATS.get(ALIASES.get(name, name))
        return spec if spec is not None and spec.reading is not None else None
    suffix = PurePath(file_name).suffix.lower()
    return next(
        (spec for spec in import_formats().values() if suffix in spec.reading.suffixes),  # type: ignore[union-attr]
        None,
    )
