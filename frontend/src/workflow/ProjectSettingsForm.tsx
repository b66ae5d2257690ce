import type { ComponentChildren } from "preact";
import { useEffect, useState } from "preact/hooks";
import { adminApi, type ProjectSettings } from "../api/admin";
import { type FieldErrors, fieldErrors } from "../api/errors";
import { t } from "../i18n";
import { Guidelines } from "../ui/Guidelines";
import { draftFrom, type SettingsDraft, settingsFromDraft } from "./settingsDraft";

type Field = keyof SettingsDraft;

/** A field's error, tied to its control by id so screen readers announce it with the label. */
function ErrorFor({ field, errors }: { field: Field; errors: FieldErrors }) {
  if (!errors[field]) return null;
  return (
    <span id={`setting-${field}-error`} class="field-error">
      {errors[field]}
    </span>
  );
}

function described(field: Field, errors: FieldErrors) {
  return errors[field]
    ? { "aria-invalid": "true" as const, "aria-describedby": `setting-${field}-error` }
    : {};
}

function Check({
  field,
  draft,
  errors,
  set,
  children,
}: {
  field:
    | "allow_overlap"
    | "annotators_see_each_other"
    | "anonymize_review"
    | "quotes_include_marks"
    | "annotators_see_gold_after_review";
  draft: SettingsDraft;
  errors: FieldErrors;
  set: (patch: Partial<SettingsDraft>) => void;
  children: ComponentChildren;
}) {
  return (
    <div>
      <label class="check">
        <input
          type="checkbox"
          checked={draft[field]}
          onChange={(e) => set({ [field]: e.currentTarget.checked })}
          {...described(field, errors)}
        />{" "}
        {children}
      </label>
      <ErrorFor field={field} errors={errors} />
    </div>
  );
}

/** How work is shared and reviewed; saved with one PATCH of the project. */
export function ProjectSettingsForm({
  pk,
  initial,
  onSaved,
}: {
  pk: number;
  initial: ProjectSettings;
  onSaved?: (saved: ProjectSettings) => void;
}) {
  const [draft, setDraft] = useState<SettingsDraft>(() => draftFrom(initial));
  const [errors, setErrors] = useState<FieldErrors>({});
  const [status, setStatus] = useState("");
  const [busy, setBusy] = useState(false);
  useEffect(() => setDraft(draftFrom(initial)), [initial]);
  const set = (patch: Partial<SettingsDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    setStatus("");
  };

  async function save(e: Event): Promise<void> {
    e.preventDefault();
    const parsed = settingsFromDraft(draft);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      setStatus("");
      return;
    }
    setErrors({});
    setBusy(true);
    try {
      const saved = await adminApi.saveSettings(pk, parsed.value);
      setStatus(t("settingsForm.saved"));
      onSaved?.(saved);
    } catch (err) {
      setErrors(fieldErrors(err));
      setStatus("");
    } finally {
      setBusy(false);
    }
  }

  const known = new Set<string>(Object.keys(draft));
  const other = Object.entries(errors).filter(([k]) => !known.has(k));
  return (
    <section aria-labelledby="project-settings-heading">
      <h2 id="project-settings-heading">{t("settingsForm.title")}</h2>
      <form class="settings-form stacked" onSubmit={save} noValidate>
        <div class="row">
          <label>
            {t("settingsForm.perDocument")}
            <input
              type="number"
              min="1"
              step="1"
              value={draft.annotators_per_document}
              onInput={(e) => set({ annotators_per_document: e.currentTarget.value })}
              {...described("annotators_per_document", errors)}
            />
            <ErrorFor field="annotators_per_document" errors={errors} />
          </label>
          <label>
            {t("settingsForm.mergeThreshold")}
            <input
              type="number"
              min="0"
              max="1"
              step="0.05"
              value={draft.merge_threshold}
              onInput={(e) => set({ merge_threshold: e.currentTarget.value })}
              {...described("merge_threshold", errors)}
            />
            <ErrorFor field="merge_threshold" errors={errors} />
          </label>
          <label>
            {t("settings.checkRate")}
            <input
              type="number"
              min="0"
              max="1"
              step="0.05"
              value={draft.check_rate}
              onInput={(e) => set({ check_rate: e.currentTarget.value })}
              {...described("check_rate", errors)}
            />
            <ErrorFor field="check_rate" errors={errors} />
          </label>
        </div>
        <Check field="allow_overlap" draft={draft} errors={errors} set={set}>
          {t("settingsForm.overlap")}
        </Check>
        <Check field="annotators_see_each_other" draft={draft} errors={errors} set={set}>
          {t("settingsForm.seeEachOther")}
        </Check>
        <Check field="anonymize_review" draft={draft} errors={errors} set={set}>
          {t("settingsForm.anonymize")}
        </Check>
        <Check field="quotes_include_marks" draft={draft} errors={errors} set={set}>
          {t("settings.quotesIncludeMarks")}
        </Check>
        <Check field="annotators_see_gold_after_review" draft={draft} errors={errors} set={set}>
          {t("conversation.compare.setting")}
        </Check>
        <label>
          {t("settingsForm.guidelines")}
          <textarea
            value={draft.guidelines}
            rows={12}
            onInput={(e) => set({ guidelines: e.currentTarget.value })}
            {...described("guidelines", errors)}
          />
          <ErrorFor field="guidelines" errors={errors} />
        </label>
        {draft.guidelines.trim() && (
          <details>
            <summary>{t("settingsForm.preview")}</summary>
            <Guidelines markdown={draft.guidelines} />
          </details>
        )}
        <div class="row">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? t("save.saving") : t("settingsForm.save")}
          </button>
          <span aria-live="polite">{status}</span>
        </div>
        {other.length > 0 && (
          <p role="alert" class="error-text">
            {other.map(([k, v]) => (k === "detail" ? v : `${k}: ${v}`)).join(" ")}
          </p>
        )}
      </form>
    </section>
  );
}
