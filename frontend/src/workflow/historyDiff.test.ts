import { beforeEach, describe, expect, it } from "vitest";
import { label } from "../editor/testing";
import { setLanguage } from "../i18n";
import { describeChanges, textReader } from "./historyDiff";

const TEXT = "Jens Stoltenberg berkata: “Kami siap,” kata dia di Brussel. 😀 NATO";
const textOf = textReader(TEXT);
const PER = { id: "p1", start: 0, end: 16, label: "PER", attributes: {} };
const QUOTE = { id: "q1", start: 27, end: 37, label: "QUOTE", attributes: {} };

describe("history lines", () => {
  beforeEach(() => setLanguage("en"));

  it("reads a whole write: added, removed, changed spans and links", () => {
    const lines = describeChanges(
      "put",
      {
        spans: {
          added: [QUOTE],
          removed: [{ id: "x", start: 51, end: 58, label: "LOC" }],
          changed: [{ before: PER, after: { ...PER, label: "ORG" } }],
        },
        relations: {
          added: [{ id: "r1", from: "q1", to: "p1", label: "SPEAKER" }],
          removed: [],
          changed: [],
        },
      },
      textOf,
    );
    expect(lines).toEqual([
      { kind: "added", text: "QUOTE “Kami siap,”" },
      { kind: "removed", text: "LOC “Brussel”" },
      { kind: "changed", text: "ORG “Jens Stoltenberg”: PER → ORG" },
      { kind: "added", text: "link SPEAKER “Kami siap,” → “Jens Stoltenberg”" },
    ]);
  });

  it("reads a batch of operations with the removed items' old values", () => {
    const lines = describeChanges(
      "patch",
      {
        ops: [
          { op: "update_span", id: "p1", end: 4 },
          { op: "delete_span", id: "q1" },
          { op: "set_document_label", group: "sentiment", value: "negative" },
        ],
        removed: { spans: [PER, QUOTE], relations: [] },
        document_labels: { before: {}, after: { sentiment: "negative" } },
        status: { before: "draft", after: "submitted" },
      },
      textOf,
    );
    expect(lines.map((l) => l.text)).toEqual([
      "PER “Jens”: moved from “Jens Stoltenberg” to “Jens”",
      "QUOTE “Kami siap,”",
      "sentiment: nothing → negative",
      "status: draft → submitted",
    ]);
    expect(lines.map((l) => l.kind)).toEqual(["changed", "removed", "changed", "changed"]);
  });

  it("counts offsets in code points, past an emoji", () => {
    const at = Array.from(TEXT).indexOf("N");
    const lines = describeChanges(
      "patch",
      {
        ops: [{ op: "add_span", span: { id: "n", start: at, end: at + 4, label: "ORG" } }],
        removed: {},
      },
      textOf,
    );
    expect(lines[0].text).toBe("ORG “NATO”");
  });

  it("says so when nothing in the content changed, in Indonesian too", () => {
    setLanguage("id");
    expect(
      describeChanges("put", { spans: { added: [], removed: [], changed: [] } }, textOf),
    ).toEqual([{ kind: "note", text: "isinya tidak berubah" }]);
    expect(describeChanges("import", {}, textOf)[0].text).toBe("diimpor");
  });
});

describe("history lines with the project's labels", () => {
  const labels = [
    label("QUOTE", "span", {
      attributes: { quote_type: ["direct", "indirect"] },
      translations: {
        en: { attributes: { quote_type: "Quote type" }, values: { direct: "Direct" } },
        id: { attributes: { quote_type: "Jenis kutipan" }, values: { direct: "Langsung" } },
      },
    }),
    ...["neutral", "negative"].map((name) =>
      label(name, "document", {
        group: "sentiment",
        translations: {
          en: { group: "Sentiment", title: name === "neutral" ? "Neutral" : "Negative" },
          id: { group: "Sentimen", title: name === "neutral" ? "Netral" : "Negatif" },
        },
      }),
    ),
  ];
  const changes = {
    ops: [{ op: "update_span", id: "q1", attributes: { quote_type: "direct" } }],
    removed: { spans: [QUOTE] },
    document_labels: { before: { sentiment: "neutral" }, after: { sentiment: "negative" } },
  };

  it("names attributes, groups and values in the interface language", () => {
    setLanguage("id");
    expect(describeChanges("patch", changes, textOf, labels).map((l) => l.text)).toEqual([
      "QUOTE “Kami siap,”: atribut Jenis kutipan=Langsung",
      "Sentimen: Netral → Negatif",
    ]);
    setLanguage("en");
    expect(describeChanges("patch", changes, textOf, labels).map((l) => l.text)).toEqual([
      "QUOTE “Kami siap,”: attributes Quote type=Direct",
      "Sentiment: Neutral → Negative",
    ]);
  });

  it("keeps the stored names without label texts", () => {
    setLanguage("id");
    expect(describeChanges("patch", changes, textOf).map((l) => l.text)).toEqual([
      "QUOTE “Kami siap,”: atribut quote type=direct",
      "sentiment: neutral → negative",
    ]);
  });
});
