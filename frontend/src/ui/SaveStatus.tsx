import type { SaveState, SaveStatus as Status } from "../api/saveState";
import { t } from "../i18n";

function saveText(status: Status): string {
  const texts: Record<Status, string> = {
    saved: t("save.saved"),
    pending: t("save.pending"),
    saving: t("save.saving"),
    offline: t("save.offline"),
    conflict: t("save.conflict"),
    rejected: t("save.rejected"),
  };
  return texts[status];
}

/** The save state line of the editor page and the review page; `extra` follows the text. */
export function SaveStatus({ state, extra = "" }: { state: SaveState; extra?: string }) {
  return (
    <span class={`save save-${state.status}`} role="status" aria-live="polite">
      {saveText(state.status)}
      {extra}
    </span>
  );
}
