/** A document's flag: shown when set, set by anyone who may open it, cleared by reviewers. */
import { useEffect, useState } from "preact/hooks";
import { conversationApi, FLAG_REASONS, type Flag, type FlagReason } from "../api/conversation";
import { ApiError } from "../api/errors";
import { t } from "../i18n";

/** A flag reason in the interface language. */
export function reasonText(reason: string): string {
  switch (reason) {
    case "broken text":
      return t("conversation.reason.broken");
    case "duplicate":
      return t("conversation.reason.duplicate");
    case "off topic":
      return t("conversation.reason.offTopic");
    default:
      return t("conversation.reason.other");
  }
}

export function FlagControl({
  pk,
  docId,
  reviewer,
  onNotice,
}: {
  pk: number;
  docId: number;
  reviewer: boolean;
  onNotice: (message: string) => void;
}) {
  const [flag, setFlag] = useState<Flag | null>(null);
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState<FlagReason>("broken text");
  const [note, setNote] = useState("");

  useEffect(() => {
    conversationApi.flag(pk, docId).then(setFlag, () => setFlag(null));
  }, [pk, docId]);

  async function send(e: Event): Promise<void> {
    e.preventDefault();
    try {
      setFlag(await conversationApi.setFlag(pk, docId, reason, note));
      setOpen(false);
      setNote("");
      onNotice(t("conversation.flagged"));
    } catch (err) {
      onNotice(err instanceof ApiError ? err.message : String(err));
    }
  }

  async function clear(): Promise<void> {
    try {
      await conversationApi.clearFlag(pk, docId);
      setFlag(null);
      onNotice(t("conversation.flagCleared"));
    } catch (err) {
      onNotice(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <div class="flag-control">
      {flag ? (
        <span class="badge badge-flag" title={flag.note || undefined}>
          ⚑ {t("conversation.flaggedAs", { reason: reasonText(flag.reason) })}
        </span>
      ) : (
        <button type="button" aria-expanded={open} onClick={() => setOpen(!open)}>
          ⚑ {t("conversation.flag")}
        </button>
      )}
      {flag && reviewer && (
        <button type="button" class="link-button" onClick={clear}>
          {t("conversation.clearFlag")}
        </button>
      )}
      {open && !flag && (
        <form class="flag-form" onSubmit={send} aria-label={t("conversation.flag")}>
          <label>
            {t("conversation.flagReason")}
            <select
              value={reason}
              onChange={(e) => setReason((e.target as HTMLSelectElement).value as FlagReason)}
            >
              {FLAG_REASONS.map((r) => (
                <option key={r} value={r}>
                  {reasonText(r)}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t("conversation.flagNote")}
            <input
              type="text"
              value={note}
              maxLength={5000}
              onInput={(e) => setNote((e.target as HTMLInputElement).value)}
            />
          </label>
          <button type="submit" class="primary">
            {t("conversation.sendFlag")}
          </button>
        </form>
      )}
    </div>
  );
}
