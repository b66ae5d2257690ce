import { describe, expect, it } from "vitest";
import { emptyChange, SpanStore } from "./spanStore";
import type { Op } from "./types";

function storeWithQuote(): SpanStore {
  return new SpanStore({
    spans: [
      { id: "s1", start: 0, end: 4, label: "PER", attributes: {} },
      { id: "s2", start: 10, end: 20, label: "QUOTE", attributes: { quote_type: "direct" } },
    ],
    relations: [{ id: "r1", from: "s2", to: "s1", label: "SPEAKER" }],
    document_labels: {},
  });
}

function applyAll(store: SpanStore, ops: Op[]): Op[] {
  const inverse: Op[] = [];
  for (const op of ops) inverse.unshift(...store.apply(op, emptyChange()));
  return inverse;
}

describe("span store", () => {
  it("deleting a span drops its relations and undo restores both", () => {
    const store = storeWithQuote();
    const before = store.snapshot();
    const inverse = applyAll(store, [{ op: "delete_span", id: "s1" }]);
    expect(store.relations.size).toBe(0);
    applyAll(store, inverse);
    const after = store.snapshot();
    after.spans.sort((a, b) => a.id.localeCompare(b.id));
    expect(after).toEqual(before);
  });

  it("update inverse restores only the changed fields", () => {
    const store = storeWithQuote();
    const inverse = store.apply(
      { op: "update_span", id: "s1", label: "ORG", end: 5 },
      emptyChange(),
    );
    expect(inverse).toEqual([{ op: "update_span", id: "s1", label: "PER", end: 4 }]);
  });

  it("document label inverse restores the previous value", () => {
    const store = storeWithQuote();
    const inverse = store.apply(
      { op: "set_document_label", group: "sentiment", value: "negative" },
      emptyChange(),
    );
    expect(store.documentLabels.sentiment).toBe("negative");
    applyAll(store, inverse);
    expect(store.documentLabels.sentiment).toBeNull();
  });

  it("rejects empty spans and dangling relations", () => {
    const store = storeWithQuote();
    expect(() =>
      store.apply(
        { op: "add_span", span: { id: "x", start: 3, end: 3, label: "PER", attributes: {} } },
        emptyChange(),
      ),
    ).toThrow();
    expect(() =>
      store.apply(
        { op: "add_relation", relation: { id: "r2", from: "s2", to: "nope", label: "SPEAKER" } },
        emptyChange(),
      ),
    ).toThrow();
  });
});
