/**
 * A history event's `changes` (annotations/services/annotating.py) as lines a person reads:
 * "+ PER “Jens Stoltenberg”", "− QUOTE “Kami siap”", "PER → ORG “NATO”", "sentiment:
 * negative → positive". Whole writes (`put`) carry added, removed and changed items;
 * batches (`patch`) their operations and the removed items' old values. Label names stay
 * identifiers; attribute, group and value names read in the interface language (`labels`).
 */
import type { Label } from "../editor/types";
import { t } from "../i18n";
import { attributeName, attributeValue, documentValueName, groupName } from "../i18n/labelText";

export type LineKind = "added" | "removed" | "changed" | "note";

export interface DiffLine {
  kind: LineKind;
  text: string;
}

interface SpanLike {
  id: string;
  start: number;
  end: number;
  label: string;
  attributes?: Record<string, string>;
}

interface RelationLike {
  id?: string;
  from: string;
  to: string;
  label: string;
}

type Changes = Record<string, unknown>;

const MAX_QUOTE = 60;

function quote(text: string | undefined): string {
  if (text === undefined) return "";
  const clipped = text.length > MAX_QUOTE ? `${text.slice(0, MAX_QUOTE - 1)}…` : text;
  return `“${clipped}”`;
}

function isSpan(x: unknown): x is SpanLike {
  const s = x as SpanLike;
  return (
    !!s && typeof s.start === "number" && typeof s.end === "number" && typeof s.label === "string"
  );
}

function isRelation(x: unknown): x is RelationLike {
  const r = x as RelationLike;
  return !!r && typeof r.from === "string" && typeof r.to === "string";
}

function valueText(v: unknown, name: (value: string) => string = String): string {
  if (v === null || v === undefined || v === "") return t("history.nothing");
  return (Array.isArray(v) ? v : [v]).map((x) => name(String(x))).join(", ");
}

/** Reads a document's text by code points (the offsets the API speaks). */
export function textReader(text: string): (start: number, end: number) => string {
  const points = Array.from(text);
  return (start, end) => points.slice(start, end).join("");
}

