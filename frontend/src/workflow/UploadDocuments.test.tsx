import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FORMATS } from "../api/testing";
import { UploadDocuments } from "./UploadDocuments";

/** The server: the format list on GET /api/formats/, `body` with `status` for the upload. */
function answer(status: number, body: unknown) {
  return vi.fn(async (url: string, _init?: RequestInit) => {
    if (url === "/api/formats/") return new Response(JSON.stringify(FORMATS), { status: 200 });
    return new Response(JSON.stringify(body), { status });
  });
}

function uploadCall(fetchMock: ReturnType<typeof answer>): [string, RequestInit] {
  const call = fetchMock.mock.calls.find(([url]) => url !== "/api/formats/");
  if (!call?.[1]) throw new Error("no upload request");
  return [call[0], call[1]];
}

/** The form with its format menu filled from the (mocked) registry. */
async function mount(fetchMock: ReturnType<typeof answer>) {
  vi.stubGlobal("fetch", fetchMock);
  const el = document.createElement("div");
  document.body.append(el);
  render(<UploadDocuments pk={4} />, el);
  await vi.waitFor(() =>
    expect(el.querySelector("select")?.options.length ?? 0).toBeGreaterThan(1),
  );
  return el;
}

function choose(el: HTMLElement, value: string, nth = 0) {
  const select = el.querySelectorAll("select")[nth];
  select.value = value;
  select.dispatchEvent(new Event("change", { bubbles: true }));
}

