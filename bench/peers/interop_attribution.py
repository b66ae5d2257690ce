"""Quote attribution through real doccano and Label Studio (DECISIONS 67).

    .venv/bin/python bench/peers/interop_attribution.py [doccano|label-studio]

Writes the format tests' attribution record (an interrupted quote, two cues, two speaker
links, a chain of three mentions named "Sekjen NATO") with our doccano (shape relation) and
Label Studio writers, imports each file with the peer's own importer (doccano 1.8.4's
JSONL(Relation), Label Studio 1.23.2's task import into a project with our labeling config),
exports it with the peer's own exporter, reads that back with our reader and compares the
spans (with fragments), relations and chains with what was written. Prints one line per peer
and exits 1 when something did not survive that the format can carry. The peers come from
`bench/peers/install.py`; the servers run on 127.0.0.1 beside any other harness run.
"""

from __future__ import annotations

import io
import json
import sys
import zipfile

from interop import DoccanoSide, LabelStudioSide
from paths import ROOT
from servers import Doccano, LabelStudio

sys.path.insert(0, str(ROOT))

from annotations.formats import FORMATS, read_doccano, read_label_studio
from tests.formats import fixture


def record() -> dict:
    found = fixture.doc_attribution()
    found["chains"][0]["name"] = "Sekjen NATO"
    return found


def write(name: str, rec: dict, schema: dict) -> bytes:
    out = io.BytesIO()
    writer = FORMATS[name].open(out, schema, card=fixture.card())
    writer.write(rec)
    writer.close()
    return out.getvalue()


def shape(rec: dict) -> tuple:
    """Spans by label and pieces, relations by their ends' pieces, chains by name and
    mentions: ids aside, since every tool renumbers them."""

    def pieces(span: dict) -> tuple:
        return (span["label"], *map(tuple, span.get("fragments") or [(span["start"], span["end"])]))

    by_id = {s["id"]: pieces(s) for s in rec["spans"]}
    names = {c["id"]: c.get("name") or "" for c in rec.get("chains") or ()}
    chains: dict[str, list] = {}
    for span in rec["spans"]:
        if span.get("chain"):
            chains.setdefault(span["chain"], []).append(pieces(span))
    return (
        sorted(by_id.values()),
        sorted((by_id[r["from"]], by_id[r["to"]], r["label"]) for r in rec["relations"]),
        sorted((names.get(cid, ""), sorted(m)) for cid, m in chains.items()),
    )


def doccano_round_trip(server: Doccano, rec: dict, schema: dict) -> tuple[bool, str]:
    side = DoccanoSide(server)
    # The harness's project has PER, ORG, LOC, QUOTE and SPEAKER; doccano's importer makes
    # the types it does not have (CUE, FRAGMENT, COREF), as it would for a user.
    project = side.project("attribution", use_relation=True)
    note = side.import_file(project, write("doccano", rec, schema), "RelationExtraction")
    exported = side.export(project)[server.creds["username"]]
    (back,) = list(read_doccano(exported.splitlines(), schema=schema))
    expected = shape(rec)
    # doccano has no place for a chain's name (the export warns): expect it unnamed
    expected = (*expected[:2], [("", m) for _, m in expected[2]])
    same = shape(back) == expected
    return same, f"{note}; read back: {'same' if same else shape(back)}"


def label_studio_round_trip(server: LabelStudio, rec: dict, schema: dict) -> tuple[bool, str]:
    side = LabelStudioSide(server)
    files = FORMATS["label-studio"].extra_files(schema)
    config = files["label-studio.config.xml"].decode()
    project = side.client.create_project("attribution", label_config=config)
    answer = side.client.import_tasks(project, json.loads(write("label-studio", rec, schema)))
    note = f"{answer.get('task_count')} task(s), {answer.get('annotation_count')} annotation(s)"
    exported = side.export(project)
    if exported[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(exported)) as archive:
            exported = archive.read(archive.namelist()[0])
    result = read_label_studio(io.BytesIO(exported), schema=schema)
    (back,) = list(result)
    metas = [
        r.get("meta")
        for task in json.loads(exported)
        for ann in task["annotations"]
        for r in ann["result"]
        if r.get("meta")
    ]
    same = shape(back) == shape(rec)
    return (
        same,
        f"{note}; region meta kept: {metas[:1]}; read back: {'same' if same else shape(back)}",
    )


def main() -> None:
    rec, schema = record(), fixture.attribution_schema()
    only = sys.argv[1:]  # peer names, to run one
    failed = False
    for name, server, trip in (
        ("doccano", Doccano("sqlite", "attribution"), doccano_round_trip),
        ("label-studio", LabelStudio("sqlite", "attribution"), label_studio_round_trip),
    ):
        if only and name not in only:
            continue
        if not server.installed():
            print(f"{name}: not installed (bench/peers/install.py installs it)")
            continue
        try:
            server.start()
            ok, note = trip(server, rec, schema)  # type: ignore[operator]
        finally:
            server.stop()
        failed |= not ok
        print(f"{name} {server.version}: {'ok' if ok else 'FAILED'}: {note}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
