import { describe, expect, it } from "vitest";
import type { DocumentReview } from "../api/workflow";
import type { AnnotationState, Op } from "../editor/types";
import {
  acceptOps,
  formatFigure,
  itemsWithStatus,
  passes,
  proposedItems,
  rejectOps,
  relationInGold,
  spanInGold,
} from "./proposal";

const PER = { start: 0, end: 16, label: "PER" };
const QUOTE = { start: 27, end: 37, label: "QUOTE" };
const LOC = { start: 51, end: 58, label: "LOC" };

// Shaped like GET .../review/ for two annotators who disagree on Brussel and the sentiment.
const review = {
  annotations: [
    {
      annotator: "Annotator 1",
      spans: [{ id: "l", ...LOC, attributes: { note: "x" } }],
      relations: [],
      document_labels: {},
    },
  ],
  proposal: {
    annotation: {
      spans: [
        { id: "g1", ...PER, attributes: {} },
        { id: "g2", ...QUOTE, attributes: { quote_type: "direct" } },
      ],
      relations: [{ id: "r1", from: "g2", to: "g1", label: "SPEAKER" }],
      document_labels: {},
    },
    spans: [
      { ...PER, annotators: ["a", "b"], status: "agreed", gold_id: "g1", disputed_attributes: [] },
      {
        ...QUOTE,
        annotators: ["a", "b"],
        status: "agreed",
        gold_id: "g2",
        disputed_attributes: [],
      },
      { ...LOC, annotators: ["a"], status: "disputed", gold_id: null, disputed_attributes: [] },
    ],
    relations: [
      {
        from: QUOTE,
        to: PER,
        label: "SPEAKER",
        annotators: ["a", "b"],
        status: "agreed",
        gold_id: "r1",
      },
    ],
    document_labels: [
      { group: "sentiment", value: "neutral", annotators: ["a"], status: "disputed" },
      { group: "topic", value: "war", annotators: ["a", "b"], status: "agreed" },
    ],
  },
  submitted: 2,
  merge_threshold: 0.5,
} as unknown as DocumentReview;

const empty: AnnotationState = { spans: [], relations: [], document_labels: {} };

function ids(): (p: string) => string {
  let n = 0;
  return (p) => `${p}${++n}`;
}

/** Applies ops to a plain state, enough to check what accepting does. */
function run(state: AnnotationState, ops: Op[]): AnnotationState {
  const next = structuredClone(state);
  for (const op of ops) {
    if (op.op === "add_span") next.spans.push(op.span);
    if (op.op === "add_relation") next.relations.push(op.relation);
    if (op.op === "delete_span") {
      next.spans = next.spans.filter((s) => s.id !== op.id);
      next.relations = next.relations.filter((r) => r.from !== op.id && r.to !== op.id);
    }
    if (op.op === "delete_relation") next.relations = next.relations.filter((r) => r.id !== op.id);
    if (op.op === "set_document_label") next.document_labels[op.group] = op.value;
  }
  return next;
}

describe("accepting proposal items", () => {
  it("accepts every agreed item in one step, links with their ends", () => {
    const ctx = { review, gold: empty, multipleGroups: new Set(["topic"]), newId: ids() };
    const gold = run(empty, acceptOps(itemsWithStatus(review, "agreed"), ctx));
    expect(gold.spans.map((s) => [s.start, s.end, s.label, s.attributes])).toEqual([
      [0, 16, "PER", {}],
      [27, 37, "QUOTE", { quote_type: "direct" }],
    ]);
    expect(gold.relations).toEqual([{ id: "r3", from: "s2", to: "s1", label: "SPEAKER" }]);
    expect(gold.document_labels).toEqual({ topic: ["war"] });
  });

  it("adds nothing the gold already has", () => {
    const ctx = { review, gold: empty, multipleGroups: new Set<string>(), newId: ids() };
    const gold = run(empty, acceptOps(itemsWithStatus(review, "agreed"), ctx));
    const again = acceptOps(itemsWithStatus(review, "agreed"), { ...ctx, gold });
    expect(again).toEqual([]);
  });

  it("a link accepted alone brings its ends", () => {
    const [link] = review.proposal.relations;
    const ctx = { review, gold: empty, multipleGroups: new Set<string>(), newId: ids() };
    const gold = run(empty, acceptOps([{ kind: "relation", item: link }], ctx));
    expect(gold.spans).toHaveLength(2);
    expect(relationInGold(link, gold)).toBe(true);
  });

  it("a disputed span takes its first holder's attributes", () => {
    const [, , loc] = review.proposal.spans;
    const ctx = { review, gold: empty, multipleGroups: new Set<string>(), newId: ids() };
    const gold = run(empty, acceptOps([{ kind: "span", item: loc }], ctx));
    expect(gold.spans[0].attributes).toEqual({ note: "x" });
  });
});

describe("rejecting", () => {
  it("removes a span from the gold, and its links with it", () => {
    const ctx = { review, gold: empty, multipleGroups: new Set<string>(), newId: ids() };
    const gold = run(empty, acceptOps(itemsWithStatus(review, "agreed"), ctx));
    const [per] = review.proposal.spans;
    const after = run(gold, rejectOps({ kind: "span", item: per }, { ...ctx, gold }));
    expect(spanInGold(per, after)).toBe(false);
    expect(after.relations).toEqual([]);
  });

  it("clears a single-choice label only when it holds that value", () => {
    const [neutral] = review.proposal.document_labels;
    const gold = { ...empty, document_labels: { sentiment: "negative" } };
    const ctx = { review, gold, multipleGroups: new Set<string>() };
    expect(rejectOps({ kind: "label", item: neutral }, ctx)).toEqual([]);
    const held = { ...ctx, gold: { ...empty, document_labels: { sentiment: "neutral" } } };
    expect(rejectOps({ kind: "label", item: neutral }, held)).toEqual([
      { op: "set_document_label", group: "sentiment", value: null },
    ]);
  });
});

