/**
 * From the merge proposal to gold edits. Items are matched to the gold by
 * position and label (start, end, label), never by id: annotators', the
 * proposal's and the gold's ids are unrelated. Every function returns editor
 * ops so accepting is one undoable step and the gold editor stays the one
 * place the gold changes.
 */

import type {
  DocumentReview,
  ItemStatus,
  ProposalChain,
  ProposalDocumentLabel,
  ProposalRelation,
  ProposalSpan,
  SpanKey,
} from "../api/workflow";
import type { AnnotationState, Attributes, DocumentLabelValue, Op, Span } from "../editor/types";
import { t } from "../i18n";

export const STATUS_DISPLAY: Record<ItemStatus, { icon: string; text: string }> = {
  agreed: {
    icon: "✓",
    get text() {
      return t("review.agreed");
    },
  },
  majority: {
    icon: "◐",
    get text() {
      return t("review.majority");
    },
  },
  disputed: {
    icon: "⚠",
    get text() {
      return t("review.disputed");
    },
  },
};

/** A span's identity across versions: extent, label and, for an interrupted one, its fragments. */
export const keyOf = (s: SpanKey): string =>
  s.fragments && s.fragments.length >= 2
    ? `${s.start}:${s.end}:${s.label}:${s.fragments.map(([a, b]) => `${a}-${b}`).join(",")}`
    : `${s.start}:${s.end}:${s.label}`;

export type IdMaker = (prefix: string) => string;

let counter = 0;
export const makeId: IdMaker = (prefix) =>
  `${prefix}${Date.now().toString(36)}${(++counter).toString(36)}`;

/** Gold span id by position and label. */
export function goldSpanIds(gold: AnnotationState): Map<string, string> {
  return new Map(gold.spans.map((s) => [keyOf(s), s.id]));
}

export function spanInGold(item: SpanKey, gold: AnnotationState): boolean {
  return goldSpanIds(gold).has(keyOf(item));
}

export function relationInGold(item: ProposalRelation, gold: AnnotationState): boolean {
  const ids = goldSpanIds(gold);
  const from = ids.get(keyOf(item.from));
  const to = ids.get(keyOf(item.to));
  return gold.relations.some((r) => r.from === from && r.to === to && r.label === item.label);
}

export function labelInGold(item: ProposalDocumentLabel, gold: AnnotationState): boolean {
  const value = gold.document_labels[item.group] ?? null;
  return Array.isArray(value) ? value.includes(item.value) : value === item.value;
}

/**
 * The attributes a span gets when accepted: the proposal's winners when it
 * proposed the span, else those of the first annotator who has it.
 */
export function attributesFor(review: DocumentReview, item: SpanKey): Attributes {
  const key = keyOf(item);
  const proposed = review.proposal.annotation.spans.find((s) => keyOf(s) === key);
  if (proposed) return { ...proposed.attributes };
  for (const version of review.annotations) {
    const span = version.spans.find((s) => keyOf(s) === key);
    if (span) return { ...span.attributes };
  }
  return {};
}

/** Ops that add the span unless the gold has it; `added` learns the new ids by key. */
function addSpanOps(
  review: DocumentReview,
  item: SpanKey,
  ids: Map<string, string>,
  newId: IdMaker,
): Op[] {
  const key = keyOf(item);
  if (ids.has(key)) return [];
  const span: Span = {
    id: newId("s"),
    start: item.start,
    end: item.end,
    label: item.label,
    attributes: attributesFor(review, item),
  };
  if (item.fragments && item.fragments.length >= 2)
    span.fragments = item.fragments.map(([a, b]) => [a, b]);
  ids.set(key, span.id);
  return [{ op: "add_span", span }];
}

function addRelationOps(
  review: DocumentReview,
  item: ProposalRelation,
  gold: AnnotationState,
  ids: Map<string, string>,
  newId: IdMaker,
): Op[] {
  const ops = [
    ...addSpanOps(review, item.from, ids, newId),
    ...addSpanOps(review, item.to, ids, newId),
  ];
  const from = ids.get(keyOf(item.from)) as string;
  const to = ids.get(keyOf(item.to)) as string;
  const exists = gold.relations.some(
    (r) => r.from === from && r.to === to && r.label === item.label,
  );
  if (!exists)
    ops.push({ op: "add_relation", relation: { id: newId("r"), from, to, label: item.label } });
  return ops;
}

