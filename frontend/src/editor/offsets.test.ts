import { describe, expect, it } from "vitest";
import { createOffsetMap, splitsPair, widenToCodePoints } from "./offsets";

/** What Python's text.index(needle) returns: a code point index. */
function pythonIndex(text: string, needle: string): number {
  return Array.from(text.slice(0, text.indexOf(needle))).length;
}

function roundTrip(text: string): void {
  const map = createOffsetMap(text);
  expect(map.codePointLength).toBe(Array.from(text).length);
  for (let u = 0; u <= text.length; u++) {
    if (splitsPair(text, u)) continue;
    const cp = map.toCodePoint(u);
    expect(cp).toBe(Array.from(text.slice(0, u)).length);
    expect(map.toUtf16(cp)).toBe(u);
  }
}

describe("offset conversion", () => {
  it("is the identity on text without surrogate pairs", () => {
    const map = createOffsetMap("plain ASCII, é and CRLF\r\n");
    expect(map.toCodePoint(10)).toBe(10);
    expect(map.toUtf16(10)).toBe(10);
    expect(map.codePointLength).toBe(25);
  });

  it("counts an emoji as one code point", () => {
    const text = "😀 Jens Stoltenberg";
    const map = createOffsetMap(text);
    const u = text.indexOf("Jens");
    expect(u).toBe(3);
    expect(map.toCodePoint(u)).toBe(pythonIndex(text, "Jens"));
    expect(map.toCodePoint(u)).toBe(2);
    expect(map.toUtf16(2)).toBe(3);
    roundTrip(text);
  });

  it("counts a flag as two regional indicator code points", () => {
    const text = "🇮🇩 NATO 🇳🇴 Oslo";
    const map = createOffsetMap(text);
    expect(map.toCodePoint(text.indexOf("NATO"))).toBe(3);
    expect(map.toCodePoint(text.indexOf("Oslo"))).toBe(pythonIndex(text, "Oslo"));
    roundTrip(text);
  });

  it("leaves combining marks as separate code points", () => {
    const text = "Cafe\u0301 😀 Ine\u0301s";
    roundTrip(text);
    expect(createOffsetMap(text).toCodePoint(text.indexOf("In"))).toBe(8);
  });

  it("keeps CRLF as two code points", () => {
    const text = "Line one\r\n\r\n😀 Line two\r\nend";
    const map = createOffsetMap(text);
    expect(map.toCodePoint(text.indexOf("Line two"))).toBe(pythonIndex(text, "Line two"));
    roundTrip(text);
  });

  it("handles ZWJ sequences and pairs at the very start and end", () => {
    roundTrip("👨‍👩‍👧 family 👍🏽");
    roundTrip("😀");
    roundTrip("😀😀x😀");
    roundTrip("");
  });

  it("rounds an index inside a pair down and clamps out-of-range input", () => {
    const text = "a😀b";
    const map = createOffsetMap(text);
    expect(map.toCodePoint(2)).toBe(1);
    expect(map.toCodePoint(99)).toBe(3);
    expect(map.toCodePoint(-5)).toBe(0);
    expect(map.toUtf16(99)).toBe(4);
  });

  it("treats lone surrogates as single units", () => {
    const text = "a\uD83Db\uDE00c😀";
    roundTrip(text);
  });
});

describe("widening selections to whole code points", () => {
  const text = "😀abc😀";

  it("widens a start that splits a pair to the left", () => {
    expect(widenToCodePoints(text, 1, 4)).toEqual([0, 4]);
  });

  it("widens an end that splits a pair to the right", () => {
    expect(widenToCodePoints(text, 2, 6)).toEqual([2, 7]);
  });

  it("leaves whole selections alone", () => {
    expect(widenToCodePoints(text, 0, 7)).toEqual([0, 7]);
    expect(widenToCodePoints(text, 2, 5)).toEqual([2, 5]);
  });

  it("converts a widened selection to the API's code points", () => {
    const [s, e] = widenToCodePoints(text, 1, 6);
    const map = createOffsetMap(text);
    expect([map.toCodePoint(s), map.toCodePoint(e)]).toEqual([0, 5]);
  });
});

describe("random text round trip", () => {
  it("matches Array.from on every boundary", () => {
    const alphabet = ["a", " ", "\r\n", "é", "e\u0301", "😀", "🇮🇩", "👍🏽", "\n", "中"];
    let seed = 7;
    const rand = () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
    for (let n = 0; n < 50; n++) {
      let s = "";
      for (let i = 0; i < 40; i++) s += alphabet[Math.floor(rand() * alphabet.length)];
      roundTrip(s);
    }
  });
});
