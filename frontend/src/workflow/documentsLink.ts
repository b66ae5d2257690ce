/**
 * The documents table's address: `/projects/{pk}/documents/?state=disputed&…`. Its query
 * string is the list endpoint's (annotations/filters.py), so a link from a dashboard figure,
 * the table's own controls and the API request are one and the same filter.
 */

export type TableFilters = Record<string, string | undefined>;

export function documentsHref(pk: number, filters: TableFilters = {}): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) search.set(key, value);
  const text = search.toString();
  return `/projects/${pk}/documents/${text ? `?${text}` : ""}`;
}
