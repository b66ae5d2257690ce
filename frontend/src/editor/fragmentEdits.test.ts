import { afterEach, describe, expect, it } from "vitest";
import { createEditor, type Editor } from "./editor";
import { LABELS, label } from "./testing";
import type { Label, Op } from "./types";

let editor: Editor | null = null;
let host: HTMLElement;

const WITH_CUE: Label[] = [
  ...LABELS,
  label("CUE"),
  label("CUE_OF", "relation", { name: "CUE", source_labels: ["QUOTE"], target_labels: ["CUE"] }),
];

function open(text: string, ops: Op[][] = [], allowOverlap = true, labels = LABELS): Editor {
  host = document.createElement("div");
  document.body.appendChild(host);
  editor = createEditor(host, {
    text,
    labels,
    allowOverlap,
    state: { spans: [], relations: [], document_labels: {} },
    onOps: (o) => ops.push(o),
  });
  return editor;
}

/** Selects [start, end) of the full text (UTF-16) the way a mouse drag would. */
function select(start: number, end: number): void {
  const paras = [...host.querySelectorAll<HTMLElement>("[data-block]")];
  const point = (u: number): [Node, number] => {
    let offset = 0;
    for (const p of paras) {
      const t = p.firstChild as Text;
      const text = host.textContent ?? "";
      const at = text.indexOf(t.data, offset);
      if (u >= at && u <= at + t.data.length) return [t, u - at];
      offset = at + t.data.length;
    }
    throw new Error("no point");
  };
  const range = document.createRange();
  range.setStart(...point(start));
  range.setEnd(...point(end));
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}

function selectWord(text: string, word: string, from = 0): void {
  const u = text.indexOf(word, from);
  select(u, u + word.length);
}

afterEach(() => {
  editor?.destroy();
  host.remove();
});

const INTERRUPTED =
  '"Ketinggian gelombang bisa mencapai empat meter," ujar Budi, "jadi nelayan sebaiknya tidak melaut dulu."';

describe("joining and splitting interrupted quotes", () => {
  it("joins a second stretch into the selected quote: one span, one speaker link", () => {
    const text = INTERRUPTED;
    const ops: Op[][] = [];
    const ed = open(text, ops, false);
    selectWord(text, "Ketinggian gelombang bisa mencapai empat meter,");
    const quote = ed.addSpanFromSelection("QUOTE", { exact: true });
    selectWord(text, "Budi");
    const budi = ed.addSpanFromSelection("PER");
    ed.selectSpan(quote?.id ?? null);
    selectWord(text, "jadi nelayan sebaiknya tidak melaut dulu.");
    // With overlaps forbidden, Budi inside the interruption is no obstacle.
    expect(ed.joinSelection({ exact: true })).toEqual({ done: "joined", id: quote?.id });
    const joined = ed.getSpan(quote?.id ?? "");
    const second = text.indexOf("jadi");
    expect(joined?.fragments).toEqual([
      [1, 48],
      [second, second + "jadi nelayan sebaiknya tidak melaut dulu.".length],
    ]);
    expect(ops.at(-1)).toEqual([
      {
        op: "update_span",
        id: quote?.id,
        start: 1,
        end: second + 41,
        fragments: joined?.fragments,
      },
    ]);
    // The speaker link starts from the whole quote.
    expect(ed.beginLink()).toBe(true);
    expect(ed.confirmLink(budi?.id)).toBe(true);
    expect(ed.getState().relations).toMatchObject([{ from: quote?.id, to: budi?.id }]);
    ed.undo();
    ed.undo();
    expect(ed.getSpan(quote?.id ?? "")).toMatchObject({ start: 1, end: 48 });
    expect(ed.getSpan(quote?.id ?? "")?.fragments).toBeUndefined();
    ed.redo();
    expect(ed.getSpan(quote?.id ?? "")?.fragments).toHaveLength(2);
  });

  it("joins the quote selected before into the one selected now, moving its links", () => {
    const text = INTERRUPTED;
    const ed = open(text);
    selectWord(text, "Ketinggian gelombang bisa mencapai empat meter,");
    const first = ed.addSpanFromSelection("QUOTE", { exact: true });
    selectWord(text, "Budi");
    const budi = ed.addSpanFromSelection("PER");
    selectWord(text, "jadi nelayan sebaiknya tidak melaut dulu.");
    const second = ed.addSpanFromSelection("QUOTE", { exact: true });
    ed.beginLink();
    ed.confirmLink(budi?.id);
    ed.selectSpan(first?.id ?? null);
    ed.selectSpan(second?.id ?? null);
    expect(ed.previousSelectedId).toBe(first?.id);
    expect(ed.joinSelection()).toEqual({ done: "joined", id: first?.id });
    expect(ed.getSpan(second?.id ?? "")).toBeUndefined();
    expect(ed.spansInOrder()).toHaveLength(2);
    expect(ed.relations()).toMatchObject([{ from: first?.id, to: budi?.id, label: "SPEAKER" }]);
    // One step undoes it all.
    ed.undo();
    expect(ed.getSpan(second?.id ?? "")).toBeDefined();
    expect(ed.relations()).toMatchObject([{ from: second?.id, to: budi?.id }]);
  });

  it("says why it cannot join", () => {
    const text = INTERRUPTED;
    const ed = open(text);
    expect(ed.joinSelection()).toEqual({ done: "noSpan" });
    selectWord(text, "Budi");
    const budi = ed.addSpanFromSelection("PER");
    expect(ed.joinSelection()).toEqual({ done: "nothing" });
    selectWord(text, "Ketinggian");
    ed.addSpanFromSelection("QUOTE");
    ed.selectSpan(budi?.id ?? null);
    expect(ed.joinSelection()).toEqual({ done: "otherLabel", label: "QUOTE" });
    selectWord(text, "Budi");
    expect(ed.joinSelection()).toEqual({ done: "overlap" });
  });

  it("splits a fragment off as its own quote and undo joins it back", () => {
    const text = INTERRUPTED;
    const ops: Op[][] = [];
    const ed = open(text, ops);
    selectWord(text, "Ketinggian gelombang bisa mencapai empat meter,");
    const quote = ed.addSpanFromSelection("QUOTE", { exact: true });
    ed.setAttributes(quote?.id ?? "", { quote_type: "direct" });
    selectWord(text, "jadi nelayan sebaiknya tidak melaut dulu.");
    ed.joinSelection({ exact: true });
    const newId = ed.splitFragment();
    expect(newId).toBeTruthy();
    expect(ed.getSpan(quote?.id ?? "")).toMatchObject({ start: 1, end: 48 });
    expect(ed.getSpan(newId ?? "")).toMatchObject({
      label: "QUOTE",
      start: text.indexOf("jadi"),
      attributes: { quote_type: "direct" },
    });
    expect(ops.at(-1)?.map((o) => o.op)).toEqual(["update_span", "add_span"]);
    ed.undo();
    expect(ed.getSpan(newId ?? "")).toBeUndefined();
    expect(ed.getSpan(quote?.id ?? "")?.fragments).toHaveLength(2);
  });

  it("joins across astral characters in code points", () => {
    const text = "“Kami 😀 siap,” kata 🇮🇩 Budi, “kami 👍🏽 berangkat.”";
    const ed = open(text);
    selectWord(text, "Kami 😀 siap,");
    const quote = ed.addSpanFromSelection("QUOTE", { exact: true });
    selectWord(text, "kami 👍🏽 berangkat.");
    expect(ed.joinSelection({ exact: true }).done).toBe("joined");
    const cps = Array.from(text);
    const cp = (word: string) => Array.from(text.slice(0, text.indexOf(word))).length;
    const frags = ed.getSpan(quote?.id ?? "")?.fragments ?? [];
    expect(frags).toEqual([
      [cp("Kami"), cp("Kami") + Array.from("Kami 😀 siap,").length],
      [cp("kami 👍"), cp("kami 👍") + Array.from("kami 👍🏽 berangkat.").length],
    ]);
    expect(frags.map(([s, e]) => cps.slice(s, e).join(""))).toEqual([
      "Kami 😀 siap,",
      "kami 👍🏽 berangkat.",
    ]);
  });
});

