import { useState } from "preact/hooks";
import { adminApi } from "../api/admin";
import { fieldErrors } from "../api/errors";
import { t } from "../i18n";
import { navigate } from "./router";

/** Anyone may start a project; they become its admin and land on its settings page. */
export function NewProjectForm() {
  const [open, setOpen] = useState(false);
  const [name, setName] = useState("");
  const [language, setLanguage] = useState("id");
  const [news, setNews] = useState(true);
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);

  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t("newProject.title")}
      </button>
    );

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    try {
      const project = await adminApi.createProject({
        name,
        language,
        preset: news ? "news" : null,
      });
      navigate(`/projects/${project.id}/settings/`);
    } catch (error) {
      setErrors(fieldErrors(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <form class="card new-project" onSubmit={submit} aria-label={t("newProject.title")}>
      <h2>{t("newProject.title")}</h2>
      <label>
        {t("newProject.name")}
        <input value={name} required onInput={(e) => setName(e.currentTarget.value)} />
      </label>
      {errors.name && <p class="field-error">{errors.name}</p>}
      <label>
        {t("newProject.language")}
        <input value={language} required onInput={(e) => setLanguage(e.currentTarget.value)} />
      </label>
      {errors.language && <p class="field-error">{errors.language}</p>}
      <label>
        <input type="checkbox" checked={news} onChange={(e) => setNews(e.currentTarget.checked)} />
        {t("newProject.news")}
      </label>
      {errors.detail && <p role="alert">{errors.detail}</p>}
      <p>
        <button type="submit" class="primary" disabled={busy}>
          {t("newProject.create")}
        </button>{" "}
        <button type="button" onClick={() => setOpen(false)}>
          {t("table.cancel")}
        </button>
      </p>
    </form>
  );
}
