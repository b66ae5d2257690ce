import type { ComponentChildren } from "preact";
import { useMemo } from "preact/hooks";
import { api } from "../api/endpoints";
import { type AnnotatorQuality, type ProjectQuality, qualityApi } from "../api/quality";
import { formatNumber, formatPercent, t } from "../i18n";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { ChartCanvas } from "./ChartCanvas";
import type { ChartConfig } from "./charts";
import { formatDuration, SERIES_COLORS } from "./dashboardView";
import { type FigureCell, FigureTable } from "./FigureTable";
import "./dashboard.css";
import "./workflow.css";

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: "bottom" } },
} as const;
const SHARE_AXIS = { suggestedMin: 0, suggestedMax: 1 } as const;

/** A cell of an annotator's row, keyed and marked by its column. */
function cell(column: string, content: ComponentChildren): FigureCell {
  return { key: column, column, content };
}

const annotatorRow = (r: AnnotatorQuality) => ({ "data-annotator": r.username });

/** A share as a percentage, or "—" when there was nothing to compare. */
function share(value: number | null): string {
  return value === null ? "—" : formatPercent(value, 1);
}

/**
 * Annotator quality: accuracy against hidden gold checks, drift, agreement and time.
 * Reviewers and admins see everyone; an annotator sees their own row (the server sends no
 * other). Each chart sits beside a table with the same figures.
 */
export function QualityPage({ pk }: { pk: number }) {
  const project = useAsync(() => api.project(pk), [pk]);
  const quality = useAsync(() => qualityApi.quality(pk), [pk]);
  const own = project.data?.my_role === "annotator";
  return (
    <main class="page wide dashboard">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("quality.project")}
        </a>
      </p>
      <h1>{own ? t("quality.titleOwn") : t("quality.title")}</h1>
      <p class="muted">{t("quality.about")}</p>
      {quality.error && <p role="alert">{quality.error}</p>}
      {quality.loading && !quality.data && <p>{t("common.loading")}</p>}
      {quality.data && quality.data.annotators.length === 0 && <p>{t("quality.none")}</p>}
      {quality.data && quality.data.annotators.length > 0 && <Figures data={quality.data} />}
    </main>
  );
}

function Figures({ data }: { data: ProjectQuality }) {
  const checked = data.annotators.filter((a) => a.checks > 0);
  return (
    <>
      <AccuracySection rows={data.annotators} />
      {checked.length === 0 ? (
        <p class="muted">{t("quality.noChecks")}</p>
      ) : (
        <DriftSection rows={checked} data={data} />
      )}
      <TimeSection rows={data.annotators} />
    </>
  );
}

function AccuracySection({ rows }: { rows: AnnotatorQuality[] }) {
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: rows.map((r) => r.username),
        datasets: [
          {
            label: t("quality.spanExact"),
            data: rows.map((r) => r.accuracy.span_f1),
            backgroundColor: SERIES_COLORS[0],
          },
          {
            label: t("quality.spanOverlap"),
            data: rows.map((r) => r.accuracy.span_f1_overlap),
            backgroundColor: SERIES_COLORS[1],
          },
          {
            label: t("quality.agreement"),
            data: rows.map((r) => r.agreement),
            backgroundColor: SERIES_COLORS[2],
          },
        ],
      },
      options: { ...BASE_OPTIONS, scales: { y: SHARE_AXIS } },
    }),
    [rows],
  );
  return (
    <section aria-labelledby="quality-accuracy-title">
      <h2 id="quality-accuracy-title">{t("quality.accuracyTitle")}</h2>
      <ChartCanvas config={config} label={t("quality.accuracyChart")} />
      <FigureTable
        scroll
        titleId="quality-accuracy-title"
        figure="accuracy"
        columns={[
          t("quality.annotator"),
          t("quality.documents"),
          t("quality.checks"),
          t("quality.spanExact"),
          t("quality.spanOverlap"),
          t("quality.links"),
          t("quality.documentLabels"),
          t("quality.agreement"),
          t("quality.drifting"),
        ]}
        rows={rows}
        rowKey={(r) => r.username}
        rowData={annotatorRow}
        rowHead={(r) => r.username}
        cells={(r) => [
          cell("documents", formatNumber(r.documents)),
          cell("checks", formatNumber(r.checks)),
          cell("span_f1", share(r.accuracy.span_f1)),
          cell("span_f1_overlap", share(r.accuracy.span_f1_overlap)),
          cell("link_f1", share(r.accuracy.link_f1)),
          cell("document_labels", share(r.accuracy.document_labels)),
          cell("agreement", share(r.agreement)),
          cell("drifting", r.drifting ? <strong>{t("quality.yes")}</strong> : t("quality.no")),
        ]}
      />
    </section>
  );
}

