import { describe, expect, it } from "vitest";
import { segments } from "./segments";

const span = (id: string, start: number, end: number, label = "PER") => ({
  id,
  start,
  end,
  label,
  attributes: {},
});

describe("segments", () => {
  it("covers the whole text with runs of equal span sets", () => {
    const text = "Jens Stoltenberg berkata";
    const runs = segments(text, [span("a", 0, 16), span("b", 5, 16, "MISC")]);
    expect(runs.map((r) => r.text).join("")).toBe(text);
    expect(runs.map((r) => [r.text, r.spans.map((s) => s.id)])).toEqual([
      ["Jens ", ["a"]],
      ["Stoltenberg", ["a", "b"]],
      [" berkata", []],
    ]);
    expect(runs[1].ending.map((s) => s.id)).toEqual(["a", "b"]);
  });

  it("reads code point offsets over astral characters", () => {
    const text = "😀 NATO";
    const [, nato] = segments(text, [span("n", 2, 6, "ORG")]);
    expect(nato.text).toBe("NATO");
    expect(nato.start).toBe(3);
  });

  it("drops spans outside the text", () => {
    expect(segments("abc", [span("x", 2, 9)]).every((r) => r.spans.length === 0)).toBe(true);
  });
});
