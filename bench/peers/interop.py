"""Round trips between us and real doccano / Label Studio, and the fixtures they export.

    .venv/bin/python bench/peers/interop.py [--no-fixtures]

Starts our workbench, doccano 1.8.4 and Label Studio 1.23.2 on 127.0.0.1 (embedded
databases, ports and files of their own, beside any benchmark run) and, with the test
set in tests/data/interop/testset.jsonl (gold plus annotators alice and bob):

1. ours → peer: our exporter (`manage.py export_dataset`) writes the peer's format, the
   peer's own importer reads it, the peer's own exporter writes it back out, and we
   compare what the peer exported with what we put in;
2. peer → ours: that export is uploaded to a fresh project of ours and read back with
   our JSONL exporter;
3. peer-made → ours: the test set is annotated through each peer's own API (alice and bob
   as the peer's users, offsets in the peer's unit), exported with the peer's exporter —
   these exports are the committed fixtures in tests/data/interop/<tool>-<version>/ — and
   uploaded to ours.

Per direction and feature it prints what survived, `found/expected`, then asserts: every
cell must be complete except those a row declares lost by the peer's design (doccano has no
span attributes; Label Studio's importer makes the importing user every annotation's
author), which are listed under the table with the reason. The exit status is 1 when a
cell falls short, so a regression in either direction fails the run.
"""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
import tempfile
import zipfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from clients import DoccanoClient, LabelStudioClient, WorkbenchClient
from paths import DOCCANO_VERSION, LABEL_STUDIO_VERSION, ROOT, VENVS
from servers import Doccano, LabelStudio, Server, Workbench
from testset import PATH as TESTSET
from wire import Http, HttpError, poll

FIXTURES = ROOT / "tests" / "data" / "interop"
SKIP: dict[str, str] = {}  # a row that is not a round trip (a peer not installed)
LS_AUTHOR = (
    "Label Studio's importer makes the importing user every annotation's author (it matches "
    "`completed_by` by the email of one of its members only); our `annotator` names are dropped"
)
ANNOTATORS = ("alice", "bob")
SPAN_LABELS = ("PER", "ORG", "LOC", "QUOTE")
FEATURES = (
    "text",
    "spans",
    "offsets",
    "labels",
    "relations",
    "doc labels",
    "attributes",
    "annotators",
    "gold",
)


# -- offsets --------------------------------------------------------------------------------
def utf16_positions(text: str) -> list[int]:
    """positions[i] = UTF-16 offset of code point i (len(text) + 1 entries)."""
    out, unit = [0], 0
    for char in text:
        unit += 2 if ord(char) > 0xFFFF else 1
        out.append(unit)
    return out


def grapheme_positions(texts: list[str]) -> list[list[int | None]]:
    """positions[i] = grapheme-cluster offset of code point i (None inside a cluster).

    Segmented with the `regex` module's \\X (extended grapheme clusters), which the Label
    Studio virtualenv ships; doccano's browser counts the same clusters in grapheme mode.
    """
    script = (
        "import json, sys, regex\n"
        "out = []\n"
        "for text in json.load(sys.stdin):\n"
        "    pos = [None] * (len(text) + 1); i = 0\n"
        "    for n, cluster in enumerate(regex.findall(r'\\X', text)):\n"
        "        pos[i] = n; i += len(cluster)\n"
        "    pos[i] = len(regex.findall(r'\\X', text)); out.append(pos)\n"
        "json.dump(out, sys.stdout)\n"
    )
    python = VENVS["label-studio"] / "bin" / "python"
    done = subprocess.run(
        [str(python), "-c", script], input=json.dumps(texts), capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr)
    return json.loads(done.stdout)


def to_unit(positions: list, offset: int) -> int:
    value = positions[offset]
    assert value is not None, "offset inside a grapheme cluster"
    return value


def from_unit(positions: list, value: int) -> int | None:
    """The code point offset whose unit offset is `value`, or None if there is none."""
    try:
        return positions.index(value)
    except ValueError:
        return None


# -- a tool-neutral view of annotations -----------------------------------------------------
@dataclass
class Layer:
    spans: set = field(default_factory=set)  # (start, end, label), code points
    relations: set = field(default_factory=set)  # ((start, end), (start, end), label)
    doc_labels: set = field(default_factory=set)  # values
    attributes: set = field(default_factory=set)  # (start, end, name, value)
    gold: bool = False


