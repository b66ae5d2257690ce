/**
 * An in-page stand-in for the REST API so the real UI can be driven without
 * a server: it answers the editor's GETs and records every PATCH.
 */
import type { AnnotationState, Label, Op } from "../src/editor/types";

export interface FakeServer {
  patches: Op[][];
  version: number;
}

export function installFakeApi(opts: {
  text: string;
  title: string;
  labels: Label[];
  state: AnnotationState;
}): FakeServer {
  const server: FakeServer = { patches: [], version: 0 };
  const json = (body: unknown, status = 200) =>
    new Response(status === 204 ? null : JSON.stringify(body), {
      status,
      headers: { "Content-Type": "application/json" },
    });
  const project = {
    id: 1,
    name: "Bench",
    description: "",
    language: "id",
    guidelines: "# Guidelines\n\nLabel people as **PER**.",
    annotators_per_document: 1,
    allow_overlap: true,
    my_role: "annotator",
    progress: { total: 1, submitted: 0, skipped: 0 },
  };
  window.fetch = async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input), location.href).pathname;
    const method = init?.method ?? "GET";
    if (url === "/api/me/") return json({ id: 1, username: "bench", is_superuser: false });
    if (url === "/api/projects/1/") return json(project);
    if (url === "/api/projects/1/labels/")
      return json({ count: opts.labels.length, next: null, previous: null, results: opts.labels });
    if (url === "/api/projects/1/queue/next/") return json(null, 204);
    if (url === "/api/projects/1/documents/1/")
      return json({
        id: 1,
        title: opts.title,
        external_id: "bench",
        text: opts.text,
        meta: {},
        length: opts.text.length,
        status: "new",
      });
    if (url === "/api/projects/1/documents/1/annotations/mine/") {
      if (method === "PATCH") {
        const body = JSON.parse(String(init?.body)) as { version: number; ops: Op[] };
        server.patches.push(body.ops);
        server.version = body.version + 1;
        return json({ version: server.version, status: "draft" });
      }
      return json({ status: "draft", version: server.version, ...opts.state });
    }
    return json({ detail: "not found" }, 404);
  };
  return server;
}
