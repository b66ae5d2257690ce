/**
 * DOM point ⇄ UTF-16 offset in the full text. Each rendered block is an
 * element whose first child is one text node holding exactly the block's text,
 * so a point maps back by adding the block's start.
 */
import type { Block } from "./paragraphs";

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
