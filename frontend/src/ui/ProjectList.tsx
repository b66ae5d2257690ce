import { useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { t } from "../i18n";
import { NewProjectForm } from "./NewProjectForm";
import { openNextDocument } from "./nextDocument";
import { Progress } from "./Progress";
import { onLinkClick } from "./router";
import { useAsync } from "./useAsync";

/** A role as people read it. */
export function roleName(role: string): string {
  if (role === "admin") return t("roles.admin");
  if (role === "reviewer") return t("roles.reviewer");
  if (role === "annotator") return t("roles.annotator");
  return role;
}

export function ProjectList() {
  const projects = useAsync(() => api.projects(), []);
  const [message, setMessage] = useState("");
  return (
    <main class="page">
      <h1>{t("projects.title")}</h1>
      <NewProjectForm />
      <p>
        <a href="/trash/" onClick={onLinkClick}>
          {t("trash.link")}
        </a>
      </p>
      {projects.loading && <p>{t("common.loading")}</p>}
      {projects.error && <p role="alert">{projects.error}</p>}
      <p aria-live="polite">{message}</p>
      {projects.data && projects.data.results.length === 0 && <p>{t("projects.none")}</p>}
      <ul class="cards">
        {projects.data?.results.map((p) => (
          <li class="card" key={p.id}>
            <h2>
              <a href={`/projects/${p.id}/`} onClick={onLinkClick}>
                {p.name}
              </a>
            </h2>
            <p class="muted">
              {roleName(p.my_role)} · {p.language}
            </p>
            {p.description && <p>{p.description}</p>}
            <Progress progress={p.progress} />
            <p>
              <button
                type="button"
                onClick={async () => {
                  if (!(await openNextDocument(p.id)))
                    setMessage(t("projects.nothingLeftIn", { project: p.name }));
                }}
              >
                {t("projects.nextDocument")}
              </button>
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
