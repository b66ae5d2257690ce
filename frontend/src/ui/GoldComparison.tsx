/** What changed for me: my submitted spans against the gold version, once there is one
 * (when the project shows it to annotators). Only my own spans are listed. */
import { useState } from "preact/hooks";
import { type Comparison, conversationApi } from "../api/conversation";
import { ApiError } from "../api/errors";
import { t } from "../i18n";

function verdictText(row: Comparison["spans"][number]): string {
  switch (row.verdict) {
    case "match":
      return t("conversation.compare.match");
    case "label":
      return t("conversation.compare.label", { label: row.gold_label ?? "?" });
    case "extent":
      return t("conversation.compare.extent");
    default:
      return t("conversation.compare.extra");
  }
}

export function GoldComparison({
  pk,
  docId,
  spanText,
  onShowSpan,
}: {
  pk: number;
  docId: number;
  spanText: (spanId: string) => string | null;
  onShowSpan: (spanId: string) => void;
}) {
  const [result, setResult] = useState<Comparison | null>(null);
  const [error, setError] = useState("");

  async function load(): Promise<void> {
    try {
      setResult(await conversationApi.compared(pk, docId));
      setError("");
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  }

  return (
    <section class="gold-compare" aria-label={t("conversation.compare.title")}>
      <button type="button" onClick={load}>
        {t("conversation.compare.title")}
      </button>
      {error && <p role="alert">{error}</p>}
      {result && result.gold_version === null && (
        <p class="muted">{t("conversation.compare.nothing")}</p>
      )}
      {result && result.gold_version !== null && (
        <>
          <ul>
            {result.spans.map((row) => (
              <li key={row.id} class={`verdict-${row.verdict}`}>
                <button type="button" class="link-button" onClick={() => onShowSpan(row.id)}>
                  {row.label} “{spanText(row.id) ?? ""}”
                </button>{" "}
                {verdictText(row)}
              </li>
            ))}
          </ul>
          {result.missed > 0 && (
            <p class="muted">{t("conversation.compare.missed", { count: result.missed })}</p>
          )}
        </>
      )}
    </section>
  );
}
