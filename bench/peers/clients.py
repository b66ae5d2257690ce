"""Each tool's own REST API for the same workload, behind one small interface.

Every call here is one a tool's own browser client or documented API makes:
- workbench: token auth; `POST /api/projects/` (preset news); multipart upload of native
  JSONL; `PATCH …/annotations/mine/` with `add_span` ops (one, or many in one batch);
  `GET` document + `…/annotations/mine/`; `GET …/documents/?page=&page_size=`;
  `POST …/exports/` → poll `GET /api/exports/{job}/` → `GET …/download/`.
- doccano 1.8.4: `POST /v1/auth/login/` (token); `POST /v1/projects` (SequenceLabeling,
  relations on); `POST …/span-types`, `…/relation-types`, `…/category-types`; upload
  through its filepond endpoint `POST /v1/fp/process/` then `POST …/upload` (a Celery
  task) polled on `GET /v1/tasks/status/{id}`; `POST …/examples/{id}/spans` (one span per
  request: doccano has no batch write); `GET …/examples/{id}` + `…/spans` + `…/relations`;
  `GET …/examples?limit=&offset=`; `POST …/download` (a Celery task) → poll → `GET
  …/download?taskId=` (a zip). doccano has no CoNLL export.
- Label Studio 1.23.2: legacy token auth; `POST /api/projects` with a labelling config;
  `POST /api/projects/{id}/import` (multipart JSON file; synchronous in the Community
  edition); an annotation is one object holding all its regions, so a new span is `POST
  /api/tasks/{id}/annotations/` the first time and `PATCH /api/annotations/{id}/` with the
  whole region list after (what its editor sends on update), and a batch is one `POST` with
  every region; `GET /api/tasks/{id}` (task with annotations); `GET
  /api/tasks?project=&page=&page_size=`; `GET /api/projects/{id}/export?exportType=JSON`
  and `CONLL2003` (synchronous). Label Studio has no JSONL export: JSON is its nearest.
"""

from __future__ import annotations

import json
import time
from typing import Any

from servers import Server
from wire import Http, HttpError, poll
from workload import SENTIMENTS, SPAN_LABELS, Article

PAGE = 50


class ToolClient:
    """One tool's API, logged in as the harness admin."""

    batch_writes = True
    conll = True
    jsonl_name = "JSONL"

    def __init__(self, server: Server):
        self.server = server
        self.headers = self.login()
        self.http = Http(server.port, self.headers)

    def login(self) -> dict[str, str]:
        raise NotImplementedError

    def connection(self, keepalive: bool) -> Http:
        return Http(self.server.port, self.headers, keepalive=keepalive)

    # Subclasses implement: create_project, import_articles, write_spans, read, list_page,
    # export. `write_spans(http, project, doc, spans)` adds spans in one request (or, for a
    # tool without batch writes, fails).