it("formats figures, with a dash for none and no negative zero", () => {
  expect(formatFigure(0.6666)).toBe("0.67");
  expect(formatFigure(null)).toBe("—");
  expect(formatFigure(-0.001)).toBe("0.00");
  expect(formatFigure(-0.19)).toBe("-0.19");
});

describe("what a proposal may take", () => {
  it("needs everyone or a strict majority: never one of two, never half", () => {
    expect(passes(1, 2, 0.1)).toBe(false);
    expect(passes(2, 2, 1)).toBe(true);
    expect(passes(2, 3, 0.5)).toBe(true);
    expect(passes(2, 4, 0.5)).toBe(false);
    expect(passes(3, 4, 0.5)).toBe(true);
    expect(passes(3, 4, 0.8)).toBe(false);
    expect(passes(1, 1, 0.5)).toBe(true);
    expect(passes(0, 0, 0.5)).toBe(false);
  });

  it("does not take a lone mark of two even when the status says majority", () => {
    const stale = structuredClone(review) as DocumentReview;
    stale.proposal.spans[2].status = "majority"; // LOC: one of two annotators
    stale.proposal.document_labels[0].status = "majority"; // sentiment: one of two
    expect(proposedItems(stale)).toHaveLength(4); // PER, QUOTE, their link, the shared topic
    expect(proposedItems(stale).some((e) => e.kind === "span" && e.item.label === "LOC")).toBe(
      false,
    );
    expect(proposedItems(stale).some((e) => e.kind === "label" && e.item.value === "neutral")).toBe(
      false,
    );
  });
});

describe("interrupted quotes and chains in the merge", () => {
  const Q = {
    start: 1,
    end: 40,
    label: "QUOTE",
    fragments: [
      [1, 10],
      [25, 40],
    ] as Array<[number, number]>,
  };
  const JENS = { start: 50, end: 66, label: "PER" };
  const NYA = { start: 70, end: 73, label: "PER" };
  const chained = {
    annotations: [
      {
        annotator: "a",
        spans: [
          { id: "q", ...Q, attributes: { quote_type: "direct" } },
          { id: "j", ...JENS, attributes: {}, chain: "c" },
          { id: "n", ...NYA, attributes: {}, chain: "c" },
        ],
        relations: [],
        document_labels: {},
        chains: [{ id: "c", name: "" }],
      },
    ],
    proposal: {
      annotation: { spans: [], relations: [], document_labels: {} },
      spans: [
        { ...Q, annotators: ["a", "b"], status: "agreed", gold_id: null, disputed_attributes: [] },
      ],
      relations: [],
      document_labels: [],
      chains: [{ mentions: [JENS, NYA], annotators: ["a", "b"], status: "agreed", gold_id: null }],
    },
    submitted: 2,
    merge_threshold: 0.5,
  } as unknown as DocumentReview;
  const empty: AnnotationState = { spans: [], relations: [], document_labels: {} };
  let n = 0;
  const newId = (p: string) => `${p}${++n}`;

  it("matches an interrupted quote whole and accepts it with its fragments", () => {
    const [quote] = itemsWithStatus(chained, "agreed");
    const ops = acceptOps([quote], {
      review: chained,
      gold: empty,
      multipleGroups: new Set(),
      newId,
    });
    expect(ops).toEqual([
      {
        op: "add_span",
        span: expect.objectContaining({ start: 1, end: 40, fragments: Q.fragments }),
      },
    ]);
    // The same extent in one piece is another span.
    const onePiece: AnnotationState = {
      ...empty,
      spans: [{ id: "x", start: 1, end: 40, label: "QUOTE", attributes: {} }],
    };
    expect(spanInGold(Q, onePiece)).toBe(false);
    expect(spanInGold(Q, { ...empty, spans: [{ id: "y", ...Q, attributes: {} }] })).toBe(true);
  });

  it("accepts a chain with its mentions into one gold chain, and rejecting unchains them", () => {
    const chain = itemsWithStatus(chained, "agreed").find((e) => e.kind === "chain");
    if (!chain) throw new Error("no chain item");
    const gold: AnnotationState = {
      ...empty,
      spans: [{ id: "g-j", ...JENS, attributes: {}, chain: "gc" }],
      chains: [{ id: "gc", name: "Jens" }],
    };
    const ops = acceptOps([chain], { review: chained, gold, multipleGroups: new Set(), newId });
    // "nya" is added in the gold chain Jens is already in.
    expect(ops.map((o) => o.op)).toEqual(["add_span", "update_span"]);
    const added = ops[0] as Extract<Op, { op: "add_span" }>;
    expect(ops[1]).toEqual({ op: "update_span", id: added.span.id, chain: "gc" });
    const merged: AnnotationState = {
      ...gold,
      spans: [...gold.spans, { ...added.span, chain: "gc" }],
    };
    expect(rejectOps(chain, { review: chained, gold: merged, multipleGroups: new Set() })).toEqual([
      { op: "delete_chain", id: "gc" },
    ]);
    // A gold chain with a mention more is not this chain.
    const bigger: AnnotationState = {
      ...merged,
      spans: [
        ...merged.spans,
        { id: "z", start: 80, end: 82, label: "PER", attributes: {}, chain: "gc" },
      ],
    };
    expect(rejectOps(chain, { review: chained, gold: bigger, multipleGroups: new Set() })).toEqual(
      [],
    );
  });
});
