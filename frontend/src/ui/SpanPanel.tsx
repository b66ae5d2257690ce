import type { Editor } from "../editor";
import { tagStyle } from "../editor/colors";
import type { Attributes, Label, Relation, Span } from "../editor/types";
import { formatNumber, formatPercent, t } from "../i18n";
import {
  attributeName,
  attributesText,
  attributeValue,
  labelTitle,
  labelWithTitle,
} from "../i18n/labelText";
import { SpanStructure, speakerText } from "./SpanStructure";
import { VirtualList } from "./VirtualList";

const ROW = 52;

function clip(text: string, n = 60): string {
  const flat = text.replace(/\s+/g, " ");
  return flat.length > n ? `${flat.slice(0, n - 1)}…` : flat;
}

export function SpanDetails({
  editor,
  span,
  labels,
  linking,
  notice = () => {},
}: {
  editor: Editor;
  span: Span;
  labels: Label[];
  linking: boolean;
  notice?: (message: string) => void;
}) {
  const spanLabels = labels.filter((l) => l.kind === "span");
  const def = spanLabels.find((l) => l.name === span.label);
  // Every relation this span can start (a quote: its speaker, its cue).
  const relLabels = labels.filter(
    (l) =>
      l.kind === "relation" && (!l.source_labels.length || l.source_labels.includes(span.label)),
  );
  const rels = editor.relations().filter((r) => r.from === span.id || r.to === span.id);
  const setAttr = (name: string, value: string) => {
    const next: Attributes = { ...span.attributes };
    if (value) next[name] = value;
    else delete next[name];
    editor.setAttributes(span.id, next);
  };
  return (
    <section class="details" aria-label={t("spanPanel.selected")}>
      <h2>{t("spanPanel.selected")}</h2>
      <p class="quote-text">“{clip(editor.textOf(span), 200)}”</p>
      {span.source && (
        <p class="muted">
          {t("suggestions.provenance", {
            source: span.source,
            score: span.score == null ? "–" : formatPercent(span.score),
          })}
        </p>
      )}
      <label class="field">
        {t("spanPanel.label")}
        <select
          value={span.label}
          onChange={(e) => editor.relabel(span.id, (e.currentTarget as HTMLSelectElement).value)}
        >
          {spanLabels.map((l) => (
            <option key={l.id} value={l.name}>
              {labelWithTitle(l)}
            </option>
          ))}
        </select>
      </label>
      {def &&
        Object.entries(def.attributes ?? {}).map(([name, options]) => (
          <label class="field" key={name}>
            {attributeName(def, name)}
            <select
              data-attribute={name}
              value={String(span.attributes[name] ?? "")}
              onChange={(e) => setAttr(name, (e.currentTarget as HTMLSelectElement).value)}
            >
              <option value="">—</option>
              {options.map((o) => (
                <option key={o} value={o}>
                  {attributeValue(def, o)}
                </option>
              ))}
            </select>
          </label>
        ))}
      {rels.map((r) => {
        const other = editor.getSpan(r.from === span.id ? r.to : r.from);
        return (
          <p key={r.id} class="rel">
            {r.from === span.id
              ? `${r.label}: `
              : `${t("spanPanel.linkFrom", { label: r.label })} `}
            <button
              type="button"
              class="link-button"
              onClick={() => other && editor.selectSpan(other.id, { scroll: true })}
            >
              {other ? clip(editor.textOf(other), 40) : "?"}
            </button>{" "}
            <button type="button" class="link-button" onClick={() => editor.deleteRelation(r.id)}>
              {t("spanPanel.removeLink")}
            </button>
          </p>
        );
      })}
      <SpanStructure editor={editor} span={span} notice={notice} />
      <div class="row">
        {linking ? (
          <button type="button" onClick={() => editor.cancelLink()}>
            {t("spanPanel.cancelLinking")}
            <kbd aria-hidden="true">Esc</kbd>
          </button>
        ) : (
          relLabels.map((relLabel) => (
            <button type="button" key={relLabel.id} onClick={() => editor.beginLink(relLabel.name)}>
              {t("spanPanel.link", { label: labelTitle(relLabel).toLowerCase() })}
              <kbd aria-hidden="true">{relLabel.hotkey}</kbd>
            </button>
          ))
        )}
        <button
          type="button"
          onMouseDown={(e) => e.preventDefault()}
          onClick={() => editor.resizeToSelection(span.id)}
        >
          {t("spanPanel.resize")}
          <kbd aria-hidden="true">Shift+R</kbd>
        </button>
        <button type="button" class="danger" onClick={() => editor.deleteSpan(span.id)}>
          {t("spanPanel.delete")}
          <kbd aria-hidden="true">Del</kbd>
        </button>
      </div>
      <p class="hint">{t("spanPanel.resizeHint")}</p>
    </section>
  );
}