View = dict[str, dict[str, Layer]]  # text → layer name (annotator or "gold") → layer


def layer_from_native(item: dict, gold: bool) -> Layer:
    by_id = {s["id"]: (s["start"], s["end"]) for s in item.get("spans", [])}
    layer = Layer(gold=gold)
    for s in item.get("spans", []):
        layer.spans.add((s["start"], s["end"], s["label"]))
        for name, value in (s.get("attributes") or {}).items():
            layer.attributes.add((s["start"], s["end"], name, value))
    for r in item.get("relations", []):
        if r["from"] in by_id and r["to"] in by_id:
            layer.relations.add((by_id[r["from"]], by_id[r["to"]], r["label"]))
    for value in (item.get("document_labels") or {}).values():
        for v in value if isinstance(value, list) else [value]:
            layer.doc_labels.add(v)
    return layer


def view_from_native(lines: list[dict]) -> View:
    view: View = {}
    for record in lines:
        layers = view.setdefault(record["text"], {})
        if record.get("spans") or record.get("relations") or record.get("document_labels"):
            layers["gold"] = layer_from_native(record, gold=True)
        for ann in record.get("annotations", []):
            layers[ann["annotator"]] = layer_from_native(ann, gold=False)
    return view


def view_from_doccano(files: dict[str, bytes], shape: str, unit: str = "utf16") -> View:
    """doccano JSONL per user (file name = user): `label` or relation (`entities`) shape.

    A Sequence Labeling export has no document categories: a `cats` key in it is only a
    file's unknown key that doccano kept in `meta` and wrote back, so it is not read as one.
    """
    view: View = {}
    records = {
        user: [json.loads(line) for line in data.decode("utf-8").splitlines() if line.strip()]
        for user, data in files.items()
    }
    texts = sorted({r["text"] for rs in records.values() for r in rs})
    graphemes = (
        dict(zip(texts, grapheme_positions(texts), strict=True)) if unit == "grapheme" else {}
    )
    for user, rows in records.items():
        for r in rows:
            text = r["text"]
            positions = graphemes[text] if unit == "grapheme" else utf16_positions(text)
            layer = Layer()

            def cp(value: int, positions=positions) -> int:
                found = from_unit(positions, value)
                return -1 if found is None else found

            if shape == "label":
                for start, end, label in r.get("label", []):
                    layer.spans.add((cp(start), cp(end), label))
            else:
                ids = {}
                for e in r.get("entities", []):
                    key = (cp(e["start_offset"]), cp(e["end_offset"]))
                    ids[e["id"]] = key
                    layer.spans.add((*key, e["label"]))
                for rel in r.get("relations", []):
                    if rel["from_id"] in ids and rel["to_id"] in ids:
                        layer.relations.add((ids[rel["from_id"]], ids[rel["to_id"]], rel["type"]))
            layers = view.setdefault(text, {})  # the text arrived, even with no span
            if layer.spans or layer.relations:
                layers[user] = layer
    return view


def view_from_label_studio(tasks: list[dict], users: dict[int, str]) -> View:
    view: View = {}
    for task in tasks:
        text = task["data"]["text"]
        for n, ann in enumerate(task.get("annotations", [])):
            if ann.get("was_cancelled"):
                continue
            who = users.get(ann.get("completed_by"), f"user {ann.get('completed_by')}")
            name = "gold" if ann.get("ground_truth") else who
            if name in view.get(text, {}):
                name = f"{name} #{n}"
            view.setdefault(text, {})[name] = layer_from_ls(ann["result"], ann.get("ground_truth"))
    return view


def layer_from_ls(result: list[dict], gold: bool | None) -> Layer:
    layer = Layer(gold=bool(gold))
    regions = {}
    for item in result:
        value = item.get("value", {})
        if item.get("type") == "labels":
            key = (value["start"], value["end"])
            regions[item["id"]] = key
            for label in value.get("labels", []):
                layer.spans.add((*key, label))
    for item in result:
        value = item.get("value", {})
        if item.get("type") == "relation":
            ends = regions.get(item["from_id"]), regions.get(item["to_id"])
            if None not in ends:
                for label in item.get("labels", []):
                    layer.relations.add((ends[0], ends[1], label))
        elif item.get("type") == "choices" and "start" in value:
            name = item["from_name"].removeprefix("span_")
            for choice in value.get("choices", []):
                layer.attributes.add((value["start"], value["end"], name, choice))
        elif item.get("type") == "choices":
            layer.doc_labels.update(value.get("choices", []))
    return layer


