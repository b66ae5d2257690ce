/**
 * The keyboard map: one pure function from a key press to an action, and the
 * list the help overlay shows. Label hotkeys come from the project.
 */
import type { Label } from "../editor/types";
import { t } from "../i18n";

export type Action =
  | { type: "label"; name: string }
  | { type: "docLabel"; group: string; value: string }
  /** Link mode with the relation of that hotkey (e.g. SPEAKER, CUE). */
  | { type: "link"; relation?: string }
  /** Join the text selection (or the span selected before) into the selected span. */
  | { type: "join" }
  /** Take a fragment out of the selected interrupted span. */
  | { type: "split" }
  /** Add the selected mention to the chain of the one selected before (or start one). */
  | { type: "chain" }
  | { type: "undo" }
  | { type: "redo" }
  | { type: "save" }
  | { type: "submit" }
  | { type: "skip" }
  | { type: "next" }
  | { type: "help" }
  | { type: "guidelines" }
  | { type: "escape" }
  | { type: "delete" }
  | { type: "selectSpan"; dir: 1 | -1 }
  | { type: "confirm" }
  | { type: "extend"; direction: "forward" | "backward"; unit: "character" | "word" }
  | { type: "resize"; edge: "start" | "end"; dir: 1 | -1; unit: "character" | "word" }
  | { type: "toggleSnap" }
  | { type: "resizeToSelection" }
  | { type: "unlink" }
  | { type: "find" }
  | { type: "focusAttributes" }
  | { type: "suggestion"; dir: 1 | -1 };

export interface KeyInput {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
}

export interface KeyContext {
  hasTextSelection: boolean;
  hasSelectedSpan: boolean;
}

/** Single keys the editor keeps for itself (the server refuses them as label hotkeys too:
 * annotations/services/projects.py `RESERVED_HOTKEYS`, kept equal by a test). */
export const RESERVED_HOTKEYS = "?/[]WARJUC";

/** The fixed keys and what they do, in the interface language (the help overlay's rows). */
export function fixedKeys(): Array<[string, string]> {
  return [
    [t("keys.labelHotkeyKey"), t("keys.labelHotkey")],
    [t("keys.exactKey"), t("keys.exact")],
    ["/", t("keys.find")],
    ["Shift+W", t("keys.snap")],
    ["Shift+← / →", t("keys.extend")],
    ["Shift+← / →", t("keys.moveEnd")],
    ["Alt+Shift+← / →", t("keys.moveStart")],
    ["] / [", t("keys.nextSpan")],
    ["Delete / Backspace", t("keys.deleteSpan")],
    ["> / <", t("keys.nextSuggestion")],
    ["Enter / Backspace", t("keys.acceptSuggestion")],
    ["Shift+R", t("keys.resize")],
    ["Shift+Delete", t("keys.unlink")],
    ["Shift+A", t("keys.attributes")],
    ["Enter", t("keys.linkCandidate")],
    ["Escape", t("keys.escape")],
    ["Ctrl+Z", t("keys.undo")],
    ["Ctrl+Shift+Z / Ctrl+Y", t("keys.redo")],
    ["Ctrl+S", t("keys.save")],
    ["Ctrl+Enter", t("keys.submit")],
    ["Alt+S", t("keys.skip")],
    ["Alt+N", t("keys.next")],
    ["Alt+G", t("keys.guidelines")],
    ["?", t("keys.help")],
  ];
}

/** The keys for interrupted quotes and chains, in the interface language. */
export function structureKeys(): Array<[string, string]> {
  return [
    ["Shift+J", t("keys.join")],
    ["Shift+U", t("keys.split")],
    ["Shift+C", t("keys.chain")],
  ];
}

const ARROWS: Record<string, 1 | -1> = { ArrowRight: 1, ArrowLeft: -1 };

export function resolveKey(e: KeyInput, labels: Label[], ctx: KeyContext): Action | null {
  const mod = e.ctrlKey || e.metaKey;
  const key = e.key;
  if (mod && !e.altKey && key.toLowerCase() === "z")
    return e.shiftKey ? { type: "redo" } : { type: "undo" };
  if (mod && !e.altKey && key.toLowerCase() === "y") return { type: "redo" };
  if (mod && !e.altKey && key.toLowerCase() === "s") return { type: "save" };
  if (mod && key === "Enter") return { type: "submit" };
  if (e.altKey && !mod) {
    const code = key.toLowerCase();
    if (code === "s" || code === "ß") return { type: "skip" };
    if (code === "n") return { type: "next" };
    if (code === "g") return { type: "guidelines" };
  }
  if (e.shiftKey && key in ARROWS) {
    const dir = ARROWS[key];
    const unit = mod ? "word" : "character";
    if (ctx.hasTextSelection)
      return { type: "extend", direction: dir > 0 ? "forward" : "backward", unit };
    if (ctx.hasSelectedSpan) return { type: "resize", edge: e.altKey ? "start" : "end", dir, unit };
    return null;
  }
  if (e.shiftKey && !mod && !e.altKey && (key === "Delete" || key === "Backspace"))
    return { type: "unlink" };
  if (mod || e.altKey) return null;
  switch (key) {
    case "?":
      return { type: "help" };
    case "/":
      return { type: "find" };
    case "Escape":
      return { type: "escape" };
    case "Delete":
    case "Backspace":
      return { type: "delete" };
    case "]":
      return { type: "selectSpan", dir: 1 };
    case "[":
      return { type: "selectSpan", dir: -1 };
    case ">":
      return { type: "suggestion", dir: 1 };
    case "<":
      return { type: "suggestion", dir: -1 };
    case "Enter":
      return { type: "confirm" };
  }
  if (e.shiftKey) {
    if (key === "W") return { type: "toggleSnap" };
    if (key === "A") return { type: "focusAttributes" };
    if (key === "R") return { type: "resizeToSelection" };
    if (key === "J") return { type: "join" };
    if (key === "U") return { type: "split" };
    if (key === "C") return { type: "chain" };
  }
  for (const label of labels) {
    // Caps Lock turns "p" into "P" without Shift: still the same hotkey.
    const matches = label.hotkey === key || (!e.shiftKey && label.hotkey === key.toLowerCase());
    if (!label.hotkey || !matches) continue;
    if (label.kind === "span") return { type: "label", name: label.name };
    if (label.kind === "relation") return { type: "link", relation: label.name };
    if (label.kind === "document")
      return { type: "docLabel", group: label.group || "document", value: label.name };
  }
  return null;
}

/** True when the key press belongs to a form control, not to the editor. */
export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el?.tagName) return false;
  const tag = el.tagName;
  if (tag === "TEXTAREA" || el.isContentEditable) return true;
  if (tag === "INPUT") {
    const type = (el as HTMLInputElement).type;
    return !["radio", "checkbox", "button", "submit"].includes(type);
  }
  return tag === "SELECT";
}
