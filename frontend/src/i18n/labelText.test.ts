import { afterEach, describe, expect, it } from "vitest";
import { label as makeLabel } from "../editor/testing";
import type { Label } from "../editor/types";
import { setLanguage } from ".";
import {
  attributeName,
  attributesText,
  attributeValue,
  documentValueName,
  groupName,
  labelDescription,
  labelTitle,
  labelWithTitle,
} from "./labelText";

afterEach(() => setLanguage("en"));

// The editor tests' label factory, called with fields as this file writes them.
const label = (fields: Partial<Label>): Label =>
  makeLabel(fields.name ?? "X", fields.kind ?? "span", fields);

// The news preset's QUOTE and a sentiment document label, as the API serves them.
const quote = label({
  name: "QUOTE",
  description: "The quoted words, without the quotation marks' speaker tag",
  attributes: { quote_type: ["direct", "indirect"], sentiment: ["positive", "negative"] },
  translations: {
    en: {
      title: "Quote",
      description: "What someone said",
      attributes: { quote_type: "Quote type", sentiment: "Sentiment" },
      values: { direct: "Direct", indirect: "Indirect", positive: "Positive" },
    },
    id: {
      title: "Kutipan",
      description: "Ucapan seseorang",
      attributes: { quote_type: "Jenis kutipan", sentiment: "Sentimen" },
      values: { direct: "Langsung", indirect: "Tidak langsung", positive: "Positif" },
    },
  },
});
const positive = label({
  id: 2,
  kind: "document",
  name: "positive",
  group: "sentiment",
  description: "The article's overall tone is positive",
  translations: {
    en: { title: "Positive", group: "Sentiment" },
    id: { title: "Positif", group: "Sentimen", description: "Nada artikel positif" },
  },
});
// A label made in the labels page: no translations at all.
const custom = label({
  id: 3,
  name: "ECON",
  description: "Economy figures",
  attributes: { unit_kind: ["money"] },
  translations: {},
});

describe("label texts", () => {
  it("follow the interface language", () => {
    setLanguage("id");
    expect(labelTitle(quote)).toBe("Kutipan");
    expect(labelDescription(quote)).toBe("Ucapan seseorang");
    expect(attributeName(quote, "quote_type")).toBe("Jenis kutipan");
    expect(attributeValue(quote, "indirect")).toBe("Tidak langsung");
    expect(groupName("sentiment", [quote, positive])).toBe("Sentimen");
    expect(documentValueName("sentiment", "positive", [positive])).toBe("Positif");
    setLanguage("en");
    expect(labelTitle(quote)).toBe("Quote");
    expect(labelDescription(quote)).toBe("What someone said");
    expect(attributeName(quote, "quote_type")).toBe("Quote type");
    expect(attributeValue(quote, "direct")).toBe("Direct");
    expect(groupName("sentiment", [positive])).toBe("Sentiment");
  });

  it("fall back to English, then to the label's own fields", () => {
    setLanguage("id");
    // `positive` has an Indonesian description only: English falls back to its own.
    expect(labelDescription(positive)).toBe("Nada artikel positif");
    setLanguage("en");
    expect(labelDescription(positive)).toBe("The article's overall tone is positive");
    const englishOnly = label({ name: "PER", translations: { en: { title: "Person" } } });
    setLanguage("id");
    expect(labelTitle(englishOnly)).toBe("Person");
    // An empty text is no text.
    expect(labelTitle(label({ name: "LOC", translations: { id: { title: " " } } }))).toBe("LOC");
  });

  it("keep a custom label's name, description and attribute names", () => {
    for (const lang of ["en", "id"] as const) {
      setLanguage(lang);
      expect(labelTitle(custom)).toBe("ECON");
      expect(labelWithTitle(custom)).toBe("ECON");
      expect(labelDescription(custom)).toBe("Economy figures");
      expect(attributeName(custom, "unit_kind")).toBe("unit kind");
      expect(attributeValue(custom, "money")).toBe("money");
      expect(groupName("document", [custom])).toBe("document");
      expect(documentValueName("tone", "calm", [positive])).toBe("calm");
    }
    expect(labelTitle(label({ name: "OLD", translations: undefined }))).toBe("OLD");
  });

  it("show the identifier beside the title", () => {
    setLanguage("id");
    expect(labelWithTitle(quote)).toBe("QUOTE · Kutipan");
  });

  it("write a span's attributes as one line, skipping empty ones", () => {
    setLanguage("id");
    expect(
      attributesText(quote, { quote_type: "direct", sentiment: ["positive", "odd"], x: "" }),
    ).toBe("Jenis kutipan: Langsung; Sentimen: Positif, odd");
    expect(attributesText(undefined, { quote_type: "direct" })).toBe("quote type: direct");
  });
});
