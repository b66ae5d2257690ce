/**
 * The editor core's composition root: renders the text, then wires the span
 * store, the paint loop, undo, span selection, link mode, the pointer, span
 * edits, find and the suggestions shown as ghosts. Every change goes through `undo.apply` as ops, so painting,
 * undo/redo and autosave see the same thing. No framework imports here.
 */
import "./editor.css";
import { BlockIndex } from "./blockIndex";
import {
  type ChainResult,
  canonicalName,
  chainMentions,
  chainOps,
  changedMarks,
  deleteOps,
  highlightedMentions,
  mergeOps,
  removeOps,
  resolvedSpeaker,
} from "./chains";
import { createFind } from "./find";
import { createFragmentEdits, type JoinResult } from "./fragmentEdits";
import { fragmentAt, fragmentsOf } from "./fragments";
import { Ghosts, type SuggestedSpan, type SuggestionSet } from "./ghosts";
import { attachHover } from "./hover";
import { createLinkMode } from "./linkMode";
import { createPaintLoop } from "./paintLoop";
import { attachPointer } from "./pointer";
import { createSpanEdits } from "./spanEdits";
import { createSpanSelection } from "./spanSelection";
import { SpanStore, type StoreChange } from "./spanStore";
import { renderSurface } from "./surface";
import { attachTouchSelect } from "./touchSelect";
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
import { createUndo } from "./undo";

export interface EditorOptions {
  text: string;
  labels: Label[];
  state: AnnotationState;
  /** Scroll container used to decide what is on screen; defaults to the viewport. */
  scrollRoot?: Element | null;
  allowOverlap?: boolean;
  /** Every applied change, including undo and redo, in API op form. */
  onOps?: (ops: Op[]) => void;
  /** The annotation changed (after onOps). */
  onChange?: () => void;
  onSelect?: (spanId: string | null) => void;
  onLinkMode?: (sourceId: string | null) => void;
  /** A user action could not be done; the message says why. */
  onNotice?: (message: string) => void;
  /** The focused suggestion changed, or the suggestions shown did (id: the focused one). */
  onSuggestion?: (focusedId: string | null) => void;
  /** A suggestion was rejected (the shell may remember it for the next visit). */
  onReject?: (id: string) => void;
  /** Called after each paint with how many blocks were painted and how long it took (for benchmarks). */
  onPaint?: (info: { blocks: number; ms: number }) => void;
}

/** A chain as the side panel lists it: its canonical name and its mentions in reading order. */
export interface ChainView {
  chain: Chain;
  canonical: string;
  mentions: Span[];
}

export type { ChainResult, JoinResult };

/**
 * Counters that go up when that part of the annotation changes, so a shell can re-render
 * (or recompute) only what a change touched.
 */
export interface EditorVersions {
  spans: number;
  relations: number;
  chains: number;
  documentLabels: number;
  /** The suggestions shown (loaded, hidden, accepted, rejected). */
  suggestions: number;
}

