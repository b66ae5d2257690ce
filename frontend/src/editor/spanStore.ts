/**
 * The annotation being edited: spans, relations and document labels, changed
 * only by applying ops. Applying an op returns the ops that undo it, which is
 * all undo/redo and autosave need.
 */
import type {
  AnnotationState,
  Attributes,
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
}

export class SpanStore {
  readonly spans = new Map<string, Span>();
  readonly relations = new Map<string, Relation>();
  documentLabels: Record<string, DocumentLabelValue> = {};
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
    for (const span of state.spans)
      this.spans.set(span.id, { ...span, attributes: { ...span.attributes } });
    for (const rel of state.relations) this.relations.set(rel.id, { ...rel });
    this.documentLabels = { ...state.document_labels };
  }

  snapshot(): AnnotationState {
    return {
      spans: [...this.spans.values()].map((s) => ({ ...s, attributes: { ...s.attributes } })),
      relations: [...this.relations.values()].map((r) => ({ ...r })),
      document_labels: { ...this.documentLabels },
    };
  }

  /** True when [start, end) overlaps a span other than `ignoreId`. */
  overlaps(start: number, end: number, ignoreId?: string): boolean {
    for (const s of this.spans.values()) {
      if (s.id !== ignoreId && s.start < end && start < s.end) return true;
    }
    return false;
  }

  /** A fresh client-side id (the API lets the client choose span and relation ids). */
  newId(prefix: "s" | "r"): string {
    const taken: Map<string, unknown> = prefix === "s" ? this.spans : this.relations;
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
      case "set_status":
        return [];
    }
  }

  private addSpan(span: Span, change: StoreChange): Op[] {
    if (this.spans.has(span.id)) throw new Error(`span ${span.id} exists`);
    if (!(span.start < span.end)) throw new Error("empty span");
    const copy = { ...span, attributes: { ...span.attributes } };
    this.spans.set(span.id, copy);
    change.spans.push({ after: copy });
    return [{ op: "delete_span", id: span.id }];
  }

  private updateSpan(op: Extract<Op, { op: "update_span" }>, change: StoreChange): Op[] {
    const before = this.spans.get(op.id);
    if (!before) throw new Error(`no span ${op.id}`);
    const label = op.label ?? before.label;
    const after: Span = {
      ...before,
      start: op.start ?? before.start,
      end: op.end ?? before.end,
      label,
      attributes: op.attributes
        ? { ...op.attributes }
        : op.label !== undefined
          ? this.keptOnRelabel(before.attributes, label)
          : before.attributes,
    };
    if (!(after.start < after.end)) throw new Error("empty span");
    this.spans.set(op.id, after);
    change.spans.push({ before, after });
    const inverse: Op = { op: "update_span", id: op.id };
    if (op.start !== undefined) inverse.start = before.start;
    if (op.end !== undefined) inverse.end = before.end;
    if (op.label !== undefined) inverse.label = before.label;
    // A relabel that dropped attributes is undone with them.
    if (
      op.attributes !== undefined ||
      (after.attributes !== before.attributes &&
        !attributesEqual(after.attributes, before.attributes))
    )
      inverse.attributes = { ...before.attributes };
    return [inverse];
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
    change.spans.push({ before });
    if (touching.length) change.relations = true;
    return [
      { op: "add_span", span: before },
      ...touching.map((relation): Op => ({ op: "add_relation", relation })),
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

  private setDocumentLabel(group: string, value: DocumentLabelValue, change: StoreChange): Op[] {
    const before = this.documentLabels[group] ?? null;
    this.documentLabels = { ...this.documentLabels, [group]: value };
    change.documentLabels = true;
    return [{ op: "set_document_label", group, value: before }];
  }
}

export function emptyChange(): StoreChange {
  return { spans: [], relations: false, documentLabels: false };
}

export function attributesEqual(a: Attributes, b: Attributes): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
