import { Component, Fragment } from "preact";
import type { ItemStatus } from "../api/workflow";
import { hexToRgba } from "../editor/colors";
import { fragmentsOf } from "../editor/fragments";
import type { AnnotationState, Span } from "../editor/types";
import { t } from "../i18n";
import { keyOf, STATUS_DISPLAY } from "./proposal";
import { segments } from "./segments";

const RANK: Record<ItemStatus | "none", number> = { none: 0, agreed: 1, majority: 2, disputed: 3 };
const FALLBACK = "#888888";

export function StatusTag({ status }: { status: ItemStatus | null }) {
  if (!status) return <span class="rv-status rv-none">{t("review.notVoting")}</span>;
  const { icon, text } = STATUS_DISPLAY[status];
  return (
    <span class={`rv-status rv-${status}`}>
      <span aria-hidden="true">{icon}</span> {text}
    </span>
  );
}

export interface ReadOnlyVersionProps {
  text: string;
  state: AnnotationState;
  /** Proposal status by span key; null when this version does not vote (a draft). */
  statuses: Map<string, ItemStatus> | null;
  colors: Map<string, string>;
}

/**
 * One annotator's version, read-only: the text as text nodes with <mark>s, a
 * tag after each span naming its label and its proposal status (icon and word,
 * not colour alone). Document text never goes through innerHTML.
 *
 * A class so it can refuse to re-render: the page re-renders on every gold
 * edit, and diffing thousands of marks per version each time is what makes
 * review screens slow. Its inputs are fixed for the life of the page.
 */
export class ReadOnlyVersion extends Component<ReadOnlyVersionProps> {
  shouldComponentUpdate(next: ReadOnlyVersionProps): boolean {
    const p = this.props;
    return (
      next.text !== p.text ||
      next.state !== p.state ||
      next.statuses !== p.statuses ||
      next.colors !== p.colors
    );
  }

  render({ text, state, statuses, colors }: ReadOnlyVersionProps) {
    // An interrupted span is marked fragment by fragment; its tag follows the last one.
    const whole = new Map<Span, Span>();
    const notLast = new Set<Span>();
    const pieces = state.spans.flatMap((span) => {
      const list = fragmentsOf(span);
      if (list.length < 2) return [span];
      return list.map(([start, end], k) => {
        const piece: Span = { ...span, start, end, fragments: null };
        whole.set(piece, span);
        if (k < list.length - 1) notLast.add(piece);
        return piece;
      });
    });
    const statusOf = (s: Span): ItemStatus | null =>
      statuses?.get(keyOf(whole.get(s) ?? s)) ?? null;
    const colorOf = (label: string) => colors.get(label) ?? FALLBACK;
    return (
      <div class="rv-text">
        {segments(text, pieces).map((run) => {
          if (!run.spans.length) return run.text;
          const worst = run.spans
            .map((s) => statusOf(s) ?? "none")
            .reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "none" as ItemStatus | "none");
          const title = run.spans
            .map((s) => {
              const status = statusOf(s);
              return `${s.label}: ${status ? STATUS_DISPLAY[status].text : t("review.notVoting")}`;
            })
            .join("; ");
          return (
            <Fragment key={run.start}>
              <mark
                class={`rv-mark rv-${worst}`}
                style={{ background: hexToRgba(colorOf(run.spans[0].label), 0.28) }}
                title={title}
              >
                {run.text}
              </mark>
              {run.ending.map((s) => {
                if (notLast.has(s))
                  return (
                    <span key={`${s.id}-${s.end}-more`} class="rv-more" title={s.label}>
                      …
                    </span>
                  );
                const status = statusOf(s);
                return (
                  <span
                    key={`${s.id}-tag`}
                    class={`rv-tag rv-${status ?? "none"}`}
                    style={{ borderColor: colorOf(s.label) }}
                  >
                    {s.label}
                    <span class="rv-icon" aria-hidden="true">
                      {status ? STATUS_DISPLAY[status].icon : "·"}
                    </span>
                    <span class="sr-only">
                      {" "}
                      {status ? STATUS_DISPLAY[status].text : t("review.notVoting")}
                    </span>
                  </span>
                );
              })}
            </Fragment>
          );
        })}
      </div>
    );
  }
}
