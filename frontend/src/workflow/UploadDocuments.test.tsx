import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { UploadDocuments } from "./UploadDocuments";

function answer(status: number, body: unknown) {
  return vi.fn(async (_url: string, _init: RequestInit) => {
    return new Response(JSON.stringify(body), { status });
  });
}

async function uploadWith(fetchMock: ReturnType<typeof answer>, format = "auto") {
  vi.stubGlobal("fetch", fetchMock);
  const el = document.createElement("div");
  document.body.append(el);
  render(<UploadDocuments pk={4} />, el);
  const input = el.querySelector<HTMLInputElement>('input[type="file"]');
  if (!input) throw new Error("no file input");
  const file = new File(['{"text": "x"}\n'], "docs.jsonl", { type: "application/jsonl" });
  Object.defineProperty(input, "files", { value: [file], configurable: true });
  const select = el.querySelector("select");
  if (select && format !== "auto") {
    select.value = format;
    select.dispatchEvent(new Event("change", { bubbles: true }));
    await Promise.resolve();
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
    const [url, init] = fetchMock.mock.calls[0];
    expect(url).toBe("/api/projects/4/documents/upload/");
    expect(init.method).toBe("POST");
    expect(init.headers).toHaveProperty("X-CSRFToken");
    const form = init.body as FormData;
    expect((form.get("file") as File).name).toBe("docs.jsonl");
    expect(form.has("format")).toBe(false);
  });

  it("sends the named format and doccano's offset unit", async () => {
    const fetchMock = answer(201, { created: 1, ids: [1], warnings: [] });
    const el = await uploadWith(fetchMock, "doccano");
    await vi.waitFor(() => expect(el.textContent).toContain("1 document imported"));
    const form = fetchMock.mock.calls[0][1].body as FormData;
    expect(form.get("format")).toBe("doccano");
    expect(form.get("offset_unit")).toBe("utf16");
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
