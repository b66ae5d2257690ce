/**
 * Which span is selected, and the spans in reading order for stepping to the
 * next or previous one. Selecting repaints only the blocks of the old and new span.
 */
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Span } from "./types";

export interface SpanSelectionOptions {
  store: SpanStore;
  surface: Pick<Surface, "blocksOf" | "scrollToBlock">;
  paint: (blocks: Set<number>) => void;
  onSelect?: (spanId: string | null) => void;
}

export interface SpanSelection {
  readonly id: string | null;
  /** The span selected just before the current one (null after a cleared selection). */
  readonly previousId: string | null;
  select(id: string | null, opts?: { scroll?: boolean }): void;
  /** Changes the selection without painting; the blocks to repaint are added to `dirty`. */
  mark(id: string | null, dirty: Set<number>): void;
  adjacent(dir: 1 | -1): void;
  /** Spans by start, longer first on ties; cached until `spansChanged()`. */
  inOrder(): Span[];
  spansChanged(): void;
  /** Forgets the selection silently (the whole state was replaced). */
  drop(): void;
}

export function createSpanSelection(options: SpanSelectionOptions): SpanSelection {
  const { store, surface } = options;
  let selectedId: string | null = null;
  let previousId: string | null = null;
  let ordered: Span[] | null = null;

  function blocksOf(id: string | null, into: Set<number>): void {
    const span = id ? store.spans.get(id) : undefined;
    const range = span ? surface.blocksOf(span) : null;
    if (range) for (let b = range[0]; b <= range[1]; b++) into.add(b);
  }

  function mark(id: string | null, dirty: Set<number>): void {
    if (id === selectedId) return;
    previousId = selectedId;
    blocksOf(selectedId, dirty);
    selectedId = id;
    blocksOf(selectedId, dirty);
    options.onSelect?.(id);
  }

  function select(id: string | null, opts?: { scroll?: boolean }): void {
    if (id && !store.spans.has(id)) return;
    const dirty = new Set<number>();
    mark(id, dirty);
    if (dirty.size) options.paint(dirty);
    if (id && opts?.scroll) {
      const range = new Set<number>();
      blocksOf(id, range);
      surface.scrollToBlock(Math.min(...range));
    }
  }

  function inOrder(): Span[] {
    ordered ??= [...store.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    return ordered;
  }

  return {
    get id() {
      return selectedId;
    },
    get previousId() {
      return previousId && store.spans.has(previousId) ? previousId : null;
    },
    select,
    mark,
    adjacent(dir) {
      const list = inOrder();
      if (!list.length) return;
      const at = list.findIndex((s) => s.id === selectedId);
      const next =
        at < 0 ? (dir > 0 ? 0 : list.length - 1) : (at + dir + list.length) % list.length;
      select(list[next].id, { scroll: true });
    },
    inOrder,
    spansChanged() {
      ordered = null;
    },
    drop() {
      selectedId = null;
      previousId = null;
    },
  };
}
