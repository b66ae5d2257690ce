/**
 * DOM point ⇄ UTF-16 offset in the full text. Each rendered block is an
 * element whose first child is one text node holding exactly the block's text,
 * so a point maps back by adding the block's start.
 */
import { type Block, blockAt } from "./paragraphs";

export const BLOCK_ATTR = "data-block";

function blockElementOf(node: Node | null, root: Element): HTMLElement | null {
  let n: Node | null = node;
  while (n && n !== root) {
    if (n instanceof HTMLElement && n.hasAttribute(BLOCK_ATTR)) return n;
    n = n.parentNode;
  }
  return null;
}

/** The UTF-16 offset of a DOM boundary point, or null when it lies outside the text. */
export function offsetOfPoint(
  root: Element,
  blocks: Block[],
  node: Node,
  offset: number,
  textLength: number,
): number | null {
  if (!root.contains(node)) return null;
  const blockEl = blockElementOf(node, root);
  if (blockEl) {
    const block = blocks[Number(blockEl.getAttribute(BLOCK_ATTR))];
    if (node.nodeType === Node.TEXT_NODE && node.parentNode === blockEl) {
      return block.start + Math.min(offset, block.end - block.start);
    }
    // A point on the block element itself: before its text node or after it.
    if (node === blockEl) return offset === 0 ? block.start : block.end;
    return block.end;
  }
  // A point between blocks: use the block that follows it, or the end of the text.
  const after = node.childNodes[offset] ?? null;
  const nextBlock = after ? blockElementOf(firstBlockDescendant(after), root) : null;
  if (nextBlock) return blocks[Number(nextBlock.getAttribute(BLOCK_ATTR))].start;
  return offset === 0 && node !== root ? null : textLength;
}

function firstBlockDescendant(node: Node): Node {
  if (node instanceof Element) {
    const inner = node.hasAttribute(BLOCK_ATTR) ? node : node.querySelector(`[${BLOCK_ATTR}]`);
    if (inner) return inner;
  }
  return node;
}

/** The current DOM selection as UTF-16 offsets; ends outside the article clamp to its edges. */
export function selectionOffsets(
  root: Element,
  blocks: Block[],
  textLength: number,
): [number, number] | null {
  const sel = root.ownerDocument.getSelection();
  if (!sel || sel.rangeCount === 0 || sel.isCollapsed) return null;
  const range = sel.getRangeAt(0);
  const edge = (node: Node, offset: number): number | null => {
    if (root.contains(node)) return offsetOfPoint(root, blocks, node, offset, textLength);
    const pos = root.compareDocumentPosition(node);
    if (pos & Node.DOCUMENT_POSITION_PRECEDING) return 0;
    if (pos & Node.DOCUMENT_POSITION_FOLLOWING) return textLength;
    return null;
  };
  const a = edge(range.startContainer, range.startOffset);
  const b = edge(range.endContainer, range.endOffset);
  if (a === null || b === null || b <= a) return null;
  return [a, b];
}

/** The DOM point of a UTF-16 offset; an offset between blocks maps to the next block's start. */
export function pointAt(
  blocks: Block[],
  blockEls: HTMLElement[],
  u16: number,
): [Node, number] | null {
  if (!blocks.length) return null;
  const b = blockAt(blocks, u16);
  const block = blocks[b];
  const t = blockEls[b].firstChild;
  if (!t) return null;
  if (u16 <= block.end) return [t, Math.max(0, u16 - block.start)];
  const next = blockEls[b + 1]?.firstChild;
  return next ? [next, 0] : [t, block.end - block.start];
}

/** Makes [start, end) (UTF-16) the document's selection. */
export function selectOffsets(
  blocks: Block[],
  blockEls: HTMLElement[],
  start: number,
  end: number,
): boolean {
  const a = pointAt(blocks, blockEls, start);
  const b = pointAt(blocks, blockEls, end);
  const doc = blockEls[0]?.ownerDocument;
  const sel = doc?.getSelection();
  if (!a || !b || !doc || !sel) return false;
  const range = doc.createRange();
  range.setStart(a[0], a[1]);
  range.setEnd(b[0], b[1]);
  sel.removeAllRanges();
  sel.addRange(range);
  return true;
}

type CaretDocument = Document & {
  caretPositionFromPoint?: (x: number, y: number) => { offsetNode: Node; offset: number } | null;
  caretRangeFromPoint?: (x: number, y: number) => Range | null;
};

/** The UTF-16 offset under a screen point, or null outside the text. */
export function offsetAtPoint(
  root: Element,
  blocks: Block[],
  textLength: number,
  x: number,
  y: number,
): number | null {
  const doc = root.ownerDocument as CaretDocument;
  const pos = doc.caretPositionFromPoint?.(x, y);
  if (pos) return offsetOfPoint(root, blocks, pos.offsetNode, pos.offset, textLength);
  const r = doc.caretRangeFromPoint?.(x, y);
  if (r) return offsetOfPoint(root, blocks, r.startContainer, r.startOffset, textLength);
  return null;
}
