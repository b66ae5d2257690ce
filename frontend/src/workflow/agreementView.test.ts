import { describe, expect, it } from "vitest";
import type { AgreementSummary, PairFigures } from "../api/workflow";
import { isLow, labelSeries, pairMatrix } from "./agreementView";

const pair = (a: string, b: string, overlap: number | null): PairFigures => ({
  a,
  b,
  documents: 3,
  span_f1_exact: 0.5,
  span_f1_overlap: overlap,
  relation_f1: null,
  document_label_kappa: {},
});

describe("pairMatrix", () => {
  it("is symmetric with an empty diagonal and gaps for pairs with nothing shared", () => {
    const m = pairMatrix(
      ["ann", "bea", "cid"],
      [pair("ann", "bea", 0.8), pair("bea", "cid", null)],
      "span_f1_overlap",
    );
    expect(m[0][0]).toBeNull();
    expect(m[0][1]).toEqual({ value: 0.8, documents: 3 });
    expect(m[1][0]).toEqual({ value: 0.8, documents: 3 });
    expect(m[2][1]).toEqual({ value: null, documents: 3 });
    expect(m[0][2]).toBeNull();
  });
});

describe("labelSeries", () => {
  it("puts span labels then link labels on one axis, each series padded", () => {
    const summary = {
      spans: {
        per_label: {
          PER: { f1_exact: 1, f1_overlap: 1, unitizing_alpha: 0.9 },
          LOC: { f1_exact: 0, f1_overlap: 0.5, unitizing_alpha: null },
        },
      },
      relations: { per_label: { SPEAKER: { f1: 0.75 } } },
    } as unknown as AgreementSummary;
    const series = labelSeries(summary);
    expect(series.labels).toEqual(["PER", "LOC", "SPEAKER (link)"]);
    expect(series.datasets.map((d) => d.values)).toEqual([
      [1, 0, null],
      [1, 0.5, null],
      [0.9, null, null],
      [null, null, 0.75],
    ]);
  });
});

it("flags figures under one half, never a missing one", () => {
  expect(isLow(0.49)).toBe(true);
  expect(isLow(0.5)).toBe(false);
  expect(isLow(null)).toBe(false);
});
