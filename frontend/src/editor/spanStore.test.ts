import { describe, expect, it } from "vitest";
import { emptyChange, SpanStore } from "./spanStore";
import { label } from "./testing";
import type { Label, Op, Span } from "./types";

const LABELS: Label[] = [
  label("PER"),
  label("ORG"),
  label("QUOTE", "span", {
    attributes: { quote_type: ["direct", "indirect"], tone: ["calm", "angry"] },
  }),
  label("CLAIM", "span", { attributes: { quote_type: ["direct", "indirect"] } }),
];

function storeWithQuote(): SpanStore {
  return new SpanStore(LABELS, {
    spans: [
      { id: "s1", start: 0, end: 4, label: "PER", attributes: {} },
      {
        id: "s2",
        start: 10,
        end: 20,
        label: "QUOTE",
        attributes: { quote_type: "direct", tone: "calm" },
      },
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

  it("relabelling drops the attributes the new label lacks, like the server", () => {
    const store = storeWithQuote();
    const inverse = store.apply({ op: "update_span", id: "s2", label: "PER" }, emptyChange());
    expect(store.spans.get("s2")?.attributes).toEqual({});
    expect(inverse).toEqual([
      {
        op: "update_span",
        id: "s2",
        label: "QUOTE",
        attributes: { quote_type: "direct", tone: "calm" },
      },
    ]);
    applyAll(store, inverse);
    expect(store.spans.get("s2")).toMatchObject({
      label: "QUOTE",
      attributes: { quote_type: "direct", tone: "calm" },
    });
  });

  it("relabelling keeps the attributes the new label also defines", () => {
    const store = storeWithQuote();
    store.apply({ op: "update_span", id: "s2", label: "CLAIM" }, emptyChange());
    expect(store.spans.get("s2")?.attributes).toEqual({ quote_type: "direct" });
  });

  it("relabelling to a label the project does not know keeps no attribute", () => {
    const store = storeWithQuote();
    store.apply({ op: "update_span", id: "s2", label: "GONE" }, emptyChange());
    expect(store.spans.get("s2")?.attributes).toEqual({});
  });

  it("attributes named in the op win over the trimming, and a move keeps them all", () => {
    const store = storeWithQuote();
    store.apply(
      { op: "update_span", id: "s2", label: "PER", attributes: { quote_type: "indirect" } },
      emptyChange(),
    );
    expect(store.spans.get("s2")?.attributes).toEqual({ quote_type: "indirect" });
    const other = storeWithQuote();
    const inverse = other.apply({ op: "update_span", id: "s2", end: 25 }, emptyChange());
    expect(other.spans.get("s2")?.attributes).toEqual({ quote_type: "direct", tone: "calm" });
    expect(inverse).toEqual([{ op: "update_span", id: "s2", end: 20 }]);
  });

  it("a relabel that drops nothing is undone by the label alone", () => {
    const store = storeWithQuote();
    const inverse = store.apply({ op: "update_span", id: "s1", label: "ORG" }, emptyChange());
    expect(inverse).toEqual([{ op: "update_span", id: "s1", label: "PER" }]);
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

describe("span store: fragments and chains", () => {
  const quote: Span = {
    id: "q",
    start: 1,
    end: 30,
    label: "QUOTE",
    attributes: {},
    fragments: [
      [1, 10],
      [20, 30],
    ],
  };

  it("stores an interrupted span and refuses fragments the API would", () => {
    const store = new SpanStore(LABELS);
    applyAll(store, [{ op: "add_span", span: quote }]);
    expect(store.snapshot().spans[0].fragments).toEqual([
      [1, 10],
      [20, 30],
    ]);
    const bad: Span = { ...quote, id: "b", fragments: [[1, 10]] };
    expect(() => store.apply({ op: "add_span", span: bad }, emptyChange())).toThrow(/two/);
    const crossing: Span = {
      ...quote,
      id: "c",
      fragments: [
        [1, 10],
        [5, 30],
      ],
    };
    expect(() => store.apply({ op: "add_span", span: crossing }, emptyChange())).toThrow();
  });

  it("undoes a join and a split with the extent and fragments together", () => {
    const store = new SpanStore(LABELS, {
      spans: [{ id: "q", start: 1, end: 10, label: "QUOTE", attributes: {} }],
      relations: [],
      document_labels: {},
    });
    const inverse = applyAll(store, [
      {
        op: "update_span",
        id: "q",
        start: 1,
        end: 30,
        fragments: [
          [1, 10],
          [20, 30],
        ],
      },
    ]);
    expect(inverse).toEqual([{ op: "update_span", id: "q", start: 1, end: 10, fragments: null }]);
    applyAll(store, inverse);
    expect(store.spans.get("q")).toEqual({
      id: "q",
      start: 1,
      end: 10,
      label: "QUOTE",
      attributes: {},
    });
  });

  it("moves an interrupted span's outer edge inside its last fragment", () => {
    const store = new SpanStore(LABELS, { spans: [quote], relations: [], document_labels: {} });
    const inverse = applyAll(store, [{ op: "update_span", id: "q", end: 25 }]);
    expect(store.spans.get("q")?.fragments).toEqual([
      [1, 10],
      [20, 25],
    ]);
    expect(inverse[0]).toMatchObject({ start: 1, end: 30, fragments: quote.fragments });
    expect(() => store.apply({ op: "update_span", id: "q", end: 15 }, emptyChange())).toThrow(
      /cross/,
    );
  });

  it("counts only fragments as overlapping: the interruption is free", () => {
    const store = new SpanStore(LABELS, { spans: [quote], relations: [], document_labels: {} });
    expect(store.overlaps(12, 16)).toBe(false);
    expect(store.overlaps(8, 12)).toBe(true);
    expect(store.overlaps(0, 40, undefined, [[12, 18]])).toBe(false);
  });

  it("keeps chains alive exactly as long as they have mentions, names restored on undo", () => {
    const store = new SpanStore(LABELS, {
      spans: [
        { id: "p", start: 0, end: 4, label: "PER", attributes: {} },
        { id: "o", start: 5, end: 9, label: "ORG", attributes: {}, chain: "c" },
      ],
      relations: [],
      document_labels: {},
      chains: [{ id: "c", name: "", canonical: "NATO" }],
    });
    // A mention naming an unknown chain makes it; set_chain names it.
    const made = applyAll(store, [
      { op: "update_span", id: "p", chain: "c2" },
      { op: "set_chain", id: "c2", name: "Jens" },
    ]);
    expect([...store.membersOf("c2")]).toEqual(["p"]);
    // A PUT sends id and name only; the canonical name is the server's.
    expect(store.snapshot().chains).toEqual([
      { id: "c", name: "" },
      { id: "c2", name: "Jens" },
    ]);
    // The last mention leaving takes the chain and its name; undo brings both back.
    const left = applyAll(store, [{ op: "update_span", id: "p", chain: null }]);
    expect(store.chains.has("c2")).toBe(false);
    expect(left).toEqual([
      { op: "update_span", id: "p", chain: "c2" },
      { op: "set_chain", id: "c2", name: "Jens" },
    ]);
    applyAll(store, left);
    expect(store.chains.get("c2")?.name).toBe("Jens");
    applyAll(store, made);
    expect(store.chains.has("c2")).toBe(false);
    expect(store.spans.get("p")?.chain).toBeUndefined();
    // Deleting the last mention takes the chain too; deleting an empty chain is refused.
    const deleted = applyAll(store, [{ op: "delete_span", id: "o" }]);
    expect(store.chains.size).toBe(0);
    expect(() => store.apply({ op: "delete_chain", id: "c" }, emptyChange())).toThrow();
    applyAll(store, deleted);
    expect([...store.membersOf("c")]).toEqual(["o"]);
  });
});
