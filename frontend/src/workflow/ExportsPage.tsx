import { useEffect, useRef, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { errorMessage } from "../api/errors";
import { exportFormats, formatsApi } from "../api/formats";
import { type ExportJob, workflowApi } from "../api/workflow";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { ExportChanges } from "./ExportChanges";
import {
  formatBytes,
  isActive,
  jobDisplay,
  pollJob,
  progressPercent,
  scopeText,
} from "./exportJobs";
import "./workflow.css";
import { formatDate, formatNumber, t } from "../i18n";

export function ExportsPage({ pk }: { pk: number }) {
  const project = useAsync(() => api.project(pk), [pk]);
  const [jobs, setJobs] = useState<ExportJob[] | null>(null);
  const [loadError, setLoadError] = useState("");
  const formats = useAsync(() => formatsApi.list(), []);
  const [format, setFormat] = useState("");
  const [scope, setScope] = useState("gold");
  const [unannotated, setUnannotated] = useState(false);
  const [excludeFlagged, setExcludeFlagged] = useState(false);
  // null: the format's default (every span label but QUOTE)
  const [tagged, setTagged] = useState<string[] | null>(null);
  const labels = useAsync(() => api.labels(pk), [pk]);
  const [splitOn, setSplitOn] = useState(false);
  const [split, setSplit] = useState({ train: "0.8", dev: "0.1", test: "0.1" });
  const [formError, setFormError] = useState("");
  const [busy, setBusy] = useState(false);
  const polling = useRef(new Map<number, AbortController>());
  const exportable = exportFormats(formats.data ?? []);
  const chosen = exportable.find((f) => f.name === format) ?? exportable[0];
  const scopes = chosen?.export?.scopes ?? [];
  const chosenScope = scopes.includes(scope) ? scope : scopes[0];
  const widens =
    chosenScope !== undefined && chosen?.export?.unannotated_scopes?.includes(chosenScope);
  const spanLabels = (labels.data ?? []).filter((l) => l.kind === "span").map((l) => l.name);
  const taggedLabels = tagged ?? spanLabels.filter((name) => name !== "QUOTE");

  const upsert = (job: ExportJob) =>
    setJobs((list) => {
      const rest = (list ?? []).filter((j) => j.id !== job.id);
      const merged = { ...(list ?? []).find((j) => j.id === job.id), ...job };
      return [merged, ...rest].sort((a, b) => b.id - a.id);
    });

  function follow(job: ExportJob): void {
    if (!isActive(job) || polling.current.has(job.id)) return;
    const controller = new AbortController();
    polling.current.set(job.id, controller);
    pollJob(job.id, { load: workflowApi.exportJob, onUpdate: upsert, signal: controller.signal })
      .catch((err: unknown) =>
        setLoadError(t("exports.lost", { id: String(job.id), error: errorMessage(err) })),
      )
      .finally(() => polling.current.delete(job.id));
  }

  useEffect(() => {
    let live = true;
    workflowApi.exports(pk).then(
      (page) => {
        if (!live) return;
        setJobs(page.results);
        for (const job of page.results) follow(job);
        // The list leaves warnings out; each finished job's own page has them.
        for (const job of page.results.filter((j) => !isActive(j)).slice(0, 20))
          workflowApi.exportJob(job.id).then(
            (full) => live && upsert(full),
            () => {},
          );
      },
      (err: unknown) => live && setLoadError(errorMessage(err)),
    );
    return () => {
      live = false;
      for (const c of polling.current.values()) c.abort();
      polling.current.clear();
    };
  }, [pk]);

  async function start(e: Event): Promise<void> {
    e.preventDefault();
    setFormError("");
    if (!chosen || !chosenScope) return;
    let ratios: Record<string, number> | null = null;
    if (splitOn) {
      ratios = {};
      for (const [name, value] of Object.entries(split)) {
        const n = Number(value);
        if (value.trim() === "" || !Number.isFinite(n) || n < 0) {
          setFormError(t("exports.share", { name }));
          return;
        }
        if (n > 0) ratios[name] = n;
      }
      const sum = Object.values(ratios).reduce((a, b) => a + b, 0);
      if (Math.abs(sum - 1) > 1e-6) {
        setFormError(
          t("exports.shares", {
            sum: formatNumber(sum, { minimumFractionDigits: 2, maximumFractionDigits: 2 }),
          }),
        );
        return;
      }
    }
    const options: Record<string, unknown> = {};
    if (widens && unannotated) options.include_unannotated = true;
    if (excludeFlagged) options.exclude_flagged = true;
    if (chosen.export?.span_labels && tagged !== null) {
      if (tagged.length === 0) {
        setFormError(t("exports.chooseLabel"));
        return;
      }
      options.labels = tagged;
    }
    setBusy(true);
    try {
      const job = await workflowApi.requestExport(pk, {
        format: chosen.name,
        scope: chosenScope,
        split: ratios,
        options,
      });
      upsert(job);
      follow(job);
    } catch (err) {
      setFormError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <main class="page wide">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("exports.project")}
        </a>
      </p>
      <h1>{t("project.exports")}</h1>
      <form class="export-form" onSubmit={start} aria-label={t("exports.new")}>
        <label>
          {t("table.format")}
          <select value={chosen?.name ?? ""} onChange={(e) => setFormat(e.currentTarget.value)}>
            {exportable.map((f) => (
              <option key={f.name} value={f.name}>
                {f.title} ({f.name})
              </option>
            ))}
          </select>
        </label>
        <label>
          {t("table.scope")}
          <select value={chosenScope ?? ""} onChange={(e) => setScope(e.currentTarget.value)}>
            {scopes.map((s) => (
              <option key={s} value={s}>
                {scopeText(s)}
              </option>
            ))}
          </select>
        </label>
        <label>
          <input
            type="checkbox"
            checked={widens && unannotated}
            disabled={!widens}
            onChange={(e) => setUnannotated(e.currentTarget.checked)}
          />{" "}
          {t("exports.includeUnannotated")}
        </label>
        <label>
          <input
            type="checkbox"
            checked={excludeFlagged}
            onChange={(e) => setExcludeFlagged(e.currentTarget.checked)}
          />{" "}
          {t("exports.excludeFlagged")}
        </label>
        {chosen?.export?.span_labels && spanLabels.length > 0 && (
          <fieldset class="tagged-labels">
            <legend>{t("exports.labelsToTag")}</legend>
            {spanLabels.map((name) => (
              <label key={name}>
                <input
                  type="checkbox"
                  checked={taggedLabels.includes(name)}
                  onChange={(e) => {
                    const on = e.currentTarget.checked;
                    const next = on
                      ? [...taggedLabels, name]
                      : taggedLabels.filter((n) => n !== name);
                    setTagged(spanLabels.filter((n) => next.includes(n)));
                  }}
                />{" "}
                {name}
              </label>
            ))}
          </fieldset>
        )}
        <fieldset class="split">
          <legend>
            <label>
              <input
                type="checkbox"
                checked={splitOn}
                onChange={(e) => setSplitOn(e.currentTarget.checked)}
              />{" "}
              {t("exports.split")}
            </label>
          </legend>
          {(["train", "dev", "test"] as const).map((name) => (
            <label key={name}>
              {name}
              <input
                type="number"
                min="0"
                max="1"
                step="0.05"
                size={4}
                disabled={!splitOn}
                value={split[name]}
                onInput={(e) => setSplit({ ...split, [name]: e.currentTarget.value })}
              />
            </label>
          ))}
        </fieldset>
        <button type="submit" class="primary" disabled={busy || !chosen}>
          {busy ? t("exports.starting") : t("table.exportConfirm")}
        </button>
      </form>
      {chosen && <p class="muted">{chosen.offset_note}</p>}
      {formats.error && <p role="alert">{t("exports.noFormats", { error: formats.error })}</p>}
      {formError && (
        <p role="alert" class="error-text">
          {formError}
        </p>
      )}
      {loadError && <p role="alert">{loadError}</p>}

      <h2>{t("exports.past")}</h2>
      {jobs === null && !loadError && <p>{t("common.loading")}</p>}
      {jobs && jobs.length === 0 && <p class="muted">{t("exports.none")}</p>}
      {jobs && jobs.length > 0 && <JobTable jobs={jobs} pk={pk} />}
    </main>
  );
}

function JobTable({ jobs, pk }: { jobs: ExportJob[]; pk: number }) {
  return (
    <table class="docs jobs">
      <thead>
        <tr>
          <th scope="col">#</th>
          <th scope="col">{t("exports.colVersion")}</th>
          <th scope="col">{t("exports.colRequested")}</th>
          <th scope="col">{t("exports.colFormat")}</th>
          <th scope="col">{t("table.status")}</th>
          <th scope="col">{t("exports.colRows")}</th>
          <th scope="col">{t("exports.colSize")}</th>
          <th scope="col">SHA-256</th>
          <th scope="col">{t("exports.colWarnings")}</th>
          <th scope="col">{t("exports.colFile")}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((job) => (
          <JobRow key={job.id} job={job} pk={pk} />
        ))}
      </tbody>
    </table>
  );
}

