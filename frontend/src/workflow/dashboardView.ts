/**
 * Shapes the dashboard's figures for the page: how a time or a share reads, what a bucket
 * is called, and where each figure links (the documents table with the filter that lists
 * the documents behind it, `documentsLink.ts`).
 */
import type { Bucket, Dashboard, DocumentState, MemberFigures, ProgressColumn } from "../api/team";
import { formatDate, formatNumber, t } from "../i18n";
import { documentsHref } from "./documentsLink";

/** A median time: `4.5 s` under ten seconds, `45 s`, `2 min 5 s`, `1 h 5 min`; `—` for none. */
export function formatDuration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return "—";
  if (seconds < 10)
    return t("time.seconds", { value: formatNumber(seconds, { maximumFractionDigits: 1 }) });
  const whole = Math.round(seconds);
  if (whole < 60) return t("time.seconds", { value: formatNumber(whole) });
  if (whole < 3600)
    return t("time.minutes", { minutes: Math.floor(whole / 60), seconds: whole % 60 });
  const minutes = Math.round(whole / 60);
  return t("time.hours", { hours: Math.floor(minutes / 60), minutes: minutes % 60 });
}

/** An agreement figure (0–1) with two decimals; `—` for none. */
export function formatShare(value: number | null): string {
  return value === null
    ? "—"
    : formatNumber(value, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
}

/** A bucket's name: its day, or for a week its first and last day. */
export function bucketName(bucket: Bucket, kind: "day" | "week"): string {
  const day = (iso: string) => formatDate(iso, { month: "short", day: "numeric", timeZone: "UTC" });
  return kind === "week" ? `${day(bucket.start)} – ${day(bucket.end)}` : day(bucket.start);
}

export const links = {
  state: (pk: number, state: DocumentState) => documentsHref(pk, { state }),
  progress: (pk: number, member: MemberFigures, column: ProgressColumn) =>
    documentsHref(pk, { annotator: member.username, annotator_status: column }),
  /** The member's submissions in the period: what their time medians are taken over. */
  timed: (pk: number, member: MemberFigures, period: Dashboard["period"]) =>
    documentsHref(pk, {
      annotator: member.username,
      annotator_status: "submitted",
      submitted_after: period.after,
      submitted_before: period.before,
    }),
  teamTimed: (pk: number, period: Dashboard["period"]) =>
    documentsHref(pk, { submitted_after: period.after, submitted_before: period.before }),
  throughput: (pk: number, bucket: Bucket, annotator?: string) =>
    documentsHref(pk, {
      annotator,
      annotator_status: annotator ? "submitted" : undefined,
      submitted_after: bucket.start,
      submitted_before: bucket.end,
    }),
  label: (pk: number, name: string) => documentsHref(pk, { label: name }),
  agreement: (pk: number, bucket: Bucket) =>
    documentsHref(pk, {
      compared: "true",
      last_submitted_after: bucket.start,
      last_submitted_before: bucket.end,
      ordering: "agreement",
    }),
};

/** The annotators that appear in any throughput bucket, in name order. */
export function throughputAnnotators(data: Dashboard): string[] {
  const names = new Set<string>();
  for (const bucket of data.throughput)
    for (const name of Object.keys(bucket.by_annotator)) names.add(name);
  return [...names].sort();
}

// Ten colours apart in hue and lightness (annotators in the stacked charts).
export const SERIES_COLORS = [
  "#1f5fbf",
  "#b35c00",
  "#1b7a33",
  "#8e44ad",
  "#c0392b",
  "#117a8b",
  "#7f6000",
  "#d35ea0",
  "#4d4d4d",
  "#6c8f00",
];

// Progress columns and document states, each its own colour.
export const PROGRESS_COLORS: Record<ProgressColumn, string> = {
  assigned: "#9db9e0",
  in_progress: "#b35c00",
  submitted: "#1b7a33",
  skipped: "#777777",
};

export const STATE_COLORS: Record<DocumentState, string> = {
  new: "#9db9e0",
  in_progress: "#b35c00",
  annotated: "#1f5fbf",
  disputed: "#b3261e",
  gold: "#c9a400",
  reviewed: "#1b7a33",
};

/** What a document state is called on screen. */
export function stateName(state: DocumentState): string {
  const names: Record<DocumentState, string> = {
    new: t("states.new"),
    in_progress: t("states.in_progress"),
    annotated: t("states.annotated"),
    disputed: t("states.disputed"),
    gold: t("states.gold"),
    reviewed: t("states.reviewed"),
  };
  return names[state];
}

/** What a progress column is called on screen. */
export function progressName(column: ProgressColumn): string {
  const names: Record<ProgressColumn, string> = {
    assigned: t("progressColumns.assigned"),
    in_progress: t("progressColumns.in_progress"),
    submitted: t("progressColumns.submitted"),
    skipped: t("progressColumns.skipped"),
  };
  return names[column];
}
