"""Label Studio JSON tasks: one JSON array, written element by element.

Offsets: Label Studio's ``Text`` tag stores ``value.start``/``value.end`` in Unicode code points
(its editor converts from the browser's UTF-16; see the "NER - Emoji - Text" tests in
HumanSignal/label-studio, which assert code point offsets with emoji before the region). That is
our unit, so offsets pass through unchanged. Label Studio counts ``\\r\\n`` as two characters, as
we do.

Each task holds the gold layer as one annotation marked ``ground_truth`` and, with scope "all",
one annotation per annotator (name in ``annotator``, which Label Studio's import ignores).
Results: ``labels`` for spans, per-region ``choices`` (same id as the region) for span
attributes, ``relation`` for relations, and ``choices`` on the text for document labels.
``label_studio_config(schema)`` gives the labeling config these results match.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from typing import IO, Any, BinaryIO
from xml.sax.saxutils import quoteattr

from . import emulation
from .base import (
    CardContext,
    FormatError,
    Record,
    Schema,
    Tally,
    WriteResult,
    document_groups,
    relation_labels,
    span_attribute_names,
    span_labels,
)
from .reading import ReadResult, json_problem, json_value, new_record

FROM_SPANS = "label"
TO_NAME = "text"
# Per-region attribute controls get a prefix: an attribute may share its name with a document
# label group (the news preset has "sentiment" for both), and control names must be unique.
ATTRIBUTE_PREFIX = "span_"


class LabelStudioWriter:
    def __init__(self, out: BinaryIO, schema: Schema, *, card: CardContext | None = None) -> None:
        self._out = out
        self._tally = Tally("label-studio")
        self._groups = document_groups(schema)
        out.write(b"[")

    def write(self, record: Record) -> None:
        self._tally.count(record)
        text = record["text"]
        annotations = []
        if record.get("spans") or record.get("relations") or record.get("document_labels"):
            annotations.append({"ground_truth": True, "result": self._results(record, text)})
        for layer in record.get("annotations") or ():
            annotations.append(
                {
                    "annotator": layer.get("annotator"),
                    "status": layer.get("status"),
                    "ground_truth": False,
                    "result": self._results(layer, text),
                }
            )
        task = {
            "id": self._tally.result.records,
            "data": {
                "text": text,
                "external_id": record["external_id"],
                "title": record.get("title", ""),
                "split": record.get("split"),
                "meta": record.get("meta") or {},
            },
            "annotations": annotations,
        }
        separator = b"\n" if self._tally.result.records == 1 else b",\n"
        self._out.write(separator + json.dumps(task, ensure_ascii=False).encode("utf-8"))

    def _results(self, layer: dict[str, Any], text: str) -> list[dict[str, Any]]:
        results: list[dict[str, Any]] = []
        regions, links = emulation.pieces(layer)
        names = {c["id"]: c.get("name") or "" for c in layer.get("chains") or ()}
        for piece in regions:
            span = piece.span
            value = {"start": piece.start, "end": piece.end, "text": text[piece.start : piece.end]}
            region = _result(piece.id, FROM_SPANS, "labels", {**value, "labels": [span["label"]]})
            if piece.first and span.get("chain"):
                # Label Studio keeps a region's meta as given: the chain's id and name ride
                # there, the COREF relations draw it (DECISIONS 67).
                meta = {"chain": span["chain"]}
                if names.get(span["chain"]):
                    meta["chain_name"] = names[span["chain"]]
                region["meta"] = meta
            results.append(region)
            if not piece.first:
                continue
            for name, choice in sorted((span.get("attributes") or {}).items()):
                choices = choice if isinstance(choice, list) else [choice]
                control = ATTRIBUTE_PREFIX + name
                results.append(_result(piece.id, control, "choices", {**value, "choices": choices}))
        for rel in [*(layer.get("relations") or ()), *links]:
            results.append(
                {
                    "from_id": rel["from"],
                    "to_id": rel["to"],
                    "type": "relation",
                    "direction": "right",
                    "labels": [rel["label"]],
                }
            )
        for group, value in (layer.get("document_labels") or {}).items():
            choices = value if isinstance(value, list) else [value]
            results.append(_result(f"doc-{group}", group, "choices", {"choices": choices}))
        return results

    def close(self) -> WriteResult:
        self._out.write(b"\n]\n" if self._tally.result.records else b"]\n")
        return self._tally.finish()


def _result(rid: str, from_name: str, kind: str, value: dict[str, Any]) -> dict[str, Any]:
    return {"id": rid, "from_name": from_name, "to_name": TO_NAME, "type": kind, "value": value}


def label_studio_config(schema: Schema) -> str:
    """The labeling config (XML) whose control names match what the writer emits."""
    lines = ["<View>", f'  <Labels name="{FROM_SPANS}" toName="{TO_NAME}">']
    lines += [f"    <Label value={quoteattr(name)}/>" for name in span_labels(schema)]
    lines += ["  </Labels>", f'  <Text name="{TO_NAME}" value="$text"/>']
    # FRAGMENT and COREF draw interrupted spans and chains (emulation.py), unless ours
    names = [*relation_labels(schema)]
    names += [n for n in emulation.RESERVED if n not in names]
    relations = "".join(f"<Relation value={quoteattr(n)}/>" for n in names)
    lines.append(f"  <Relations>{relations}</Relations>")
    attributes: dict[str, list[str]] = {}
    for lab in schema.get("labels", ()):
        for name, values in (lab.get("attributes") or {}).items():
            attributes.setdefault(name, [])
            attributes[name] += [v for v in values if v not in attributes[name]]
    for name in span_attribute_names(schema):
        control = quoteattr(ATTRIBUTE_PREFIX + name)
        lines.append(f'  <Choices name={control} toName="{TO_NAME}" perRegion="true">')
        lines += [f"    <Choice value={quoteattr(v)}/>" for v in attributes[name]]
        lines.append("  </Choices>")
    for group, spec in document_groups(schema).items():
        choice = "multiple" if spec["multiple"] else "single"
        lines.append(f'  <Choices name={quoteattr(group)} toName="{TO_NAME}" choice="{choice}">')
        lines += [f"    <Choice value={quoteattr(v)}/>" for v in spec["values"]]
        lines.append("  </Choices>")
    lines.append("</View>")
    return "\n".join(lines) + "\n"


def read_label_studio(
    source: IO[bytes], *, external_id_key: str | None = None, schema: Schema | None = None
) -> ReadResult:
    """Read a Label Studio JSON export (a list of tasks).

    The whole file is parsed at once (the standard library has no streaming JSON parser);
    Label Studio exports of tens of thousands of tasks fit comfortably. An annotation marked
    ``ground_truth`` becomes the gold layer; a task with a single annotation uses it as gold;
    otherwise every annotation goes into ``annotations`` and the gold layer stays empty.
    Predictions, cancelled annotations and result types we do not model are reported.
    Regions joined by ``FRAGMENT`` relations are one interrupted span, ``COREF`` relations and
    regions' ``meta.chain`` make chains (``emulation.py``), unless ``schema`` has relation
    labels of those names.
    """
    try:
        tasks = json_value(source.read().decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise FormatError(f"not UTF-8 ({exc.reason} at byte {exc.start})") from exc
    except ValueError as exc:
        raise FormatError(json_problem(exc), line=getattr(exc, "lineno", None)) from exc
    if not isinstance(tasks, list):
        raise FormatError("expected a JSON array of tasks")
    warnings: list[str] = []
    reserved = emulation.reserved_labels(relation_labels(schema) if schema else None)
    result = ReadResult(_records(tasks, warnings, external_id_key, reserved), warnings)
    result.annotators = _authors(tasks)
    return result


def _external_id(task: dict[str, Any], index: int, key: str | None, where: str) -> str:
    """The task's `key` (in its data, else the task), by default `external_id`, else its id."""
    data = task["data"]
    if key:
        value = data.get(key, task.get(key))
        if value is None or value == "":
            raise FormatError(f"no {key!r} (the external_id_key)", field=f"{where}.data.{key}")
    else:
        value = data.get("external_id", task.get("id"))
    return str(index + 1 if value is None or value == "" else value)


