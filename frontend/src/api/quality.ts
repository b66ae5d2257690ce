/** Annotator quality (annotations/views/quality.py): accuracy on hidden gold checks, drift, time. */
import { get } from "./client";

export interface Accuracy {
  span_f1: number | null;
  span_f1_overlap: number | null;
  link_f1: number | null;
  document_labels: number | null;
}

export interface DriftWindow {
  checks: number;
  first_at: string;
  last_at: string;
  span_f1: number | null;
}

export interface AnnotatorQuality {
  username: string;
  documents: number;
  checks: number;
  accuracy: Accuracy;
  agreement: number | null;
  drift: DriftWindow[];
  drifting: boolean;
  active_seconds_median: number | null;
  seconds_per_span_median: number | null;
}

export interface ProjectQuality {
  drift_window: number;
  drift_windows: number;
  drift_margin: number;
  annotators: AnnotatorQuality[];
}

export const qualityApi = {
  quality: (pk: number) => get<ProjectQuality>(`/api/projects/${pk}/quality/`),
};
