import { afterEach, describe, expect, it } from "vitest";
import type { Surface } from "./surface";
import { mountText } from "./testing";

let surface: Surface | null = null;
let unmount = () => {};

function render(text: string): Surface {
  const mounted = mountText(text);
  unmount = mounted.unmount;
  surface = mounted.surface;
  return surface;
}

afterEach(() => unmount());

describe("surface", () => {
  it("renders each block as one text node and never parses markup", () => {
    const s = render("<img src=x onerror=alert(1)>\r\n\r\n<b>bold</b>");
    expect(s.root.querySelector("img, b")).toBeNull();
    expect(s.blockEls.map((p) => p.childNodes.length)).toEqual([1, 1]);
    expect(s.blockEls.map((p) => p.textContent)).toEqual([
      "<img src=x onerror=alert(1)>",
      "<b>bold</b>",
    ]);
  });

  it("maps code point extents to UTF-16 and to the blocks they touch across CRLF", () => {
    const text = "😀 Satu\r\n\r\nDua tiga";
    const s = render(text);
    // "Dua" starts at code point 10 (the emoji is one code point, two UTF-16 units).
    const dua = { start: 10, end: 13 };
    expect(s.utf16Of(dua)).toEqual([11, 14]);
    expect(s.textOf(dua)).toBe("Dua");
    expect(s.blocksOf(dua)).toEqual([1, 1]);
    expect(s.blocksOf({ start: 2, end: 13 })).toEqual([0, 1]);
  });

  it("selects UTF-16 offsets natively and reads them back; a collapsed selection is none", () => {
    const text = "Jens Stoltenberg\r\nberkata";
    const s = render(text);
    expect(s.select(5, 20)).toBe(true);
    expect(s.selection()).toEqual([5, 20]);
    expect(document.getSelection()?.toString()).toBe("Stoltenbergbe");
    s.clearSelection();
    expect(s.selection()).toBeNull();
  });

  it("has no block and no extent for an empty text", () => {
    const s = render("");
    expect(s.blocks).toEqual([]);
    expect(s.blocksOf({ start: 0, end: 1 })).toBeNull();
  });
});
