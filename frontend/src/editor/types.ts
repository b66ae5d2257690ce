/** Shapes shared by the editor core and the API client. Offsets are code points. */

export type Attributes = Record<string, string | string[] | null>;

export interface Span {
  id: string;
  start: number;
  end: number;
  label: string;
  attributes: Attributes;
  /** Provenance: the suggester the span was accepted from, and its score (absent: a person). */
  source?: string;
  score?: number | null;
}

export interface Relation {
  id: string;
  from: string;
  to: string;
  label: string;
}

export type DocumentLabelValue = string | string[] | null;

export interface Label {
  id: number;
  kind: "span" | "relation" | "document";
  name: string;
  color: string;
  hotkey: string;
  description: string;
  attributes: Record<string, string[]>;
  source_labels: string[];
  target_labels: string[];
  group: string;
  multiple: boolean;
}

/** Edits, shaped exactly like the API's PATCH ops so autosave forwards them as they are. */
export type Op =
  | { op: "add_span"; span: Span }
  | {
      op: "update_span";
      id: string;
      start?: number;
      end?: number;
      label?: string;
      attributes?: Attributes;
      source?: string;
      score?: number | null;
    }
  | { op: "delete_span"; id: string }
  | { op: "add_relation"; relation: Relation }
  | { op: "delete_relation"; id: string }
  | { op: "set_document_label"; group: string; value: DocumentLabelValue }
  | { op: "set_status"; status: "draft" | "submitted" | "skipped" };

export interface AnnotationState {
  spans: Span[];
  relations: Relation[];
  document_labels: Record<string, DocumentLabelValue>;
}
