/**
 * The bits of chart.js a bar chart needs, registered once. Imported statically
 * here (so the bundler drops the rest of chart.js) and loaded lazily by
 * AgreementChart, so only the agreement page pays for it.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  Tooltip,
} from "chart.js";

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

export function drawBarChart(
  canvas: HTMLCanvasElement,
  config: ChartConfiguration<"bar", Array<number | null>, string>,
): { destroy(): void } {
  return new Chart(canvas, config);
}
