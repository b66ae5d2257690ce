/**
 * The label form's draft and its checks, without a DOM: what the admin typed, turned into
 * the API's fields, with the problems the server would also refuse (a taken or reserved
 * hotkey, an attribute without values) caught before sending.
 */

import type { FieldErrors } from "../api/errors";
import type { LabelFields, LabelWithUsage } from "../api/labels";
import type { Label } from "../editor/types";
import { LANGUAGES, type Language, t } from "../i18n";
import { RESERVED_HOTKEYS } from "../ui/keys";

export interface AttributeDraft {
  name: string;
  /** Allowed values, comma-separated as typed. */
  values: string;
}

/** The title and description people read, per interface language, as typed. */
export type TextsDraft = Record<Language, { title: string; description: string }>;

export interface LabelDraft {
  kind: Label["kind"];
  name: string;
  color: string;
  hotkey: string;
  description: string;
  attributes: AttributeDraft[];
  source_labels: string[];
  target_labels: string[];
  group: string;
  multiple: boolean;
  texts: TextsDraft;
  /** The label's `translations` as loaded: the keys the form does not edit are kept. */
  translations: NonNullable<Label["translations"]>;
}

function textsOf(translations: Label["translations"]): TextsDraft {
  const texts = {} as TextsDraft;
  for (const lang of LANGUAGES)
    texts[lang] = {
      title: translations?.[lang]?.title ?? "",
      description: translations?.[lang]?.description ?? "",
    };
  return texts;
}

export function blankDraft(kind: Label["kind"], group = ""): LabelDraft {
  return {
    kind,
    name: "",
    color: kind === "relation" ? "#555555" : "#1f77b4",
    hotkey: "",
    description: "",
    attributes: [],
    source_labels: [],
    target_labels: [],
    group,
    multiple: false,
    texts: textsOf(undefined),
    translations: {},
  };
}

export function draftOf(label: Label): LabelDraft {
  return {
    kind: label.kind,
    name: label.name,
    color: label.color,
    hotkey: label.hotkey,
    description: label.description,
    attributes: Object.entries(label.attributes ?? {}).map(([name, values]) => ({
      name,
      values: values.join(", "),
    })),
    source_labels: [...label.source_labels],
    target_labels: [...label.target_labels],
    group: label.group,
    multiple: label.multiple,
    texts: textsOf(label.translations),
    translations: label.translations ?? {},
  };
}

/**
 * The `translations` to send: the loaded ones with each language's title and description
 * as typed (an emptied field removes its key, so the reader falls back to English, then the
 * label's own name and description).
 */
export function translationsOf(draft: LabelDraft): NonNullable<Label["translations"]> {
  const out: NonNullable<Label["translations"]> = { ...draft.translations };
  for (const lang of LANGUAGES) {
    const texts = { ...(out[lang] ?? {}) };
    for (const key of ["title", "description"] as const) {
      const typed = draft.texts[lang][key].trim();
      if (typed) texts[key] = typed;
      else delete texts[key];
    }
    if (Object.keys(texts).length) out[lang] = texts;
    else delete out[lang];
  }
  return out;
}

function splitValues(text: string): string[] {
  return [
    ...new Set(
      text
        .split(",")
        .map((v) => v.trim())
        .filter(Boolean),
    ),
  ];
}

/** The hotkey's problem, if any: one of the editor's keys, or another label's. */
export function hotkeyProblem(
  hotkey: string,
  labels: readonly Label[],
  selfId: number | null,
): string | null {
  if (!hotkey) return null;
  if (RESERVED_HOTKEYS.includes(hotkey) || !hotkey.trim())
    return t("labels.hotkeyReserved", { key: hotkey });
  const clash = labels.find((l) => l.hotkey === hotkey && l.id !== selfId);
  return clash ? t("labels.hotkeyTaken", { key: hotkey, label: clash.name }) : null;
}

export type Parsed = { ok: true; fields: LabelFields } | { ok: false; errors: FieldErrors };

/** The API fields for a draft, or the problems to show beside each field. */
export function fieldsOf(
  draft: LabelDraft,
  labels: readonly Label[],
  selfId: number | null,
): Parsed {
  const errors: FieldErrors = {};
  const name = draft.name.trim();
  if (!name) errors.name = t("labels.nameNeeded");
  const hotkey = hotkeyProblem(draft.hotkey, labels, selfId);
  if (hotkey) errors.hotkey = hotkey;
  if (draft.kind === "document" && !draft.group.trim()) errors.group = t("labels.groupNeeded");
  const attributes: Record<string, string[]> = {};
  draft.attributes.forEach((a, i) => {
    const values = splitValues(a.values);
    if (!a.name.trim()) errors[`attributes.${i}.name`] = t("labels.attributeNameNeeded");
    else if (!values.length) errors[`attributes.${i}.values`] = t("labels.valuesNeeded");
    else attributes[a.name.trim()] = values;
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  const fields: LabelFields = {
    kind: draft.kind,
    name,
    color: draft.color,
    hotkey: draft.hotkey,
    description: draft.description,
    translations: translationsOf(draft),
  };
  if (draft.kind === "span") fields.attributes = attributes;
  if (draft.kind === "relation") {
    fields.source_labels = draft.source_labels;
    fields.target_labels = draft.target_labels;
  }
  if (draft.kind === "document") {
    fields.group = draft.group.trim();
    fields.multiple = draft.multiple;
  }
  return { ok: true, fields };
}

/** Every label's id in the new order after moving `id` one place up or down among the
 * labels of its kind (and group); null when it cannot move that way. */
export function movedOrder(
  labels: readonly LabelWithUsage[],
  id: number,
  step: -1 | 1,
): number[] | null {
  const ordered = [...labels].sort((a, b) => a.position - b.position || a.id - b.id);
  const label = ordered.find((l) => l.id === id);
  if (!label) return null;
  const peers = ordered.filter((l) => l.kind === label.kind && l.group === label.group);
  const at = peers.indexOf(label);
  const other = peers[at + step];
  if (!other) return null;
  const ids = ordered.map((l) => l.id);
  const i = ids.indexOf(label.id);
  const j = ids.indexOf(other.id);
  [ids[i], ids[j]] = [ids[j], ids[i]];
  return ids;
}

/** How much work a label carries, in words ("12 spans in 4 annotations"). */
export function usageText(label: LabelWithUsage): string {
  const u = label.usage;
  if (!u) return "";
  if (label.kind === "span") return t("labels.usageSpans", { count: u.spans });
  if (label.kind === "relation") return t("labels.usageLinks", { count: u.relations });
  return t("labels.usageDocuments", { count: u.annotations });
}

export function inUse(label: LabelWithUsage): boolean {
  const u = label.usage;
  return !!u && u.spans + u.relations + u.annotations > 0;
}
