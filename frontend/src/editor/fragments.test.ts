import { describe, expect, it } from "vitest";
import {
  covers,
  extentFields,
  fragmentAt,
  fragmentProblem,
  fragmentsOf,
  fragmentsUtf16,
  gapsOf,
  joinFragments,
  joinOps,
  movedEdge,
  splitOps,
} from "./fragments";
import { createOffsetMap } from "./offsets";
import type { Span } from "./types";

const quote = (fragments?: Array<[number, number]>): Span => ({
  id: "q",
  start: fragments ? fragments[0][0] : 1,
  end: fragments ? fragments[fragments.length - 1][1] : 48,
  label: "QUOTE",
  attributes: {},
  fragments,
});

describe("fragments", () => {
  it("reads a span without fragments as its one extent", () => {
    expect(fragmentsOf(quote())).toEqual([[1, 48]]);
    expect(fragmentsOf({ start: 2, end: 5, fragments: [] })).toEqual([[2, 5]]);
    expect(fragmentsOf({ start: 2, end: 5, fragments: null })).toEqual([[2, 5]]);
  });

  it("joins two stretches sorted, merges touching ones and refuses overlapping ones", () => {
    expect(joinFragments([[60, 90]], [[1, 48]])).toEqual([
      [1, 48],
      [60, 90],
    ]);
    expect(joinFragments([[1, 48]], [[48, 50]])).toEqual([[1, 50]]);
    expect(joinFragments([[1, 48]], [[40, 50]])).toBeNull();
  });

  it("checks fragments the way the API does", () => {
    expect(fragmentProblem(quote([[1, 4]]))).toMatch(/at least two/);
    expect(
      fragmentProblem({
        start: 1,
        end: 9,
        fragments: [
          [1, 4],
          [4, 9],
        ],
      }),
    ).toMatch(/apart/);
    expect(
      fragmentProblem({
        start: 0,
        end: 9,
        fragments: [
          [1, 4],
          [6, 9],
        ],
      }),
    ).toMatch(/first fragment/);
    expect(
      fragmentProblem(
        quote([
          [1, 4],
          [6, 9],
        ]),
      ),
    ).toBeNull();
  });

  it("knows which fragment holds an offset and that the interruption is no part of the span", () => {
    const q = quote([
      [1, 48],
      [60, 100],
    ]);
    expect(fragmentAt(q, 10)).toBe(0);
    expect(fragmentAt(q, 70)).toBe(1);
    expect(covers(q, 55)).toBe(false);
    expect(covers(q, 60)).toBe(true);
    expect(gapsOf(q)).toEqual([[48, 60]]);
  });

  it("gives one fragment back as a span without fragments", () => {
    expect(extentFields([[3, 7]])).toEqual({ start: 3, end: 7, fragments: null });
    expect(
      extentFields([
        [3, 7],
        [9, 12],
      ]),
    ).toEqual({
      start: 3,
      end: 12,
      fragments: [
        [3, 7],
        [9, 12],
      ],
    });
  });

  it("converts fragments to UTF-16 across astral characters", () => {
    // Code points: 😀=0, " "=1, "a"=2 … the flag is two code points of two units each.
    const text = "😀 ab 🇮🇩 cd";
    const offsets = createOffsetMap(text);
    const cps = Array.from(text);
    const a = cps.indexOf("a");
    const c = cps.indexOf("c");
    const q = quote([
      [a, a + 2],
      [c, c + 2],
    ]);
    const units = fragmentsUtf16(q, offsets);
    expect(units.map(([s, e]) => text.slice(s, e))).toEqual(["ab", "cd"]);
    expect(units).toEqual([
      [3, 5],
      [11, 13],
    ]);
  });

  it("joins a second quote into the first: one span, the links moved, the other deleted", () => {
    const first: Span = { id: "q1", start: 0, end: 10, label: "QUOTE", attributes: {} };
    const second: Span = {
      id: "q2",
      start: 20,
      end: 30,
      label: "QUOTE",
      attributes: { quote_type: "direct" },
    };
    const relations = [
      { id: "r1", from: "q2", to: "p", label: "SPEAKER" },
      { id: "r2", from: "q2", to: "k", label: "CUE" },
      { id: "r3", from: "q1", to: "k2", label: "CUE" },
    ];
    let n = 0;
    const ops = joinOps(first, second, relations, () => `r${++n + 10}`);
    expect(ops).toEqual([
      { op: "delete_span", id: "q2" },
      {
        op: "update_span",
        id: "q1",
        start: 0,
        end: 30,
        fragments: [
          [0, 10],
          [20, 30],
        ],
        attributes: { quote_type: "direct" },
      },
      { op: "add_relation", relation: { id: "r11", from: "q1", to: "p", label: "SPEAKER" } },
    ]);
    expect(joinOps(first, [5, 12], [], () => "x")).toBeNull();
  });

  it("splits a fragment off as its own span and keeps the rest with the id", () => {
    const q = quote([
      [1, 48],
      [60, 100],
    ]);
    q.attributes = { quote_type: "direct" };
    expect(splitOps(q, 0, "n")).toEqual([
      { op: "update_span", id: "q", start: 60, end: 100, fragments: null },
      {
        op: "add_span",
        span: { id: "n", start: 1, end: 48, label: "QUOTE", attributes: { quote_type: "direct" } },
      },
    ]);
    expect(splitOps(quote(), 0, "n")).toBeNull();
  });

  it("moves the outer edges of an interrupted span and refuses to cross a fragment", () => {
    const q = quote([
      [1, 48],
      [60, 100],
    ]);
    expect(movedEdge(q, "end", 90)).toEqual([
      [1, 48],
      [60, 90],
    ]);
    expect(movedEdge(q, "end", 55)).toBeNull();
    expect(movedEdge(q, "start", 3)).toEqual([
      [3, 48],
      [60, 100],
    ]);
  });
});
