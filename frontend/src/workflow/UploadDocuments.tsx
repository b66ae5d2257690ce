import { useRef, useState } from "preact/hooks";
import { adminApi, type UploadResult } from "../api/admin";
import {
  type FormatSpec,
  formatForFile,
  formatsApi,
  importFormats,
  uploadSuffixes,
} from "../api/formats";
import { t } from "../i18n";
import { useAsync } from "../ui/useAsync";
import { describeLineError, type UploadFailure, uploadFailure } from "./uploadReport";

function unitText(unit: string): string {
  if (unit === "") return t("upload.unitDetect");
  if (unit === "utf16") return t("upload.unitUtf16");
  if (unit === "code_point") return t("upload.unitCodePoint");
  if (unit === "grapheme") return t("upload.unitGrapheme");
  return unit;
}

/** The offset units a file of this format may count in: detection first when the server
 * offers it (the empty choice sends no unit), then the format's own. */
function unitsOf(spec: FormatSpec | null): string[] {
  const units = spec?.import?.offset_units ?? [];
  const sorted = [...units].sort(
    (a, b) => Number(b === spec?.offset_unit) - Number(a === spec?.offset_unit),
  );
  return spec?.import?.detects_unit && sorted.length ? ["", ...sorted] : sorted;
}

/** Upload one file of documents; all of it is imported, or nothing. */
export function UploadDocuments({ pk, onImported }: { pk: number; onImported?: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const formats = useAsync(() => formatsApi.list(), []);
  const importable = importFormats(formats.data ?? []);
  const [fileName, setFileName] = useState("");
  const [format, setFormat] = useState("auto");
  const [offsetUnit, setOffsetUnit] = useState("");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [failure, setFailure] = useState<UploadFailure | null>(null);
  const chosen = importable.find((f) => f.name === format) ?? null;
  const units = unitsOf(chosen);
  const unit = units.includes(offsetUnit) ? offsetUnit : units[0];
  const [layer, setLayer] = useState("");
  const [annotatorMap, setAnnotatorMap] = useState("");
  const [labelMap, setLabelMap] = useState("");
  const [annotators, setAnnotators] = useState("");
  const [duplicates, setDuplicates] = useState("");
  const guessed = fileName ? formatForFile(importable, fileName) : null;

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const file = input.current?.files?.[0];
    setResult(null);
    setFailure(null);
    if (!file) {
      setFailure({ summary: t("upload.chooseFile"), errors: [] });
      return;
    }
    setBusy(true);
    try {
      setResult(
        await adminApi.upload(pk, file, {
          format: chosen?.name,
          offsetUnit: unit,
          layer,
          annotatorMap,
          labelMap,
          annotators,
          duplicates,
        }),
      );
      // Cleared so a second click cannot import the same file twice.
      if (input.current) input.current.value = "";
      setFileName("");
      onImported?.();
    } catch (err) {
      setFailure(uploadFailure(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="upload-heading">
      <h2 id="upload-heading">{t("upload.title")}</h2>
      <form class="settings-form" onSubmit={submit}>
        <label>
          {t("upload.file")}
          <input
            ref={input}
            type="file"
            accept={uploadSuffixes(importable).join(",") || undefined}
            onChange={(e) => setFileName(e.currentTarget.files?.[0]?.name ?? "")}
          />
        </label>
        <label>
          {t("upload.format")}
          <select
            value={chosen ? format : "auto"}
            onChange={(e) => setFormat(e.currentTarget.value)}
          >
            <option value="auto">{t("upload.auto")}</option>
            {importable.map((f) => (
              <option key={f.name} value={f.name}>
                {f.title} ({f.import?.suffixes.join(", ")})
              </option>
            ))}
          </select>
        </label>
        {chosen && units.length > 0 && (
          <label>
            {t("upload.offsets", { format: chosen.title })}
            <select value={unit} onChange={(e) => setOffsetUnit(e.currentTarget.value)}>
              {units.map((u) => (
                <option key={u} value={u}>
                  {unitText(u)}
                  {u === chosen.offset_unit ? ` ${t("upload.own", { format: chosen.title })}` : ""}
                </option>
              ))}
            </select>
          </label>
        )}
        <label>
          {t("upload.layer")}
          <select value={layer} onChange={(e) => setLayer(e.currentTarget.value)}>
            <option value="">{t("upload.layerVersions")}</option>
            <option value="gold">{t("upload.layerGold")}</option>
            <option value="suggestions">{t("upload.layerSuggestions")}</option>
          </select>
        </label>
        <label>
          {t("upload.annotatorMap")}
          <input
            type="text"
            value={annotatorMap}
            placeholder='{"2": "alice"}'
            onInput={(e) => setAnnotatorMap(e.currentTarget.value)}
          />
        </label>
        <label>
          {t("upload.labelMap")}
          <input
            type="text"
            value={labelMap}
            placeholder='{"PERSON": "PER"}'
            onInput={(e) => setLabelMap(e.currentTarget.value)}
          />
        </label>
        <label>
          {t("upload.annotators")}
          <select value={annotators} onChange={(e) => setAnnotators(e.currentTarget.value)}>
            <option value="">{t("upload.refuseNaming")}</option>
            <option value="create">{t("upload.annotatorsCreate")}</option>
            <option value="suggestions">{t("upload.annotatorsSuggestions")}</option>
          </select>
        </label>
        <label>
          {t("upload.duplicates")}
          <select value={duplicates} onChange={(e) => setDuplicates(e.currentTarget.value)}>
            <option value="">{t("upload.refuseNaming")}</option>
            <option value="skip">{t("upload.duplicatesSkip")}</option>
            <option value="update">{t("upload.duplicatesUpdate")}</option>
          </select>
        </label>
        <button type="submit" class="primary" disabled={busy}>
          {busy ? t("upload.uploading") : t("upload.upload")}
        </button>
      </form>
      {formats.error && <p role="alert">{t("upload.noFormats", { error: formats.error })}</p>}
      {!chosen && fileName && formats.data && (
        <p class="muted">
          {guessed
            ? t("upload.guessed", { file: fileName, format: guessed.title })
            : t("upload.unknownExtension", { file: fileName })}
        </p>
      )}
      <div aria-live="polite">
        {result && (
          <div class="upload-result">
            <p>
              <strong>{t("upload.imported", { count: result.created })}</strong>
            </p>
            <UploadFacts result={result} />
            {result.warnings.length > 0 && (
              <>
                <p>{t("upload.warnings", { count: result.warnings.length })}</p>
                <ul class="warnings">
                  {result.warnings.map((w, i) => (
                    <li key={i}>{w}</li>
                  ))}
                </ul>
              </>
            )}
          </div>
        )}
      </div>
      {failure && (
        <div role="alert" class="upload-failure">
          <p class="error-text">{failure.summary}</p>
          {failure.errors.length > 0 && (
            <ul class="error-list">
              {failure.errors.map((e, i) => (
                <li key={i}>{describeLineError(e)}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}

/** Whose work the file became and which documents were skipped or updated, when any. */
function UploadFacts({ result }: { result: UploadResult }) {
  const who = result.annotators;
  const mapped = Object.entries(who?.mapped ?? {}).filter(([from, to]) => from !== to);
  const lines: [string, string[]][] = [
    ["Mapped", mapped.map(([from, to]) => `${from} → ${to}`)],
    ["Accounts created", who?.created ?? []],
    ["Made members", who?.added ?? []],
    ["Imported as suggestions", who?.suggestions ?? []],
    ["Skipped", result.skipped ?? []],
    ["Updated", result.updated ?? []],
  ];
  const shown = lines.filter(([, names]) => names.length > 0);
  if (!shown.length) return null;
  return (
    <ul class="upload-facts">
      {shown.map(([title, names]) => (
        <li key={title}>
          {title} ({names.length}): {names.slice(0, 20).join(", ")}
          {names.length > 20 ? ", …" : ""}
        </li>
      ))}
    </ul>
  );
}
