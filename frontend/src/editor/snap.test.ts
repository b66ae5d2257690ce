import { describe, expect, it } from "vitest";
import { moveEdgeByWord, nextWordEdge, snapToWords } from "./snap";

function snapped(text: string, from: string, to: string): string {
  const start = text.indexOf(from);
  const end = text.indexOf(to) + to.length;
  const [s, e] = snapToWords(text, start, end);
  return text.slice(s, e);
}

describe("snapping selections to words", () => {
  const text = 'Sekjen NATO Jens Stoltenberg mengatakan, "latihan rutin".';

  it("grows a selection that cuts words to the whole words", () => {
    expect(snapped(text, "ens", "Stolt")).toBe("Jens Stoltenberg");
  });

  it("trims white space at the edges", () => {
    const start = text.indexOf(" Jens");
    const [s, e] = snapToWords(text, start, start + " Jens Stoltenberg ".length);
    expect(text.slice(s, e)).toBe("Jens Stoltenberg");
  });

  it("keeps punctuation the user selected", () => {
    expect(snapped(text, '"lat', 'in".')).toBe('"latihan rutin".');
  });

  it("keeps apostrophes and hyphens inside words", () => {
    const t = "the minister's tiba-tiba remark";
    expect(snapped(t, "nister", "ba-t")).toBe("minister's tiba-tiba");
  });

  it("widens through emoji without splitting pairs", () => {
    const t = "😀😀 Jens";
    const [s, e] = snapToWords(t, 1, 3);
    expect([s, e]).toEqual([0, 4]);
  });

  it("returns an empty range for a white-space-only selection", () => {
    const [s, e] = snapToWords("a   b", 1, 4);
    expect(s).toBe(e);
  });

  it("finds word edges for keyboard resizing", () => {
    const t = "one two three";
    expect(nextWordEdge(t, 3, 1)).toBe(7);
    expect(nextWordEdge(t, 7, -1)).toBe(4);
  });

  it("moves span edges by word onto word ends and starts", () => {
    const t = "Stoltenberg kepada wartawan";
    expect(moveEdgeByWord(t, 17, "end", -1)).toBe(11);
    expect(moveEdgeByWord(t, 18, "end", -1)).toBe(11);
    expect(moveEdgeByWord(t, 11, "end", 1)).toBe(18);
    expect(moveEdgeByWord(t, 0, "start", 1)).toBe(12);
    expect(moveEdgeByWord(t, 12, "start", -1)).toBe(0);
  });
});
