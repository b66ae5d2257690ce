/**
 * Find as you would with the keyboard only: the next (or previous) occurrence of
 * the query, case-insensitive, after the selection, the selected span or the last
 * match, wrapping around; it becomes the text selection so a hotkey can label it.
 */
import { blockAt } from "./paragraphs";
import type { Surface } from "./surface";

/** UTF-16 index of the next match after `from` (before it when dir is -1), wrapping; -1 if none. */
export function nextMatch(haystack: string, needle: string, from: number, dir: 1 | -1): number {
  const at =
    dir > 0
      ? haystack.indexOf(needle, from + 1)
      : haystack.lastIndexOf(needle, Math.max(0, from - 1));
  if (at >= 0) return at;
  return dir > 0 ? haystack.indexOf(needle) : haystack.lastIndexOf(needle);
}

export type Find = (query: string, dir?: 1 | -1) => boolean;

/** `selectedStart` gives the UTF-16 start of the selected span, if any. */
export function createFind(surface: Surface, selectedStart: () => number | null): Find {
  let lowered: string | null = null;
  let lastFind = -1;
  return (query, dir = 1) => {
    if (!query) return false;
    lowered ??= surface.text.toLowerCase();
    const needle = query.toLowerCase();
    const from = surface.selection()?.[0] ?? selectedStart() ?? lastFind;
    const at = nextMatch(lowered, needle, from, dir);
    if (at < 0) return false;
    lastFind = at;
    if (!surface.select(at, at + needle.length)) return false;
    surface.scrollToBlock(blockAt(surface.blocks, at));
    return true;
  };
}
