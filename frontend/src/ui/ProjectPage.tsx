import { useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { formatNumber, t } from "../i18n";
import { EmptyProject } from "./EmptyProject";
import { reasonText } from "./FlagControl";
import { Guidelines } from "./Guidelines";
import { openNextDocument } from "./nextDocument";
import { Progress } from "./Progress";
import { onLinkClick } from "./router";
import { annotationStatusText } from "./statusText";
import { useAsync } from "./useAsync";

export function ProjectPage({ pk }: { pk: number }) {
  const [page, setPage] = useState(1);
  const [message, setMessage] = useState("");
  const project = useAsync(() => api.project(pk), [pk]);
  const docs = useAsync(() => api.documents(pk, page), [pk, page]);
  const pages = docs.data ? Math.max(1, Math.ceil(docs.data.count / 50)) : 1;
  const reviews = project.data?.my_role === "reviewer" || project.data?.my_role === "admin";
  return (
    <main class="page">
      {project.error && <p role="alert">{project.error}</p>}
      {project.data && (
        <>
          <h1>{project.data.name}</h1>
          {project.data.description && <p>{project.data.description}</p>}
          <Progress progress={project.data.progress} />
          <p>
            <button
              type="button"
              class="primary"
              onClick={async () => {
                if (!(await openNextDocument(pk))) setMessage(t("project.nothingLeft"));
              }}
            >
              {t("editor.next")}
            </button>
          </p>
          <p aria-live="polite">{message}</p>
          {!reviews && (
            <p>
              <a href={`/projects/${pk}/quality/`} onClick={onLinkClick}>
                {t("quality.titleOwn")}
              </a>
            </p>
          )}
          {reviews && (
            <nav class="row" aria-label={t("project.reviewTools")}>
              <a href={`/projects/${pk}/dashboard/`} onClick={onLinkClick}>
                {t("dashboard.title")}
              </a>
              <a href={`/projects/${pk}/documents/`} onClick={onLinkClick}>
                {t("table.title")}
              </a>
              <a href={`/projects/${pk}/agreement/`} onClick={onLinkClick}>
                {t("project.agreement")}
              </a>
              <a href={`/projects/${pk}/exports/`} onClick={onLinkClick}>
                {t("project.exports")}
              </a>
              <a href={`/projects/${pk}/suggestions/`} onClick={onLinkClick}>
                {t("suggestionQuality.title")}
              </a>
              <a href={`/projects/${pk}/quality/`} onClick={onLinkClick}>
                {t("quality.title")}
              </a>
              {project.data.my_role === "admin" && (
                <a href={`/projects/${pk}/settings/`} onClick={onLinkClick}>
                  {t("project.settings")}
                </a>
              )}
              {project.data.my_role === "admin" && (
                <a href={`/projects/${pk}/people/`} onClick={onLinkClick}>
                  {t("people.link")}
                </a>
              )}
              {project.data.my_role === "admin" && (
                <a href={`/projects/${pk}/labels/`} onClick={onLinkClick}>
                  {t("labels.link")}
                </a>
              )}
            </nav>
          )}
        </>
      )}
      <h2>{t("table.title")}</h2>
      {docs.loading && <p>{t("common.loading")}</p>}
      {docs.error && <p role="alert">{docs.error}</p>}
      {docs.data && docs.data.count === 0 && !docs.loading && (
        <EmptyProject pk={pk} role={project.data?.my_role} />
      )}
      {docs.data && docs.data.count > 0 && (
        <table class="docs">
          <thead>
            <tr>
              <th scope="col">{t("table.colTitle")}</th>
              <th scope="col">{t("project.colId")}</th>
              <th scope="col">{t("table.colLength")}</th>
              <th scope="col">{t("table.myStatus")}</th>
              <th scope="col">{t("conversation.comments")}</th>
              <th scope="col">{t("conversation.flagColumn")}</th>
              {reviews && <th scope="col">{t("project.review")}</th>}
            </tr>
          </thead>
          <tbody>
            {docs.data.results.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`/projects/${pk}/documents/${d.id}/`} onClick={onLinkClick}>
                    {d.title || t("table.untitled", { id: String(d.id) })}
                  </a>
                </td>
                <td class="muted">{d.external_id}</td>
                <td>{formatNumber(d.length)}</td>
                <td>{d.my_status ? annotationStatusText(d.my_status) : t("project.notStarted")}</td>
                <td class="comment-count">
                  {d.comments > 0
                    ? t("conversation.commentCount", { n: d.comments, open: d.open_threads })
                    : ""}
                </td>
                <td class="flag-cell">{d.flag ? `⚑ ${reasonText(d.flag)}` : ""}</td>
                {reviews && (
                  <td>
                    <a
                      href={`/projects/${pk}/documents/${d.id}/review/`}
                      onClick={onLinkClick}
                      aria-label={t("project.reviewDoc", {
                        title: d.title || t("table.untitled", { id: String(d.id) }),
                      })}
                    >
                      {t("project.review")}
                    </a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label={t("table.pages")}>
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            {t("table.previous")}
          </button>
          <span>{t("table.pageOf", { page, pages })}</span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            {t("table.next")}
          </button>
        </nav>
      )}
      {project.data?.guidelines && (
        <section>
          <h2>{t("editor.guidelines")}</h2>
          <Guidelines markdown={project.data.guidelines} />
        </section>
      )}
    </main>
  );
}
