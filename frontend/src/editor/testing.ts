/** Helpers for the editor's unit tests (imported by *.test.ts only). */
import type { Label } from "./types";

export function label(
  name: string,
  kind: Label["kind"] = "span",
  extra: Partial<Label> = {},
): Label {
  return {
    id: name.length,
    kind,
    name,
    color: "#e6194b",
    hotkey: "",
    description: "",
    attributes: {},
    source_labels: [],
    target_labels: [],
    group: "",
    multiple: false,
    ...extra,
  };
}

/** PER, a QUOTE with a quote type, and SPEAKER links from quotes to persons. */
export const LABELS: Label[] = [
  label("PER"),
  label("QUOTE", "span", { attributes: { quote_type: ["direct", "indirect"] } }),
  label("SPEAKER", "relation", { source_labels: ["QUOTE"], target_labels: ["PER"] }),
];

/** A host element in the document, removed by the returned function. */
export function mountHost(): [HTMLElement, () => void] {
  const host = document.createElement("div");
  document.body.appendChild(host);
  return [host, () => host.remove()];
}