# -- comparing ------------------------------------------------------------------------------
def compare(source: View, target: View, gold_concept: bool) -> dict[str, tuple[int, int]]:
    """found/expected per feature; a source layer is matched to the target layer of the same
    name, else to the gold-marked one (for gold), else to the most similar one."""
    counts = {f: [0, 0] for f in FEATURES}
    for text, layers in source.items():
        counts["text"][1] += 1
        theirs = target.get(text)
        if theirs is not None:
            counts["text"][0] += 1
        theirs = theirs or {}
        for name, mine, match, named in _pair(layers, theirs):
            other = match or Layer()
            _add(counts["spans"], mine.spans, other.spans)
            _add(counts["offsets"], {s[:2] for s in mine.spans}, {s[:2] for s in other.spans})
            same_place = {s[:2] for s in mine.spans} & {s[:2] for s in other.spans}
            _add(
                counts["labels"],
                {s for s in mine.spans if s[:2] in same_place},
                other.spans,
            )
            _add(counts["relations"], mine.relations, other.relations)
            _add(counts["doc labels"], mine.doc_labels, other.doc_labels)
            _add(counts["attributes"], mine.attributes, other.attributes)
            if name == "gold":
                if gold_concept:
                    counts["gold"][1] += 1
                    counts["gold"][0] += int(bool(match and match.gold))
            else:
                counts["annotators"][1] += 1
                counts["annotators"][0] += int(named)
    return {k: (v[0], v[1]) for k, v in counts.items()}


def _pair(mine: dict[str, Layer], theirs: dict[str, Layer]):
    """(name, my layer, their layer or None, matched by name or gold mark) for each of mine:
    first by name, then gold to their gold-marked layer, then the rest by span similarity."""
    pairs, used = {}, set()
    for name in mine:
        if name in theirs:
            pairs[name] = (theirs[name], True)
            used.add(name)
    marked = [k for k, layer in theirs.items() if layer.gold and k not in used]
    if "gold" in mine and "gold" not in pairs and marked:
        pairs["gold"] = (theirs[marked[0]], True)
        used.add(marked[0])
    for name, layer in mine.items():
        if name in pairs:
            continue
        free = [k for k in theirs if k not in used]
        if not free:
            pairs[name] = (None, False)
            continue
        best = max(free, key=lambda k: _similarity(layer, theirs[k]))
        pairs[name] = (theirs[best], False)
        used.add(best)
    return [(name, layer, *pairs[name]) for name, layer in mine.items()]


def _similarity(a: Layer, b: Layer) -> float:
    union = a.spans | b.spans
    return len(a.spans & b.spans) / len(union) if union else 1.0


def _add(cell: list[int], expected: set, found: set) -> None:
    cell[0] += len(expected & found)
    cell[1] += len(expected)


@dataclass
class Row:
    direction: str
    counts: dict[str, tuple[int, int]] | None = None
    note: str = ""
    # feature → why the peer cannot carry it (not asserted)
    lost: dict[str, str] = field(default_factory=dict)

    def shortfalls(self) -> list[str]:
        """The features that came out incomplete and are not declared lost."""
        if self.counts is None:
            return [] if self.lost is SKIP else ["everything (the step failed)"]
        return [
            feature
            for feature, (found, expected) in self.counts.items()
            if found != expected and feature not in self.lost
        ]


def print_table(rows: list[Row]) -> None:
    header = ["direction", *FEATURES, "what the tools said"]
    print("| " + " | ".join(header) + " |")
    print("|" + "---|" * len(header))
    for row in rows:
        cells = [row.direction]
        for feature in FEATURES:
            if row.counts is None:
                cells.append("—")
                continue
            found, expected = row.counts[feature]
            cell = "n/a" if expected == 0 else f"{found}/{expected}"
            cells.append(cell + (" (lost)" if feature in row.lost and found != expected else ""))
        cells.append(row.note.replace("|", "/").replace("\n", " ")[:240])
        print("| " + " | ".join(cells) + " |")
    lost = {(f, why) for row in rows for f, why in row.lost.items()}
    if lost:
        print("\nLost by the peer's design (not asserted):")
        for feature, why in sorted(lost):
            print(f"- {feature}: {why}")


