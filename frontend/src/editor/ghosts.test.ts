import { afterEach, describe, expect, it, vi } from "vitest";
import { createEditor, type Editor } from "./editor";
import { Ghosts, relationId, type SuggestionSet } from "./ghosts";
import { LABELS, mountText, span } from "./testing";
import type { Attributes, Op } from "./types";

const TEXT = "“Kami siap,” kata Jens di Brussel. “Besok,” tambahnya.";
const at = (needle: string) => [TEXT.indexOf(needle), TEXT.indexOf(needle) + needle.length];

function suggestions(): SuggestionSet {
  const [q1s, q1e] = at("“Kami siap,”");
  const [ps, pe] = at("Jens");
  const [q2s, q2e] = at("“Besok,”");
  const ghost = (id: string, start: number, end: number, label: string) => ({
    id,
    start,
    end,
    label,
    attributes: (label === "QUOTE" ? { quote_type: "direct" } : {}) as Attributes,
    score: 0.9,
    source: "quotes",
  });
  return {
    spans: [
      ghost("quotes-q1", q1s, q1e, "QUOTE"),
      ghost("quotes-s1", ps, pe, "PER"),
      ghost("quotes-q2", q2s, q2e, "QUOTE"),
    ],
    relations: [
      { from: "quotes-q1", to: "quotes-s1", label: "SPEAKER", score: 0.9, source: "quotes" },
      { from: "quotes-q2", to: "quotes-s1", label: "SPEAKER", score: 0.8, source: "quotes" },
    ],
  };
}

describe("ghosts", () => {
  it("hides what the annotation already has: same id, or same offsets and label", () => {
    const [ps, pe] = at("Jens");
    const { surface, store, unmount } = mountText(TEXT, [span("mine", ps, pe)]);
    const ghosts = new Ghosts(store, surface);
    ghosts.load(suggestions(), ["quotes-q2"]);
    expect(ghosts.inOrder().map((g) => g.id)).toEqual(["quotes-q1"]);
    unmount();
  });

  it("accepts with provenance and links to a span the annotation already has", () => {
    const [ps, pe] = at("Jens");
    const { surface, store, unmount } = mountText(TEXT, [span("mine", ps, pe)]);
    const ghosts = new Ghosts(store, surface);
    ghosts.load(suggestions());
    const { ops, accepted } = ghosts.acceptOps(["quotes-q1"], {
      allowOverlap: true,
      length: TEXT.length,
    });
    expect(accepted).toBe(1);
    expect(ops).toEqual([
      {
        op: "add_span",
        span: expect.objectContaining({ id: "quotes-q1", source: "quotes", score: 0.9 }),
      },
      {
        op: "add_relation",
        relation: {
          id: relationId("quotes-q1", "mine", "SPEAKER"),
          from: "quotes-q1",
          to: "mine",
          label: "SPEAKER",
        },
      },
    ]);
    unmount();
  });

  it("with overlap off, leaves out ghosts that would overlap", () => {
    const [qs, qe] = at("“Kami siap,”");
    const { surface, store, unmount } = mountText(TEXT, [span("mine", qs + 1, qe - 1)]);
    const ghosts = new Ghosts(store, surface);
    ghosts.load(suggestions());
    const ids = ghosts.inOrder().map((g) => g.id);
    const { accepted, skipped } = ghosts.acceptOps(ids, {
      allowOverlap: false,
      length: TEXT.length,
    });
    expect([accepted, skipped]).toEqual([2, 1]);
    unmount();
  });

  it("steps to the next ghost from an offset and wraps", () => {
    const { surface, store, unmount } = mountText(TEXT);
    const ghosts = new Ghosts(store, surface);
    ghosts.load(suggestions());
    expect(ghosts.adjacent(null, 1, 5)?.id).toBe("quotes-s1");
    expect(ghosts.adjacent("quotes-q2", 1)?.id).toBe("quotes-q1");
    expect(ghosts.adjacent("quotes-q1", -1)?.id).toBe("quotes-q2");
    unmount();
  });
});

