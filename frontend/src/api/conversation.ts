/** Typed calls for comments, flags, returns and notices (annotations/views/conversation.py). */
import { get, request } from "./client";
import type { Page } from "./types";

const D = (id: number, docId: number) => `/api/projects/${id}/documents/${docId}/`;

export interface Comment {
  id: number;
  author: string | null;
  mine: boolean;
  /** Plain text: always rendered as text. */
  text: string;
  created_at: string;
  edited_at: string | null;
  /** Whose annotation (a username), "gold", or null for the whole document. */
  annotation: string | null;
  span_id: string | null;
  thread: number | null;
  reply_to: number | null;
  resolved: boolean;
  deleted: boolean;
}

export interface NewComment {
  text: string;
  annotation?: string | null;
  span_id?: string | null;
  reply_to?: number | null;
}

export const FLAG_REASONS = ["broken text", "duplicate", "off topic", "other"] as const;
export type FlagReason = (typeof FLAG_REASONS)[number];

export interface Flag {
  reason: FlagReason;
  flagged_at: string;
  mine: boolean;
  note?: string;
  flagged_by?: string | null;
}

export type ReviewState = "returned" | "resubmitted" | "accepted";

export interface Review {
  state: ReviewState;
  note: string;
  by: string | null;
  at: string;
}

export interface Verdict {
  annotator: string;
  status: string;
  version: number;
  review: Review;
}

export interface Comparison {
  /** null: no gold yet, or nothing of mine submitted. */
  gold_version: number | null;
  spans: {
    id: string;
    start: number;
    end: number;
    label: string;
    verdict: "match" | "label" | "extent" | "extra";
    gold_label?: string;
    gold_start?: number;
    gold_end?: number;
  }[];
  missed: number;
}

export type NoticeKind = "reply" | "comment" | "returned" | "flag";

export interface Notice {
  id: number;
  kind: NoticeKind;
  project: number;
  project_name: string;
  document: number;
  document_title: string;
  comment: number | null;
  actor: string | null;
  text: string;
  created_at: string;
  read: boolean;
}

export interface NoticePage extends Page<Notice> {
  unread: number;
}

export const conversationApi = {
  comments: (id: number, docId: number) => get<Comment[]>(`${D(id, docId)}comments/`),
  addComment: (id: number, docId: number, body: NewComment) =>
    request<Comment>("POST", `${D(id, docId)}comments/`, body).then((r) => r.data),
  editComment: (
    id: number,
    docId: number,
    cid: number,
    body: { text?: string; resolved?: boolean },
  ) => request<Comment>("PATCH", `${D(id, docId)}comments/${cid}/`, body).then((r) => r.data),
  deleteComment: (id: number, docId: number, cid: number) =>
    request<null>("DELETE", `${D(id, docId)}comments/${cid}/`).then(() => undefined),
  flag: (id: number, docId: number) =>
    get<{ flag: Flag | null }>(`${D(id, docId)}flag/`).then((r) => r.flag),
  setFlag: (id: number, docId: number, reason: FlagReason, note: string) =>
    request<Flag>("POST", `${D(id, docId)}flag/`, { reason, note }).then((r) => r.data),
  clearFlag: (id: number, docId: number) =>
    request<null>("DELETE", `${D(id, docId)}flag/`).then(() => undefined),
  returnAnnotation: (id: number, docId: number, annotator: string, note: string) =>
    request<Verdict>(
      "POST",
      `${D(id, docId)}annotations/${encodeURIComponent(annotator)}/return/`,
      { note },
    ).then((r) => r.data),
  acceptAnnotation: (id: number, docId: number, annotator: string) =>
    request<Verdict>(
      "POST",
      `${D(id, docId)}annotations/${encodeURIComponent(annotator)}/accept/`,
      {},
    ).then((r) => r.data),
  compared: (id: number, docId: number) =>
    get<Comparison>(`${D(id, docId)}annotations/mine/compared/`),
  notices: () => get<NoticePage>("/api/notices/?page_size=20"),
  markRead: (ids?: number[]) =>
    request<{ unread: number; marked: number }>(
      "POST",
      "/api/notices/read/",
      ids ? { ids } : {},
    ).then((r) => r.data),
};

/** Comments grouped in threads (first comment, then its replies), oldest thread first. */
export interface Thread {
  first: Comment;
  replies: Comment[];
}

export function threadsOf(comments: Comment[]): Thread[] {
  const threads = new Map<number, Thread>();
  for (const c of comments) {
    if (c.thread === null) threads.set(c.id, { first: c, replies: [] });
  }
  for (const c of comments) {
    if (c.thread !== null) threads.get(c.thread)?.replies.push(c);
  }
  return [...threads.values()];
}
