/**
 * What people read of a label in the editor's panels follows the interface language: the
 * palette's tooltip, the document label group and its choices, the attribute editors, the
 * span list, the help overlay. Names (PER, `positive`) stay the values the API stores.
 */
import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { DocumentReview } from "../api/workflow";
import { createEditor, type Editor } from "../editor";
import { label } from "../editor/testing";
import type { Label } from "../editor/types";
import { setLanguage } from "../i18n";
import { ProposalPanel } from "../workflow/ProposalPanel";
import { HelpOverlay } from "./Dialogs";
import { DocumentLabels } from "./DocumentLabels";
import { LabelPalette } from "./LabelPalette";
import { SpanDetails, SpanList } from "./SpanPanel";

// As the news preset serves them (annotations/presets.py), plus a label without texts.
const PER = label("PER", "span", {
  id: 1,
  hotkey: "p",
  description: "Person",
  translations: {
    en: { title: "Person", description: "A person named in the text" },
    id: { title: "Orang", description: "Orang yang disebut namanya" },
  },
});
const QUOTE = label("QUOTE", "span", {
  id: 2,
  hotkey: "q",
  attributes: { quote_type: ["direct", "indirect"], sentiment: ["positive", "negative"] },
  translations: {
    en: {
      title: "Quote",
      attributes: { quote_type: "Quote type", sentiment: "Sentiment" },
      values: {
        direct: "Direct",
        indirect: "Indirect",
        positive: "Positive",
        negative: "Negative",
      },
    },
    id: {
      title: "Kutipan",
      attributes: { quote_type: "Jenis kutipan", sentiment: "Sentimen" },
      values: { direct: "Langsung", indirect: "Tidak langsung", positive: "Positif" },
    },
  },
});
const tone = (name: string, en: string, id: string, hotkey: string) =>
  label(name, "document", {
    id: 10 + hotkey.charCodeAt(0),
    group: "sentiment",
    hotkey,
    description: `The article's overall tone is ${name}`,
    translations: {
      en: { title: en, group: "Sentiment" },
      id: { title: id, group: "Sentimen", description: `Nada artikel ${id.toLowerCase()}` },
    },
  });
const DOC = [
  tone("positive", "Positive", "Positif", "1"),
  tone("negative", "Negative", "Negatif", "2"),
];
const ECON = label("ECON", "span", {
  id: 30,
  hotkey: "x",
  description: "Economy figures",
  attributes: { unit_kind: ["money"] },
  translations: {},
});
const LABELS: Label[] = [PER, QUOTE, ECON, ...DOC];

const TEXT = "Budi: “Kami siap.” Ekonomi naik 5%.";
let host: HTMLElement;
let panel: HTMLElement;
let editor: Editor | null = null;

function open(): Editor {
  host = document.createElement("div");
  document.body.append(host);
  const q = TEXT.indexOf("Kami");
  const e = TEXT.indexOf("5%");
  editor = createEditor(host, {
    text: TEXT,
    labels: LABELS,
    state: {
      spans: [
        {
          id: "q",
          start: q,
          end: q + 10,
          label: "QUOTE",
          attributes: { quote_type: "indirect", sentiment: "positive" },
        },
        { id: "e", start: e, end: e + 2, label: "ECON", attributes: { unit_kind: "money" } },
      ],
      relations: [],
      document_labels: {},
    },
  });
  return editor;
}

function show(vnode: preact.ComponentChild): HTMLElement {
  panel = document.createElement("div");
  document.body.append(panel);
  render(vnode, panel);
  return panel;
}

afterEach(() => {
  if (panel) render(null, panel);
  panel?.remove();
  editor?.destroy();
  editor = null;
  host?.remove();
  setLanguage("en");
});

const texts = (el: Element, selector: string) =>
  [...el.querySelectorAll(selector)].map((x) => (x.textContent ?? "").trim());

