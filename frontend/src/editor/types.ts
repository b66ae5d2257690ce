/** Shapes shared by the editor core and the API client. Offsets are code points. */

export type Attributes = Record<string, string | string[] | null>;

/** One stretch of an interrupted span, [start, end) in code points. */
export type Fragment = [number, number];

export interface Span {
  id: string;
  /** With fragments: the first fragment's start and the last one's end. */
  start: number;
  end: number;
  label: string;
  attributes: Attributes;
  /**
   * An interrupted span ("…," ujar Budi, "…"): two or more sorted, non-overlapping
   * fragments. Absent, null or empty: the one fragment [start, end). One span, one id,
   * so a quote's links belong to the whole quote (DECISIONS.md, fragments).
   */
  fragments?: Fragment[] | null;
  /** The id of the chain (coreference: the same person or organisation) the mention is in. */
  chain?: string | null;
  /** Provenance: the suggester the span was accepted from, and its score (absent: a person). */
  source?: string;
  score?: number | null;
}

/** A chain of mentions of one person or organisation. */
export interface Chain {
  id: string;
  /** Given by the annotator; may be blank. */
  name: string;
  /** Read-only, from the server: the name, else the longest PER/ORG mention. */
  canonical?: string;
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
  /**
   * What people read, per interface language (the API's `translations`; absent or `{}` on a
   * custom label): i18n/labelText.ts picks from it. `name` stays the identifier.
   */
  translations?: Partial<Record<string, LabelTexts>>;
}

/** One language's texts of a label (annotations/presets.py shows the shape). */
export interface LabelTexts {
  title?: string;
  description?: string;
  /** A document label's group's display name. */
  group?: string;
  /** Span labels: attribute name → display name. */
  attributes?: Record<string, string>;
  /** Span labels: attribute value → display name (one map for all the label's attributes). */
  values?: Record<string, string>;
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
      /** null: one fragment again. */
      fragments?: Fragment[] | null;
      /** null: out of its chain. */
      chain?: string | null;
    }
  | { op: "delete_span"; id: string }
  /** Creates the chain or renames it. */
  | { op: "set_chain"; id: string; name: string }
  /** Deletes the chain; its mentions stay, out of any chain. */
  | { op: "delete_chain"; id: string }
  | { op: "add_relation"; relation: Relation }
  | { op: "delete_relation"; id: string }
  | { op: "set_document_label"; group: string; value: DocumentLabelValue }
  | { op: "set_status"; status: "draft" | "submitted" | "skipped" };

export interface AnnotationState {
  spans: Span[];
  relations: Relation[];
  document_labels: Record<string, DocumentLabelValue>;
  /** Absent in states from before chains: none. */
  chains?: Chain[];
}