# What a task or an annotation holds that we carry (the rest is named in one warning).
_TASK_KEYS = {"id", "data", "annotations", "predictions", "meta", "drafts"}
_ANNOTATION_KEYS = {"result", "ground_truth", "was_cancelled", "completed_by", "annotator"}
_ANNOTATION_KEYS |= {"status"}


def annotator_names(ann: dict[str, Any]) -> tuple[str, ...]:
    """The names an annotation's author goes by: our exporter's `annotator`, else Label
    Studio's `completed_by` (a user id, or an object with id and email); () for none."""
    if ann.get("annotator"):
        return (str(ann["annotator"]),)
    who = ann.get("completed_by")
    if isinstance(who, dict):
        return tuple(str(who[k]) for k in ("id", "email", "username") if who.get(k))
    return (str(who),) if who is not None and who != "" else ()


def _authors(tasks: list[Any]) -> dict[str, tuple[str, ...]]:
    """Every author of a kept annotation, by first name, in the order found."""
    found: dict[str, tuple[str, ...]] = {}
    for task in tasks:
        if not isinstance(task, dict):
            continue
        for ann in task.get("annotations") or ():
            if isinstance(ann, dict) and not ann.get("was_cancelled"):
                names = annotator_names(ann)
                if names:
                    found.setdefault(names[0], names)
    return found