describe("label texts in the panels", () => {
  it("palette: the name on the button, title and description in the tooltip", () => {
    setLanguage("id");
    const el = show(<LabelPalette labels={[PER, ECON]} onPick={() => {}} />);
    const [per, econ] = [...el.querySelectorAll("button")];
    expect(per.textContent).toBe("PERp");
    expect(per.title).toBe("Orang: Orang yang disebut namanya (p)");
    // A label without translations keeps its own description.
    expect(econ.title).toBe("Economy figures (x)");
    setLanguage("en");
    render(<LabelPalette labels={[PER]} onPick={() => {}} />, el);
    expect(el.querySelector("button")?.title).toBe("Person: A person named in the text (p)");
  });

  it("document labels: the group and its choices in the language, the values as stored", () => {
    setLanguage("id");
    const chosen: unknown[] = [];
    const el = show(
      <DocumentLabels
        labels={DOC}
        values={{ sentiment: "negative" }}
        onChange={(group, value) => chosen.push([group, value])}
      />,
    );
    expect(el.querySelector("legend")?.textContent).toBe("Sentimen dokumen");
    expect(texts(el, "label.doc-option")).toEqual(["Positif1", "Negatif2"]);
    expect(el.querySelector("label.doc-option")?.getAttribute("title")).toBe(
      "Nada artikel positif",
    );
    expect(el.querySelector("button")?.textContent).toBe("Kosongkan Sentimen");
    const radio = el.querySelector<HTMLInputElement>("input[value=positive]");
    radio?.click();
    expect(chosen).toEqual([["sentiment", "positive"]]);
    setLanguage("en");
    render(<DocumentLabels labels={DOC} values={{}} onChange={() => {}} />, el);
    expect(el.querySelector("legend")?.textContent).toBe("Document Sentiment");
    expect(texts(el, "label.doc-option")).toEqual(["Positive1", "Negative2"]);
  });

  it("span details: attribute names and values in the language, values sent as stored", () => {
    setLanguage("id");
    const ed = open();
    const span = ed.getSpan("q");
    if (!span) throw new Error("no span");
    const el = show(<SpanDetails editor={ed} span={span} labels={LABELS} linking={false} />);
    const fields = [...el.querySelectorAll("label.field")].map(
      (f) => f.firstChild?.textContent ?? "",
    );
    expect(fields).toEqual(["Label", "Jenis kutipan", "Sentimen"]);
    const type = el.querySelector<HTMLSelectElement>("select[data-attribute=quote_type]");
    expect(texts(type as HTMLSelectElement, "option")).toEqual(["—", "Langsung", "Tidak langsung"]);
    // Indonesian has no text for "negative": the English one.
    expect(
      texts(el.querySelector("select[data-attribute=sentiment]") as Element, "option"),
    ).toEqual(["—", "Positif", "Negative"]);
    expect(texts(el.querySelector("select") as Element, "option")).toEqual([
      "PER · Orang",
      "QUOTE · Kutipan",
      "ECON",
    ]);
    (type as HTMLSelectElement).value = "direct";
    type?.dispatchEvent(new Event("change", { bubbles: true }));
    expect(ed.getSpan("q")?.attributes).toEqual({ quote_type: "direct", sentiment: "positive" });
  });

  it("span details: a label without translations shows its attribute as named", () => {
    setLanguage("id");
    const ed = open();
    const span = ed.getSpan("e");
    if (!span) throw new Error("no span");
    const el = show(<SpanDetails editor={ed} span={span} labels={LABELS} linking={false} />);
    const select = el.querySelector("select[data-attribute=unit_kind]");
    expect(select?.parentElement?.firstChild?.textContent).toBe("unit kind");
    expect(texts(select as Element, "option")).toEqual(["—", "money"]);
  });

  it("span list: each span's attributes in the language", () => {
    const ed = open();
    const list = (lang: "en" | "id") => {
      setLanguage(lang);
      const el = show(
        <SpanList
          editor={ed}
          spans={ed.spansInOrder()}
          selectedId={null}
          colorOf={new Map()}
          labels={LABELS}
        />,
      );
      const meta = texts(el, ".span-meta");
      render(null, el);
      el.remove();
      return meta;
    };
    expect(list("id")).toEqual([
      "Jenis kutipan: Tidak langsung; Sentimen: Positif",
      "unit kind: money",
    ]);
    expect(list("en")).toEqual(["Quote type: Indirect; Sentiment: Positive", "unit kind: money"]);
  });

  it("help overlay: labels by name and title, the document group and value in the language", () => {
    setLanguage("id");
    const el = show(<HelpOverlay labels={LABELS} onClose={() => {}} />);
    const rows = texts(el, "tbody tr td:nth-child(2)");
    expect(rows).toContain("Beri label PER · Orang");
    expect(rows).toContain("Beri label ECON");
    expect(rows).toContain("Atur Sentimen dokumen menjadi Positif");
  });
});

describe("label texts on the review page", () => {
  const review = {
    submitted: 2,
    merge_threshold: 0.5,
    proposal: {
      annotation: { spans: [], relations: [], document_labels: {} },
      spans: [
        {
          start: 7,
          end: 17,
          label: "QUOTE",
          annotators: ["a", "b"],
          status: "majority",
          gold_id: null,
          disputed_attributes: ["quote_type"],
        },
      ],
      relations: [],
      document_labels: [
        { group: "sentiment", value: "negative", annotators: ["a"], status: "disputed" },
      ],
    },
  } as unknown as DocumentReview;

  it("proposal items: group, value and disputed attributes in the language", () => {
    setLanguage("id");
    const el = show(
      <ProposalPanel
        review={review}
        gold={{ spans: [], relations: [], document_labels: {} }}
        rejected={new Set()}
        agreedCount={0}
        colorOf={() => "#888888"}
        quote={() => "“Kami siap.”"}
        onAccept={() => {}}
        onReject={() => {}}
        onShow={() => {}}
        labels={LABELS}
      />,
    );
    const label = el.querySelector("[data-item^='label:']");
    expect(label?.querySelector(".rv-item-head > span:nth-of-type(3)")?.textContent).toBe(
      "Sentimen: Negatif",
    );
    expect(label?.querySelector("button")?.getAttribute("aria-label")).toContain(
      "Sentimen Negatif",
    );
    expect(el.querySelector(".rv-warn")?.textContent).toContain("Jenis kutipan");
    expect(el.textContent).not.toMatch(/sentiment|negative|quote.type/);
  });
});
