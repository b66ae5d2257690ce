import { useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { t } from "../i18n";
import { EmptyProject } from "./EmptyProject";
import { reasonText } from "./FlagControl";
import { Guidelines } from "./Guidelines";
import { openNextDocument } from "./nextDocument";
import { Progress } from "./Progress";
import { onLinkClick } from "./router";
import { useAsync } from "./useAsync";

const STATUS_TEXT: Record<string, string> = {
  submitted: "Submitted",
  skipped: "Skipped",
  draft: "Draft",
};

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
                if (!(await openNextDocument(pk)))
                  setMessage("Nothing left to annotate here. Thank you!");
              }}
            >
              Next document
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
            <nav class="row" aria-label="Review tools">
              <a href={`/projects/${pk}/dashboard/`} onClick={onLinkClick}>
                {t("dashboard.title")}
              </a>
              <a href={`/projects/${pk}/documents/`} onClick={onLinkClick}>
                {t("table.title")}
              </a>
              <a href={`/projects/${pk}/agreement/`} onClick={onLinkClick}>
                Agreement
              </a>
              <a href={`/projects/${pk}/exports/`} onClick={onLinkClick}>
                Exports
              </a>
              <a href={`/projects/${pk}/suggestions/`} onClick={onLinkClick}>
                {t("suggestionQuality.title")}
              </a>
              <a href={`/projects/${pk}/quality/`} onClick={onLinkClick}>
                {t("quality.title")}
              </a>
              {project.data.my_role === "admin" && (
                <a href={`/projects/${pk}/settings/`} onClick={onLinkClick}>
                  Settings
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
      {docs.loading && <p>Loading…</p>}
      {docs.error && <p role="alert">{docs.error}</p>}
      {docs.data && docs.data.count === 0 && !docs.loading && (
        <EmptyProject pk={pk} role={project.data?.my_role} />
      )}
      {docs.data && docs.data.count > 0 && (
        <table class="docs">
          <thead>
            <tr>
              <th scope="col">Title</th>
              <th scope="col">ID</th>
              <th scope="col">Length</th>
              <th scope="col">My status</th>
              <th scope="col">{t("conversation.comments")}</th>
              <th scope="col">{t("conversation.flagColumn")}</th>
              {reviews && <th scope="col">Review</th>}
            </tr>
          </thead>
          <tbody>
            {docs.data.results.map((d) => (
              <tr key={d.id}>
                <td>
                  <a href={`/projects/${pk}/documents/${d.id}/`} onClick={onLinkClick}>
                    {d.title || `Document ${d.id}`}
                  </a>
                </td>
                <td class="muted">{d.external_id}</td>
                <td>{d.length.toLocaleString()}</td>
                <td>{d.my_status ? (STATUS_TEXT[d.my_status] ?? d.my_status) : "Not started"}</td>
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
                      aria-label={`Review ${d.title || `Document ${d.id}`}`}
                    >
                      Review
                    </a>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label="Document pages">
          <button type="button" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page} of {pages}
          </span>
          <button type="button" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
      {project.data?.guidelines && (
        <section>
          <h2>Guidelines</h2>
          <Guidelines markdown={project.data.guidelines} />
        </section>
      )}
    </main>
  );
}
