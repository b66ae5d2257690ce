/**
 * Snaps a UTF-16 selection to word boundaries: trims surrounding white space,
 * then grows each end to the edge of the word it cuts. Works on whole code
 * points, so it never splits a surrogate pair.
 */
import { widenToCodePoints } from "./offsets";

const WORD = /^[\p{L}\p{N}\p{M}\p{Pc}]$/u;
const JOINER = /^['’\-.]$/u;
const SPACE = /^\s$/u;

function charBefore(text: string, i: number): string {
  if (i <= 0) return "";
  const code = text.charCodeAt(i - 1);
  return code >= 0xdc00 && code <= 0xdfff && i >= 2 ? text.slice(i - 2, i) : text[i - 1];
}

function charAt(text: string, i: number): string {
  if (i >= text.length) return "";
  return String.fromCodePoint(text.codePointAt(i) ?? 0);
}

function isWord(ch: string): boolean {
  return ch !== "" && WORD.test(ch);
}

/** A joiner (apostrophe, hyphen, dot) counts as part of a word only between word characters. */
function inWordBefore(text: string, i: number): boolean {
  const ch = charBefore(text, i);
  if (isWord(ch)) return true;
  return JOINER.test(ch) && isWord(charBefore(text, i - ch.length)) && isWord(charAt(text, i));
}

function inWordAt(text: string, i: number): boolean {
  const ch = charAt(text, i);
  if (isWord(ch)) return true;
  return JOINER.test(ch) && isWord(charAt(text, i + ch.length)) && isWord(charBefore(text, i));
}

export function trimSpaces(text: string, start: number, end: number): [number, number] {
  let s = start;
  let e = end;
  while (s < e && SPACE.test(charAt(text, s))) s += charAt(text, s).length;
  while (e > s && SPACE.test(charBefore(text, e))) e -= charBefore(text, e).length;
  return [s, e];
}

export function snapToWords(text: string, start: number, end: number): [number, number] {
  let [s, e] = trimSpaces(text, ...widenToCodePoints(text, start, end));
  if (s === e) return [s, e];
  if (isWord(charAt(text, s))) {
    while (s > 0 && inWordBefore(text, s)) s -= charBefore(text, s).length;
  }
  if (isWord(charBefore(text, e))) {
    while (e < text.length && inWordAt(text, e)) e += charAt(text, e).length;
  }
  return [s, e];
}

/** Offset of the next (dir 1) or previous (dir -1) word edge from `i`, for keyboard resizing. */
export function nextWordEdge(text: string, i: number, dir: 1 | -1): number {
  let p = i;
  if (dir > 0) {
    while (p < text.length && !inWordAt(text, p)) p += charAt(text, p).length || 1;
    while (p < text.length && inWordAt(text, p)) p += charAt(text, p).length || 1;
  } else {
    while (p > 0 && !inWordBefore(text, p)) p -= charBefore(text, p).length || 1;
    while (p > 0 && inWordBefore(text, p)) p -= charBefore(text, p).length || 1;
  }
  return p;
}

/**
 * Where a span edge lands when moved by a word: the end stops at word ends and
 * the start at word starts, so spans never gain or keep edge white space.
 */
export function moveEdgeByWord(
  text: string,
  i: number,
  edge: "start" | "end",
  dir: 1 | -1,
): number {
  if ((edge === "end" && dir > 0) || (edge === "start" && dir < 0))
    return nextWordEdge(text, i, dir);
  let p = i;
  if (dir < 0) {
    while (p > 0 && inWordBefore(text, p)) p -= charBefore(text, p).length || 1;
    while (p > 0 && !inWordBefore(text, p)) p -= charBefore(text, p).length || 1;
  } else {
    while (p < text.length && inWordAt(text, p)) p += charAt(text, p).length || 1;
    while (p < text.length && !inWordAt(text, p)) p += charAt(text, p).length || 1;
  }
  return p;
}