# -- the workbench side ---------------------------------------------------------------------
class Ours:
    def __init__(self, server: Workbench):
        self.server = server
        script = (
            "from django.contrib.auth import get_user_model\n"
            "for name in ('alice', 'bob'):\n"
            "    get_user_model().objects.get_or_create(username=name)\n"
        )
        server.manage("shell", "-c", script)
        self.client = WorkbenchClient(server)
        self.http = self.client.http

    def project(self, name: str) -> int:
        project = self.client.create_project(name)
        for user in ANNOTATORS:
            self.http.json(
                "POST", f"/api/projects/{project}/members/", {"username": user, "role": "annotator"}
            )
        return project

    def upload(self, project: int, filename: str, data: bytes, **fields: str) -> tuple[bool, str]:
        try:
            answer = json.loads(
                self.http.upload(
                    f"/api/projects/{project}/documents/upload/", "file", filename, data, fields
                )
            )
        except HttpError as error:
            return False, str(error).split("→", 1)[-1].strip()
        warnings = answer.get("warnings") or []
        note = f"created {answer['created']}"
        if warnings:
            note += f"; warnings: {'; '.join(map(str, warnings[:3]))}"
        return True, note

    def export(self, project: int, fmt: str, scope: str, **options: str) -> dict[str, bytes]:
        """Our exporter through `manage.py export_dataset` (with the format's export
        options): the zip's files by name."""
        chosen = [arg for name, value in options.items() for arg in ("--option", f"{name}={value}")]
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "export.zip"
            self.server.manage(
                "export_dataset",
                str(project),
                "--format",
                fmt,
                "--scope",
                scope,
                "--output",
                str(path),
                *chosen,
            )
            with zipfile.ZipFile(path) as archive:
                return {name: archive.read(name) for name in archive.namelist()}

    def read_back(self, project: int) -> View:
        files = self.export(project, "jsonl", "all")
        lines = []
        for name, data in files.items():
            if name.endswith(".jsonl"):
                lines += [json.loads(x) for x in data.decode("utf-8").splitlines() if x.strip()]
        return view_from_native(lines)


def only(files: dict[str, bytes], suffix: str) -> bytes:
    chosen = [data for name, data in files.items() if name.endswith(suffix)]
    assert len(chosen) == 1, sorted(files)
    return chosen[0]


