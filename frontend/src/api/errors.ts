/**
 * The one reader of the API's error body (DECISIONS.md 12):
 *
 *     {"detail": "…", "code": "invalid", "errors": {"spans.3.end": ["…"]}, "current_version": 7}
 *
 * Every failed request becomes an `ApiError`; nothing else in the browser looks
 * inside an error body. A body that is not ours (a proxy's HTML page, no answer
 * at all) still gives a sentence and a code from the status.
 */
import { t } from "../i18n";

/** Messages by dotted path into the request body (`spans.3.end`, `lines.2.text`). */
export type ErrorPaths = Record<string, string[]>;

export const NON_FIELD = "non_field_errors";

const CODE_BY_STATUS: Record<number, string> = {
  0: "unreachable",
  400: "invalid",
  401: "not_authenticated",
  403: "permission_denied",
  404: "not_found",
  405: "method_not_allowed",
  409: "conflict",
  413: "payload_too_large",
  415: "unsupported_media_type",
  429: "throttled",
  503: "unavailable",
};

function fallbackDetail(status: number): string {
  if (status === 0) return t("errors.unreachable");
  if (status === 413) return t("errors.tooLarge");
  return t("errors.status", { status: String(status) });
}

function pathsOf(raw: unknown): ErrorPaths {
  const out: ErrorPaths = {};
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) return out;
  for (const [path, messages] of Object.entries(raw)) {
    const list = Array.isArray(messages) ? messages : [messages];
    out[path] = list.map((m) => (typeof m === "string" ? m : JSON.stringify(m)));
  }
  return out;
}

export class ApiError extends Error {
  readonly code: string;
  readonly detail: string;
  readonly errors: ErrorPaths;
  /** With a 409 `version_conflict`: the version the server holds now. */
  readonly currentVersion: number | null;
  /** The answer was the API's error body (false: no answer, or someone else's page). */
  readonly fromApi: boolean;
  /** With a 409 `confirm_required`: what the delete would take away (documents, annotations,
   * spans); send it again confirmed to go ahead. */
  readonly wouldDelete: Record<string, number> | null;

  /** `body` is the parsed JSON answer, or null when there was none we could read. */
  constructor(
    readonly status: number,
    body: unknown,
  ) {
    const fields = (body && typeof body === "object" ? body : {}) as Record<string, unknown>;
    const fromApi = typeof fields.detail === "string" && fields.detail !== "";
    const detail = fromApi ? (fields.detail as string) : fallbackDetail(status);
    super(detail);
    this.name = "ApiError";
    this.fromApi = fromApi;
    this.detail = detail;
    this.code =
      typeof fields.code === "string" && fields.code
        ? fields.code
        : (CODE_BY_STATUS[status] ?? (status >= 500 ? "server_error" : "invalid"));
    this.errors = pathsOf(fields.errors);
    const version = fields.current_version;
    this.currentVersion = typeof version === "number" ? version : null;
    const lost = fields.would_delete;
    this.wouldDelete =
      lost && typeof lost === "object" && !Array.isArray(lost)
        ? (lost as Record<string, number>)
        : null;
  }

  /** The session is gone: the caller must log in again. */
  get loggedOut(): boolean {
    return (
      this.status === 401 ||
      this.code === "not_authenticated" ||
      this.code === "authentication_failed"
    );
  }

  /**
   * Messages at `prefix` and below it, keyed by the rest of the path (`""` for the
   * prefix itself): `under("spans.3")` gives `{"": […], "end": […]}`.
   */
  under(prefix: string): ErrorPaths {
    const out: ErrorPaths = {};
    for (const [path, messages] of Object.entries(this.errors)) {
      if (path === prefix) out[""] = messages;
      else if (path.startsWith(`${prefix}.`)) out[path.slice(prefix.length + 1)] = messages;
    }
    return out;
  }

  /** Every message at `prefix` or below it, in one list. */
  messagesUnder(prefix: string): string[] {
    return Object.values(this.under(prefix)).flat();
  }
}

/** One line of text per form field; `detail` holds what belongs to no field. */
export type FieldErrors = Record<string, string>;

/**
 * The messages of anything thrown, by top-level field of the form that sent the
 * request (`"annotators_per_document"`, `"username"`); the rest under `detail`.
 */
export function fieldErrors(err: unknown): FieldErrors {
  if (!(err instanceof ApiError))
    return { detail: err instanceof Error ? err.message : String(err) };
  const out: FieldErrors = {};
  for (const [path, messages] of Object.entries(err.errors)) {
    const head = path.split(".")[0];
    const key = head === NON_FIELD ? "detail" : head;
    const text = messages.join(" ");
    out[key] = out[key] ? `${out[key]} ${text}` : text;
  }
  return Object.keys(out).length ? out : { detail: err.detail };
}

/** What to tell a person about anything a request threw. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