class WorkbenchClient(ToolClient):
    jsonl_name = "jsonl"

    def login(self) -> dict[str, str]:
        creds = self.server.creds
        token = Http(self.server.port, {}).json(
            "POST",
            "/api/auth/token/",
            {"username": creds["username"], "password": creds["password"]},
        )["token"]
        return {"Authorization": f"Token {token}"}

    def __init__(self, server: Server):
        super().__init__(server)
        self.versions: dict[int, int] = {}

    def create_project(self, name: str) -> int:
        return self.http.json("POST", "/api/projects/", {"name": name, "preset": "news"})["id"]

    def import_articles(self, project: int, items: list[Article], annotated: bool) -> list[int]:
        username = self.server.creds["username"]
        lines = []
        for a in items:
            record: dict[str, Any] = {
                "external_id": a.external_id,
                "title": a.title,
                "text": a.text,
            }
            if annotated:
                spans = [
                    {"id": f"s{i}", "start": s, "end": e, "label": label}
                    for i, (s, e, label) in enumerate(a.spans)
                ]
                record["annotations"] = [
                    {
                        "annotator": username,
                        "status": "submitted",
                        "spans": spans,
                        "relations": [
                            {
                                "id": "r0",
                                "from": f"s{a.QUOTE}",
                                "to": f"s{a.SPEAKER}",
                                "label": "SPEAKER",
                            }
                        ],
                        "document_labels": {"sentiment": a.sentiment},
                    }
                ]
            lines.append(json.dumps(record, ensure_ascii=False))
        body = ("\n".join(lines) + "\n").encode()
        answer = self.http.upload(
            f"/api/projects/{project}/documents/upload/", "file", "articles.jsonl", body
        )
        return json.loads(answer)["ids"]

    def write_spans(self, http: Http, project: int, doc: int, spans: list[tuple[int, int, str]]):
        path = f"/api/projects/{project}/documents/{doc}/annotations/mine/"
        version = self.versions.get(doc, 0)
        ops = [
            {"op": "add_span", "span": {"id": f"w{s}", "start": s, "end": e, "label": label}}
            for s, e, label in spans
        ]
        self.versions[doc] = http.json("PATCH", path, {"version": version, "ops": ops})["version"]

    def read(self, http: Http, project: int, doc: int) -> None:
        http.json("GET", f"/api/projects/{project}/documents/{doc}/")
        http.json("GET", f"/api/projects/{project}/documents/{doc}/annotations/mine/")

    def list_page(self, http: Http, project: int, offset: int) -> None:
        page = offset // PAGE + 1
        http.json("GET", f"/api/projects/{project}/documents/?page={page}&page_size={PAGE}")

    def export(self, project: int, kind: str) -> bytes:
        fmt = {"jsonl": "jsonl", "conll": "conll"}[kind]
        job = self.http.json(
            "POST",
            f"/api/projects/{project}/exports/",
            {"format": fmt, "scope": "all"},
            expect=(202,),
        )

        def finished():
            state = self.http.json("GET", f"/api/exports/{job['id']}/")
            if state["status"] == "failed":
                raise HttpError(f"export failed: {state}")
            return state["status"] == "succeeded"

        poll(finished)
        status, data = self.http.request("GET", f"/api/exports/{job['id']}/download/")
        assert status == 200, status
        return data


