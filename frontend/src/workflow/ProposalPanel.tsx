import { useState } from "preact/hooks";
import type { DocumentReview, ItemStatus } from "../api/workflow";
import { tagStyle } from "../editor/colors";
import type { AnnotationState, Label } from "../editor/types";
import { formatNumber, formatPercent, t } from "../i18n";
import { attributeName, documentValueName, groupName } from "../i18n/labelText";
import { type Drawer, DrawerClose } from "../ui/Drawer";
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
  drawer,
  labels = [],
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
  /** On a phone the panel is this drawer. */
  drawer?: Drawer;
  /** The project's labels: groups, values and attribute names read in the interface language. */
  labels?: Label[];
}) {
  const spanLabel = (name: string) => labels.find((l) => l.kind === "span" && l.name === name);
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
    <section
      {...drawer?.panel}
      class={`rv-proposal${drawer ? " drawer" : ""}${drawer?.open ? " open" : ""}`}
      aria-label={t("review.proposal")}
    >
      {drawer && <DrawerClose drawer={drawer} />}
      <h2>{t("review.proposal")}</h2>
      <p class="hint">
        {t("review.proposalRule", {
          count: review.submitted,
          percent: formatPercent(review.merge_threshold),
        })}
      </p>
      <div class="row">
        <button
          type="button"
          class="primary"
          disabled={!agreedCount}
          onClick={() =>
            onAccept(
              itemsWithStatus(review, "agreed"),
              t("review.acceptedAgreed", { count: agreedCount }),
            )
          }
        >
          {t("review.acceptAgreed", { n: formatNumber(agreedCount) })}
        </button>
        <button
          type="button"
          disabled={!proposed.length}
          onClick={() =>
            onAccept(proposed, t("review.acceptedProposed", { count: proposed.length }))
          }
        >
          {t("review.acceptProposed", { n: formatNumber(proposed.length) })}
        </button>
      </div>
      {items.length === 0 && <p class="muted">{t("review.nothingToPropose")}</p>}
      <label class="field">
        {t("review.show")}
        <select
          value={show}
          onChange={(e) => {
            setShow(e.currentTarget.value as ItemStatus | "all");
            setLimit(PAGE);
          }}
        >
          <option value="all">{t("review.allItems", { n: formatNumber(items.length) })}</option>
          <option value="disputed">
            {t("review.disputedItems", { n: formatNumber(count("disputed")) })}
          </option>
          <option value="majority">
            {t("review.majorityItems", { n: formatNumber(count("majority")) })}
          </option>
          <option value="agreed">
            {t("review.agreedItems", { n: formatNumber(count("agreed")) })}
          </option>
        </select>
      </label>
      <ul class="rv-items">
        {shown.slice(0, limit).map((entry) => {
          const id = itemId(entry);
          const held = inGold(entry);
          const state = held
            ? t("review.inGold")
            : rejected.has(id)
              ? t("review.rejectedState")
              : t("review.notInGold");
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
                    <span class="rv-kind">▭ {t("review.kindSpan")}</span>
                    <span
                      class="chip"
                      style={tagStyle(colorOf(entry.item.label))}
                      translate={false}
                    >
                      {entry.item.label}
                    </span>
                  </>
                )}
                {entry.kind === "relation" && (
                  <>
                    <span class="rv-kind">↗ {t("review.kindLink")}</span>
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
                    <span class="rv-kind">▣ {t("review.kindDocument")}</span>
                    <span>
                      {groupName(entry.item.group, labels)}:{" "}
                      <strong>
                        {documentValueName(entry.item.group, entry.item.value, labels)}
                      </strong>
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
                      title={t("review.showInGold")}
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
                    {t("review.disputedAttributes", {
                      names: entry.item.disputed_attributes
                        .map((name) => attributeName(spanLabel(entry.item.label), name))
                        .join(", "),
                    })}
                  </span>
                )}
                <span class="muted rv-who">{entry.item.annotators.join(", ")}</span>
              </div>
              <div class="rv-item-actions">
                <button
                  type="button"
                  disabled={held}
                  onClick={() => onAccept([entry], t("review.accepted"))}
                  aria-label={t("review.acceptItem", { item: describe(entry, labels) })}
                >
                  {t("review.accept")}
                </button>
                <button
                  type="button"
                  disabled={!held && rejected.has(id)}
                  onClick={() => onReject(entry)}
                  aria-label={t("review.rejectItem", { item: describe(entry, labels) })}
                >
                  {t("review.reject")}
                </button>
              </div>
            </li>
          );
        })}
      </ul>
      {shown.length > limit && (
        <button type="button" onClick={() => setLimit(limit + PAGE)}>
          {t("review.showMore", {
            n: formatNumber(Math.min(PAGE, shown.length - limit)),
            rest: formatNumber(shown.length - limit),
          })}
        </button>
      )}
    </section>
  );
}

function describe(entry: ReviewItem, labels: Label[]): string {
  if (entry.kind === "span")
    return t("review.describeSpan", {
      label: entry.item.label,
      start: String(entry.item.start),
      end: String(entry.item.end),
    });
  if (entry.kind === "relation") return t("review.describeLink", { label: entry.item.label });
  if (entry.kind === "chain")
    return t("review.describeChain", { first: entry.item.mentions[0]?.start ?? 0 });
  const { group, value } = entry.item;
  return `${groupName(group, labels)} ${documentValueName(group, value, labels)}`;
}
