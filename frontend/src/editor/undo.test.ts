import { describe, expect, it } from "vitest";
import { SpanStore, type StoreChange } from "./spanStore";
import { LABELS, span } from "./testing";
import type { Op } from "./types";
import { createUndo } from "./undo";

function setup() {
  const store = new SpanStore(LABELS, { spans: [], relations: [], document_labels: {} });
  const changes: Array<[StoreChange, Op[]]> = [];
  const errors: string[] = [];
  const undo = createUndo({
    store,
    onChange: (change, ops) => changes.push([change, ops]),
    onError: (message) => errors.push(message),
  });
  return { store, undo, changes, errors };
}

describe("undo", () => {
  it("applies a batch as one step, undoes and redoes it whole", () => {
    const { store, undo, changes } = setup();
    const ops: Op[] = [
      { op: "add_span", span: span("a", 0, 4) },
      { op: "add_span", span: span("b", 5, 9) },
    ];
    expect(undo.apply(ops)).toBe(true);
    expect(changes.at(-1)?.[1]).toEqual(ops);
    expect(undo.undo()).toBe(true);
    expect(store.spans.size).toBe(0);
    expect(changes.at(-1)?.[1]).toEqual([
      { op: "delete_span", id: "b" },
      { op: "delete_span", id: "a" },
    ]);
    expect(undo.canUndo).toBe(false);
    expect(undo.redo()).toBe(true);
    expect([...store.spans.keys()]).toEqual(["a", "b"]);
  });

  it("rolls a failing batch back entirely and says why", () => {
    const { store, undo, changes, errors } = setup();
    const ok = undo.apply([
      { op: "add_span", span: span("a", 0, 4) },
      { op: "delete_span", id: "missing" },
    ]);
    expect(ok).toBe(false);
    expect(store.spans.size).toBe(0);
    expect(errors).toEqual(["no span missing"]);
    // Both the partial change and its rollback are reported, with no ops to save.
    expect(changes.map(([, ops]) => ops)).toEqual([[], []]);
    expect(changes[1][0].spans).toHaveLength(1);
    expect(undo.canUndo).toBe(false);
  });

  it("keeps replays out of the history and a new step clears redo", () => {
    const { undo } = setup();
    undo.apply([{ op: "add_span", span: span("a", 0, 4) }], false);
    expect(undo.canUndo).toBe(false);
    undo.apply([{ op: "add_span", span: span("b", 5, 9) }]);
    undo.undo();
    expect(undo.canRedo).toBe(true);
    undo.apply([{ op: "add_span", span: span("c", 10, 12) }]);
    expect(undo.canRedo).toBe(false);
    undo.clear();
    expect(undo.canUndo).toBe(false);
    expect(undo.undo()).toBe(false);
  });
});
