/**
 * Paints one block: an overlay (the text is never touched) of label fills, drawn
 * behind the text, underline bars, label tags and the selection box. Measuring all
 * blocks before writing any keeps to one layout.
 *
 * The fills are boxes at the text's rectangles, not CSS Custom Highlights: Chromium
 * rebuilds every highlight's markers on any change to the page's DOM and repaints all
 * the highlighted text with them, so each edit (or side panel update) repainted every
 * painted paragraph; a box repaints only where it changed (DECISIONS 75).
 */
import { textColorOn } from "./colors";
import { assignLanes } from "./layout";
import type { Block } from "./paragraphs";

export interface PaintSpan {
  id: string;
  label: string;
  color: string;
  /** The translucent fill behind its text (none for a label the project does not define). */
  fill?: string | null;
  /** UTF-16 offsets in the full text (of this fragment, for an interrupted span). */
  start: number;
  end: number;
  /** An interrupted span is painted fragment by fragment: the whole extent, for lanes. */
  extent?: [number, number];
  /** This is the span's first (last) fragment: it carries the tag (end handle). Default true. */
  first?: boolean;
  last?: boolean;
  /** The interruption up to the next fragment (UTF-16), drawn as a dotted connector. */
  gapAfter?: [number, number];
}

export interface PaintContext {
  selectedId: string | null;
  candidateIds: ReadonlySet<string>;
  /** The mentions of the chain being looked at (hovered or selected), outlined together. */
  chainIds?: ReadonlySet<string>;
  /** The span under the mouse: all its fragments are outlined. */
  hoverId?: string | null;
}

export interface PaintedBlock {
  overlay: HTMLElement | null;
  /** Where each span's tag sits, relative to the block element. */
  anchors: Map<string, { x: number; y: number }>;
}

interface Measured {
  span: PaintSpan;
  range: Range;
  rects: DOMRect[];
  startsHere: boolean;
  endsHere: boolean;
  lane: number;
  /** Where the interruption after this fragment runs in the block (dotted connector). */
  gapRects: DOMRect[];
}

const LANE_GAP = 3;
const TAG_CHAR_WIDTH = 6;

export function unpaintBlock(painted: PaintedBlock): void {
  painted.overlay?.remove();
}

/**
 * A label's fill over one rectangle of text, behind it (z-index -1 in the block's stacking
 * context). It takes no pointer events and names its span in `data-fill`, not `data-span`,
 * so nothing that looks for a span's marks under the pointer ever finds it.
 */
export function fillBox(
  doc: Document,
  className: string,
  spanId: string,
  r: DOMRect,
  ox: number,
  oy: number,
  background: string,
): HTMLElement {
  const fill = doc.createElement("div");
  fill.className = className;
  fill.dataset.fill = spanId;
  fill.style.cssText = `left:${r.left - ox}px;top:${r.top - oy}px;width:${r.width}px;height:${r.height}px;background:${background}`;
  return fill;
}

export function measureBlock(
  el: HTMLElement,
  block: Block,
  spans: PaintSpan[],
): { measured: Measured[]; origin: DOMRect | null } {
  const text = el.firstChild;
  // Fragments of one span share its lane, taken over its whole extent.
  const lanes = assignLanes(
    spans.map((s) => ({ id: s.id, start: s.extent?.[0] ?? s.start, end: s.extent?.[1] ?? s.end })),
  );
  const canMeasure = typeof Range.prototype.getClientRects === "function";
  const measured: Measured[] = [];
  if (!text) return { measured, origin: null };
  for (const span of spans) {
    const a = Math.max(span.start, block.start) - block.start;
    const b = Math.min(span.end, block.end) - block.start;
    const gapRects = span.gapAfter && canMeasure ? rectsIn(el, text, block, span.gapAfter) : [];
    // A fragment outside the block still draws its interruption's connector here.
    if (b <= a && !gapRects.length) continue;
    const range = el.ownerDocument.createRange();
    range.setStart(text, Math.max(0, Math.min(a, b)));
    range.setEnd(text, Math.max(0, b));
    const rects = canMeasure && b > a ? Array.from(range.getClientRects()) : [];
    measured.push({
      span,
      range,
      rects,
      startsHere: span.first !== false && span.start >= block.start,
      endsHere: span.last !== false && span.end <= block.end,
      lane: lanes.get(span.id) ?? 0,
      gapRects,
    });
  }
  return { measured, origin: canMeasure ? el.getBoundingClientRect() : null };
}

