import { describe, expect, it } from "vitest";
import { extraFilters, selectionBody, tableQuery, withFilter } from "./documentsTable";

const from = (text: string) => new URLSearchParams(text);

describe("the documents table's address", () => {
  it("asks the list endpoint for the address's filters, a page at a time", () => {
    expect(tableQuery(from("state=disputed&page=3")).toString()).toBe(
      "state=disputed&page=3&page_size=50",
    );
  });

  it("goes back to the first page when a filter changes, not when the page does", () => {
    expect(withFilter(from("state=new&page=4"), "label", "PER").toString()).toBe(
      "state=new&label=PER",
    );
    expect(withFilter(from("state=new&page=4"), "page", "5").toString()).toBe("state=new&page=5");
    expect(withFilter(from("state=new&q=x"), "q", "").toString()).toBe("state=new");
  });

  it("drops the annotator's standing with the annotator", () => {
    expect(
      withFilter(from("annotator=alice&annotator_status=skipped"), "annotator", "").toString(),
    ).toBe("");
  });

  it("shows filters that came with a link as chips", () => {
    const search = from("annotator=alice&submitted_after=2026-03-01&compared=true&page=2");
    expect(extraFilters(search)).toEqual([
      ["submitted_after", "2026-03-01"],
      ["compared", "true"],
    ]);
  });
});

describe("a bulk action's selection", () => {
  it("sends the ids picked, in order, or the filter without paging and order", () => {
    const search = from("state=disputed&ordering=-agreement&page=2");
    expect(selectionBody({ kind: "ids", ids: new Set([9, 2, 5]) }, search)).toEqual({
      documents: [2, 5, 9],
    });
    expect(selectionBody({ kind: "filter" }, search)).toEqual({ filter: "state=disputed" });
  });
});
