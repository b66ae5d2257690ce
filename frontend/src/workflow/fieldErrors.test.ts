import { describe, expect, it } from "vitest";
import { ApiError } from "../api/client";
import { draftFrom, fieldErrors, settingsFromDraft } from "./fieldErrors";

const saved = {
  annotators_per_document: 2,
  allow_overlap: false,
  annotators_see_each_other: false,
  anonymize_review: true,
  merge_threshold: 0.5,
  guidelines: "# Tag people",
};

describe("settings draft", () => {
  it("round-trips the saved settings", () => {
    expect(settingsFromDraft(draftFrom(saved))).toEqual({ ok: true, value: saved });
  });

  it("refuses fewer than one annotator or a fraction", () => {
    for (const bad of ["0", "-1", "1.5", "", "two"]) {
      const result = settingsFromDraft({ ...draftFrom(saved), annotators_per_document: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors)).toEqual(["annotators_per_document"]);
    }
  });

  it("keeps the merge threshold in (0, 1]", () => {
    expect(settingsFromDraft({ ...draftFrom(saved), merge_threshold: "1" }).ok).toBe(true);
    for (const bad of ["0", "1.01", "", "x"]) {
      const result = settingsFromDraft({ ...draftFrom(saved), merge_threshold: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.errors.merge_threshold).toMatch(/at most 1/);
    }
  });
});

describe("field errors from the API", () => {
  it("gives one message per field", () => {
    const err = new ApiError(400, {
      detail: "merge_threshold: must be in (0, 1]",
      code: "invalid",
      errors: {
        merge_threshold: ["must be in (0, 1]"],
        annotators_per_document: ["must be at least 1", "A valid integer is required."],
      },
    });
    expect(fieldErrors(err)).toEqual({
      merge_threshold: "must be in (0, 1]",
      annotators_per_document: "must be at least 1 A valid integer is required.",
    });
  });

  it("puts detail and non-field errors under detail", () => {
    const body = (errors: Record<string, string[]>, detail = "x") => ({ detail, errors });
    expect(fieldErrors(new ApiError(403, body({}, "Only admins may.")))).toEqual({
      detail: "Only admins may.",
    });
    expect(fieldErrors(new ApiError(400, body({ non_field_errors: ["clash"] })))).toEqual({
      detail: "clash",
    });
    expect(fieldErrors(new ApiError(400, body({ username: ["no user 'zed'"] })))).toEqual({
      username: "no user 'zed'",
    });
  });

  it("falls back to the error's message", () => {
    expect(fieldErrors(new ApiError(500, null))).toEqual({ detail: "The server answered 500." });
    expect(fieldErrors(new Error("offline"))).toEqual({ detail: "offline" });
  });
});
