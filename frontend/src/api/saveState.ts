/**
 * Where saving an annotation stands: one shape for the editor's autosave and the
 * review page's explicit "Save gold", so both show it, and a conflict, alike.
 */
import { t } from "../i18n";
import { ApiError } from "./errors";

export type SaveStatus = "saved" | "pending" | "saving" | "offline" | "conflict" | "rejected";

export interface SaveState {
  status: SaveStatus;
  /** The version the next save is based on. */
  version: number;
  /** Why it is not saved (conflict, rejected, offline). */
  message?: string;
  /** With a conflict: the version someone else saved, when the server said. */
  theirVersion?: number;
}

/**
 * What a failed save means, and what the person reads: why it failed and what happens
 * next. A 409 is a conflict to be decided by the person; another 4xx a refusal that
 * retrying cannot fix (nothing of it was stored); no answer (or a 5xx) is retried by a
 * saver that retries (the changes wait in the browser) and otherwise left to save again.
 */
export function failedSave(
  err: unknown,
  opts: { retries: boolean },
): Pick<SaveState, "status" | "message" | "theirVersion"> {
  const api = err instanceof ApiError ? err : null;
  if (api?.status === 409)
    return {
      status: "conflict",
      message: api.detail,
      theirVersion: api.currentVersion ?? undefined,
    };
  if (api && api.status >= 400 && api.status < 500)
    return { status: "rejected", message: t("save.refused", { detail: api.detail }) };
  const server = api !== null && api.status >= 500;
  const status = String(api?.status ?? "");
  if (opts.retries)
    return {
      status: "offline",
      message: server ? t("save.serverRetrying", { status }) : t("save.offlineRetrying"),
    };
  if (api)
    return {
      status: "rejected",
      message: server ? t("save.serverOnce", { status }) : t("save.offlineOnce"),
    };
  return { status: "rejected", message: err instanceof Error ? err.message : String(err) };
}
