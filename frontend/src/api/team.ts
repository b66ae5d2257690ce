/** Typed calls for the reviewers' screens: the team dashboard and the documents table
 * (see annotations/views/team.py and DocumentList in annotations/views/core.py). */
import { get, request } from "./client";
import type { Label, Page } from "./types";

const P = (id: number) => `/api/projects/${id}/`;

export const DOCUMENT_STATES = [
  "new",
  "in_progress",
  "annotated",
  "disputed",
  "gold",
  "reviewed",
] as const;
export type DocumentState = (typeof DOCUMENT_STATES)[number];

/** Where one annotator stands on documents: the dashboard's progress columns. */
export const PROGRESS_COLUMNS = ["assigned", "in_progress", "submitted", "skipped"] as const;
export type ProgressColumn = (typeof PROGRESS_COLUMNS)[number];

export interface MemberFigures extends Record<ProgressColumn, number> {
  username: string;
  role: string | null;
  timed: number;
  seconds_per_document: number | null;
  seconds_per_span: number | null;
}

export interface Bucket {
  start: string;
  end: string;
}

export interface Dashboard {
  period: { after: string; before: string; bucket: "day" | "week" };
  time: { source: string; idle_seconds: number };
  documents: {
    total: number;
    annotators_per_document: number;
    by_state: Record<DocumentState, number>;
  };
  annotators: MemberFigures[];
  team: { timed: number; seconds_per_document: number | null; seconds_per_span: number | null };
  throughput: Array<Bucket & { total: number; by_annotator: Record<string, number> }>;
  labels: Array<{
    id: number;
    name: string;
    color: string;
    /** The label's texts per language (i18n/labelText.ts reads them). */
    translations?: Label["translations"];
    spans: number;
    documents: number;
  }>;
  agreement: Array<Bucket & { documents: number; span_f1: number | null }>;
}

export interface PeriodQuery {
  after?: string;
  before?: string;
  bucket?: "day" | "week";
}

/** A row of the documents table as reviewers see it. */
export interface DocumentRow {
  id: number;
  title: string;
  external_id: string;
  length: number;
  status: string;
  my_status: string | null;
  created_at: string;
  state: DocumentState;
  submitted_count: number;
  disputed: boolean | null;
  agreement: number | null;
  last_submitted_at: string | null;
  annotators: Array<{ annotator: string; status: string }> | null;
}

function query(params: Record<string, string | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) search.set(key, value);
  const text = search.toString();
  return text ? `?${text}` : "";
}

export const teamApi = {
  dashboard: (id: number, period: PeriodQuery = {}) =>
    get<Dashboard>(`${P(id)}dashboard/${query({ ...period })}`),
  /** `params`: the table's filters, sort and page, as the list endpoint takes them. */
  documents: (id: number, params: URLSearchParams) =>
    get<Page<DocumentRow>>(`${P(id)}documents/?${params.toString()}`),
  bulk: <T>(id: number, action: string, body: unknown) =>
    request<T>("POST", `${P(id)}documents/bulk/${action}/`, body).then((r) => r.data),
};
