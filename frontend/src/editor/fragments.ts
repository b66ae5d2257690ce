/**
 * Interrupted spans: a quote whose words are split by the attribution
 * ("…," ujar Budi, "…") is one span with fragments. Pure functions on code
 * point offsets: the fragments of a span, a join, a split, a valid list, and
 * the UTF-16 extents the painter needs.
 */
import type { OffsetMap } from "./offsets";
import type { Fragment, Op, Span } from "./types";

/** A span's fragments, sorted; a span without fragments is its one extent. */
export function fragmentsOf(span: Pick<Span, "start" | "end" | "fragments">): Fragment[] {
  return span.fragments && span.fragments.length >= 2 ? span.fragments : [[span.start, span.end]];
}

export function isFragmented(span: Pick<Span, "fragments">): boolean {
  return !!span.fragments && span.fragments.length >= 2;
}

/**
 * Sorted, non-empty fragments with overlapping or touching ones merged (two
 * fragments that touch read as one stretch), or null when one is empty.
 */
export function normalizeFragments(list: readonly Fragment[]): Fragment[] | null {
  if (list.some(([s, e]) => !(s < e))) return null;
  const sorted = [...list].sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const out: Fragment[] = [];
  for (const [s, e] of sorted) {
    const last = out[out.length - 1];
    if (last && s <= last[1]) last[1] = Math.max(last[1], e);
    else out.push([s, e]);
  }
  return out;
}

/** Why fragments cannot be stored as given, or null when they can (the API's rule). */
export function fragmentProblem(span: Pick<Span, "start" | "end" | "fragments">): string | null {
  const list = span.fragments;
  if (!list || list.length === 0) return null;
  if (list.length === 1) return "a span with fragments needs at least two";
  for (let i = 0; i < list.length; i++) {
    const [s, e] = list[i];
    if (!(s < e)) return "empty fragment";
    if (i > 0 && s <= list[i - 1][1]) return "fragments must be sorted and apart";
  }
  if (list[0][0] !== span.start || list[list.length - 1][1] !== span.end)
    return "start and end must be the first fragment's start and the last one's end";
  return null;
}

/** The fields a span with these fragments gets (start, end, and fragments or null). */
export function extentFields(fragments: readonly Fragment[]): {
  start: number;
  end: number;
  fragments: Fragment[] | null;
} {
  const list = fragments.map(([s, e]): Fragment => [s, e]);
  return {
    start: list[0][0],
    end: list[list.length - 1][1],
    fragments: list.length >= 2 ? list : null,
  };
}

/** The fragments of two spans (or a span and a text stretch) as one, or null when they overlap. */
export function joinFragments(a: readonly Fragment[], b: readonly Fragment[]): Fragment[] | null {
  for (const [s1, e1] of a) for (const [s2, e2] of b) if (s1 < e2 && s2 < e1) return null;
  return normalizeFragments([...a, ...b]);
}

/** Which fragment holds code point `offset` (or the nearest before it); -1 when none. */
export function fragmentAt(
  span: Pick<Span, "start" | "end" | "fragments">,
  offset: number,
): number {
  const list = fragmentsOf(span);
  let found = -1;
  for (let i = 0; i < list.length; i++) if (list[i][0] <= offset) found = i;
  return found;
}

/** True when code point `offset` lies in one of the span's fragments (not in an interruption). */
export function covers(span: Pick<Span, "start" | "end" | "fragments">, offset: number): boolean {
  return fragmentsOf(span).some(([s, e]) => s <= offset && offset < e);
}

/** The interruptions between fragments, [end of one, start of the next). */
export function gapsOf(span: Pick<Span, "start" | "end" | "fragments">): Fragment[] {
  const list = fragmentsOf(span);
  const gaps: Fragment[] = [];
  for (let i = 1; i < list.length; i++) gaps.push([list[i - 1][1], list[i][0]]);
  return gaps;
}

/** Fragments in UTF-16 offsets (the DOM's), through the one offsets module. */
export function fragmentsUtf16(
  span: Pick<Span, "start" | "end" | "fragments">,
  offsets: Pick<OffsetMap, "toUtf16">,
): Fragment[] {
  return fragmentsOf(span).map(([s, e]): Fragment => [offsets.toUtf16(s), offsets.toUtf16(e)]);
}

/**
 * The ops that make `other` (a span or a fresh text stretch) part of `kept`: one
 * span, `kept`'s id. A span joined in is deleted and its links move to `kept`
 * unless `kept` already has a link of that label from it (a quote has one speaker).
 * Null when the two overlap.
 */
export function joinOps(
  kept: Span,
  other: Span | Fragment,
  relations: Iterable<{ id: string; from: string; to: string; label: string }>,
  newRelationId: () => string,
): Op[] | null {
  const otherFragments = Array.isArray(other) ? [other] : fragmentsOf(other);
  const joined = joinFragments(fragmentsOf(kept), otherFragments);
  if (!joined) return null;
  const ops: Op[] = [];
  const moved: Op[] = [];
  if (!Array.isArray(other)) {
    const all = [...relations];
    const keptLabels = new Set(all.filter((r) => r.from === kept.id).map((r) => r.label));
    for (const r of all) {
      if (r.from === other.id && !keptLabels.has(r.label) && r.to !== kept.id)
        moved.push({
          op: "add_relation",
          relation: { id: newRelationId(), from: kept.id, to: r.to, label: r.label },
        });
      else if (r.to === other.id && r.from !== kept.id)
        moved.push({
          op: "add_relation",
          relation: { id: newRelationId(), from: r.from, to: kept.id, label: r.label },
        });
    }
    // Deleted first: with overlapping spans forbidden, the joined extent must not meet it.
    ops.push({ op: "delete_span", id: other.id });
  }
  const fields = extentFields(joined);
  const op: Extract<Op, { op: "update_span" }> = { op: "update_span", id: kept.id, ...fields };
  if (!Array.isArray(other) && !Object.keys(kept.attributes).length) {
    if (Object.keys(other.attributes).length) op.attributes = { ...other.attributes };
  }
  ops.push(op, ...moved);
  return ops;
}

/**
 * The ops that take fragment `index` out of `span` as a span of its own (same label and
 * attributes, a new id, no links); the span keeps the rest and its links. Null when the
 * span has one fragment.
 */
export function splitOps(span: Span, index: number, newId: string): Op[] | null {
  const list = fragmentsOf(span);
  if (list.length < 2 || index < 0 || index >= list.length) return null;
  const [s, e] = list[index];
  const rest = list.filter((_, i) => i !== index);
  return [
    { op: "update_span", id: span.id, ...extentFields(rest) },
    {
      op: "add_span",
      span: { id: newId, start: s, end: e, label: span.label, attributes: { ...span.attributes } },
    },
  ];
}

/**
 * The fragments after one edge of a span moved to `to` (a resize): the first fragment's
 * start or the last one's end. Null when that fragment would be empty or cross the next.
 */
export function movedEdge(
  span: Pick<Span, "start" | "end" | "fragments">,
  edge: "start" | "end",
  to: number,
): Fragment[] | null {
  const list = fragmentsOf(span).map(([s, e]): Fragment => [s, e]);
  if (edge === "start") list[0][0] = to;
  else list[list.length - 1][1] = to;
  for (let i = 0; i < list.length; i++) {
    if (!(list[i][0] < list[i][1])) return null;
    if (i > 0 && list[i][0] <= list[i - 1][1]) return null;
  }
  return list;
}
