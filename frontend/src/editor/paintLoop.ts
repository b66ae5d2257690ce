/**
 * The paint loop: paints the blocks on (or near) screen and only those, repaints
 * the blocks a change touched, and draws the links whose ends are painted.
 * Every pass measures all it needs before writing to the DOM, so one edit costs
 * at most one layout.
 */
import type { BlockIndex } from "./blockIndex";
import { fillColor } from "./colors";
import { fragmentsUtf16 } from "./fragments";
import { type PaintedGhosts, unpaintGhosts, writeGhosts } from "./ghostPainter";
import type { Ghosts } from "./ghosts";
import { createSignpostLayer, type LinkEnds, signposts, type TagBox } from "./linkSignposts";
import { createLinkLayer, drawLinks, type LinkDrawing, type LinkEnd } from "./links";
import {
  measureBlock,
  type PaintContext,
  type PaintedBlock,
  type PaintSpan,
  unpaintBlock,
  writeBlock,
} from "./painter";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Label } from "./types";
import { createViewport } from "./viewport";

export interface PaintLoopOptions {
  surface: Surface;
  store: SpanStore;
  index: BlockIndex;
  labels: Label[];
  scrollRoot: Element | null;
  /** What is selected and which spans are link candidates, read at each paint. */
  marks: () => {
    selectedId: string | null;
    candidateIds: ReadonlySet<string>;
    focusedGhostId?: string | null;
    chainIds?: ReadonlySet<string>;
    hoverId?: string | null;
  };
  /** Suggestions, painted as ghosts beside the spans (see ghostPainter.ts). */
  ghosts?: Ghosts;
  onPaint?: (info: { blocks: number; ms: number }) => void;
  /** Goes to a span (a signpost of a link whose other end is off screen was pressed). */
  jump?: (spanId: string) => void;
}

export interface PaintLoop {
  /** Repaints these blocks (those on screen; the others are only unpainted). */
  paint(blocks: Iterable<number>, links?: boolean): void;
  /**
   * Runs `fn`, painting what it asked to paint once, at its end: an action that changes
   * the annotation and then the selection measures and writes each block once.
   */
  batch<T>(fn: () => T): T;
  /** Repaints every painted block, e.g. when the selection marks changed everywhere. */
  repaintPainted(): void;
  redrawLinks(): void;
  /** A span moved or changed: its cached off-screen link end is no longer valid. */
  forgetAnchor(spanId: string): void;
  /** Drops every painted block and paints what is on screen afresh (after replacing the state). */
  reset(): void;
  /** Starts watching which blocks are on screen; the first paint follows. */
  start(): void;
  whenPainted(): Promise<void>;
  destroy(): void;
}

const FALLBACK_COLOR = "#888888";

