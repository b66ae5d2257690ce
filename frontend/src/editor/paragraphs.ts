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

/**
 * Blocks are the unit of painting, so a text without line breaks is cut into
 * pieces of at most this many UTF-16 units, at a sentence end or a space.
 */
export const MAX_BLOCK = 3000;

function cutPoint(text: string, start: number, end: number): number {
  const limit = start + MAX_BLOCK;
  const window = text.slice(start + MAX_BLOCK / 2, limit);
  const sentence = Math.max(
    window.lastIndexOf(". "),
    window.lastIndexOf("? "),
    window.lastIndexOf("! "),
  );
  if (sentence >= 0) return start + MAX_BLOCK / 2 + sentence + 2;
  const space = window.lastIndexOf(" ");
  if (space >= 0) return start + MAX_BLOCK / 2 + space + 1;
  // No space at all: cut anywhere but inside a surrogate pair.
  const code = text.charCodeAt(limit);
  return code >= 0xdc00 && code <= 0xdfff ? limit - 1 : Math.min(limit, end);
}

export function splitBlocks(text: string): Block[] {
  const blocks: Block[] = [];
  for (const match of text.matchAll(LINE_RUN)) {
    let start = match.index ?? 0;
    const end = start + match[0].length;
    while (end - start > MAX_BLOCK) {
      const cut = cutPoint(text, start, end);
      blocks.push({ index: blocks.length, start, end: cut });
      start = cut;
    }
    blocks.push({ index: blocks.length, start, end });
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
