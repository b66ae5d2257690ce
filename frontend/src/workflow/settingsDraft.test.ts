import { describe, expect, it } from "vitest";
import { draftFrom, settingsFromDraft } from "./settingsDraft";

const saved = {
  annotators_per_document: 2,
  allow_overlap: false,
  annotators_see_each_other: false,
  anonymize_review: true,
  quotes_include_marks: true,
  annotators_see_gold_after_review: true,
  merge_threshold: 0.5,
  check_rate: 0.25,
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

  it("keeps the check rate in [0, 1]", () => {
    for (const good of ["0", "1", "0.1"])
      expect(settingsFromDraft({ ...draftFrom(saved), check_rate: good }).ok).toBe(true);
    for (const bad of ["-0.1", "1.5", "", "often"]) {
      const result = settingsFromDraft({ ...draftFrom(saved), check_rate: bad });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(Object.keys(result.errors)).toEqual(["check_rate"]);
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
