import { useState } from "preact/hooks";
import { errorMessage } from "../api/errors";
import { type ExportDiff, type ExportJob, workflowApi } from "../api/workflow";
import { t } from "../i18n";

/** How many of each kind of changed document are listed (the API has every one). */
const LISTED = 50;
const POLL_MS = 2000;
const KIND_TITLES = {
  changed: () => t("exportChanges.changed"),
  added: () => t("exportChanges.added"),
  removed: () => t("exportChanges.removed"),
};

/** Changes since the job's previous version, loaded when opened (a worker may still be
 * computing a large diff: the API answers 202 until it is stored). */
export function ExportChanges({ job, pk }: { job: ExportJob; pk: number }) {
  const [diff, setDiff] = useState<ExportDiff | null>(null);
  const [error, setError] = useState("");
  const [loading, setLoading] = useState(false);
  if (job.status !== "succeeded" || job.previous === null) return null;

  async function load(): Promise<void> {
    if (diff || loading) return;
    setLoading(true);
    setError("");
    try {
      for (;;) {
        const answer = await workflowApi.exportDiff(job.id);
        if ("documents" in answer) {
          setDiff(answer);
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }

  return (
    <details
      class="export-changes"
      onToggle={(e) => (e.currentTarget as HTMLDetailsElement).open && void load()}
    >
      <summary>{t("exportChanges.since", { id: String(job.previous) })}</summary>
      {loading && <p class="muted">{t("exportChanges.comparing")}</p>}
      {error && <p class="error-text">{error}</p>}
      {diff && <DiffSummary diff={diff} pk={pk} />}
    </details>
  );
}

function DiffSummary({ diff, pk }: { diff: ExportDiff; pk: number }) {
  const { documents: d, spans: s, relations: r } = diff;
  const labels = Object.entries(diff.by_label);
  return (
    <div class="diff-summary">
      <p>
        {t("exportChanges.summary", {
          docsAdded: d.added.length,
          docsRemoved: d.removed.length,
          docsChanged: d.changed.length,
          spansAdded: s.added,
          spansRemoved: s.removed,
          relabelled: s.relabelled,
          moved: s.moved,
          linksAdded: r.added,
          linksRemoved: r.removed,
          labelsChanged: diff.document_labels.changed,
        })}
      </p>
      {labels.length > 0 && (
        <ul class="diff-labels">
          {labels.map(([label, c]) => (
            <li key={label}>
              <code>{label}</code> +{c.added} −{c.removed}
            </li>
          ))}
        </ul>
      )}
      <DocumentList kind="changed" ids={d.changed} pk={pk} linked />
      <DocumentList kind="added" ids={d.added} pk={pk} linked />
      <DocumentList kind="removed" ids={d.removed} pk={pk} linked={false} />
    </div>
  );
}

function DocumentList({
  kind,
  ids,
  pk,
  linked,
}: {
  kind: "changed" | "added" | "removed";
  ids: string[];
  pk: number;
  linked: boolean;
}) {
  if (!ids.length) return null;
  return (
    <div class="diff-documents" data-kind={kind}>
      <strong>{KIND_TITLES[kind]()}</strong>
      <ul>
        {ids.slice(0, LISTED).map((id) => (
          <li key={id}>{linked ? <a href={documentUrl(pk, id)}>{id}</a> : <span>{id}</span>}</li>
        ))}
      </ul>
      {ids.length > LISTED && (
        <p class="muted">{t("exportChanges.more", { count: ids.length - LISTED })}</p>
      )}
    </div>
  );
}

/** A document's review page by its external id (the server looks the id up and redirects). */
export function documentUrl(pk: number, externalId: string): string {
  return `/projects/${pk}/documents/by-external-id/?id=${encodeURIComponent(externalId)}`;
}
