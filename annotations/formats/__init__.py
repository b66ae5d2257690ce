"""Dataset formats: streaming writers, readers for other tools' exports, and the dataset card.

Pure code: records in, bytes out (and back). No ORM, no Django. The export task does::

    spec = FORMATS[name]
    writer = spec.open(out, schema, card=CardContext(exported_at=...))
    for record in records:
        writer.write(record)
    result = writer.close()     # WriteResult: counts, warnings, inner files' sha256

Every writer writes to one binary file object; formats made of several files (brat, hf,
spaCy) write a zip into it. Offsets in records are code points; each module's docstring says
what its format uses.
"""

from .base import (
    CardContext,
    FormatError,
    FormatSpec,
    Record,
    Schema,
    Writer,
    WriteResult,
)
from .brat import BratWriter, read_brat
from .card import dataset_card
from .conll import ConllWriter, read_conll
from .csv_table import CsvWriter
from .doccano import DoccanoWriter, read_doccano
from .hf import HfWriter
from .jsonl import JsonlWriter, read_jsonl
from .labelstudio import LabelStudioWriter, label_studio_config, read_label_studio
from .reading import ReadResult
from .spacy_docbin import SpacyWriter
from .splits import DEFAULT_SPLIT, assign_split

_ZIP = "application/zip"

FORMATS: dict[str, FormatSpec] = {
    spec.name: spec
    for spec in (
        FormatSpec("jsonl", ".jsonl", "application/x-ndjson", "code_point", JsonlWriter),
        FormatSpec("doccano", ".jsonl", "application/x-ndjson", "utf16", DoccanoWriter),
        FormatSpec("label-studio", ".json", "application/json", "code_point", LabelStudioWriter),
        FormatSpec("conll", ".conll", "text/plain; charset=utf-8", "token", ConllWriter),
        FormatSpec("spacy", ".zip", _ZIP, "token", SpacyWriter),
        FormatSpec("brat", ".zip", _ZIP, "code_point", BratWriter),
        FormatSpec("csv", ".csv", "text/csv; charset=utf-8", "none", CsvWriter),
        FormatSpec("hf", ".zip", _ZIP, "code_point", HfWriter),
    )
}

READERS = {
    "jsonl": read_jsonl,
    "doccano": read_doccano,
    "label-studio": read_label_studio,
    "brat": read_brat,
    "conll": read_conll,
}

__all__ = [
    "DEFAULT_SPLIT",
    "FORMATS",
    "READERS",
    "BratWriter",
    "CardContext",
    "ConllWriter",
    "CsvWriter",
    "DoccanoWriter",
    "FormatError",
    "FormatSpec",
    "HfWriter",
    "JsonlWriter",
    "LabelStudioWriter",
    "ReadResult",
    "Record",
    "Schema",
    "SpacyWriter",
    "WriteResult",
    "Writer",
    "assign_split",
    "dataset_card",
    "label_studio_config",
    "read_brat",
    "read_conll",
    "read_doccano",
    "read_jsonl",
    "read_label_studio",
]
