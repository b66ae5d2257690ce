import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import { createEditor, type Editor } from "../editor";
import { LABELS } from "../editor/testing";
import { ChainList } from "./ChainList";
import { SpanStructure } from "./SpanStructure";

const TEXT = "Jens Stoltenberg tiba. “Kami siap,” katanya. NATO dan Stoltenberg setuju.";
const at = (word: string, from = 0) => {
  const i = TEXT.indexOf(word, from);
  return { start: i, end: i + word.length };
};

let host: HTMLElement;
let panel: HTMLElement;
let editor: Editor;

function open(): Editor {
  host = document.createElement("div");
  panel = document.createElement("div");
  document.body.append(host, panel);
  editor = createEditor(host, {
    text: TEXT,
    labels: LABELS,
    state: {
      spans: [
        { id: "jens", ...at("Jens Stoltenberg"), label: "PER", attributes: {}, chain: "c1" },
        { id: "nya", ...at("nya"), label: "PER", attributes: {}, chain: "c1" },
        { id: "stolt", ...at("Stoltenberg", 30), label: "PER", attributes: {}, chain: "c2" },
        { id: "q", ...at("Kami siap,"), label: "QUOTE", attributes: {} },
      ],
      relations: [{ id: "r", from: "q", to: "nya", label: "SPEAKER" }],
      document_labels: {},
      chains: [
        { id: "c1", name: "" },
        { id: "c2", name: "" },
      ],
    },
  });
  return editor;
}

function show(selectedId: string | null = null): void {
  render(<ChainList editor={editor} chains={editor.chains()} selectedId={selectedId} />, panel);
}

afterEach(() => {
  render(null, panel);
  editor.destroy();
  host.remove();
  panel.remove();
});

const button = (text: string) =>
  [...panel.querySelectorAll("button")].find((b) => b.textContent?.includes(text));

describe("chain list", () => {
  it("lists each chain by its canonical name with its mention count", () => {
    open();
    show();
    const names = [...panel.querySelectorAll<HTMLInputElement>(".chain-name")];
    expect(names.map((i) => i.placeholder)).toEqual(["Jens Stoltenberg", "Stoltenberg"]);
    expect(panel.textContent).toContain("2 mentions");
    expect(panel.textContent).toContain("1 mention");
  });

  it("steps through a chain's mentions, renames it and merges two chains", () => {
    open();
    show();
    button("2 mentions")?.click();
    expect(editor.selectedId).toBe("jens");
    show("jens");
    button("2 mentions")?.click();
    expect(editor.selectedId).toBe("nya");
    const name = panel.querySelector<HTMLInputElement>(".chain-name");
    if (!name) throw new Error("no name field");
    name.value = "Sekjen NATO";
    name.dispatchEvent(new Event("change"));
    expect(editor.chain("c1")?.chain.name).toBe("Sekjen NATO");
    // Merge: pick the chain to merge, then the one to merge it into.
    show();
    const merges = [...panel.querySelectorAll("button")].filter((b) =>
      b.textContent?.includes("Merge"),
    );
    merges[1].click();
    show();
    button("Merge here")?.click();
    expect(editor.chains().map((c) => c.mentions.length)).toEqual([3]);
  });

  it("deletes a chain and leaves its mentions", () => {
    open();
    show();
    button("Delete")?.click();
    expect(editor.chains()).toHaveLength(1);
    expect(editor.getSpan("jens")?.chain).toBeUndefined();
  });
});

describe("the selected span's structure", () => {
  it("shows a quote's speaker resolved through the chain", () => {
    open();
    const q = editor.getSpan("q");
    if (!q) throw new Error("no quote");
    render(<SpanStructure editor={editor} span={q} notice={() => {}} />, panel);
    expect(panel.querySelector("[data-resolved-speaker]")?.textContent).toBe(
      "Speaker: nya → Jens Stoltenberg",
    );
  });
});
