import { useState } from "preact/hooks";
import { t } from "../i18n";

/**
 * Keyboard-only selection: type some text, Enter selects the next match in the
 * article and hands the keys back, so the next key press can be a label hotkey.
 */
export function FindBox({
  onFind,
  onNotFound,
}: {
  onFind: (query: string, dir: 1 | -1) => boolean;
  onNotFound: (query: string) => void;
}) {
  const [query, setQuery] = useState("");
  return (
    <label class="find">
      {t("editor.find")}
      <input
        id="wb-find"
        type="search"
        value={query}
        autocomplete="off"
        onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        onKeyDown={(e) => {
          if (e.key !== "Enter") return;
          e.preventDefault();
          if (onFind(query, e.shiftKey ? -1 : 1)) (e.currentTarget as HTMLInputElement).blur();
          else onNotFound(query);
        }}
      />
      <kbd aria-hidden="true">/</kbd>
    </label>
  );
}