function labelOps(
  item: ProposalDocumentLabel,
  current: DocumentLabelValue,
  multiple: boolean,
  accept: boolean,
): Op[] {
  let value: DocumentLabelValue;
  if (multiple) {
    const list = Array.isArray(current) ? current : current ? [current] : [];
    if (accept === list.includes(item.value)) return [];
    value = accept ? [...list, item.value] : list.filter((v) => v !== item.value);
  } else {
    if (accept ? current === item.value : current !== item.value) return [];
    value = accept ? item.value : null;
  }
  return [{ op: "set_document_label", group: item.group, value }];
}

export type ReviewItem =
  | { kind: "span"; item: ProposalSpan }
  | { kind: "relation"; item: ProposalRelation }
  | { kind: "label"; item: ProposalDocumentLabel }
  | { kind: "chain"; item: ProposalChain };

/** The gold chain these mentions share, when all are in the gold in one chain and it has no other. */
export function chainInGold(item: ProposalChain, gold: AnnotationState): string | null {
  const byKey = new Map(gold.spans.map((s) => [keyOf(s), s]));
  const mentions = item.mentions.map((m) => byKey.get(keyOf(m)));
  const chain = mentions[0]?.chain;
  if (!chain || mentions.some((m) => !m || m.chain !== chain)) return null;
  const size = gold.spans.filter((s) => s.chain === chain).length;
  return size === mentions.length ? chain : null;
}

/**
 * Ops that make the mentions one gold chain: missing mentions are added, and all join
 * the gold chain one of them is in already (the first such), else a new one.
 */
function chainOps(
  review: DocumentReview,
  item: ProposalChain,
  ids: Map<string, string>,
  chainOf: Map<string, string | null>,
  newId: IdMaker,
): Op[] {
  const ops: Op[] = [];
  for (const m of item.mentions) ops.push(...addSpanOps(review, m, ids, newId));
  const members = item.mentions.map((m) => ids.get(keyOf(m)) as string);
  const chain = members.map((id) => chainOf.get(id)).find((c) => !!c) ?? newId("c");
  for (const id of members) {
    if (chainOf.get(id) === chain) continue;
    ops.push({ op: "update_span", id, chain });
    chainOf.set(id, chain);
  }
  return ops;
}

export interface AcceptContext {
  review: DocumentReview;
  gold: AnnotationState;
  /** Document label groups that take several values. */
  multipleGroups: Set<string>;
  newId?: IdMaker;
}

/** Ops that put the items into the gold (ends of links included); nothing for what is there. */
export function acceptOps(items: ReviewItem[], ctx: AcceptContext): Op[] {
  const newId = ctx.newId ?? makeId;
  const ids = goldSpanIds(ctx.gold);
  const labels: Record<string, DocumentLabelValue> = { ...ctx.gold.document_labels };
  const relations = [...ctx.gold.relations];
  const chainOf = new Map(ctx.gold.spans.map((s) => [s.id, s.chain ?? null]));
  const ops: Op[] = [];
  for (const entry of items) {
    if (entry.kind === "span") ops.push(...addSpanOps(ctx.review, entry.item, ids, newId));
    else if (entry.kind === "chain")
      ops.push(...chainOps(ctx.review, entry.item, ids, chainOf, newId));
    else if (entry.kind === "relation") {
      const added = addRelationOps(ctx.review, entry.item, { ...ctx.gold, relations }, ids, newId);
      for (const op of added) if (op.op === "add_relation") relations.push(op.relation);
      ops.push(...added);
    } else {
      const multiple = ctx.multipleGroups.has(entry.item.group);
      const group = entry.item.group;
      const more = labelOps(entry.item, labels[group] ?? null, multiple, true);
      for (const op of more) if (op.op === "set_document_label") labels[group] = op.value;
      ops.push(...more);
    }
  }
  return ops;
}

