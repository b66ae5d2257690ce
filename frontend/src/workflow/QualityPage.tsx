import { useMemo } from "preact/hooks";
import { api } from "../api/endpoints";
import { type AnnotatorQuality, type ProjectQuality, qualityApi } from "../api/quality";
import { formatNumber, formatPercent, t } from "../i18n";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { ChartCanvas } from "./ChartCanvas";
import type { ChartConfig } from "./charts";
import { formatDuration, SERIES_COLORS } from "./dashboardView";
import "./dashboard.css";
import "./workflow.css";

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: "bottom" } },
} as const;
const SHARE_AXIS = { suggestedMin: 0, suggestedMax: 1 } as const;

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
      <div class="table-scroll">
        <table class="figtable" aria-labelledby="quality-accuracy-title" data-figure="accuracy">
          <thead>
            <tr>
              <th scope="col">{t("quality.annotator")}</th>
              <th scope="col">{t("quality.documents")}</th>
              <th scope="col">{t("quality.checks")}</th>
              <th scope="col">{t("quality.spanExact")}</th>
              <th scope="col">{t("quality.spanOverlap")}</th>
              <th scope="col">{t("quality.links")}</th>
              <th scope="col">{t("quality.documentLabels")}</th>
              <th scope="col">{t("quality.agreement")}</th>
              <th scope="col">{t("quality.drifting")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.username} data-annotator={r.username}>
                <th scope="row">{r.username}</th>
                <td data-column="documents">{formatNumber(r.documents)}</td>
                <td data-column="checks">{formatNumber(r.checks)}</td>
                <td data-column="span_f1">{share(r.accuracy.span_f1)}</td>
                <td data-column="span_f1_overlap">{share(r.accuracy.span_f1_overlap)}</td>
                <td data-column="link_f1">{share(r.accuracy.link_f1)}</td>
                <td data-column="document_labels">{share(r.accuracy.document_labels)}</td>
                <td data-column="agreement">{share(r.agreement)}</td>
                <td data-column="drifting">
                  {r.drifting ? <strong>{t("quality.yes")}</strong> : t("quality.no")}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
      <div class="table-scroll">
        <table class="figtable" aria-labelledby="quality-drift-title" data-figure="drift">
          <thead>
            <tr>
              <th scope="col">{t("quality.annotator")}</th>
              {columns.map((back) => (
                <th key={back} scope="col">
                  {windowName(back)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.username} data-annotator={r.username}>
                <th scope="row">{r.username}</th>
                {columns.map((back) => {
                  const w = at(r, back);
                  return (
                    <td key={back} data-window={back - 1}>
                      {w
                        ? t("quality.windowCell", {
                            f1: share(w.span_f1),
                            checks: formatNumber(w.checks),
                          })
                        : "—"}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
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
      <div class="table-scroll">
        <table class="figtable" aria-labelledby="quality-time-title" data-figure="time">
          <thead>
            <tr>
              <th scope="col">{t("quality.annotator")}</th>
              <th scope="col">{t("quality.perDocument")}</th>
              <th scope="col">{t("quality.perSpan")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.username} data-annotator={r.username}>
                <th scope="row">{r.username}</th>
                <td data-column="per_document">{formatDuration(r.active_seconds_median)}</td>
                <td data-column="per_span">{formatDuration(r.seconds_per_span_median)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
