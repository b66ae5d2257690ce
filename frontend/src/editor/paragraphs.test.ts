import { describe, expect, it } from "vitest";
import { blockAt, blocksInRange, MAX_BLOCK, splitBlocks } from "./paragraphs";

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

  it("cuts a very long line into pieces at sentence ends, covering every character", () => {
    const sentence = "Jens Stoltenberg berkata bahwa latihan itu rutin. ";
    const text = sentence.repeat(400);
    const blocks = splitBlocks(text);
    expect(blocks.length).toBeGreaterThan(5);
    expect(blocks.every((b) => b.end - b.start <= MAX_BLOCK)).toBe(true);
    expect(blocks.map((b) => text.slice(b.start, b.end)).join("")).toBe(text);
    expect(blocks.slice(0, -1).every((b) => text.slice(b.end - 2, b.end) === ". ")).toBe(true);
  });

  it("never cuts a long run without spaces inside a surrogate pair", () => {
    const text = "😀".repeat(MAX_BLOCK);
    const blocks = splitBlocks(text);
    expect(blocks.map((b) => text.slice(b.start, b.end)).join("")).toBe(text);
    expect(blocks.every((b) => b.start % 2 === 0)).toBe(true);
  });
});
