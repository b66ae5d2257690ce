/**
 * The documents table's state, kept in the address (`documentsLink.ts`): which filters the
 * form shows, which others came with a link (a dashboard figure's period), the page, and
 * what a bulk action is sent (the ids picked, or the filter itself for "all matching").
 */
import { t } from "../i18n";

export const PAGE_SIZE = 50;

// Filters the form has a control for; any other parameter is shown as a removable chip.
const FORM_FILTERS = new Set([
  "q",
  "state",
  "annotator",
  "annotator_status",
  "label",
  "disagreement",
  "ordering",
  "page",
  "page_size",
]);

/** What the chips call the filters that come with links. */
export const FILTER_NAMES: Record<string, () => string> = {
  submitted_after: () => t("table.submittedAfter"),
  submitted_before: () => t("table.submittedBefore"),
  last_submitted_after: () => t("table.lastSubmittedAfter"),
  last_submitted_before: () => t("table.lastSubmittedBefore"),
  compared: () => t("table.compared"),
  status: () => t("table.status"),
  my_status: () => t("table.myStatus"),
};

/** Sortable columns, in the table's order. */
export const SORTS: Array<[string, () => string]> = [
  ["title", () => t("table.colTitle")],
  ["state", () => t("dashboard.state")],
  ["submitted_count", () => t("table.colSubmitted")],
  ["agreement", () => t("table.colAgreement")],
  ["last_submitted_at", () => t("table.colLastSubmitted")],
  ["length", () => t("table.colLength")],
];

/** The list endpoint's query for the table's address. */
export function tableQuery(search: URLSearchParams): URLSearchParams {
  const query = new URLSearchParams(search);
  query.set("page_size", String(PAGE_SIZE));
  return query;
}

/** The address with one filter set (or removed, when empty); any change but paging goes
 * back to the first page. */
export function withFilter(search: URLSearchParams, name: string, value: string): URLSearchParams {
  const next = new URLSearchParams(search);
  if (value) next.set(name, value);
  else next.delete(name);
  if (name !== "page") next.delete("page");
  if (name === "annotator" && !value) next.delete("annotator_status");
  return next;
}

export function extraFilters(search: URLSearchParams): Array<[string, string]> {
  return [...search.entries()].filter(([name]) => !FORM_FILTERS.has(name));
}

/** The rows picked one by one, or every document the filter matches. */
export type Selection = { kind: "ids"; ids: Set<number> } | { kind: "filter" };

/** A bulk action's body: `documents` (ids) or `filter` (the table's query, without paging
 * and order). */
export function selectionBody(
  selection: Selection,
  search: URLSearchParams,
): { documents: number[] } | { filter: string } {
  if (selection.kind === "ids") return { documents: [...selection.ids].sort((a, b) => a - b) };
  const filter = new URLSearchParams(search);
  for (const name of ["page", "page_size", "ordering"]) filter.delete(name);
  return { filter: filter.toString() };
}
