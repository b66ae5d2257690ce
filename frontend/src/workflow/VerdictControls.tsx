/** A reviewer's verdict on one annotator's submitted version: return it for correction with
 * a note, or accept it. */
import { useState } from "preact/hooks";
import { conversationApi, type Review } from "../api/conversation";
import { ApiError } from "../api/errors";
import { t } from "../i18n";

export function reviewStateText(state: Review["state"]): string {
  switch (state) {
    case "returned":
      return t("conversation.state.returned");
    case "resubmitted":
      return t("conversation.state.resubmitted");
    default:
      return t("conversation.state.accepted");
  }
}

export function VerdictControls({
  pk,
  docId,
  annotator,
  status,
  review,
  onDone,
  onNotice,
}: {
  pk: number;
  docId: number;
  annotator: string;
  status: string;
  review: Review | null;
  onDone: (status: string, review: Review) => void;
  onNotice: (message: string) => void;
}) {
  const [returning, setReturning] = useState(false);
  const [note, setNote] = useState("");
  const [busy, setBusy] = useState(false);

  async function run(action: "return" | "accept"): Promise<void> {
    setBusy(true);
    try {
      const verdict =
        action === "return"
          ? await conversationApi.returnAnnotation(pk, docId, annotator, note)
          : await conversationApi.acceptAnnotation(pk, docId, annotator);
      onDone(verdict.status, verdict.review);
      setReturning(false);
      setNote("");
      onNotice(
        action === "return"
          ? t("conversation.returnedDone", { name: annotator })
          : t("conversation.acceptedDone", { name: annotator }),
      );
    } catch (err) {
      onNotice(err instanceof ApiError ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div class="verdict">
      {review && (
        <p class="verdict-state">
          <span class={`badge badge-review-${review.state}`}>{reviewStateText(review.state)}</span>
          {review.note && <span class="verdict-note"> {review.note}</span>}
        </p>
      )}
      {status === "submitted" && (
        <div class="row">
          <button type="button" aria-expanded={returning} onClick={() => setReturning(!returning)}>
            {t("conversation.returnTo", { name: annotator })}
          </button>
          {review?.state !== "accepted" && (
            <button type="button" disabled={busy} onClick={() => run("accept")}>
              {t("conversation.accept")}
            </button>
          )}
        </div>
      )}
      {returning && status === "submitted" && (
        <form
          class="verdict-form"
          onSubmit={(e) => {
            e.preventDefault();
            void run("return");
          }}
        >
          <label>
            {t("conversation.returnNote")}
            <textarea
              rows={2}
              value={note}
              maxLength={5000}
              onInput={(e) => setNote((e.target as HTMLTextAreaElement).value)}
            />
          </label>
          <button type="submit" class="primary" disabled={busy}>
            {t("conversation.sendReturn")}
          </button>
        </form>
      )}
    </div>
  );
}
