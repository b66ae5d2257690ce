import { render } from "preact";
import { afterEach, describe, expect, it, vi } from "vitest";
import { ModelBackendPanel } from "./ModelBackendPanel";

const FAILED = {
  url: "https://models.example.org/predict",
  enabled: true,
  status: "failed",
  error: "the answer is not JSON (<b>Expecting value</b>)",
  failed_at: "2026-12-01T10:00:00Z",
  checked_at: "2026-12-01T10:00:00Z",
  calls: 3,
  failures: 1,
};

function server(put: { status: number; body: unknown }) {
  return vi.fn(async (_url: string, init?: RequestInit) => {
    if (init?.method === "PUT") return new Response(JSON.stringify(put.body), put);
    return new Response(JSON.stringify(FAILED), { status: 200 });
  });
}

async function mount(fetchMock: ReturnType<typeof server>) {
  vi.stubGlobal("fetch", fetchMock);
  const el = document.createElement("div");
  document.body.append(el);
  render(<ModelBackendPanel pk={4} />, el);
  await vi.waitFor(() => expect(el.querySelector("input")?.value).toBe(FAILED.url));
  return el;
}

afterEach(() => {
  vi.unstubAllGlobals();
  document.body.replaceChildren();
});

describe("ModelBackendPanel", () => {
  it("shows the backend's failure reason as text, not markup", async () => {
    const el = await mount(server({ status: 200, body: FAILED }));
    const alert = el.querySelector('[role="alert"]');
    expect(alert?.textContent).toContain("the answer is not JSON (<b>Expecting value</b>)");
    expect(alert?.querySelector("b")).toBeNull();
    expect(el.textContent).toContain("3 calls, 1 failed.");
    expect(el.textContent).toContain("Failing.");
  });

  it("saves the URL with PUT and ties the server's URL error to the field", async () => {
    const refused = {
      detail: "url: 10.1.2.3 is not a public address",
      code: "invalid",
      errors: { url: ["10.1.2.3 is not a public address"] },
    };
    const fetchMock = server({ status: 400, body: refused });
    const el = await mount(fetchMock);
    const input = el.querySelector<HTMLInputElement>('input[type="url"]');
    if (!input) throw new Error("no URL field");
    input.value = "http://10.1.2.3/predict";
    input.dispatchEvent(new Event("input", { bubbles: true }));
    await new Promise((resolve) => setTimeout(resolve, 0)); // the field's state settles
    el.querySelector<HTMLButtonElement>('button[type="submit"]')?.click();
    await vi.waitFor(() => expect(el.textContent).toContain("is not a public address"));
    const [url, init] = fetchMock.mock.calls.find(([, i]) => i?.method === "PUT") ?? [];
    expect(url).toBe("/api/projects/4/suggestions/backend/");
    expect(JSON.parse(String(init?.body))).toEqual({
      url: "http://10.1.2.3/predict",
      enabled: true,
    });
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(input.getAttribute("aria-describedby")).toBe("model-backend-url-error");
  });
});
