import { describe, expect, it } from "vitest";
import { exportFormats, fileSuffix, formatForFile, importFormats, uploadSuffixes } from "./formats";
import { FORMATS } from "./testing";

describe("the format registry in the browser", () => {
  it("lists export and import formats in the server's order", () => {
    expect(exportFormats(FORMATS).map((f) => f.name)).toEqual(["jsonl", "doccano", "brat", "csv"]);
    expect(importFormats(FORMATS).map((f) => f.name)).toEqual([
      "jsonl",
      "doccano",
      "brat",
      "webanno",
    ]);
    expect(uploadSuffixes(FORMATS)).toEqual([".jsonl", ".txt", ".csv", ".zip", ".tsv"]);
  });

  it("reads a file as the first format taking its suffix, as the server does", () => {
    expect(formatForFile(FORMATS, "docs.jsonl")?.name).toBe("jsonl");
    expect(formatForFile(FORMATS, "DOCS.CSV")?.name).toBe("jsonl");
    expect(formatForFile(FORMATS, "standoff.zip")?.name).toBe("brat");
    expect(formatForFile(FORMATS, "corpus.tsv")?.name).toBe("webanno");
  });

  it("finds none when the server would refuse the file", () => {
    expect(formatForFile(FORMATS, "README")).toBeNull();
    expect(formatForFile(FORMATS, "table.xlsx")).toBeNull();
    expect(formatForFile(FORMATS, ".jsonl")).toBeNull();
    expect(formatForFile([], "docs.jsonl")).toBeNull();
  });

  it("takes only the last extension of the base name", () => {
    expect(fileSuffix("a.b/c.tar.gz")).toBe(".gz");
    expect(fileSuffix("dir.v2/file")).toBe("");
  });
});
