import { describe, expect, it } from "vitest";
import { ApiError } from "../api/errors";
import { describeLineError, uploadFailure } from "./uploadReport";

describe("upload failures", () => {
  it("keeps the server's detail and its per-line errors", () => {
    const err = new ApiError(400, {
      detail: "Nothing was imported: line 2: invalid JSON: Expecting value (column 1)",
      code: "import_failed",
      errors: { "lines.2": ["invalid JSON: Expecting value (column 1)"] },
    });
    const failure = uploadFailure(err);
    expect(failure.summary).toMatch(/^Nothing was imported: line 2/);
    expect(failure.errors).toEqual([
      { line: 2, field: null, message: "invalid JSON: Expecting value (column 1)" },
    ]);
    expect(describeLineError(failure.errors[0])).toBe(
      "Line 2: invalid JSON: Expecting value (column 1)",
    );
  });

  it("names the field when there is one, and copes with neither line nor field", () => {
    expect(describeLineError({ line: 4, field: "text", message: "required" })).toBe(
      "Line 4, field text: required",
    );
    expect(describeLineError({ line: null, field: null, message: "not a zip" })).toBe("not a zip");
  });

  it("says the file is too large on 413, with or without a body", () => {
    expect(uploadFailure(new ApiError(413, null)).summary).toBe("The file is too large.");
    expect(uploadFailure(new ApiError(413, { detail: "Over the limit." })).summary).toBe(
      "The file is too large. Over the limit.",
    );
  });

  it("turns field errors into errors naming the field, and line fields into both", () => {
    const failure = uploadFailure(
      new ApiError(400, {
        detail: "file: required",
        errors: { file: ["required: a multipart field"], "lines.4.text": ["required"] },
      }),
    );
    expect(failure.errors).toEqual([
      { line: null, field: "file", message: "required: a multipart field" },
      { line: 4, field: "text", message: "required" },
    ]);
  });

  it("keeps markup as text, never as HTML", () => {
    const failure = uploadFailure(
      new ApiError(400, { detail: "<img src=x onerror=alert(1)>", errors: {} }),
    );
    expect(failure.summary).toBe("<img src=x onerror=alert(1)>");
  });

  it("reports network failures and unexpected errors", () => {
    expect(uploadFailure(new ApiError(0, null)).summary).toMatch(/could not be reached/);
    expect(uploadFailure(new Error("boom")).summary).toBe("boom");
  });
});
