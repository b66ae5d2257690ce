import { useMemo, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { type Figure, type ProjectAgreement, workflowApi } from "../api/workflow";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { AgreementChart } from "./AgreementChart";
import { isLow, LOW_AGREEMENT, labelSeries, type PairMetric, pairMatrix } from "./agreementView";
import { formatFigure } from "./proposal";
import "./workflow.css";
import type { Label } from "../editor/types";
import { formatNumber, t } from "../i18n";
import { groupName } from "../i18n/labelText";

const METRICS = (): Record<PairMetric, string> => ({
  span_f1_overlap: t("review.spanF1Overlap"),
  span_f1_exact: t("review.spanF1Exact"),
  relation_f1: t("review.linkF1"),
});

const SHOWN_DOCUMENTS = 200;

/** A figure cell; low ones carry an icon and a hidden word besides the colour. */
function Cell({ value, title }: { value: Figure | undefined; title?: string }) {
  const low = isLow(value);
  return (
    <td class={low ? "cell-low" : undefined} title={title}>
      {low && <span aria-hidden="true">⚠ </span>}
      {formatFigure(value)}
      {low && <span class="sr-only"> {t("agreement.low")}</span>}
    </td>
  );
}

export function AgreementPage({ pk }: { pk: number }) {
  const project = useAsync(() => api.project(pk), [pk]);
  const summary = useAsync(() => workflowApi.agreement(pk, "agreement"), [pk]);
  // Group names in the reader's language (raw names until loaded).
  const labels = useAsync(() => api.labels(pk), [pk]);
  return (
    <main class="page wide">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("exports.project")}
        </a>
      </p>
      <h1>{t("project.agreement")}</h1>
      {summary.error && <p role="alert">{summary.error}</p>}
      {summary.loading && !summary.data && <p>{t("common.loading")}</p>}
      {summary.data && <Summary pk={pk} data={summary.data} labels={labels.data ?? []} />}
    </main>
  );
}

