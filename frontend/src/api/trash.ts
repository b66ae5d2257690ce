/** Deleting with confirmation, and the trash (see annotations/views/trash.py). */
import { get, request } from "./client";

export interface TrashItem {
  id: number;
  kind: "project" | "document" | "member";
  /** The project's name, the document's title or the member's username. */
  name: string;
  /** Where a document or member belonged (null for a project, or once that project is gone). */
  project: number | null;
  counts: { documents?: number; annotations?: number; spans?: number };
  deleted_by: string | null;
  deleted_at: string;
  purge_after: string;
}

export interface Restored {
  kind: TrashItem["kind"];
  project: number;
  document: number | null;
  member: number | null;
}

const P = (id: number) => `/api/projects/${id}/`;
const confirmed = (confirm: boolean) => (confirm ? "?confirm=true" : "");

/**
 * Each delete goes first without `confirm`: the server deletes what holds no work at once and
 * answers 409 `confirm_required` with `wouldDelete` for the rest, which the screen shows
 * before sending it again confirmed.
 */
export const trashApi = {
  deleteProject: (id: number, confirm: boolean) =>
    request<null>("DELETE", `${P(id)}${confirmed(confirm)}`).then(() => undefined),
  deleteDocument: (id: number, docId: number, confirm: boolean) =>
    request<null>("DELETE", `${P(id)}documents/${docId}/${confirmed(confirm)}`).then(
      () => undefined,
    ),
  removeMember: (id: number, memberId: number, confirm: boolean) =>
    request<null>("DELETE", `${P(id)}members/${memberId}/${confirmed(confirm)}`).then(
      () => undefined,
    ),
  items: () => get<TrashItem[]>("/api/trash/"),
  restore: (itemId: number) =>
    request<Restored>("POST", `/api/trash/${itemId}/restore/`).then((r) => r.data),
};
