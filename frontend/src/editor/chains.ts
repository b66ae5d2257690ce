/**
 * Speaker chains (coreference): mentions of one person or organisation ("Jens
 * Stoltenberg", "Stoltenberg", "dia", "-nya") joined under one chain id. The
 * ops that build, merge, split and delete chains, the canonical name, a
 * quote's speaker resolved through its chain, and which spans to highlight
 * together. Pure functions over the span store.
 */
import type { SpanStore } from "./spanStore";
import type { Chain, Op, Span } from "./types";

/** Labels whose mentions name a chain (the API's rule for the canonical name). */
export const NAMING_LABELS: ReadonlySet<string> = new Set(["PER", "ORG"]);

export type ChainResult =
  | { done: "started"; chain: string }
  | { done: "added"; chain: string }
  | { done: "merged"; chain: string }
  | { done: "already"; chain: string }
  | { done: "none" };

/** The mentions of a chain in reading order. */
export function chainMentions(store: SpanStore, chainId: string): Span[] {
  const list: Span[] = [];
  for (const id of store.membersOf(chainId)) {
    const s = store.spans.get(id);
    if (s) list.push(s);
  }
  return list.sort((a, b) => a.start - b.start || b.end - a.end);
}

/**
 * A chain's canonical name: its name when given, else its longest PER/ORG mention
 * (the first in the text on a tie), else its longest mention; "" for an empty chain.
 */
export function canonicalName(
  chain: Chain,
  mentions: readonly Span[],
  textOf: (span: Span) => string,
): string {
  const name = chain.name.trim();
  if (name) return name;
  const pick = (list: readonly Span[]) => {
    let best = "";
    for (const s of list) {
      const text = textOf(s).replace(/\s+/g, " ").trim();
      if ([...text].length > [...best].length) best = text;
    }
    return best;
  };
  return pick(mentions.filter((s) => NAMING_LABELS.has(s.label))) || pick(mentions);
}

/**
 * Ops moving every mention of chain `from` into chain `into`; `from` goes with its last
 * mention (chains live as long as they have mentions, on the server as in the store).
 */
export function mergeOps(store: SpanStore, into: string, from: string): Op[] {
  if (into === from || !store.chains.has(into) || !store.chains.has(from)) return [];
  const ops: Op[] = [...store.membersOf(from)].map(
    (id): Op => ({ op: "update_span", id, chain: into }),
  );
  // A merge keeps a name the annotator gave, whichever chain carried it.
  const intoName = store.chains.get(into)?.name.trim();
  const fromName = store.chains.get(from)?.name.trim();
  if (!intoName && fromName) ops.push({ op: "set_chain", id: into, name: fromName });
  return ops;
}

/** Ops taking one mention out of its chain (the chain goes with its last mention). */
export function removeOps(store: SpanStore, spanId: string): Op[] {
  return store.spans.get(spanId)?.chain ? [{ op: "update_span", id: spanId, chain: null }] : [];
}

/** Ops deleting a chain: its mentions stay, in no chain. */
export function deleteOps(store: SpanStore, chainId: string): Op[] {
  return store.membersOf(chainId).size ? [{ op: "delete_chain", id: chainId }] : [];
}

/**
 * What the chain key does with the selected mention `spanId`, given the mention
 * selected just before it (`previousId`): it joins the previous mention's chain
 * (the two chains merge when it has one too), or starts a chain of its own when the
 * previous mention is in none (or there is none: the selection was cleared).
 */
export function chainOps(
  store: SpanStore,
  spanId: string,
  previousId: string | null,
  newChainId: () => string,
): { ops: Op[]; result: ChainResult } {
  const span = store.spans.get(spanId);
  if (!span) return { ops: [], result: { done: "none" } };
  const previous = previousId && previousId !== spanId ? store.spans.get(previousId) : undefined;
  const target = previous?.chain ?? null;
  if (target && span.chain === target)
    return { ops: [], result: { done: "already", chain: target } };
  if (target && span.chain)
    return { ops: mergeOps(store, target, span.chain), result: { done: "merged", chain: target } };
  if (target)
    return {
      ops: [{ op: "update_span", id: spanId, chain: target }],
      result: { done: "added", chain: target },
    };
  if (span.chain) return { ops: [], result: { done: "already", chain: span.chain } };
  // A mention naming a new chain id makes the chain (unnamed).
  const id = newChainId();
  return {
    ops: [{ op: "update_span", id: spanId, chain: id }],
    result: { done: "started", chain: id },
  };
}

/**
 * The spans to highlight as one chain: the chain of the hovered span, else of the
 * selected one; empty when that span is in no chain.
 */
export function highlightedMentions(
  store: SpanStore,
  hoverId: string | null,
  selectedId: string | null,
): ReadonlySet<string> {
  const hovered = hoverId ? store.spans.get(hoverId)?.chain : null;
  const chain = hovered ?? (selectedId ? store.spans.get(selectedId)?.chain : null);
  return chain ? store.membersOf(chain) : EMPTY;
}

const EMPTY: ReadonlySet<string> = new Set();

/** Ids in exactly one of two sets: the spans whose chain mark changes. */
export function changedMarks(a: ReadonlySet<string>, b: ReadonlySet<string>): string[] {
  if (a === b) return [];
  const out: string[] = [];
  for (const id of a) if (!b.has(id)) out.push(id);
  for (const id of b) if (!a.has(id)) out.push(id);
  return out;
}

/**
 * Who said a quote: its SPEAKER target's text, and the chain's canonical name when
 * the target is in a chain ("dia" → "Jens Stoltenberg"). Null without a speaker.
 */
export function resolvedSpeaker(
  store: SpanStore,
  quoteId: string,
  textOf: (span: Span) => string,
  speakerLabel = "SPEAKER",
): { mention: string; name: string | null; chain: string | null } | null {
  for (const r of store.relations.values()) {
    if (r.from !== quoteId || r.label !== speakerLabel) continue;
    const target = store.spans.get(r.to);
    if (!target) return null;
    const mention = textOf(target).replace(/\s+/g, " ").trim();
    const chain = target.chain ? store.chains.get(target.chain) : undefined;
    if (!chain) return { mention, name: null, chain: null };
    const name = canonicalName(chain, chainMentions(store, chain.id), textOf);
    return { mention, name: name && name !== mention ? name : null, chain: chain.id };
  }
  return null;
}
