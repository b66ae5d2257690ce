/**
 * The text on the page: rendered once, one element per block holding exactly one
 * text node, and the questions every other module asks about it (where a span
 * sits in UTF-16, which blocks it touches, what the native selection covers).
 */
import {
  BLOCK_ATTR,
  offsetAtPoint,
  selectionOffsets as selectionOffsetsIn,
  selectOffsets,
} from "./domOffsets";
import { createOffsetMap, type OffsetMap } from "./offsets";
import { type Block, blocksInRange, splitBlocks } from "./paragraphs";

export interface Extent {
  /** Code points. */
  start: number;
  end: number;
}

export interface Surface {
  readonly text: string;
  readonly offsets: OffsetMap;
  readonly blocks: Block[];
  readonly blockEls: HTMLElement[];
  /** The element holding every block (and the link layer). */
  readonly root: HTMLElement;
  utf16Of(extent: Extent): [number, number];
  /** First and last block an extent touches; null when the text has no block. */
  blocksOf(extent: Extent): [number, number] | null;
  textOf(extent: Extent): string;
  /** The native selection as UTF-16 offsets, or null when nothing of the text is selected. */
  selection(): [number, number] | null;
  /** Makes [start, end) (UTF-16) the native selection. */
  select(start: number, end: number): boolean;
  clearSelection(): void;
  extendSelection(direction: "forward" | "backward", unit: "character" | "word"): void;
  /** The UTF-16 offset under a screen point, or null outside the text. */
  offsetAt(x: number, y: number): number | null;
  scrollToBlock(index: number): void;
  destroy(): void;
}

export function renderSurface(el: HTMLElement, text: string): Surface {
  const doc = el.ownerDocument;
  const offsets = createOffsetMap(text);
  const blocks = splitBlocks(text);
  const root = doc.createElement("div");
  root.className = "wb-doc";
  const blockEls = blocks.map((block) => {
    const p = doc.createElement("div");
    p.className = "wb-para";
    p.setAttribute(BLOCK_ATTR, String(block.index));
    // Text only ever enters the DOM as a text node: never parsed as HTML.
    p.appendChild(doc.createTextNode(text.slice(block.start, block.end)));
    root.appendChild(p);
    return p;
  });
  el.appendChild(root);

  const utf16Of = (extent: Extent): [number, number] => [
    offsets.toUtf16(extent.start),
    offsets.toUtf16(extent.end),
  ];

  return {
    text,
    offsets,
    blocks,
    blockEls,
    root,
    utf16Of,
    blocksOf(extent) {
      if (!blocks.length) return null;
      const [s, e] = utf16Of(extent);
      return blocksInRange(blocks, s, e);
    },
    textOf: (extent) => text.slice(...utf16Of(extent)),
    selection: () => selectionOffsetsIn(root, blocks, text.length),
    select: (start, end) => selectOffsets(blocks, blockEls, start, end),
    clearSelection: () => doc.getSelection()?.removeAllRanges(),
    extendSelection(direction, unit) {
      const sel = doc.getSelection() as Selection & {
        modify?: (a: string, d: string, u: string) => void;
      };
      if (sel?.rangeCount && root.contains(sel.anchorNode)) sel.modify?.("extend", direction, unit);
    },
    offsetAt: (x, y) => offsetAtPoint(root, blocks, text.length, x, y),
    scrollToBlock: (index) => blockEls[index]?.scrollIntoView?.({ block: "nearest" }),
    destroy: () => root.remove(),
  };
}
