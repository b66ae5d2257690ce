import { useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { NewProjectForm } from "./NewProjectForm";
import { openNextDocument } from "./nextDocument";
import { Progress } from "./Progress";
import { onLinkClick } from "./router";
import { useAsync } from "./useAsync";

export function ProjectList() {
  const projects = useAsync(() => api.projects(), []);
  const [message, setMessage] = useState("");
  return (
    <main class="page">
      <h1>My projects</h1>
      <NewProjectForm />
      {projects.loading && <p>Loading…</p>}
      {projects.error && <p role="alert">{projects.error}</p>}
      <p aria-live="polite">{message}</p>
      {projects.data && projects.data.results.length === 0 && (
        <p>You are not a member of any project yet.</p>
      )}
      <ul class="cards">
        {projects.data?.results.map((p) => (
          <li class="card" key={p.id}>
            <h2>
              <a href={`/projects/${p.id}/`} onClick={onLinkClick}>
                {p.name}
              </a>
            </h2>
            <p class="muted">
              {p.my_role} · {p.language}
            </p>
            {p.description && <p>{p.description}</p>}
            <Progress progress={p.progress} />
            <p>
              <button
                type="button"
                onClick={async () => {
                  if (!(await openNextDocument(p.id)))
                    setMessage(`Nothing left to annotate in ${p.name}.`);
                }}
              >
                Next document
              </button>
            </p>
          </li>
        ))}
      </ul>
    </main>
  );
}
