/**
 * Splits the text into blocks rendered as paragraphs. Line breaks (LF, CRLF, CR)
 * are not rendered; each block keeps its UTF-16 start in the full text so a DOM
 * point maps back to an exact offset whatever the line endings were.
 */

export interface Block {
  index: number;
  /** UTF-16 offset of the block's first character in the full text. */
  start: number;
  /** UTF-16 offset just past the block's last character. */
  end: number;
}

const LINE_RUN = /[^\r\n]+/g;

export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const match of text.matchAll(LINE_RUN)) {
    const start = match.index ?? 0;
    blocks.push({ index: blocks.length, start, end: start + match[0].length });
  }
  return blocks;
}

/** Index of the last block starting at or before `utf16` (0 when before every block). */
export function blockAt(blocks: Block[], utf16: number): number {
  let lo = 0;
  let hi = blocks.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    if (blocks[mid].start <= utf16) {
      found = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return found;
}

/** Indexes of the blocks that [start, end) (UTF-16) touches. */
export function blocksInRange(blocks: Block[], start: number, end: number): [number, number] {
  let first = blockAt(blocks, start);
  if (blocks.length && blocks[first].end <= start && first < blocks.length - 1) first++;
  const last = blockAt(blocks, Math.max(start, end - 1));
  return [first, Math.max(first, last)];
}