def _records(
    tasks: list[Any], warnings: list[str], key: str | None, reserved: frozenset[str]
) -> Iterator[Record]:
    skipped: dict[str, set[str]] = {"task": set(), "annotation": set()}
    drafts = 0
    for index, task in enumerate(tasks):
        where = f"tasks[{index}]"
        if not isinstance(task, dict) or not isinstance(task.get("data"), dict):
            raise FormatError("task must be an object with data", field=where)
        data = task["data"]
        text = data.get("text")
        if not isinstance(text, str):
            raise FormatError("task has no text", field=f"{where}.data.text")
        record = new_record(_external_id(task, index, key, where), text)
        if isinstance(data.get("title"), str):
            record["title"] = data["title"]
        record["meta"] = _meta(task, key or "external_id")
        if data.get("split"):
            record["split"] = data["split"]
        _predictions(task.get("predictions") or [], record, where, warnings, reserved)
        drafts += len(task.get("drafts") or ())
        skipped["task"].update(set(task) - _TASK_KEYS)
        _annotations(task.get("annotations") or [], record, where, warnings, skipped, reserved)
        yield record
    if drafts:
        warnings.append(f"{drafts} draft(s) not imported: only submitted annotations are")
    for what, names in skipped.items():
        if names:
            warnings.append(
                f"Label Studio {what} fields not imported (its bookkeeping): "
                + ", ".join(sorted(names))
            )


def _meta(task: dict[str, Any], id_key: str) -> dict[str, Any]:
    """The document's meta: ours (`data.meta`), the task's other data fields, and Label
    Studio's own (task id, task meta) under `label_studio`."""
    data = task["data"]
    meta = dict(data["meta"]) if isinstance(data.get("meta"), dict) else {}
    for name, value in data.items():
        carried = name in (id_key, "text", "split") or (
            name in ("title", "meta") and isinstance(value, str if name == "title" else dict)
        )
        if not carried:
            meta[name] = value
    own: dict[str, Any] = {}
    if task.get("id") is not None:
        own["task_id"] = task["id"]
    if task.get("meta"):
        own["meta"] = task["meta"]
    if own:
        meta["label_studio"] = own
    return meta


def _predictions(
    predictions: list[Any],
    record: Record,
    where: str,
    warnings: list[str],
    reserved: frozenset[str],
) -> None:
    """Predictions in full (the snapshot export) as layers with their score, under
    `_predictions` (`as=suggestions` imports them); ids alone (the JSON export) are reported."""
    layers = []
    for prediction in predictions:
        if isinstance(prediction, dict) and isinstance(prediction.get("result"), list):
            layer = _layer(prediction["result"], record, f"{where}.predictions", warnings, reserved)
            layers.append({**layer, "score": prediction.get("score")})
    if len(layers) < len(predictions):
        warnings.append(
            f"{_doc(record)}: {len(predictions) - len(layers)} prediction(s) given by id only "
            "(Label Studio's JSON export; its snapshot export carries them in full) not imported"
        )
    if layers:
        record["_predictions"] = layers


def _annotations(
    annotations: list[Any],
    record: Record,
    where: str,
    warnings: list[str],
    skipped: dict[str, set[str]],
    reserved: frozenset[str],
) -> None:
    """The ground-truth annotation (the first) is the gold layer; each annotation with an
    author is a layer under `annotations`, with the names its author goes by (`_names`) and
    its ground-truth mark, for `layers.assign_layers` to map to our members."""
    gold_done = False
    unauthored: list[dict[str, Any]] = []
    for number, ann in enumerate(annotations):
        if not isinstance(ann, dict) or not isinstance(ann.get("result", []), list):
            raise FormatError("annotation must be an object with a result list", field=where)
        if ann.get("was_cancelled"):
            warnings.append(f"{_doc(record)}: cancelled annotation {number} skipped")
            continue
        skipped["annotation"].update(set(ann) - _ANNOTATION_KEYS)
        layer = _layer(ann.get("result", []), record, f"{where}.annotations", warnings, reserved)
        truth = bool(ann.get("ground_truth"))
        if truth and not gold_done:
            record.update(copy.deepcopy(layer))
            gold_done = True
        names = annotator_names(ann)
        if not names and not truth:
            unauthored.append(layer)
        if names:
            record.setdefault("annotations", []).append(
                {
                    "annotator": names[0],
                    "status": ann.get("status") or "submitted",
                    **layer,
                    "_names": names,
                    "_ground_truth": truth,
                }
            )
    # An annotation with no author (a file made by a script) is the gold layer when it is the
    # task's only one and nothing is marked ground truth; others cannot be anyone's.
    if len(unauthored) == 1 and not gold_done and not record.get("annotations"):
        record.update(unauthored.pop())
    if unauthored:
        warnings.append(
            f"{_doc(record)}: {len(unauthored)} annotation(s) with no author and not ground "
            "truth not imported"
        )