async function uploadWith(fetchMock: ReturnType<typeof answer>, format = "auto") {
  const el = await mount(fetchMock);
  const input = el.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  const file = new File(['{"text": "x"}\n'], "docs.jsonl", { type: "application/jsonl" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  if (format !== "auto") {
    choose(el, format);
    await vi.waitFor(() => expect(el.querySelector("select")?.value).toBe(format));
  }
  el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
  return el;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("UploadDocuments", () => {
  it("posts the file as multipart with the CSRF header and reports the count and warnings", async () => {
    const fetchMock = answer(201, { created: 2, ids: [1, 2], warnings: ["line 1: dropped meta"] });
    const el = await uploadWith(fetchMock);
    await vi.waitFor(() => expect(el.textContent).toContain("2 documents imported"));
    expect(el.textContent).toContain("line 1: dropped meta");
    const [url, init] = uploadCall(fetchMock);
    expect(url).toBe("/api/projects/4/documents/upload/");
    expect(init.method).toBe("POST");
    expect(init.headers).toHaveProperty("X-CSRFToken");
    const form = init.body as FormData;
    expect((form.get("file") as File).name).toBe("docs.jsonl");
    expect(form.has("format")).toBe(false);
  });

  it("sends the named format and, for a format that detects its unit, no unit by default", async () => {
    const fetchMock = answer(201, { created: 1, ids: [1], warnings: [] });
    const el = await uploadWith(fetchMock, "doccano");
    await vi.waitFor(() => expect(el.textContent).toContain("1 document imported"));
    const form = uploadCall(fetchMock)[1].body as FormData;
    expect(form.get("format")).toBe("doccano");
    expect(form.has("offset_unit")).toBe(false);
    expect(form.has("as")).toBe(false);
    expect(form.has("annotator_map")).toBe(false);
  });

  it("sends as, annotator_map and label_map when they are given", async () => {
    const fetchMock = answer(201, { created: 1, ids: [1], warnings: [] });
    const el = await mount(fetchMock);
    const input = el.querySelector<HTMLInputElement>('input[type="file"]') as HTMLInputElement;
    const file = new File(["[]"], "tasks.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    choose(el, "gold", 1);
    const [annotators, labels] = [...el.querySelectorAll<HTMLInputElement>('input[type="text"]')];
    annotators.value = ' {"2": "alice"} ';
    annotators.dispatchEvent(new Event("input", { bubbles: true }));
    labels.value = '{"PERSON": "PER"}';
    labels.dispatchEvent(new Event("input", { bubbles: true }));
    await vi.waitFor(() => expect(labels.value).toBe('{"PERSON": "PER"}'));
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await vi.waitFor(() => expect(el.textContent).toContain("1 document imported"));
    const form = uploadCall(fetchMock)[1].body as FormData;
    expect(form.get("as")).toBe("gold");
    expect(form.get("annotator_map")).toBe('{"2": "alice"}');
    expect(form.get("label_map")).toBe('{"PERSON": "PER"}');
  });

  it("sends annotators and duplicates, and lists who was mapped, created, skipped", async () => {
    const fetchMock = answer(201, {
      created: 1,
      ids: [1],
      warnings: [],
      annotators: {
        mapped: { "bob@x.org": "bob", alice: "alice" },
        created: ["dewi"],
        added: [],
        suggestions: [],
      },
      skipped: ["a"],
      updated: [],
    });
    const el = await mount(fetchMock);
    const input = el.querySelector<HTMLInputElement>('input[type="file"]') as HTMLInputElement;
    const file = new File(["[]"], "tasks.json", { type: "application/json" });
    Object.defineProperty(input, "files", { value: [file], configurable: true });
    choose(el, "create", 2);
    choose(el, "skip", 3);
    await vi.waitFor(() => expect(el.querySelectorAll("select")[3].value).toBe("skip"));
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await vi.waitFor(() => expect(el.textContent).toContain("1 document imported"));
    const form = uploadCall(fetchMock)[1].body as FormData;
    expect(form.get("annotators")).toBe("create");
    expect(form.get("duplicates")).toBe("skip");
    const facts = [...el.querySelectorAll(".upload-facts li")].map((li) => li.textContent);
    expect(facts).toEqual([
      "Mapped (1): bob@x.org → bob",
      "Accounts created (1): dewi",
      "Skipped (1): a",
    ]);
  });

  it("offers the registry's import formats, suffixes and offset units, and nothing else", async () => {
    const el = await mount(answer(201, {}));
    const options = [...(el.querySelector("select")?.options ?? [])].map((o) => o.textContent);
    expect(options).toEqual([
      "Automatic, from the file extension",
      "Native JSONL (.jsonl, .txt, .csv)",
      "doccano JSONL (.jsonl)",
      "brat standoff (.zip)",
      "WebAnno TSV (.tsv)",
    ]);
    const input = el.querySelector<HTMLInputElement>('input[type="file"]');
    expect(input?.accept).toBe(".jsonl,.txt,.csv,.zip,.tsv");
    // format, layer, annotators, duplicates; a format with offset units adds its unit
    expect(el.querySelectorAll("select")).toHaveLength(4);
    choose(el, "doccano");
    await vi.waitFor(() => expect(el.querySelectorAll("select")).toHaveLength(5));
    const units = [...el.querySelectorAll("select")[1].options].map((o) => o.textContent);
    expect(units).toEqual([
      "Detect from the spans (refused, saying why, when unclear)",
      "UTF-16 units (doccano JSONL's own)",
      "Code points",
      "Grapheme clusters (doccano's grapheme mode)",
    ]);
  });

  it("says which format a file will be read as, or that the server will refuse it", async () => {
    const el = await mount(answer(201, {}));
    const input = el.querySelector<HTMLInputElement>('input[type="file"]') as HTMLInputElement;
    const pick = async (name: string) => {
      Object.defineProperty(input, "files", { value: [new File(["x"], name)], configurable: true });
      input.dispatchEvent(new Event("change", { bubbles: true }));
      await vi.waitFor(() => expect(el.textContent).toContain(name));
    };
    await pick("corpus.tsv");
    expect(el.textContent).toContain("corpus.tsv will be read as WebAnno TSV.");
    await pick("table.xlsx");
    expect(el.textContent).toContain("table.xlsx has an extension the server does not know");
  });

  it("shows the server's errors as text, never as markup", async () => {
    const el = await uploadWith(
      answer(400, {
        detail: "Nothing was imported: line 3: <img src=x onerror=alert(1)>",
        code: "import_failed",
        errors: { "lines.3.text": ["<b>bad</b>"] },
      }),
    );
    await vi.waitFor(() => expect(el.querySelector('[role="alert"]')).not.toBeNull());
    const alert = el.querySelector('[role="alert"]') as HTMLElement;
    expect(alert.textContent).toContain("<img src=x onerror=alert(1)>");
    expect(alert.textContent).toContain("Line 3, field text: <b>bad</b>");
    expect(alert.querySelector("img, b")).toBeNull();
  });

  it("says the file is too large on 413", async () => {
    const el = await uploadWith(answer(413, { detail: "Upload is over the 10-byte limit." }));
    await vi.waitFor(() => expect(el.textContent).toContain("The file is too large."));
  });
});
