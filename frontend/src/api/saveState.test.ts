import { afterEach, describe, expect, it } from "vitest";
import { setLanguage } from "../i18n";
import { ApiError } from "./errors";
import { failedSave } from "./saveState";

afterEach(() => setLanguage("en"));

const conflict = new ApiError(409, {
  detail: "Version 3 is stale: the annotation is at version 7.",
  code: "version_conflict",
  errors: {},
  current_version: 7,
});

describe("a failed save", () => {
  it("is a conflict on 409, with their version and the server's words", () => {
    expect(failedSave(conflict, { retries: true })).toEqual({
      status: "conflict",
      theirVersion: 7,
      message: "Version 3 is stale: the annotation is at version 7.",
    });
  });

  it("is a refusal on another 4xx: what the server refused, and what to do", () => {
    const invalid = new ApiError(400, {
      detail: "spans.0.attributes.quote_type: not an attribute of PER",
      code: "invalid",
      errors: { "spans.0.attributes.quote_type": ["not an attribute of PER"] },
    });
    expect(failedSave(invalid, { retries: true })).toEqual({
      status: "rejected",
      message:
        "Not saved: the server refused this change (spans.0.attributes.quote_type: not an " +
        "attribute of PER). Nothing of it was stored; undo it, or reload the saved version.",
    });
  });

  it("says why and what happens next while it retries (no answer, or the server's fault)", () => {
    const offline = failedSave(new ApiError(0, null), { retries: true });
    expect(offline.status).toBe("offline");
    expect(offline.message).toContain("cannot be reached");
    expect(offline.message).toContain("sent again automatically");
    const server = failedSave(new ApiError(503, null), { retries: true });
    expect(server).toEqual({
      status: "offline",
      message: expect.stringContaining("the server had a problem (HTTP 503)"),
    });
  });

  it("asks to save again when the saver does not retry", () => {
    expect(failedSave(new ApiError(0, null), { retries: false })).toEqual({
      status: "rejected",
      message: expect.stringContaining("save again when the connection is back"),
    });
    expect(failedSave(new ApiError(500, null), { retries: false }).message).toContain("HTTP 500");
  });

  it("speaks the interface language", () => {
    setLanguage("id");
    expect(failedSave(new ApiError(0, null), { retries: true }).message).toContain(
      "dikirim ulang otomatis",
    );
  });
});
