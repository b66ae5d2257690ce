import { useMemo } from "preact/hooks";
import type { Suggestions } from "../api/types";
import type { Editor } from "../editor";
import type { Label } from "../editor/types";
import { formatNumber, formatPercent, t } from "../i18n";
import { attributesText, labelTitle } from "../i18n/labelText";

function clip(text: string, n = 160): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/**
 * The suggestions beside the article: where they stand, the focused one with accept and
 * reject, accept all of a label or all, and hiding them. The ghosts themselves are the
 * editor core's; this only drives it.
 */
export function SuggestionPanel({
  editor,
  state,
  focusedId,
  shown,
  onShow,
  notice,
  labels = [],
}: {
  editor: Editor;
  state: Suggestions | null;
  focusedId: string | null;
  shown: boolean;
  onShow: (shown: boolean) => void;
  notice: (message: string) => void;
  /** The project's labels: titles and attribute texts in the interface language. */
  labels?: Label[];
}) {
  const spanLabel = (name: string) => labels.find((l) => l.kind === "span" && l.name === name);
  // The title beside the identifier when it says more ("PER Orang").
  const focusedTitle = (name: string) => {
    const label = spanLabel(name);
    const title = label ? labelTitle(label) : name;
    return title === name ? "" : title;
  };
  const ghosts = shown ? editor.suggestions() : [];
  const focused = focusedId ? editor.getSuggestion(focusedId) : undefined;
  // Counted again only when the ghosts shown changed, not at each step of the focus.
  const byLabel = useMemo(() => {
    const counts = new Map<string, number>();
    for (const g of ghosts) counts.set(g.label, (counts.get(g.label) ?? 0) + 1);
    return counts;
  }, [ghosts]);

  function acceptAll(label?: string): void {
    const { accepted, skipped } = editor.acceptSuggestions(label ? { label } : undefined);
    const parts = [t("suggestions.accepted", { n: formatNumber(accepted) })];
    if (skipped) parts.push(t("suggestions.skipped", { n: formatNumber(skipped) }));
    notice(parts.join(" "));
  }

  let status: string;
  if (!state || state.status === "pending") status = t("suggestions.pending");
  else if (state.status === "failed") status = t("suggestions.failed");
  else if (!shown) status = t("suggestions.hidden");
  else if (!ghosts.length) status = t("suggestions.none");
  else status = t("suggestions.count", { count: ghosts.length });

  return (
    <section class="suggestions" aria-label={t("suggestions.title")}>
      <h2>{t("suggestions.title")}</h2>
      <p class="muted" role="status">
        {status}
      </p>
      {focused && (
        <div class="suggestion-focused" data-testid="focused-suggestion">
          <p>
            <strong>{focused.label}</strong>{" "}
            {focusedTitle(focused.label) && <span>{focusedTitle(focused.label)} </span>}
            <span class="muted">
              {t("suggestions.from", {
                source: focused.source,
                score: formatPercent(focused.score),
              })}
            </span>
          </p>
          <p class="quote-text">{clip(editor.textOf(focused))}</p>
          {focused.attributes && attributesText(spanLabel(focused.label), focused.attributes) && (
            <p class="muted">{attributesText(spanLabel(focused.label), focused.attributes)}</p>
          )}
          <div class="row">
            <button type="button" class="primary" onClick={() => editor.acceptSuggestion()}>
              {t("suggestions.accept")}
              <kbd aria-hidden="true">Enter</kbd>
            </button>
            <button type="button" onClick={() => editor.rejectSuggestion()}>
              {t("suggestions.reject")}
              <kbd aria-hidden="true">Backspace</kbd>
            </button>
          </div>
        </div>
      )}
      {ghosts.length > 0 && (
        <div class="row wrap">
          <button type="button" onClick={() => editor.focusAdjacentSuggestion(1)}>
            {t("suggestions.next")}
            <kbd aria-hidden="true">&gt;</kbd>
          </button>
          {[...byLabel].map(([label, n]) => (
            <button key={label} type="button" onClick={() => acceptAll(label)}>
              {t("suggestions.acceptLabel", { label, n: formatNumber(n) })}
            </button>
          ))}
          <button type="button" onClick={() => acceptAll()}>
            {t("suggestions.acceptAll", { n: formatNumber(ghosts.length) })}
          </button>
        </div>
      )}
      {state && state.status !== "pending" && (state.spans.length > 0 || !shown) && (
        <button type="button" aria-pressed={!shown} onClick={() => onShow(!shown)}>
          {shown ? t("suggestions.hide") : t("suggestions.show")}
        </button>
      )}
      <p class="muted small">{t("suggestions.keys")}</p>
    </section>
  );
}
