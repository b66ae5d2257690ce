"""The format registry: one spec per format, the single source for everything that varies by
format (DECISIONS.md 13). The export service, the importer, `GET /api/formats/`, the upload
and export choices, the dataset card and the tests' parametrisation all read it; nothing else
keeps a list of formats. Order matters: it is the order the browser lists them in, and an
upload with no format named goes to the first format that takes its suffix.
"""

from __future__ import annotations

from pathlib import PurePath

from .base import LABELS_OPTION, ExportOption, FormatSpec, Options, Reading, Schema
from .brat import BratWriter, read_brat
from .conll import ConllWriter, read_conll
from .csv_table import CSV_CAVEAT, CsvWriter
from .doccano import SHAPES, DoccanoWriter, read_doccano
from .hf import HfWriter
from .jsonl import JsonlWriter
from .labelstudio import LabelStudioWriter, label_studio_config, read_label_studio
from .native import SUFFIXES as NATIVE_SUFFIXES
from .native import read_native
from .offsets import UNITS
from .quotes import QuotesWriter
from .spacy_docbin import SpacyWriter

_ZIP = "application/zip"
_NDJSON = "application/x-ndjson"
_CODE_POINTS = "Offsets are Unicode code points into the text as stored, end exclusive."


def _label_studio_files(schema: Schema) -> dict[str, bytes]:
    return {"label-studio.config.xml": label_studio_config(schema).encode()}


_DOCCANO_UNITS = {
    "utf16": "UTF-16 code units (doccano counts like JavaScript; an emoji takes 2)",
    "code_point": "Unicode code points (for scripts; doccano itself counts UTF-16 units or, "
    "in grapheme mode, grapheme clusters)",
    "grapheme": "grapheme clusters (user-perceived characters: a flag, a ZWJ emoji or a letter "
    "with its combining marks counts 1), as doccano counts in grapheme mode",
}
_DOCCANO_GRAPHEME_SETTING = {
    "utf16": "leave **Count grapheme clusters as one character** off",
    "code_point": "these offsets are code points, which doccano does not count: re-export with "
    "`offset_unit` `utf16` (or `grapheme`) for doccano itself",
    "grapheme": "turn **Count grapheme clusters as one character** on",
}


def _doccano_guide(options: Options) -> str:
    unit = _DOCCANO_GRAPHEME_SETTING[options["offset_unit"]]
    if options["shape"] == "label":
        project = (
            "Shape `label` (`[[start, end, label]]`): create a doccano **Sequence Labeling** "
            "project (its default: **Use relation labeling** off) and import `documents.jsonl` "
            "with the option **JSONL**, column data `text`, column label `label`"
        )
        lost = (
            "relations (not written: export with shape `relation` for them), span attributes, "
            "per-annotator layers (the gold layer is written), document labels except as "
            "example metadata (`cats`, shown but not editable), and nested or overlapping "
            "spans unless the project's **Allow overlapping spans** is on"
        )
    else:
        project = (
            "Shape `relation` (`entities` and `relations`): create a doccano **Sequence "
            "Labeling** project with **Use relation labeling** on and import "
            "`documents.jsonl` with the option **JSONL(Relation)**"
        )
        lost = (
            "span attributes, per-annotator layers (the gold layer is written), document "
            "labels except as example metadata (`cats`, shown but not editable), and nested "
            "or overlapping spans unless the project's **Allow overlapping spans** is on"
        )
    return (
        f"{project}; {unit}. doccano cannot carry {lost}. Each warning of the export says "
        "what was left out."
    )