def unzip(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


# -- doccano --------------------------------------------------------------------------------
class DoccanoSide:
    def __init__(self, server: Doccano):
        self.client = DoccanoClient(server)
        self.http = self.client.http
        self.server = server
        self.users: dict[str, tuple[int, Http]] = {}
        roles = self.http.json("GET", "/v1/roles")
        self.annotator_role = next(r["id"] for r in roles if r["name"] == "annotator")
        for name in ANNOTATORS:
            self.users[name] = self._user(name)

    def _user(self, name: str) -> tuple[int, Http]:
        password = self.server.creds["password"]
        created = self.http.json(
            "POST",
            "/v1/users/create",
            {
                "username": name,
                "email": f"{name}@example.org",
                "password1": password,
                "password2": password,
            },
        )
        key = Http(self.server.port, {}).json(
            "POST", "/v1/auth/login/", {"username": name, "password": password}
        )["key"]
        return created["id"], Http(self.server.port, {"Authorization": f"Token {key}"})

    def project(self, name: str, **options: Any) -> int:
        project = self.client.create_project(name, **options)
        for user_id, _http in self.users.values():
            self.http.json(
                "POST",
                f"/v1/projects/{project}/members",
                {"user": user_id, "role": self.annotator_role},
            )
        return project

    def import_file(self, project: int, data: bytes, task: str, **options: Any) -> str:
        """doccano's importer; returns what it reported (its errors, or how many it stored)."""
        note = ""
        try:
            state = self.client.upload(project, "import.jsonl", data, task, **options)
        except HttpError as error:
            # doccano's default encoding ("Auto", chardet) can misread UTF-8; its form offers
            # utf_8, which is what a user picks next.
            note = f"encoding Auto failed ({str(error)[-90:]}); with utf_8: "
            state = self.client.upload(
                project, "import.jsonl", data, task, **{**options, "encoding": "utf_8"}
            )
        errors = (state.get("result") or {}).get("error") or []
        count = self.http.json("GET", f"/v1/projects/{project}/examples?limit=1")["count"]
        note += f"{count} examples"
        if errors:
            messages = sorted({e.get("message", str(e)) for e in errors})
            note += f"; {len(errors)} errors: {'; '.join(messages)[:120]}"
        return note

    def export(self, project: int) -> dict[str, bytes]:
        """doccano's JSONL export: one file per member, named after the user."""
        files = unzip(self.client.export(project, "jsonl"))
        return {Path(name).stem: data for name, data in files.items()}

    def annotate(self, project: int, records: list[dict], shape: str, unit: str) -> None:
        """Each annotator writes their layer through doccano's span (and relation) API."""
        ids = self.client.example_ids(project, len(records))
        labels = self.client.label_ids[project]
        texts = [r["text"] for r in records]
        graphemes = grapheme_positions(texts) if unit == "grapheme" else None
        for index, (record, example) in enumerate(zip(records, ids, strict=True)):
            positions = graphemes[index] if graphemes else utf16_positions(record["text"])
            for layer in record["annotations"]:
                _uid, http = self.users[layer["annotator"]]
                base = f"/v1/projects/{project}/examples/{example}"
                made = {}
                for s in layer["spans"]:
                    body = {
                        "label": labels[s["label"]],
                        "start_offset": to_unit(positions, s["start"]),
                        "end_offset": to_unit(positions, s["end"]),
                    }
                    made[s["id"]] = http.json("POST", f"{base}/spans", body)["id"]
                if shape == "relation":
                    for r in layer["relations"]:
                        body = {
                            "from_id": made[r["from"]],
                            "to_id": made[r["to"]],
                            "type": labels["SPEAKER"],
                        }
                        http.json("POST", f"{base}/relations", body)
                http.json("POST", f"{base}/states", {})  # "done", as the editor's check mark
                if index == 0:  # a comment, which doccano exports in the author's file
                    comments = f"/v1/projects/{project}/comments?example={example}"
                    http.json("POST", comments, {"text": f"{layer['annotator']}: check the quote"})


def plain_jsonl(records: list[dict], **extra: Any) -> bytes:
    """The texts for doccano's importer; `external_id` and `source` become example metadata."""
    lines = [
        json.dumps(
            {"text": r["text"], "external_id": r["external_id"], **r["meta"], **extra},
            ensure_ascii=False,
        )
        for r in records
    ]
    return ("\n".join(lines) + "\n").encode()


def peer_layers(records: list[dict], shape: str) -> View:
    """What each doccano user wrote, as a view: spans (and relations in relation shape)."""
    view: View = {}
    for r in records:
        for ann in r["annotations"]:
            layer = layer_from_native(ann, gold=False)
            layer.attributes = set()
            layer.doc_labels = set()
            if shape == "label":
                layer.relations = set()
            view.setdefault(r["text"], {})[ann["annotator"]] = layer
    return view


DOCCANO_NO_ATTRIBUTES = "doccano has no span attributes (our card says so)"
DOCCANO_NO_CATEGORIES = (
    "a Sequence Labeling project has no document categories: it keeps our `cats` as "
    "example metadata and writes them back"
)


def doccano_rows(
    ours: Ours, doccano: DoccanoSide, records: list[dict], fixtures: bool
) -> list[Row]:
    rows = []
    source = ours.project("interop-doccano-source")
    ours.upload(source, "testset.jsonl", TESTSET.read_bytes())
    admin = doccano.server.creds["username"]

    # ours → doccano → ours, each project type with the export shape and unit made for it.
    for label, options, shape, unit in (
        ("relation project, JSONL(Relation)", {"use_relation": True}, "relation", "utf16"),
        ("sequence-labelling project (default), JSONL", {"use_relation": False}, "label", "utf16"),
        (
            "grapheme-mode project, JSONL",
            {"use_relation": False, "grapheme_mode": True},
            "label",
            "grapheme",
        ),
    ):
        files = ours.export(source, "doccano", "gold", shape=shape, offset_unit=unit)
        exported = only(files, ".jsonl")
        project = doccano.project(f"from-ours {label}", **options)
        if shape == "relation":
            note = doccano.import_file(project, exported, "RelationExtraction")
        else:
            note = doccano.import_file(
                project, exported, "SequenceLabeling", column_data="text", column_label="label"
            )
        admin_file = doccano.export(project)[admin]
        expected = {}
        for r in records:
            gold = layer_from_native(r, True)
            gold.attributes = set()  # our doccano card says: no span attributes
            if shape == "label":
                gold.relations = set()  # the label shape has none (the export warns)
            expected[r["text"]] = {"gold": gold}
        in_doccano = {
            t: {"gold": replace(v["gold"], doc_labels=set())} for t, v in expected.items()
        }
        back = view_from_doccano({"gold": admin_file}, shape, unit)
        counts = compare(in_doccano, back, gold_concept=False)
        rows.append(Row(f"ours → doccano ({label}; shape {shape}, {unit})", counts, note))
        target = ours.project(f"interop-from-doccano-roundtrip-{shape}-{unit}")
        ok, note = ours.upload(
            target,
            "doccano.jsonl",
            admin_file,
            format="doccano",
            offset_unit=unit,
            **{"as": "gold"},
        )
        counts = compare(expected, ours.read_back(target), gold_concept=True) if ok else None
        rows.append(Row(f"ours → doccano → ours ({label})", counts, note))

    # doccano-made → ours: alice and bob annotate through doccano's API.
    for label, options, shape, unit in (
        ("sequence labelling", {"use_relation": False}, "label", "utf16"),
        ("relation", {"use_relation": True}, "relation", "utf16"),
        ("grapheme mode", {"use_relation": False, "grapheme_mode": True}, "label", "grapheme"),
    ):
        project = doccano.project(f"made-in-doccano {label}", **options)
        extra = {"label": []} if shape == "label" else {"entities": [], "relations": []}
        task = "SequenceLabeling" if shape == "label" else "RelationExtraction"
        args = {"column_data": "text", "column_label": "label"} if shape == "label" else {}
        doccano.import_file(project, plain_jsonl(records, **extra), task, **args)
        doccano.annotate(project, records, shape, unit)
        files = doccano.export(project)
        if fixtures:
            write_doccano_fixture(label, options, shape, files)
        expected = peer_layers(records, shape)
        checked = view_from_doccano(files, shape, unit)
        self_check = compare(expected, checked, gold_concept=False)
        assert self_check["spans"][0] == self_check["spans"][1], (label, self_check)
        for user in ANNOTATORS:
            target = ours.project(f"interop-doccano-{label}-{user}")
            # doccano names each member's file after them: ours makes it that member's version
            ok, note = ours.upload(
                target, f"{user}.jsonl", files[user], format="doccano", offset_unit=unit
            )
            if ok:
                note = kept_meta(ours, target) + "; " + note
            mine = {t: {user: layers[user]} for t, layers in expected.items() if user in layers}
            counts = compare(mine, ours.read_back(target), gold_concept=False) if ok else None
            rows.append(Row(f"doccano ({label}), {user}'s file → ours", counts, note))
    return rows


def kept_meta(ours: Ours, project: int) -> str:
    """What our import kept of the peer's metadata (read back through our JSONL export), for
    the table's notes."""
    files = ours.export(project, "jsonl", "all")
    metas = [json.loads(x).get("meta") or {} for x in only(files, ".jsonl").splitlines() if x]
    keys = sorted({k for m in metas for k in m})
    own = sorted({k for m in metas for k in (m.get("doccano") or m.get("label_studio") or {})})
    return f"meta kept: {', '.join(keys)} ({', '.join(own)})"


def write_doccano_fixture(label: str, options: dict, shape: str, files: dict[str, bytes]) -> None:
    folder = FIXTURES / f"doccano-{DOCCANO_VERSION}" / label.replace(" ", "-")
    folder.mkdir(parents=True, exist_ok=True)
    for user, data in files.items():
        (folder / f"{user}.jsonl").write_bytes(data)


# -- Label Studio ---------------------------------------------------------------------------
class LabelStudioSide:
    def __init__(self, server: LabelStudio):
        self.client = LabelStudioClient(server)
        self.http = self.client.http
        self.server = server
        self.user_ids = {}
        for name in ANNOTATORS:
            created = self.http.json(
                "POST",
                "/api/users/",
                {"email": f"{name}@example.org", "username": name, "first_name": name.title()},
            )
            self.user_ids[name] = created["id"]

    def users(self) -> dict[int, str]:
        listed = self.http.json("GET", "/api/users/")
        return {u["id"]: u.get("username") or u["email"] for u in listed}

    def export(self, project: int, export_type: str = "JSON") -> bytes:
        return self.client.export(project, "jsonl", export_type=export_type)

    def export_snapshot(self, project: int, export_type: str = "JSON") -> bytes:
        """The snapshot export (`POST …/exports/`), which can carry predictions in full."""
        options = {"predictions": {"only_id": False}, "drafts": {"only_id": False}}
        created = self.http.json(
            "POST",
            f"/api/projects/{project}/exports/",
            {"title": "peers-harness", "serialization_options": options},
        )
        base = f"/api/projects/{project}/exports/{created['id']}"
        poll(lambda: self.http.json("GET", base)["status"] == "completed", interval=0.2)
        status, data = self.http.request("GET", f"{base}/download?exportType={export_type}")
        assert status == 200, (status, data[:300])
        return data


def ls_result(record_text: str, layer: dict) -> list[dict]:
    result = []
    for s in layer["spans"]:
        value = {"start": s["start"], "end": s["end"], "text": record_text[s["start"] : s["end"]]}
        result.append(
            {
                "id": s["id"],
                "from_name": "label",
                "to_name": "text",
                "type": "labels",
                "value": {**value, "labels": [s["label"]]},
                "origin": "manual",
            }
        )
        for name, choice in (s.get("attributes") or {}).items():
            result.append(
                {
                    "id": s["id"],
                    "from_name": f"span_{name}",
                    "to_name": "text",
                    "type": "choices",
                    "value": {**value, "choices": [choice]},
                }
            )
    for r in layer["relations"]:
        result.append(
            {
                "from_id": r["from"],
                "to_id": r["to"],
                "type": "relation",
                "direction": "right",
                "labels": [r["label"]],
            }
        )
    for group, value in (layer.get("document_labels") or {}).items():
        result.append(
            {
                "id": f"doc-{group}",
                "from_name": group,
                "to_name": "text",
                "type": "choices",
                "value": {"choices": [value]},
            }
        )
    return result


def label_studio_rows(
    ours: Ours, ls: LabelStudioSide, records: list[dict], fixtures: bool
) -> list[Row]:
    rows = []
    source_view = view_from_native(records)
    source = ours.project("interop-ls-source")
    ours.upload(source, "testset.jsonl", TESTSET.read_bytes())
    files = ours.export(source, "label-studio", "all")
    tasks_file = only(files, ".json")
    config = only(files, ".xml").decode()

    # ours → Label Studio → ours
    project = ls.client.create_project("from-ours", label_config=config)
    try:
        answer = ls.client.import_tasks(project, json.loads(tasks_file))
        note = f"{answer.get('task_count')} tasks, {answer.get('annotation_count')} annotations"
        exported = json.loads(ls.export(project))
        back = view_from_label_studio(exported, ls.users())
        rows.append(Row("ours → Label Studio", compare(source_view, back, gold_concept=True), note))
        lost = {"annotators": LS_AUTHOR}
        rows[-1].lost = lost
        target = ours.project("interop-from-ls-roundtrip")
        # every annotation came back by the importing user: take its ground truth as gold
        ok, note = ours.upload(
            target, "label-studio.json", json.dumps(exported).encode(), **{"as": "gold"}
        )
        gold_view = {t: {"gold": layers["gold"]} for t, layers in source_view.items()}
        counts = compare(gold_view, ours.read_back(target), gold_concept=True) if ok else None
        rows.append(Row("ours → Label Studio → ours (as=gold)", counts, note))
    except HttpError as error:
        rows.append(Row("ours → Label Studio", None, str(error)))

    # Label Studio-made → ours: alice and bob annotate, alice's is ground truth, one prediction.
    project = ls.client.create_project("made-in-label-studio", label_config=config)
    tasks = [
        {"data": {"text": r["text"], "external_id": r["external_id"], **r["meta"]}} for r in records
    ]
    ids = sorted(ls.client.import_tasks(project, tasks)["task_ids"])
    for record, task in zip(records, ids, strict=True):
        for layer in record["annotations"]:
            body = {
                "result": ls_result(record["text"], layer),
                "completed_by": ls.user_ids[layer["annotator"]],
                "lead_time": 12.5,
            }
            created = ls.http.json("POST", f"/api/tasks/{task}/annotations/", body)
            if layer["annotator"] == "alice":
                ls.http.json("PATCH", f"/api/annotations/{created['id']}/", {"ground_truth": True})
        prediction = {
            "task": task,
            "result": ls_result(record["text"], record["annotations"][1]),
            "score": 0.5,
            "model_version": "peers-harness-v1",
        }
        ls.http.json("POST", "/api/predictions/", prediction)
    exported_bytes = ls.export(project)
    if fixtures:
        write_ls_fixtures(ls, project, config, exported_bytes)
    expected: View = {}
    for r in records:
        layers = {a["annotator"]: layer_from_native(a, gold=False) for a in r["annotations"]}
        layers["gold"] = layer_from_native(r["annotations"][0], gold=True)
        expected[r["text"]] = layers
    for label, data in (
        ("two annotators, ground truth, predictions", exported_bytes),
        ("alice's annotations only", _only_annotator(exported_bytes, ls.user_ids["alice"])),
    ):
        target = ours.project(f"interop-ls-{label}")
        users = {str(ls.user_ids[name]): name for name in ANNOTATORS}
        ok, note = ours.upload(target, "label-studio.json", data, annotator_map=json.dumps(users))
        if ok:
            note = kept_meta(ours, target) + "; " + note
        if "alice's" in label:
            wanted = {t: {"alice": layers["alice"]} for t, layers in expected.items()}
        else:
            wanted = expected
        counts = compare(wanted, ours.read_back(target), gold_concept=True) if ok else None
        rows.append(Row(f"Label Studio ({label}) → ours", counts, note))
    return rows


def _only_annotator(data: bytes, user_id: int) -> bytes:
    tasks = json.loads(data)
    for task in tasks:
        task["annotations"] = [
            {**a, "ground_truth": False}
            for a in task["annotations"]
            if a["completed_by"] == user_id
        ]
        task["predictions"] = []
    return json.dumps(tasks, ensure_ascii=False).encode()


def write_ls_fixtures(ls: LabelStudioSide, project: int, config: str, exported: bytes) -> None:
    folder = FIXTURES / f"label-studio-{LABEL_STUDIO_VERSION}"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "label_config.xml").write_text(config, encoding="utf-8")
    (folder / "export-json.json").write_bytes(_pretty(exported))
    (folder / "export-snapshot-json.json").write_bytes(_pretty(ls.export_snapshot(project)))
    (folder / "export-json-min.json").write_bytes(_pretty(ls.export(project, "JSON_MIN")))
    (folder / "export-conll2003.conll").write_bytes(ls.export(project, "CONLL2003"))


