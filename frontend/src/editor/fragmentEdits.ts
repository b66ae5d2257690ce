/**
 * Joining and splitting interrupted spans from the editor: the selected quote
 * takes in the text selection (or the span selected just before it) as another
 * fragment, and gives one back as a span of its own. Refusals come back as a
 * reason code for the shell to put in words.
 */
import { fragmentsOf, joinOps, splitOps } from "./fragments";
import { extentOf } from "./spanEdits";
import type { SpanSelection } from "./spanSelection";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Fragment, Op, Span } from "./types";

export type JoinResult =
  /** Joined: `id` is the one span now holding every fragment. */
  | { done: "joined"; id: string }
  /** No span is selected. */
  | { done: "noSpan" }
  /** Neither a text selection nor a span selected before to join with. */
  | { done: "nothing" }
  /** The two spans have different labels. */
  | { done: "otherLabel"; label: string }
  /** The stretch overlaps the span (or, where forbidden, another span). */
  | { done: "overlap" }
  | { done: "failed" };

export interface FragmentEditsOptions {
  surface: Surface;
  store: SpanStore;
  selection: Pick<SpanSelection, "id" | "previousId" | "select">;
  allowOverlap: boolean;
  apply: (ops: Op[]) => boolean;
}

export interface FragmentEdits {
  join(exact: boolean): JoinResult;
  /** Takes fragment `index` out of span `id` as a span of its own; the new span's id. */
  split(id: string, index: number): string | null;
}

export function createFragmentEdits(options: FragmentEditsOptions): FragmentEdits {
  const { surface, store, selection, allowOverlap, apply } = options;

  /** What the selected span is joined with: a text stretch, or the span selected before. */
  function partner(exact: boolean): { kept: Span; other: Span | Fragment } | JoinResult {
    const selected = selection.id ? store.spans.get(selection.id) : undefined;
    if (!selected) return { done: "noSpan" };
    const sel = surface.selection();
    if (sel) {
      const extent = extentOf(surface.text, surface.offsets, sel, exact);
      return extent ? { kept: selected, other: extent } : { done: "nothing" };
    }
    const previous = selection.previousId ? store.spans.get(selection.previousId) : undefined;
    if (!previous) return { done: "nothing" };
    if (previous.label !== selected.label) return { done: "otherLabel", label: previous.label };
    // The quote chosen first keeps its id (and its speaker link).
    return { kept: previous, other: selected };
  }

  return {
    join(exact) {
      const found = partner(exact);
      if ("done" in found) return found;
      const { kept, other } = found;
      const ops = joinOps(kept, other, store.relations.values(), () => store.newId("r"));
      if (!ops) return { done: "overlap" };
      if (!allowOverlap) {
        const update = ops.find((o) => o.op === "update_span");
        const fragments = update?.op === "update_span" ? update.fragments : null;
        const list = fragments ?? fragmentsOf(kept);
        const ignore = Array.isArray(other) ? [kept.id] : [kept.id, other.id];
        const start = list[0][0];
        const end = list[list.length - 1][1];
        if (store.overlaps(start, end, ignore, list)) return { done: "overlap" };
      }
      if (!apply(ops)) return { done: "failed" };
      surface.clearSelection();
      selection.select(kept.id);
      return { done: "joined", id: kept.id };
    },
    split(id, index) {
      const span = store.spans.get(id);
      const newId = store.newId("s");
      const ops = span ? splitOps(span, index, newId) : null;
      return ops && apply(ops) ? newId : null;
    },
  };
}
