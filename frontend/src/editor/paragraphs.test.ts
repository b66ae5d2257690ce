import { describe, expect, it } from "vitest";
import { blockAt, blocksInRange, splitBlocks } from "./paragraphs";

describe("splitting text into blocks", () => {
  it("keeps UTF-16 starts across LF, CRLF and blank lines", () => {
    const text = "One\r\n\r\nTwo\nThree\rFour";
    const blocks = splitBlocks(text);
    expect(blocks.map((b) => text.slice(b.start, b.end))).toEqual(["One", "Two", "Three", "Four"]);
    expect(blocks[1].start).toBe(text.indexOf("Two"));
  });

  it("finds the block of an offset and the blocks of a range", () => {
    const text = "aaa\nbbb\n\nccc";
    const blocks = splitBlocks(text);
    expect(blockAt(blocks, 0)).toBe(0);
    expect(blockAt(blocks, 5)).toBe(1);
    expect(blockAt(blocks, 8)).toBe(1);
    expect(blocksInRange(blocks, 1, 6)).toEqual([0, 1]);
    expect(blocksInRange(blocks, 3, 5)).toEqual([1, 1]);
    expect(blocksInRange(blocks, 9, 12)).toEqual([2, 2]);
  });
});
