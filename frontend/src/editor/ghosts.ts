/**
 * Suggestions as ghosts: spans and links a suggester proposed, shown apart from the
 * annotation until accepted (then they are ordinary spans that remember their source and
 * score) or rejected. A ghost is shown unless it was rejected, its id is taken, or the
 * annotation already has a span with the same offsets and label. Pure state: painting
 * reads `index` and `shown`; accepting returns the ops, which go through undo like any edit.
 */
import { BlockIndex } from "./blockIndex";
import type { SpanStore } from "./spanStore";
import type { Surface } from "./surface";
import type { Op, Relation, Span } from "./types";

export interface SuggestedSpan extends Span {
  score: number;
  source: string;
}

export interface SuggestedRelation {
  from: string;
  to: string;
  label: string;
  score: number;
  source: string;
}

export interface SuggestionSet {
  spans: SuggestedSpan[];
  relations: SuggestedRelation[];
}

const key = (s: Pick<Span, "start" | "end" | "label">) => `${s.start}:${s.end}:${s.label}`;

/** A relation id from its ends and label: the same link accepted twice is one relation. */
export function relationId(from: string, to: string, label: string): string {
  let h = 0x811c9dc5;
  for (const ch of `${from}\u0000${to}\u0000${label}`) {
    h ^= ch.charCodeAt(0);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return `sg-${h.toString(36)}`;
}

export class Ghosts {
  readonly index: BlockIndex;
  private readonly byId = new Map<string, SuggestedSpan>();
  private relations: SuggestedRelation[] = [];
  private readonly rejected = new Set<string>();
  /** The annotation's spans by offsets and label: built once, then kept per change. */
  private real: Map<string, string> | null = null;
  /** Every ghost by start (longer first), and each one's place in that order. */
  private sorted: SuggestedSpan[] = [];
  private readonly place = new Map<string, number>();
  private ordered: SuggestedSpan[] | null = null;
  visible = true;

  constructor(
    private readonly store: SpanStore,
    surface: Pick<Surface, "blocks" | "blocksOf">,
  ) {
    this.index = new BlockIndex(surface);
  }

  load(set: SuggestionSet | null, rejected: Iterable<string> = []): void {
    this.byId.clear();
    for (const span of set?.spans ?? []) this.byId.set(span.id, span);
    this.relations = set?.relations ?? [];
    this.rejected.clear();
    for (const id of rejected) this.rejected.add(id);
    this.index.rebuild(this.byId.values());
    this.sorted = [...this.byId.values()].sort(
      (a, b) => a.start - b.start || b.end - a.end || (a.id < b.id ? -1 : 1),
    );
    this.place.clear();
    for (const [i, g] of this.sorted.entries()) this.place.set(g.id, i);
    this.real = null;
    this.ordered = null;
  }

  get size(): number {
    return this.byId.size;
  }

  get(id: string): SuggestedSpan | undefined {
    return this.byId.get(id);
  }

  /** The annotation changed: these spans came, went or moved (none given: anything did). */
  annotationChanged(spans?: ReadonlyArray<{ before?: Span; after?: Span }>): void {
    this.ordered = null;
    if (!spans || !this.real) {
      this.real = null;
      return;
    }
    for (const { before, after } of spans) {
      // A span that went may have had a twin at the same place: count again (rare).
      if (before && this.real.get(key(before)) === before.id) {
        this.real = null;
        return;
      }
      if (after) this.real.set(key(after), after.id);
    }
  }

  private realIds(): Map<string, string> {
    if (!this.real) {
      this.real = new Map();
      if (this.byId.size) for (const s of this.store.spans.values()) this.real.set(key(s), s.id);
    }
    return this.real;
  }

  shown(id: string): boolean {
    const ghost = this.byId.get(id);
    return (
      !!ghost &&
      this.visible &&
      !this.rejected.has(id) &&
      !this.store.spans.has(id) &&
      !this.realIds().has(key(ghost))
    );
  }

  /** Shown ghosts by start, longer first on ties. */
  inOrder(): SuggestedSpan[] {
    if (!this.ordered) this.ordered = this.sorted.filter((g) => this.shown(g.id));
    return this.ordered;
  }

  /** The shown ghost after (or before) `id`, or from `offset` on (before it) when `id` is
   *  none; wraps around. Steps over hidden ghosts only, so it costs little whatever the
   *  number of suggestions. */
  adjacent(id: string | null, dir: 1 | -1, offset = 0): SuggestedSpan | undefined {
    const n = this.sorted.length;
    let at = id ? this.place.get(id) : undefined;
    if (at === undefined) {
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (this.sorted[mid].start < offset) lo = mid + 1;
        else hi = mid;
      }
      at = dir > 0 ? lo - 1 : lo;
    }
    for (let step = 1; step <= n; step++) {
      const ghost = this.sorted[(((at + dir * step) % n) + n) % n];
      if (this.shown(ghost.id)) return ghost;
    }
    return undefined;
  }

  /** The shown ghost covering code point `offset` (the shortest), if any. */
  at(offset: number, block: number): SuggestedSpan | undefined {
    let best: SuggestedSpan | undefined;
    for (const id of this.index.idsIn(block)) {
      const g = this.byId.get(id);
      if (!g || !this.shown(id) || g.start > offset || g.end <= offset) continue;
      if (!best || g.end - g.start < best.end - best.start) best = g;
    }
    return best;
  }

  reject(id: string): boolean {
    if (!this.shown(id)) return false;
    this.rejected.add(id);
    if (this.ordered) this.ordered = this.ordered.filter((g) => g.id !== id);
    return true;
  }

  get rejectedIds(): string[] {
    return [...this.rejected];
  }

  /**
   * The ops that accept these ghosts: each as a span with its source and score, and every
   * suggested link whose two ends are then in the annotation. With overlap off, a ghost that
   * would overlap a span (or one accepted before it) is left out and counted in `skipped`.
   */
  acceptOps(ids: Iterable<string>, opts: { allowOverlap: boolean; length: number }) {
    const real = this.realIds();
    const taking = [...ids]
      .filter((id) => this.shown(id))
      .map((id) => this.byId.get(id) as SuggestedSpan)
      .sort((a, b) => a.start - b.start || b.end - a.end);
    let skipped = 0;
    const covered = opts.allowOverlap ? null : this.coverage(opts.length);
    const ops: Op[] = [];
    const accepted = new Set<string>();
    for (const g of taking) {
      if (covered && !claim(covered, g.start, g.end)) {
        skipped++;
        continue;
      }
      const { id, start, end, label, attributes, source, score } = g;
      ops.push({ op: "add_span", span: { id, start, end, label, attributes, source, score } });
      accepted.add(id);
    }
    const resolve = (id: string): string | undefined => {
      if (accepted.has(id) || this.store.spans.has(id)) return id;
      const ghost = this.byId.get(id);
      return ghost ? real.get(key(ghost)) : undefined;
    };
    const existing = new Set(
      [...this.store.relations.values()].map((r) => `${r.from}>${r.to}>${r.label}`),
    );
    for (const rel of this.relations) {
      if (!accepted.has(rel.from) && !accepted.has(rel.to)) continue;
      const from = resolve(rel.from);
      const to = resolve(rel.to);
      const sig = `${from}>${to}>${rel.label}`;
      if (!from || !to || existing.has(sig)) continue;
      existing.add(sig);
      const relation: Relation = {
        id: relationId(from, to, rel.label),
        from,
        to,
        label: rel.label,
      };
      if (!this.store.relations.has(relation.id)) ops.push({ op: "add_relation", relation });
    }
    return { ops, accepted: accepted.size, skipped };
  }

  /** Suggested links to draw: both ends shown ghosts or annotation spans, at least one a ghost. */
  links(): Array<{ id: string; from: string; to: string; label: string }> {
    const out = [];
    const real = this.realIds();
    const end = (id: string) => {
      if (this.shown(id)) return id;
      if (this.store.spans.has(id)) return id;
      const ghost = this.byId.get(id);
      return ghost && !this.rejected.has(id) ? real.get(key(ghost)) : undefined;
    };
    for (const rel of this.relations) {
      if (!this.shown(rel.from) && !this.shown(rel.to)) continue;
      const from = end(rel.from);
      const to = end(rel.to);
      if (from && to) out.push({ id: relationId(from, to, rel.label), from, to, label: rel.label });
    }
    return out;
  }

  private coverage(length: number): Uint8Array {
    const covered = new Uint8Array(length);
    for (const s of this.store.spans.values()) covered.fill(1, s.start, s.end);
    return covered;
  }
}

function claim(covered: Uint8Array, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (covered[i]) return false;
  covered.fill(1, start, end);
  return true;
}
