import { useMemo } from "preact/hooks";
import { t } from "../i18n";
import type { ChartSeries } from "./agreementView";
import { ChartCanvas } from "./ChartCanvas";
import type { ChartConfig } from "./charts";

// Distinct in hue and lightness, so the series stay apart in greyscale too.
const COLORS = ["#1f5fbf", "#7fb2f0", "#b35c00", "#1b7a33"];

/** Bar chart of per-label agreement; the tables carry the same numbers. */
export function AgreementChart({ series }: { series: ChartSeries }) {
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: series.labels,
        datasets: series.datasets.map((d, i) => ({
          label: d.name,
          data: d.values,
          backgroundColor: COLORS[i % COLORS.length],
          borderColor: "#222",
          borderWidth: i === 2 ? 1 : 0,
        })),
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        scales: {
          y: { suggestedMin: 0, suggestedMax: 1, title: { display: true, text: "agreement" } },
        },
        plugins: { legend: { position: "bottom" } },
      },
    }),
    [series],
  );
  return <ChartCanvas config={config} label={t("agreement.chart")} />;
}
