/**
 * The annotation being edited: spans, relations and document labels, changed
 * only by applying ops. Applying an op returns the ops that undo it, which is
 * all undo/redo and autosave need.
 */
import { fragmentProblem, fragmentsOf, movedEdge } from "./fragments";
import type {
  AnnotationState,
  Attributes,
  Chain,
  DocumentLabelValue,
  Label,
  Op,
  Relation,
  Span,
} from "./types";

export interface StoreChange {
  /** Spans whose extent or look changed: before (if it existed) and after (if it exists). */
  spans: Array<{ before?: Span; after?: Span }>;
  relations: boolean;
  documentLabels: boolean;
  /** Chains created, renamed or deleted (membership changes show in `spans`). */
  chains: boolean;
}

function copySpan(span: Span): Span {
  const copy: Span = { ...span, attributes: { ...span.attributes } };
  if (span.fragments && span.fragments.length >= 2)
    copy.fragments = span.fragments.map(([s, e]) => [s, e]);
  else delete copy.fragments;
  if (!span.chain) delete copy.chain;
  return copy;
}

export class SpanStore {
  readonly spans = new Map<string, Span>();
  readonly relations = new Map<string, Relation>();
  documentLabels: Record<string, DocumentLabelValue> = {};
  readonly chains = new Map<string, Chain>();
  /** Each chain's mention ids, kept with every change so a chain's highlight is cheap. */
  private readonly members = new Map<string, Set<string>>();
  /** The attribute names each span label defines (a relabel keeps only these). */
  private readonly attributesOf: Map<string, Set<string>>;

  constructor(labels: readonly Label[], state?: AnnotationState) {
    this.attributesOf = new Map(
      labels
        .filter((l) => l.kind === "span")
        .map((l) => [l.name, new Set(Object.keys(l.attributes))]),
    );
    if (state) this.reset(state);
  }

  reset(state: AnnotationState): void {
    this.spans.clear();
    this.relations.clear();
    this.chains.clear();
    this.members.clear();
    for (const chain of state.chains ?? []) {
      this.chains.set(chain.id, { ...chain });
      this.members.set(chain.id, new Set());
    }
    for (const span of state.spans) {
      const copy = copySpan(span);
      this.spans.set(span.id, copy);
      if (copy.chain) this.join(copy.chain, copy.id);
    }
    for (const rel of state.relations) this.relations.set(rel.id, { ...rel });
    this.documentLabels = { ...state.document_labels };
  }

  snapshot(): AnnotationState {
    return {
      spans: [...this.spans.values()].map(copySpan),
      relations: [...this.relations.values()].map((r) => ({ ...r })),
      document_labels: { ...this.documentLabels },
      // The canonical name is the server's to compute: a PUT sends id and name only.
      chains: [...this.chains.values()]
        .filter((c) => this.membersOf(c.id).size)
        .map(({ id, name }) => ({ id, name })),
    };
  }

  /** The ids of the mentions in a chain (empty for an unknown chain). */
  membersOf(chainId: string): ReadonlySet<string> {
    return this.members.get(chainId) ?? new Set();
  }

  /**
   * A chain lives as long as it has mentions, as on the server: a mention naming an
   * unknown chain creates it (unnamed), and the last mention leaving takes it away with
   * its name, which the returned ops put back on undo.
   */
  private join(chainId: string, spanId: string): void {
    let set = this.members.get(chainId);
    if (!set) {
      set = new Set();
      this.members.set(chainId, set);
    }
    if (!this.chains.has(chainId)) this.chains.set(chainId, { id: chainId, name: "" });
    set.add(spanId);
  }

  private leave(chainId: string, spanId: string, change: StoreChange): Op[] {
    const set = this.members.get(chainId);
    set?.delete(spanId);
    if (set?.size) return [];
    const chain = this.chains.get(chainId);
    this.chains.delete(chainId);
    this.members.delete(chainId);
    change.chains = true;
    return chain?.name ? [{ op: "set_chain", id: chainId, name: chain.name }] : [];
  }

  /**
   * True when [start, end) overlaps a span other than `ignoreId`; with `fragments`, only
   * those stretches count, and another span's interruptions never do (a quote around
   * "ujar Budi" does not overlap Budi).
   */
  overlaps(
    start: number,
    end: number,
    ignoreId?: string | readonly string[],
    fragments?: ReadonlyArray<readonly [number, number]>,
  ): boolean {
    const mine = fragments?.length ? fragments : [[start, end] as const];
    const ignored = typeof ignoreId === "string" ? [ignoreId] : (ignoreId ?? []);
    for (const s of this.spans.values()) {
      if (ignored.includes(s.id) || !(s.start < end && start < s.end)) continue;
      for (const [a, b] of fragmentsOf(s))
        for (const [c, d] of mine) if (a < d && c < b) return true;
    }
    return false;
  }

