/** Typed calls for project administration: upload, members, settings (see annotations/views/core.py). */
import { get, request } from "./client";
import type { Page, Project } from "./types";

const P = (id: number) => `/api/projects/${id}/`;

export const ROLES = ["admin", "reviewer", "annotator"] as const;
export type Role = (typeof ROLES)[number];

export interface Member {
  id: number;
  username: string;
  role: Role;
  /** Admins only: a member who has not set a password yet (`expires_at` null: the link lapsed). */
  invitation?: { expires_at: string | null } | null;
}

/** An account the user search offers; `role` is its role in this project, if any. */
export interface UserSuggestion {
  id: number;
  username: string;
  role: Role | null;
}

export interface Invitation {
  url: string;
  expires_at: string;
}

export interface NewAccount {
  username: string;
  email: string;
  role: Role;
  method: "password" | "invitation";
}

/** What creating an account answers: the secret to pass on is in this answer only. */
export interface CreatedAccount {
  member: Member;
  temporary_password: string | null;
  invitation: Invitation | null;
}

export interface UploadOptions {
  /** A format's name from `GET /api/formats/`; omitted, the server picks it by the suffix. */
  format?: string;
  /** For a format that reads several offset units (its `import.offset_units`); empty: the
   * server detects it, if the format says it can (`import.detects_unit`). */
  offsetUnit?: string;
  /** Sent as `as`: "annotations" (default), "gold" or "suggestions". */
  layer?: string;
  /** JSON objects, sent as typed: the server checks them and says what is wrong. */
  annotatorMap?: string;
  labelMap?: string;
  /** An annotator who maps to no member: "map" (refuse, the default), "create", "suggestions". */
  annotators?: string;
  /** A repeated or already stored external id: "error" (default), "skip", "update". */
  duplicates?: string;
}

export interface UploadResult {
  created: number;
  ids: number[];
  warnings: string[];
  /** Whose work the file's layers became: names mapped to members, accounts made, existing
   * accounts made members, annotators whose work became suggestions. */
  annotators?: {
    mapped: Record<string, string>;
    created: string[];
    added: string[];
    suggestions: string[];
  };
  skipped?: string[];
  updated?: string[];
}

/** The project settings an admin edits on the settings page. */
export interface ProjectSettings {
  annotators_per_document: number;
  allow_overlap: boolean;
  annotators_see_each_other: boolean;
  anonymize_review: boolean;
  /** QUOTE spans run from the opening quotation mark to the closing one (the suggester follows). */
  quotes_include_marks: boolean;
  annotators_see_gold_after_review: boolean;
  merge_threshold: number;
  /** Hidden gold checks: the share (0 to 1) of the queue's hand-outs that are checks. */
  check_rate: number;
  guidelines: string;
}

export type ProjectWithSettings = Project & ProjectSettings;

export interface NewProject {
  name: string;
  language: string;
  /** "news": PER, ORG, LOC, EVENT, MISC, QUOTE, SPEAKER and document sentiment. */
  preset: "news" | null;
}

export const adminApi = {
  createProject: (fields: NewProject) =>
    request<ProjectWithSettings>("POST", "/api/projects/", fields).then((r) => r.data),
  project: (id: number) => get<ProjectWithSettings>(P(id)),
  saveSettings: (id: number, fields: Partial<ProjectSettings>) =>
    request<ProjectWithSettings>("PATCH", P(id), fields).then((r) => r.data),
  members: (id: number) =>
    get<Page<Member>>(`${P(id)}members/?page_size=1000`).then((p) => p.results),
  addMember: (id: number, username: string, role: Role) =>
    request<Member>("POST", `${P(id)}members/`, { username, role }).then((r) => r.data),
  setRole: (id: number, memberId: number, role: Role) =>
    request<Member>("PATCH", `${P(id)}members/${memberId}/`, { role }).then((r) => r.data),
  searchUsers: (id: number, q: string) =>
    get<UserSuggestion[]>(`${P(id)}users/?q=${encodeURIComponent(q)}`),
  createAccount: (id: number, account: NewAccount) =>
    request<CreatedAccount>("POST", `${P(id)}accounts/`, account).then((r) => r.data),
  renewInvitation: (id: number, memberId: number) =>
    request<Invitation>("POST", `${P(id)}members/${memberId}/invitation/`).then((r) => r.data),
  upload: (id: number, file: File, options: UploadOptions = {}) => {
    const form = new FormData();
    form.append("file", file, file.name);
    if (options.format) form.append("format", options.format);
    if (options.format && options.offsetUnit) form.append("offset_unit", options.offsetUnit);
    if (options.layer) form.append("as", options.layer);
    if (options.annotatorMap?.trim()) form.append("annotator_map", options.annotatorMap.trim());
    if (options.labelMap?.trim()) form.append("label_map", options.labelMap.trim());
    if (options.annotators) form.append("annotators", options.annotators);
    if (options.duplicates) form.append("duplicates", options.duplicates);
    return request<UploadResult>("POST", `${P(id)}documents/upload/`, form).then((r) => r.data);
  },
};