export interface Editor {
  addSpanFromSelection(label: string, opts?: { exact?: boolean }): Span | null;
  hasTextSelection(): boolean;
  /** Selects the next (or previous) occurrence of `query` as text, for keyboard-only labelling. */
  findAndSelect(query: string, dir?: 1 | -1): boolean;
  extendSelection(direction: "forward" | "backward", unit: "character" | "word"): void;
  selectSpan(id: string | null, opts?: { scroll?: boolean }): void;
  selectAdjacent(dir: 1 | -1): void;
  readonly selectedId: string | null;
  relabel(id: string, label: string): void;
  resize(id: string, edge: "start" | "end", dir: 1 | -1, unit: "word" | "character"): void;
  /** Moves both ends of a span to the current text selection (snapped like a new span). */
  resizeToSelection(id: string, opts?: { exact?: boolean }): boolean;
  setAttributes(id: string, attributes: Attributes): void;
  deleteSpan(id: string): void;
  deleteRelation(id: string): void;
  setDocumentLabel(group: string, value: DocumentLabelValue): void;
  /** Starts link mode from the selected span, with the relation named (default: the first that fits). */
  beginLink(relation?: string): boolean;
  /** The relation link mode is drawing, or null. */
  readonly linkRelation: string | null;
  cycleLinkCandidate(dir: 1 | -1): void;
  confirmLink(targetId?: string): boolean;
  cancelLink(): void;
  readonly linkSourceId: string | null;
  /**
   * Joins the text selection (or, without one, the span selected before) into the
   * selected span: one interrupted span, one id, its links kept.
   */
  joinSelection(opts?: { exact?: boolean }): JoinResult;
  /** Takes a fragment (default: the one last clicked, else the last) out as a span of its own. */
  splitFragment(id?: string, fragment?: number): string | null;
  /** The fragment of the selected span that was clicked last (0 for an unclicked one). */
  readonly focusedFragment: number;
  /** The span selected just before the selected one. */
  readonly previousSelectedId: string | null;
  /** The chain key: the selected mention joins the previous mention's chain, or starts one. */
  chainSelection(): ChainResult;
  removeFromChain(spanId: string): void;
  /** Every mention of `from` joins `into`; `from` goes. */
  mergeChains(into: string, from: string): void;
  deleteChain(chainId: string): void;
  renameChain(chainId: string, name: string): void;
  /** The chains by first mention. */
  chains(): ChainView[];
  chain(chainId: string): ChainView | undefined;
  /** A quote's speaker: the mention's text and, through its chain, the canonical name. */
  resolvedSpeaker(
    quoteId: string,
  ): { mention: string; name: string | null; chain: string | null } | null;
  undo(): boolean;
  redo(): boolean;
  readonly canUndo: boolean;
  readonly canRedo: boolean;
  /** Applies ops as one undoable step (used by the shell and the benchmark). */
  apply(ops: Op[]): boolean;
  getState(): AnnotationState;
  replaceState(state: AnnotationState): void;
  spansInOrder(): Span[];
  getSpan(id: string): Span | undefined;
  relations(): Relation[];
  documentLabels(): Record<string, DocumentLabelValue>;
  textOf(span: Span): string;
  /** Shows these suggestions as ghosts (null: none); `rejected` ids stay hidden. */
  setSuggestions(set: SuggestionSet | null, rejected?: Iterable<string>): void;
  /** Hides every ghost (ignore them) or shows them again. */
  showSuggestions(visible: boolean): void;
  /** The ghosts shown, in text order. */
  suggestions(): SuggestedSpan[];
  getSuggestion(id: string): SuggestedSpan | undefined;
  readonly focusedSuggestionId: string | null;
  focusSuggestion(id: string | null, opts?: { scroll?: boolean }): void;
  /** Focuses the next (previous) ghost after the focused one or the selected span. */
  focusAdjacentSuggestion(dir: 1 | -1): boolean;
  /** Accepts the focused ghost (or `id`) as a span with its provenance; focus moves on. */
  acceptSuggestion(id?: string): boolean;
  rejectSuggestion(id?: string): boolean;
  /** Accepts every shown ghost (of `label`); with overlap off, those overlapping are left. */
  acceptSuggestions(filter?: { label?: string }): { accepted: number; skipped: number };
  rejectedSuggestions(): string[];
  /** What changed since when: read them as memo keys. */
  readonly versions: Readonly<EditorVersions>;
  /** Resolves after the next paint of visible blocks (for measuring). */
  whenPainted(): Promise<void>;
  destroy(): void;
}