/** The screen rectangles of [start, end) (UTF-16, full text) clipped to one block. */
function rectsIn(el: HTMLElement, text: Node, block: Block, [start, end]: [number, number]) {
  const a = Math.max(start, block.start) - block.start;
  const b = Math.min(end, block.end) - block.start;
  if (b <= a) return [];
  const range = el.ownerDocument.createRange();
  range.setStart(text, a);
  range.setEnd(text, b);
  return Array.from(range.getClientRects());
}

export function writeBlock(
  el: HTMLElement,
  measured: Measured[],
  origin: DOMRect | null,
  ctx: PaintContext,
): PaintedBlock {
  const anchors = new Map<string, { x: number; y: number }>();
  const doc = el.ownerDocument;
  const overlay = doc.createElement("div");
  overlay.className = "wb-overlay";
  overlay.setAttribute("aria-hidden", "true");
  const lineRight = new Map<number, number>();
  const ox = origin?.left ?? 0;
  const oy = origin?.top ?? 0;
  for (const m of measured) {
    const fill = m.span.fill;
    const selected = m.span.id === ctx.selectedId;
    const candidate = ctx.candidateIds.has(m.span.id);
    const looked = ctx.hoverId === m.span.id || ctx.chainIds?.has(m.span.id);
    const boxClass = selected
      ? "wb-box wb-box-selected"
      : candidate
        ? "wb-box wb-box-candidate"
        : ctx.hoverId === m.span.id
          ? "wb-box wb-box-hover"
          : "wb-box wb-box-chain";
    for (const r of m.gapRects) {
      if (r.width === 0) continue;
      const bridge = doc.createElement("div");
      bridge.className = selected || looked ? "wb-bridge wb-bridge-on" : "wb-bridge";
      bridge.dataset.span = m.span.id;
      bridge.style.cssText = `left:${r.left - ox}px;top:${r.bottom - oy + 1 + m.lane * LANE_GAP}px;width:${r.width}px;border-color:${m.span.color}`;
      overlay.appendChild(bridge);
    }
    for (const r of m.rects) {
      if (r.width === 0) continue;
      if (fill) overlay.appendChild(fillBox(doc, "wb-fill", m.span.id, r, ox, oy, fill));
      const bar = doc.createElement("div");
      bar.className = selected ? "wb-bar wb-bar-selected" : "wb-bar";
      bar.dataset.span = m.span.id;
      bar.style.cssText = `left:${r.left - ox}px;top:${r.bottom - oy + 1 + m.lane * LANE_GAP}px;width:${r.width}px;background:${m.span.color}`;
      overlay.appendChild(bar);
      if (selected || candidate || looked) {
        const box = doc.createElement("div");
        box.className = boxClass;
        box.style.cssText = `left:${r.left - ox - 1}px;top:${r.top - oy - 1}px;width:${r.width + 2}px;height:${r.height + 2}px`;
        overlay.appendChild(box);
      }
    }
    const first = m.rects.find((r) => r.width > 0);
    const last = [...m.rects].reverse().find((r) => r.width > 0);
    if (selected && first && m.startsHere)
      overlay.appendChild(
        handle(doc, "start", m.span.id, first.left - ox - 3, first.top - oy, first.height),
      );
    if (selected && last && m.endsHere)
      overlay.appendChild(
        handle(doc, "end", m.span.id, last.right - ox - 3, last.top - oy, last.height),
      );
    if (m.startsHere && first) {
      const lineKey = Math.round(first.top);
      let left = first.left - ox;
      const taken = lineRight.get(lineKey);
      if (taken !== undefined && left < taken) left = taken;
      const width = m.span.label.length * TAG_CHAR_WIDTH + 6;
      lineRight.set(lineKey, left + width + 1);
      const tag = doc.createElement("div");
      tag.className = selected ? "wb-tag wb-tag-selected" : "wb-tag";
      tag.dataset.span = m.span.id;
      tag.dataset.label = m.span.label;
      // Black or white, whichever reaches WCAG AA (4.5:1) on the label's colour (colors.ts).
      tag.style.cssText = `left:${left}px;top:${first.top - oy - 10}px;background:${m.span.color};color:${textColorOn(m.span.color)}`;
      overlay.appendChild(tag);
      anchors.set(m.span.id, { x: left + 2, y: first.top - oy - 10 });
    }
  }
  el.appendChild(overlay);
  return { overlay, anchors };
}

/** A drag handle on a selected span's edge, for resizing with the mouse. */
function handle(
  doc: Document,
  edge: "start" | "end",
  spanId: string,
  left: number,
  top: number,
  height: number,
): HTMLElement {
  const el = doc.createElement("div");
  el.className = "wb-handle";
  el.dataset.span = spanId;
  el.dataset.handle = edge;
  el.style.cssText = `left:${left}px;top:${top}px;height:${height}px`;
  return el;
}
