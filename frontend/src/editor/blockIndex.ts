/**
 * Which spans touch each block, kept up to date per change so that an edit
 * repaints the one or two blocks it touches instead of the whole article.
 */
import type { Surface } from "./surface";
import type { Span } from "./types";

const NONE: ReadonlySet<string> = new Set();

export class BlockIndex {
  private readonly byBlock: Array<Set<string>>;

  constructor(private readonly surface: Pick<Surface, "blocks" | "blocksOf">) {
    this.byBlock = surface.blocks.map(() => new Set());
  }

  rebuild(spans: Iterable<Span>): void {
    for (const set of this.byBlock) set.clear();
    const ignored = new Set<number>();
    for (const span of spans) this.add(span, ignored);
  }

  /** Indexes `span`; the blocks it touches are added to `dirty`. */
  add(span: Span, dirty: Set<number>): void {
    this.visit(span, dirty, (set) => set.add(span.id));
  }

  remove(span: Span, dirty: Set<number>): void {
    this.visit(span, dirty, (set) => set.delete(span.id));
  }

  idsIn(block: number): ReadonlySet<string> {
    return this.byBlock[block] ?? NONE;
  }

  private visit(span: Span, dirty: Set<number>, change: (set: Set<string>) => void): void {
    const range = this.surface.blocksOf(span);
    if (!range) return;
    for (let b = range[0]; b <= range[1]; b++) {
      change(this.byBlock[b]);
      dirty.add(b);
    }
  }
}
