"""A Hugging Face ``datasets`` folder, zipped: one JSONL per split plus a README dataset card.

Files: ``train.jsonl``, ``dev.jsonl``, ``test.jsonl`` (split names as we use them; the card maps
``dev`` to the conventional ``validation`` split) or ``data.jsonl`` when no split was
requested. ``load_dataset(<unzipped folder>)`` reads the card's YAML (``configs`` and
``dataset_info.features``); ``load_dataset("json", data_files=…)`` reads the files directly.

Rows keep one Arrow schema across all files, which ``datasets`` needs: span ``attributes`` and
``document_labels`` are structs with every key the schema declares (null when unset), ``meta``
is a JSON string (free-form keys would change the schema row by row), and ``annotations`` is
present only for scope "all". Offsets are code points into ``text``.

Memory: rows stream into one temporary file per split, copied into the zip at close.
"""

from __future__ import annotations

import json
import tempfile
from typing import IO, Any, BinaryIO

from .archive import ZipOut
from .base import (
    NO_SPLIT,
    CardContext,
    Record,
    Schema,
    Tally,
    WriteResult,
    document_groups,
    language,
    span_attribute_names,
    split_order,
)
from .jsonl import dumps

HF_SPLIT_NAMES = {"dev": "validation"}


class HfWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._schema = schema
        self._card = card
        self._out = out
        self._tally = Tally("hf")
        self._attributes = span_attribute_names(schema)
        self._groups = document_groups(schema)
        self._with_annotations = card is not None and card.scope == "all"
        self._files: dict[str, IO[bytes]] = {}

    def write(self, record: Record) -> None:
        self._tally.count(record)
        self._tally.uncarried_attribution(record, fragments=True, chains=True)
        if not self._with_annotations:
            self._tally.uncarried_annotations(record)
        split = record.get("split") or NO_SPLIT
        if split not in self._files:
            # closed in close(); a writer spans many calls, so no with-block fits
            self._files[split] = tempfile.TemporaryFile()  # noqa: SIM115
        self._files[split].write(dumps(self._row(record)))

    def _row(self, record: Record) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": record["external_id"],
            "title": record.get("title", ""),
            "text": record["text"],
            "meta": json.dumps(record.get("meta") or {}, ensure_ascii=False, sort_keys=True),
        }
        row.update(self._layer(record, record))
        if self._with_annotations:
            row["annotations"] = [
                {
                    "annotator": layer.get("annotator"),
                    "status": layer.get("status"),
                    **self._layer(record, layer),
                }
                for layer in record.get("annotations") or ()
            ]
        return row

    def _layer(self, record: Record, layer: dict[str, Any]) -> dict[str, Any]:
        text, spans = record["text"], []
        for span in layer.get("spans") or ():
            given = span.get("attributes") or {}
            for extra in given.keys() - set(self._attributes):
                self._tally.warn(
                    f"document {record['external_id']!r}: attribute {extra!r} is not in the "
                    "schema; dropped"
                )
            spans.append(
                {
                    "id": span["id"],
                    "start": span["start"],
                    "end": span["end"],
                    "label": span["label"],
                    "text": text[span["start"] : span["end"]],
                    "attributes": {name: given.get(name) for name in self._attributes},
                }
            )
        chosen = layer.get("document_labels") or {}
        labels = {}
        for group, spec in self._groups.items():
            value = chosen.get(group)
            if spec["multiple"]:
                value = value if isinstance(value, list) else [value] if value else []
            labels[group] = value
        relations = [
            {"id": r["id"], "from": r["from"], "to": r["to"], "label": r["label"]}
            for r in layer.get("relations") or ()
        ]
        return {"spans": spans, "relations": relations, "document_labels": labels}

    def close(self) -> WriteResult:
        from .card import dataset_card

        result = self._tally.finish()
        archive = ZipOut(self._out)
        for split in sorted(self._files, key=split_order):
            handle = self._files[split]
            handle.seek(0)
            archive.add_stream(_file_name(split), handle)
            handle.close()
        if self._card is not None:
            yaml = self.front_matter(sorted(self._files, key=split_order))
            card = dataset_card(
                self._schema, result, self._card, files=dict(archive.files), front_matter=yaml
            )
            archive.add("README.md", card.encode("utf-8"))
        archive.close()
        result.files = dict(archive.files)
        return result

    def front_matter(self, splits: list[str]) -> str:
        """YAML the Hub and ``load_dataset(path)`` read: configs and explicit features."""
        name = json.dumps((self._schema.get("project") or {}).get("name") or "dataset")
        lines = [f"pretty_name: {name}", "language:", f"- {json.dumps(language(self._schema))}"]
        lines += ["task_categories:", "- token-classification", "- text-classification"]
        lines += ["configs:", "- config_name: default", "  data_files:"]
        for split in splits:
            lines += [f"  - split: {_hf_split(split)}", f"    path: {_file_name(split)}"]
        lines += ["dataset_info:", "  features:"]
        lines += ["  " + line for line in _yaml_features(self._features())]
        return "\n".join(lines) + "\n"

    def _features(self) -> list[tuple[str, Any]]:
        attributes: list[tuple[str, Any]] = [(name, "string") for name in self._attributes]
        span: list[tuple[str, Any]] = [
            ("id", "string"),
            ("start", "int64"),
            ("end", "int64"),
            ("label", "string"),
        ]
        span += [("text", "string"), ("attributes", attributes)]
        relation: list[tuple[str, Any]] = [
            ("id", "string"),
            ("from", "string"),
            ("to", "string"),
            ("label", "string"),
        ]
        groups: list[tuple[str, Any]] = [
            (g, ["string"] if s["multiple"] else "string") for g, s in self._groups.items()
        ]
        layer: list[tuple[str, Any]] = [
            ("spans", [span]),
            ("relations", [relation]),
            ("document_labels", groups),
        ]
        features: list[tuple[str, Any]] = [
            ("id", "string"),
            ("title", "string"),
            ("text", "string"),
            ("meta", "string"),
        ]
        features += layer
        if self._with_annotations:
            features.append(
                ("annotations", [[("annotator", "string"), ("status", "string"), *layer]])
            )
        return features


def _yaml_features(fields: list[tuple[str, Any]], indent: str = "") -> list[str]:
    """The ``dataset_info.features`` YAML: a str is a dtype, a list of pairs a struct, a
    one-element list a list of its element."""
    lines = []
    for name, kind in fields:
        lines.append(f"{indent}- name: {json.dumps(name)}")
        lines += _yaml_type(kind, indent + "  ")
    return lines


def _yaml_type(kind: Any, indent: str) -> list[str]:
    if isinstance(kind, str):
        return [f"{indent}dtype: {kind}"]
    if len(kind) == 1 and not isinstance(kind[0], tuple):
        inner = kind[0]
        if isinstance(inner, str):
            return [f"{indent}list: {inner}"]
        return [f"{indent}list:", *_yaml_features(inner, indent)]
    if not kind:
        return [f"{indent}struct: []"]
    return [f"{indent}struct:", *_yaml_features(kind, indent)]


def _hf_split(split: str) -> str:
    return HF_SPLIT_NAMES.get(split, split) if split != NO_SPLIT else "train"


def _file_name(split: str) -> str:
    return "data.jsonl" if split == NO_SPLIT else f"{split}.jsonl"
