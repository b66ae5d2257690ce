import type { Ref } from "preact";
import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";

/**
 * A side panel that is a drawer on a phone (app.css, "Any screen": below 760 px the panel
 * slides over the article and its toggle shows; wider, the toggle is hidden and the panel
 * sits beside the text). Opening moves focus into the drawer; Escape inside it or its
 * close button shuts it and gives focus back to the toggle, so a keyboard or screen reader
 * user is never left on a hidden element.
 */
export interface Drawer {
  open: boolean;
  close: () => void;
  /** Spread on the button that opens it (the toolbar's). */
  toggle: {
    ref: Ref<HTMLButtonElement>;
    type: "button";
    class: string;
    "aria-expanded": "true" | "false";
    "aria-controls": string;
    onClick: () => void;
  };
  /** Spread on the panel itself (with `drawer` and `open` in its class). */
  panel: {
    id: string;
    ref: Ref<HTMLElement>;
    onKeyDown: (e: KeyboardEvent) => void;
  };
}

export function useDrawer(id: string): Drawer {
  const [open, setOpen] = useState(false);
  const toggleRef = useRef<HTMLButtonElement>(null);
  const panelRef = useRef<HTMLElement>(null);
  const opened = useRef(false);
  useEffect(() => {
    // Only when the toggle opened it: on a wide screen the panel is always there.
    if (open) panelRef.current?.querySelector<HTMLElement>(".drawer-close")?.focus();
    else if (opened.current) toggleRef.current?.focus();
    opened.current = open;
  }, [open]);
  const close = () => setOpen(false);
  return {
    open,
    close,
    toggle: {
      ref: toggleRef,
      type: "button",
      class: "drawer-toggle",
      "aria-expanded": open ? "true" : "false",
      "aria-controls": id,
      onClick: () => setOpen((was) => !was),
    },
    panel: {
      id,
      ref: panelRef,
      onKeyDown: (e: KeyboardEvent) => {
        if (e.key !== "Escape" || !open) return;
        // Before the page's keymap: Escape here shuts the drawer and does nothing else.
        e.stopPropagation();
        e.preventDefault();
        close();
      },
    },
  };
}

/** The drawer's own close button (shown only where the panel is a drawer). */
export function DrawerClose({ drawer }: { drawer: Drawer }) {
  return (
    <button type="button" class="drawer-close" onClick={drawer.close}>
      {t("editor.closePanel")}
    </button>
  );
}
