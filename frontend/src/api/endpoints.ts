import { get, request } from "./client";
import type {
  DocumentDetail,
  DocumentSummary,
  Label,
  Me,
  MyAnnotation,
  Page,
  Project,
  Suggestions,
} from "./types";

const P = (id: number) => `/api/projects/${id}/`;

export const api = {
  me: () => get<Me>("/api/me/"),
  projects: () => get<Page<Project>>("/api/projects/?page_size=100"),
  project: (id: number) => get<Project>(P(id)),
  labels: (id: number) => get<Page<Label>>(`${P(id)}labels/?page_size=1000`).then((p) => p.results),
  documents: (id: number, page: number, status = "") =>
    get<Page<DocumentSummary>>(
      `${P(id)}documents/?page=${page}&page_size=50${status ? `&status=${status}` : ""}`,
    ),
  document: (id: number, docId: number) => get<DocumentDetail>(`${P(id)}documents/${docId}/`),
  mine: (id: number, docId: number) =>
    get<MyAnnotation>(`${P(id)}documents/${docId}/annotations/mine/`),
  mineUrl: (id: number, docId: number) => `${P(id)}documents/${docId}/annotations/mine/`,
  /** Suggestions over every source; computed by a worker, so possibly still pending. */
  suggestions: (id: number, docId: number) =>
    get<Suggestions>(`${P(id)}documents/${docId}/suggestions/`),
  /** The next document from the project's queue, or "empty" when nothing is left for me. */
  async nextDocument(id: number): Promise<DocumentDetail | "empty"> {
    const res = await request<DocumentDetail | null>("GET", `${P(id)}queue/next/`);
    return res.status === 204 || !res.data ? "empty" : res.data;
  },
};
