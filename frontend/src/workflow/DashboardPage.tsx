import { useMemo, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import {
  type Dashboard,
  DOCUMENT_STATES,
  type PeriodQuery,
  PROGRESS_COLUMNS,
  teamApi,
} from "../api/team";
import { formatNumber, t } from "../i18n";
import { labelTitle, labelWithTitle } from "../i18n/labelText";
import { EmptyProject } from "../ui/EmptyProject";
import { Problem } from "../ui/Problem";
import { navigate, onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { ChartCanvas } from "./ChartCanvas";
import type { ChartConfig } from "./charts";
import {
  bucketName,
  formatDuration,
  formatShare,
  links,
  PROGRESS_COLORS,
  progressName,
  SERIES_COLORS,
  STATE_COLORS,
  stateName,
  throughputAnnotators,
} from "./dashboardView";
import { FigureTable } from "./FigureTable";
import "./workflow.css";
import "./dashboard.css";

/** The period in the address (`?after=…&before=…&bucket=…`), so a dashboard can be shared. */
function periodFromLocation(): PeriodQuery {
  const search = new URLSearchParams(location.search);
  const bucket = search.get("bucket");
  return {
    after: search.get("after") ?? undefined,
    before: search.get("before") ?? undefined,
    bucket: bucket === "day" || bucket === "week" ? bucket : undefined,
  };
}

const BASE_OPTIONS = {
  responsive: true,
  maintainAspectRatio: false,
  animation: false,
  plugins: { legend: { position: "bottom" } },
} as const;
// Counts: whole numbers on the axis.
const COUNT_AXIS = { beginAtZero: true, ticks: { precision: 0 } } as const;

export function DashboardPage({ pk }: { pk: number }) {
  const [period, setPeriod] = useState<PeriodQuery>(periodFromLocation);
  const project = useAsync(() => api.project(pk), [pk]);
  const figures = useAsync(() => teamApi.dashboard(pk, period), [pk, period]);
  const choose = (next: PeriodQuery) => {
    const search = new URLSearchParams();
    for (const [key, value] of Object.entries(next)) if (value) search.set(key, value);
    history.replaceState(null, "", `${location.pathname}?${search.toString()}`);
    setPeriod(next);
  };
  return (
    <main class="page wide dashboard">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("dashboard.project")}
        </a>
      </p>
      <h1>{t("dashboard.title")}</h1>
      {figures.error && (
        <Problem
          error={figures.failure}
          back={{ href: `/projects/${pk}/`, label: project.data?.name ?? t("dashboard.project") }}
        />
      )}
      {figures.loading && !figures.data && <p>{t("common.loading")}</p>}
      {figures.data && (
        <>
          <PeriodForm period={figures.data.period} onChoose={choose} />
          {figures.data.documents.total === 0 ? (
            <EmptyProject pk={pk} role={project.data?.my_role} />
          ) : (
            <Figures pk={pk} data={figures.data} />
          )}
        </>
      )}
    </main>
  );
}

function PeriodForm({
  period,
  onChoose,
}: {
  period: Dashboard["period"];
  onChoose: (period: PeriodQuery) => void;
}) {
  return (
    <form
      class="period-form"
      aria-label={t("dashboard.period")}
      onSubmit={(e) => {
        e.preventDefault();
        const form = new FormData(e.currentTarget);
        onChoose({
          after: String(form.get("after") || "") || undefined,
          before: String(form.get("before") || "") || undefined,
          bucket: (String(form.get("bucket")) as "day" | "week") || undefined,
        });
      }}
    >
      <label>
        {t("dashboard.after")}
        <input type="date" name="after" defaultValue={period.after} key={`a${period.after}`} />
      </label>
      <label>
        {t("dashboard.before")}
        <input type="date" name="before" defaultValue={period.before} key={`b${period.before}`} />
      </label>
      <label>
        {t("dashboard.bucket")}
        <select name="bucket" defaultValue={period.bucket} key={`c${period.bucket}`}>
          <option value="day">{t("dashboard.byDay")}</option>
          <option value="week">{t("dashboard.byWeek")}</option>
        </select>
      </label>
      <button type="submit">{t("dashboard.show")}</button>
    </form>
  );
}

function Figures({ pk, data }: { pk: number; data: Dashboard }) {
  return (
    <>
      <States pk={pk} data={data} />
      <Progress pk={pk} data={data} />
      <Times pk={pk} data={data} />
      <Throughput pk={pk} data={data} />
      <Labels pk={pk} data={data} />
      <Agreement pk={pk} data={data} />
    </>
  );
}

/** A count that opens the documents behind it. */
function Linked({ href, value, label }: { href: string; value: number; label: string }) {
  return (
    <a href={href} onClick={onLinkClick} aria-label={label}>
      {formatNumber(value)}
    </a>
  );
}

function States({ pk, data }: { pk: number; data: Dashboard }) {
  const { by_state, total, annotators_per_document: n } = data.documents;
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: DOCUMENT_STATES.map(stateName),
        datasets: [
          {
            label: t("dashboard.documents"),
            data: DOCUMENT_STATES.map((s) => by_state[s]),
            backgroundColor: DOCUMENT_STATES.map((s) => STATE_COLORS[s]),
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        plugins: { legend: { display: false } },
        scales: { y: COUNT_AXIS },
      },
    }),
    [data],
  );
  return (
    <section aria-labelledby="states-title">
      <h2 id="states-title">{t("dashboard.statesTitle")}</h2>
      <p class="muted">{t("dashboard.statesNote", { count: total, n })}</p>
      <div class="figure-pair">
        <FigureTable
          titleId="states-title"
          figure="states"
          columns={[t("dashboard.state"), t("dashboard.documents")]}
          rows={[...DOCUMENT_STATES]}
          rowKey={(state) => state}
          rowData={(state) => ({ "data-state": state })}
          rowHead={stateName}
          cells={(state) => [
            {
              key: "documents",
              content: (
                <Linked
                  href={links.state(pk, state)}
                  value={by_state[state]}
                  label={t("dashboard.stateLink", {
                    count: by_state[state],
                    state: stateName(state),
                  })}
                />
              ),
            },
          ]}
        />
        <ChartCanvas
          config={config}
          label={t("dashboard.statesChart")}
          onPick={(i) => navigate(links.state(pk, DOCUMENT_STATES[i]))}
        />
      </div>
    </section>
  );
}

