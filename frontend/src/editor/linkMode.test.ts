import { describe, expect, it } from "vitest";
import { createLinkMode } from "./linkMode";
import { emptyChange, SpanStore } from "./spanStore";
import { LABELS, span } from "./testing";
import type { Op, Span } from "./types";

function setup(spans: Span[]) {
  const store = new SpanStore(LABELS, { spans, relations: [], document_labels: {} });
  const applied: Op[][] = [];
  const notices: string[] = [];
  const modes: Array<string | null> = [];
  let repaints = 0;
  const links = createLinkMode({
    store,
    relationLabels: LABELS.filter((l) => l.kind === "relation"),
    apply: (ops) => {
      applied.push(ops);
      for (const op of ops) store.apply(op, emptyChange());
      return true;
    },
    repaint: () => repaints++,
    onNotice: (m) => notices.push(m),
    onLinkMode: (id) => modes.push(id),
  });
  return { store, links, applied, notices, modes, repaints: () => repaints };
}

// A quote between two persons: "far" 30 code points before it, "near" right after it.
const FAR = span("far", 0, 4, "PER");
const QUOTE = span("q", 34, 60, "QUOTE");
const NEAR = span("near", 66, 70, "PER");

describe("link mode", () => {
  it("offers the targets nearest the quote first and links the first on confirm", () => {
    const { store, links, applied, modes } = setup([FAR, QUOTE, NEAR]);
    expect(links.begin(QUOTE)).toBe(true);
    expect(links.candidates).toEqual(["near", "far"]);
    expect(links.candidateIds.has("far")).toBe(true);
    expect(links.confirm()).toBe(true);
    expect([...store.relations.values()]).toMatchObject([
      { from: "q", to: "near", label: "SPEAKER" },
    ]);
    expect(applied).toHaveLength(1);
    expect(links.sourceId).toBeNull();
    expect(modes).toEqual(["q", null]);
  });

  it("cycles through candidates both ways", () => {
    const { links } = setup([FAR, QUOTE, NEAR]);
    links.begin(QUOTE);
    links.cycle(1);
    expect(links.candidates).toEqual(["far", "near"]);
    links.cycle(-1);
    expect(links.candidates).toEqual(["near", "far"]);
  });

  it("replaces the quote's speaker in the same step", () => {
    const { store, links, applied } = setup([FAR, QUOTE, NEAR]);
    links.begin(QUOTE);
    links.confirm("far");
    const [first] = store.relations.keys();
    links.begin(QUOTE);
    links.confirm("near");
    expect(applied[1][0]).toEqual({ op: "delete_relation", id: first });
    expect([...store.relations.values()]).toMatchObject([{ from: "q", to: "near" }]);
  });

  it("says why it cannot start: no linkable source, or nothing to link to", () => {
    const { links, notices } = setup([QUOTE]);
    expect(links.begin(undefined)).toBe(false);
    expect(links.begin(span("p", 0, 4, "PER"))).toBe(false);
    expect(links.begin(QUOTE)).toBe(false);
    expect(notices).toEqual([
      "Select a span that can have a link (e.g. a QUOTE) first.",
      "Select a span that can have a link (e.g. a QUOTE) first.",
      "No PER span to link to yet.",
    ]);
  });

  it("cancel leaves link mode and repaints; drop leaves it silently", () => {
    const { links, modes, repaints } = setup([QUOTE, NEAR]);
    links.begin(QUOTE);
    const before = repaints();
    links.cancel();
    expect(links.sourceId).toBeNull();
    expect(links.candidates).toEqual([]);
    expect(repaints()).toBe(before + 1);
    expect(modes).toEqual(["q", null]);
    links.begin(QUOTE);
    links.drop();
    expect(links.sourceId).toBeNull();
    expect(modes).toEqual(["q", null, "q"]);
    expect(links.confirm()).toBe(false);
  });
});
