import { useEffect, useRef } from "preact/hooks";
import type { Editor } from "../editor";
import type { Label } from "../editor/types";
import { type Action, isTyping, resolveKey } from "./keys";

/**
 * Listens for the key map on the whole page while an editor is open. Keys typed in
 * a form control stay there (Escape leaves it); `onlyHelp` lets nothing but help
 * through, e.g. while a conflict waits for a choice. `run` answers whether it used the key.
 */
export function useKeymap(
  editor: Editor | null,
  labels: Label[],
  run: (action: Action) => boolean,
  onlyHelp = false,
): void {
  const runRef = useRef(run);
  runRef.current = run;
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.isComposing) return;
      const typing = isTyping(e.target);
      const action = resolveKey(e, labels, {
        hasTextSelection: editor?.hasTextSelection() ?? false,
        hasSelectedSpan: !!editor?.selectedId,
      });
      if (!action) return;
      if (typing && action.type === "escape") {
        (e.target as HTMLElement).blur();
        e.preventDefault();
        return;
      }
      if (typing && action.type !== "submit" && action.type !== "save") return;
      if (onlyHelp && action.type !== "help") return;
      if (runRef.current(action)) e.preventDefault();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, [editor, labels, onlyHelp]);
}
