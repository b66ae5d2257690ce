import type { DocumentLabelValue, Label } from "../editor/types";
import { t } from "../i18n";
import { groupName, labelDescription, labelTitle } from "../i18n/labelText";

/**
 * One control per document label group: radios for single choice, checkboxes for multiple.
 * The group and its labels read in the interface language; values stay the labels' names.
 */
export function DocumentLabels({
  labels,
  values,
  onChange,
}: {
  labels: Label[];
  values: Record<string, DocumentLabelValue>;
  onChange: (group: string, value: DocumentLabelValue) => void;
}) {
  const groups = new Map<string, Label[]>();
  for (const l of labels) {
    const g = l.group || "document";
    groups.set(g, [...(groups.get(g) ?? []), l]);
  }
  return (
    <div class="doc-labels">
      {[...groups].map(([group, options]) => {
        const multiple = options.some((o) => o.multiple);
        const value = values[group] ?? null;
        const chosen = Array.isArray(value) ? value : value ? [value] : [];
        const name = groupName(group, options);
        return (
          <fieldset key={group} class="doc-group">
            <legend>{t("docLabels.group", { group: name })}</legend>
            {options.map((o) => (
              <label
                key={o.id}
                class="doc-option"
                style={{ "--label-color": o.color }}
                title={labelDescription(o) || undefined}
              >
                <input
                  type={multiple ? "checkbox" : "radio"}
                  name={`doc-${group}`}
                  value={o.name}
                  checked={chosen.includes(o.name)}
                  onChange={() => {
                    if (!multiple) onChange(group, o.name);
                    else {
                      const next = chosen.includes(o.name)
                        ? chosen.filter((c) => c !== o.name)
                        : [...chosen, o.name];
                      onChange(group, next);
                    }
                  }}
                />
                {labelTitle(o)}
                {o.hotkey && <kbd aria-hidden="true">{o.hotkey}</kbd>}
              </label>
            ))}
            {!multiple && value && (
              <button type="button" class="link-button" onClick={() => onChange(group, null)}>
                {t("docLabels.clear", { group: name })}
              </button>
            )}
          </fieldset>
        );
      })}
    </div>
  );
}
