import { api } from "../api/endpoints";
import { type Match, type SourceQuality, suggestionAdminApi } from "../api/suggestionAdmin";
import { formatNumber, formatPercent, t } from "../i18n";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import "./workflow.css";

/** A share, or "—" when there was nothing to divide by. */
function share(value: number | null): string {
  return value === null ? "—" : formatPercent(value, 1);
}

function Figures({ match }: { match: Match }) {
  return (
    <>
      <td>{share(match.precision)}</td>
      <td>{share(match.recall)}</td>
      <td>{share(match.f1)}</td>
      <td>
        {t("suggestionQuality.counts", {
          correct: formatNumber(match.correct),
          suggested: formatNumber(match.suggested),
          gold: formatNumber(match.gold),
        })}
      </td>
    </>
  );
}

/** Reviewers and admins: per suggester, precision and recall against gold and how many of
 * its suggestions annotators kept, so an admin can see whether suggestions help. */
export function SuggestionQualityPage({ pk }: { pk: number }) {
  const project = useAsync(() => api.project(pk), [pk]);
  const quality = useAsync(() => suggestionAdminApi.quality(pk), [pk]);
  return (
    <main class="page wide">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("suggestionQuality.project")}
        </a>
      </p>
      <h1>{t("suggestionQuality.title")}</h1>
      <p class="muted">{t("suggestionQuality.about")}</p>
      {quality.error && <p role="alert">{quality.error}</p>}
      {quality.loading && !quality.data && <p>{t("common.loading")}</p>}
      {quality.data && quality.data.sources.length === 0 && <p>{t("suggestionQuality.none")}</p>}
      {quality.data && quality.data.sources.length > 0 && <Tables sources={quality.data.sources} />}
    </main>
  );
}

function Tables({ sources }: { sources: SourceQuality[] }) {
  return (
    <>
      <table class="figtable" aria-label={t("suggestionQuality.title")}>
        <thead>
          <tr>
            <th scope="col">{t("suggestionQuality.source")}</th>
            <th scope="col">{t("suggestionQuality.precision")}</th>
            <th scope="col">{t("suggestionQuality.recall")}</th>
            <th scope="col">F1</th>
            <th scope="col">{t("suggestionQuality.matched")}</th>
            <th scope="col">{t("suggestionQuality.acceptance")}</th>
            <th scope="col">{t("suggestionQuality.documents")}</th>
          </tr>
        </thead>
        <tbody>
          {sources.map((q) => (
            <tr key={q.source}>
              <th scope="row" title={q.title}>
                {q.source}
              </th>
              <Figures match={q.spans} />
              <td>
                {share(q.acceptance.rate)}{" "}
                <span class="muted">
                  {t("suggestionQuality.accepted", {
                    accepted: formatNumber(q.acceptance.accepted),
                    shown: formatNumber(q.acceptance.shown),
                    edited: formatNumber(q.acceptance.edited),
                  })}
                </span>
              </td>
              <td>
                {t("suggestionQuality.compared", {
                  compared: formatNumber(q.compared),
                  documents: formatNumber(q.documents),
                })}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>{t("suggestionQuality.perLabel")}</h2>
      <table class="figtable" aria-label={t("suggestionQuality.perLabel")}>
        <thead>
          <tr>
            <th scope="col">{t("suggestionQuality.source")}</th>
            <th scope="col">{t("suggestionQuality.label")}</th>
            <th scope="col">{t("suggestionQuality.precision")}</th>
            <th scope="col">{t("suggestionQuality.recall")}</th>
            <th scope="col">F1</th>
            <th scope="col">{t("suggestionQuality.matched")}</th>
          </tr>
        </thead>
        <tbody>
          {sources.flatMap((q) => [
            ...q.span_labels.map((m) => (
              <tr key={`${q.source}/span/${m.label}`}>
                <th scope="row">{q.source}</th>
                <td>{m.label}</td>
                <Figures match={m} />
              </tr>
            )),
            ...q.link_labels.map((m) => (
              <tr key={`${q.source}/link/${m.label}`}>
                <th scope="row">{q.source}</th>
                <td>{t("suggestionQuality.link", { label: m.label })}</td>
                <Figures match={m} />
              </tr>
            )),
          ])}
        </tbody>
      </table>
    </>
  );
}
