import { render } from "preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Label } from "../editor/types";
import { setLanguage } from "../i18n";
import { DocumentLabels } from "./DocumentLabels";

const sentiment = (name: string, id: string, en: string): Label => ({
  id: name.length,
  kind: "document",
  name,
  color: "#757575",
  hotkey: "",
  description: "",
  attributes: {},
  source_labels: [],
  target_labels: [],
  group: "sentiment",
  multiple: false,
  translations: {
    en: { title: en, group: "Sentiment" },
    id: { title: id, group: "Sentimen" },
  },
});

function mount(labels: Label[]) {
  const el = document.createElement("div");
  render(<DocumentLabels labels={labels} values={{}} onChange={() => undefined} />, el);
  return el;
}

describe("DocumentLabels", () => {
  afterEach(() => setLanguage("en"));

  it("shows the group and its options in the interface language, named as they are stored", () => {
    setLanguage("id");
    const el = mount([
      sentiment("positive", "Positif", "Positive"),
      sentiment("negative", "Negatif", "Negative"),
    ]);
    expect(el.querySelector("legend")?.textContent).toBe("Sentimen dokumen");
    expect([...el.querySelectorAll("label")].map((l) => l.textContent)).toEqual([
      "Positif",
      "Negatif",
    ]);
    expect([...el.querySelectorAll("input")].map((i) => i.value)).toEqual(["positive", "negative"]);
  });

  it("falls back to the names when a label has no texts of its own", () => {
    const bare = { ...sentiment("neutral", "", ""), translations: undefined };
    const el = mount([bare]);
    expect(el.querySelector("legend")?.textContent).toBe("Document sentiment");
    expect(el.querySelector("label")?.textContent).toBe("neutral");
  });
});