describe("cue links and chains in the editor", () => {
  it("links a quote to its cue with the relation named", () => {
    const text = INTERRUPTED;
    const ed = open(text, [], true, WITH_CUE);
    selectWord(text, "ujar");
    const cue = ed.addSpanFromSelection("CUE");
    selectWord(text, "Budi");
    ed.addSpanFromSelection("PER");
    selectWord(text, "Ketinggian gelombang");
    ed.addSpanFromSelection("QUOTE");
    expect(ed.beginLink("CUE")).toBe(true);
    expect(ed.linkRelation).toBe("CUE");
    expect(ed.confirmLink()).toBe(true);
    expect(ed.relations()).toMatchObject([{ to: cue?.id, label: "CUE" }]);
    // The speaker link does not replace the cue link.
    expect(ed.beginLink()).toBe(true);
    expect(ed.linkRelation).toBe("SPEAKER");
    ed.confirmLink();
    expect(
      ed
        .relations()
        .map((r) => r.label)
        .sort(),
    ).toEqual(["CUE", "SPEAKER"]);
  });

  it("builds a chain with the chain key and resolves the quote's speaker through it", () => {
    const text = "Jens Stoltenberg tiba. Stoltenberg berkata. “Kami siap,” katanya.";
    const ops: Op[][] = [];
    const ed = open(text, ops);
    selectWord(text, "Jens Stoltenberg");
    const jens = ed.addSpanFromSelection("PER");
    ed.selectSpan(null);
    ed.selectSpan(jens?.id ?? null);
    expect(ed.chainSelection().done).toBe("started");
    selectWord(text, "Stoltenberg", 20);
    ed.addSpanFromSelection("PER");
    expect(ed.chainSelection().done).toBe("added");
    selectWord(text, "nya");
    const nya = ed.addSpanFromSelection("PER", { exact: true });
    expect(ed.chainSelection().done).toBe("added");
    const [view] = ed.chains();
    expect(view.canonical).toBe("Jens Stoltenberg");
    expect(view.mentions.map((m) => ed.textOf(m))).toEqual([
      "Jens Stoltenberg",
      "Stoltenberg",
      "nya",
    ]);
    selectWord(text, "Kami siap,");
    const quote = ed.addSpanFromSelection("QUOTE", { exact: true });
    ed.beginLink();
    ed.confirmLink(nya?.id);
    expect(ed.resolvedSpeaker(quote?.id ?? "")).toEqual({
      mention: "nya",
      name: "Jens Stoltenberg",
      chain: view.chain.id,
    });
    ed.renameChain(view.chain.id, "Sekjen NATO");
    expect(ops.at(-1)).toEqual([{ op: "set_chain", id: view.chain.id, name: "Sekjen NATO" }]);
    expect(ed.resolvedSpeaker(quote?.id ?? "")?.name).toBe("Sekjen NATO");
    // Deleting the chain leaves the mentions, out of any chain; undo brings it back whole.
    ed.deleteChain(view.chain.id);
    expect(ed.chains()).toEqual([]);
    expect(ed.getSpan(nya?.id ?? "")?.chain).toBeUndefined();
    ed.undo();
    expect(ed.chain(view.chain.id)?.mentions).toHaveLength(3);
  });
});