function Summary({ pk, data, labels }: { pk: number; data: ProjectAgreement; labels: Label[] }) {
  const [metric, setMetric] = useState<PairMetric>("span_f1_overlap");
  const series = useMemo(() => labelSeries(data), [data]);
  const matrix = pairMatrix(data.annotators, data.pairwise, metric);
  const spans = data.spans.overall;
  const rel = data.relations.overall;
  const docs = data.document_labels.overall;
  return (
    <>
      <p class="muted">
        {t("agreement.over", {
          documents: t("agreement.documents", { count: data.documents }),
          annotators: t("agreement.annotators", { count: data.annotators.length }),
        })}
        {data.anonymized ? ` ${t("agreement.namesHidden")}` : ""}{" "}
        {t("agreement.legend", { low: formatNumber(LOW_AGREEMENT) })}
      </p>

      <h2>{t("exports.project")}</h2>
      <table class="figtable" aria-label={t("review.projectAgreement")}>
        <thead>
          <tr>
            <th scope="col">{t("agreement.what")}</th>
            <th scope="col">{t("agreement.pairwiseMean")}</th>
            <th scope="col">{t("agreement.micro")}</th>
            <th scope="col">α</th>
            <th scope="col">{t("agreement.cohen")}</th>
            <th scope="col">{t("agreement.fleiss")}</th>
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t("agreement.spansExact")}</th>
            <Cell value={spans.f1_exact_pairwise_mean} />
            <Cell value={spans.f1_exact_micro} />
            <Cell value={spans.unitizing_alpha} title={t("agreement.unitizingAll")} />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">{t("agreement.spansOverlap")}</th>
            <Cell value={spans.f1_overlap_pairwise_mean} />
            <Cell value={spans.f1_overlap_micro} />
            <td />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">{t("agreement.linksF1")}</th>
            <Cell value={rel.f1_pairwise_mean} />
            <Cell value={rel.f1_micro} />
            <td />
            <td />
            <td />
          </tr>
          <tr>
            <th scope="row">{t("review.documentLabels")}</th>
            <td />
            <td />
            <Cell value={docs.krippendorff_alpha} title={t("agreement.krippendorffNominal")} />
            <Cell value={docs.cohen_kappa} />
            <Cell value={docs.fleiss_kappa} />
          </tr>
        </tbody>
      </table>

      <h2>{t("agreement.perLabel")}</h2>
      <div class="agreement-grid">
        <table class="figtable" aria-label={t("agreement.perSpanLabel")}>
          <thead>
            <tr>
              <th scope="col">{t("agreement.spanLabel")}</th>
              <th scope="col">{t("agreement.f1Exact")}</th>
              <th scope="col">{t("agreement.f1Overlap")}</th>
              <th scope="col">{t("review.unitizingAlpha")}</th>
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
                <th scope="row">{t("agreement.linkLabel", { label })}</th>
                <Cell value={f.f1} title={t("review.linkF1")} />
                <td />
                <td />
              </tr>
            ))}
          </tbody>
        </table>
        <table class="figtable" aria-label={t("agreement.perGroup")}>
          <thead>
            <tr>
              <th scope="col">{t("review.documentLabels")}</th>
              <th scope="col">{t("agreement.items")}</th>
              <th scope="col">{t("agreement.cohen")}</th>
              <th scope="col">{t("agreement.fleiss")}</th>
              <th scope="col">{t("agreement.krippendorff")}</th>
            </tr>
          </thead>
          <tbody>
            {Object.entries(data.document_labels.per_group).map(([group, f]) => (
              <tr key={group}>
                <th scope="row">{groupName(group, labels)}</th>
                <td>{formatNumber(f.items)}</td>
                <Cell value={f.cohen_kappa} />
                <Cell value={f.fleiss_kappa} />
                <Cell value={f.krippendorff_alpha} />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <AgreementChart series={series} />

      <h2>{t("agreement.pairs")}</h2>
      <label class="field inline">
        {t("agreement.figure")}{" "}
        <select
          value={metric}
          onChange={(e) => setMetric(e.currentTarget.value as PairMetric)}
          aria-label={t("agreement.pairFigure")}
        >
          {Object.entries(METRICS()).map(([key, name]) => (
            <option key={key} value={key}>
              {name}
            </option>
          ))}
        </select>
      </label>
      {data.annotators.length < 2 ? (
        <p class="muted">{t("agreement.pairsNeedTwo")}</p>
      ) : (
        <table class="figtable matrix" aria-label={t("agreement.pairwise")}>
          <thead>
            <tr>
              <th scope="col">
                <span class="sr-only">{t("agreement.annotator")}</span>
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
                      title={t("agreement.pairTitle", {
                        a,
                        b: data.annotators[j],
                        count: cell.documents,
                      })}
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

      <h2>{t("agreement.leastFirst")}</h2>
      <table class="figtable docs-agreement" aria-label={t("agreement.perDocument")}>
        <thead>
          <tr>
            <th scope="col">{t("agreement.document")}</th>
            <th scope="col">{t("agreement.annotatorsCol")}</th>
            <th scope="col">{t("review.spanF1Overlap")}</th>
            <th scope="col">{t("review.spanF1Exact")}</th>
            <th scope="col">{t("review.linkF1")}</th>
          </tr>
        </thead>
        <tbody>
          {data.per_document.slice(0, SHOWN_DOCUMENTS).map((d) => (
            <tr key={d.id}>
              <td>
                <a href={`/projects/${pk}/documents/${d.id}/review/`} onClick={onLinkClick}>
                  {d.title || t("table.untitled", { id: String(d.id) })}
                </a>
              </td>
              <td>{formatNumber(d.annotators.length)}</td>
              <Cell value={d.span_f1_overlap} />
              <Cell value={d.span_f1_exact} />
              <Cell value={d.relation_f1} />
            </tr>
          ))}
        </tbody>
      </table>
      {data.per_document.length === 0 && <p class="muted">{t("agreement.noneYet")}</p>}
      {data.per_document.length > SHOWN_DOCUMENTS && (
        <p class="muted">
          {t("agreement.showing", {
            n: formatNumber(SHOWN_DOCUMENTS),
            count: data.per_document.length,
          })}
        </p>
      )}
    </>
  );
}
