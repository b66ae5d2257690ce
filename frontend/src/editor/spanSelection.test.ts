import { describe, expect, it } from "vitest";
import { createOffsetMap } from "./offsets";
import { blocksInRange, splitBlocks } from "./paragraphs";
import { createSpanSelection } from "./spanSelection";
import { emptyChange, SpanStore } from "./spanStore";
import { LABELS, span } from "./testing";
import type { Span } from "./types";

const TEXT = "Satu dua.\nTiga empat.\nLima enam.";
function setup(spans: Span[]) {
  const store = new SpanStore(LABELS, { spans, relations: [], document_labels: {} });
  const blocks = splitBlocks(TEXT);
  const offsets = createOffsetMap(TEXT);
  const painted: number[][] = [];
  const scrolled: number[] = [];
  const selects: Array<string | null> = [];
  const selection = createSpanSelection({
    store,
    surface: {
      blocksOf: (s) => blocksInRange(blocks, offsets.toUtf16(s.start), offsets.toUtf16(s.end)),
      scrollToBlock: (b) => scrolled.push(b),
    },
    paint: (dirty) => painted.push([...dirty].sort()),
    onSelect: (id) => selects.push(id),
  });
  return { store, selection, painted, scrolled, selects };
}

describe("span selection", () => {
  it("repaints the blocks of the old and the new span only", () => {
    const { selection, painted, selects } = setup([span("a", 0, 4), span("c", 22, 26)]);
    selection.select("a");
    selection.select("c");
    expect(painted).toEqual([[0], [0, 2]]);
    expect(selects).toEqual(["a", "c"]);
    selection.select("c");
    selection.select("missing");
    expect(painted).toHaveLength(2);
    expect(selection.id).toBe("c");
  });

  it("steps through spans in reading order, longer first on ties, wrapping around", () => {
    const { selection, scrolled } = setup([span("c", 22, 26), span("b", 0, 4), span("a", 0, 9)]);
    expect(selection.inOrder().map((s) => s.id)).toEqual(["a", "b", "c"]);
    selection.adjacent(-1);
    expect(selection.id).toBe("c");
    selection.adjacent(1);
    expect(selection.id).toBe("a");
    expect(scrolled).toEqual([2, 0]);
  });

  it("reorders after spans change, and drop forgets the selection silently", () => {
    const { store, selection, selects } = setup([span("a", 5, 8)]);
    expect(selection.inOrder().map((s) => s.id)).toEqual(["a"]);
    store.apply({ op: "add_span", span: span("z", 0, 4) }, emptyChange());
    expect(selection.inOrder().map((s) => s.id)).toEqual(["a"]);
    selection.spansChanged();
    expect(selection.inOrder().map((s) => s.id)).toEqual(["z", "a"]);
    selection.select("a");
    selection.drop();
    expect(selection.id).toBeNull();
    expect(selects).toEqual(["a"]);
  });
});
