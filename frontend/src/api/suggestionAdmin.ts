/** Typed calls for the project's model backend and the suggestion quality figures
 * (see annotations/views/suggestion_backend.py and suggestion_quality.py). */
import { get, request } from "./client";

const P = (id: number) => `/api/projects/${id}/suggestions/`;

export type BackendStatus = "unused" | "ok" | "failed";

export interface ModelBackend {
  url: string | null;
  enabled: boolean;
  status: BackendStatus;
  /** The latest failure's reason, as the server wrote it: shown as text. */
  error: string;
  failed_at: string | null;
  checked_at: string | null;
  calls: number;
  failures: number;
}

export interface Match {
  suggested: number;
  correct: number;
  gold: number;
  precision: number | null;
  recall: number | null;
  f1: number | null;
}

export interface LabelMatch extends Match {
  label: string;
}

export interface SourceQuality {
  source: string;
  title: string;
  documents: number;
  compared: number;
  spans: Match;
  links: Match;
  span_labels: LabelMatch[];
  link_labels: LabelMatch[];
  acceptance: {
    shown: number;
    accepted: number;
    edited: number;
    not_accepted: number;
    rate: number | null;
  };
}

export interface SuggestionQuality {
  sources: SourceQuality[];
}

export const suggestionAdminApi = {
  backend: (id: number) => get<ModelBackend>(`${P(id)}backend/`),
  saveBackend: (id: number, fields: { url: string; enabled: boolean }) =>
    request<ModelBackend>("PUT", `${P(id)}backend/`, fields).then((r) => r.data),
  quality: (id: number) => get<SuggestionQuality>(`${P(id)}quality/`),
};