class DoccanoClient(ToolClient):
    batch_writes = False
    conll = False

    def __init__(self, server: Server):
        super().__init__(server)
        self.label_ids: dict[int, dict[str, int]] = {}  # project → label name → id

    def login(self) -> dict[str, str]:
        creds = self.server.creds
        key = Http(self.server.port, {}).json(
            "POST",
            "/v1/auth/login/",
            {"username": creds["username"], "password": creds["password"]},
        )["key"]
        return {"Authorization": f"Token {key}"}

    def create_project(
        self,
        name: str,
        *,
        use_relation: bool = True,
        grapheme_mode: bool = False,
        project_type: str = "SequenceLabeling",
    ) -> int:
        resource = {
            "SequenceLabeling": "SequenceLabelingProject",
            "IntentDetectionAndSlotFilling": "IntentDetectionAndSlotFillingProject",
        }[project_type]
        body = {
            "name": name,
            "description": "peers harness",
            "project_type": project_type,
            "resourcetype": resource,
            "guideline": "",
            "allow_overlapping": True,
            "grapheme_mode": grapheme_mode,
            "use_relation": use_relation,
            "collaborative_annotation": False,
        }
        project = self.http.json("POST", "/v1/projects", body)["id"]
        ids = self.label_ids[project] = {}
        for label in SPAN_LABELS:
            ids[label] = self._label(project, "span-types", label)
        if use_relation:
            ids["SPEAKER"] = self._label(project, "relation-types", "SPEAKER")
        for value in SENTIMENTS:
            ids[value] = self._label(project, "category-types", value)
        return project

    def _label(self, project: int, kind: str, text: str) -> int:
        body = {"text": text, "background_color": "#209cee", "text_color": "#ffffff"}
        return self.http.json("POST", f"/v1/projects/{project}/{kind}", body)["id"]

    def upload(
        self, project: int, filename: str, content: bytes, task: str, **options: Any
    ) -> dict:
        """doccano's own importer: filepond upload, then the import task; waits for it."""
        upload_id = self.http.upload("/v1/fp/process/", "filepond", filename, content).decode()
        body = {"format": "JSONL", "task": task, "uploadIds": [upload_id], **options}
        task_id = self.http.json("POST", f"/v1/projects/{project}/upload", body)["task_id"]
        return self.wait(task_id)

    def wait(self, task_id: str) -> dict:
        def ready():
            state = self.http.json("GET", f"/v1/tasks/status/{task_id}")
            if state.get("error"):
                raise HttpError(f"doccano task failed: {state}")
            return state if state["ready"] else None

        return poll(ready)

    def import_articles(self, project: int, items: list[Article], annotated: bool) -> list[int]:
        lines = []
        for a in items:
            record: dict[str, Any] = {
                "text": a.text,
                "external_id": a.external_id,
                "title": a.title,
            }
            if annotated:
                record["entities"] = [
                    {"id": i, "start_offset": s, "end_offset": e, "label": label}
                    for i, (s, e, label) in enumerate(a.spans)
                ]
                record["relations"] = [
                    {"id": 0, "from_id": a.QUOTE, "to_id": a.SPEAKER, "type": "SPEAKER"}
                ]
            else:
                record["label"] = []  # without the column doccano reports every line
            lines.append(json.dumps(record, ensure_ascii=False))
        body = ("\n".join(lines) + "\n").encode()
        if annotated:  # the "JSONL(Relation)" import option
            result = self.upload(project, "articles.jsonl", body, "RelationExtraction")
        else:
            result = self.upload(
                project,
                "articles.jsonl",
                body,
                "SequenceLabeling",
                column_data="text",
                column_label="label",
                encoding="utf_8",
            )
        errors = (result.get("result") or {}).get("error") or []
        if errors:
            raise HttpError(f"doccano import reported errors: {errors[:3]}")
        return self.example_ids(project, len(items))

    def example_ids(self, project: int, count: int) -> list[int]:
        """Example ids in file order (doccano keeps the file's `external_id` in `meta`)."""
        by_external = {}
        offset = 0
        while offset < count:
            page = self.http.json(
                "GET", f"/v1/projects/{project}/examples?limit=500&offset={offset}"
            )
            for example in page["results"]:
                by_external[example["meta"]["external_id"]] = example["id"]
            if not page["next"]:
                break
            offset += 500
        return [by_external[k] for k in sorted(by_external)]

    def write_spans(self, http: Http, project: int, doc: int, spans: list[tuple[int, int, str]]):
        if len(spans) != 1:
            raise NotImplementedError("doccano has no batch span write")
        start, end, label = spans[0]
        http.json(
            "POST",
            f"/v1/projects/{project}/examples/{doc}/spans",
            {"label": self.label_ids[project][label], "start_offset": start, "end_offset": end},
        )

    def read(self, http: Http, project: int, doc: int) -> None:
        # What doccano's annotation page loads for a document (plus categories, not used here).
        http.json("GET", f"/v1/projects/{project}/examples/{doc}")
        http.json("GET", f"/v1/projects/{project}/examples/{doc}/spans")
        http.json("GET", f"/v1/projects/{project}/examples/{doc}/relations")

    def list_page(self, http: Http, project: int, offset: int) -> None:
        http.json("GET", f"/v1/projects/{project}/examples?limit={PAGE}&offset={offset}")

    def export(self, project: int, kind: str, export_format: str = "JSONL") -> bytes:
        if kind != "jsonl":
            raise NotImplementedError("doccano exports no CoNLL")
        task_id = self.http.json(
            "POST",
            f"/v1/projects/{project}/download",
            {"format": export_format, "exportApproved": False},
        )["task_id"]
        self.wait(task_id)
        status, data = self.http.request("GET", f"/v1/projects/{project}/download?taskId={task_id}")
        assert status == 200 and data[:2] == b"PK", (status, data[:200])
        return data


LABEL_CONFIG = """<View>
  <Labels name="label" toName="text">
    <Label value="PER"/><Label value="ORG"/><Label value="LOC"/><Label value="QUOTE"/>
  </Labels>
  <Relations><Relation value="SPEAKER"/></Relations>
  <Text name="text" value="$text"/>
  <Choices name="sentiment" toName="text" choice="single">
    <Choice value="positive"/><Choice value="neutral"/><Choice value="negative"/>
  </Choices>
</View>"""


