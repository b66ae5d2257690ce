import { useMemo, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { type Figure, type ProjectAgreement, workflowApi } from "../api/workflow";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { AgreementChart } from "./AgreementChart";
import { isLow, LOW_AGREEMENT, labelSeries, type PairMetric, pairMatrix } from "./agreementView";
import { formatFigure } from "./proposal";
import "./workflow.css";

const METRICS: Record<PairMetric, string> = {
  span_f1_overlap: "Span F1 (overlap)",
  span_f1_exact: "Span F1 (exact)",
  relation_f1: "Link F1",
};

const SHOWN_DOCUMENTS = 200;

/** A figure cell; low ones carry an icon and a hidden word besides the colour. */
function Cell({ value, title }: { value: Figure | undefined; title?: string }) {
  const low = isLow(value);
  return (
    <td class={low ? "cell-low" : undefined} title={title}>
      {low && <span aria-hidden="true">⚠ </span>}
      {formatFigure(value)}
      {low && <span class="sr-only"> (low)</span>}
    </td>
  );
}

export function AgreementPage({ pk }: { pk: number }) {
  const project = useAsync(() => api.project(pk), [pk]);
  const summary = useAsync(() => workflowApi.agreement(pk, "agreement"), [pk]);
  return (
    <main class="page wide">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? "Project"}
        </a>
      </p>
      <h1>Agreement</h1>
      {summary.error && <p role="alert">{summary.error}</p>}
      {summary.loading && !summary.data && <p>Loading…</p>}
      {summary.data && <Summary pk={pk} data={summary.data} />}
    </main>
  );
}

function Summary({ pk, data }: { pk: number; data: ProjectAgreement }) {
  const [metric, setMetric] = useState<PairMetric>("span_f1_overlap");
  const series = useMemo(() => labelSeries(data), [data]);
  const matrix = pairMatrix(data.annotators, data.pairwise, metric);
  const spans = data.spans.overall;
  const rel = data.relations.overall;
  const docs = data.document_labels.overall;
  return (
    <>
      <p class="muted">
        Over {data.documents} document{data.documents === 1 ? "" : "s"} with submitted annotations
        by {data.annotators.length} annotator{data.annotators.length === 1 ? "" : "s"}
        {data.anonymized ? " (names hidden)" : ""}. Figures under {LOW_AGREEMENT} are marked ⚠; “—”
        means there was nothing to compare.
      </p>

      <h2>Project</h2>
      <table class="figtable" aria-label="Project agreement">
        <thead>
          <tr>
            <th scope="col">What</th>
            <th scope="col">Pairwise mean</th>
            <th scope="col">Micro</th>
            <th scope="col">α</th>
            <th scope="col">Cohen κ</th>
            <th scope="col">Fleiss κ</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">Spans, F1 exact</th>
            <Cell value={spans.f1_exact_pairwise_mean} />
            <Cell value={spans.f1_exact_micro} />
            <Cell value={spans.unitizing_alpha} title="Unitizing α over all span labels" />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">Spans, F1 overlap</th>
            <Cell value={spans.f1_overlap_pairwise_mean} />
            <Cell value={spans.f1_overlap_micro} />
            <td />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">Links, F1</th>
            <Cell value={rel.f1_pairwise_mean} />
            <Cell value={rel.f1_micro} />
            <td />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">Document labels</th>
            <td />
            <td />
            <Cell value={docs.krippendorff_alpha} title="Krippendorff α (nominal)" />
            <Cell value={docs.cohen_kappa} />
            <Cell value={docs.fleiss_kappa} />
          </tr>
        </tbody>
      </table>

      <h2>Per label</h2>
      <div class="agreement-grid">
        <table class="figtable" aria-label="Agreement per span label">
          <thead>
            <tr>
              <th scope="col">Span label</th>
              <th scope="col">F1 exact</th>
              <th scope="col">F1 overlap</th>
              <th scope="col">Unitizing α</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(data.spans.per_label).map(([label, f]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <Cell value={f.f1_exact} />
                <Cell value={f.f1_overlap} />
                <Cell value={f.unitizing_alpha} />
              </tr>
            ))}
            {Object.entries(data.relations.per_label).map(([label, f]) => (
              <tr key={`rel-${label}`}>
                <th scope="row">{label} (link)</th>
                <Cell value={f.f1} title="Link F1" />
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
        <table class="figtable" aria-label="Agreement per document label group">
          <thead>
            <tr>
              <th scope="col">Document labels</th>
              <th scope="col">Items</th>
              <th scope="col">Cohen κ</th>
              <th scope="col">Fleiss κ</th>
              <th scope="col">Krippendorff α</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(data.document_labels.per_group).map(([group, f]) => (
              <tr key={group}>
                <th scope="row">{group}</th>
                <td>{f.items}</td>
                <Cell value={f.cohen_kappa} />
                <Cell value={f.fleiss_kappa} />
                <Cell value={f.krippendorff_alpha} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <AgreementChart series={series} />

      <h2>Annotator pairs</h2>
      <label class="field inline">
        Figure{" "}
        <select
          value={metric}
          onChange={(e) => setMetric(e.currentTarget.value as PairMetric)}
          aria-label="Pairwise figure"
        >
          {Object.entries(METRICS).map(([key, name]) => (
            <option key={key} value={key}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {data.annotators.length < 2 ? (
        <p class="muted">Pairs need two annotators with submitted work.</p>
      ) : (
        <table class="figtable matrix" aria-label="Pairwise agreement">
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">Annotator</span>
              </th>
              {data.annotators.map((name) => (
                <th key={name} scope="col">
                  {name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {data.annotators.map((a, i) => (
              <tr key={a}>
                <th scope="row">{a}</th>
                {matrix[i].map((cell, j) =>
                  cell ? (
                    <Cell
                      key={data.annotators[j]}
                      value={cell.value}
                      title={`${a} vs ${data.annotators[j]}: ${cell.documents} shared documents`}
                    />
                  ) : (
                    <td key={data.annotators[j]} class="muted">
                      ·
                    </td>
                  ),
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h2>Documents, least agreed first</h2>
      <table class="figtable docs-agreement" aria-label="Agreement per document">
        <thead>
          <tr>
            <th scope="col">Document</th>
            <th scope="col">Annotators</th>
            <th scope="col">Span F1 overlap</th>
            <th scope="col">Span F1 exact</th>
            <th scope="col">Link F1</th>
          </tr>
        </thead>
        <tbody>
          {data.per_document.slice(0, SHOWN_DOCUMENTS).map((d) => (
            <tr key={d.id}>
              <td>
                <a href={`/projects/${pk}/documents/${d.id}/review/`} onClick={onLinkClick}>
                  {d.title || `Document ${d.id}`}
                </a>
              </td>
              <td>{d.annotators.length}</td>
              <Cell value={d.span_f1_overlap} />
              <Cell value={d.span_f1_exact} />
              <Cell value={d.relation_f1} />
            </tr>
          ))}
        </tbody>
      </table>
      {data.per_document.length === 0 && <p class="muted">No submitted annotations yet.</p>}
      {data.per_document.length > SHOWN_DOCUMENTS && (
        <p class="muted">
          Showing the {SHOWN_DOCUMENTS} least agreed of {data.per_document.length} documents.
        </p>
      )}
    </>
  );
}
