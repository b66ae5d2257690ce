import { useEffect, useRef, useState } from "preact/hooks";
import { adminApi } from "../api/admin";
import { errorMessage, type FieldErrors, fieldErrors } from "../api/errors";
import { type LabelWithUsage, labelsApi } from "../api/labels";
import { tagStyle } from "../editor/colors";
import type { Label } from "../editor/types";
import { LANGUAGE_NAMES, LANGUAGES, type Language, t } from "../i18n";
import { attributeName, groupName, labelDescription, labelTitle } from "../i18n/labelText";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import {
  type AttributeDraft,
  blankDraft,
  draftOf,
  fieldsOf,
  inUse,
  type LabelDraft,
  movedOrder,
  usageText,
} from "./labelDraft";
import "./workflow.css";
import "./settings.css";

const byPosition = (a: LabelWithUsage, b: LabelWithUsage) => a.position - b.position || a.id - b.id;

/**
 * A label's name on its own colour, with text that stays readable (WCAG AA). The name is the
 * dataset's identifier, the same in every language (`translate="no"`).
 */
export function LabelTag({ label }: { label: Pick<Label, "name" | "color"> }) {
  return (
    <span class="label-tag" style={tagStyle(label.color)} translate={false}>
      {label.name}
    </span>
  );
}

/** The project's label schema (admins): span labels, links and document label groups. */
export function LabelsPage({ pk }: { pk: number }) {
  const project = useAsync(() => adminApi.project(pk), [pk]);
  const [labels, setLabels] = useState<LabelWithUsage[] | null>(null);
  const [error, setError] = useState("");
  const [status, setStatus] = useState("");

  useEffect(() => {
    let live = true;
    labelsApi.list(pk).then(
      (list) => live && setLabels(list.sort(byPosition)),
      (err: unknown) => live && setError(errorMessage(err)),
    );
    return () => {
      live = false;
    };
  }, [pk]);

  const reload = async () => setLabels((await labelsApi.list(pk)).sort(byPosition));
  const admin = project.data?.my_role === "admin";
  const shared = { pk, labels: labels ?? [], reload, setStatus, setError, admin };
  const groups = [
    ...new Set((labels ?? []).filter((l) => l.kind === "document").map((l) => l.group)),
  ];
  return (
    <main class="page settings-page labels-page">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("labels.project")}
        </a>
      </p>
      <h1>
        {project.data ? t("labels.titleOf", { project: project.data.name }) : t("labels.title")}
      </h1>
      {project.data && !admin && <p role="alert">{t("labels.adminsOnly")}</p>}
      {labels === null && !error && <p>{t("common.loading")}</p>}
      <p aria-live="polite">{status}</p>
      {error && (
        <p role="alert" class="error-text">
          {error}
        </p>
      )}
      {labels && (
        <>
          <KindSection heading={t("labels.spanLabels")} id="span-labels" kind="span" {...shared} />
          <KindSection
            heading={t("labels.relationLabels")}
            id="relation-labels"
            kind="relation"
            {...shared}
          />
          <section aria-labelledby="document-labels">
            <h2 id="document-labels">{t("labels.documentLabels")}</h2>
            {groups.map((group, i) => (
              <KindSection
                key={group}
                heading={t("labels.group", { group: groupName(group, labels) })}
                id={`label-group-${i}`}
                kind="document"
                group={group}
                nested
                {...shared}
              />
            ))}
            {admin && <NewGroup {...shared} />}
          </section>
        </>
      )}
    </main>
  );
}

interface Shared {
  pk: number;
  labels: LabelWithUsage[];
  reload: () => Promise<void>;
  setStatus: (s: string) => void;
  setError: (s: string) => void;
  admin: boolean;
}

function KindSection({
  heading,
  id,
  kind,
  group = "",
  nested = false,
  ...shared
}: Shared & {
  heading: string;
  id: string;
  kind: Label["kind"];
  group?: string;
  nested?: boolean;
}) {
  const [adding, setAdding] = useState(false);
  const mine = shared.labels.filter(
    (l) => l.kind === kind && (kind !== "document" || l.group === group),
  );
  const Heading = nested ? "h3" : "h2";
  return (
    <section aria-labelledby={id} class="label-section">
      <Heading id={id}>{heading}</Heading>
      {mine.length === 0 && <p class="muted">{t("labels.none")}</p>}
      <ul class="label-list">
        {mine.map((label, i) => (
          <LabelRow
            key={label.id}
            label={label}
            first={i === 0}
            last={i === mine.length - 1}
            {...shared}
          />
        ))}
      </ul>
      {shared.admin &&
        (adding ? (
          <LabelForm
            {...shared}
            initial={{ ...blankDraft(kind, group), multiple: mine.some((l) => l.multiple) }}
            title={t("labels.newLabel")}
            onDone={() => setAdding(false)}
          />
        ) : (
          <button type="button" onClick={() => setAdding(true)}>
            {kind === "span" && t("labels.addSpan")}
            {kind === "relation" && t("labels.addRelation")}
            {kind === "document" &&
              t("labels.addValue", { group: groupName(group, shared.labels) })}
          </button>
        ))}
    </section>
  );
}