export function describeChanges(
  action: string,
  changes: Changes,
  textOf: (start: number, end: number) => string,
  labels: readonly Label[] = [],
): DiffLine[] {
  const lines: DiffLine[] = [];
  const spanLabel = (name: string) => labels.find((l) => l.kind === "span" && l.name === name);
  const span = (s: SpanLike) => `${s.label} ${quote(textOf(s.start, s.end))}`;
  const spansById = new Map<string, SpanLike>();
  const remember = (s: unknown) => isSpan(s) && spansById.set(s.id, s);
  const end = (id: string) => {
    const s = spansById.get(id);
    return s ? quote(textOf(s.start, s.end)) : id;
  };
  const link = (r: RelationLike) =>
    t("history.link", { label: r.label, from: end(r.from), to: end(r.to) });
  const changedSpan = (before: SpanLike, after: SpanLike): string => {
    const parts: string[] = [];
    if (before.label !== after.label) parts.push(`${before.label} → ${after.label}`);
    if (before.start !== after.start || before.end !== after.end)
      parts.push(
        t("history.moved", {
          from: quote(textOf(before.start, before.end)),
          to: quote(textOf(after.start, after.end)),
        }),
      );
    if (JSON.stringify(before.attributes ?? {}) !== JSON.stringify(after.attributes ?? {}))
      parts.push(
        t("history.attributes", {
          values:
            Object.entries(after.attributes ?? {})
              .map(([k, v]) => {
                const def = spanLabel(after.label);
                return `${attributeName(def, k)}=${valueText(v, (x) => attributeValue(def, x))}`;
              })
              .join(", ") || t("history.nothing"),
        }),
      );
    return `${after.label} ${quote(textOf(after.start, after.end))}: ${parts.join("; ")}`;
  };

  if (action === "import") lines.push({ kind: "note", text: t("history.imported") });
  if (action === "admin") lines.push({ kind: "note", text: t("history.admin") });

  const spans = changes.spans as
    | { added?: unknown[]; removed?: unknown[]; changed?: { before: unknown; after: unknown }[] }
    | undefined;
  const relations = changes.relations as typeof spans;
  if (spans && !Array.isArray(spans)) {
    for (const s of [...(spans.added ?? []), ...(spans.removed ?? [])]) remember(s);
    for (const c of spans.changed ?? []) remember(c.after);
    for (const s of spans.added ?? []) if (isSpan(s)) lines.push({ kind: "added", text: span(s) });
    for (const s of spans.removed ?? [])
      if (isSpan(s)) lines.push({ kind: "removed", text: span(s) });
    for (const c of spans.changed ?? [])
      if (isSpan(c.before) && isSpan(c.after))
        lines.push({ kind: "changed", text: changedSpan(c.before, c.after) });
  }
  if (relations && !Array.isArray(relations)) {
    for (const r of relations.added ?? [])
      if (isRelation(r)) lines.push({ kind: "added", text: link(r) });
    for (const r of relations.removed ?? [])
      if (isRelation(r)) lines.push({ kind: "removed", text: link(r) });
  }

  const ops = Array.isArray(changes.ops) ? (changes.ops as Record<string, unknown>[]) : [];
  const removed = (changes.removed ?? {}) as { spans?: unknown[]; relations?: unknown[] };
  const oldSpans = new Map<string, SpanLike>();
  for (const s of removed.spans ?? []) if (isSpan(s)) oldSpans.set(s.id, s);
  const oldRelations = new Map<string, RelationLike>();
  for (const r of removed.relations ?? []) if (isRelation(r) && r.id) oldRelations.set(r.id, r);
  for (const op of ops) if (op.op === "add_span") remember(op.span);
  for (const s of oldSpans.values()) if (!spansById.has(s.id)) remember(s);
  for (const op of ops) {
    const id = String(op.id ?? "");
    if (op.op === "add_span" && isSpan(op.span)) lines.push({ kind: "added", text: span(op.span) });
    else if (op.op === "delete_span" && oldSpans.has(id))
      lines.push({ kind: "removed", text: span(oldSpans.get(id) as SpanLike) });
    else if (op.op === "update_span" && oldSpans.has(id)) {
      const before = oldSpans.get(id) as SpanLike;
      const after = { ...before, ...(op as Partial<SpanLike>), id };
      remember(after);
      lines.push({ kind: "changed", text: changedSpan(before, after) });
    } else if (op.op === "add_relation" && isRelation(op.relation))
      lines.push({ kind: "added", text: link(op.relation) });
    else if (op.op === "delete_relation" && oldRelations.has(id))
      lines.push({ kind: "removed", text: link(oldRelations.get(id) as RelationLike) });
  }

  const chosen = changes.document_labels as
    | { before?: Record<string, unknown>; after?: Record<string, unknown> }
    | undefined;
  if (chosen && typeof chosen === "object") {
    const before = chosen.before ?? {};
    const after = chosen.after ?? {};
    for (const group of new Set([...Object.keys(before), ...Object.keys(after)])) {
      const value = (name: string) => documentValueName(group, name, labels);
      if (JSON.stringify(before[group]) === JSON.stringify(after[group])) continue;
      lines.push({
        kind: "changed",
        text: `${groupName(group, labels)}: ${valueText(before[group], value)} → ${valueText(
          after[group],
          value,
        )}`,
      });
    }
  }
  const status = changes.status as { before?: string; after?: string } | undefined;
  if (status && typeof status === "object")
    lines.push({
      kind: "changed",
      text: t("history.status", {
        before: statusName(status.before),
        after: statusName(status.after),
      }),
    });
  if (!lines.length) lines.push({ kind: "note", text: t("history.noChange") });
  return lines;
}

export function statusName(status: string | undefined): string {
  if (status === "draft") return t("history.draft");
  if (status === "submitted") return t("history.submitted");
  if (status === "skipped") return t("history.skipped");
  return status ?? "";
}
