/** Why an upload failed, as the upload form shows it: a summary and the errors by line. */

import { ApiError, errorMessage, NON_FIELD } from "../api/errors";
import { t } from "../i18n";

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
  const where = [
    e.line === null ? "" : t("upload.line", { line: String(e.line) }),
    e.field ? t("upload.field", { field: e.field }) : "",
  ]
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
    return { summary: `${t("upload.tooLarge")}${why}`, errors: [] };
  }
  const errors = Object.entries(err.errors).map(([path, messages]) => lineError(path, messages));
  return { summary: err.detail, errors };
}