describe("editor with suggestions", () => {
  let editor: Editor | null = null;
  let host: HTMLElement;
  afterEach(() => {
    editor?.destroy();
    host.remove();
  });

  function open(ops: Op[][], rejected: string[] = []): Editor {
    host = document.createElement("div");
    document.body.appendChild(host);
    editor = createEditor(host, {
      text: TEXT,
      labels: LABELS,
      state: { spans: [], relations: [], document_labels: {} },
      onOps: (o) => ops.push(o),
      onReject: (id) => rejected.push(id),
    });
    editor.setSuggestions(suggestions());
    return editor;
  }

  it("accept one, reject one, focus moves on; undo brings a ghost back", () => {
    const ops: Op[][] = [];
    const rejected: string[] = [];
    const ed = open(ops, rejected);
    ed.focusSuggestion("quotes-q1");
    expect(ed.acceptSuggestion()).toBe(true);
    expect(ed.getSpan("quotes-q1")).toMatchObject({ source: "quotes", score: 0.9 });
    expect(ed.focusedSuggestionId).toBe("quotes-s1");
    expect(ed.rejectSuggestion()).toBe(true);
    expect(rejected).toEqual(["quotes-s1"]);
    expect(ed.focusedSuggestionId).toBe("quotes-q2");
    expect(ed.suggestions().map((g) => g.id)).toEqual(["quotes-q2"]);
    expect(ops).toHaveLength(1);
    ed.undo();
    expect(ed.suggestions().map((g) => g.id)).toEqual(["quotes-q1", "quotes-q2"]);
  });

  it("accepting both ends adds the suggested link; accept all of a label", () => {
    const ops: Op[][] = [];
    const ed = open(ops);
    ed.acceptSuggestion("quotes-s1");
    expect(ed.acceptSuggestions({ label: "QUOTE" })).toEqual({ accepted: 2, skipped: 0 });
    expect(ed.relations().map((r) => [r.from, r.to])).toEqual([
      ["quotes-q1", "quotes-s1"],
      ["quotes-q2", "quotes-s1"],
    ]);
    expect(ed.suggestions()).toEqual([]);
  });

  it("paints ghosts with fills of their own, never the spans' ones", () => {
    // jsdom measures no text and lacks IntersectionObserver: stubbed at the boundary.
    const proto = Range.prototype as unknown as { getClientRects?: unknown };
    proto.getClientRects = function (this: Range) {
      const left = this.startOffset * 10;
      const width = (this.endOffset - this.startOffset) * 10;
      return this.collapsed
        ? []
        : [{ left, right: left + width, top: 0, bottom: 20, width, height: 20 }];
    };
    let observed: { cb: (e: unknown[]) => void; targets: Element[] } | null = null;
    class FakeObserver {
      targets: Element[] = [];
      constructor(cb: (e: unknown[]) => void) {
        observed = { cb, targets: this.targets };
      }
      observe(el: Element) {
        this.targets.push(el);
      }
      disconnect() {}
    }
    vi.stubGlobal("IntersectionObserver", FakeObserver);
    try {
      const ed = open([]);
      const seen = observed as unknown as { cb: (e: unknown[]) => void; targets: Element[] };
      seen.cb(seen.targets.map((target) => ({ target, isIntersecting: true })));
      const filled = (selector: string) =>
        new Set([...document.querySelectorAll<HTMLElement>(selector)].map((f) => f.dataset.fill));
      const ghostFills = ".wb-fill.wb-ghost-fill";
      const spanFills = ".wb-fill:not(.wb-ghost-fill)";
      expect(filled(ghostFills)).toEqual(new Set(["quotes-q1", "quotes-s1", "quotes-q2"]));
      expect(filled(spanFills).size).toBe(0);
      ed.acceptSuggestion("quotes-s1");
      // the accepted PER is a span now: painted with the spans' fill, not a ghost's
      expect(filled(spanFills)).toEqual(new Set(["quotes-s1"]));
      expect(filled(ghostFills)).toEqual(new Set(["quotes-q1", "quotes-q2"]));
      ed.showSuggestions(false);
      expect(filled(ghostFills).size).toBe(0);
    } finally {
      delete proto.getClientRects;
      vi.unstubAllGlobals();
    }
  });
});
