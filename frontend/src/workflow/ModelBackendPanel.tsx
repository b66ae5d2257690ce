import { useEffect, useState } from "preact/hooks";
import { type FieldErrors, fieldErrors } from "../api/errors";
import { type ModelBackend, suggestionAdminApi } from "../api/suggestionAdmin";
import { formatDate, t } from "../i18n";

/** The project's HTTP model backend: its URL, and how its calls went (admins only). The
 * failure reason is the server's text, rendered as text. */
export function ModelBackendPanel({ pk }: { pk: number }) {
  const [backend, setBackend] = useState<ModelBackend | null>(null);
  const [url, setUrl] = useState("");
  const [enabled, setEnabled] = useState(true);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);

  const show = (loaded: ModelBackend) => {
    setBackend(loaded);
    setUrl(loaded.url ?? "");
    setEnabled(loaded.url ? loaded.enabled : true);
  };
  useEffect(() => {
    suggestionAdminApi.backend(pk).then(show, (err) => setErrors(fieldErrors(err)));
  }, [pk]);

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    setBusy(true);
    setStatus("");
    try {
      const saved = await suggestionAdminApi.saveBackend(pk, { url: url.trim(), enabled });
      show(saved);
      setErrors({});
      setStatus(saved.url ? t("modelBackend.saved") : t("modelBackend.removed"));
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="model-backend-heading">
      <h2 id="model-backend-heading">{t("modelBackend.title")}</h2>
      <p class="muted">{t("modelBackend.about")}</p>
      {!backend && !errors.detail && <p>{t("common.loading")}</p>}
      {/* The form waits for the saved URL, so nothing typed is overwritten by it. */}
      {backend && (
        <form class="settings-form stacked" onSubmit={save} noValidate>
          <label>
            {t("modelBackend.url")}
            <input
              type="url"
              value={url}
              placeholder="https://models.example.org/predict"
              onInput={(e) => setUrl(e.currentTarget.value)}
              {...(errors.url
                ? { "aria-invalid": "true" as const, "aria-describedby": "model-backend-url-error" }
                : {})}
            />
            {errors.url && (
              <span id="model-backend-url-error" class="field-error">
                {errors.url}
              </span>
            )}
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={enabled}
              onChange={(e) => setEnabled(e.currentTarget.checked)}
            />{" "}
            {t("modelBackend.enabled")}
          </label>
          <div class="row">
            <button type="submit" class="primary" disabled={busy}>
              {busy ? t("modelBackend.saving") : t("modelBackend.save")}
            </button>
            <span aria-live="polite">{status}</span>
          </div>
          {errors.detail && (
            <p role="alert" class="error-text">
              {errors.detail}
            </p>
          )}
        </form>
      )}
      {errors.detail && !backend && (
        <p role="alert" class="error-text">
          {errors.detail}
        </p>
      )}
      {backend?.url && <BackendState backend={backend} />}
    </section>
  );
}

const STATUS: Record<ModelBackend["status"], () => string> = {
  unused: () => t("modelBackend.status.unused"),
  ok: () => t("modelBackend.status.ok"),
  failed: () => t("modelBackend.status.failed"),
};

function BackendState({ backend }: { backend: ModelBackend }) {
  return (
    <div class="backend-state" data-status={backend.status}>
      <p>
        <strong>{STATUS[backend.status]()}</strong>{" "}
        {t("modelBackend.calls", { count: backend.calls, failures: backend.failures })}
        {backend.checked_at &&
          ` ${t("modelBackend.checkedAt", { when: formatDate(backend.checked_at) })}`}
      </p>
      {backend.error && (
        <p role={backend.status === "failed" ? "alert" : undefined} class="backend-error">
          {t("modelBackend.lastFailure", {
            when: backend.failed_at ? formatDate(backend.failed_at) : "—",
          })}{" "}
          <code>{backend.error}</code>
        </p>
      )}
    </div>
  );
}