def _tagged(options: Options) -> str:
    """The card's line on which span labels a token format tagged."""
    labels = options.get(LABELS_OPTION)
    chosen = ", ".join(f"`{name}`" for name in labels) if labels else None
    return (
        f"Tagged labels: {chosen} (chosen at export); where two overlap, the earlier span is "
        "kept, then the longer, and each left out is a warning."
        if chosen
        else "Tagged labels: every span label except `QUOTE` (the default; an export may "
        "name others, quotes included); where two overlap, the earlier span is kept, then "
        "the longer, and each left out is a warning."
    )


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
        options=(
            ExportOption(
                "shape",
                SHAPES,
                "relation: entities and relations, for a doccano project with relation "
                "labeling on (import option JSONL(Relation)); label: [[start, end, label]], "
                "for doccano's default sequence labelling project (import option JSONL)",
            ),
            ExportOption(
                "offset_unit",
                UNITS,
                "utf16: doccano's default; grapheme: a doccano project counting grapheme "
                "clusters; code_point: for scripts",
            ),
        ),
        card_note_for=lambda options: _DOCCANO_UNITS[options["offset_unit"]],
        card_guide=_doccano_guide,
        reading=Reading(
            lambda source, options: read_doccano(
                source,
                offset_unit=options.offset_unit,  # type: ignore[arg-type]
                schema=options.schema,
                external_id_key=options.external_id_key,
            ),
            suffixes=(".jsonl",),
            offset_units=UNITS,
            takes_schema=True,
            detects_unit=True,
            owner_from_name=True,
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
        reading=Reading(
            lambda source, options: read_label_studio(
                source, external_id_key=options.external_id_key, schema=options.schema
            ),
            suffixes=(".json",),
            takes_schema=True,
        ),
        extra_files=_label_studio_files,
        card_guide=lambda _: (
            "Create a Label Studio project with `label-studio.config.xml` as its labeling "
            "config (Settings → Labeling Interface → Code), then import `documents.json`. The "
            "gold layer is the annotation marked ground truth; with scope `all`, each "
            "annotator's layer is a further annotation, named in `annotator`. Label Studio's "
            "importer makes the importing user the author of every annotation (it matches "
            "authors only by the email of one of its members), so who made which layer is "
            "kept in this file, not in Label Studio. To import a Label Studio export here, "
            "send `annotator_map` from its user ids to our usernames, or `as=gold`."
        ),
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
        span_label_choice=True,
        stored_tokens=True,
        card_guide=lambda options: (
            "Each document starts with a `-DOCSTART- -X- O O` line (CoNLL-2003), sentences "
            "end with a blank line, and each token line is `token TAG` (IOB2). Read it back "
            "with `python -m spacy convert documents.conll out/ --converter ner` (one Doc per "
            "document), or split it on the `-DOCSTART-` lines and give each sentence's tags "
            "to seqeval. The text is rebuilt from tokens (single spaces), so offsets into "
            f"the original text are not kept. {_tagged(options)} With scope `all` each "
            "annotator's version is a block of its own after the gold one, opened by "
            "`# document = …` and `# annotator = …` lines; `spacy convert` does not skip those, "
            "so convert a gold export."
        ),
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
        span_label_choice=True,
        card_guide=lambda options: f"`doc.ents`: {_tagged(options)}",
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
        "quotes",
        title="Quotes dataset (CSV and JSONL)",
        offset_unit="code_point",
        offset_note="One row per quote: its text, its fragments' offsets (code points), type, "
        "cue, speaker mention and the speaker it resolves to through its chain.",
        card_note="Unicode code points (same as ours), in each quote's `fragments`",
        card_caveat=CSV_CAVEAT + " (quotes.csv; quotes.jsonl keeps the values as stored)",
        extension=".zip",
        content_type=_ZIP,
        factory=QuotesWriter,
        card_guide=lambda _: (
            "`quotes.csv` opens in a spreadsheet; `quotes.jsonl` (the same rows, with the cue's "
            "and speaker mention's offsets) loads with `pandas.read_json(path, lines=True)`. "
            "One row per QUOTE: `layer` is `gold` or, with scope `all`, the annotator whose "
            "version it is; `quote` joins an interrupted quote's fragments with ` … `; "
            "`speaker` is the speaker's chain's canonical name (else the mention's text), so a "
            "quote attributed to a pronoun counts for the person it refers to. The text of the "
            "articles is not in these tables: export `jsonl` beside them for it."
        ),
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
