import type { SaveState, SaveStatus as Status } from "../api/saveState";

const SAVE_TEXT: Record<Status, string> = {
  saved: "All changes saved",
  pending: "Unsaved changes",
  saving: "Saving…",
  offline: "Offline: retrying…",
  conflict: "Not saved: conflict",
  rejected: "Not saved",
};

/** The save state line of the editor page and the review page; `extra` follows the text. */
export function SaveStatus({ state, extra = "" }: { state: SaveState; extra?: string }) {
  return (
    <span class={`save save-${state.status}`} role="status" aria-live="polite">
      {SAVE_TEXT[state.status]}
      {extra}
    </span>
  );
}
