import type { Label } from "../editor/types";
import { t } from "../i18n";

/**
 * Span label buttons. The accessible name is exactly the label's name; the
 * hotkey is shown beside it, hidden from assistive tech. Buttons don't take
 * focus on mousedown so the text selection survives the click.
 */
export function LabelPalette({
  labels,
  onPick,
}: {
  labels: Label[];
  onPick: (name: string) => void;
}) {
  return (
    <div class="palette" role="toolbar" aria-label={t("editor.labels")}>
      {labels.map((l) => (
        <button
          type="button"
          key={l.id}
          class="label-btn"
          style={{ "--label-color": l.color }}
          title={l.description ? `${l.description} (${l.hotkey})` : undefined}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(l.name)}
        >
          <span class="swatch" aria-hidden="true" />
          {l.name}
          {l.hotkey && <kbd aria-hidden="true">{l.hotkey}</kbd>}
        </button>
      ))}
    </div>
  );
}