/** The first column's heading of a table by day or by week. */
const bucketHeading = (kind: string) =>
  kind === "week" ? t("dashboard.week") : t("dashboard.day");

function Progress({ pk, data }: { pk: number; data: Dashboard }) {
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: data.annotators.map((m) => m.username),
        datasets: PROGRESS_COLUMNS.map((column) => ({
          label: progressName(column),
          data: data.annotators.map((m) => m[column]),
          backgroundColor: PROGRESS_COLORS[column],
        })),
      },
      options: {
        ...BASE_OPTIONS,
        indexAxis: "y",
        scales: { x: { ...COUNT_AXIS, stacked: true }, y: { stacked: true } },
      },
    }),
    [data],
  );
  return (
    <section aria-labelledby="progress-title">
      <h2 id="progress-title">{t("dashboard.progressTitle")}</h2>
      {data.annotators.length === 0 ? (
        <p class="muted">{t("dashboard.noAnnotators")}</p>
      ) : (
        <>
          <FigureTable
            scroll
            titleId="progress-title"
            figure="progress"
            columns={[t("dashboard.annotator"), ...PROGRESS_COLUMNS.map(progressName)]}
            rows={data.annotators}
            rowKey={(member) => member.username}
            rowData={(member) => ({ "data-annotator": member.username })}
            rowHead={(member) => (
              <>
                {member.username}
                {member.role === null && (
                  <span class="muted"> ({t("dashboard.formerMember")})</span>
                )}
              </>
            )}
            cells={(member) =>
              PROGRESS_COLUMNS.map((column) => ({
                key: column,
                column,
                content: (
                  <Linked
                    href={links.progress(pk, member, column)}
                    value={member[column]}
                    label={t("dashboard.progressLink", {
                      count: member[column],
                      annotator: member.username,
                      column: progressName(column),
                    })}
                  />
                ),
              }))
            }
          />
          <ChartCanvas
            config={config}
            label={t("dashboard.progressChart")}
            tall={data.annotators.length > 6}
            onPick={(i, d) => navigate(links.progress(pk, data.annotators[i], PROGRESS_COLUMNS[d]))}
          />
        </>
      )}
    </section>
  );
}

