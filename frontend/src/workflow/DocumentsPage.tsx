import { useEffect, useMemo, useState } from "preact/hooks";
import { adminApi, type Member } from "../api/admin";
import { api } from "../api/endpoints";
import { ApiError } from "../api/errors";
import { exportFormats, formatsApi } from "../api/formats";
import {
  DOCUMENT_STATES,
  type DocumentRow,
  type DocumentState,
  PROGRESS_COLUMNS,
  teamApi,
} from "../api/team";
import { trashApi } from "../api/trash";
import type { Project } from "../api/types";
import type { Label } from "../editor/types";
import { formatDate, formatNumber, t } from "../i18n";
import { labelWithTitle } from "../i18n/labelText";
import { DialogFooter, Modal } from "../ui/Dialogs";
import { EmptyProject } from "../ui/EmptyProject";
import { Problem } from "../ui/Problem";
import { navigate, onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { formatShare, progressName, stateName } from "./dashboardView";
import {
  extraFilters,
  FILTER_NAMES,
  PAGE_SIZE,
  type Selection,
  SORTS,
  selectionBody,
  tableQuery,
  withFilter,
} from "./documentsTable";
import { scopeText } from "./exportJobs";
import "./workflow.css";
import "./dashboard.css";

/** The table's filters live in the address: a dashboard link, a bookmark and Back all work. */
function useSearch(): [URLSearchParams, (next: URLSearchParams) => void] {
  const [search, setSearch] = useState(() => new URLSearchParams(location.search));
  useEffect(() => {
    const onPop = () => setSearch(new URLSearchParams(location.search));
    window.addEventListener("popstate", onPop);
    return () => window.removeEventListener("popstate", onPop);
  }, []);
  const go = (next: URLSearchParams) => {
    const text = next.toString();
    history.pushState(null, "", `${location.pathname}${text ? `?${text}` : ""}`);
    setSearch(next);
  };
  return [search, go];
}

export function DocumentsPage({ pk }: { pk: number }) {
  const [search, go] = useSearch();
  const [reload, setReload] = useState(0);
  const [selection, setSelection] = useState<Selection>({ kind: "ids", ids: new Set() });
  const project = useAsync(() => api.project(pk), [pk]);
  const labels = useAsync(() => api.labels(pk), [pk]);
  const members = useAsync(() => adminApi.members(pk), [pk]);
  const key = search.toString();
  const rows = useAsync(() => teamApi.documents(pk, tableQuery(search)), [pk, key, reload]);
  useEffect(() => setSelection({ kind: "ids", ids: new Set() }), [key]);
  const filter = (name: string, value: string) => go(withFilter(search, name, value));
  const count = rows.data?.count ?? 0;
  const page = Number(search.get("page") || "1");
  const pages = Math.max(1, Math.ceil(count / PAGE_SIZE));
  return (
    <main class="page wide documents-table">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("dashboard.project")}
        </a>
        {" · "}
        <a href={`/projects/${pk}/dashboard/`} onClick={onLinkClick}>
          {t("dashboard.title")}
        </a>
      </p>
      <h1>{t("table.title")}</h1>
      <Filters
        search={search}
        onFilter={filter}
        onClear={() => go(new URLSearchParams())}
        labels={(labels.data ?? []).filter((l) => l.kind === "span")}
        annotators={(members.data ?? [])
          .filter((m) => m.role === "annotator")
          .map((m) => m.username)}
      />
      {rows.error && (
        <Problem
          error={rows.failure}
          back={{ href: `/projects/${pk}/`, label: project.data?.name ?? t("dashboard.project") }}
        />
      )}
      {rows.loading && !rows.data && <p>{t("common.loading")}</p>}
      {rows.data && project.data && (
        <>
          <p class="muted" aria-live="polite">
            {t("table.count", { count })}
          </p>
          {count === 0 ? (
            <Empty
              pk={pk}
              filtered={[...search.keys()].some((k) => k !== "page")}
              project={project.data}
            />
          ) : (
            <>
              <BulkBar
                pk={pk}
                project={project.data}
                members={members.data ?? []}
                search={search}
                selection={selection}
                pageIds={rows.data.results.map((r) => r.id)}
                total={count}
                onSelect={setSelection}
                onDone={() => {
                  setSelection({ kind: "ids", ids: new Set() });
                  setReload((n) => n + 1);
                }}
              />
              <Table
                pk={pk}
                rows={rows.data.results}
                perDocument={project.data.annotators_per_document}
                selection={selection}
                onSelect={setSelection}
                ordering={search.get("ordering") ?? ""}
                onSort={(value) => filter("ordering", value)}
              />
              {pages > 1 && (
                <nav class="pager" aria-label={t("table.pages")}>
                  <button
                    type="button"
                    disabled={page <= 1}
                    onClick={() => filter("page", String(page - 1))}
                  >
                    {t("table.previous")}
                  </button>
                  <span>{t("table.pageOf", { page, pages })}</span>
                  <button
                    type="button"
                    disabled={page >= pages}
                    onClick={() => filter("page", String(page + 1))}
                  >
                    {t("table.next")}
                  </button>
                </nav>
              )}
            </>
          )}
        </>
      )}
    </main>
  );
}

