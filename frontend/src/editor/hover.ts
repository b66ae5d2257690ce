/**
 * The span under the mouse, so that an interrupted quote lights up whole and a
 * mention's chain shows while it is pointed at. Looked up at most once a frame,
 * never while a button is held (a drag is selecting text).
 */
import type { BlockIndex } from "./blockIndex";
import { pickAt } from "./layout";
import { blocksInRange } from "./paragraphs";
import { fragmentIntervals } from "./pointer";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";

export interface HoverOptions {
  surface: Surface;
  store: SpanStore;
  index: BlockIndex;
  /** The hovered span changed (null: none). */
  onHover: (id: string | null) => void;
}

export interface Hover {
  readonly id: string | null;
  /** Forgets the hovered span silently (it was deleted, or the state replaced). */
  drop(): void;
  destroy(): void;
}

export function attachHover(options: HoverOptions): Hover {
  const { surface, store, index } = options;
  const { root } = surface;
  const view = root.ownerDocument.defaultView;
  let current: string | null = null;
  let pending: { x: number; y: number; target: Element | null } | null = null;
  let frame = 0;

  function spanAt(x: number, y: number, target: Element | null): string | null {
    const onMark = target?.closest?.("[data-span]")?.getAttribute("data-span");
    if (onMark) return onMark;
    const u16 = surface.offsetAt(x, y);
    if (u16 === null || !surface.blocks.length) return null;
    const b = blocksInRange(surface.blocks, u16, u16 + 1)[0];
    const cp = surface.offsets.toCodePoint(u16);
    return pickAt(fragmentIntervals(index, store, b), cp)?.id ?? null;
  }

  function set(id: string | null): void {
    if (id === current) return;
    current = id;
    options.onHover(id);
  }

  function look(): void {
    frame = 0;
    const p = pending;
    pending = null;
    if (p) set(spanAt(p.x, p.y, p.target));
  }

  function onMove(ev: MouseEvent): void {
    if (ev.buttons) return;
    pending = { x: ev.clientX, y: ev.clientY, target: ev.target as Element | null };
    if (!frame) frame = view?.requestAnimationFrame(look) ?? 0;
  }

  function onLeave(): void {
    pending = null;
    set(null);
  }

  root.addEventListener("mousemove", onMove);
  root.addEventListener("mouseleave", onLeave);
  return {
    get id() {
      return current;
    },
    drop() {
      current = null;
    },
    destroy() {
      if (frame) view?.cancelAnimationFrame(frame);
      root.removeEventListener("mousemove", onMove);
      root.removeEventListener("mouseleave", onLeave);
    },
  };
}
