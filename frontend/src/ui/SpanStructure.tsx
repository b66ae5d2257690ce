/**
 * The selected span's place in the quote model: its fragments (an interrupted
 * quote) with a way to join another stretch or give one back, its chain, and a
 * quote's speaker resolved through the chain ("dia → Jens Stoltenberg").
 */
import type { Editor } from "../editor";
import type { Span } from "../editor/types";
import { t } from "../i18n";
import { chainMessage, joinMessage } from "./editorActions";

function clip(text: string, n = 50): string {
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

/** "dia → Jens Stoltenberg", or the mention alone when its chain adds no name. */
export function speakerText(speaker: { mention: string; name: string | null }): string {
  return speaker.name ? `${speaker.mention} → ${speaker.name}` : speaker.mention;
}

export function SpanStructure({
  editor,
  span,
  notice,
}: {
  editor: Editor;
  span: Span;
  notice: (message: string) => void;
}) {
  const fragments = span.fragments && span.fragments.length >= 2 ? span.fragments : null;
  const chain = span.chain ? editor.chain(span.chain) : undefined;
  const speaker = editor.resolvedSpeaker(span.id);
  const keep = (e: MouseEvent) => e.preventDefault();
  return (
    <div class="structure">
      {speaker && (
        <p class="rel" data-resolved-speaker>
          {t("chains.speaker", { speaker: speakerText(speaker) })}
        </p>
      )}
      {fragments && (
        <div class="fragments">
          <h3>{t("fragments.title", { count: fragments.length })}</h3>
          <ol>
            {fragments.map(([start, end], k) => (
              <li key={`${start}-${end}`}>
                <span class="span-text">
                  “{clip(editor.textOf({ ...span, start, end, fragments: null }))}”
                </span>{" "}
                <button
                  type="button"
                  class="link-button"
                  onClick={() =>
                    notice(
                      editor.splitFragment(span.id, k)
                        ? t("fragments.split")
                        : t("fragments.splitNone"),
                    )
                  }
                >
                  {t("fragments.unjoin")}
                </button>
              </li>
            ))}
          </ol>
        </div>
      )}
      <div class="row">
        <button
          type="button"
          onMouseDown={keep}
          onClick={() => notice(joinMessage(editor.joinSelection()))}
        >
          {t("fragments.join")}
          <kbd aria-hidden="true">Shift+J</kbd>
        </button>
        {chain ? (
          <button type="button" onClick={() => editor.removeFromChain(span.id)}>
            {t("chains.remove")}
          </button>
        ) : (
          <button
            type="button"
            onClick={() => notice(chainMessage(editor, editor.chainSelection()))}
          >
            {t("chains.add")}
            <kbd aria-hidden="true">Shift+C</kbd>
          </button>
        )}
      </div>
      {chain && (
        <p class="rel" data-chain={chain.chain.id}>
          {t("chains.inChain", { name: chain.canonical, count: chain.mentions.length })}
        </p>
      )}
      <p class="hint">{t("fragments.hint")}</p>
    </div>
  );
}
