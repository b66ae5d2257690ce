/**
 * What a person reads for a label, in the interface language. A label's `name` (PER,
 * `sentiment`, `quote_type`, `direct`) is the dataset's identifier: tags and exports keep it.
 * Titles, descriptions, group, attribute and value names come from the label's
 * `translations` (annotations/presets.py): the interface language's text, else the English
 * one, else the label's own field (a custom label without translations keeps its name and
 * description).
 */

import type { Label, LabelTexts } from "../editor/types";
import { language } from ".";

type Texts = Label["translations"];

/** The first non-empty text `pick` finds in the interface language, then in English. */
function translated(
  translations: Texts | undefined,
  pick: (texts: LabelTexts) => string | undefined,
): string | undefined {
  if (!translations) return undefined;
  for (const lang of new Set([language(), "en"])) {
    const texts = translations[lang];
    const text = texts ? pick(texts) : undefined;
    if (typeof text === "string" && text.trim()) return text;
  }
  return undefined;
}

/** "Orang" / "Person" for PER; the name when no title is given. */
export function labelTitle(label: Pick<Label, "name" | "translations">): string {
  return translated(label.translations, (x) => x.title) ?? label.name;
}

/** The label's description in the interface language, else its own (may be empty). */
export function labelDescription(label: Pick<Label, "description" | "translations">): string {
  return translated(label.translations, (x) => x.description) ?? label.description ?? "";
}

/** "PER · Orang": the identifier, with the title beside it when it says more. */
export function labelWithTitle(label: Pick<Label, "name" | "translations">): string {
  const title = labelTitle(label);
  return title === label.name ? label.name : `${label.name} · ${title}`;
}

/** A document label group's display name; `group` is its identifier ("" → "document"). */
export function groupName(group: string, labels: readonly Label[]): string {
  for (const l of labels) {
    if (l.kind !== "document" || (l.group || "document") !== group) continue;
    const text = translated(l.translations, (x) => x.group);
    if (text) return text;
  }
  return group;
}

/** "Jenis kutipan" for `quote_type`; without a text, the name with spaces ("quote type"). */
export function attributeName(label: Label | undefined, attribute: string): string {
  return (
    translated(label?.translations, (x) => x.attributes?.[attribute]) ??
    attribute.replace(/_/g, " ")
  );
}

/** "Langsung" for `direct`; without a text, the value as it is stored. */
export function attributeValue(label: Label | undefined, value: string): string {
  return translated(label?.translations, (x) => x.values?.[value]) ?? value;
}

/** A document label's value (a label name in a group) as people read it: its title. */
export function documentValueName(group: string, value: string, labels: readonly Label[]): string {
  const label = labels.find(
    (l) => l.kind === "document" && (l.group || "document") === group && l.name === value,
  );
  return label ? labelTitle(label) : value;
}

/** A span's attributes as one line: "Jenis kutipan: Langsung; Sentimen: Positif". */
export function attributesText(
  label: Label | undefined,
  attributes: Record<string, unknown>,
): string {
  return Object.entries(attributes)
    .filter(
      ([, v]) => v !== null && v !== undefined && v !== "" && !(Array.isArray(v) && !v.length),
    )
    .map(([name, v]) => {
      const values = (Array.isArray(v) ? v : [v]).map((x) => attributeValue(label, String(x)));
      return `${attributeName(label, name)}: ${values.join(", ")}`;
    })
    .join("; ");
}
