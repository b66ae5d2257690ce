/**
 * Span extents from the text selection, the keyboard and edge drags: snapped to
 * words unless exact, never splitting a surrogate pair, refused with a reason
 * when they would duplicate a span or overlap one where the project forbids it.
 */

import { t } from "../i18n";
import { isFragmented, movedEdge } from "./fragments";
import { type OffsetMap, widenToCodePoints } from "./offsets";
import { moveEdgeByWord, snapToWords } from "./snap";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Op, Span } from "./types";

export type Edge = "start" | "end";

/** The code point extent a UTF-16 selection gives a span, or null when it is empty. */
export function extentOf(
  text: string,
  offsets: OffsetMap,
  [u1, u2]: [number, number],
  exact: boolean,
): [number, number] | null {
  const [s, e] = exact ? widenToCodePoints(text, u1, u2) : snapToWords(text, u1, u2);
  return e > s ? [offsets.toCodePoint(s), offsets.toCodePoint(e)] : null;
}

/**
 * The op moving one edge of `span` to code point `to`; null when nothing would
 * change, the span would be empty, or it would overlap another where forbidden.
 */
export function edgeOp(
  store: SpanStore,
  span: Span,
  edge: Edge,
  to: number,
  allowOverlap: boolean,
): Op | null {
  const start = edge === "start" ? to : span.start;
  const end = edge === "end" ? to : span.end;
  if (start >= end || to === span[edge]) return null;
  if (isFragmented(span)) {
    // An interrupted span's ends are its first fragment's start and its last one's end.
    const fragments = movedEdge(span, edge, to);
    if (!fragments || (!allowOverlap && store.overlaps(start, end, span.id, fragments)))
      return null;
    return { op: "update_span", id: span.id, start, end, fragments };
  }
  if (!allowOverlap && store.overlaps(start, end, span.id)) return null;
  return { op: "update_span", id: span.id, [edge]: to };
}

export interface SpanEditsOptions {
  surface: Surface;
  store: SpanStore;
  allowOverlap: boolean;
  apply: (ops: Op[]) => boolean;
  notice: (message: string) => void;
  /** Selects the span just added. */
  select: (id: string) => void;
}

export interface SpanEdits {
  addFromSelection(label: string, exact: boolean): Span | null;
  /** Moves both ends of a span to the text selection. */
  resizeToSelection(id: string, exact: boolean): boolean;
  /** Moves one edge by a word or a character (keyboard). */
  stepEdge(id: string, edge: Edge, dir: 1 | -1, unit: "word" | "character"): void;
  /** Moves one edge to where a drag ended; `extent` is the dragged extent in UTF-16. */
  dropEdge(id: string, edge: Edge, extent: [number, number], exact: boolean): void;
}

export function createSpanEdits(options: SpanEditsOptions): SpanEdits {
  const { surface, store, allowOverlap, apply, notice } = options;
  const { text, offsets } = surface;

  const selected = (exact: boolean) => {
    const sel = surface.selection();
    return sel ? extentOf(text, offsets, sel, exact) : null;
  };

  function moveEdge(id: string, edge: Edge, to: (span: Span) => number): void {
    const span = store.spans.get(id);
    const op = span ? edgeOp(store, span, edge, to(span), allowOverlap) : null;
    if (op) apply([op]);
  }

  return {
    addFromSelection(label, exact) {
      const extent = selected(exact);
      if (!extent) return null;
      const [start, end] = extent;
      for (const s of store.spans.values()) {
        if (s.start === start && s.end === end && s.label === label) {
          notice(t("editor.alreadyLabelled", { label }));
          return null;
        }
      }
      if (!allowOverlap && store.overlaps(start, end)) {
        notice(t("editor.noOverlap"));
        return null;
      }
      const span: Span = { id: store.newId("s"), start, end, label, attributes: {} };
      if (!apply([{ op: "add_span", span }])) return null;
      surface.clearSelection();
      options.select(span.id);
      return span;
    },
    resizeToSelection(id, exact) {
      const span = store.spans.get(id);
      const extent = span ? selected(exact) : null;
      if (!span || !extent) return false;
      const [start, end] = extent;
      if (!allowOverlap && store.overlaps(start, end, id)) {
        notice(t("editor.noOverlap"));
        return false;
      }
      if (start === span.start && end === span.end) return false;
      // Resizing an interrupted span to one stretch makes it one fragment again.
      const ok = apply([
        { op: "update_span", id, start, end, ...(isFragmented(span) ? { fragments: null } : {}) },
      ]);
      surface.clearSelection();
      return ok;
    },
    stepEdge(id, edge, dir, unit) {
      moveEdge(id, edge, (span) => {
        const from = surface.utf16Of(span)[edge === "start" ? 0 : 1];
        if (unit === "word") return offsets.toCodePoint(moveEdgeByWord(text, from, edge, dir));
        return offsets.toCodePoint(offsets.toUtf16(offsets.toCodePoint(from) + dir));
      });
    },
    dropEdge(id, edge, [u1, u2], exact) {
      const [s, e] = exact ? widenToCodePoints(text, u1, u2) : snapToWords(text, u1, u2);
      moveEdge(id, edge, () => offsets.toCodePoint(edge === "start" ? s : e));
    },
  };
}