function Empty({ pk, filtered, project }: { pk: number; filtered: boolean; project: Project }) {
  if (filtered) return <p class="empty-state">{t("table.noMatch")}</p>;
  return <EmptyProject pk={pk} role={project.my_role} />;
}

function Filters({
  search,
  onFilter,
  onClear,
  labels,
  annotators,
}: {
  search: URLSearchParams;
  onFilter: (name: string, value: string) => void;
  onClear: () => void;
  labels: Label[];
  annotators: string[];
}) {
  const annotator = search.get("annotator") ?? "";
  const extras = extraFilters(search);
  const choose = (name: string) => (e: Event) =>
    onFilter(name, (e.currentTarget as HTMLSelectElement).value);
  return (
    <form
      class="period-form table-filters"
      aria-label={t("table.filters")}
      onSubmit={(e) => {
        e.preventDefault();
        onFilter("q", String(new FormData(e.currentTarget).get("q") ?? "").trim());
      }}
    >
      <label>
        {t("table.search")}
        <input
          type="search"
          name="q"
          defaultValue={search.get("q") ?? ""}
          key={search.get("q") ?? ""}
        />
      </label>
      <button type="submit">{t("table.searchButton")}</button>
      <label>
        {t("dashboard.state")}
        <select value={search.get("state") ?? ""} onChange={choose("state")}>
          <option value="">{t("table.any")}</option>
          {DOCUMENT_STATES.map((s) => (
            <option key={s} value={s}>
              {stateName(s)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("dashboard.annotator")}
        <select value={annotator} onChange={choose("annotator")}>
          <option value="">{t("table.anyone")}</option>
          {[...new Set([...annotators, ...(annotator ? [annotator] : [])])].map((name) => (
            <option key={name} value={name}>
              {name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("table.standing")}
        <select
          value={search.get("annotator_status") ?? ""}
          onChange={choose("annotator_status")}
          disabled={!annotator}
        >
          <option value="">{t("table.any")}</option>
          {PROGRESS_COLUMNS.map((c) => (
            <option key={c} value={c}>
              {progressName(c)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("dashboard.label")}
        <select value={search.get("label") ?? ""} onChange={choose("label")}>
          <option value="">{t("table.any")}</option>
          {labels.map((label) => (
            <option key={label.name} value={label.name}>
              {labelWithTitle(label)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t("table.disagreement")}
        <select value={search.get("disagreement") ?? ""} onChange={choose("disagreement")}>
          <option value="">{t("table.any")}</option>
          <option value="true">{t("table.yes")}</option>
          <option value="false">{t("table.no")}</option>
        </select>
      </label>
      {extras.map(([name, value]) => (
        <span key={name} class="chip">
          {FILTER_NAMES[name]?.() ?? name}: {value}{" "}
          <button
            type="button"
            class="link-button"
            aria-label={t("table.removeFilter", { name: FILTER_NAMES[name]?.() ?? name })}
            onClick={() => onFilter(name, "")}
          >
            ×
          </button>
        </span>
      ))}
      <button type="button" class="link-button" onClick={onClear}>
        {t("table.clear")}
      </button>
    </form>
  );
}

function SortHeader({
  field,
  label,
  ordering,
  onSort,
}: {
  field: string;
  label: string;
  ordering: string;
  onSort: (value: string) => void;
}) {
  const current =
    ordering === field ? "ascending" : ordering === `-${field}` ? "descending" : "none";
  return (
    <th scope="col" aria-sort={current} data-sort={field}>
      <button
        type="button"
        class="link-button sort"
        onClick={() => onSort(current === "ascending" ? `-${field}` : field)}
      >
        {label}
        <span aria-hidden="true">
          {current === "ascending" ? " ▲" : current === "descending" ? " ▼" : ""}
        </span>
      </button>
    </th>
  );
}

function stateText(row: DocumentRow, n: number): string {
  if (row.state === "annotated" || (row.state === "in_progress" && row.submitted_count > 0))
    return t("table.kOfN", { state: stateName(row.state), k: row.submitted_count, n });
  return stateName(row.state as DocumentState);
}

function Table({
  pk,
  rows,
  perDocument,
  selection,
  onSelect,
  ordering,
  onSort,
}: {
  pk: number;
  rows: DocumentRow[];
  perDocument: number;
  selection: Selection;
  onSelect: (s: Selection) => void;
  ordering: string;
  onSort: (value: string) => void;
}) {
  const ids = selection.kind === "ids" ? selection.ids : null;
  const all = selection.kind === "filter" || rows.every((r) => ids?.has(r.id));
  const toggle = (id: number) => {
    const next = new Set(ids ?? rows.map((r) => r.id));
    if (next.has(id)) next.delete(id);
    else next.add(id);
    onSelect({ kind: "ids", ids: next });
  };
  return (
    <div class="table-scroll">
      <table class="figtable docs-table">
        <caption class="sr-only">{t("table.title")}</caption>
        <thead>
          <tr>
            <th scope="col">
              <input
                type="checkbox"
                checked={all}
                aria-label={t("table.selectPage")}
                onChange={() =>
                  onSelect({ kind: "ids", ids: all ? new Set() : new Set(rows.map((r) => r.id)) })
                }
              />
            </th>
            {SORTS.map(([field, label]) => (
              <SortHeader
                key={field}
                field={field}
                label={label()}
                ordering={ordering}
                onSort={onSort}
              />
            ))}
            <th scope="col">{t("table.annotators")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-document={row.id} data-state={row.state}>
              <td>
                <input
                  type="checkbox"
                  checked={selection.kind === "filter" || !!ids?.has(row.id)}
                  aria-label={t("table.selectOne", { title: row.title || `#${row.id}` })}
                  onChange={() => toggle(row.id)}
                />
              </td>
              <td class="title-cell">
                <a href={`/projects/${pk}/documents/${row.id}/review/`} onClick={onLinkClick}>
                  {row.title || t("table.untitled", { id: String(row.id) })}
                </a>
                {row.external_id && <span class="muted mono"> {row.external_id}</span>}
              </td>
              <td data-column="state">
                <span class={`state state-${row.state}`}>{stateText(row, perDocument)}</span>
              </td>
              <td data-column="submitted_count">{formatNumber(row.submitted_count)}</td>
              <td data-column="agreement">{formatShare(row.agreement)}</td>
              <td data-column="last_submitted_at">
                {row.last_submitted_at ? formatDate(row.last_submitted_at) : "—"}
              </td>
              <td data-column="length">{formatNumber(row.length)}</td>
              <td class="who">
                {(row.annotators ?? [])
                  .map((w) => `${w.annotator} (${progressName(standing(w.status))})`)
                  .join(", ")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** An annotator's standing on a row (draft reads as in progress). */
function standing(status: string): (typeof PROGRESS_COLUMNS)[number] {
  if (status === "draft") return "in_progress";
  return (PROGRESS_COLUMNS as readonly string[]).includes(status)
    ? (status as (typeof PROGRESS_COLUMNS)[number])
    : "in_progress";
}

type Action = "assign" | "reset" | "export" | "delete" | null;

function BulkBar({
  pk,
  project,
  members,
  search,
  selection,
  pageIds,
  total,
  onSelect,
  onDone,
}: {
  pk: number;
  project: Project;
  members: Member[];
  search: URLSearchParams;
  selection: Selection;
  pageIds: number[];
  total: number;
  onSelect: (s: Selection) => void;
  onDone: () => void;
}) {
  const [action, setAction] = useState<Action>(null);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const chosen = selection.kind === "filter" ? total : selection.ids.size;
  const admin = project.my_role === "admin";
  const wholePage = selection.kind === "ids" && pageIds.every((id) => selection.ids.has(id));
  const run = async (body: () => Promise<string>) => {
    setError("");
    try {
      setMessage(await body());
      setAction(null);
      onDone();
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  const selected = selectionBody(selection, search);
  return (
    <section class="bulk-bar" aria-label={t("table.bulk")}>
      <span>{t("table.selected", { count: chosen })}</span>
      {wholePage && total > pageIds.length && (
        <button type="button" class="link-button" onClick={() => onSelect({ kind: "filter" })}>
          {t("table.selectAll", { count: total })}
        </button>
      )}
      {admin && (
        <button type="button" disabled={!chosen} onClick={() => setAction("assign")}>
          {t("table.assign")}
        </button>
      )}
      {admin && (
        <button type="button" disabled={!chosen} onClick={() => setAction("reset")}>
          {t("table.reset")}
        </button>
      )}
      <button type="button" disabled={!chosen} onClick={() => setAction("export")}>
        {t("table.export")}
      </button>
      {admin && (
        <button
          type="button"
          class="danger"
          disabled={selection.kind !== "ids" || !chosen}
          title={selection.kind === "ids" ? undefined : t("table.deletePickRows")}
          onClick={() => setAction("delete")}
        >
          {t("table.delete")}
        </button>
      )}
      <span aria-live="polite" class="muted">
        {message}
      </span>
      {action === "assign" && (
        <AssignDialog
          members={members}
          count={chosen}
          error={error}
          onClose={() => setAction(null)}
          onAssign={(annotators) =>
            run(async () => {
              const done = await teamApi.bulk<{ assigned: number; already: number }>(pk, "assign", {
                ...selected,
                annotators,
              });
              return t("table.assigned", { count: done.assigned, already: done.already });
            })
          }
        />
      )}
      {action === "reset" && (
        <Modal title={t("table.resetTitle", { count: chosen })} role="alertdialog">
          <p>{t("table.resetText")}</p>
          <DialogFooter
            error={error}
            danger
            confirm={t("table.resetConfirm")}
            onConfirm={() =>
              run(async () => {
                const done = await teamApi.bulk<{ unassigned: number }>(pk, "reset", selected);
                return t("table.resetDone", { count: done.unassigned });
              })
            }
            onCancel={() => setAction(null)}
          />
        </Modal>
      )}
      {action === "delete" && selection.kind === "ids" && (
        <Modal title={t("table.deleteTitle", { count: chosen })} role="alertdialog">
          <p>{t("table.deleteText")}</p>
          <p class="muted">{t("trash.restorable")}</p>
          {error && <p role="alert">{error}</p>}
          <div class="row">
            <button
              type="button"
              class="danger"
              onClick={() =>
                run(async () => {
                  // Confirmed here for all of them: each goes to the trash with its work.
                  for (const id of selection.ids) await trashApi.deleteDocument(pk, id, true);
                  onSelect({ kind: "ids", ids: new Set() });
                  return t("table.deleted", { count: chosen });
                })
              }
            >
              {t("table.deleteConfirm", { count: chosen })}
            </button>
            <button type="button" onClick={() => setAction(null)}>
              {t("table.cancel")}
            </button>
          </div>
        </Modal>
      )}
      {action === "export" && (
        <ExportDialog
          count={chosen}
          error={error}
          onClose={() => setAction(null)}
          onExport={(format, scope) =>
            run(async () => {
              await teamApi.bulk(pk, "export", { ...selected, format, scope });
              navigate(`/projects/${pk}/exports/`);
              return "";
            })
          }
        />
      )}
    </section>
  );
}

function AssignDialog({
  members,
  count,
  error,
  onClose,
  onAssign,
}: {
  members: Member[];
  count: number;
  error: string;
  onClose: () => void;
  onAssign: (annotators: string[]) => void;
}) {
  const annotators = members.filter((m) => m.role === "annotator");
  return (
    <Modal title={t("table.assignTitle", { count })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onAssign(new FormData(e.currentTarget).getAll("annotator").map(String));
        }}
      >
        <fieldset class="assign-list">
          <legend>{t("table.assignTo")}</legend>
          {annotators.map((m) => (
            <label key={m.id} class="check">
              <input type="checkbox" name="annotator" value={m.username} /> {m.username}
            </label>
          ))}
        </fieldset>
        <DialogFooter error={error} confirm={t("table.assignConfirm")} onCancel={onClose} />
      </form>
    </Modal>
  );
}

function ExportDialog({
  count,
  error,
  onClose,
  onExport,
}: {
  count: number;
  error: string;
  onClose: () => void;
  onExport: (format: string, scope: string) => void;
}) {
  const formats = useAsync(() => formatsApi.list(), []);
  const [format, setFormat] = useState("jsonl");
  const spec = useMemo(
    () => exportFormats(formats.data ?? []).find((f) => f.name === format),
    [formats.data, format],
  );
  return (
    <Modal title={t("table.exportTitle", { count })}>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          const form = new FormData(e.currentTarget);
          onExport(String(form.get("format")), String(form.get("scope")));
        }}
      >
        <label class="field">
          {t("table.format")}
          <select name="format" value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
            {exportFormats(formats.data ?? []).map((f) => (
              <option key={f.name} value={f.name}>
                {f.title}
              </option>
            ))}
          </select>
        </label>
        <label class="field">
          {t("table.scope")}
          <select name="scope">
            {(spec?.export?.scopes ?? ["gold", "all", "agreed"]).map((s) => (
              <option key={s} value={s}>
                {scopeText(s)}
              </option>
            ))}
          </select>
        </label>
        <DialogFooter error={error} confirm={t("table.exportConfirm")} onCancel={onClose} />
      </form>
    </Modal>
  );
}
