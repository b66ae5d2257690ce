/**
 * The one place where browser offsets (UTF-16 code units) and API offsets
 * (Unicode code points, as Python's str indexes) are converted.
 *
 * Most news text has no astral characters, so the map is the identity and
 * costs nothing; otherwise conversions binary-search a sorted list of the
 * surrogate pairs' positions, O(log pairs) per call.
 */

export interface OffsetMap {
  /** Length of the text in code points (Python's len()). */
  readonly codePointLength: number;
  /** UTF-16 index → code point index. An index inside a pair rounds down. */
  toCodePoint(utf16: number): number;
  /** Code point index → UTF-16 index. */
  toUtf16(codePoint: number): number;
}

function isHigh(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

function isLow(code: number): boolean {
  return code >= 0xdc00 && code <= 0xdfff;
}

const SURROGATE = /[\uD800-\uDFFF]/;

/** True when `utf16` falls between the two halves of a surrogate pair. */
export function splitsPair(text: string, utf16: number): boolean {
  return (
    utf16 > 0 &&
    utf16 < text.length &&
    isHigh(text.charCodeAt(utf16 - 1)) &&
    isLow(text.charCodeAt(utf16))
  );
}

/** Widen [start, end) so neither end splits a surrogate pair. */
export function widenToCodePoints(text: string, start: number, end: number): [number, number] {
  return [splitsPair(text, start) ? start - 1 : start, splitsPair(text, end) ? end + 1 : end];
}

/** Count of sorted values strictly below `x`. */
function countBelow(sorted: Int32Array, x: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function clamp(value: number, max: number): number {
  return value < 0 ? 0 : Math.min(value, max);
}

export function createOffsetMap(text: string): OffsetMap {
  const length = text.length;
  if (!SURROGATE.test(text)) {
    return {
      codePointLength: length,
      toCodePoint: (utf16) => clamp(utf16, length),
      toUtf16: (codePoint) => clamp(codePoint, length),
    };
  }
  const pairsUtf16: number[] = [];
  for (let i = 0; i < length - 1; i++) {
    if (isHigh(text.charCodeAt(i)) && isLow(text.charCodeAt(i + 1))) {
      pairsUtf16.push(i);
      i++;
    }
  }
  const atUtf16 = Int32Array.from(pairsUtf16);
  const atCodePoint = Int32Array.from(pairsUtf16, (u, k) => u - k);
  const codePointLength = length - atUtf16.length;
  return {
    codePointLength,
    toCodePoint(utf16) {
      const u = clamp(utf16, length);
      return u - countBelow(atUtf16, u);
    },
    toUtf16(codePoint) {
      const c = clamp(codePoint, codePointLength);
      return c + countBelow(atCodePoint, c);
    },
  };
}
