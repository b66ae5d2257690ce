/** Typed calls for review, gold, agreement and exports (see annotations/views/workflow.py, exports.py). */
import type {
  AnnotationState,
  DocumentLabelValue,
  Fragment,
  Relation,
  Span,
} from "../editor/types";
import { get, request } from "./client";
import type { Review } from "./conversation";
import type { Page } from "./types";

const P = (id: number) => `/api/projects/${id}/`;
const D = (id: number, docId: number) => `${P(id)}documents/${docId}/`;

export type ItemStatus = "agreed" | "majority" | "disputed";

export interface SpanKey {
  start: number;
  end: number;
  label: string;
  /** An interrupted span's fragments: matched whole (absent: one piece). */
  fragments?: Fragment[] | null;
}

export interface ProposalSpan extends SpanKey {
  annotators: string[];
  status: ItemStatus;
  gold_id: string | null;
  disputed_attributes: string[];
}

export interface ProposalRelation {
  from: SpanKey;
  to: SpanKey;
  label: string;
  annotators: string[];
  status: ItemStatus;
  gold_id: string | null;
}

export interface ProposalDocumentLabel {
  group: string;
  value: string;
  annotators: string[];
  status: ItemStatus;
}

/** One annotator chain (the same mentions in several versions count as one row). */
export interface ProposalChain {
  mentions: SpanKey[];
  annotators: string[];
  status: ItemStatus;
  /** The gold chain holding exactly these mentions, if any. */
  gold_id: string | null;
}

export interface Proposal {
  annotation: AnnotationState;
  spans: ProposalSpan[];
  relations: ProposalRelation[];
  document_labels: ProposalDocumentLabel[];
  /** Absent from servers without chains. */
  chains?: ProposalChain[];
}

export interface AnnotatorVersion extends AnnotationState {
  annotator: string;
  status: "draft" | "submitted" | "skipped";
  version: number;
  updated_at: string;
  review?: Review | null;
}

export interface GoldAnnotation extends AnnotationState {
  status: string;
  version: number;
}

/** Mean pairwise figures for one document; null where fewer than two annotators answered. */
export interface DocumentFigures {
  id: number;
  annotators: string[];
  span_f1_exact: number | null;
  span_f1_overlap: number | null;
  relation_f1: number | null;
  title?: string;
}

export type Figure = number | null;

export interface PairFigures {
  a: string;
  b: string;
  documents: number;
  span_f1_exact: Figure;
  span_f1_overlap: Figure;
  relation_f1: Figure;
  document_label_kappa: Record<string, Figure>;
}

export interface AgreementSummary {
  documents: number;
  annotators: string[];
  document_labels: {
    overall: { cohen_kappa: Figure; fleiss_kappa: Figure; krippendorff_alpha: Figure };
    per_group: Record<
      string,
      { items: number; cohen_kappa: Figure; fleiss_kappa: Figure; krippendorff_alpha: Figure }
    >;
  };
  spans: {
    overall: {
      f1_exact_pairwise_mean: Figure;
      f1_overlap_pairwise_mean: Figure;
      f1_exact_micro: Figure;
      f1_overlap_micro: Figure;
      unitizing_alpha: Figure;
    };
    per_label: Record<string, { f1_exact: Figure; f1_overlap: Figure; unitizing_alpha: Figure }>;
  };
  relations: {
    overall: { f1_pairwise_mean: Figure; f1_micro: Figure };
    per_label: Record<string, { f1: Figure }>;
  };
  pairwise: PairFigures[];
}

export interface ProjectAgreement extends AgreementSummary {
  per_document: DocumentFigures[];
  anonymized: boolean;
}

export interface DocumentReview {
  document: {
    id: number;
    title: string;
    external_id: string;
    text: string;
    length: number;
    meta: Record<string, unknown>;
    /** A hidden gold check (issue 12). */
    is_check: boolean;
  };
  annotators_per_document: number;
  merge_threshold: number;
  anonymized: boolean;
  annotations: AnnotatorVersion[];
  submitted: number;
  proposal: Proposal;
  gold: GoldAnnotation | null;
  agreement: AgreementSummary & { document: DocumentFigures | null };
}

export type ExportStatus = "pending" | "running" | "succeeded" | "failed";

export interface ExportJob {
  id: number;
  project: number;
  format: string;
  scope: string;
  split: Record<string, number> | null;
  status: ExportStatus;
  progress: { done: number; total: number };
  row_count: number | null;
  size: number | null;
  sha256: string;
  /** The dataset version (1, 2, … per project) once the export succeeded, else null. */
  version: number | null;
  /** The previous succeeded export of the same format, scope and split, or null. */
  previous: number | null;
  error: string;
  /** Only on a job's own page (GET /api/exports/{id}/), not in the list. */
  warnings?: unknown[];
  attempt: number;
  stale: boolean;
  requested_by: string | null;
  created_at: string;
  started_at: string | null;
  heartbeat_at: string | null;
  finished_at: string | null;
  file_name: string | null;
  download_url: string | null;
}

/** What changed from export `against` to this one (GET /api/exports/{id}/diff/). */
export interface ExportDiff {
  against: number;
  documents: { added: string[]; removed: string[]; changed: string[] };
  spans: { added: number; removed: number; relabelled: number; moved: number };
  relations: { added: number; removed: number };
  document_labels: { changed: number };
  by_label: Record<string, { added: number; removed: number }>;
}

/** A large diff a worker is still computing (the API's 202). */
export interface ExportDiffPending {
  status: "pending";
  against: number;
}

export interface ExportRequest {
  format: string;
  scope: string;
  split?: Record<string, number> | null;
  /** `include_unannotated`, `exclude_flagged`, `labels` (token formats) and the format's own. */
  options?: Record<string, unknown>;
}

export interface GoldBody {
  version: number;
  spans: Span[];
  relations: Relation[];
  document_labels: Record<string, DocumentLabelValue>;
}

export const workflowApi = {
  review: (id: number, docId: number) => get<DocumentReview>(`${D(id, docId)}review/`),
  gold: (id: number, docId: number) => get<GoldAnnotation>(`${D(id, docId)}gold/`),
  /** Replaces the gold; a 409 (ApiError) means someone saved since `version`. */
  saveGold: (id: number, docId: number, body: GoldBody) =>
    request<GoldAnnotation>("PUT", `${D(id, docId)}gold/`, body).then((r) => r.data),
  /** Admins: make the document a hidden gold check (it needs gold), or no longer one. */
  setCheck: (id: number, docId: number, isCheck: boolean) =>
    request<{ id: number; is_check: boolean }>("PATCH", D(id, docId), { is_check: isCheck }).then(
      (r) => r.data,
    ),
  agreement: (id: number, order: "id" | "agreement" = "agreement") =>
    get<ProjectAgreement>(`${P(id)}agreement/?order=${order}`),
  exports: (id: number) => get<Page<ExportJob>>(`${P(id)}exports/?page_size=50`),
  exportJob: (jobId: number) => get<ExportJob>(`/api/exports/${jobId}/`),
  exportDiff: (jobId: number) => get<ExportDiff | ExportDiffPending>(`/api/exports/${jobId}/diff/`),
  requestExport: (id: number, body: ExportRequest) =>
    request<ExportJob>("POST", `${P(id)}exports/`, body).then((r) => r.data),
};