/** The newest window, or how many windows before it. */
function windowName(back: number): string {
  return back === 1 ? t("quality.windowNewest") : t("quality.windowBefore", { n: back - 1 });
}

function DriftSection({ rows, data }: { rows: AnnotatorQuality[]; data: ProjectQuality }) {
  const windows = Math.max(...rows.map((r) => r.drift.length));
  // Windows are aligned on the newest: the last column is everyone's latest window.
  const columns = Array.from({ length: windows }, (_, i) => windows - i);
  const at = (r: AnnotatorQuality, back: number) => r.drift[r.drift.length - back] ?? null;
  const config = useMemo<ChartConfig>(
    () => ({
      type: "line",
      data: {
        labels: columns.map(windowName),
        datasets: rows.map((r, i) => ({
          label: r.username,
          data: columns.map((back) => at(r, back)?.span_f1 ?? null),
          borderColor: SERIES_COLORS[i % SERIES_COLORS.length],
          backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
          spanGaps: true,
        })),
      },
      options: { ...BASE_OPTIONS, scales: { y: SHARE_AXIS } },
    }),
    [rows],
  );
  return (
    <section aria-labelledby="quality-drift-title">
      <h2 id="quality-drift-title">{t("quality.driftTitle")}</h2>
      <p class="muted">
        {t("quality.driftAbout", {
          window: data.drift_window,
          windows: data.drift_windows,
          margin: formatPercent(data.drift_margin, 0),
        })}
      </p>
      <ChartCanvas config={config} label={t("quality.driftChart")} />
      <FigureTable
        scroll
        titleId="quality-drift-title"
        figure="drift"
        columns={[t("quality.annotator"), ...columns.map(windowName)]}
        rows={rows}
        rowKey={(r) => r.username}
        rowData={annotatorRow}
        rowHead={(r) => r.username}
        cells={(r) =>
          columns.map((back) => {
            const w = at(r, back);
            return {
              key: String(back),
              data: { "data-window": String(back - 1) },
              content: w
                ? t("quality.windowCell", {
                    f1: share(w.span_f1),
                    checks: formatNumber(w.checks),
                  })
                : "—",
            };
          })
        }
      />
    </section>
  );
}

function TimeSection({ rows }: { rows: AnnotatorQuality[] }) {
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: rows.map((r) => r.username),
        datasets: [
          {
            label: t("quality.perDocument"),
            data: rows.map((r) => r.active_seconds_median),
            backgroundColor: SERIES_COLORS[0],
          },
          {
            label: t("quality.perSpan"),
            data: rows.map((r) => r.seconds_per_span_median),
            backgroundColor: SERIES_COLORS[1],
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        scales: { y: { title: { display: true, text: t("quality.secondsAxis") } } },
      },
    }),
    [rows],
  );
  return (
    <section aria-labelledby="quality-time-title">
      <h2 id="quality-time-title">{t("quality.timeTitle")}</h2>
      <ChartCanvas config={config} label={t("quality.timeChart")} />
      <FigureTable
        scroll
        titleId="quality-time-title"
        figure="time"
        columns={[t("quality.annotator"), t("quality.perDocument"), t("quality.perSpan")]}
        rows={rows}
        rowKey={(r) => r.username}
        rowData={annotatorRow}
        rowHead={(r) => r.username}
        cells={(r) => [
          cell("per_document", formatDuration(r.active_seconds_median)),
          cell("per_span", formatDuration(r.seconds_per_span_median)),
        ]}
      />
    </section>
  );
}
