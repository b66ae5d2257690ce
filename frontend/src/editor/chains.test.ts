import { describe, expect, it } from "vitest";
import {
  canonicalName,
  chainMentions,
  chainOps,
  changedMarks,
  deleteOps,
  highlightedMentions,
  mergeOps,
  removeOps,
  resolvedSpeaker,
} from "./chains";
import { emptyChange, SpanStore } from "./spanStore";
import { label } from "./testing";
import type { Op, Span } from "./types";

const TEXT =
  "Sekjen NATO Jens Stoltenberg tiba. Stoltenberg berkata, “Kami siap.” Menurutnya, latihan rutin.";
const at = (word: string, from = 0): [number, number] => {
  const i = TEXT.indexOf(word, from);
  return [i, i + word.length];
};
const mention = (id: string, word: string, from = 0, lbl = "PER", chain?: string): Span => {
  const [start, end] = at(word, from);
  return { id, start, end, label: lbl, attributes: {}, chain };
};
const textOf = (s: Span) => TEXT.slice(s.start, s.end);

function store(spans: Span[], chains: Array<{ id: string; name: string }> = []): SpanStore {
  return new SpanStore([label("PER"), label("ORG"), label("QUOTE")], {
    spans,
    relations: [],
    document_labels: {},
    chains,
  });
}

function apply(s: SpanStore, ops: Op[]): Op[] {
  const inverse: Op[] = [];
  for (const op of ops) inverse.unshift(...s.apply(op, emptyChange()));
  return inverse;
}

let n = 0;
const newChain = () => `c${++n}`;