/** Ops that take the item out of the gold (a span's links go with it). */
export function rejectOps(entry: ReviewItem, ctx: AcceptContext): Op[] {
  const ids = goldSpanIds(ctx.gold);
  if (entry.kind === "span") {
    const id = ids.get(keyOf(entry.item));
    return id ? [{ op: "delete_span", id }] : [];
  }
  if (entry.kind === "chain") {
    // The mentions stay in the gold; only their chain goes.
    const chain = chainInGold(entry.item, ctx.gold);
    return chain ? [{ op: "delete_chain", id: chain }] : [];
  }
  if (entry.kind === "relation") {
    const from = ids.get(keyOf(entry.item.from));
    const to = ids.get(keyOf(entry.item.to));
    return ctx.gold.relations
      .filter((r) => r.from === from && r.to === to && r.label === entry.item.label)
      .map((r): Op => ({ op: "delete_relation", id: r.id }));
  }
  const group = entry.item.group;
  const multiple = ctx.multipleGroups.has(group);
  return labelOps(entry.item, ctx.gold.document_labels[group] ?? null, multiple, false);
}

/** Every proposal item with the given status, spans first so links find their ends. */
export function itemsWithStatus(review: DocumentReview, status: ItemStatus): ReviewItem[] {
  const { proposal } = review;
  return [
    ...proposal.spans
      .filter((i) => i.status === status)
      .map((item) => ({ kind: "span" as const, item })),
    ...proposal.relations
      .filter((i) => i.status === status)
      .map((item) => ({ kind: "relation" as const, item })),
    ...proposal.document_labels
      .filter((i) => i.status === status)
      .map((item) => ({ kind: "label" as const, item })),
    ...(proposal.chains ?? [])
      .filter((i) => i.status === status)
      .map((item) => ({ kind: "chain" as const, item })),
  ];
}

/**
 * The server's rule for what a proposal may take (annotations/merging.py): everyone, or a
 * strict majority of the submitted versions (more than half: never one of two) that also
 * reaches the project's threshold.
 */
export function passes(holders: number, submitted: number, threshold: number): boolean {
  if (submitted <= 0 || holders <= 0) return false;
  if (holders === submitted) return true;
  return 2 * holders > submitted && holders >= threshold * submitted - 1e-9;
}

/**
 * What "Accept agreed + majority" takes: agreed and majority items that pass the rule, so a
 * status from an older server or a stale page never pulls a lone mark into gold.
 */
export function proposedItems(review: DocumentReview): ReviewItem[] {
  return [...itemsWithStatus(review, "agreed"), ...itemsWithStatus(review, "majority")].filter(
    (entry) => passes(entry.item.annotators.length, review.submitted, review.merge_threshold),
  );
}

/** Proposal status of each span of an annotator's version, by position and label. */
export function spanStatuses(review: DocumentReview): Map<string, ItemStatus> {
  return new Map(review.proposal.spans.map((s) => [keyOf(s), s.status]));
}

/** "0.67" for a share, "—" when there is no figure (fewer than two annotators, or no items). */
export function formatFigure(value: number | null | undefined, digits = 2): string {
  if (value === null || value === undefined || Number.isNaN(value)) return "—";
  const text = value.toFixed(digits);
  return /^-0\.?0*$/.test(text) ? text.slice(1) : text; // no "-0.00" for a tiny negative
}

/** A stable key for an item across renders and reloads. */
export function itemId(entry: ReviewItem): string {
  if (entry.kind === "span") return `span:${keyOf(entry.item)}`;
  if (entry.kind === "relation")
    return `rel:${keyOf(entry.item.from)}>${keyOf(entry.item.to)}:${entry.item.label}`;
  if (entry.kind === "chain") return `chain:${entry.item.mentions.map(keyOf).join("|")}`;
  return `label:${entry.item.group}=${entry.item.value}`;
}

export function clip(text: string, n = 50): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/** Whether each proposal item is in the gold, with the gold indexed once. */
export function goldMembership(gold: AnnotationState): (entry: ReviewItem) => boolean {
  const ids = goldSpanIds(gold);
  const links = new Set(gold.relations.map((r) => `${r.from}>${r.to}:${r.label}`));
  return (entry) => {
    if (entry.kind === "span") return ids.has(keyOf(entry.item));
    if (entry.kind === "label") return labelInGold(entry.item, gold);
    if (entry.kind === "chain") return chainInGold(entry.item, gold) !== null;
    const from = ids.get(keyOf(entry.item.from));
    const to = ids.get(keyOf(entry.item.to));
    return !!from && !!to && links.has(`${from}>${to}:${entry.item.label}`);
  };
}
