/**
 * A label's own texts in the interface language (its `translations`, set per project or by
 * the preset), falling back to its names: the name stays the identifier files and the API
 * use, the title is what a person reads.
 */
import type { Label, LabelTexts } from "../editor/types";
import { language } from ".";

function texts(label: Label | undefined): LabelTexts {
  return label?.translations?.[language()] ?? {};
}

/** A document label's option text ("Negatif" for `negative`). */
export function labelTitle(label: Label): string {
  return texts(label).title || label.name;
}

/** A document label group's name ("Sentimen" for `sentiment`). */
export function groupName(label: Label | undefined, group: string): string {
  return texts(label).group || group;
}

/** A span label's attribute name ("Jenis kutipan" for `quote_type`). */
export function attributeName(label: Label | undefined, name: string): string {
  return texts(label).attributes?.[name] || name.replace(/_/g, " ");
}

/** A span label's attribute value ("Langsung" for `direct`). */
export function valueName(label: Label | undefined, value: string): string {
  return texts(label).values?.[value] || value;
}