  /** A fresh client-side id (the API lets the client choose span and relation ids). */
  newId(prefix: "s" | "r" | "c"): string {
    const taken: Map<string, unknown> =
      prefix === "s" ? this.spans : prefix === "r" ? this.relations : this.chains;
    for (;;) {
      const id = `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
      if (!taken.has(id)) return id;
    }
  }

  relationsOf(spanId: string): Relation[] {
    const found: Relation[] = [];
    for (const rel of this.relations.values()) {
      if (rel.from === spanId || rel.to === spanId) found.push(rel);
    }
    return found;
  }

  /** Applies one op; returns its inverse ops (in the order to apply them). Throws on an invalid op. */
  apply(op: Op, change: StoreChange): Op[] {
    switch (op.op) {
      case "add_span":
        return this.addSpan(op.span, change);
      case "update_span":
        return this.updateSpan(op, change);
      case "delete_span":
        return this.deleteSpan(op.id, change);
      case "add_relation":
        return this.addRelation(op.relation, change);
      case "delete_relation":
        return this.deleteRelation(op.id, change);
      case "set_document_label":
        return this.setDocumentLabel(op.group, op.value, change);
      case "set_chain":
        return this.setChain(op.id, op.name, change);
      case "delete_chain":
        return this.deleteChain(op.id, change);
      case "set_status":
        return [];
    }
  }

  private addSpan(span: Span, change: StoreChange): Op[] {
    if (this.spans.has(span.id)) throw new Error(`span ${span.id} exists`);
    if (!(span.start < span.end)) throw new Error("empty span");
    this.check(span);
    const copy = copySpan(span);
    this.spans.set(span.id, copy);
    if (copy.chain) this.join(copy.chain, copy.id);
    change.spans.push({ after: copy });
    return [{ op: "delete_span", id: span.id }];
  }

  /** Refuses what the server would: fragments that are not sorted, apart and non-empty. */
  private check(span: Span): void {
    const problem = fragmentProblem(span);
    if (problem) throw new Error(problem);
  }

  /** Fragments after an update: given, or the old ones with a moved first start / last end. */
  private fragmentsAfter(before: Span, op: Extract<Op, { op: "update_span" }>): Span["fragments"] {
    if (op.fragments !== undefined) return op.fragments?.length ? op.fragments : null;
    if (!before.fragments || before.fragments.length < 2) return null;
    let list = before.fragments;
    for (const edge of ["start", "end"] as const) {
      const to = op[edge];
      if (to === undefined || to === before[edge]) continue;
      const moved = movedEdge({ ...before, fragments: list }, edge, to);
      if (!moved) throw new Error("the edge would cross the next fragment");
      list = moved;
    }
    return list;
  }

  private updateSpan(op: Extract<Op, { op: "update_span" }>, change: StoreChange): Op[] {
    const before = this.spans.get(op.id);
    if (!before) throw new Error(`no span ${op.id}`);
    const label = op.label ?? before.label;
    const fragments = this.fragmentsAfter(before, op);
    const after: Span = {
      ...before,
      start: op.start ?? fragments?.[0][0] ?? before.start,
      end: op.end ?? fragments?.[fragments.length - 1][1] ?? before.end,
      fragments,
      chain: op.chain !== undefined ? op.chain : before.chain,
      label,
      attributes: op.attributes
        ? { ...op.attributes }
        : op.label !== undefined
          ? this.keptOnRelabel(before.attributes, label)
          : before.attributes,
    };
    if (!(after.start < after.end)) throw new Error("empty span");
    this.check(after);
    const stored = copySpan(after);
    this.spans.set(op.id, stored);
    // The chain left behind may go with its name: restored after the mention, on undo.
    let restoreName: Op[] = [];
    if (before.chain !== stored.chain) {
      if (stored.chain) this.join(stored.chain, op.id);
      if (before.chain) restoreName = this.leave(before.chain, op.id, change);
    }
    change.spans.push({ before, after: stored });
    const inverse: Op = { op: "update_span", id: op.id };
    // Fragments are undone whole, with the extent they imply, so the server sees one shape.
    const refragmented =
      op.fragments !== undefined ||
      JSON.stringify(before.fragments ?? null) !== JSON.stringify(stored.fragments ?? null);
    if (op.start !== undefined || refragmented) inverse.start = before.start;
    if (op.end !== undefined || refragmented) inverse.end = before.end;
    if (refragmented) inverse.fragments = before.fragments ?? null;
    if (op.chain !== undefined) inverse.chain = before.chain ?? null;
    if (op.label !== undefined) inverse.label = before.label;
    // A relabel that dropped attributes is undone with them.
    if (
      op.attributes !== undefined ||
      (after.attributes !== before.attributes &&
        !attributesEqual(after.attributes, before.attributes))
    )
      inverse.attributes = { ...before.attributes };
    return [inverse, ...restoreName];
  }

  /**
   * The attributes a span keeps when its label changes and the op names none: only
   * those the new label defines, as the server does (annotations/services/patching.py,
   * `_op_update_span`), so a later PUT of this state is not refused for an attribute
   * the new label lacks.
   */
  private keptOnRelabel(attributes: Attributes, label: string): Attributes {
    const allowed = this.attributesOf.get(label);
    const kept: Attributes = {};
    for (const [name, value] of Object.entries(attributes))
      if (allowed?.has(name)) kept[name] = value;
    return kept;
  }

  private deleteSpan(id: string, change: StoreChange): Op[] {
    const before = this.spans.get(id);
    if (!before) throw new Error(`no span ${id}`);
    // The server also drops relations touching the span; mirror that so undo restores them.
    const touching = this.relationsOf(id);
    for (const rel of touching) this.relations.delete(rel.id);
    this.spans.delete(id);
    const restoreName = before.chain ? this.leave(before.chain, id, change) : [];
    change.spans.push({ before });
    if (touching.length) change.relations = true;
    return [
      { op: "add_span", span: before },
      ...touching.map((relation): Op => ({ op: "add_relation", relation })),
      ...restoreName,
    ];
  }

  private addRelation(relation: Relation, change: StoreChange): Op[] {
    if (this.relations.has(relation.id)) throw new Error(`relation ${relation.id} exists`);
    if (!this.spans.has(relation.from) || !this.spans.has(relation.to)) {
      throw new Error("relation endpoints missing");
    }
    this.relations.set(relation.id, { ...relation });
    change.relations = true;
    return [{ op: "delete_relation", id: relation.id }];
  }

  private deleteRelation(id: string, change: StoreChange): Op[] {
    const before = this.relations.get(id);
    if (!before) throw new Error(`no relation ${id}`);
    this.relations.delete(id);
    change.relations = true;
    return [{ op: "add_relation", relation: before }];
  }

  /** Names a chain (blank: unnamed). A chain is made by its first mention, not here. */
  private setChain(id: string, name: string, change: StoreChange): Op[] {
    const before = this.chains.get(id);
    this.chains.set(id, { ...before, id, name: name.trim() });
    if (!this.members.has(id)) this.members.set(id, new Set());
    change.chains = true;
    return [{ op: "set_chain", id, name: before?.name ?? "" }];
  }

  /** Deletes a chain; its mentions leave it (as the server does), and undo puts them back. */
  private deleteChain(id: string, change: StoreChange): Op[] {
    const before = this.chains.get(id);
    if (!before || !this.membersOf(id).size) throw new Error(`chain ${id} does not exist`);
    const inverse: Op[] = [];
    for (const spanId of [...this.membersOf(id)]) {
      const span = this.spans.get(spanId);
      if (!span) continue;
      const after = copySpan({ ...span, chain: null });
      this.spans.set(spanId, after);
      change.spans.push({ before: span, after });
      inverse.push({ op: "update_span", id: spanId, chain: id });
    }
    // The first mention put back makes the chain again; then its name.
    if (before.name) inverse.push({ op: "set_chain", id, name: before.name });
    this.chains.delete(id);
    this.members.delete(id);
    change.chains = true;
    return inverse;
  }

  private setDocumentLabel(group: string, value: DocumentLabelValue, change: StoreChange): Op[] {
    const before = this.documentLabels[group] ?? null;
    this.documentLabels = { ...this.documentLabels, [group]: value };
    change.documentLabels = true;
    return [{ op: "set_document_label", group, value: before }];
  }
}

export function emptyChange(): StoreChange {
  return { spans: [], relations: false, documentLabels: false, chains: false };
}

export function attributesEqual(a: Attributes, b: Attributes): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
