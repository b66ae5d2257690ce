/**
 * The mouse on the text: a click picks the span under it (clicking the same spot
 * again cycles through overlapping spans), a drag selects text natively, and a
 * drag on a selected span's edge handle resizes it with the selection as preview.
 */
import type { BlockIndex } from "./blockIndex";
import { fragmentsOf } from "./fragments";
import { pickAt } from "./layout";
import { blocksInRange } from "./paragraphs";
import type { Edge, SpanEdits } from "./spanEdits";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Span } from "./types";

/** The spans touching a block as one interval per fragment: an interruption is not the span's. */
export function fragmentIntervals(
  index: BlockIndex,
  store: SpanStore,
  block: number,
): Array<{ id: string; start: number; end: number }> {
  const list: Array<{ id: string; start: number; end: number }> = [];
  for (const id of index.idsIn(block)) {
    const s = store.spans.get(id);
    if (!s) continue;
    for (const [start, end] of fragmentsOf(s)) list.push({ id, start, end });
  }
  return list;
}

export interface PointerOptions {
  surface: Surface;
  store: SpanStore;
  index: BlockIndex;
  edits: Pick<SpanEdits, "dropEdge">;
  /** A click chose this span, or none; `at`: the code point clicked (picks a fragment). */
  choose: (id: string | null, at?: number) => void;
  /** A click on a suggestion (ghost), or on text where only a ghost is: its id. */
  chooseGhost?: (id: string) => void;
  /** The ghost at a code point offset in a block, if any. */
  ghostAt?: (offset: number, block: number) => string | null;
}

export interface Pointer {
  /** Alt was held when the last selection was made with the mouse: keep exact characters. */
  readonly exact: boolean;
  /** The next selection does not come from the mouse (find, keyboard). */
  forgetExact(): void;
  destroy(): void;
}

export function attachPointer(options: PointerOptions): Pointer {
  const { surface, store, index, edits, choose } = options;
  const { root, offsets } = surface;
  const doc = root.ownerDocument;
  let exact = false;
  let lastClick: { offset: number; id: string | null } | null = null;

  function spanAtOffset(u16: number): Span | undefined {
    const b = blocksInRange(surface.blocks, u16, u16 + 1)[0];
    const cp = offsets.toCodePoint(u16);
    const here = fragmentIntervals(index, store, b);
    const current = lastClick && lastClick.offset === cp ? lastClick.id : null;
    const hit = pickAt(here, cp, current) ?? pickAt(here, cp - 1, current);
    lastClick = { offset: cp, id: hit?.id ?? null };
    return hit ? store.spans.get(hit.id) : undefined;
  }

  function startEdgeDrag(id: string, edge: Edge): void {
    const span = store.spans.get(id);
    if (!span) return;
    const [s0, e0] = surface.utf16Of(span);
    const extent = (x: number, y: number): [number, number] | null => {
      const at = surface.offsetAt(x, y);
      if (at === null) return null;
      const [s, e] = edge === "start" ? [at, e0] : [s0, at];
      return s < e ? [s, e] : null;
    };
    const move = (ev: MouseEvent) => {
      const next = extent(ev.clientX, ev.clientY);
      if (next) surface.select(next[0], next[1]);
    };
    const up = (ev: MouseEvent) => {
      doc.removeEventListener("mousemove", move);
      doc.removeEventListener("mouseup", up, true);
      ev.stopPropagation();
      surface.clearSelection();
      const next = extent(ev.clientX, ev.clientY);
      if (next) edits.dropEdge(id, edge, next, ev.altKey);
    };
    doc.addEventListener("mousemove", move);
    doc.addEventListener("mouseup", up, true);
  }

  function onMouseDown(ev: MouseEvent): void {
    const target = ev.target as HTMLElement;
    const edge = target.getAttribute?.("data-handle");
    const handleSpan = target.getAttribute?.("data-span");
    if ((edge === "start" || edge === "end") && handleSpan) {
      ev.preventDefault();
      startEdgeDrag(handleSpan, edge);
      return;
    }
    const spanId = target.closest?.("[data-span]")?.getAttribute("data-span");
    if (spanId) {
      ev.preventDefault();
      const at = surface.offsetAt(ev.clientX, ev.clientY);
      choose(spanId, at === null ? undefined : offsets.toCodePoint(at));
      return;
    }
    const ghostId = target.closest?.("[data-ghost]")?.getAttribute("data-ghost");
    if (ghostId && options.chooseGhost) {
      ev.preventDefault();
      options.chooseGhost(ghostId);
    }
  }

  function onMouseUp(ev: MouseEvent): void {
    exact = ev.altKey;
    const sel = doc.getSelection();
    if (sel && !sel.isCollapsed) return;
    if ((ev.target as HTMLElement).closest?.("[data-span], [data-ghost]")) return;
    const offset = surface.offsetAt(ev.clientX, ev.clientY);
    if (offset === null) return;
    const span = spanAtOffset(offset);
    const block = blocksInRange(surface.blocks, offset, offset + 1)[0];
    const ghost = span ? null : (options.ghostAt?.(offsets.toCodePoint(offset), block) ?? null);
    if (ghost && options.chooseGhost) options.chooseGhost(ghost);
    else choose(span?.id ?? null, offsets.toCodePoint(offset));
  }

  root.addEventListener("mousedown", onMouseDown);
  root.addEventListener("mouseup", onMouseUp);
  return {
    get exact() {
      return exact;
    },
    forgetExact() {
      exact = false;
    },
    destroy() {
      root.removeEventListener("mousedown", onMouseDown);
      root.removeEventListener("mouseup", onMouseUp);
    },
  };
}
