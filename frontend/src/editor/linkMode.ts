/**
 * Link mode: from a selected source span (a QUOTE), pick the target (its speaker)
 * among the candidates, nearest first, by click or by cycling with the keyboard.
 * A quote has one speaker: a new link replaces the old one in the same undo step.
 */
import { t } from "../i18n";
import { linkCandidates, relationLabelFor } from "./linking";
import type { SpanStore } from "./spanStore";
import type { Label, Op, Relation, Span } from "./types";

export interface LinkModeOptions {
  store: SpanStore;
  relationLabels: Label[];
  /** Applies ops as one undoable step. */
  apply: (ops: Op[]) => boolean;
  /** The candidate marks changed: repaint what is painted. */
  repaint: () => void;
  onNotice?: (message: string) => void;
  onLinkMode?: (sourceId: string | null) => void;
}

export interface LinkMode {
  readonly sourceId: string | null;
  /** Candidate target ids; the first is the one `confirm()` links. */
  readonly candidates: readonly string[];
  readonly candidateIds: ReadonlySet<string>;
  /** Starts linking from `source` with the relation named (default: the first that fits). */
  begin(source: Span | undefined, relation?: string): boolean;
  /** The relation being drawn. */
  readonly relation: string | null;
  cancel(): void;
  cycle(dir: 1 | -1): void;
  confirm(targetId?: string): boolean;
  /** Leaves link mode without repainting or telling anyone (the state was replaced). */
  drop(): void;
}

export function createLinkMode(options: LinkModeOptions): LinkMode {
  const { store, relationLabels } = options;
  let sourceId: string | null = null;
  let candidates: string[] = [];
  let candidateIds: ReadonlySet<string> = new Set();
  let relationName: string | null = null;

  function setCandidates(list: string[]): void {
    candidates = list;
    candidateIds = new Set(list);
  }

  function drop(): void {
    sourceId = null;
    relationName = null;
    setCandidates([]);
  }

  function relationLabelOf(id: string | null): Label | undefined {
    const source = id ? store.spans.get(id) : undefined;
    return source ? relationLabelFor(relationLabels, source, relationName ?? undefined) : undefined;
  }

  function confirm(targetId?: string): boolean {
    const from = sourceId;
    const target = targetId ?? candidates[0];
    const relLabel = relationLabelOf(from);
    if (!from || !target || !relLabel) return false;
    const ops: Op[] = [...store.relations.values()]
      .filter((r) => r.from === from && r.label === relLabel.name)
      .map((r): Op => ({ op: "delete_relation", id: r.id }));
    const relation: Relation = { id: store.newId("r"), from, to: target, label: relLabel.name };
    ops.push({ op: "add_relation", relation });
    drop();
    options.onLinkMode?.(null);
    const ok = options.apply(ops);
    options.repaint();
    return ok;
  }

  return {
    get sourceId() {
      return sourceId;
    },
    get candidates() {
      return candidates;
    },
    get candidateIds() {
      return candidateIds;
    },
    get relation() {
      return relationName;
    },
    begin(source, relation) {
      const relLabel = source ? relationLabelFor(relationLabels, source, relation) : undefined;
      if (!source || !relLabel) {
        options.onNotice?.(t("editor.linkNeedsSource"));
        return false;
      }
      const found = linkCandidates(source, store.spans.values(), relLabel);
      if (!found.length) {
        options.onNotice?.(
          t("editor.linkNoTarget", { labels: relLabel.target_labels.join(t("editor.or")) }),
        );
        return false;
      }
      setCandidates(found);
      sourceId = source.id;
      relationName = relLabel.name;
      options.repaint();
      options.onLinkMode?.(sourceId);
      return true;
    },
    cancel() {
      if (!sourceId) return;
      drop();
      options.repaint();
      options.onLinkMode?.(null);
    },
    cycle(dir) {
      if (!sourceId || !candidates.length) return;
      const n = candidates.length;
      setCandidates(
        dir > 0
          ? [...candidates.slice(1), candidates[0]]
          : [candidates[n - 1], ...candidates.slice(0, n - 1)],
      );
      options.repaint();
      options.onLinkMode?.(sourceId);
    },
    confirm,
    drop,
  };
}
