import { describe, expect, it } from "vitest";
import { formattingLocale, pageLanguage, supported } from "./language";

const page = (lang: string) => {
  const doc = document.implementation.createHTMLDocument("");
  doc.documentElement.lang = lang;
  return doc;
};
const browser = (...languages: string[]) =>
  ({ languages, language: languages[0] }) as unknown as Navigator;

describe("the page's language", () => {
  it("is the one the server wrote on <html lang>", () => {
    expect(pageLanguage(page("id"), browser("en-US"))).toBe("id");
    expect(pageLanguage(page("en"), browser("id-ID"))).toBe("en");
  });

  it("falls back to the browser's first language we speak, then English", () => {
    expect(pageLanguage(page(""), browser("fr-FR", "id-ID", "en"))).toBe("id");
    expect(pageLanguage(page(""), browser("fr-FR", "de"))).toBe("en");
  });

  it("reads regional tags by their language", () => {
    expect(supported("id-ID")).toBe("id");
    expect(supported("EN_gb")).toBe("en");
    expect(supported("ms")).toBeUndefined();
  });

  it("formats in the browser's regional variant of the interface language", () => {
    expect(formattingLocale("en", browser("id-ID", "en-GB"))).toBe("en-GB");
    expect(formattingLocale("id", browser("en-GB"))).toBe("id");
  });
});