function JobRow({ job, pk }: { job: ExportJob; pk: number }) {
  const shown = jobDisplay(job);
  const pct = progressPercent(job);
  const done = job.status === "succeeded";
  const split = job.split
    ? Object.entries(job.split)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")
    : "";
  return (
    <tr data-job={job.id}>
      <td>{job.id}</td>
      <td data-version={job.version ?? ""}>
        {job.version === null ? "—" : `v${job.version}`}
        {job.version !== null && (
          <div class="muted">
            {job.previous === null
              ? t("exports.firstVersion")
              : t("exports.afterVersion", { id: String(job.previous) })}
          </div>
        )}
        <ExportChanges job={job} pk={pk} />
      </td>
      <td>
        {formatDate(job.created_at)}
        <div class="muted">{job.requested_by ?? ""}</div>
      </td>
      <td>
        {job.format} · {job.scope}
        {split && <div class="muted">{split}</div>}
      </td>
      <td>
        <span class={`job-status job-${shown.tone}`}>
          <span aria-hidden="true">{shown.icon}</span> {shown.text}
        </span>
        {isActive(job) && (
          <div>
            <progress
              class="job-progress"
              max={job.progress.total || 1}
              value={pct === null ? undefined : job.progress.done}
              aria-label={t("exports.progress", { id: String(job.id) })}
            />
            <div class="muted">
              {job.progress.total
                ? t("exports.progressText", {
                    count: job.progress.total,
                    done: formatNumber(job.progress.done),
                  })
                : t("exports.waiting")}
            </div>
          </div>
        )}
        {job.error && <div class="error-text">{job.error}</div>}
      </td>
      <td>{done && job.row_count !== null ? formatNumber(job.row_count) : "—"}</td>
      <td>{done ? formatBytes(job.size) : "—"}</td>
      <td class="mono" title={job.sha256 || undefined}>
        {job.sha256 ? `${job.sha256.slice(0, 12)}…` : "—"}
      </td>
      <td>
        <Warnings job={job} />
      </td>
      <td>
        {job.download_url ? (
          <a href={job.download_url} download={job.file_name ?? true}>
            {t("exports.download")}
            {job.file_name ? ` ${job.file_name}` : ""}
          </a>
        ) : (
          "—"
        )}
      </td>
    </tr>
  );
}

function Warnings({ job }: { job: ExportJob }) {
  if (isActive(job)) return <span class="muted">—</span>;
  if (!job.warnings) return <span class="muted">…</span>;
  if (!job.warnings.length) return <span>0</span>;
  return (
    <details>
      <summary>{job.warnings.length}</summary>
      <ul class="warnings">
        {job.warnings.slice(0, 20).map((w, i) => (
          <li key={i}>{typeof w === "string" ? w : JSON.stringify(w)}</li>
        ))}
      </ul>
    </details>
  );
}
