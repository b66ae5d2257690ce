import { describe, expect, it } from "vitest";
import { linkCandidates, relationLabelFor } from "./linking";
import { span } from "./testing";
import type { Label } from "./types";

const speaker: Label = {
  id: 1,
  kind: "relation",
  name: "SPEAKER",
  color: "#000",
  hotkey: "s",
  description: "",
  attributes: {},
  source_labels: ["QUOTE"],
  target_labels: ["PER", "ORG"],
  group: "",
  multiple: false,
};
describe("linking", () => {
  it("offers the relation only from its source labels", () => {
    expect(relationLabelFor([speaker], span("q", 0, 5, "QUOTE"))?.name).toBe("SPEAKER");
    expect(relationLabelFor([speaker], span("p", 0, 5, "PER"))).toBeUndefined();
  });

  it("lists target spans nearest to the quote first", () => {
    const quote = span("q", 50, 80, "QUOTE");
    const spans = [
      span("far", 0, 4, "PER"),
      span("loc", 82, 86, "LOC"),
      span("near", 84, 90, "ORG"),
      quote,
    ];
    expect(linkCandidates(quote, spans, speaker)).toEqual(["near", "far"]);
  });
});
