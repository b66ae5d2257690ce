/**
 * The editor core's composition root: renders the text, then wires the span
 * store, the paint loop, undo, span selection, link mode, the pointer, span
 * edits and find. Every change goes through `undo.apply` as ops, so painting,
 * undo/redo and autosave see the same thing. No framework imports here.
 */
import "./editor.css";
import { BlockIndex } from "./blockIndex";
import { createFind } from "./find";
import { createLinkMode } from "./linkMode";
import { createPaintLoop } from "./paintLoop";
import { attachPointer } from "./pointer";
import { createSpanEdits } from "./spanEdits";
import { createSpanSelection } from "./spanSelection";
import { SpanStore, type StoreChange } from "./spanStore";
import { renderSurface } from "./surface";
import type {
  AnnotationState,
  Attributes,
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
  /** Called after each paint with how many blocks were painted and how long it took (for benchmarks). */
  onPaint?: (info: { blocks: number; ms: number }) => void;
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
  beginLink(): boolean;
  cycleLinkCandidate(dir: 1 | -1): void;
  confirmLink(targetId?: string): boolean;
  cancelLink(): void;
  readonly linkSourceId: string | null;
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
  /** Resolves after the next paint of visible blocks (for measuring). */
  whenPainted(): Promise<void>;
  destroy(): void;
}

export function createEditor(el: HTMLElement, options: EditorOptions): Editor {
  const notice = (message: string) => options.onNotice?.(message);
  const surface = renderSurface(el, options.text);
  const store = new SpanStore(options.labels, options.state);
  const index = new BlockIndex(surface);
  const painter = createPaintLoop({
    surface,
    store,
    index,
    labels: options.labels,
    scrollRoot: options.scrollRoot ?? null,
    marks: () => ({ selectedId: selection.id, candidateIds: links.candidateIds }),
    onPaint: options.onPaint,
  });
  const undo = createUndo({ store, onChange: afterChange, onError: notice });
  const apply = (ops: Op[]) => undo.apply(ops);
  const selection = createSpanSelection({
    store,
    surface,
    paint: (blocks) => painter.paint(blocks),
    onSelect: options.onSelect,
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
  const pointer = attachPointer({ surface, store, index, edits, choose });
  const find = createFind(surface, () => {
    const span = selection.id ? store.spans.get(selection.id) : undefined;
    return span ? surface.utf16Of(span)[0] : null;
  });

  /** A click on a span: the link target in link mode, else the new selection. */
  function choose(id: string | null): void {
    if (links.sourceId && id && links.candidateIds.has(id)) links.confirm(id);
    else selection.select(id);
  }

  function afterChange(change: StoreChange, ops: Op[]): void {
    const dirty = new Set<number>();
    let redrawLinks = change.relations;
    for (const { before, after } of change.spans) {
      if (before) index.remove(before, dirty);
      if (after) index.add(after, dirty);
      painter.forgetAnchor((after ?? before)?.id ?? "");
      if (!redrawLinks && after && store.relationsOf(after.id).length) redrawLinks = true;
    }
    if (change.spans.length) selection.spansChanged();
    if (selection.id && !store.spans.has(selection.id)) selection.mark(null, dirty);
    if (links.sourceId && !store.spans.has(links.sourceId)) links.cancel();
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
    addSpanFromSelection: (label, opts) => edits.addFromSelection(label, exact(opts)),
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
    resizeToSelection: (id, opts) => edits.resizeToSelection(id, exact(opts)),
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
    beginLink: () => links.begin(selection.id ? store.spans.get(selection.id) : undefined),
    cycleLinkCandidate: (dir) => links.cycle(dir),
    confirmLink: (targetId) => links.confirm(targetId),
    cancelLink: () => links.cancel(),
    get linkSourceId() {
      return links.sourceId;
    },
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
      index.rebuild(store.spans.values());
      selection.spansChanged();
      painter.reset();
      options.onChange?.();
    },
    spansInOrder: () => selection.inOrder(),
    getSpan: (id) => store.spans.get(id),
    relations: () => [...store.relations.values()],
    documentLabels: () => store.documentLabels,
    textOf: (span) => surface.textOf(span),
    whenPainted: () => painter.whenPainted(),
    destroy() {
      painter.destroy();
      pointer.destroy();
      surface.destroy();
    },
  };
}
