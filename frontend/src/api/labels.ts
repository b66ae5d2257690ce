/** Typed calls for the labels screen (see annotations/views/core.py: LabelList, LabelDetail). */
import type { Label } from "../editor/types";
import { get, request } from "./client";
import type { Page } from "./types";

const P = (id: number) => `/api/projects/${id}/labels/`;

/** The work that uses a label: its spans, its links, the annotations holding either or
 * choosing it (document labels). */
export interface LabelUsage {
  spans: number;
  relations: number;
  annotations: number;
}

export interface LabelWithUsage extends Label {
  position: number;
  usage: LabelUsage | null;
}

export type LabelFields = Partial<Omit<LabelWithUsage, "id" | "usage" | "position">>;

export const labelsApi = {
  list: (id: number) =>
    get<Page<LabelWithUsage>>(`${P(id)}?usage=true&page_size=1000`).then((p) => p.results),
  create: (id: number, fields: LabelFields) =>
    request<LabelWithUsage>("POST", P(id), fields).then((r) => r.data),
  update: (id: number, labelId: number, fields: LabelFields) =>
    request<LabelWithUsage>("PATCH", `${P(id)}${labelId}/`, fields).then((r) => r.data),
  remove: (id: number, labelId: number) =>
    request<null>("DELETE", `${P(id)}${labelId}/`).then(() => undefined),
  reorder: (id: number, ids: number[]) =>
    request<LabelWithUsage[]>("POST", `${P(id)}order/`, { ids }).then((r) => r.data),
};
