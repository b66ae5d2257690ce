/**
 * The chains of the document in the side panel: each with its canonical name
 * (editable: a name given wins over the longest mention), its mention count, a
 * button stepping through its mentions in the text, merging and deleting.
 */
import { useState } from "preact/hooks";
import type { ChainView, Editor } from "../editor";
import { t } from "../i18n";
import { VirtualList } from "./VirtualList";

const ROW = 64;

export function ChainList({
  editor,
  chains,
  selectedId,
}: {
  editor: Editor;
  chains: ChainView[];
  selectedId: string | null;
}) {
  const [mergeFrom, setMergeFrom] = useState<string | null>(null);
  const selectedChain = selectedId ? editor.getSpan(selectedId)?.chain : null;
  const active = selectedChain ? chains.findIndex((c) => c.chain.id === selectedChain) : -1;
  const from = mergeFrom ? chains.find((c) => c.chain.id === mergeFrom) : undefined;

  /** Selects the chain's next mention after the selected one (its first otherwise). */
  function step(view: ChainView): void {
    const at = view.mentions.findIndex((m) => m.id === selectedId);
    const next = view.mentions[(at + 1) % view.mentions.length];
    if (next) editor.selectSpan(next.id, { scroll: true });
  }

  function rename(view: ChainView, value: string): void {
    editor.renameChain(view.chain.id, value.trim());
  }

  return (
    <section class="list-section small chains" aria-label={t("chains.title")}>
      <h2>{t("chains.heading", { count: chains.length })}</h2>
      {from && (
        <p class="hint" role="status">
          {t("chains.mergePick", { name: from.canonical })}{" "}
          <button type="button" class="link-button" onClick={() => setMergeFrom(null)}>
            {t("chains.cancel")}
          </button>
        </p>
      )}
      {chains.length === 0 && <p class="hint">{t("chains.none")}</p>}
      <VirtualList
        items={chains}
        rowHeight={ROW}
        label={t("chains.title")}
        activeIndex={active}
        render={(view) => {
          const here = view.chain.id === selectedChain;
          return (
            <div class={here ? "chain-item selected" : "chain-item"} data-chain-id={view.chain.id}>
              <input
                type="text"
                class="chain-name"
                aria-label={t("chains.name")}
                placeholder={view.canonical}
                value={view.chain.name}
                onChange={(e) => rename(view, (e.currentTarget as HTMLInputElement).value)}
                onKeyDown={(e) => {
                  if (e.key === "Enter") (e.currentTarget as HTMLInputElement).blur();
                }}
              />
              <span class="chain-actions">
                <button
                  type="button"
                  class="link-button"
                  onClick={() => step(view)}
                  title={t("chains.stepHint")}
                >
                  {t("chains.mentions", { count: view.mentions.length })}
                </button>
                {mergeFrom && mergeFrom !== view.chain.id ? (
                  <button
                    type="button"
                    class="link-button"
                    onClick={() => {
                      editor.mergeChains(view.chain.id, mergeFrom);
                      setMergeFrom(null);
                    }}
                  >
                    {t("chains.mergeHere")}
                  </button>
                ) : (
                  <button
                    type="button"
                    class="link-button"
                    disabled={chains.length < 2}
                    onClick={() => setMergeFrom(mergeFrom ? null : view.chain.id)}
                  >
                    {t("chains.merge")}
                  </button>
                )}
                <button
                  type="button"
                  class="link-button danger"
                  onClick={() => editor.deleteChain(view.chain.id)}
                >
                  {t("chains.delete")}
                </button>
              </span>
            </div>
          );
        }}
      />
    </section>
  );
}