function NewGroup(shared: Shared) {
  const [open, setOpen] = useState(false);
  if (!open)
    return (
      <button type="button" onClick={() => setOpen(true)}>
        {t("labels.addGroup")}
      </button>
    );
  return (
    <LabelForm
      {...shared}
      initial={blankDraft("document")}
      title={t("labels.newGroup")}
      onDone={() => setOpen(false)}
    />
  );
}

function LabelRow({
  label,
  first,
  last,
  ...shared
}: Shared & { label: LabelWithUsage; first: boolean; last: boolean }) {
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const used = usageText(label);

  async function move(step: -1 | 1): Promise<void> {
    const ids = movedOrder(shared.labels, label.id, step);
    if (!ids) return;
    try {
      await labelsApi.reorder(shared.pk, ids);
      await shared.reload();
      shared.setStatus(t("labels.moved", { name: label.name }));
    } catch (err) {
      shared.setError(errorMessage(err));
    }
  }

  return (
    <li class="label-row" data-label={label.name}>
      <div class="label-summary">
        <LabelTag label={label} />
        {labelTitle(label) !== label.name && (
          <span title={labelDescription(label) || undefined}>{labelTitle(label)}</span>
        )}
        {label.hotkey && (
          <span class="muted">
            {t("labels.key")} <kbd>{label.hotkey}</kbd>
          </span>
        )}
        {label.kind === "relation" && (
          <span class="muted">
            {t("labels.ends", {
              from: label.source_labels.join(", ") || t("labels.any"),
              to: label.target_labels.join(", ") || t("labels.any"),
            })}
          </span>
        )}
        {label.kind === "span" && Object.keys(label.attributes).length > 0 && (
          <span class="muted">
            {Object.keys(label.attributes)
              .map((name) => attributeName(label, name))
              .join(", ")}
          </span>
        )}
        <span class="muted usage">{used}</span>
        {shared.admin && (
          <span class="row actions">
            <button
              type="button"
              aria-label={t("labels.moveUp", { name: label.name })}
              disabled={first}
              onClick={() => move(-1)}
            >
              ↑
            </button>
            <button
              type="button"
              aria-label={t("labels.moveDown", { name: label.name })}
              disabled={last}
              onClick={() => move(1)}
            >
              ↓
            </button>
            <button
              type="button"
              aria-expanded={editing ? "true" : "false"}
              aria-label={t("labels.editWho", { name: label.name })}
              onClick={() => setEditing((e) => !e)}
            >
              {t("labels.edit")}
            </button>
            <button
              type="button"
              aria-label={t("labels.deleteWho", { name: label.name })}
              onClick={() => setDeleting(true)}
            >
              {t("labels.delete")}
            </button>
          </span>
        )}
      </div>
      {deleting && <DeleteLabel label={label} onDone={() => setDeleting(false)} {...shared} />}
      {editing && (
        <LabelForm
          {...shared}
          initial={draftOf(label)}
          label={label}
          title={t("labels.editing", { name: label.name })}
          onDone={() => setEditing(false)}
        />
      )}
    </li>
  );
}

/** A label in use is not deleted: the answer says how much work needs it. */
function DeleteLabel({
  label,
  onDone,
  ...shared
}: Shared & { label: LabelWithUsage; onDone: () => void }) {
  const first = useRef<HTMLButtonElement>(null);
  useEffect(() => first.current?.focus(), []);
  const used = inUse(label);
  async function remove(): Promise<void> {
    try {
      await labelsApi.remove(shared.pk, label.id);
      shared.setStatus(t("labels.deleted", { name: label.name }));
      await shared.reload();
    } catch (err) {
      shared.setError(errorMessage(err));
      onDone();
    }
  }
  return (
    <section class="confirm" aria-label={t("labels.deleteWho", { name: label.name })}>
      {used ? (
        <>
          <p>{t("labels.cannotDelete", { name: label.name, usage: usageText(label) })}</p>
          <button type="button" ref={first} onClick={onDone}>
            {t("labels.ok")}
          </button>
        </>
      ) : (
        <>
          <p>{t("labels.confirmDelete", { name: label.name })}</p>
          <span class="row">
            <button type="button" class="danger" ref={first} onClick={remove}>
              {t("labels.deleteConfirm", { name: label.name })}
            </button>
            <button type="button" onClick={onDone}>
              {t("labels.keep")}
            </button>
          </span>
        </>
      )}
    </section>
  );
}