function Times({ pk, data }: { pk: number; data: Dashboard }) {
  const timed = data.annotators.filter((m) => m.timed > 0);
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: timed.map((m) => m.username),
        datasets: [
          {
            label: t("dashboard.perDocument"),
            data: timed.map((m) => m.seconds_per_document),
            backgroundColor: SERIES_COLORS[0],
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        scales: { y: { title: { display: true, text: t("dashboard.secondsAxis") } } },
      },
    }),
    [data],
  );
  const idleMinutes = data.time.idle_seconds / 60;
  return (
    <section aria-labelledby="time-title">
      <h2 id="time-title">{t("dashboard.timeTitle")}</h2>
      <p class="muted">{t("dashboard.timeNote", { minutes: idleMinutes })}</p>
      <FigureTable
        scroll
        titleId="time-title"
        figure="time"
        columns={[
          t("dashboard.annotator"),
          t("dashboard.timed"),
          t("dashboard.perDocument"),
          t("dashboard.perSpan"),
        ]}
        rows={data.annotators}
        rowKey={(member) => member.username}
        rowData={(member) => ({ "data-annotator": member.username })}
        rowHead={(member) => member.username}
        cells={(member) => [
          {
            key: "timed",
            column: "timed",
            content: (
              <Linked
                href={links.timed(pk, member, data.period)}
                value={member.timed}
                label={t("dashboard.timedLink", {
                  count: member.timed,
                  annotator: member.username,
                })}
              />
            ),
          },
          {
            key: "document",
            column: "seconds_per_document",
            content: formatDuration(member.seconds_per_document),
          },
          {
            key: "span",
            column: "seconds_per_span",
            content: formatDuration(member.seconds_per_span),
          },
        ]}
        foot={
          <tfoot>
            <tr data-annotator="">
              <th scope="row">{t("dashboard.team")}</th>
              <td data-column="timed" data-counts="submissions">
                <Linked
                  href={links.teamTimed(pk, data.period)}
                  value={data.team.timed}
                  label={t("dashboard.teamTimedLink", { count: data.team.timed })}
                />
              </td>
              <td data-column="seconds_per_document">
                {formatDuration(data.team.seconds_per_document)}
              </td>
              <td data-column="seconds_per_span">{formatDuration(data.team.seconds_per_span)}</td>
            </tr>
          </tfoot>
        }
      />
      {timed.length > 0 && (
        <ChartCanvas
          config={config}
          label={t("dashboard.timeChart")}
          onPick={(i) => navigate(links.timed(pk, timed[i], data.period))}
        />
      )}
    </section>
  );
}

function Throughput({ pk, data }: { pk: number; data: Dashboard }) {
  const names = throughputAnnotators(data);
  const kind = data.period.bucket;
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: data.throughput.map((b) => bucketName(b, kind)),
        datasets: names.map((name, i) => ({
          label: name,
          data: data.throughput.map((b) => b.by_annotator[name] ?? 0),
          backgroundColor: SERIES_COLORS[i % SERIES_COLORS.length],
        })),
      },
      options: {
        ...BASE_OPTIONS,
        scales: { x: { stacked: true }, y: { ...COUNT_AXIS, stacked: true } },
      },
    }),
    [data],
  );
  const busy = data.throughput.filter((b) => b.total > 0);
  return (
    <section aria-labelledby="throughput-title">
      <h2 id="throughput-title">{t("dashboard.throughputTitle")}</h2>
      {busy.length === 0 ? (
        <p class="muted">{t("dashboard.noSubmissions")}</p>
      ) : (
        <>
          <ChartCanvas
            config={config}
            label={t("dashboard.throughputChart")}
            onPick={(i, d) => navigate(links.throughput(pk, data.throughput[i], names[d]))}
          />
          <p class="muted">{t("dashboard.throughputNote")}</p>
          <FigureTable
            scroll
            titleId="throughput-title"
            figure="throughput"
            columns={[bucketHeading(kind), t("dashboard.total"), ...names]}
            rows={busy}
            rowKey={(bucket) => bucket.start}
            rowData={(bucket) => ({ "data-bucket": bucket.start })}
            rowHead={(bucket) => bucketName(bucket, kind)}
            cells={(bucket) => [
              {
                key: "total",
                column: "total",
                counts: "submissions",
                content: (
                  <Linked
                    href={links.throughput(pk, bucket)}
                    value={bucket.total}
                    label={t("dashboard.totalLink", {
                      count: bucket.total,
                      bucket: bucketName(bucket, kind),
                    })}
                  />
                ),
              },
              ...names.map((name) => ({
                key: name,
                column: name,
                content: (
                  <Linked
                    href={links.throughput(pk, bucket, name)}
                    value={bucket.by_annotator[name] ?? 0}
                    label={t("dashboard.throughputLink", {
                      count: bucket.by_annotator[name] ?? 0,
                      annotator: name,
                      bucket: bucketName(bucket, kind),
                    })}
                  />
                ),
              })),
            ]}
          />
        </>
      )}
    </section>
  );
}

