/**
 * Paints ghosts (suggestions) in one block, unlike spans: a faint tint in the label's
 * colour behind the text, a dashed underline bar to click, and for the focused ghost a
 * dashed box with its label and a question mark. No solid bar and no tag, so a ghost never
 * reads as a span.
 */
import { fillBox, type measureBlock } from "./painter";

type Measured = ReturnType<typeof measureBlock>["measured"];

export interface PaintedGhosts {
  elements: HTMLElement[];
  /** Where each ghost's link end sits, relative to the block element. */
  anchors: Map<string, { x: number; y: number }>;
}

const LANE_GAP = 3;

export function writeGhosts(
  overlay: HTMLElement,
  measured: Measured,
  origin: DOMRect | null,
  focusedId: string | null,
): PaintedGhosts {
  const painted: PaintedGhosts = { elements: [], anchors: new Map() };
  const doc = overlay.ownerDocument;
  const ox = origin?.left ?? 0;
  const oy = origin?.top ?? 0;
  for (const m of measured) {
    const focused = m.span.id === focusedId;
    const tint = m.span.fill;
    for (const r of m.rects) {
      if (r.width === 0) continue;
      if (tint) {
        const fill = fillBox(doc, "wb-fill wb-ghost-fill", m.span.id, r, ox, oy, tint);
        overlay.appendChild(fill);
        painted.elements.push(fill);
      }
      const bar = doc.createElement("div");
      bar.className = focused ? "wb-ghost wb-ghost-focused" : "wb-ghost";
      bar.dataset.ghost = m.span.id;
      bar.style.cssText = `left:${r.left - ox}px;top:${r.bottom - oy + 1 + m.lane * LANE_GAP}px;width:${r.width}px;border-color:${m.span.color}`;
      overlay.appendChild(bar);
      painted.elements.push(bar);
      if (focused) {
        const box = doc.createElement("div");
        box.className = "wb-box wb-ghost-box";
        box.style.cssText = `left:${r.left - ox - 1}px;top:${r.top - oy - 1}px;width:${r.width + 2}px;height:${r.height + 2}px`;
        overlay.appendChild(box);
        painted.elements.push(box);
      }
    }
    const first = m.rects.find((r) => r.width > 0);
    if (first && m.startsHere) {
      painted.anchors.set(m.span.id, { x: first.left - ox + 2, y: first.top - oy - 4 });
      if (focused) {
        const tag = doc.createElement("div");
        tag.className = "wb-tag wb-ghost-tag";
        tag.dataset.ghost = m.span.id;
        tag.dataset.label = `${m.span.label}?`;
        // Dark text on white (AA on any label colour); the label's colour is the dashed border.
        tag.style.cssText = `left:${first.left - ox}px;top:${first.top - oy - 10}px;border-color:${m.span.color}`;
        overlay.appendChild(tag);
        painted.elements.push(tag);
      }
    }
  }
  return painted;
}

export function unpaintGhosts(painted: PaintedGhosts): void {
  for (const el of painted.elements) el.remove();
}
