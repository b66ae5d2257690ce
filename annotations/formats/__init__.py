"""Dataset formats: streaming writers, readers for other tools' exports, and the dataset card.

Pure code: records in, bytes out (and back). No ORM, no Django. ``FORMATS`` (``registry.py``)
says everything about each format; the export task does::

    result = write_package(out, FORMATS[name], schema, CardContext(exported_at=...), batches)

Every writer writes to one binary file object; formats made of several files (brat, hf,
spaCy) write a zip into it. Offsets in records are code points; each module's docstring says
what its format uses.
"""

from .archive import write_package
from .base import (
    SCOPES,
    CardContext,
    FormatError,
    FormatSpec,
    Reading,
    ReadLimits,
    ReadOptions,
    Record,
    Schema,
    TooLarge,
    Writer,
    WriteResult,
)
from .brat import read_brat
from .card import dataset_card
from .conll import read_conll
from .doccano import read_doccano
from .jsonl import read_jsonl
from .labelstudio import label_studio_config, read_label_studio
from .reading import ReadResult
from .registry import ALIASES, FORMATS, export_formats, format_for_upload, import_formats
from .splits import DEFAULT_SPLIT, assign_split

__all__ = [
    "ALIASES",
    "DEFAULT_SPLIT",
    "FORMATS",
    "SCOPES",
    "CardContext",
    "FormatError",
    "FormatSpec",
    "ReadLimits",
    "ReadOptions",
    "ReadResult",
    "Reading",
    "Record",
    "Schema",
    "TooLarge",
    "WriteResult",
    "Writer",
    "assign_split",
    "dataset_card",
    "export_formats",
    "format_for_upload",
    "import_formats",
    "label_studio_config",
    "read_brat",
    "read_conll",
    "read_doccano",
    "read_jsonl",
    "read_label_studio",
    "write_package",
]