def ls_region(region_id: str, text: str, start: int, end: int, label: str) -> dict:
    return {
        "id": region_id,
        "from_name": "label",
        "to_name": "text",
        "type": "labels",
        "origin": "manual",
        "value": {"start": start, "end": end, "text": text[start:end], "labels": [label]},
    }


class LabelStudioClient(ToolClient):
    jsonl_name = "JSON"

    def login(self) -> dict[str, str]:
        return {"Authorization": f"Token {self.server.creds['label_studio_token']}"}

    def __init__(self, server: Server):
        super().__init__(server)
        self.results: dict[int, tuple[int, list]] = {}
        self.texts: dict[int, str] = {}

    def create_project(self, name: str, label_config: str = LABEL_CONFIG) -> int:
        return self.http.json(
            "POST", "/api/projects", {"title": name, "label_config": label_config}
        )["id"]

    def import_tasks(self, project: int, tasks: list[dict]) -> dict:
        body = json.dumps(tasks, ensure_ascii=False).encode()
        answer = self.http.upload(
            f"/api/projects/{project}/import?return_task_ids=true", "file", "tasks.json", body
        )
        return json.loads(answer)

    def import_articles(self, project: int, items: list[Article], annotated: bool) -> list[int]:
        tasks = []
        for a in items:
            task: dict[str, Any] = {
                "data": {"text": a.text, "external_id": a.external_id, "title": a.title}
            }
            if annotated:
                result = [
                    ls_region(f"s{i}", a.text, s, e, label)
                    for i, (s, e, label) in enumerate(a.spans)
                ]
                result.append(
                    {
                        "from_id": f"s{a.QUOTE}",
                        "to_id": f"s{a.SPEAKER}",
                        "type": "relation",
                        "direction": "right",
                        "labels": ["SPEAKER"],
                    }
                )
                result.append(
                    {
                        "id": "doc",
                        "from_name": "sentiment",
                        "to_name": "text",
                        "type": "choices",
                        "value": {"choices": [a.sentiment]},
                    }
                )
                task["annotations"] = [{"result": result}]
            tasks.append(task)
        answer = self.import_tasks(project, tasks)
        ids = sorted(answer["task_ids"])
        for task_id, a in zip(ids, items, strict=True):
            self.texts[task_id] = a.text
        return ids

    def write_spans(self, http: Http, project: int, doc: int, spans: list[tuple[int, int, str]]):
        text = self.texts[doc]
        regions = [ls_region(f"w{s}", text, s, e, label) for s, e, label in spans]
        known = self.results.get(doc)
        if known is None:
            created = http.json("POST", f"/api/tasks/{doc}/annotations/", {"result": regions})
            self.results[doc] = (created["id"], regions)
        else:
            annotation, result = known
            result = result + regions
            http.json("PATCH", f"/api/annotations/{annotation}/", {"result": result})
            self.results[doc] = (annotation, result)

    def read(self, http: Http, project: int, doc: int) -> None:
        http.json("GET", f"/api/tasks/{doc}")

    def list_page(self, http: Http, project: int, offset: int) -> None:
        page = offset // PAGE + 1
        http.json("GET", f"/api/tasks?project={project}&page={page}&page_size={PAGE}")

    def export(self, project: int, kind: str, export_type: str | None = None) -> bytes:
        export_type = export_type or {"jsonl": "JSON", "conll": "CONLL2003"}[kind]
        status, data = self.http.request(
            "GET",
            f"/api/projects/{project}/export?exportType={export_type}&download_all_tasks=true",
        )
        assert status == 200, (status, data[:300])
        return data


CLIENTS = {
    "workbench": WorkbenchClient,
    "doccano": DoccanoClient,
    "label-studio": LabelStudioClient,
}


def timed(call) -> tuple[float, Any]:
    started = time.perf_counter()
    value = call()
    return time.perf_counter() - started, value
