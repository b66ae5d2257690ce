import type { ComponentChildren } from "preact";

/** One cell of a figure table; `column` and `counts` become data attributes tests and links read. */
export interface FigureCell {
  key: string;
  column?: string;
  counts?: string;
  /** More data attributes, e.g. `{ "data-window": "0" }`. */
  data?: Record<string, string>;
  content: ComponentChildren;
}

/**
 * The dashboard's tables beside its charts: one header row, one row per item led by its
 * name, cells keyed by column, an optional footer, and a sideways scroll on narrow screens.
 */
export function FigureTable<T>({
  titleId,
  figure,
  columns,
  rows,
  rowKey,
  rowData,
  rowHead,
  cells,
  foot,
  scroll = false,
}: {
  /** The id of the section heading that names the table. */
  titleId: string;
  figure: string;
  columns: ComponentChildren[];
  rows: T[];
  rowKey: (row: T) => string | number;
  /** The row's data attributes, e.g. `{ "data-state": "new" }`. */
  rowData: (row: T) => Record<string, string>;
  rowHead: (row: T) => ComponentChildren;
  cells: (row: T) => FigureCell[];
  foot?: ComponentChildren;
  scroll?: boolean;
}) {
  const table = (
    <table class="figtable" aria-labelledby={titleId} data-figure={figure}>
      <thead>
        <tr>
          {columns.map((column, i) => (
            <th key={i} scope="col">
              {column}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row) => (
          <tr key={rowKey(row)} {...rowData(row)}>
            <th scope="row">{rowHead(row)}</th>
            {cells(row).map((cell) => (
              <td key={cell.key} data-column={cell.column} data-counts={cell.counts} {...cell.data}>
                {cell.content}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
      {foot}
    </table>
  );
  return scroll ? <div class="table-scroll">{table}</div> : table;
}
