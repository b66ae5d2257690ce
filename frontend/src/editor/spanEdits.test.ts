import { describe, expect, it } from "vitest";
import { createOffsetMap } from "./offsets";
import { createSpanEdits, edgeOp, extentOf } from "./spanEdits";
import { emptyChange, SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import { LABELS, span } from "./testing";
import type { Op, Span } from "./types";

/** Span edits over `text`, with the native selection replaced by `selection`. */
function setup(text: string, spans: Span[] = [], allowOverlap = true) {
  const store = new SpanStore(LABELS, { spans, relations: [], document_labels: {} });
  const offsets = createOffsetMap(text);
  let selection: [number, number] | null = null;
  const surface = {
    text,
    offsets,
    utf16Of: (s: Span) => [offsets.toUtf16(s.start), offsets.toUtf16(s.end)],
    selection: () => selection,
    clearSelection: () => {
      selection = null;
    },
  } as unknown as Surface;
  const notices: string[] = [];
  const selected: string[] = [];
  const edits = createSpanEdits({
    surface,
    store,
    allowOverlap,
    apply: (ops: Op[]) => {
      for (const op of ops) store.apply(op, emptyChange());
      return true;
    },
    notice: (m) => notices.push(m),
    select: (id) => selected.push(id),
  });
  const select = (start: number, end: number) => {
    selection = [start, end];
  };
  return { store, edits, notices, selected, select, hasSelection: () => selection !== null };
}

describe("extents", () => {
  const text = "Sekjen 😀 Jens Stoltenberg berkata";
  const offsets = createOffsetMap(text);
  const u = text.indexOf("Jens");

  it("snap a selection to whole words and count code points", () => {
    expect(extentOf(text, offsets, [u + 1, u + 8], false)).toEqual([9, 25]);
  });

  it("keep exact characters when asked, widened to whole code points", () => {
    expect(extentOf(text, offsets, [u + 1, u + 3], true)).toEqual([10, 12]);
    expect(extentOf(text, offsets, [8, 9], true)).toEqual([7, 8]);
    expect(extentOf(text, offsets, [6, 7], false)).toBeNull();
  });

  it("refuse an edge move that changes nothing, empties the span or overlaps where forbidden", () => {
    const store = new SpanStore(LABELS, {
      spans: [span("a", 0, 4), span("b", 10, 14)],
      relations: [],
      document_labels: {},
    });
    const a = store.spans.get("a") as Span;
    expect(edgeOp(store, a, "end", 4, false)).toBeNull();
    expect(edgeOp(store, a, "end", 0, false)).toBeNull();
    expect(edgeOp(store, a, "end", 12, false)).toBeNull();
    expect(edgeOp(store, a, "end", 12, true)).toEqual({ op: "update_span", id: "a", end: 12 });
  });
});

describe("span edits", () => {
  it("add a snapped span from the selection, select it and clear the selection", () => {
    const text = "Jens Stoltenberg said";
    const { edits, selected, select, hasSelection } = setup(text);
    select(1, 8);
    const added = edits.addFromSelection("PER", false);
    expect(added).toMatchObject({ start: 0, end: 16, label: "PER", attributes: {} });
    expect(selected).toEqual([added?.id]);
    expect(hasSelection()).toBe(false);
  });

  it("refuse a duplicate and, where forbidden, an overlap, saying why", () => {
    const text = "Jens Stoltenberg said";
    const { edits, notices, select } = setup(text, [span("a", 0, 16)], false);
    select(0, 16);
    expect(edits.addFromSelection("PER", false)).toBeNull();
    select(5, 21);
    expect(edits.addFromSelection("QUOTE", false)).toBeNull();
    expect(notices).toEqual([
      "This text is already labelled PER.",
      "This project does not allow overlapping spans.",
    ]);
  });

  it("move a span's ends to the selection, unless they are already there", () => {
    const text = "Sekjen NATO Jens Stoltenberg berkata";
    const { store, edits, select } = setup(text, [span("a", 12, 16)]);
    select(7, 20);
    expect(edits.resizeToSelection("a", false)).toBe(true);
    expect(store.spans.get("a")).toMatchObject({ start: 7, end: 28 });
    select(7, 28);
    expect(edits.resizeToSelection("a", false)).toBe(false);
    expect(edits.resizeToSelection("missing", false)).toBe(false);
  });

  it("step an edge by a word or by one code point, never into a surrogate pair", () => {
    const text = "Jens 😀 Stoltenberg";
    const { store, edits } = setup(text, [span("a", 0, 4)]);
    edits.stepEdge("a", "end", 1, "character");
    expect(store.spans.get("a")?.end).toBe(5);
    edits.stepEdge("a", "end", 1, "character");
    expect(store.spans.get("a")?.end).toBe(6);
    edits.stepEdge("a", "end", 1, "word");
    expect(store.spans.get("a")?.end).toBe(18);
    edits.stepEdge("a", "start", 1, "word");
    expect(store.spans.get("a")?.start).toBe(7);
  });

  it("drop a dragged edge at a word end, or exactly with Alt", () => {
    const text = "Jens Stoltenberg said";
    const { store, edits } = setup(text, [span("a", 0, 4)]);
    edits.dropEdge("a", "end", [0, 9], false);
    expect(store.spans.get("a")?.end).toBe(16);
    edits.dropEdge("a", "end", [0, 9], true);
    expect(store.spans.get("a")?.end).toBe(9);
  });
});