export function SpanList({
  editor,
  spans,
  selectedId,
  colorOf,
  labels = [],
}: {
  editor: Editor;
  spans: Span[];
  selectedId: string | null;
  colorOf: Map<string, string>;
  /** The project's labels: attribute names and values read in the interface language. */
  labels?: Label[];
}) {
  const spanLabel = new Map(labels.filter((l) => l.kind === "span").map((l) => [l.name, l]));
  const speakerOf = new Set<string>();
  for (const r of editor.relations()) if (r.label === "SPEAKER") speakerOf.add(r.from);
  const active = selectedId ? spans.findIndex((s) => s.id === selectedId) : -1;
  return (
    <section class="list-section">
      <h2>{t("spanPanel.spans", { n: formatNumber(spans.length) })}</h2>
      <VirtualList
        items={spans}
        rowHeight={ROW}
        label={t("spanPanel.spansList")}
        activeIndex={active}
        render={(s) => {
          // Resolved through the chain: "speaker: dia → Jens Stoltenberg".
          const resolved = speakerOf.has(s.id) ? editor.resolvedSpeaker(s.id) : null;
          const speakerSpan = resolved ? clip(speakerText(resolved), 50) : "";
          const attrs = attributesText(spanLabel.get(s.label), s.attributes);
          return (
            <button
              type="button"
              class={s.id === selectedId ? "span-item selected" : "span-item"}
              aria-pressed={s.id === selectedId}
              data-span-id={s.id}
              onClick={() => editor.selectSpan(s.id, { scroll: true })}
            >
              <span class="span-line">
                <span
                  class="chip"
                  style={tagStyle(colorOf.get(s.label) ?? "#888888")}
                  translate={false}
                >
                  {s.label}
                </span>{" "}
                <span class="span-text">{clip(editor.textOf(s), 80)}</span>
              </span>
              {(attrs || speakerSpan) && (
                <span class="span-meta">
                  {attrs}
                  {attrs && speakerSpan ? " · " : ""}
                  {speakerSpan ? t("spanPanel.speaker", { text: speakerSpan }) : ""}
                </span>
              )}
            </button>
          );
        }}
      />
    </section>
  );
}

export function RelationList({ editor, relations }: { editor: Editor; relations: Relation[] }) {
  return (
    <section class="list-section small">
      <h2>{t("spanPanel.links", { n: formatNumber(relations.length) })}</h2>
      <VirtualList
        items={relations}
        rowHeight={ROW}
        label={t("spanPanel.linksList")}
        activeIndex={-1}
        render={(r) => {
          const from = editor.getSpan(r.from);
          const to = editor.getSpan(r.to);
          return (
            <div class="rel-item">
              <button
                type="button"
                class="span-item"
                onClick={() => editor.selectSpan(r.from, { scroll: true })}
              >
                {from ? `“${clip(editor.textOf(from), 30)}”` : "?"} →{" "}
                {to ? clip(editor.textOf(to), 24) : "?"} <span class="span-meta">{r.label}</span>
              </button>
              <button type="button" class="link-button" onClick={() => editor.deleteRelation(r.id)}>
                {t("spanPanel.remove")}
              </button>
            </div>
          );
        }}
      />
    </section>
  );
}
