import { Fragment } from "preact";
import { useMemo } from "preact/hooks";
import type { ItemStatus } from "../api/workflow";
import { hexToRgba } from "../editor/colors";
import type { AnnotationState, Span } from "../editor/types";
import { STATUS_DISPLAY } from "./proposal";
import { segments } from "./segments";

const RANK: Record<ItemStatus | "none", number> = { none: 0, agreed: 1, majority: 2, disputed: 3 };

export function StatusTag({ status }: { status: ItemStatus | null }) {
  if (!status) return <span class="rv-status rv-none">not voting</span>;
  const { icon, text } = STATUS_DISPLAY[status];
  return (
    <span class={`rv-status rv-${status}`}>
      <span aria-hidden="true">{icon}</span> {text}
    </span>
  );
}

/**
 * One annotator's version, read-only: the text as text nodes with <mark>s, a
 * tag after each span naming its label and its proposal status (icon and word,
 * not colour alone). Document text never goes through innerHTML.
 */
export function ReadOnlyVersion({
  text,
  state,
  statusOf,
  colorOf,
}: {
  text: string;
  state: AnnotationState;
  statusOf: (span: Span) => ItemStatus | null;
  colorOf: (label: string) => string;
}) {
  const runs = useMemo(() => segments(text, state.spans), [text, state.spans]);
  return (
    <div class="rv-text">
      {runs.map((run) => {
        if (!run.spans.length) return run.text;
        const worst = run.spans
          .map((s) => statusOf(s) ?? "none")
          .reduce((a, b) => (RANK[b] > RANK[a] ? b : a), "none" as ItemStatus | "none");
        const first = run.spans[0];
        const title = run.spans
          .map((s) => `${s.label}: ${statusOf(s) ?? "not voting (draft)"}`)
          .join("; ");
        return (
          <Fragment key={run.start}>
            <mark
              class={`rv-mark rv-${worst}`}
              style={{ background: hexToRgba(colorOf(first.label), 0.28) }}
              title={title}
            >
              {run.text}
            </mark>
            {run.ending.map((s) => {
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
                  <span class="sr-only"> {status ?? "not voting"}</span>
                </span>
              );
            })}
          </Fragment>
        );
      })}
    </div>
  );
}
