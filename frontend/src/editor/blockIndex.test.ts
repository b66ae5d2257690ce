import { describe, expect, it } from "vitest";
import { BlockIndex } from "./blockIndex";
import { createOffsetMap } from "./offsets";
import { blocksInRange, splitBlocks } from "./paragraphs";
import { span } from "./testing";

const TEXT = "Satu dua.\r\n\r\nTiga 😀 empat.\r\nLima.";

function index(): BlockIndex {
  const blocks = splitBlocks(TEXT);
  const offsets = createOffsetMap(TEXT);
  return new BlockIndex({
    blocks,
    blocksOf: (s) => blocksInRange(blocks, offsets.toUtf16(s.start), offsets.toUtf16(s.end)),
  });
}

describe("block index", () => {
  it("files a span under every block it touches and marks them dirty", () => {
    const idx = index();
    const dirty = new Set<number>();
    // From "dua" in block 0 to "Tiga" in block 1.
    idx.add(span("a", 5, 17), dirty);
    expect([...dirty]).toEqual([0, 1]);
    expect([...idx.idsIn(0)]).toEqual(["a"]);
    expect([...idx.idsIn(1)]).toEqual(["a"]);
    expect([...idx.idsIn(2)]).toEqual([]);
  });

  it("counts code points: a span after the emoji lands in its own block", () => {
    const idx = index();
    const dirty = new Set<number>();
    const lima = TEXT.indexOf("Lima");
    const cp = [...TEXT.slice(0, lima)].length;
    idx.add(span("l", cp, cp + 4), dirty);
    expect([...dirty]).toEqual([2]);
  });

  it("forgets removed spans and rebuilds from scratch", () => {
    const idx = index();
    const dirty = new Set<number>();
    idx.add(span("a", 0, 4), dirty);
    idx.remove(span("a", 0, 4), dirty);
    expect(idx.idsIn(0).size).toBe(0);
    idx.rebuild([span("b", 13, 17), span("c", 0, 4)]);
    expect([...idx.idsIn(0)]).toEqual(["c"]);
    expect([...idx.idsIn(1)]).toEqual(["b"]);
    expect(idx.idsIn(99).size).toBe(0);
  });
});