function LabelForm({
  initial,
  label,
  title,
  onDone,
  ...shared
}: Shared & { initial: LabelDraft; label?: LabelWithUsage; title: string; onDone: () => void }) {
  const [draft, setDraft] = useState<LabelDraft>(initial);
  const [errors, setErrors] = useState<FieldErrors>({});
  const [busy, setBusy] = useState(false);
  const [confirmRename, setConfirmRename] = useState(false);
  const set = (patch: Partial<LabelDraft>) => setDraft((d) => ({ ...d, ...patch }));
  const formId = `label-form-${label?.id ?? `new-${initial.kind}-${initial.group}`}`;
  const spanNames = shared.labels.filter((l) => l.kind === "span").map((l) => l.name);

  async function save(e?: Event, confirmed = false): Promise<void> {
    e?.preventDefault();
    const parsed = fieldsOf(draft, shared.labels, label?.id ?? null);
    if (!parsed.ok) {
      setErrors(parsed.errors);
      return;
    }
    const renamed = label && parsed.fields.name !== label.name;
    if (renamed && inUse(label) && !confirmed) {
      setConfirmRename(true);
      return;
    }
    setConfirmRename(false);
    setErrors({});
    setBusy(true);
    try {
      const saved = label
        ? await labelsApi.update(shared.pk, label.id, parsed.fields)
        : await labelsApi.create(shared.pk, parsed.fields);
      shared.setStatus(t("labels.saved", { name: saved.name }));
      await shared.reload();
      onDone();
    } catch (err) {
      setErrors(fieldErrors(err));
    } finally {
      setBusy(false);
    }
  }

  const field = (name: string) =>
    errors[name]
      ? {
          "aria-invalid": "true" as const,
          "aria-describedby": `${formId}-${name.replaceAll(".", "-")}-error`,
        }
      : {};
  const ErrorFor = ({ name }: { name: string }) =>
    errors[name] ? (
      <span id={`${formId}-${name.replaceAll(".", "-")}-error`} class="field-error">
        {errors[name]}
      </span>
    ) : null;
  const known = new Set([
    "name",
    "color",
    "hotkey",
    "description",
    "group",
    "source_labels",
    "target_labels",
  ]);
  const other = Object.entries(errors).filter(
    ([k]) => !known.has(k) && !k.startsWith("attributes."),
  );

  const setText = (lang: Language, patch: Partial<LabelDraft["texts"][Language]>) =>
    set({ texts: { ...draft.texts, [lang]: { ...draft.texts[lang], ...patch } } });
  const setAttribute = (i: number, patch: Partial<AttributeDraft>) =>
    set({ attributes: draft.attributes.map((a, j) => (j === i ? { ...a, ...patch } : a)) });

  return (
    <form class="settings-form stacked label-form" onSubmit={save} aria-label={title} noValidate>
      <div class="row wrap">
        <label>
          {draft.kind === "document" ? t("labels.value") : t("labels.name")}
          <input
            value={draft.name}
            onInput={(e) => set({ name: e.currentTarget.value })}
            {...field("name")}
          />
          <ErrorFor name="name" />
        </label>
        <label>
          {t("labels.color")}
          <input
            type="color"
            value={draft.color}
            onInput={(e) => set({ color: e.currentTarget.value })}
            {...field("color")}
          />
          <ErrorFor name="color" />
        </label>
        <label>
          {t("labels.hotkey")}
          <input
            class="hotkey-input"
            value={draft.hotkey}
            maxLength={1}
            autoComplete="off"
            onInput={(e) => set({ hotkey: e.currentTarget.value })}
            {...field("hotkey")}
          />
          <ErrorFor name="hotkey" />
        </label>
        <span class="preview">
          <LabelTag label={{ name: draft.name || "…", color: draft.color }} />
        </span>
      </div>
      {draft.kind === "document" && !label && !initial.group && (
        <div class="row wrap">
          <label>
            {t("labels.groupName")}
            <input
              value={draft.group}
              onInput={(e) => set({ group: e.currentTarget.value })}
              {...field("group")}
            />
            <ErrorFor name="group" />
          </label>
          <label class="check">
            <input
              type="checkbox"
              checked={draft.multiple}
              onChange={(e) => set({ multiple: e.currentTarget.checked })}
            />{" "}
            {t("labels.multiple")}
          </label>
        </div>
      )}
      <label>
        {t("labels.description")}
        <textarea
          rows={2}
          value={draft.description}
          onInput={(e) => set({ description: e.currentTarget.value })}
          {...field("description")}
        />
        <ErrorFor name="description" />
      </label>
      <fieldset class="label-texts">
        <legend>{t("labels.texts")}</legend>
        <p class="muted small">{t("labels.textsHint")}</p>
        {LANGUAGES.map((lang) => (
          <div class="row wrap" key={lang} lang={lang}>
            <label>
              {t("labels.textTitle", { language: LANGUAGE_NAMES[lang] })}
              <input
                value={draft.texts[lang].title}
                onInput={(e) => setText(lang, { title: e.currentTarget.value })}
                {...field(`translations.${lang}.title`)}
              />
            </label>
            <label class="grow">
              {t("labels.textDescription", { language: LANGUAGE_NAMES[lang] })}
              <textarea
                rows={2}
                value={draft.texts[lang].description}
                onInput={(e) => setText(lang, { description: e.currentTarget.value })}
              />
            </label>
          </div>
        ))}
      </fieldset>
      {draft.kind === "span" && (
        <fieldset class="attributes">
          <legend>{t("labels.attributes")}</legend>
          {draft.attributes.map((a, i) => (
            <div class="row wrap" key={i}>
              <label>
                {t("labels.attributeName")}
                <input
                  value={a.name}
                  onInput={(e) => setAttribute(i, { name: e.currentTarget.value })}
                  {...field(`attributes.${i}.name`)}
                />
                <ErrorFor name={`attributes.${i}.name`} />
              </label>
              <label class="grow">
                {t("labels.attributeValues")}
                <input
                  value={a.values}
                  onInput={(e) => setAttribute(i, { values: e.currentTarget.value })}
                  {...field(`attributes.${i}.values`)}
                />
                <ErrorFor name={`attributes.${i}.values`} />
              </label>
              <button
                type="button"
                aria-label={t("labels.removeAttribute", { name: a.name || String(i + 1) })}
                onClick={() => set({ attributes: draft.attributes.filter((_, j) => j !== i) })}
              >
                ×
              </button>
            </div>
          ))}
          <button
            type="button"
            onClick={() => set({ attributes: [...draft.attributes, { name: "", values: "" }] })}
          >
            {t("labels.addAttribute")}
          </button>
          {errors.attributes && <span class="field-error">{errors.attributes}</span>}
        </fieldset>
      )}
      {draft.kind === "relation" && (
        <div class="row wrap">
          {(["source_labels", "target_labels"] as const).map((end) => (
            <fieldset key={end} class="ends">
              <legend>{end === "source_labels" ? t("labels.from") : t("labels.to")}</legend>
              {spanNames.map((name) => (
                <label class="check" key={name}>
                  <input
                    type="checkbox"
                    checked={draft[end].includes(name)}
                    onChange={(e) =>
                      set({
                        [end]: e.currentTarget.checked
                          ? [...draft[end], name]
                          : draft[end].filter((n) => n !== name),
                      })
                    }
                  />{" "}
                  {name}
                </label>
              ))}
              <span class="muted small">{t("labels.noneMeansAny")}</span>
              {errors[end] && <span class="field-error">{errors[end]}</span>}
            </fieldset>
          ))}
        </div>
      )}
      {confirmRename && label && (
        <div class="confirm" role="alertdialog" aria-label={t("labels.renameQuestion")}>
          <p>
            {t("labels.confirmRename", {
              name: label.name,
              to: draft.name.trim(),
              usage: usageText(label),
            })}
          </p>
          <span class="row">
            <button type="button" class="primary" onClick={() => save(undefined, true)}>
              {t("labels.renameConfirm", { to: draft.name.trim() })}
            </button>
            <button type="button" onClick={() => setConfirmRename(false)}>
              {t("labels.cancel")}
            </button>
          </span>
        </div>
      )}
      <span class="row">
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("labels.saving") : t("labels.save")}
        </button>
        <button type="button" onClick={onDone}>
          {t("labels.cancel")}
        </button>
      </span>
      {other.length > 0 && (
        <p role="alert" class="error-text">
          {other.map(([, v]) => v).join(" ")}
        </p>
      )}
    </form>
  );
}
