/**
 * Cuts a text into runs that are covered by the same set of spans, so a
 * read-only version can be rendered as plain text nodes and <mark>s: no HTML
 * is ever built from document text. Offsets in: code points; out: UTF-16.
 */
import { createOffsetMap } from "../editor";
import type { Span } from "../editor/types";

export interface Segment {
  /** UTF-16 offsets into the text. */
  start: number;
  end: number;
  text: string;
  /** Spans covering the run, outermost (earliest start, longest) first. */
  spans: Span[];
  /** Spans that end exactly at this run's end (where their tag goes). */
  ending: Span[];
}

interface Placed {
  span: Span;
  a: number;
  b: number;
}

/** One sweep over the span boundaries: O((cuts + spans) · overlap depth). */
export function segments(text: string, spans: Span[]): Segment[] {
  const map = createOffsetMap(text);
  const placed: Placed[] = spans
    .filter((s) => 0 <= s.start && s.start < s.end && s.end <= map.codePointLength)
    .map((s) => ({ span: s, a: map.toUtf16(s.start), b: map.toUtf16(s.end) }))
    .sort((x, y) => x.a - y.a || y.b - x.b);
  const cuts = new Set<number>([0, text.length]);
  for (const { a, b } of placed) {
    cuts.add(a);
    cuts.add(b);
  }
  const points = [...cuts].sort((x, y) => x - y);
  const out: Segment[] = [];
  let active: Placed[] = [];
  let next = 0;
  for (let i = 0; i + 1 < points.length; i++) {
    const start = points[i];
    const end = points[i + 1];
    active = active.filter((p) => p.b > start);
    while (next < placed.length && placed[next].a <= start) active.push(placed[next++]);
    active.sort((x, y) => x.a - y.a || y.b - x.b);
    out.push({
      start,
      end,
      text: text.slice(start, end),
      spans: active.map((p) => p.span),
      ending: active.filter((p) => p.b === end).map((p) => p.span),
    });
  }
  return out;
}
