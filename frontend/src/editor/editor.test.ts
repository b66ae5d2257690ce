import { afterEach, describe, expect, it } from "vitest";
import { createEditor, type Editor } from "./editor";
import { LABELS } from "./testing";
import type { Op } from "./types";

let editor: Editor | null = null;
let host: HTMLElement;

function open(text: string, ops: Op[][] = []): Editor {
  host = document.createElement("div");
  document.body.appendChild(host);
  editor = createEditor(host, {
    text,
    labels: LABELS,
    state: { spans: [], relations: [], document_labels: {} },
    onOps: (o) => ops.push(o),
  });
  return editor;
}

/** Selects [start, end) of the full text (UTF-16) the way a mouse drag would. */
function select(text: string, start: number, end: number): void {
  const paras = [...host.querySelectorAll<HTMLElement>("[data-block]")];
  let offset = 0;
  const point = (u: number): [Node, number] => {
    for (const p of paras) {
      const t = p.firstChild as Text;
      const at = text.indexOf(t.data, offset);
      if (u >= at && u <= at + t.data.length) return [t, u - at];
    }
    throw new Error("no point");
  };
  const [sn, so] = point(start);
  offset = 0;
  const [en, eo] = point(end);
  const range = document.createRange();
  range.setStart(sn, so);
  range.setEnd(en, eo);
  const sel = document.getSelection();
  sel?.removeAllRanges();
  sel?.addRange(range);
}

afterEach(() => {
  editor?.destroy();
  host.remove();
});

describe("editor core", () => {
  it("renders the text as text, never as HTML", () => {
    const text = "<img src=x onerror=alert(1)> and <b>bold</b>";
    open(text);
    expect(host.querySelector("img")).toBeNull();
    expect(host.textContent).toContain("<img src=x onerror=alert(1)>");
  });

  it("turns a selection after emoji and CRLF into code point offsets", () => {
    const text = "😀🇮🇩 Intro\r\n\r\nSekjen NATO Jens Stoltenberg berkata.";
    const ops: Op[][] = [];
    const ed = open(text, ops);
    const u = text.indexOf("Jens");
    select(text, u + 1, u + "Jens Stolt".length);
    const span = ed.addSpanFromSelection("PER");
    const cp = Array.from(text.slice(0, u)).length;
    expect(span).toMatchObject({ start: cp, end: cp + "Jens Stoltenberg".length, label: "PER" });
    expect(ops[0][0]).toMatchObject({ op: "add_span" });
    expect(ed.selectedId).toBe(span?.id);
  });

  it("keeps exact characters when asked", () => {
    const text = "Jens Stoltenberg";
    const ed = open(text);
    select(text, 1, 4);
    expect(ed.addSpanFromSelection("PER", { exact: true })).toMatchObject({ start: 1, end: 4 });
  });

  it("widens an exact selection that splits a surrogate pair", () => {
    const text = "a😀b😀c";
    const ed = open(text);
    select(text, 2, 5);
    expect(ed.addSpanFromSelection("PER", { exact: true })).toMatchObject({ start: 1, end: 4 });
  });

  it("undoes and redoes a delete together with the speaker link", () => {
    const text = '"We stay firm," said Jens Stoltenberg.';
    const ops: Op[][] = [];
    const ed = open(text, ops);
    select(text, 0, 15);
    const quote = ed.addSpanFromSelection("QUOTE");
    const u = text.indexOf("Jens");
    select(text, u, u + 4);
    const per = ed.addSpanFromSelection("PER");
    ed.selectSpan(quote?.id ?? null);
    expect(ed.beginLink()).toBe(true);
    expect(ed.confirmLink()).toBe(true);
    expect(ed.relations()).toMatchObject([{ from: quote?.id, to: per?.id, label: "SPEAKER" }]);
    ed.deleteSpan(per?.id ?? "");
    expect(ed.relations()).toHaveLength(0);
    ed.undo();
    expect(ed.relations()).toHaveLength(1);
    ed.redo();
    expect(ed.relations()).toHaveLength(0);
    expect(ops.at(-1)).toEqual([{ op: "delete_span", id: per?.id }]);
  });

  it("relabels, resizes by word and sets document labels as undoable steps", () => {
    const text = "Jens Stoltenberg said";
    const ed = open(text);
    select(text, 0, 4);
    const span = ed.addSpanFromSelection("PER");
    const id = span?.id ?? "";
    ed.resize(id, "end", 1, "word");
    expect(ed.getSpan(id)).toMatchObject({ start: 0, end: 16 });
    ed.relabel(id, "QUOTE");
    expect(ed.getSpan(id)?.label).toBe("QUOTE");
    ed.setDocumentLabel("sentiment", "negative");
    expect(ed.documentLabels().sentiment).toBe("negative");
    ed.undo();
    ed.undo();
    expect(ed.getSpan(id)?.label).toBe("PER");
    expect(ed.documentLabels().sentiment ?? null).toBeNull();
  });

  it("relabels a quote to PER with the op the server trims alike, and undo brings the type back", () => {
    const text = "“Kami siap,” kata Jens.";
    const ops: Op[][] = [];
    const ed = open(text, ops);
    select(text, 1, 10);
    const id = ed.addSpanFromSelection("QUOTE")?.id ?? "";
    ed.setAttributes(id, { quote_type: "direct" });
    ed.relabel(id, "PER");
    expect(ops.at(-1)).toEqual([{ op: "update_span", id, label: "PER" }]);
    expect(ed.getState().spans).toMatchObject([{ id, label: "PER", attributes: {} }]);
    ed.undo();
    expect(ops.at(-1)).toEqual([
      { op: "update_span", id, label: "QUOTE", attributes: { quote_type: "direct" } },
    ]);
    expect(ed.getSpan(id)).toMatchObject({ label: "QUOTE", attributes: { quote_type: "direct" } });
  });

  it("moves a span's ends to a new selection and treats an outside start as the text start", () => {
    const text = "Sekjen NATO Jens Stoltenberg berkata";
    const ed = open(text);
    select(text, 12, 16);
    const id = ed.addSpanFromSelection("PER")?.id ?? "";
    select(text, 7, 20);
    expect(ed.resizeToSelection(id)).toBe(true);
    expect(ed.getSpan(id)).toMatchObject({ start: 7, end: 28 });
    ed.undo();
    expect(ed.getSpan(id)).toMatchObject({ start: 12, end: 16 });
  });

  it("finds text and selects it so a hotkey can label it without a mouse", () => {
    const text = "NATO chief Jens Stoltenberg said.\r\n\r\n😀 Stoltenberg again.";
    const ed = open(text);
    expect(ed.findAndSelect("stoltenberg")).toBe(true);
    expect(ed.findAndSelect("stoltenberg")).toBe(true);
    const span = ed.addSpanFromSelection("PER");
    const u = text.lastIndexOf("Stoltenberg");
    expect(span).toMatchObject({ start: Array.from(text.slice(0, u)).length, label: "PER" });
    expect(ed.findAndSelect("nowhere")).toBe(false);
  });
});
