/** Shapes the agreement summary for the page: the pairwise matrix and the chart's series. */

import type { AgreementSummary, Figure, PairFigures } from "../api/workflow";
import { t } from "../i18n";

export type PairMetric = "span_f1_overlap" | "span_f1_exact" | "relation_f1";

export interface MatrixCell {
  value: Figure;
  documents: number;
}

/** Symmetric annotator × annotator figures; the diagonal and pairs with no shared document are null. */
export function pairMatrix(
  annotators: string[],
  pairwise: PairFigures[],
  metric: PairMetric,
): Array<Array<MatrixCell | null>> {
  const at = new Map<string, PairFigures>();
  for (const pair of pairwise) {
    at.set(`${pair.a}\u0000${pair.b}`, pair);
    at.set(`${pair.b}\u0000${pair.a}`, pair);
  }
  return annotators.map((a) =>
    annotators.map((b) => {
      if (a === b) return null;
      const pair = at.get(`${a}\u0000${b}`);
      return pair ? { value: pair[metric], documents: pair.documents } : null;
    }),
  );
}

export interface ChartSeries {
  labels: string[];
  datasets: Array<{ name: string; values: Figure[] }>;
}

/** Per span label: F1 exact, F1 overlap and unitizing alpha; relation labels add their F1. */
export function labelSeries(summary: AgreementSummary): ChartSeries {
  const spanLabels = Object.keys(summary.spans.per_label);
  const relationLabels = Object.keys(summary.relations.per_label);
  const labels = [
    ...spanLabels,
    ...relationLabels.map((l) => t("agreement.linkLabel", { label: l })),
  ];
  const pad = (values: Figure[], before: number, after: number): Figure[] => [
    ...Array(before).fill(null),
    ...values,
    ...Array(after).fill(null),
  ];
  const span = (key: "f1_exact" | "f1_overlap" | "unitizing_alpha") =>
    pad(
      spanLabels.map((l) => summary.spans.per_label[l][key]),
      0,
      relationLabels.length,
    );
  return {
    labels,
    datasets: [
      { name: t("review.spanF1Exact"), values: span("f1_exact") },
      { name: t("review.spanF1Overlap"), values: span("f1_overlap") },
      { name: t("review.unitizingAlpha"), values: span("unitizing_alpha") },
      {
        name: t("review.linkF1"),
        values: pad(
          relationLabels.map((l) => summary.relations.per_label[l].f1),
          spanLabels.length,
          0,
        ),
      },
    ],
  };
}

/** Below this a figure is flagged on the page (with an icon, not only colour). */
export const LOW_AGREEMENT = 0.5;

export const isLow = (value: Figure | undefined): boolean =>
  value !== null && value !== undefined && value < LOW_AGREEMENT;
