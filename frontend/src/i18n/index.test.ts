import { afterEach, describe, expect, it } from "vitest";
import { formatDate, formatNumber, formatPercent, language, setLanguage, t } from ".";

afterEach(() => setLanguage("en"));

describe("t", () => {
  it("speaks the language it is set to", () => {
    setLanguage("id");
    expect(language()).toBe("id");
    expect(t("header.logOut")).toBe("Keluar");
    setLanguage("en");
    expect(t("header.logOut")).toBe("Log out");
  });

  it("picks the plural form by the language's rules", () => {
    const values = { submitted: 0, skipped: 0, percent: "0%" };
    expect(t("progress.summary", { ...values, count: 1 })).toContain("of 1 document (");
    expect(t("progress.summary", { ...values, count: 2 })).toContain("of 2 documents (");
    setLanguage("id");
    // Indonesian has one form: no "-s", the noun does not change.
    expect(t("progress.summary", { ...values, count: 1 })).toContain("dari 1 dokumen (");
    expect(t("progress.summary", { ...values, count: 2 })).toContain("dari 2 dokumen (");
  });

  it("formats numbers it fills in for the language", () => {
    const values = { submitted: 1200, skipped: 0, percent: "0%", count: 5000 };
    expect(t("progress.summary", values)).toMatch(/^1,200 submitted, .* of 5,000 documents/);
    setLanguage("id");
    expect(t("progress.summary", values)).toMatch(/^1\.200 dikirim, .* dari 5\.000 dokumen/);
  });

  it("shows text as it is, without HTML escaping (Preact escapes)", () => {
    expect(t("projects.nothingLeftIn", { project: "R&D <b>" })).toBe(
      "Nothing left to annotate in R&D <b>.",
    );
  });
});

describe("numbers and dates", () => {
  // Expected strings are CLDR's, as every Intl implementation prints them.
  it("groups digits and marks decimals per language", () => {
    expect(formatNumber(1234567.5)).toBe("1,234,567.5");
    setLanguage("id");
    expect(formatNumber(1234567.5)).toBe("1.234.567,5");
  });

  it("writes percentages per language", () => {
    expect(formatPercent(0.825, 1)).toBe("82.5%");
    setLanguage("id");
    expect(formatPercent(0.825, 1)).toBe("82,5%");
  });

  it("writes dates with the language's month names", () => {
    const date = "2026-12-01T10:35:00Z";
    const options = { dateStyle: "long", timeZone: "UTC" } as const;
    expect(formatDate(date, options)).toBe("December 1, 2026");
    setLanguage("id");
    expect(formatDate(date, options)).toBe("1 Desember 2026");
  });

  it("leaves a value that is no date as it is", () => {
    expect(formatDate("not a date")).toBe("not a date");
  });
});
