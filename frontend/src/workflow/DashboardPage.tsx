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
        <table class="figtable" aria-labelledby="states-title" data-figure="states">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.state")}</th>
              <th scope="col">{t("dashboard.documents")}</th>
            </tr>
          </thead>
          <tbody>
            {DOCUMENT_STATES.map((state) => (
              <tr key={state} data-state={state}>
                <th scope="row">{stateName(state)}</th>
                <td>
                  <Linked
                    href={links.state(pk, state)}
                    value={by_state[state]}
                    label={t("dashboard.stateLink", {
                      count: by_state[state],
                      state: stateName(state),
                    })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <ChartCanvas
          config={config}
          label={t("dashboard.statesChart")}
          onPick={(i) => navigate(links.state(pk, DOCUMENT_STATES[i]))}
        />
      </div>
    </section>
  );
}

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
          <div class="table-scroll">
            <table class="figtable" aria-labelledby="progress-title" data-figure="progress">
              <thead>
                <tr>
                  <th scope="col">{t("dashboard.annotator")}</th>
                  {PROGRESS_COLUMNS.map((column) => (
                    <th key={column} scope="col">
                      {progressName(column)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {data.annotators.map((member) => (
                  <tr key={member.username} data-annotator={member.username}>
                    <th scope="row">
                      {member.username}
                      {member.role === null && (
                        <span class="muted"> ({t("dashboard.formerMember")})</span>
                      )}
                    </th>
                    {PROGRESS_COLUMNS.map((column) => (
                      <td key={column} data-column={column}>
                        <Linked
                          href={links.progress(pk, member, column)}
                          value={member[column]}
                          label={t("dashboard.progressLink", {
                            count: member[column],
                            annotator: member.username,
                            column: progressName(column),
                          })}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
      <div class="table-scroll">
        <table class="figtable" aria-labelledby="time-title" data-figure="time">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.annotator")}</th>
              <th scope="col">{t("dashboard.timed")}</th>
              <th scope="col">{t("dashboard.perDocument")}</th>
              <th scope="col">{t("dashboard.perSpan")}</th>
            </tr>
          </thead>
          <tbody>
            {data.annotators.map((member) => (
              <tr key={member.username} data-annotator={member.username}>
                <th scope="row">{member.username}</th>
                <td data-column="timed">
                  <Linked
                    href={links.timed(pk, member, data.period)}
                    value={member.timed}
                    label={t("dashboard.timedLink", {
                      count: member.timed,
                      annotator: member.username,
                    })}
                  />
                </td>
                <td data-column="seconds_per_document">
                  {formatDuration(member.seconds_per_document)}
                </td>
                <td data-column="seconds_per_span">{formatDuration(member.seconds_per_span)}</td>
              </tr>
            ))}
          </tbody>
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
        </table>
      </div>
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
          <div class="table-scroll">
            <table class="figtable" aria-labelledby="throughput-title" data-figure="throughput">
              <thead>
                <tr>
                  <th scope="col">{kind === "week" ? t("dashboard.week") : t("dashboard.day")}</th>
                  <th scope="col">{t("dashboard.total")}</th>
                  {names.map((name) => (
                    <th key={name} scope="col">
                      {name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {busy.map((bucket) => (
                  <tr key={bucket.start} data-bucket={bucket.start}>
                    <th scope="row">{bucketName(bucket, kind)}</th>
                    <td data-column="total" data-counts="submissions">
                      <Linked
                        href={links.throughput(pk, bucket)}
                        value={bucket.total}
                        label={t("dashboard.totalLink", {
                          count: bucket.total,
                          bucket: bucketName(bucket, kind),
                        })}
                      />
                    </td>
                    {names.map((name) => (
                      <td key={name} data-column={name}>
                        <Linked
                          href={links.throughput(pk, bucket, name)}
                          value={bucket.by_annotator[name] ?? 0}
                          label={t("dashboard.throughputLink", {
                            count: bucket.by_annotator[name] ?? 0,
                            annotator: name,
                            bucket: bucketName(bucket, kind),
                          })}
                        />
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
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
        labels: data.labels.map((l) => l.name),
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
        <table class="figtable" aria-labelledby="labels-title" data-figure="labels">
          <thead>
            <tr>
              <th scope="col">{t("dashboard.label")}</th>
              <th scope="col">{t("dashboard.spans")}</th>
              <th scope="col">{t("dashboard.documents")}</th>
            </tr>
          </thead>
          <tbody>
            {data.labels.map((label) => (
              <tr key={label.id} data-label={label.name}>
                <th scope="row">
                  <span class="swatch" style={{ background: label.color }} aria-hidden="true" />
                  {label.name}
                </th>
                <td data-column="spans">{formatNumber(label.spans)}</td>
                <td data-column="documents">
                  <Linked
                    href={links.label(pk, label.name)}
                    value={label.documents}
                    label={t("dashboard.labelLink", { count: label.documents, label: label.name })}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
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
          <div class="table-scroll">
            <table class="figtable" aria-labelledby="agreement-title" data-figure="agreement">
              <thead>
                <tr>
                  <th scope="col">{kind === "week" ? t("dashboard.week") : t("dashboard.day")}</th>
                  <th scope="col">{t("dashboard.compared")}</th>
                  <th scope="col">{t("dashboard.spanF1")}</th>
                </tr>
              </thead>
              <tbody>
                {compared.map((bucket) => (
                  <tr key={bucket.start} data-bucket={bucket.start}>
                    <th scope="row">{bucketName(bucket, kind)}</th>
                    <td data-column="documents">
                      <Linked
                        href={links.agreement(pk, bucket)}
                        value={bucket.documents}
                        label={t("dashboard.agreementLink", {
                          count: bucket.documents,
                          bucket: bucketName(bucket, kind),
                        })}
                      />
                    </td>
                    <td data-column="span_f1">{formatShare(bucket.span_f1)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
