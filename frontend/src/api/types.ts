import type { SuggestionSet } from "../editor/ghosts";
import type { AnnotationState, Label } from "../editor/types";
import type { FlagReason, Review } from "./conversation";

export interface Page<T> {
  count: number;
  next: string | null;
  previous: string | null;
  results: T[];
}

export interface Me {
  id: number;
  username: string;
  is_superuser: boolean;
}

export interface Project {
  id: number;
  name: string;
  description: string;
  language: string;
  guidelines: string;
  annotators_per_document: number;
  allow_overlap: boolean;
  /** Annotators may compare their submitted version with gold. */
  annotators_see_gold_after_review?: boolean;
  my_role: "admin" | "reviewer" | "annotator";
  progress: { total: number; submitted: number; skipped: number };
}

export interface DocumentSummary {
  id: number;
  title: string;
  external_id: string;
  length: number;
  status: string;
  my_status: string | null;
  /** Comments the caller may read, and how many of their threads are open. */
  comments: number;
  open_threads: number;
  flag: FlagReason | null;
}

export interface DocumentDetail {
  id: number;
  title: string;
  external_id: string;
  text: string;
  meta: Record<string, unknown>;
  length: number;
  status: string;
}

export type AnnotationStatus = "draft" | "submitted" | "skipped";

export interface MyAnnotation extends AnnotationState {
  status: AnnotationStatus;
  version: number;
  /** A reviewer's verdict on it (returned for correction, resubmitted, accepted). */
  review?: Review | null;
}

export type { Label };

/** GET …/suggestions/ (issue 10's contract, plus each source's status). */
export interface Suggestions extends SuggestionSet {
  status: "pending" | "ready" | "failed";
  document_labels: Record<string, unknown>;
  sources: Array<{
    source: string;
    status: "pending" | "ready" | "failed";
    computed_at: string | null;
    error: string | null;
  }>;
}
