/**
 * The editor core: renders the text once, paints only the blocks on screen,
 * turns selections into spans, and routes every change through ops so that
 * undo/redo and autosave see the same thing. No framework imports here.
 */
import "./editor.css";
import {
  BLOCK_ATTR,
  offsetAtPoint,
  selectionOffsets as selectionOffsetsIn,
  selectOffsets,
} from "./domOffsets";
import { LabelHighlights } from "./highlights";
import { History } from "./history";
import { pickAt } from "./layout";
import { linkCandidates, relationLabelFor } from "./linking";
import { createLinkLayer, drawLinks, type LinkDrawing, type LinkEnd } from "./links";
import { createOffsetMap, widenToCodePoints } from "./offsets";
import {
  measureBlock,
  type PaintContext,
  type PaintedBlock,
  type PaintSpan,
  unpaintBlock,
  writeBlock,
} from "./painter";
import { type Block, blockAt, blocksInRange, splitBlocks } from "./paragraphs";
import { moveEdgeByWord, snapToWords } from "./snap";
import { emptyChange, SpanStore, type StoreChange } from "./spanStore";
import type {
  AnnotationState,
  Attributes,
  DocumentLabelValue,
  Label,
  Op,
  Relation,
  Span,
} from "./types";
import { createViewport } from "./viewport";

export interface EditorOptions {
  text: string;
  labels: Label[];
  state: AnnotationState;
  /** Scroll container used to decide what is on screen; defaults to the viewport. */
  scrollRoot?: Element | null;
  allowOverlap?: boolean;
  /** Every applied change, including undo and redo, in API op form. */
  onOps?: (ops: Op[]) => void;
  /** The annotation changed (after onOps). */
  onChange?: () => void;
  onSelect?: (spanId: string | null) => void;
  onLinkMode?: (sourceId: string | null) => void;
  /** A user action could not be done; the message says why. */
  onNotice?: (message: string) => void;
  /** Called after each paint with how many blocks were painted and how long it took (for benchmarks). */
  onPaint?: (info: { blocks: number; ms: number }) => void;
}

export interface Editor {
  addSpanFromSelection(label: string, opts?: { exact?: boolean }): Span | null;
  hasTextSelection(): boolean;
  /** Selects the next (or previous) occurrence of `query` as text, for keyboard-only labelling. */
  findAndSelect(query: string, dir?: 1 | -1): boolean;
  extendSelection(direction: "forward" | "backward", unit: "character" | "word"): void;
  selectSpan(id: string | null, opts?: { scroll?: boolean }): void;
  selectAdjacent(dir: 1 | -1): void;
  readonly selectedId: string | null;
  relabel(id: string, label: string): void;
  resize(id: string, edge: "start" | "end", dir: 1 | -1, unit: "word" | "character"): void;
  /** Moves both ends of a span to the current text selection (snapped like a new span). */
  resizeToSelection(id: string, opts?: { exact?: boolean }): boolean;
  setAttributes(id: string, attributes: Attributes): void;
  deleteSpan(id: string): void;
  deleteRelation(id: string): void;
  setDocumentLabel(group: string, value: DocumentLabelValue): void;
  beginLink(): boolean;
  cycleLinkCandidate(dir: 1 | -1): void;
  confirmLink(targetId?: string): boolean;
  cancelLink(): void;
  readonly linkSourceId: string | null;
  undo(): boolean;
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Applies ops as one undoable step (used by the shell and the benchmark). */
  apply(ops: Op[]): boolean;
  getState(): AnnotationState;
  replaceState(state: AnnotationState): void;
  spansInOrder(): Span[];
  getSpan(id: string): Span | undefined;
  relations(): Relation[];
  documentLabels(): Record<string, DocumentLabelValue>;
  textOf(span: Span): string;
  /** Resolves after the next paint of visible blocks (for measuring). */
  whenPainted(): Promise<void>;
  destroy(): void;
}

const FALLBACK_COLOR = "#888888";

