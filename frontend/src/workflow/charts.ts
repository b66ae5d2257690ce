/**
 * The bits of chart.js our charts need (bars and lines), registered once. Imported
 * statically here, so the bundler drops the rest of chart.js, and loaded lazily by
 * `ChartCanvas`, so only the pages with a chart pay for it.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartConfiguration,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from "chart.js";

Chart.register(
  BarController,
  BarElement,
  LineController,
  LineElement,
  PointElement,
  CategoryScale,
  LinearScale,
  Legend,
  Tooltip,
);

export type ChartConfig = ChartConfiguration<"bar" | "line", Array<number | null>, string>;

/** `onPick(index, dataset)`: a bar or point was clicked (its category's and series' index). */
export function drawChart(
  canvas: HTMLCanvasElement,
  config: ChartConfig,
  onPick?: (index: number, dataset: number) => void,
): { destroy(): void } {
  const options = config.options ?? {};
  if (onPick) {
    options.onClick = (_event, elements) => {
      if (elements.length) onPick(elements[0].index, elements[0].datasetIndex);
    };
    options.onHover = (event, elements) => {
      const target = event.native?.target as HTMLElement | undefined;
      if (target) target.style.cursor = elements.length ? "pointer" : "default";
    };
  }
  return new Chart(canvas, { ...config, options });
}
