import { useRef, useState } from "preact/hooks";
import { adminApi, type OffsetUnit, UPLOAD_FORMATS, type UploadResult } from "../api/admin";
import { describeLineError, inferFormat, type UploadFailure, uploadFailure } from "./uploadReport";

const FORMAT_TEXT: Record<string, string> = {
  native: "Native (.txt, .jsonl, .csv)",
  doccano: "doccano JSONL",
  "label-studio": "Label Studio JSON",
  brat: "brat standoff (.zip)",
  conll: "CoNLL (BIO)",
};

/** Upload one file of documents; all of it is imported, or nothing. */
export function UploadDocuments({ pk, onImported }: { pk: number; onImported?: () => void }) {
  const input = useRef<HTMLInputElement>(null);
  const [fileName, setFileName] = useState("");
  const [format, setFormat] = useState<string>("auto");
  const [offsetUnit, setOffsetUnit] = useState<OffsetUnit>("utf16");
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<UploadResult | null>(null);
  const [failure, setFailure] = useState<UploadFailure | null>(null);
  const guessed = fileName ? inferFormat(fileName) : null;

  async function submit(e: Event): Promise<void> {
    e.preventDefault();
    const file = input.current?.files?.[0];
    setResult(null);
    setFailure(null);
    if (!file) {
      setFailure({ summary: "Choose a file first.", errors: [] });
      return;
    }
    setBusy(true);
    try {
      const chosen = format === "auto" ? undefined : (format as (typeof UPLOAD_FORMATS)[number]);
      setResult(await adminApi.upload(pk, file, { format: chosen, offsetUnit }));
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
      <h2 id="upload-heading">Upload documents</h2>
      <form class="settings-form" onSubmit={submit}>
        <label>
          File to upload
          <input
            ref={input}
            type="file"
            accept=".txt,.jsonl,.csv,.json,.zip,.conll,.iob"
            onChange={(e) => setFileName(e.currentTarget.files?.[0]?.name ?? "")}
          />
        </label>
        <label>
          File format
          <select value={format} onChange={(e) => setFormat(e.currentTarget.value)}>
            <option value="auto">Automatic, from the file extension</option>
            {UPLOAD_FORMATS.map((f) => (
              <option key={f} value={f}>
                {FORMAT_TEXT[f] ?? f}
              </option>
            ))}
          </select>
        </label>
        {format === "doccano" && (
          <label>
            doccano offsets count
            <select
              value={offsetUnit}
              onChange={(e) => setOffsetUnit(e.currentTarget.value as OffsetUnit)}
            >
              <option value="utf16">UTF-16 units (doccano's own)</option>
              <option value="code_point">Code points</option>
            </select>
          </label>
        )}
        <button type="submit" class="primary" disabled={busy}>
          {busy ? "Uploading…" : "Upload"}
        </button>
      </form>
      {format === "auto" && fileName && (
        <p class="muted">
          {guessed
            ? `${fileName} will be read as ${FORMAT_TEXT[guessed] ?? guessed}.`
            : `${fileName} has an extension the server does not know; choose a format.`}
        </p>
      )}
      <div aria-live="polite">
        {result && (
          <div class="upload-result">
            <p>
              <strong>
                {result.created} {result.created === 1 ? "document" : "documents"} imported
              </strong>
            </p>
            {result.warnings.length > 0 && (
              <>
                <p>
                  {result.warnings.length} {result.warnings.length === 1 ? "warning" : "warnings"}:
                </p>
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