export function createEditor(el: HTMLElement, options: EditorOptions): Editor {
  const { text } = options;
  const doc = el.ownerDocument;
  const offsets = createOffsetMap(text);
  const blocks: Block[] = splitBlocks(text);
  const spanLabels = options.labels.filter((l) => l.kind === "span");
  const relationLabels = options.labels.filter((l) => l.kind === "relation");
  const colorOf = new Map(options.labels.map((l) => [l.name, l.color]));
  const highlights = new LabelHighlights(spanLabels, doc);
  const store = new SpanStore(options.labels, options.state);
  const history = new History();

  // Which spans touch each block, kept up to date per op so a change repaints one block.
  const bucket: Array<Set<string>> = blocks.map(() => new Set());
  const painted = new Map<number, PaintedBlock>();
  let selectedId: string | null = null;
  let linkSource: string | null = null;
  let candidates: string[] = [];
  let ordered: Span[] | null = null;
  let lastPointerAlt = false;
  let lastClick: { offset: number; id: string | null } | null = null;
  let paintWaiters: Array<() => void> = [];
  const offscreenAnchors = new Map<string, LinkEnd>();
  const canMeasure = typeof Range.prototype.getClientRects === "function";

  const docEl = doc.createElement("div");
  docEl.className = "wb-doc";
  const linkLayer = createLinkLayer(doc);
  docEl.appendChild(linkLayer);
  const blockEls: HTMLElement[] = blocks.map((block) => {
    const p = doc.createElement("div");
    p.className = "wb-para";
    p.setAttribute(BLOCK_ATTR, String(block.index));
    // Text only ever enters the DOM as a text node: never parsed as HTML.
    p.appendChild(doc.createTextNode(text.slice(block.start, block.end)));
    docEl.appendChild(p);
    return p;
  });
  el.appendChild(docEl);

  const utf16Of = (span: Span): [number, number] => [
    offsets.toUtf16(span.start),
    offsets.toUtf16(span.end),
  ];

  function blocksOf(span: Span): [number, number] | null {
    if (!blocks.length) return null;
    const [s, e] = utf16Of(span);
    return blocksInRange(blocks, s, e);
  }

  function index(span: Span, add: boolean, dirty: Set<number>): void {
    const range = blocksOf(span);
    if (!range) return;
    for (let b = range[0]; b <= range[1]; b++) {
      if (add) bucket[b].add(span.id);
      else bucket[b].delete(span.id);
      dirty.add(b);
    }
  }

  function rebuildIndex(): void {
    for (const set of bucket) set.clear();
    const ignore = new Set<number>();
    for (const span of store.spans.values()) index(span, true, ignore);
    ordered = null;
  }

  const ctx = (): PaintContext => ({
    highlights,
    selectedId,
    candidateIds: new Set(candidates),
  });

  function paintSpansOf(b: number): PaintSpan[] {
    const list: PaintSpan[] = [];
    for (const id of bucket[b]) {
      const span = store.spans.get(id);
      if (!span) continue;
      const [start, end] = utf16Of(span);
      list.push({
        id,
        label: span.label,
        color: colorOf.get(span.label) ?? FALLBACK_COLOR,
        start,
        end,
      });
    }
    return list;
  }

  function paint(indexes: Iterable<number>, links = true): void {
    const t0 = performance.now();
    const c = ctx();
    const jobs: Array<[number, ReturnType<typeof measureBlock>]> = [];
    const stale: number[] = [];
    // Measure everything before touching the DOM so layout is computed at most once.
    for (const b of indexes) {
      if (painted.has(b)) stale.push(b);
      if (viewport.visible.has(b))
        jobs.push([b, measureBlock(blockEls[b], blocks[b], paintSpansOf(b))]);
    }
    if (links && canMeasure && store.relations.size) {
      const willPaint = new Set(painted.keys());
      for (const b of stale) willPaint.delete(b);
      for (const [b] of jobs) willPaint.add(b);
      measureOffscreenEnds(willPaint);
    }
    for (const b of stale) {
      const old = painted.get(b);
      if (old) unpaintBlock(old, c);
      painted.delete(b);
    }
    const origin = jobs.length && canMeasure ? docEl.getBoundingClientRect() : null;
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
    }
    if (links) redrawLinks();
    options.onPaint?.({ blocks: jobs.length, ms: performance.now() - t0 });
    const waiters = paintWaiters;
    paintWaiters = [];
    for (const w of waiters) w();
  }

  function repaintSpan(id: string | null): Set<number> {
    const dirty = new Set<number>();
    const span = id ? store.spans.get(id) : undefined;
    const range = span ? blocksOf(span) : null;
    if (range) for (let b = range[0]; b <= range[1]; b++) dirty.add(b);
    return dirty;
  }

  const viewport = createViewport(options.scrollRoot ?? null, (entered, left) => {
    const c = ctx();
    for (const b of left) {
      const old = painted.get(b);
      if (old) unpaintBlock(old, c);
      painted.delete(b);
    }
    paint(entered);
  });

  function anchorOf(id: string): LinkEnd | null {
    const span = store.spans.get(id);
    const range = span ? blocksOf(span) : null;
    if (!span || !range) return null;
    const b = range[0];
    const anchor = painted.get(b)?.anchors.get(id);
    if (anchor) return anchor;
    const cached = offscreenAnchors.get(id);
    if (cached) return cached;
    const t = blockEls[b].firstChild;
    if (!canMeasure || !t) return null;
    // An end off screen: measured once and cached until the span or the layout changes.
    const origin = docEl.getBoundingClientRect();
    const r = doc.createRange();
    const local = Math.max(0, utf16Of(span)[0] - blocks[b].start);
    r.setStart(t, local);
    r.setEnd(t, Math.min(local + 1, blocks[b].end - blocks[b].start));
    const rect = r.getClientRects()[0] ?? blockEls[b].getBoundingClientRect();
    const end = { x: rect.left - origin.left + 2, y: rect.top - origin.top - 10 };
    offscreenAnchors.set(id, end);
    return end;
  }

  function isIn(id: string, set: { has(b: number): boolean }): boolean {
    const span = store.spans.get(id);
    const range = span ? blocksOf(span) : null;
    if (!range) return false;
    for (let b = range[0]; b <= range[1]; b++) if (set.has(b)) return true;
    return false;
  }

  const isPainted = (id: string) => isIn(id, painted);

  /** Measures, before any DOM write, the ends of links that will be drawn but sit off screen. */
  function measureOffscreenEnds(willPaint: Set<number>): void {
    for (const rel of store.relations.values()) {
      if (!isIn(rel.from, willPaint) && !isIn(rel.to, willPaint)) continue;
      for (const id of [rel.from, rel.to]) {
        const span = store.spans.get(id);
        const range = span ? blocksOf(span) : null;
        if (range && !willPaint.has(range[0]) && !offscreenAnchors.has(id)) anchorOf(id);
      }
    }
  }

  function redrawLinks(): void {
    const drawings: LinkDrawing[] = [];
    for (const rel of store.relations.values()) {
      if (!isPainted(rel.from) && !isPainted(rel.to)) continue;
      const from = anchorOf(rel.from);
      const to = anchorOf(rel.to);
      if (!from || !to) continue;
      drawings.push({
        id: rel.id,
        from,
        to,
        label: rel.label,
        selected: rel.from === selectedId || rel.to === selectedId,
      });
    }
    drawLinks(linkLayer, drawings, 6);
  }

  function apply(ops: Op[], record: boolean): boolean {
    const change = emptyChange();
    const inverse: Op[] = [];
    const done: Op[] = [];
    try {
      for (const op of ops) {
        inverse.unshift(...store.apply(op, change));
        done.push(op);
      }
    } catch (err) {
      // Roll back the ops that did apply so a failed step leaves no trace.
      const undoChange = emptyChange();
      for (const op of inverse) store.apply(op, undoChange);
      afterChange(change, []);
      afterChange(undoChange, []);
      options.onNotice?.(err instanceof Error ? err.message : String(err));
      return false;
    }
    if (record) history.record({ ops: done, inverse });
    afterChange(change, done);
    return true;
  }

  function hasLinks(spanId: string): boolean {
    for (const rel of store.relations.values())
      if (rel.from === spanId || rel.to === spanId) return true;
    return false;
  }

  function afterChange(change: StoreChange, ops: Op[]): void {
    const dirty = new Set<number>();
    let links = change.relations;
    for (const { before, after } of change.spans) {
      if (before) index(before, false, dirty);
      if (after) index(after, true, dirty);
      const id = (after ?? before)?.id ?? "";
      offscreenAnchors.delete(id);
      if (!links && after && hasLinks(id)) links = true;
    }
    if (change.spans.length) ordered = null;
    if (selectedId && !store.spans.has(selectedId)) setSelected(null, dirty);
    if (linkSource && !store.spans.has(linkSource)) cancelLink();
    if (dirty.size) paint(dirty, links);
    else if (links) redrawLinks();
    if (ops.length) options.onOps?.(ops);
    options.onChange?.();
  }

  function setSelected(id: string | null, dirty: Set<number>): void {
    if (id === selectedId) return;
    for (const b of repaintSpan(selectedId)) dirty.add(b);
    selectedId = id;
    for (const b of repaintSpan(selectedId)) dirty.add(b);
    options.onSelect?.(id);
  }

  function selectSpan(id: string | null, opts?: { scroll?: boolean }): void {
    if (id && !store.spans.has(id)) return;
    const dirty = new Set<number>();
    setSelected(id, dirty);
    if (dirty.size) paint(dirty);
    if (id && opts?.scroll) {
      const range = repaintSpan(id);
      const first = Math.min(...range);
      blockEls[first]?.scrollIntoView?.({ block: "nearest" });
    }
  }

  const selectionOffsets = () => selectionOffsetsIn(docEl, blocks, text.length);

  function addSpanFromSelection(label: string, opts?: { exact?: boolean }): Span | null {
    const sel = selectionOffsets();
    if (!sel) return null;
    const exact = opts?.exact ?? lastPointerAlt;
    const [u1, u2] = exact
      ? widenToCodePoints(text, sel[0], sel[1])
      : snapToWords(text, sel[0], sel[1]);
    if (u2 <= u1) return null;
    const start = offsets.toCodePoint(u1);
    const end = offsets.toCodePoint(u2);
    for (const s of store.spans.values()) {
      if (s.start === start && s.end === end && s.label === label) {
        options.onNotice?.(`This text is already labelled ${label}.`);
        return null;
      }
    }
    if (options.allowOverlap === false && store.overlaps(start, end)) {
      options.onNotice?.("This project does not allow overlapping spans.");
      return null;
    }
    const span: Span = { id: store.newId("s"), start, end, label, attributes: {} };
    if (!apply([{ op: "add_span", span }], true)) return null;
    doc.getSelection()?.removeAllRanges();
    selectSpan(span.id);
    return span;
  }

  let lastFind = -1;

  function findAndSelect(query: string, dir: 1 | -1 = 1): boolean {
    if (!query) return false;
    const hay = text.toLowerCase();
    const needle = query.toLowerCase();
    const sel = selectionOffsets();
    const current = selectedId ? store.spans.get(selectedId) : undefined;
    const from = sel ? sel[0] : current ? offsets.toUtf16(current.start) : lastFind;
    let at =
      dir > 0 ? hay.indexOf(needle, from + 1) : hay.lastIndexOf(needle, Math.max(0, from - 1));
    if (at < 0) at = dir > 0 ? hay.indexOf(needle) : hay.lastIndexOf(needle);
    if (at < 0) return false;
    lastFind = at;
    if (!selectOffsets(blocks, blockEls, at, at + needle.length)) return false;
    lastPointerAlt = false;
    blockEls[blockAt(blocks, at)]?.scrollIntoView?.({ block: "nearest" });
    return true;
  }

  function resizeToSelection(id: string, opts?: { exact?: boolean }): boolean {
    const span = store.spans.get(id);
    const sel = selectionOffsets();
    if (!span || !sel) return false;
    const [u1, u2] =
      (opts?.exact ?? lastPointerAlt)
        ? widenToCodePoints(text, sel[0], sel[1])
        : snapToWords(text, sel[0], sel[1]);
    if (u2 <= u1) return false;
    const start = offsets.toCodePoint(u1);
    const end = offsets.toCodePoint(u2);
    if (options.allowOverlap === false && store.overlaps(start, end, id)) {
      options.onNotice?.("This project does not allow overlapping spans.");
      return false;
    }
    if (start === span.start && end === span.end) return false;
    const ok = apply([{ op: "update_span", id, start, end }], true);
    doc.getSelection()?.removeAllRanges();
    return ok;
  }

  function spanAtOffset(u16: number): Span | undefined {
    const b = blocksInRange(blocks, u16, u16 + 1)[0];
    const cp = offsets.toCodePoint(u16);
    const here = [...(bucket[b] ?? [])]
      .map((id) => store.spans.get(id))
      .filter((s): s is Span => !!s);
    const current = lastClick && lastClick.offset === cp ? lastClick.id : null;
    const hit = pickAt(here, cp, current) ?? pickAt(here, cp - 1, current);
    lastClick = { offset: cp, id: hit?.id ?? null };
    return hit ? store.spans.get(hit.id) : undefined;
  }

  function choose(id: string | null): void {
    if (linkSource && id && candidates.includes(id)) {
      confirmLink(id);
      return;
    }
    selectSpan(id);
  }

  /** Drags a selected span's edge; the native selection previews the new extent. */
  function startEdgeDrag(id: string, edge: "start" | "end"): void {
    const span = store.spans.get(id);
    if (!span) return;
    const [s0, e0] = utf16Of(span);
    const extent = (x: number, y: number): [number, number] | null => {
      const at = offsetAtPoint(docEl, blocks, text.length, x, y);
      if (at === null) return null;
      const [s, e] = edge === "start" ? [at, e0] : [s0, at];
      return s < e ? [s, e] : null;
    };
    const move = (ev: MouseEvent) => {
      const next = extent(ev.clientX, ev.clientY);
      if (next) selectOffsets(blocks, blockEls, next[0], next[1]);
    };
    const up = (ev: MouseEvent) => {
      doc.removeEventListener("mousemove", move);
      doc.removeEventListener("mouseup", up, true);
      ev.stopPropagation();
      doc.getSelection()?.removeAllRanges();
      const next = extent(ev.clientX, ev.clientY);
      if (!next) return;
      const [s, e] = ev.altKey
        ? widenToCodePoints(text, next[0], next[1])
        : snapToWords(text, next[0], next[1]);
      const moved = offsets.toCodePoint(edge === "start" ? s : e);
      const start = edge === "start" ? moved : span.start;
      const end = edge === "end" ? moved : span.end;
      if (start >= end || moved === (edge === "start" ? span.start : span.end)) return;
      if (options.allowOverlap === false && store.overlaps(start, end, id)) return;
      apply([{ op: "update_span", id, [edge]: moved }], true);
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
      choose(spanId);
    }
  }

  function onMouseUp(ev: MouseEvent): void {
    lastPointerAlt = ev.altKey;
    const sel = doc.getSelection();
    if (sel && !sel.isCollapsed) return;
    if ((ev.target as HTMLElement).closest?.("[data-span]")) return;
    const offset = offsetAtPoint(docEl, blocks, text.length, ev.clientX, ev.clientY);
    if (offset === null) return;
    const span = spanAtOffset(offset);
    choose(span?.id ?? null);
  }

  docEl.addEventListener("mousedown", onMouseDown);
  docEl.addEventListener("mouseup", onMouseUp);
  let laidOutWidth = -1;
  const resizeObserver =
    typeof ResizeObserver === "undefined"
      ? null
      : new ResizeObserver(() => {
          // Text reflows only when the width changes; then every anchor moves.
          const width = docEl.clientWidth;
          if (width === laidOutWidth) return;
          const first = laidOutWidth < 0;
          laidOutWidth = width;
          offscreenAnchors.clear();
          if (!first) paint([...painted.keys()]);
        });
  resizeObserver?.observe(docEl);

  function beginLink(): boolean {
    const source = selectedId ? store.spans.get(selectedId) : undefined;
    const relLabel = source ? relationLabelFor(relationLabels, source) : undefined;
    if (!source || !relLabel) {
      options.onNotice?.("Select a span that can have a link (e.g. a QUOTE) first.");
      return false;
    }
    const found = linkCandidates(source, store.spans.values(), relLabel);
    if (!found.length) {
      options.onNotice?.(`No ${relLabel.target_labels.join(" or ")} span to link to yet.`);
      return false;
    }
    candidates = found;
    linkSource = source.id;
    paint([...painted.keys()]);
    options.onLinkMode?.(linkSource);
    return true;
  }

  function cancelLink(): void {
    if (!linkSource) return;
    linkSource = null;
    candidates = [];
    paint([...painted.keys()]);
    options.onLinkMode?.(null);
  }

  function cycleLinkCandidate(dir: 1 | -1): void {
    if (!linkSource || !candidates.length) return;
    const n = candidates.length;
    candidates =
      dir > 0
        ? [...candidates.slice(1), candidates[0]]
        : [candidates[n - 1], ...candidates.slice(0, n - 1)];
    paint([...painted.keys()]);
    options.onLinkMode?.(linkSource);
  }

  function confirmLink(targetId?: string): boolean {
    const sourceId = linkSource;
    const target = targetId ?? candidates[0];
    const source = sourceId ? store.spans.get(sourceId) : undefined;
    const relLabel = source ? relationLabelFor(relationLabels, source) : undefined;
    if (!sourceId || !target || !relLabel) return false;
    // One speaker per quote: a new link replaces the old one in the same undo step.
    const ops: Op[] = [...store.relations.values()]
      .filter((r) => r.from === sourceId && r.label === relLabel.name)
      .map((r): Op => ({ op: "delete_relation", id: r.id }));
    const relation: Relation = {
      id: store.newId("r"),
      from: sourceId,
      to: target,
      label: relLabel.name,
    };
    ops.push({ op: "add_relation", relation });
    linkSource = null;
    candidates = [];
    options.onLinkMode?.(null);
    const ok = apply(ops, true);
    paint([...painted.keys()]);
    return ok;
  }

  function resize(
    id: string,
    edge: "start" | "end",
    dir: 1 | -1,
    unit: "word" | "character",
  ): void {
    const span = store.spans.get(id);
    if (!span) return;
    const [s, e] = utf16Of(span);
    const from = edge === "start" ? s : e;
    let to: number;
    if (unit === "word") to = moveEdgeByWord(text, from, edge, dir);
    else to = offsets.toUtf16(offsets.toCodePoint(from) + dir);
    const cp = offsets.toCodePoint(to);
    const start = edge === "start" ? cp : span.start;
    const end = edge === "end" ? cp : span.end;
    if (start >= end || cp === (edge === "start" ? span.start : span.end)) return;
    if (options.allowOverlap === false && store.overlaps(start, end, id)) return;
    apply([{ op: "update_span", id, [edge]: cp }], true);
  }

  function selectAdjacent(dir: 1 | -1): void {
    const list = spansInOrder();
    if (!list.length) return;
    const at = list.findIndex((s) => s.id === selectedId);
    const next = at < 0 ? (dir > 0 ? 0 : list.length - 1) : (at + dir + list.length) % list.length;
    selectSpan(list[next].id, { scroll: true });
  }

  function spansInOrder(): Span[] {
    if (!ordered)
      ordered = [...store.spans.values()].sort((a, b) => a.start - b.start || b.end - a.end);
    return ordered;
  }

  rebuildIndex();
  blockEls.forEach((p, i) => {
    viewport.observe(p, i);
  });

  return {
    addSpanFromSelection,
    hasTextSelection: () => selectionOffsets() !== null,
    findAndSelect,
    extendSelection(direction, unit) {
      const sel = doc.getSelection() as Selection & {
        modify?: (a: string, d: string, u: string) => void;
      };
      if (sel?.rangeCount && docEl.contains(sel.anchorNode))
        sel.modify?.("extend", direction, unit);
      lastPointerAlt = false;
    },
    selectSpan,
    selectAdjacent,
    get selectedId() {
      return selectedId;
    },
    relabel(id, label) {
      const span = store.spans.get(id);
      if (span && span.label !== label) apply([{ op: "update_span", id, label }], true);
    },
    resize,
    resizeToSelection,
    setAttributes(id, attributes) {
      if (store.spans.has(id)) apply([{ op: "update_span", id, attributes }], true);
    },
    deleteSpan(id) {
      if (store.spans.has(id)) apply([{ op: "delete_span", id }], true);
    },
    deleteRelation(id) {
      if (store.relations.has(id)) apply([{ op: "delete_relation", id }], true);
    },
    setDocumentLabel(group, value) {
      if ((store.documentLabels[group] ?? null) !== value) {
        apply([{ op: "set_document_label", group, value }], true);
      }
    },
    beginLink,
    cycleLinkCandidate,
    confirmLink,
    cancelLink,
    get linkSourceId() {
      return linkSource;
    },
    undo() {
      const tx = history.takeUndo();
      return tx ? apply(tx.inverse, false) : false;
    },
    redo() {
      const tx = history.takeRedo();
      return tx ? apply(tx.ops, false) : false;
    },
    get canUndo() {
      return history.canUndo;
    },
    get canRedo() {
      return history.canRedo;
    },
    apply: (ops) => apply(ops, true),
    getState: () => store.snapshot(),
    replaceState(state) {
      const c = ctx();
      for (const p of painted.values()) unpaintBlock(p, c);
      painted.clear();
      store.reset(state);
      history.clear();
      selectedId = null;
      linkSource = null;
      candidates = [];
      rebuildIndex();
      paint([...viewport.visible]);
      options.onChange?.();
    },
    spansInOrder,
    getSpan: (id) => store.spans.get(id),
    relations: () => [...store.relations.values()],
    documentLabels: () => store.documentLabels,
    textOf: (span) => text.slice(offsets.toUtf16(span.start), offsets.toUtf16(span.end)),
    whenPainted: () => new Promise<void>((resolve) => paintWaiters.push(resolve)),
    destroy() {
      viewport.destroy();
      resizeObserver?.disconnect();
      docEl.removeEventListener("mousedown", onMouseDown);
      docEl.removeEventListener("mouseup", onMouseUp);
      highlights.destroy();
      docEl.remove();
    },
  };
}
