import { useEffect, useRef, useState } from "preact/hooks";
import { t } from "../i18n";
import type { ChartConfig } from "./charts";

/**
 * A chart.js chart, loaded on first use (charts.ts) so it stays out of the bundle of pages
 * without one. Every chart sits beside a table with the same figures (and the same links),
 * which is what keyboards and screen readers use; `label` names the chart for them.
 */
export function ChartCanvas({
  config,
  label,
  onPick,
  tall = false,
}: {
  config: ChartConfig;
  label: string;
  onPick?: (index: number, dataset: number) => void;
  tall?: boolean;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const [failed, setFailed] = useState("");
  useEffect(() => {
    let chart: { destroy(): void } | null = null;
    let live = true;
    import("./charts")
      .then(({ drawChart }) => {
        if (live && canvas.current) chart = drawChart(canvas.current, config, onPick);
      })
      .catch((err: unknown) => live && setFailed(String(err)));
    return () => {
      live = false;
      chart?.destroy();
    };
  }, [config]);
  if (failed)
    return (
      <p class="muted" role="status">
        {t("charts.failed", { reason: failed })}
      </p>
    );
  return (
    <div class={tall ? "chart-box tall" : "chart-box"}>
      <canvas ref={canvas} role="img" aria-label={label} />
    </div>
  );
}
