/** Fixtures for the api/ and page unit tests (imported by *.test.ts(x) only). */
import type { FormatSpec } from "./formats";

const SCOPES = { scopes: ["gold", "all", "agreed"] };

/**
 * A registry in the shape `GET /api/formats/` answers, in its order: our JSONL first
 * (it takes .jsonl before doccano), an export-only format and an import-only one.
 * The e2e tests check the pages against the server's real list.
 */
export const FORMATS: FormatSpec[] = [
  {
    name: "jsonl",
    title: "Native JSONL",
    offset_unit: "code_point",
    offset_note: "Offsets are Unicode code points into the text as stored, end exclusive.",
    export: SCOPES,
    import: { suffixes: [".jsonl", ".txt", ".csv"], offset_units: [] },
  },
  {
    name: "doccano",
    title: "doccano JSONL",
    offset_unit: "utf16",
    offset_note: "Offsets are UTF-16 code units.",
    export: SCOPES,
    import: {
      suffixes: [".jsonl"],
      offset_units: ["code_point", "utf16", "grapheme"],
      detects_unit: true,
    },
  },
  {
    name: "brat",
    title: "brat standoff",
    offset_unit: "code_point",
    offset_note: "Offsets are code points.",
    export: SCOPES,
    import: { suffixes: [".zip"], offset_units: [] },
  },
  {
    name: "csv",
    title: "CSV table",
    offset_unit: "none",
    offset_note: "No offsets.",
    export: { scopes: ["gold", "all"] },
    import: null,
  },
  {
    name: "webanno",
    title: "WebAnno TSV",
    offset_unit: "code_point",
    offset_note: "Offsets are code points.",
    export: null,
    import: { suffixes: [".tsv"], offset_units: [] },
  },
];
