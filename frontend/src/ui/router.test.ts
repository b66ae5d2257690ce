import { describe, expect, it } from "vitest";
import { parseRoute } from "./router";

describe("routes", () => {
  it("parses the stable document address", () => {
    expect(parseRoute("/projects/3/documents/42/")).toEqual({ name: "document", pk: 3, docId: 42 });
    expect(parseRoute("/projects/3/")).toEqual({ name: "project", pk: 3 });
    expect(parseRoute("/")).toEqual({ name: "projects" });
    expect(parseRoute("/account/")).toEqual({ name: "account" });
    expect(parseRoute("/projects/3/labels/")).toEqual({ name: "labels", pk: 3 });
    expect(parseRoute("/projects/3/documents/42/history/")).toEqual({
      name: "documentHistory",
      pk: 3,
      docId: 42,
    });
    expect(parseRoute("/projects/3/history/", "?annotator=al%40ice")).toEqual({
      name: "history",
      pk: 3,
      annotator: "al@ice",
    });
    expect(parseRoute("/projects/3/nowhere/")).toEqual({
      name: "other",
      path: "/projects/3/nowhere/",
    });
  });

  it("parses the review, agreement and exports pages", () => {
    expect(parseRoute("/projects/3/documents/42/review/")).toEqual({
      name: "review",
      pk: 3,
      docId: 42,
    });
    expect(parseRoute("/projects/3/agreement/")).toEqual({ name: "agreement", pk: 3 });
    expect(parseRoute("/projects/3/exports")).toEqual({ name: "exports", pk: 3 });
    expect(parseRoute("/projects/3/dashboard/")).toEqual({ name: "dashboard", pk: 3 });
    expect(parseRoute("/projects/3/documents/")).toEqual({ name: "documents", pk: 3 });
    expect(parseRoute("/projects/3/documents/9/")).toEqual({ name: "document", pk: 3, docId: 9 });
    expect(parseRoute("/projects/3/settings/")).toEqual({ name: "settings", pk: 3 });
    expect(parseRoute("/projects/3/suggestions/")).toEqual({ name: "suggestions", pk: 3 });
    expect(parseRoute("/projects/3/quality/")).toEqual({ name: "quality", pk: 3 });
    expect(parseRoute("/projects/3/people/")).toEqual({ name: "people", pk: 3 });
  });
});
