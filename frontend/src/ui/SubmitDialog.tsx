import { t } from "../i18n";
import { Modal } from "./Dialogs";

/** Submit asks first: what goes to the reviewers, and what happens next. Enter submits. */
export function SubmitDialog({
  spans,
  links,
  onConfirm,
  onCancel,
}: {
  spans: number;
  links: number;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <Modal title={t("submit.title")} role="alertdialog">
      <p>{t("submit.summary", { count: spans, links })}</p>
      <div class="row">
        <button type="button" class="primary" onClick={onConfirm}>
          {t("submit.confirm")}
        </button>
        <button type="button" onClick={onCancel}>
          {t("submit.cancel")}
        </button>
      </div>
    </Modal>
  );
}
