import { adminApi } from "../api/admin";
import { trashApi } from "../api/trash";
import { t } from "../i18n";
import { ConfirmDelete } from "../ui/ConfirmDelete";
import { navigate, onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { ModelBackendPanel } from "./ModelBackendPanel";
import { ProjectSettingsForm } from "./ProjectSettingsForm";
import { UploadDocuments } from "./UploadDocuments";
import "./workflow.css";
import "./settings.css";

/** Project administration: documents in, who works on it, how the work is shared. */
export function SettingsPage({ pk }: { pk: number }) {
  const project = useAsync(() => adminApi.project(pk), [pk]);
  return (
    <main class="page settings-page">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("exports.project")}
        </a>
      </p>
      <h1>
        {project.data
          ? t("settingsForm.heading", { name: project.data.name })
          : t("project.settings")}
      </h1>
      {project.loading && !project.data && <p>{t("common.loading")}</p>}
      {project.error && <p role="alert">{project.error}</p>}
      {project.data && project.data.my_role !== "admin" && (
        <p role="alert">{t("settingsForm.adminsOnly")}</p>
      )}
      {project.data?.my_role === "admin" && (
        <>
          <UploadDocuments pk={pk} />
          <p>
            <a href={`/projects/${pk}/people/`} onClick={onLinkClick}>
              {t("people.link")}
            </a>{" "}
            ·{" "}
            <a href={`/projects/${pk}/labels/`} onClick={onLinkClick}>
              {t("labels.link")}
            </a>
          </p>
          <ProjectSettingsForm pk={pk} initial={project.data} />
          <ModelBackendPanel pk={pk} />
          <section aria-labelledby="delete-project-heading">
            <h2 id="delete-project-heading">{t("trash.deleteProjectHeading")}</h2>
            <ConfirmDelete
              label={t("trash.deleteProject")}
              title={t("trash.deleteProjectTitle", { name: project.data.name })}
              send={(confirm) => trashApi.deleteProject(pk, confirm)}
              onDone={() => navigate("/trash/")}
            />
          </section>
        </>
      )}
    </main>
  );
}
