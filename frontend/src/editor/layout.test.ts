import { describe, expect, it } from "vitest";
import { assignLanes, pickAt } from "./layout";

describe("highlight layout", () => {
  it("puts overlapping spans in different lanes", () => {
    const lanes = assignLanes([
      { id: "a", start: 0, end: 10 },
      { id: "b", start: 5, end: 15 },
    ]);
    expect(lanes.get("a")).not.toBe(lanes.get("b"));
  });

  it("puts the outer span of a nest in the lower lane", () => {
    const lanes = assignLanes([
      { id: "inner", start: 3, end: 6 },
      { id: "outer", start: 0, end: 20 },
      { id: "inner2", start: 8, end: 12 },
    ]);
    expect(lanes.get("outer")).toBe(0);
    expect(lanes.get("inner")).toBe(1);
    expect(lanes.get("inner2")).toBe(1);
  });

  it("lets adjacent spans share a lane", () => {
    const lanes = assignLanes([
      { id: "a", start: 0, end: 5 },
      { id: "b", start: 5, end: 9 },
    ]);
    expect(lanes.get("a")).toBe(0);
    expect(lanes.get("b")).toBe(0);
  });

  it("gives a span sharing a start with a longer one the next lane", () => {
    const lanes = assignLanes([
      { id: "short", start: 0, end: 4 },
      { id: "long", start: 0, end: 9 },
    ]);
    expect(lanes.get("long")).toBe(0);
    expect(lanes.get("short")).toBe(1);
  });

  it("reuses the lowest free lane", () => {
    const lanes = assignLanes([
      { id: "a", start: 0, end: 10 },
      { id: "b", start: 2, end: 4 },
      { id: "c", start: 3, end: 12 },
      { id: "d", start: 11, end: 14 },
    ]);
    expect([lanes.get("a"), lanes.get("b"), lanes.get("c"), lanes.get("d")]).toEqual([0, 1, 2, 0]);
  });

  it("picks the innermost span under a point and cycles through the stack", () => {
    const ivs = [
      { id: "outer", start: 0, end: 20 },
      { id: "inner", start: 3, end: 6 },
    ];
    expect(pickAt(ivs, 4)?.id).toBe("inner");
    expect(pickAt(ivs, 4, "inner")?.id).toBe("outer");
    expect(pickAt(ivs, 4, "outer")?.id).toBe("inner");
    expect(pickAt(ivs, 10)?.id).toBe("outer");
    expect(pickAt(ivs, 20)).toBeUndefined();
  });
});

import { linkPath } from "./links";

describe("link routing", () => {
  it("arcs above a line when both ends share it", () => {
    expect(linkPath({ x: 100, y: 50 }, { x: 300, y: 52 }, 6)).toMatch(/^M100,50 C100,/);
  });

  it("routes through the left gutter between lines", () => {
    const d = linkPath({ x: 100, y: 50 }, { x: 300, y: 250 }, 6);
    expect(d).toContain("V244");
    expect(d.endsWith("H300")).toBe(true);
  });
});
