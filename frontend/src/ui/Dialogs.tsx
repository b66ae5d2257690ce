import type { ComponentChildren } from "preact";
import { useEffect, useRef } from "preact/hooks";
import type { Label } from "../editor/types";
import { FIXED_KEYS, structureKeys } from "./keys";

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
            Close
          </button>
        )}
      </div>
    </div>
  );
}

export function HelpOverlay({ labels, onClose }: { labels: Label[]; onClose: () => void }) {
  const hotkeyed = labels.filter((l) => l.hotkey);
  return (
    <Modal title="Keyboard shortcuts" onClose={onClose}>
      <table class="keys">
        <tbody>
          {hotkeyed.map((l) => (
            <tr key={`l${l.id}`}>
              <td>
                <kbd>{l.hotkey}</kbd>
              </td>
              <td>
                {l.kind === "span" && `Label as ${l.name}`}
                {l.kind === "relation" &&
                  `Link the selected span with ${l.name}: then click a span, or ] / [ and Enter`}
                {l.kind === "document" && `Set document ${l.group || "label"} to ${l.name}`}
              </td>
            </tr>
          ))}
          {[...structureKeys(), ...FIXED_KEYS].map(([key, what]) => (
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
    <Modal title="This annotation was changed elsewhere" role="alertdialog">
      <p>
        Your changes were not saved: this annotation was saved from another tab or by another user
        {theirVersion !== undefined
          ? ` (their version ${theirVersion}, yours was based on ${myVersion})`
          : ""}
        .
      </p>
      <p class="muted">{message}</p>
      <p>Your edits are kept on this page until you choose.</p>
      <div class="row">
        <button type="button" onClick={onReload}>
          Reload theirs
        </button>
        <button type="button" class="danger" onClick={onOverwrite}>
          Overwrite with mine
        </button>
      </div>
    </Modal>
  );
}