describe("chains", () => {
  it("builds a chain Jens Stoltenberg / Stoltenberg / -nya with one key per mention", () => {
    const s = store([
      mention("jens", "Jens Stoltenberg"),
      mention("stolt", "Stoltenberg", 30),
      mention("nya", "nya"),
    ]);
    // Jens first: no mention before it, so it starts a chain.
    const first = chainOps(s, "jens", null, newChain);
    expect(first.result.done).toBe("started");
    apply(s, first.ops);
    const chain = s.spans.get("jens")?.chain ?? "";
    // Then each mention selected after a chained one joins that chain.
    const second = chainOps(s, "stolt", "jens", newChain);
    expect(second.result).toEqual({ done: "added", chain });
    apply(s, second.ops);
    apply(s, chainOps(s, "nya", "stolt", newChain).ops);
    expect(chainMentions(s, chain).map((m) => m.id)).toEqual(["jens", "stolt", "nya"]);
    expect(chainOps(s, "nya", "jens", newChain).result.done).toBe("already");
    const c = s.chains.get(chain);
    expect(c && canonicalName(c, chainMentions(s, chain), textOf)).toBe("Jens Stoltenberg");
  });

  it("names a chain by its name, else its longest PER/ORG mention", () => {
    const s = store(
      [mention("a", "Sekjen NATO", 0, "MISC", "c"), mention("b", "Stoltenberg", 30, "PER", "c")],
      [{ id: "c", name: "" }],
    );
    const c = { id: "c", name: "" };
    expect(canonicalName(c, chainMentions(s, "c"), textOf)).toBe("Stoltenberg");
    expect(canonicalName({ id: "c", name: "  NATO chief " }, [], textOf)).toBe("NATO chief");
    expect(canonicalName(c, [mention("x", "Sekjen NATO", 0, "MISC")], textOf)).toBe("Sekjen NATO");
  });

  it("merges two chains into one and undo splits them again", () => {
    const s = store(
      [
        mention("jens", "Jens Stoltenberg", 0, "PER", "c1"),
        mention("stolt", "Stoltenberg", 30, "PER", "c2"),
        mention("nya", "nya", 0, "PER", "c2"),
      ],
      [
        { id: "c1", name: "" },
        { id: "c2", name: "Sekjen" },
      ],
    );
    const before = s.snapshot();
    const { ops, result } = chainOps(s, "stolt", "jens", newChain);
    expect(result).toEqual({ done: "merged", chain: "c1" });
    expect(ops).toEqual(mergeOps(s, "c1", "c2"));
    const inverse = apply(s, ops);
    expect([...s.membersOf("c1")].sort()).toEqual(["jens", "nya", "stolt"]);
    expect(s.chains.has("c2")).toBe(false);
    // The name given to the chain merged away is kept.
    expect(s.chains.get("c1")?.name).toBe("Sekjen");
    apply(s, inverse);
    const after = s.snapshot();
    expect(after.spans.sort((a, b) => a.id.localeCompare(b.id))).toEqual(
      before.spans.sort((a, b) => a.id.localeCompare(b.id)),
    );
    expect(after.chains).toEqual(before.chains);
  });

  it("removes a mention (and the chain with its last one) and deletes a chain", () => {
    const s = store(
      [mention("a", "Jens", 0, "PER", "c"), mention("b", "Stoltenberg", 30, "PER", "c")],
      [{ id: "c", name: "" }],
    );
    expect(removeOps(s, "a")).toEqual([{ op: "update_span", id: "a", chain: null }]);
    apply(s, removeOps(s, "a"));
    // The chain goes with its last mention: no delete_chain (the server would refuse it).
    expect(removeOps(s, "b")).toEqual([{ op: "update_span", id: "b", chain: null }]);
    apply(s, removeOps(s, "b"));
    expect(s.chains.size).toBe(0);
    const s2 = store(
      [mention("a", "Jens", 0, "PER", "c"), mention("b", "Stoltenberg", 30, "PER", "c")],
      [{ id: "c", name: "" }],
    );
    expect(deleteOps(s2, "c")).toEqual([{ op: "delete_chain", id: "c" }]);
    const inverse = apply(s2, deleteOps(s2, "c"));
    expect(s2.chains.size).toBe(0);
    expect(s2.spans.get("a")?.chain).toBeUndefined();
    apply(s2, inverse);
    expect([...s2.membersOf("c")].sort()).toEqual(["a", "b"]);
  });

  it("highlights the hovered mention's chain, else the selected one's, and reports what changed", () => {
    const s = store(
      [
        mention("a", "Jens", 0, "PER", "c1"),
        mention("b", "Stoltenberg", 30, "PER", "c1"),
        mention("x", "NATO", 0, "ORG", "c2"),
        mention("y", "latihan", 0, "MISC"),
      ],
      [
        { id: "c1", name: "" },
        { id: "c2", name: "" },
      ],
    );
    const selected = highlightedMentions(s, null, "a");
    expect([...selected].sort()).toEqual(["a", "b"]);
    const hovered = highlightedMentions(s, "x", "a");
    expect([...hovered]).toEqual(["x"]);
    expect(highlightedMentions(s, "y", null).size).toBe(0);
    expect(changedMarks(selected, hovered).sort()).toEqual(["a", "b", "x"]);
    expect(changedMarks(selected, selected)).toEqual([]);
  });

  it("resolves a quote's speaker through the chain: dia → Jens Stoltenberg", () => {
    const s = new SpanStore([label("PER"), label("QUOTE")], {
      spans: [
        mention("jens", "Jens Stoltenberg", 0, "PER", "c"),
        mention("nya", "nya", 0, "PER", "c"),
        mention("q", "Kami siap.", 0, "QUOTE"),
        mention("q2", "latihan rutin", 0, "QUOTE"),
        mention("p", "Stoltenberg", 30, "PER"),
      ],
      relations: [
        { id: "r1", from: "q", to: "nya", label: "SPEAKER" },
        { id: "r2", from: "q2", to: "p", label: "SPEAKER" },
      ],
      document_labels: {},
      chains: [{ id: "c", name: "" }],
    });
    expect(resolvedSpeaker(s, "q", textOf)).toEqual({
      mention: "nya",
      name: "Jens Stoltenberg",
      chain: "c",
    });
    expect(resolvedSpeaker(s, "q2", textOf)).toEqual({
      mention: "Stoltenberg",
      name: null,
      chain: null,
    });
    expect(resolvedSpeaker(s, "jens", textOf)).toBeNull();
  });
});