def _pretty(data: bytes) -> bytes:
    return (json.dumps(json.loads(data), ensure_ascii=False, indent=1) + "\n").encode()


# -- main -----------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-fixtures", action="store_true", help="do not rewrite the fixtures")
    args = parser.parse_args()
    records = [json.loads(x) for x in TESTSET.read_text(encoding="utf-8").splitlines() if x]
    servers: list[Server] = [Workbench("sqlite", "interop")]
    peers = {
        "doccano": Doccano("sqlite", "interop"),
        "label-studio": LabelStudio("sqlite", "interop"),
    }
    rows: list[Row] = []
    try:
        servers[0].start()
        ours = Ours(servers[0])  # type: ignore[arg-type]
        for name, server in peers.items():
            if not server.installed():
                rows.append(Row(f"{name}: not installed (make interop installs it)", lost=SKIP))
                continue
            print(f"  {server.label}: starting", file=sys.stderr, flush=True)
            server.start()
            servers.append(server)
            if name == "doccano":
                rows += doccano_rows(ours, DoccanoSide(server), records, not args.no_fixtures)
            else:
                rows += label_studio_rows(
                    ours, LabelStudioSide(server), records, not args.no_fixtures
                )
            server.stop()
    finally:
        for server in servers:
            server.stop()
    print(f"\n## Interop: {len(records)} texts, gold + alice + bob, found/expected per feature\n")
    print_table(rows)
    failed = [(row.direction, row.shortfalls()) for row in rows if row.shortfalls()]
    for direction, features in failed:
        print(f"FAILED: {direction}: {', '.join(features)}", file=sys.stderr)
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
