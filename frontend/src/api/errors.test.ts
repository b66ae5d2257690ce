import { describe, expect, it } from "vitest";
import { ApiError, errorMessage, fieldErrors } from "./errors";

const body = (errors: Record<string, string[]>, detail = "first problem", code = "invalid") => ({
  detail,
  code,
  errors,
});

describe("the error body", () => {
  it("reads detail, code, errors by path and the current version", () => {
    const err = new ApiError(409, {
      detail: "Version 3 is stale: the annotation is at version 7.",
      code: "version_conflict",
      errors: { version: ["stale: now 7"] },
      current_version: 7,
    });
    expect(err).toMatchObject({
      status: 409,
      code: "version_conflict",
      detail: "Version 3 is stale: the annotation is at version 7.",
      errors: { version: ["stale: now 7"] },
      currentVersion: 7,
      fromApi: true,
      message: "Version 3 is stale: the annotation is at version 7.",
    });
  });

  it("gives the messages under a path prefix, keyed by the rest of the path", () => {
    const err = new ApiError(
      400,
      body({
        "spans.3": ["overlaps spans.1"],
        "spans.3.end": ["past the end of the text (812 code points)"],
        "spans.30.label": ["unknown label"],
        relations: ["too many"],
      }),
    );
    expect(err.under("spans.3")).toEqual({
      "": ["overlaps spans.1"],
      end: ["past the end of the text (812 code points)"],
    });
    expect(err.messagesUnder("spans")).toEqual([
      "overlaps spans.1",
      "past the end of the text (812 code points)",
      "unknown label",
    ]);
    expect(err.messagesUnder("document_labels")).toEqual([]);
  });

  it("names an answer that is not ours by its status", () => {
    const gateway = new ApiError(502, null);
    expect(gateway).toMatchObject({
      detail: "The server answered 502.",
      code: "server_error",
      errors: {},
      currentVersion: null,
      fromApi: false,
    });
    expect(new ApiError(0, null)).toMatchObject({
      detail: "The server could not be reached.",
      code: "unreachable",
    });
    expect(new ApiError(413, "<html>Too large</html>").code).toBe("payload_too_large");
  });

  it("keeps markup in messages as text and odd message values readable", () => {
    const err = new ApiError(400, {
      detail: "<img src=x onerror=alert(1)>",
      errors: { text: [{ nested: true }], title: "one" },
    });
    expect(err.detail).toBe("<img src=x onerror=alert(1)>");
    expect(err.errors).toEqual({ text: ['{"nested":true}'], title: ["one"] });
  });

  it("knows a lost session from its code, whatever the status", () => {
    expect(new ApiError(401, body({}, "x", "not_authenticated")).loggedOut).toBe(true);
    expect(new ApiError(403, body({}, "x", "not_authenticated")).loggedOut).toBe(true);
    expect(new ApiError(403, body({}, "x", "authentication_failed")).loggedOut).toBe(true);
    expect(new ApiError(403, body({}, "x", "permission_denied")).loggedOut).toBe(false);
  });
});

describe("field errors for a form", () => {
  it("give one line per field, joining its messages and those of nested paths", () => {
    const err = new ApiError(
      400,
      body({
        merge_threshold: ["must be in (0, 1]"],
        annotators_per_document: ["must be at least 1", "A valid integer is required."],
        "split.train": ["must be a number"],
      }),
    );
    expect(fieldErrors(err)).toEqual({
      merge_threshold: "must be in (0, 1]",
      annotators_per_document: "must be at least 1 A valid integer is required.",
      split: "must be a number",
    });
  });

  it("put what belongs to no field under detail", () => {
    expect(fieldErrors(new ApiError(403, body({}, "Only admins may.")))).toEqual({
      detail: "Only admins may.",
    });
    expect(fieldErrors(new ApiError(400, body({ non_field_errors: ["clash"] })))).toEqual({
      detail: "clash",
    });
    expect(fieldErrors(new ApiError(500, null))).toEqual({ detail: "The server answered 500." });
    expect(fieldErrors(new Error("offline"))).toEqual({ detail: "offline" });
    expect(errorMessage("plain")).toBe("plain");
  });
});
