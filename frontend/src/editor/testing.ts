/** Helpers for the editor's unit tests (imported by *.test.ts only). */
import { BlockIndex } from "./blockIndex";
import { SpanStore } from "./spanStore";
import { renderSurface } from "./surface";
import type { Label, Span } from "./types";

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

/**
 * `text` rendered into the document, with `spans` in a store and the block index:
 * what most editor modules sit on. `unmount` removes it all.
 */
export function mountText(text: string, spans: Span[] = []) {
  const host = document.createElement("div");
  document.body.appendChild(host);
  const surface = renderSurface(host, text);
  const store = new SpanStore(LABELS, { spans, relations: [], document_labels: {} });
  const index = new BlockIndex(surface);
  index.rebuild(store.spans.values());
  const unmount = () => {
    surface.destroy();
    host.remove();
  };
  return { surface, store, index, unmount };
}

export function span(id: string, start: number, end: number, label = "PER"): Span {
  return { id, start, end, label, attributes: {} };
}
