/**
 * Which relation a span can start, and which spans it can point to, nearest
 * first: speakers usually sit right before or after their quote.
 */
import type { Label, Span } from "./types";

/** The relation `source` can start: the one named, else the first that fits (e.g. SPEAKER). */
export function relationLabelFor(
  relationLabels: Label[],
  source: Span,
  name?: string,
): Label | undefined {
  return relationLabels.find(
    (l) =>
      (name === undefined || l.name === name) &&
      (!l.source_labels.length || l.source_labels.includes(source.label)),
  );
}

export function linkCandidates(source: Span, spans: Iterable<Span>, relation: Label): string[] {
  const distance = (s: Span) =>
    Math.min(Math.abs(s.end - source.start), Math.abs(s.start - source.end));
  return [...spans]
    .filter(
      (s) =>
        s.id !== source.id &&
        (!relation.target_labels.length || relation.target_labels.includes(s.label)),
    )
    .sort((a, b) => distance(a) - distance(b))
    .map((s) => s.id);
}
