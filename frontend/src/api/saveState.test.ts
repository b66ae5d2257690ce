import { describe, expect, it } from "vitest";
import { ApiError } from "./errors";
import { failedSave } from "./saveState";

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

  it("is a refusal on another 4xx, saying what the server refused", () => {
    const invalid = new ApiError(400, {
      detail: "spans.0.attributes.quote_type: not an attribute of PER",
      code: "invalid",
      errors: { "spans.0.attributes.quote_type": ["not an attribute of PER"] },
    });
    expect(failedSave(invalid, { retries: true })).toEqual({
      status: "rejected",
      message:
        "The server refused the change: spans.0.attributes.quote_type: not an attribute of PER",
    });
  });

  it("is retried when there was no answer, or a refusal for a saver that does not retry", () => {
    const offline = new ApiError(0, null);
    expect(failedSave(offline, { retries: true }).status).toBe("offline");
    expect(failedSave(new ApiError(503, null), { retries: true }).status).toBe("offline");
    expect(failedSave(offline, { retries: false })).toEqual({
      status: "rejected",
      message: "The server could not be reached.",
    });
  });
});
