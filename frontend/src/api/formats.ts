/**
 * The format registry as the server serves it (`GET /api/formats/`, DECISIONS.md 13).
 * The browser keeps no format list, title or suffix map of its own: menus, accepted
 * suffixes and the format a file will be read as all come from this list.
 */
import { get } from "./client";

/** A choice an export request may make for one format (`"options": {name: value}`). */
export interface ExportOption {
  name: string;
  choices: string[];
  default: string;
  help: string;
}

export interface FormatSpec {
  /** What exports (`format`) and uploads (`format` field) take. */
  name: string;
  title: string;
  offset_unit: string;
  offset_note: string;
  export: {
    scopes: string[];
    options?: ExportOption[];
    /** The scopes `options.include_unannotated` widens to every document. */
    unannotated_scopes?: string[];
    /** The request may name the span labels to tag (`options.labels`). */
    span_labels?: boolean;
  } | null;
  /** `detects_unit`: with no `offset_unit` sent, the server detects it from the spans. */
  import: { suffixes: string[]; offset_units: string[]; detects_unit?: boolean } | null;
}

export const formatsApi = {
  /** Every format, in menu order. */
  list: () => get<FormatSpec[]>("/api/formats/"),
};

export const exportFormats = (formats: FormatSpec[]) => formats.filter((f) => f.export);
export const importFormats = (formats: FormatSpec[]) => formats.filter((f) => f.import);

/** The file's last extension, lower case, as Python's `PurePath.suffix` gives it. */
export function fileSuffix(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/**
 * The format the server reads a file as when none is named: the first in the list that
 * takes its suffix (`format_for_upload`), or null when it would refuse the file.
 */
export function formatForFile(formats: FormatSpec[], name: string): FormatSpec | null {
  const suffix = fileSuffix(name);
  return formats.find((f) => suffix && f.import?.suffixes.includes(suffix)) ?? null;
}

/** Every suffix an upload may have, for the file input's `accept`. */
export function uploadSuffixes(formats: FormatSpec[]): string[] {
  return [...new Set(formats.flatMap((f) => f.import?.suffixes ?? []))];
}
