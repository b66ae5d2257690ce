import { useState } from "preact/hooks";
import { ApiError } from "../api/errors";
import { workflowApi } from "../api/workflow";
import { t } from "../i18n";

/**
 * Admins: make the reviewed document a hidden gold check, or no longer one. A check needs
 * saved gold (the server says so too); annotators are never told which documents are checks.
 */
export function CheckToggle({
  pk,
  docId,
  initial,
  hasGold,
}: {
  pk: number;
  docId: number;
  initial: boolean;
  hasGold: boolean;
}) {
  const [isCheck, setIsCheck] = useState(initial);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState("");

  async function toggle(): Promise<void> {
    setBusy(true);
    setMessage("");
    try {
      const saved = await workflowApi.setCheck(pk, docId, !isCheck);
      setIsCheck(saved.is_check);
      setMessage(saved.is_check ? t("checks.marked") : t("checks.unmarked"));
    } catch (err) {
      const why = err instanceof ApiError ? err.messagesUnder("is_check")[0] || err.detail : "";
      setMessage(t("checks.failed", { reason: why || String(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section class="rv-check" aria-labelledby="rv-check-heading">
      <h2 id="rv-check-heading">{t("checks.title")}</h2>
      <p class="muted">{isCheck ? t("checks.isCheck") : t("checks.about")}</p>
      <button type="button" disabled={busy || (!isCheck && !hasGold)} onClick={() => toggle()}>
        {isCheck ? t("checks.unmark") : t("checks.mark")}
      </button>
      {!isCheck && !hasGold && <p class="muted">{t("checks.needsGold")}</p>}
      <p role="status">{message}</p>
    </section>
  );
}
