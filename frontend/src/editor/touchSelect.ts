/**
 * Selecting text with a finger (DECISIONS.md 63): a tap on a word selects the word, a tap
 * on another word extends the selection from the first to it, a tap on the selected word
 * (or on white space) clears it. The selection is the page's own, so a label key or a
 * palette button labels it exactly as a mouse selection. A tap on a span while nothing is
 * being selected is left to the browser's click, so it selects the span as a mouse click
 * does; Chromium's long-press selection and its handles keep working (a long press is not a
 * tap) and a selection made with them simply starts over the next tap.
 */
import type { BlockIndex } from "./blockIndex";
import { blocksInRange } from "./paragraphs";
import { snapToWords } from "./snap";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";

/** A UTF-16 extent [start, end). */
export type Extent16 = [number, number];

// A touch that moves further or lasts longer is a scroll or a long press, not a tap.
const TAP_SLOP_PX = 10;
const TAP_MS = 450;

/** The word (UTF-16) at offset `i`, or null on white space or punctuation alone. */
export function wordAt(text: string, i: number): Extent16 | null {
  if (i < 0 || i >= text.length) return null;
  const [s, e] = snapToWords(text, i, i + 1);
  return s < e && /[\p{L}\p{N}]/u.test(text.slice(s, e)) ? [s, e] : null;
}

/**
 * What a tap at `at` does: `anchor` is the word the current tap selection started from
 * (null when none); the answer is the new anchor and the extent to select (null: clear).
 */
export function tapSelection(
  text: string,
  anchor: Extent16 | null,
  at: number,
): { anchor: Extent16 | null; select: Extent16 | null } {
  const word = wordAt(text, at);
  if (!word) return { anchor: null, select: null };
  if (!anchor) return { anchor: word, select: word };
  if (word[0] === anchor[0] && word[1] === anchor[1]) return { anchor: null, select: null };
  return {
    anchor,
    select: [Math.min(anchor[0], word[0]), Math.max(anchor[1], word[1])],
  };
}

export interface TouchSelectOptions {
  surface: Surface;
  store: SpanStore;
  index: BlockIndex;
}

export function attachTouchSelect({ surface, store, index }: TouchSelectOptions): {
  destroy(): void;
} {
  const { root, text, offsets } = surface;
  let start: { x: number; y: number; time: number } | null = null;
  let anchor: Extent16 | null = null;
  let selected: Extent16 | null = null;

  const spanAt = (u16: number): boolean => {
    const block = blocksInRange(surface.blocks, u16, u16 + 1)[0];
    const cp = offsets.toCodePoint(u16);
    for (const id of index.idsIn(block)) {
      const span = store.spans.get(id);
      if (span && span.start <= cp && cp < span.end) return true;
    }
    return false;
  };

  function onTouchStart(ev: TouchEvent): void {
    const touch = ev.touches.length === 1 ? ev.touches[0] : null;
    start = touch ? { x: touch.clientX, y: touch.clientY, time: ev.timeStamp } : null;
  }

  function onTouchEnd(ev: TouchEvent): void {
    const touch = ev.changedTouches[0];
    const began = start;
    start = null;
    if (!began || !touch || ev.touches.length > 0) return;
    const moved = Math.hypot(touch.clientX - began.x, touch.clientY - began.y);
    if (moved > TAP_SLOP_PX || ev.timeStamp - began.time > TAP_MS) return;
    const at = surface.offsetAt(touch.clientX, touch.clientY);
    if (at === null) return;
    // A selection changed by other means (handles, keyboard, find) starts over.
    const now = surface.selection();
    if (!selected || !now || now[0] !== selected[0] || now[1] !== selected[1]) anchor = null;
    if (!anchor && spanAt(at)) return; // the click that follows selects the span
    // No mouse events after this tap: they would collapse the selection just made.
    ev.preventDefault();
    const next = tapSelection(text, anchor, at);
    anchor = next.anchor;
    selected = next.select;
    if (selected) surface.select(selected[0], selected[1]);
    else surface.clearSelection();
  }

  root.addEventListener("touchstart", onTouchStart, { passive: true });
  root.addEventListener("touchend", onTouchEnd, { passive: false });
  return {
    destroy() {
      root.removeEventListener("touchstart", onTouchStart);
      root.removeEventListener("touchend", onTouchEnd);
    },
  };
}
