import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Label } from "../editor/types";
import { t } from "../i18n";
import { groupName, labelTitle, labelWithTitle } from "../i18n/labelText";
import { fixedKeys, structureKeys } from "./keys";

export function Modal({
  title,
  role = "dialog",
  onClose,
  children,
}: {
  title: string;
  role?: "dialog" | "alertdialog";
  onClose?: () => void;
  children: ComponentChildren;
}) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>("button, [tabindex]")?.focus();
  }, []);
  return (
    <div class="backdrop">
      {/* biome-ignore lint/a11y/useAriaPropsSupportedByRole: role is dialog or alertdialog, both modal */}
      <div class="modal" role={role} aria-modal="true" aria-label={title} ref={ref}>
        <h2>{title}</h2>
        {children}
        {onClose && (
          <button type="button" class="close" onClick={onClose}>
            {t("editor.closePanel")}
          </button>
        )}
      </div>
    </div>
  );
}

/**
 * A dialog's last lines: what went wrong (if anything), the action and Cancel. Without
 * `onConfirm` the action submits the dialog's form.
 */
export function DialogFooter({
  error,
  confirm,
  danger = false,
  onConfirm,
  onCancel,
}: {
  error?: string;
  confirm: string;
  danger?: boolean;
  onConfirm?: () => void;
  onCancel: () => void;
}) {
  return (
    <>
      {error && <p role="alert">{error}</p>}
      <div class="row">
        <button
          type={onConfirm ? "button" : "submit"}
          class={danger ? "danger" : "primary"}
          onClick={onConfirm}
        >
          {confirm}
        </button>
        <button type="button" onClick={onCancel}>
          {t("table.cancel")}
        </button>
      </div>
    </>
  );
}

export function HelpOverlay({ labels, onClose }: { labels: Label[]; onClose: () => void }) {
  const hotkeyed = labels.filter((l) => l.hotkey);
  return (
    <Modal title={t("help.title")} onClose={onClose}>
      <table class="keys">
        <tbody>
          {hotkeyed.map((l) => (
            <tr key={`l${l.id}`}>
              <td>
                <kbd>{l.hotkey}</kbd>
              </td>
              <td>
                {l.kind === "span" && t("help.labelAs", { name: labelWithTitle(l) })}
                {l.kind === "relation" && t("help.linkWith", { name: labelWithTitle(l) })}
                {l.kind === "document" &&
                  t("help.setDocument", {
                    group: l.group ? groupName(l.group, labels) : t("help.label"),
                    name: labelTitle(l),
                  })}
              </td>
            </tr>
          ))}
          {[...structureKeys(), ...fixedKeys()].map(([key, what]) => (
            <tr key={what}>
              <td>
                <kbd>{key}</kbd>
              </td>
              <td>{what}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Modal>
  );
}

export function ConflictDialog({
  message,
  theirVersion,
  myVersion,
  onReload,
  onOverwrite,
}: {
  message: string;
  theirVersion?: number;
  myVersion: number;
  onReload: () => void;
  onOverwrite: () => void;
}) {
  return (
    <Modal title={t("conflict.title")} role="alertdialog">
      <p>
        {theirVersion !== undefined
          ? t("conflict.textVersions", {
              theirs: String(theirVersion),
              mine: String(myVersion),
            })
          : t("conflict.text")}
      </p>
      <p class="muted">{message}</p>
      <p>{t("conflict.kept")}</p>
      <div class="row">
        <button type="button" onClick={onReload}>
          {t("conflict.reload")}
        </button>
        <button type="button" class="danger" onClick={onOverwrite}>
          {t("conflict.overwrite")}
        </button>
      </div>
    </Modal>
  );
}
