/** The history API (annotations/views/workflow.py History, views/team.py AnnotatorHistory). */
import { get } from "./client";
import type { Page } from "./types";

const P = (id: number) => `/api/projects/${id}/`;

export interface HistoryEvent {
  id: number;
  /** Whose annotation (null: the gold version). */
  annotator: string | null;
  is_gold: boolean;
  actor: string | null;
  version: number;
  action: string;
  changes: Record<string, unknown>;
  created_at: string;
  /** Per-person history only. */
  document?: { id: number; title: string; external_id: string };
}

export const historyApi = {
  ofDocument: (id: number, docId: number, page = 1) =>
    get<Page<HistoryEvent>>(`${P(id)}documents/${docId}/history/?page=${page}&page_size=50`),
  ofPerson: (id: number, username: string, page = 1) =>
    get<Page<HistoryEvent>>(
      `${P(id)}history/?annotator=${encodeURIComponent(username)}&page=${page}&page_size=50`,
    ),
};
