/**
 * What a key (or a palette click) does to the editor, the same on the editor page
 * and the review page. Page actions (save, submit, help, …) are left to the page.
 */
import type { ChainResult, Editor, JoinResult } from "../editor";
import type { Label } from "../editor/types";
import { t } from "../i18n";
import type { Action } from "./keys";

export interface EditorActionContext {
  /** The project's document labels, for toggling a group that takes several values. */
  docLabels: Label[];
  /** Snap new spans to words (false: exact characters). */
  snap: boolean;
  notice: (message: string) => void;
}

/** Runs an editor action: true when it was used, false when not applicable; null for a page action. */
export function runEditorAction(
  ed: Editor,
  action: Action,
  ctx: EditorActionContext,
): boolean | null {
  switch (action.type) {
    case "label":
      if (ed.hasTextSelection())
        ed.addSpanFromSelection(action.name, ctx.snap ? undefined : { exact: true });
      else if (ed.selectedId) ed.relabel(ed.selectedId, action.name);
      else ctx.notice(t("editor.selectFirst"));
      return true;
    case "docLabel":
      toggleDocumentLabel(ed, ctx.docLabels, action.group, action.value);
      return true;
    case "link":
      // The same relation's key again links the highlighted candidate; another one starts over.
      if (ed.linkSourceId && (!action.relation || action.relation === ed.linkRelation))
        ed.confirmLink();
      else {
        if (ed.linkSourceId) ed.cancelLink();
        ed.beginLink(action.relation);
      }
      return true;
    case "join":
      ctx.notice(joinMessage(ed.joinSelection(ctx.snap ? undefined : { exact: true })));
      return true;
    case "split":
      if (!ed.selectedId) return false;
      ctx.notice(ed.splitFragment() ? t("fragments.split") : t("fragments.splitNone"));
      return true;
    case "chain":
      if (!ed.selectedId) {
        ctx.notice(t("chains.selectFirst"));
        return true;
      }
      ctx.notice(chainMessage(ed, ed.chainSelection()));
      return true;
    case "confirm":
      if (!ed.linkSourceId) return ed.acceptSuggestion();
      ed.confirmLink();
      return true;
    case "selectSpan":
      if (ed.linkSourceId) ed.cycleLinkCandidate(action.dir);
      else ed.selectAdjacent(action.dir);
      return true;
    case "escape":
      if (ed.linkSourceId) ed.cancelLink();
      else if (ed.focusedSuggestionId) ed.focusSuggestion(null);
      else if (ed.hasTextSelection()) document.getSelection()?.removeAllRanges();
      else ed.selectSpan(null);
      return true;
    case "delete":
      if (ed.focusedSuggestionId) return ed.rejectSuggestion();
      if (!ed.selectedId) return false;
      ed.deleteSpan(ed.selectedId);
      return true;
    case "extend":
      ed.extendSelection(action.direction, action.unit);
      return true;
    case "resize":
      if (ed.selectedId) ed.resize(ed.selectedId, action.edge, action.dir, action.unit);
      return true;
    case "undo":
      ed.undo();
      return true;
    case "redo":
      ed.redo();
      return true;
    case "resizeToSelection":
      if (!ed.selectedId) return false;
      if (!ed.resizeToSelection(ed.selectedId, ctx.snap ? undefined : { exact: true }))
        ctx.notice(t("editor.selectExtent"));
      return true;
    case "unlink":
      if (!ed.selectedId) return false;
      for (const r of ed.relations())
        if (r.from === ed.selectedId || r.to === ed.selectedId) ed.deleteRelation(r.id);
      return true;
    case "suggestion":
      return ed.focusAdjacentSuggestion(action.dir);
    case "find":
      return focus("#wb-find");
    case "focusAttributes":
      return focus("[data-attribute]");
    default:
      return null;
  }
}

/** What a join did, in words. */
export function joinMessage(result: JoinResult): string {
  switch (result.done) {
    case "joined":
      return t("fragments.joined");
    case "noSpan":
      return t("fragments.selectQuote");
    case "nothing":
      return t("fragments.nothingToJoin");
    case "otherLabel":
      return t("fragments.otherLabel", { label: result.label });
    case "overlap":
      return t("fragments.overlap");
    case "failed":
      return t("fragments.failed");
  }
}

/** What the chain key did, in words, naming the chain. */
export function chainMessage(ed: Editor, result: ChainResult): string {
  if (result.done === "none") return t("chains.selectFirst");
  const name = ed.chain(result.chain)?.canonical ?? "";
  switch (result.done) {
    case "started":
      return t("chains.started", { name });
    case "added":
      return t("chains.added", { name });
    case "merged":
      return t("chains.merged", { name });
    case "already":
      return t("chains.already", { name });
  }
}

function focus(selector: string): boolean {
  const el = document.querySelector<HTMLElement>(selector);
  el?.focus();
  return el !== null;
}

/** Sets a single-value group, or adds/removes the value in a group that takes several. */
export function toggleDocumentLabel(
  ed: Editor,
  docLabels: Label[],
  group: string,
  value: string,
): void {
  const multiple = docLabels.some((l) => (l.group || "document") === group && l.multiple);
  if (!multiple) {
    ed.setDocumentLabel(group, value);
    return;
  }
  const current = ed.documentLabels()[group];
  const list = Array.isArray(current) ? current : [];
  ed.setDocumentLabel(
    group,
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value],
  );
}
