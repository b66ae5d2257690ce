import { useState } from "preact/hooks";
import type { DocumentReview, ItemStatus } from "../api/workflow";
import { tagStyle } from "../editor/colors";
import type { AnnotationState } from "../editor/types";
import { t } from "../i18n";
import {
  goldMembership,
  itemId,
  itemsWithStatus,
  proposedItems,
  type ReviewItem,
} from "./proposal";
import { StatusTag } from "./ReadOnlyVersion";

// Items drawn at once; a long article can have thousands and the list re-renders on every edit.
const PAGE = 200;

/** The merge proposal, item by item, with what the gold holds and accept/reject per item. */
export function ProposalPanel({
  review,
  gold,
  rejected,
  agreedCount,
  colorOf,
  quote,
  onAccept,
  onReject,
  onShow,
}: {
  review: DocumentReview;
  gold: AnnotationState;
  rejected: Set<string>;
  agreedCount: number;
  colorOf: (label: string) => string;
  quote: (s: { start: number; end: number }) => string;
  onAccept: (items: ReviewItem[], what: string) => void;
  onReject: (item: ReviewItem) => void;
  /** Selects and scrolls to the item in the gold editor. */
  onShow: (item: ReviewItem) => void;
}) {
  const { proposal } = review;
  const items: ReviewItem[] = [
    ...proposal.spans.map((item) => ({ kind: "span" as const, item })),
    ...proposal.relations.map((item) => ({ kind: "relation" as const, item })),
    ...proposal.document_labels.map((item) => ({ kind: "label" as const, item })),
    ...(proposal.chains ?? []).map((item) => ({ kind: "chain" as const, item })),
  ];
  const [show, setShow] = useState<ItemStatus | "all">("all");
  const [limit, setLimit] = useState(PAGE);
  const inGold = goldMembership(gold);
  const shown = show === "all" ? items : items.filter((e) => e.item.status === show);
  const count = (status: ItemStatus) => items.filter((e) => e.item.status === status).length;
  const proposed = proposedItems(review);
  return (
    <section class="rv-proposal" aria-label="Merge proposal">
      <h2>Merge proposal</h2>
      <p class="hint">
        From {review.submitted} submitted version{review.submitted === 1 ? "" : "s"}; an item is
        proposed when at least {Math.round(review.merge_threshold * 100)}% of them have it.
      </p>
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={!agreedCount}
          onClick={() =>
            onAccept(itemsWithStatus(review, "agreed"), `Accepted ${agreedCount} agreed items.`)
          }
        >
          Accept all agreed ({agreedCount})
        </button>
        <button
          type="button"
          disabled={!proposed.length}
          onClick={() => onAccept(proposed, `Accepted ${proposed.length} proposed items.`)}
        >
          Accept agreed + majority ({proposed.length})
        </button>
      </div>
      {items.length === 0 && <p class="muted">Nothing to propose yet.</p>}
      <label class="field">
        Show
        <select
          value={show}
          onChange={(e) => {
            setShow(e.currentTarget.value as ItemStatus | "all");
            setLimit(PAGE);
          }}
        >
          <option value="all">All items ({items.length})</option>
          <option value="disputed">Disputed ({count("disputed")})</option>
          <option value="majority">Majority ({count("majority")})</option>
          <option value="agreed">Agreed ({count("agreed")})</option>
        </select>
      </label>
      <ul class="rv-items">
        {shown.slice(0, limit).map((entry) => {
          const id = itemId(entry);
          const held = inGold(entry);
          const state = held ? "in gold" : rejected.has(id) ? "rejected" : "not in gold";
          return (
            <li
              key={id}
              class={`rv-item rv-item-${entry.item.status}${held ? " rv-held" : ""}`}
              data-item={id}
            >
              <div class="rv-item-head">
                <StatusTag status={entry.item.status} />
                {entry.kind === "span" && (
                  <>
                    <span class="rv-kind">▭ span</span>
                    <span class="chip" style={tagStyle(colorOf(entry.item.label))}>
                      {entry.item.label}
                    </span>
                  </>
                )}
                {entry.kind === "relation" && (
                  <>
                    <span class="rv-kind">↗ link</span>
                    <strong>{entry.item.label}</strong>
                  </>
                )}
                {entry.kind === "chain" && (
                  <>
                    <span class="rv-kind">⛓ {t("review.chain")}</span>
                    <strong>{t("review.mentions", { count: entry.item.mentions.length })}</strong>
                  </>
                )}
                {entry.kind === "label" && (
                  <>
                    <span class="rv-kind">▣ document</span>
                    <span>
                      {entry.item.group}: <strong>{entry.item.value}</strong>
                    </span>
                  </>
                )}
                <span class="spacer" />
                <span class={`rv-held-text ${held ? "yes" : ""}`}>{state}</span>
              </div>
              <div class="rv-item-body">
                {entry.kind === "span" &&
                  (held ? (
                    <button
                      type="button"
                      class="link-button span-text"
                      title="Show it in the gold"
                      onClick={() => onShow(entry)}
                    >
                      {quote(entry.item)}
                    </button>
                  ) : (
                    <span class="span-text">{quote(entry.item)}</span>
                  ))}
                {entry.kind === "chain" && (
                  <span class="span-text">
                    {entry.item.mentions.map((m) => quote(m)).join(" · ")}
                  </span>
                )}
                {entry.kind === "relation" && (
                  <span class="span-text">
                    {entry.item.from.label} {quote(entry.item.from)} → {entry.item.to.label}{" "}
                    {quote(entry.item.to)}
                  </span>
                )}
                {entry.kind === "span" && entry.item.disputed_attributes.length > 0 && (
                  <span class="rv-warn">
                    Attributes in dispute: {entry.item.disputed_attributes.join(", ")}
                  </span>
                )}
                <span class="muted rv-who">{entry.item.annotators.join(", ")}</span>
              </div>
              <div class="rv-item-actions">
                <button
                  type="button"
                  disabled={held}
                  onClick={() => onAccept([entry], "Accepted.")}
                  aria-label={`Accept ${describe(entry)}`}
                >
                  Accept
                </button>
                <button
                  type="button"
                  disabled={!held && rejected.has(id)}
                  onClick={() => onReject(entry)}
                  aria-label={`Reject ${describe(entry)}`}
                >
                  Reject
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {shown.length > limit && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          Show {Math.min(PAGE, shown.length - limit)} more of {shown.length - limit}
        </button>
      )}
    </section>
  );
}

function describe(entry: ReviewItem): string {
  if (entry.kind === "span")
    return `${entry.item.label} span at ${entry.item.start}–${entry.item.end}`;
  if (entry.kind === "relation") return `${entry.item.label} link`;
  if (entry.kind === "chain")
    return t("review.describeChain", { first: entry.item.mentions[0]?.start ?? 0 });
  return `${entry.item.group} ${entry.item.value}`;
}
