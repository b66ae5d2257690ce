import { describe, expect, it } from "vitest";
import { label } from "../editor/testing";
import { blankDraft, draftOf, fieldsOf, translationsOf } from "./labelDraft";

describe("a label's texts in the form", () => {
  const quote = label("QUOTE", "span", {
    attributes: { quote_type: ["direct"] },
    translations: {
      en: { title: "Quote", description: "What someone said", attributes: { quote_type: "Type" } },
      id: { title: "Kutipan", values: { direct: "Langsung" } },
    },
  });

  it("edits titles and descriptions per language and keeps the other texts", () => {
    const draft = draftOf(quote);
    expect(draft.texts).toEqual({
      en: { title: "Quote", description: "What someone said" },
      id: { title: "Kutipan", description: "" },
    });
    draft.texts.id.description = "  Ucapan seseorang ";
    draft.texts.en.title = "";
    expect(translationsOf(draft)).toEqual({
      en: { description: "What someone said", attributes: { quote_type: "Type" } },
      id: { title: "Kutipan", description: "Ucapan seseorang", values: { direct: "Langsung" } },
    });
  });

  it("sends no language without texts (a custom label stays without translations)", () => {
    const draft = { ...blankDraft("span"), name: "ECON", description: "Economy" };
    const parsed = fieldsOf(draft, [], null);
    expect(parsed.ok && parsed.fields.translations).toEqual({});
    draft.texts.id.title = "Ekonomi";
    const again = fieldsOf(draft, [], null);
    expect(again.ok && again.fields.translations).toEqual({ id: { title: "Ekonomi" } });
  });
});