export function createPaintLoop(options: PaintLoopOptions): PaintLoop {
  const { surface, store, index } = options;
  const { blocks, blockEls, root } = surface;
  const doc = root.ownerDocument;
  const colorOf = new Map(options.labels.map((l) => [l.name, l.color]));
  // Fills in the span labels' colours: a span's, and a ghost's fainter one.
  const spanLabels = options.labels.filter((l) => l.kind === "span");
  const fillOf = new Map(spanLabels.map((l) => [l.name, fillColor(l.color, 0.3)]));
  const ghostFillOf = new Map(spanLabels.map((l) => [l.name, fillColor(l.color, 0.1)]));
  const linkLayer = createLinkLayer(doc);
  root.insertBefore(linkLayer, root.firstChild);
  const signs = options.jump ? createSignpostLayer(doc, linkLayer, options.jump) : null;
  if (signs) root.appendChild(signs.element);
  let drawnLinks: LinkEnds[] = [];
  let signsPending = false;
  const ghosts = options.ghosts;
  const ghostLinkLayer = ghosts ? createLinkLayer(doc, "wb-links wb-ghost-links") : null;
  if (ghostLinkLayer) root.insertBefore(ghostLinkLayer, root.firstChild);
  const paintedGhosts = new Map<number, PaintedGhosts>();
  const painted = new Map<number, PaintedBlock>();
  const offscreenAnchors = new Map<string, LinkEnd>();
  const canMeasure = typeof Range.prototype.getClientRects === "function";
  let paintWaiters: Array<() => void> = [];

  const ctx = (): PaintContext & { focusedGhostId?: string | null } => options.marks();

  function unpaint(b: number): void {
    const old = painted.get(b);
    if (old) unpaintBlock(old);
    painted.delete(b);
    const ghostsOf = paintedGhosts.get(b);
    if (ghostsOf) unpaintGhosts(ghostsOf);
    paintedGhosts.delete(b);
  }

  function ghostSpansOf(b: number): PaintSpan[] {
    const list: PaintSpan[] = [];
    if (!ghosts?.visible) return list;
    for (const id of ghosts.index.idsIn(b)) {
      const ghost = ghosts.get(id);
      if (!ghost || !ghosts.shown(id)) continue;
      const [start, end] = surface.utf16Of(ghost);
      const color = colorOf.get(ghost.label) ?? FALLBACK_COLOR;
      const fill = ghostFillOf.get(ghost.label);
      list.push({ id, label: ghost.label, color, fill, start, end });
    }
    return list;
  }

  function paintSpansOf(b: number): PaintSpan[] {
    const list: PaintSpan[] = [];
    const { start: blockStart, end: blockEnd } = blocks[b];
    for (const id of index.idsIn(b)) {
      const span = store.spans.get(id);
      if (!span) continue;
      const color = colorOf.get(span.label) ?? FALLBACK_COLOR;
      const fill = fillOf.get(span.label);
      if (!span.fragments || span.fragments.length < 2) {
        const [start, end] = surface.utf16Of(span);
        list.push({ id, label: span.label, color, fill, start, end });
        continue;
      }
      // An interrupted span: each fragment painted alike, the interruptions as connectors.
      const parts = fragmentsUtf16(span, surface.offsets);
      const extent: [number, number] = [parts[0][0], parts[parts.length - 1][1]];
      parts.forEach(([start, end], k) => {
        const next = parts[k + 1];
        if (end <= blockStart && (!next || next[0] <= blockStart)) return;
        if (start >= blockEnd) return;
        list.push({
          id,
          label: span.label,
          color,
          fill,
          start,
          end,
          extent,
          first: k === 0,
          last: k === parts.length - 1,
          gapAfter: next ? [end, next[0]] : undefined,
        });
      });
    }
    return list;
  }

  let batching = 0;
  let batched: Set<number> | null = null;
  let batchedLinks = false;

  function paint(indexes: Iterable<number>, links = true): void {
    if (batching) {
      batched ??= new Set();
      for (const b of indexes) batched.add(b);
      batchedLinks ||= links;
      return;
    }
    paintNow(indexes, links);
  }

  function batch<T>(fn: () => T): T {
    batching++;
    try {
      return fn();
    } finally {
      batching--;
      if (!batching) {
        const blocks = batched;
        const links = batchedLinks;
        batched = null;
        batchedLinks = false;
        if (blocks?.size) paintNow(blocks, links);
        else if (links) redrawLinks();
      }
    }
  }

  function paintNow(indexes: Iterable<number>, links = true): void {
    const t0 = performance.now();
    const c = ctx();
    const jobs: Array<[number, ReturnType<typeof measureBlock>]> = [];
    const ghostJobs = new Map<number, ReturnType<typeof measureBlock>>();
    const stale: number[] = [];
    // Measure everything before touching the DOM so layout is computed at most once.
    for (const b of indexes) {
      if (painted.has(b)) stale.push(b);
      if (viewport.visible.has(b)) {
        jobs.push([b, measureBlock(blockEls[b], blocks[b], paintSpansOf(b))]);
        const ghostSpans = ghostSpansOf(b);
        if (ghostSpans.length) ghostJobs.set(b, measureBlock(blockEls[b], blocks[b], ghostSpans));
      }
    }
    if (links && canMeasure && store.relations.size) {
      const willPaint = new Set(painted.keys());
      for (const b of stale) willPaint.delete(b);
      for (const [b] of jobs) willPaint.add(b);
      measureOffscreenEnds(willPaint);
    }
    // Read before the first write: after it, reading would lay the page out again.
    const origin = jobs.length && canMeasure ? root.getBoundingClientRect() : null;
    for (const b of stale) unpaint(b);
    for (const [b, m] of jobs) {
      const done = writeBlock(blockEls[b], m.measured, m.origin, c);
      // Anchors in document coordinates stay valid until the layout changes (resize repaints all).
      for (const [id, a] of done.anchors) {
        done.anchors.set(id, {
          x: a.x + (m.origin?.left ?? 0) - (origin?.left ?? 0),
          y: a.y + (m.origin?.top ?? 0) - (origin?.top ?? 0),
        });
      }
      painted.set(b, done);
      const g = ghostJobs.get(b);
      if (g && done.overlay) {
        const drawn = writeGhosts(done.overlay, g.measured, g.origin, c.focusedGhostId ?? null);
        for (const [id, a] of drawn.anchors) {
          drawn.anchors.set(id, {
            x: a.x + (g.origin?.left ?? 0) - (origin?.left ?? 0),
            y: a.y + (g.origin?.top ?? 0) - (origin?.top ?? 0),
          });
        }
        paintedGhosts.set(b, drawn);
      }
    }
    if (links) redrawLinks();
    options.onPaint?.({ blocks: jobs.length, ms: performance.now() - t0 });
    const waiters = paintWaiters;
    paintWaiters = [];
    for (const w of waiters) w();
  }

  const viewport = createViewport(options.scrollRoot, (entered, left) => {
    for (const b of left) unpaint(b);
    paint(entered);
  });

  function anchorOf(id: string): LinkEnd | null {
    const span = store.spans.get(id);
    const range = span ? surface.blocksOf(span) : null;
    if (!span || !range) return null;
    const b = range[0];
    const anchor = painted.get(b)?.anchors.get(id) ?? offscreenAnchors.get(id);
    if (anchor) return anchor;
    const t = blockEls[b].firstChild;
    if (!canMeasure || !t) return null;
    // An end off screen: measured once and cached until the span or the layout changes.
    const origin = root.getBoundingClientRect();
    const r = doc.createRange();
    const local = Math.max(0, surface.utf16Of(span)[0] - blocks[b].start);
    r.setStart(t, local);
    r.setEnd(t, Math.min(local + 1, blocks[b].end - blocks[b].start));
    const rect = r.getClientRects()[0] ?? blockEls[b].getBoundingClientRect();
    const end = { x: rect.left - origin.left + 2, y: rect.top - origin.top - 10 };
    offscreenAnchors.set(id, end);
    return end;
  }

  function isIn(id: string, set: { has(b: number): boolean }): boolean {
    const span = store.spans.get(id);
    const range = span ? surface.blocksOf(span) : null;
    if (!range) return false;
    for (let b = range[0]; b <= range[1]; b++) if (set.has(b)) return true;
    return false;
  }

  /** Measures, before any DOM write, the ends of links that will be drawn but sit off screen. */
  function measureOffscreenEnds(willPaint: Set<number>): void {
    for (const rel of store.relations.values()) {
      if (!isIn(rel.from, willPaint) && !isIn(rel.to, willPaint)) continue;
      for (const id of [rel.from, rel.to]) {
        const span = store.spans.get(id);
        const range = span ? surface.blocksOf(span) : null;
        if (range && !willPaint.has(range[0]) && !offscreenAnchors.has(id)) anchorOf(id);
      }
    }
  }

  function redrawLinks(): void {
    if (batching) {
      batchedLinks = true;
      return;
    }
    const { selectedId } = options.marks();
    const drawings: LinkEnds[] = [];
    for (const rel of store.relations.values()) {
      if (!isIn(rel.from, painted) && !isIn(rel.to, painted)) continue;
      const from = anchorOf(rel.from);
      const to = anchorOf(rel.to);
      if (!from || !to) continue;
      const selected = rel.from === selectedId || rel.to === selectedId;
      drawings.push({
        id: rel.id,
        from,
        to,
        label: rel.label,
        selected,
        fromId: rel.from,
        toId: rel.to,
      });
    }
    drawLinks(linkLayer, drawings, 6);
    drawnLinks = drawings;
    scheduleSignposts();
    if (ghostLinkLayer) drawGhostLinks(ghostLinkLayer);
  }

  /** After the frame's paint: which drawn links leave the screen, and where to. */
  function scheduleSignposts(): void {
    if (!signs || signsPending || !canMeasure) return;
    signsPending = true;
    requestAnimationFrame(() => {
      signsPending = false;
      const view = doc.defaultView;
      const inner = view?.innerHeight ?? 0;
      const rootTop = root.getBoundingClientRect().top;
      const box = options.scrollRoot?.getBoundingClientRect() ?? { top: 0, bottom: inner };
      const band = {
        top: Math.max(box.top, 0) - rootTop,
        bottom: Math.min(box.bottom, inner) - rootTop,
      };
      signs.draw(signposts(drawnLinks, band, describe, () => tagBoxes(rootTop)));
    });
  }

  /** The painted label tags' boxes, in the link layer's coordinates (a read after paint). */
  function tagBoxes(rootTop: number): TagBox[] {
    const rootLeft = root.getBoundingClientRect().left;
    return [...root.querySelectorAll<HTMLElement>(".wb-tag")].map((tag) => {
      const r = tag.getBoundingClientRect();
      return {
        left: r.left - rootLeft,
        right: r.right - rootLeft,
        top: r.top - rootTop,
        bottom: r.bottom - rootTop,
      };
    });
  }

  function describe(id: string): { text: string; paragraph: number } | null {
    const span = store.spans.get(id);
    const range = span ? surface.blocksOf(span) : null;
    if (!span || !range) return null;
    const text = surface.textOf(span).replace(/\s+/g, " ");
    return { text: text.length > 28 ? `${text.slice(0, 27)}…` : text, paragraph: range[0] + 1 };
  }
  const scrolled = options.scrollRoot ?? doc.defaultView;
  scrolled?.addEventListener("scroll", scheduleSignposts, { passive: true });

  /** Suggested links whose two ends are painted (ghost or span): dashed, never selected. */
  function drawGhostLinks(layer: SVGSVGElement): void {
    const drawings: LinkDrawing[] = [];
    if (ghosts?.visible && paintedGhosts.size) {
      const ghostAnchor = (id: string): LinkEnd | undefined => {
        for (const p of paintedGhosts.values()) {
          const a = p.anchors.get(id);
          if (a) return a;
        }
        return store.spans.has(id) && isIn(id, painted) ? (anchorOf(id) ?? undefined) : undefined;
      };
      for (const link of ghosts.links()) {
        const from = ghostAnchor(link.from);
        const to = ghostAnchor(link.to);
        if (from && to) drawings.push({ ...link, from, to, selected: false });
      }
    }
    drawLinks(layer, drawings, 6, "wb-link wb-ghost-link");
  }

  let laidOutWidth = -1;
  const resizeObserver =
    typeof ResizeObserver === "undefined"
      ? null
      : new ResizeObserver(() => {
          // Text reflows only when the width changes; then every anchor moves.
          const width = root.clientWidth;
          if (width === laidOutWidth) return;
          const first = laidOutWidth < 0;
          laidOutWidth = width;
          offscreenAnchors.clear();
          if (!first) paint([...painted.keys()]);
        });
  resizeObserver?.observe(root);

  return {
    paint,
    batch,
    repaintPainted: () => paint([...painted.keys()]),
    redrawLinks,
    forgetAnchor: (id) => offscreenAnchors.delete(id),
    reset() {
      for (const p of painted.values()) unpaintBlock(p);
      painted.clear();
      for (const p of paintedGhosts.values()) unpaintGhosts(p);
      paintedGhosts.clear();
      paint([...viewport.visible]);
    },
    start() {
      blockEls.forEach((p, i) => {
        viewport.observe(p, i);
      });
    },
    whenPainted: () => new Promise<void>((resolve) => paintWaiters.push(resolve)),
    destroy() {
      scrolled?.removeEventListener("scroll", scheduleSignposts);
      signs?.destroy();
      viewport.destroy();
      resizeObserver?.disconnect();
    },
  };
}