def _layer(
    results: list[Any], record: Record, where: str, warnings: list[str], reserved: frozenset[str]
) -> dict[str, Any]:
    """One annotation's results as a native layer (spans, relations, document labels, and
    the fragments and chains its reserved relations and region meta emulate)."""
    layer: dict[str, Any] = {"spans": [], "relations": [], "document_labels": {}}
    attributes: dict[str, dict[str, Any]] = {}  # region id -> per-region choices
    chain_of: dict[str, tuple[str, str]] = {}  # region id -> (chain id, name), from its meta
    for res in results:
        if not isinstance(res, dict):
            raise FormatError("result must be an object", field=where)
        kind, value = res.get("type"), res.get("value") or {}
        if kind == "labels":
            layer["spans"].append(_span(res, value, record, where, warnings))
            meta = res.get("meta")
            if isinstance(meta, dict) and isinstance(meta.get("chain"), str) and meta["chain"]:
                name = meta.get("chain_name")
                chain_of[str(res.get("id"))] = (
                    meta["chain"],
                    name if isinstance(name, str) else "",
                )
        elif kind == "relation":
            labels = res.get("labels") or ["RELATION"]
            rel_id = f"r{len(layer['relations']) + 1}"
            layer["relations"].append(
                {
                    "id": rel_id,
                    "from": res.get("from_id"),
                    "to": res.get("to_id"),
                    "label": labels[0],
                }
            )
        elif kind == "choices":
            choices = value.get("choices") or []
            choice = choices[0] if len(choices) == 1 else choices
            if "start" in value:  # per-region: an attribute of the span with the same id
                name = str(res.get("from_name")).removeprefix(ATTRIBUTE_PREFIX)
                attributes.setdefault(str(res.get("id")), {})[name] = choice
            else:
                layer["document_labels"][res.get("from_name")] = choice
        else:
            warnings.append(
                f"{_doc(record)}: result type {kind!r} ({res.get('from_name')}) not imported"
            )
    _attach(layer, attributes, record, warnings)
    emulation.decode(
        layer, reserved=reserved, doc=_doc(record), warnings=warnings, chain_of=chain_of
    )
    return layer


def _attach(
    layer: dict[str, Any],
    attributes: dict[str, dict[str, Any]],
    record: Record,
    warnings: list[str],
) -> None:
    """Give spans their attributes and drop relations whose ends are missing, reporting both."""
    spans = {span["id"]: span for span in layer["spans"]}
    for region, values in attributes.items():
        if region in spans:
            spans[region]["attributes"].update(values)
        else:
            warnings.append(f"{_doc(record)}: choices for missing region {region!r} skipped")
    kept = [r for r in layer["relations"] if r["from"] in spans and r["to"] in spans]
    if len(kept) < len(layer["relations"]):
        missing = len(layer["relations"]) - len(kept)
        warnings.append(f"{_doc(record)}: {missing} relation(s) to a missing region skipped")
    layer["relations"] = kept


def _span(
    res: dict[str, Any], value: dict[str, Any], record: Record, where: str, warnings: list[str]
) -> dict[str, Any]:
    text = record["text"]
    start, end, labels = value.get("start"), value.get("end"), value.get("labels") or []
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text)):
        raise FormatError(f"region {res.get('id')!r} has bad offsets {start}-{end}", field=where)
    if len(labels) != 1:
        raise FormatError(f"region {res.get('id')!r} needs exactly one label", field=where)
    if value.get("text") is not None and value["text"] != text[start:end]:
        # older Label Studio versions counted UTF-16 units; keep offsets, let a person look
        warnings.append(
            f"{_doc(record)} region {res.get('id')!r}: stored text differs from the offsets; "
            "offsets kept"
        )
    return {
        "id": str(res.get("id")),
        "start": start,
        "end": end,
        "label": labels[0],
        "attributes": {},
    }


def _doc(record: Record) -> str:
    return f"document {record['external_id']!r}"
