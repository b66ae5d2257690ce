/** What the upload form shows: the reader a file will get, and why an upload failed. */

import type { UploadFormat } from "../api/admin";
import { ApiError, errorMessage, NON_FIELD } from "../api/errors";

/** Mirrors FORMAT_BY_SUFFIX in annotations/importing.py; anything else is read as native. */
const FORMAT_BY_SUFFIX: Record<string, UploadFormat> = {
  ".zip": "brat",
  ".json": "label-studio",
  ".conll": "conll",
  ".iob": "conll",
};

const NATIVE_SUFFIXES = new Set([".txt", ".jsonl", ".csv"]);

export function fileSuffix(name: string): string {
  const base = name.slice(name.lastIndexOf("/") + 1);
  const dot = base.lastIndexOf(".");
  return dot > 0 ? base.slice(dot).toLowerCase() : "";
}

/** The format the server will pick when none is named, or null if it will refuse the file. */
export function inferFormat(name: string): UploadFormat | null {
  const suffix = fileSuffix(name);
  if (suffix in FORMAT_BY_SUFFIX) return FORMAT_BY_SUFFIX[suffix];
  return NATIVE_SUFFIXES.has(suffix) ? "native" : null;
}

export interface LineError {
  line: number | null;
  field: string | null;
  message: string;
}

export interface UploadFailure {
  summary: string;
  errors: LineError[];
}

/** An entry of the error body's `errors`: `lines.3.text` is line 3's field `text`. */
function lineError(path: string, messages: string[]): LineError {
  const message = messages.join(" ");
  const match = /^lines\.(\d+)(?:\.(.+))?$/.exec(path);
  if (match) return { line: Number(match[1]), field: match[2] ?? null, message };
  return { line: null, field: path === NON_FIELD ? null : path, message };
}

/** One line of text for a per-line error: "Line 3, field text: required". */
export function describeLineError(e: LineError): string {
  const where = [e.line === null ? "" : `Line ${e.line}`, e.field ? `field ${e.field}` : ""]
    .filter(Boolean)
    .join(", ");
  return where ? `${where}: ${e.message}` : e.message;
}

/** Turns whatever the upload threw into a summary and the server's per-line errors. */
export function uploadFailure(err: unknown): UploadFailure {
  if (!(err instanceof ApiError)) return { summary: errorMessage(err), errors: [] };
  if (err.status === 413) {
    // A proxy's 413 has no body of ours: then there is nothing more to say.
    const why = err.fromApi ? ` ${err.detail}` : "";
    return { summary: `The file is too large.${why}`, errors: [] };
  }
  const errors = Object.entries(err.errors).map(([path, messages]) => lineError(path, messages));
  return { summary: err.detail, errors };
}
