import { useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { t } from "../i18n";
import { Modal } from "./Dialogs";

/** What a delete would take away, as the server counted it (`would_delete`), in words. */
export function lostWork(counts: Record<string, number>): string {
  const parts = [
    counts.documents ? t("trash.documents", { count: counts.documents }) : "",
    counts.annotations ? t("trash.annotations", { count: counts.annotations }) : "",
    counts.spans ? t("trash.spans", { count: counts.spans }) : "",
  ].filter(Boolean);
  return parts.join(", ");
}

/**
 * A delete that may take work away. The first request goes unconfirmed: what holds no work
 * goes at once; for the rest the server answers what would be lost, which is shown before the
 * request is sent again confirmed. What is deleted stays restorable from the trash.
 */
export function ConfirmDelete({
  label,
  title,
  send,
  onDone,
}: {
  label: string;
  title: string;
  send: (confirm: boolean) => Promise<void>;
  onDone: () => void;
}) {
  const [lost, setLost] = useState<Record<string, number> | null>(null);
  const [error, setError] = useState("");
  const attempt = async (confirm: boolean) => {
    setError("");
    try {
      await send(confirm);
      setLost(null);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.code === "confirm_required" && err.wouldDelete) {
        setLost(err.wouldDelete);
      } else {
        setError(err instanceof Error ? err.message : String(err));
      }
    }
  };
  return (
    <>
      <button type="button" class="danger" onClick={() => attempt(false)}>
        {label}
      </button>
      {error && !lost && <p role="alert">{error}</p>}
      {lost && (
        <Modal title={title} role="alertdialog">
          <p>{t("trash.wouldDelete", { what: lostWork(lost) })}</p>
          <p class="muted">{t("trash.restorable")}</p>
          {error && <p role="alert">{error}</p>}
          <div class="row">
            <button type="button" class="danger" onClick={() => attempt(true)}>
              {t("trash.deleteAnyway")}
            </button>
            <button type="button" onClick={() => setLost(null)}>
              {t("trash.keep")}
            </button>
          </div>
        </Modal>
      )}
    </>
  );
}
