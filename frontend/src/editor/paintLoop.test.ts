import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPaintLoop, type PaintLoop } from "./paintLoop";
import { emptyChange } from "./spanStore";
import type { Surface } from "./surface";
import { LABELS, mountText, span } from "./testing";
import type { Span } from "./types";

// jsdom measures no text and has no IntersectionObserver: both are stubbed at the
// browser boundary, so the loop's own logic runs as in Chromium. A range's one rectangle
// is 10 px per character from the start of its block, so a fill's box says what it covers.
const CHAR = 10;
function fakeRects(this: Range) {
  if (this.collapsed) return [];
  const left = this.startOffset * CHAR;
  const width = (this.endOffset - this.startOffset) * CHAR;
  return [{ left, right: left + width, top: 0, bottom: 20, width, height: 20, x: left, y: 0 }];
}

class FakeIntersectionObserver {
  static current: FakeIntersectionObserver;
  readonly targets: Element[] = [];
  constructor(private readonly callback: (entries: unknown[]) => void) {
    FakeIntersectionObserver.current = this;
  }
  observe(el: Element) {
    this.targets.push(el);
  }
  disconnect() {}
  /** Scrolls blocks into (or out of) view. */
  static scroll(blocks: number[], isIntersecting: boolean) {
    const io = FakeIntersectionObserver.current;
    io.callback(blocks.map((b) => ({ target: io.targets[b], isIntersecting })));
  }
}

const TEXT = "Jens Stoltenberg berkata.\nTiga empat.\nRina Wulandari menjawab.";
let loop: PaintLoop;
let surface: Surface;
let unmount = () => {};

beforeEach(() => {
  (Range.prototype as unknown as { getClientRects: unknown }).getClientRects = fakeRects;
  vi.stubGlobal("IntersectionObserver", FakeIntersectionObserver);
});

afterEach(() => {
  loop.destroy();
  unmount();
  delete (Range.prototype as unknown as { getClientRects?: unknown }).getClientRects;
  vi.unstubAllGlobals();
});

function setup(spans: Span[]) {
  const mounted = mountText(TEXT, spans);
  const { store, index } = mounted;
  surface = mounted.surface;
  unmount = mounted.unmount;
  const paints: number[] = [];
  loop = createPaintLoop({
    surface,
    store,
    index,
    labels: LABELS,
    scrollRoot: null,
    marks: () => ({ selectedId: null, candidateIds: new Set() }),
    onPaint: ({ blocks }) => paints.push(blocks),
  });
  loop.start();
  return { store, index, paints };
}

/** The text under every fill (the boxes behind the text; every span here is a PER), sorted. */
function highlighted(): string[] {
  const fills = [...document.querySelectorAll<HTMLElement>(".wb-fill")];
  return fills
    .map((f) => {
      const text = f.closest("[data-block]")?.firstChild?.textContent ?? "";
      const start = Number.parseFloat(f.style.left) / CHAR;
      return text.slice(start, start + Number.parseFloat(f.style.width) / CHAR);
    })
    .sort();
}

describe("paint loop", () => {
  it("paints only the blocks on screen and unpaints those that leave", () => {
    const { paints } = setup([span("a", 0, 16), span("c", 38, 52)]);
    expect(highlighted()).toEqual([]);
    FakeIntersectionObserver.scroll([0], true);
    expect(highlighted()).toEqual(["Jens Stoltenberg"]);
    FakeIntersectionObserver.scroll([2], true);
    FakeIntersectionObserver.scroll([0], false);
    expect(highlighted()).toEqual(["Rina Wulandari"]);
    expect(paints).toEqual([1, 1, 0]);
  });

  it("repaints a changed block on screen and leaves one off screen bare", () => {
    const { store, index } = setup([span("a", 0, 4)]);
    FakeIntersectionObserver.scroll([0], true);
    const change = emptyChange();
    store.apply({ op: "update_span", id: "a", end: 16 }, change);
    store.apply({ op: "add_span", span: span("c", 38, 42) }, change);
    const dirty = new Set<number>();
    for (const { before, after } of change.spans) {
      if (before) index.remove(before, dirty);
      if (after) index.add(after, dirty);
    }
    loop.paint(dirty);
    expect(highlighted()).toEqual(["Jens Stoltenberg"]);
  });

  it("paints what a batch asked for once, at its end", () => {
    const { paints } = setup([span("a", 0, 16), span("c", 38, 52)]);
    FakeIntersectionObserver.scroll([0, 2], true);
    paints.length = 0;
    const result = loop.batch(() => {
      loop.paint([0]);
      loop.paint([2, 0]);
      expect(paints).toEqual([]);
      return "done";
    });
    expect(result).toBe("done");
    expect(paints).toEqual([2]); // one pass over both blocks
    expect(highlighted()).toEqual(["Jens Stoltenberg", "Rina Wulandari"]);
  });

  it("starts afresh from a replaced state, and tells waiters when it has painted", async () => {
    const { store, index } = setup([span("a", 0, 4)]);
    FakeIntersectionObserver.scroll([0, 2], true);
    store.reset({ spans: [span("c", 38, 52)], relations: [], document_labels: {} });
    index.rebuild(store.spans.values());
    const painted = loop.whenPainted();
    loop.reset();
    await painted;
    expect(highlighted()).toEqual(["Rina Wulandari"]);
  });

  it("paints an interrupted span fragment by fragment, never its interruption", () => {
    // "Jens Stoltenberg berkata." with "Stoltenberg" as the interruption of one PER span.
    setup([
      {
        ...span("a", 0, 24),
        fragments: [
          [0, 4],
          [17, 24],
        ],
      },
    ]);
    FakeIntersectionObserver.scroll([0], true);
    expect(highlighted()).toEqual(["Jens", "berkata"]);
  });

  it("paints an interrupted span's fragments in every block they reach", () => {
    // One fragment in the first paragraph, one in the last: the middle one stays bare.
    setup([
      {
        ...span("a", 5, 52),
        fragments: [
          [5, 16],
          [38, 52],
        ],
      },
    ]);
    FakeIntersectionObserver.scroll([0, 1, 2], true);
    expect(highlighted()).toEqual(["Rina Wulandari", "Stoltenberg"]);
  });
});
