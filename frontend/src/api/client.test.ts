import { afterEach, describe, expect, it, vi } from "vitest";
import { request } from "./client";
import { ApiError } from "./errors";

function answer(status: number, body: string) {
  return vi.fn(async (_url: string, _init?: RequestInit) => new Response(body, { status }));
}

afterEach(() => vi.unstubAllGlobals());

describe("request", () => {
  it("sends JSON with the CSRF header and reads JSON back", async () => {
    const fetch = answer(200, '{"version": 2}');
    vi.stubGlobal("fetch", fetch);
    const meta = document.createElement("meta");
    meta.name = "csrf-token";
    meta.content = "tok";
    document.head.appendChild(meta);
    const res = await request<{ version: number }>("PATCH", "/api/x/", { ops: [] });
    expect(res).toEqual({ status: 200, data: { version: 2 } });
    const init = fetch.mock.calls[0][1] ?? {};
    expect(init.headers).toMatchObject({
      "Content-Type": "application/json",
      "X-CSRFToken": "tok",
    });
    expect(init.body).toBe('{"ops":[]}');
    meta.remove();
  });

  it("sends a form as multipart, leaving the content type to the browser", async () => {
    const fetch = answer(201, '{"created": 1}');
    vi.stubGlobal("fetch", fetch);
    const form = new FormData();
    form.append("file", new Blob(["x"]), "a.txt");
    await request("POST", "/api/upload/", form);
    const init = fetch.mock.calls[0][1] ?? {};
    expect(init.body).toBe(form);
    expect(init.headers).not.toHaveProperty("Content-Type");
    expect(init.keepalive).toBe(false);
  });

  it("throws the error body as an ApiError, and a page that is not ours by its status", async () => {
    vi.stubGlobal(
      "fetch",
      answer(400, '{"detail": "spans.0.end: past the end", "code": "invalid", "errors": {}}'),
    );
    await expect(request("PUT", "/api/x/", {})).rejects.toMatchObject({
      status: 400,
      detail: "spans.0.end: past the end",
    });
    vi.stubGlobal("fetch", answer(502, "<html>Bad gateway</html>"));
    const err = await request("GET", "/api/x/").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).detail).toBe("The server answered 502.");
  });

  it("sends a lost session to the login page", async () => {
    const assign = vi.fn();
    vi.stubGlobal("location", { ...window.location, assign, pathname: "/projects/1/" });
    vi.stubGlobal(
      "fetch",
      answer(403, '{"detail": "Not logged in.", "code": "not_authenticated", "errors": {}}'),
    );
    await expect(request("GET", "/api/me/")).rejects.toBeInstanceOf(ApiError);
    expect(assign).toHaveBeenCalledWith("/login/?next=%2Fprojects%2F1%2F");
  });

  it("turns a network failure into an ApiError with status 0", async () => {
    vi.stubGlobal("fetch", vi.fn().mockRejectedValue(new TypeError("Failed to fetch")));
    await expect(request("GET", "/api/me/")).rejects.toMatchObject({
      status: 0,
      code: "unreachable",
    });
  });
});
