import { useEffect, useRef, useState } from "preact/hooks";
import type { ChartSeries } from "./agreementView";

// Distinct in hue and lightness, so the series stay apart in greyscale too.
const COLORS = ["#1f5fbf", "#7fb2f0", "#b35c00", "#1b7a33"];

/**
 * Bar chart of per-label agreement. chart.js (see barChart.ts) is loaded on
 * first use, so it stays out of the bundle every other page loads. The tables
 * carry the same numbers for screen readers.
 */
export function AgreementChart({ series }: { series: ChartSeries }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState("");
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let live = true;
    import("./barChart")
      .then(({ drawBarChart }) => {
        if (!live || !canvas.current) return;
        chart = drawBarChart(canvas.current, {
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
        });
      })
      .catch((err: unknown) => live && setFailed(String(err)));
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [series]);
  if (failed)
    return <p class="muted">The chart could not be drawn ({failed}); the table has the figures.</p>;
  return (
    <div class="chart-box">
      <canvas
        ref={canvas}
        role="img"
        aria-label="Agreement per label: span F1 exact and overlap, unitizing alpha, link F1"
      />
    </div>
  );
}