export function createEditor(el: HTMLElement, options: EditorOptions): Editor {
  const notice = (message: string) => options.onNotice?.(message);
  const surface = renderSurface(el, options.text);
  const store = new SpanStore(options.labels, options.state);
  const index = new BlockIndex(surface);
  const ghosts = new Ghosts(store, surface);
  let focusedGhost: string | null = null;
  const painter = createPaintLoop({
    surface,
    store,
    index,
    labels: options.labels,
    scrollRoot: options.scrollRoot ?? null,
    marks: () => ({
      selectedId: selection.id,
      candidateIds: links.candidateIds,
      focusedGhostId: focusedGhost,
      chainIds: chainMarks,
      hoverId: hover.id,
    }),
    ghosts,
    onPaint: options.onPaint,
    jump: (id) => selection.select(id, { scroll: true }),
  });
  const undo = createUndo({ store, onChange: afterChange, onError: notice });
  const apply = (ops: Op[]) => undo.apply(ops);
  /** The mentions outlined as one chain (of the hovered span, else the selected one). */
  let chainMarks: ReadonlySet<string> = new Set();
  let focusedFragment = 0;
  const versions: EditorVersions = {
    spans: 0,
    relations: 0,
    chains: 0,
    documentLabels: 0,
    suggestions: 0,
  };
  const bumpAll = () => {
    for (const k of Object.keys(versions) as Array<keyof EditorVersions>) versions[k]++;
  };

  function spanBlocks(id: string | null, into: Set<number>): void {
    const span = id ? store.spans.get(id) : undefined;
    const range = span ? surface.blocksOf(span) : null;
    if (range) for (let b = range[0]; b <= range[1]; b++) into.add(b);
  }

  /** Recomputes the chain outline; the blocks whose marks change join `dirty`. */
  function markChains(dirty: Set<number>): void {
    const next = highlightedMentions(store, hover.id, selection.id);
    const changed = changedMarks(chainMarks, next);
    for (const id of changed) spanBlocks(id, dirty);
    chainMarks = new Set(next);
  }

  function repaint(dirty: Set<number>, links?: boolean): void {
    markChains(dirty);
    if (dirty.size) painter.paint(dirty, links);
  }

  const selection = createSpanSelection({
    store,
    surface,
    paint: (blocks) => repaint(blocks),
    onSelect: (id) => {
      if (id && focusedGhost) focusGhost(null);
      options.onSelect?.(id);
    },
  });
  const links = createLinkMode({
    store,
    relationLabels: options.labels.filter((l) => l.kind === "relation"),
    apply,
    repaint: () => painter.repaintPainted(),
    onNotice: options.onNotice,
    onLinkMode: options.onLinkMode,
  });
  const edits = createSpanEdits({
    surface,
    store,
    allowOverlap: options.allowOverlap !== false,
    apply,
    notice,
    select: (id) => selection.select(id),
  });
  const fragmentEdits = createFragmentEdits({
    surface,
    store,
    selection,
    allowOverlap: options.allowOverlap !== false,
    apply,
  });
  const hover = attachHover({
    surface,
    store,
    index,
    onHover: (id) => {
      const dirty = new Set<number>();
      spanBlocks(previousHover, dirty);
      spanBlocks(id, dirty);
      previousHover = id;
      repaint(dirty);
    },
  });
  let previousHover: string | null = null;
  const pointer = attachPointer({
    surface,
    store,
    index,
    edits,
    choose,
    chooseGhost: (id) => focusGhost(id),
    ghostAt: (offset, block) => ghosts.at(offset, block)?.id ?? null,
  });
  const touch = attachTouchSelect({ surface, store, index });
  const codePoints = surface.offsets.toCodePoint(options.text.length);

  function ghostBlocks(id: string | null, into: Set<number>): void {
    const ghost = id ? ghosts.get(id) : undefined;
    const range = ghost ? surface.blocksOf(ghost) : null;
    if (range) for (let b = range[0]; b <= range[1]; b++) into.add(b);
  }

  function focusGhost(id: string | null, opts?: { scroll?: boolean }): void {
    const next = id && ghosts.shown(id) ? id : null;
    const dirty = new Set<number>();
    ghostBlocks(focusedGhost, dirty);
    focusedGhost = next;
    ghostBlocks(next, dirty);
    if (next && selection.id) selection.mark(null, dirty);
    repaint(dirty);
    if (next && opts?.scroll) surface.scrollToBlock(Math.min(...dirty));
    options.onSuggestion?.(next);
  }

  function acceptGhosts(ids: string[]): { accepted: number; skipped: number } {
    const allowOverlap = options.allowOverlap !== false;
    const { ops, accepted, skipped } = ghosts.acceptOps(ids, { allowOverlap, length: codePoints });
    if (ops.length && !apply(ops)) return { accepted: 0, skipped };
    return { accepted, skipped };
  }

  /** Blocks a focus move will need repainted, painted with the next change's blocks. */
  let focusDirty: Set<number> | null = null;

  /** Accepting or rejecting moves the focus to the next ghost, as a reader goes on; the
   *  change and the focus move are painted together, once. */
  function settle(id: string, act: (dirty: Set<number>) => boolean): boolean {
    const after = ghosts.adjacent(id, 1);
    const next = after && after.id !== id ? after.id : null;
    const previous = focusedGhost;
    const dirty = new Set<number>();
    ghostBlocks(previous, dirty);
    ghostBlocks(next, dirty);
    focusedGhost = next;
    focusDirty = dirty;
    const done = act(dirty);
    if (!done) focusedGhost = previous;
    if (focusDirty?.size) painter.paint(focusDirty);
    focusDirty = null;
    if (done) options.onSuggestion?.(focusedGhost);
    return done;
  }
  const find = createFind(surface, () => {
    const span = selection.id ? store.spans.get(selection.id) : undefined;
    return span ? surface.utf16Of(span)[0] : null;
  });

  /** A click on a span: the link target in link mode, else the new selection. */
  function choose(id: string | null, at?: number): void {
    if (links.sourceId && id && links.candidateIds.has(id)) {
      links.confirm(id);
      return;
    }
    const span = id ? store.spans.get(id) : undefined;
    focusedFragment = span && at !== undefined ? Math.max(0, fragmentAt(span, at)) : 0;
    selection.select(id);
  }

  /** A span's text; an interrupted one's fragments joined by " … " (as the API names chains). */
  function textOf(span: Pick<Span, "start" | "end" | "fragments">): string {
    return fragmentsOf(span)
      .map(([start, end]) => surface.textOf({ start, end }))
      .join(" … ");
  }

  function chainView(chain: Chain): ChainView {
    const mentions = chainMentions(store, chain.id);
    return { chain, canonical: canonicalName(chain, mentions, textOf), mentions };
  }

  function afterChange(change: StoreChange, ops: Op[]): void {
    ghosts.annotationChanged(change.spans);
    if (change.spans.length) {
      versions.spans++;
      versions.suggestions++;
    }
    if (change.relations) versions.relations++;
    if (change.chains) versions.chains++;
    if (change.documentLabels) versions.documentLabels++;
    const dirty = focusDirty ?? new Set<number>();
    focusDirty = null;
    let redrawLinks = change.relations;
    for (const { before, after } of change.spans) {
      if (before) index.remove(before, dirty);
      if (after) index.add(after, dirty);
      painter.forgetAnchor((after ?? before)?.id ?? "");
      if (!redrawLinks && after && store.relationsOf(after.id).length) redrawLinks = true;
    }
    if (change.spans.length) selection.spansChanged();
    if (selection.id && !store.spans.has(selection.id)) selection.mark(null, dirty);
    if (hover.id && !store.spans.has(hover.id)) hover.drop();
    if (links.sourceId && !store.spans.has(links.sourceId)) links.cancel();
    markChains(dirty);
    if (dirty.size) painter.paint(dirty, redrawLinks);
    else if (redrawLinks) painter.redrawLinks();
    if (ops.length) options.onOps?.(ops);
    options.onChange?.();
  }

  const exact = (opts?: { exact?: boolean }) => opts?.exact ?? pointer.exact;
  const has = (id: string) => store.spans.has(id);

  index.rebuild(store.spans.values());
  painter.start();

  return {
    // The new span and its selection are painted together, each block once.
    addSpanFromSelection: (label, opts) =>
      painter.batch(() => edits.addFromSelection(label, exact(opts))),
    hasTextSelection: () => surface.selection() !== null,
    findAndSelect(query, dir) {
      const found = find(query, dir);
      if (found) pointer.forgetExact();
      return found;
    },
    extendSelection(direction, unit) {
      surface.extendSelection(direction, unit);
      pointer.forgetExact();
    },
    selectSpan: (id, opts) => selection.select(id, opts),
    selectAdjacent: (dir) => selection.adjacent(dir),
    get selectedId() {
      return selection.id;
    },
    relabel(id, label) {
      const span = store.spans.get(id);
      if (span && span.label !== label) apply([{ op: "update_span", id, label }]);
    },
    resize: (id, edge, dir, unit) => edits.stepEdge(id, edge, dir, unit),
    resizeToSelection: (id, opts) => painter.batch(() => edits.resizeToSelection(id, exact(opts))),
    setAttributes(id, attributes) {
      if (has(id)) apply([{ op: "update_span", id, attributes }]);
    },
    deleteSpan(id) {
      if (has(id)) apply([{ op: "delete_span", id }]);
    },
    deleteRelation(id) {
      if (store.relations.has(id)) apply([{ op: "delete_relation", id }]);
    },
    setDocumentLabel(group, value) {
      if ((store.documentLabels[group] ?? null) !== value)
        apply([{ op: "set_document_label", group, value }]);
    },
    beginLink: (relation) =>
      links.begin(selection.id ? store.spans.get(selection.id) : undefined, relation),
    get linkRelation() {
      return links.sourceId ? links.relation : null;
    },
    cycleLinkCandidate: (dir) => links.cycle(dir),
    confirmLink: (targetId) => links.confirm(targetId),
    cancelLink: () => links.cancel(),
    get linkSourceId() {
      return links.sourceId;
    },
    joinSelection: (opts) => painter.batch(() => fragmentEdits.join(exact(opts))),
    splitFragment(id, fragment) {
      const target = id ?? selection.id;
      const span = target ? store.spans.get(target) : undefined;
      if (!span) return null;
      const count = fragmentsOf(span).length;
      const k =
        fragment ?? (target === selection.id && focusedFragment > 0 ? focusedFragment : count - 1);
      return fragmentEdits.split(span.id, Math.min(k, count - 1));
    },
    get focusedFragment() {
      return focusedFragment;
    },
    get previousSelectedId() {
      return selection.previousId;
    },
    chainSelection() {
      if (!selection.id) return { done: "none" };
      const { ops, result } = chainOps(store, selection.id, selection.previousId, () =>
        store.newId("c"),
      );
      if (ops.length && !apply(ops)) return { done: "none" };
      return result;
    },
    removeFromChain(spanId) {
      const ops = removeOps(store, spanId);
      if (ops.length) apply(ops);
    },
    mergeChains(into, from) {
      const ops = mergeOps(store, into, from);
      if (ops.length) apply(ops);
    },
    deleteChain(chainId) {
      const ops = deleteOps(store, chainId);
      if (ops.length) apply(ops);
    },
    renameChain(chainId, name) {
      const chain = store.chains.get(chainId);
      if (chain && chain.name !== name) apply([{ op: "set_chain", id: chainId, name }]);
    },
    chains() {
      const views = [...store.chains.values()].map(chainView);
      return views.sort(
        (a, b) => (a.mentions[0]?.start ?? Infinity) - (b.mentions[0]?.start ?? Infinity),
      );
    },
    chain(chainId) {
      const chain = store.chains.get(chainId);
      return chain ? chainView(chain) : undefined;
    },
    resolvedSpeaker: (quoteId) => resolvedSpeaker(store, quoteId, textOf),
    undo: () => undo.undo(),
    redo: () => undo.redo(),
    get canUndo() {
      return undo.canUndo;
    },
    get canRedo() {
      return undo.canRedo;
    },
    apply,
    getState: () => store.snapshot(),
    replaceState(state) {
      store.reset(state);
      undo.clear();
      selection.drop();
      links.drop();
      hover.drop();
      chainMarks = new Set();
      index.rebuild(store.spans.values());
      selection.spansChanged();
      ghosts.annotationChanged();
      painter.reset();
      bumpAll();
      options.onChange?.();
    },
    spansInOrder: () => selection.inOrder(),
    getSpan: (id) => store.spans.get(id),
    relations: () => [...store.relations.values()],
    documentLabels: () => store.documentLabels,
    // An interrupted span reads as its fragments with an ellipsis for the interruption.
    textOf,
    setSuggestions(set, rejected) {
      ghosts.load(set, rejected);
      versions.suggestions++;
      focusedGhost = null;
      painter.reset();
      options.onSuggestion?.(null);
    },
    showSuggestions(visible) {
      ghosts.visible = visible;
      ghosts.annotationChanged();
      versions.suggestions++;
      focusedGhost = null;
      painter.reset();
      options.onSuggestion?.(null);
    },
    suggestions: () => ghosts.inOrder(),
    getSuggestion: (id) => ghosts.get(id),
    get focusedSuggestionId() {
      return focusedGhost;
    },
    focusSuggestion: (id, opts) => focusGhost(id, opts),
    focusAdjacentSuggestion(dir) {
      const at = selection.id ? store.spans.get(selection.id)?.start : undefined;
      const next = ghosts.adjacent(focusedGhost, dir, at ?? 0);
      if (!next) return false;
      focusGhost(next.id, { scroll: true });
      return true;
    },
    acceptSuggestion(id) {
      const target = id ?? focusedGhost;
      if (!target || !ghosts.shown(target)) return false;
      return settle(target, () => acceptGhosts([target]).accepted > 0);
    },
    rejectSuggestion(id) {
      const target = id ?? focusedGhost;
      if (!target || !ghosts.shown(target)) return false;
      return settle(target, (dirty) => {
        if (!ghosts.reject(target)) return false;
        versions.suggestions++;
        ghostBlocks(target, dirty);
        options.onReject?.(target);
        return true;
      });
    },
    acceptSuggestions(filter) {
      const ids = ghosts
        .inOrder()
        .filter((g) => !filter?.label || g.label === filter.label)
        .map((g) => g.id);
      const done = acceptGhosts(ids);
      focusGhost(null);
      return done;
    },
    rejectedSuggestions: () => ghosts.rejectedIds,
    versions,
    whenPainted: () => painter.whenPainted(),
    destroy() {
      painter.destroy();
      pointer.destroy();
      hover.destroy();
      touch.destroy();
      surface.destroy();
    },
  };
}
