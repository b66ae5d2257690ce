import type { Label } from "../editor/types";
import { t } from "../i18n";
import { labelDescription, labelTitle } from "../i18n/labelText";

/**
 * Span label buttons. The accessible name is exactly the label's name (the dataset's
 * identifier); the tooltip gives its title and description in the interface language. The
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
          title={paletteTip(l)}
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => onPick(l.name)}
        >
          <span class="swatch" aria-hidden="true" />
          <span translate={false}>{l.name}</span>
          {l.hotkey && <kbd aria-hidden="true">{l.hotkey}</kbd>}
        </button>
      ))}
    </div>
  );
}

/** "Orang: Orang yang disebut namanya… (p)"; the parts a label has. */
export function paletteTip(label: Label): string | undefined {
  const title = labelTitle(label);
  const description = labelDescription(label);
  const parts = [title !== label.name ? title : "", description].filter(Boolean);
  if (!parts.length) return undefined;
  const text = parts.join(": ");
  return label.hotkey ? `${text} (${label.hotkey})` : text;
}