function Labels({ pk, data }: { pk: number; data: Dashboard }) {
  const config = useMemo<ChartConfig>(
    () => ({
      type: "bar",
      data: {
        labels: data.labels.map((l) => labelWithTitle(l)),
        datasets: [
          {
            label: t("dashboard.spans"),
            data: data.labels.map((l) => l.spans),
            backgroundColor: data.labels.map((l) => l.color),
            borderColor: "#222",
            borderWidth: 1,
          },
        ],
      },
      options: {
        ...BASE_OPTIONS,
        plugins: { legend: { display: false } },
        scales: { y: COUNT_AXIS },
      },
    }),
    [data],
  );
  return (
    <section aria-labelledby="labels-title">
      <h2 id="labels-title">{t("dashboard.labelsTitle")}</h2>
      <p class="muted">{t("dashboard.labelsNote")}</p>
      <div class="figure-pair">
        <FigureTable
          titleId="labels-title"
          figure="labels"
          columns={[t("dashboard.label"), t("dashboard.spans"), t("dashboard.documents")]}
          rows={data.labels}
          rowKey={(label) => label.id}
          rowData={(label) => ({ "data-label": label.name })}
          rowHead={(label) => (
            <>
              <span class="swatch" style={{ background: label.color }} aria-hidden="true" />
              {label.name}
              {labelTitle(label) !== label.name && (
                <span class="muted"> · {labelTitle(label)}</span>
              )}
            </>
          )}
          cells={(label) => [
            { key: "spans", column: "spans", content: formatNumber(label.spans) },
            {
              key: "documents",
              column: "documents",
              content: (
                <Linked
                  href={links.label(pk, label.name)}
                  value={label.documents}
                  label={t("dashboard.labelLink", { count: label.documents, label: label.name })}
                />
              ),
            },
          ]}
        />
        <ChartCanvas
          config={config}
          label={t("dashboard.labelsChart")}
          onPick={(i) => navigate(links.label(pk, data.labels[i].name))}
        />
      </div>
    </section>
  );
}

function Agreement({ pk, data }: { pk: number; data: Dashboard }) {
  const kind = data.period.bucket;
  const config = useMemo<ChartConfig>(
    () => ({
      type: "line",
      data: {
        labels: data.agreement.map((b) => bucketName(b, kind)),
        datasets: [
          {
            label: t("dashboard.spanF1"),
            data: data.agreement.map((b) => b.span_f1),
            borderColor: SERIES_COLORS[0],
            backgroundColor: SERIES_COLORS[0],
            spanGaps: true,
          },
        ],
      },
      options: { ...BASE_OPTIONS, scales: { y: { suggestedMin: 0, suggestedMax: 1 } } },
    }),
    [data],
  );
  const compared = data.agreement.filter((b) => b.documents > 0);
  return (
    <section aria-labelledby="agreement-title">
      <h2 id="agreement-title">{t("dashboard.agreementTitle")}</h2>
      {compared.length === 0 ? (
        <p class="muted">{t("dashboard.noAgreement")}</p>
      ) : (
        <>
          <p class="muted">{t("dashboard.agreementNote")}</p>
          <ChartCanvas
            config={config}
            label={t("dashboard.agreementChart")}
            onPick={(i) => navigate(links.agreement(pk, data.agreement[i]))}
          />
          <FigureTable
            scroll
            titleId="agreement-title"
            figure="agreement"
            columns={[bucketHeading(kind), t("dashboard.compared"), t("dashboard.spanF1")]}
            rows={compared}
            rowKey={(bucket) => bucket.start}
            rowData={(bucket) => ({ "data-bucket": bucket.start })}
            rowHead={(bucket) => bucketName(bucket, kind)}
            cells={(bucket) => [
              {
                key: "documents",
                column: "documents",
                content: (
                  <Linked
                    href={links.agreement(pk, bucket)}
                    value={bucket.documents}
                    label={t("dashboard.agreementLink", {
                      count: bucket.documents,
                      bucket: bucketName(bucket, kind),
                    })}
                  />
                ),
              },
              { key: "f1", column: "span_f1", content: formatShare(bucket.span_f1) },
            ]}
          />
        </>
      )}
    </section>
  );
}
