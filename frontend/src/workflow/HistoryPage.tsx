import { useEffect, useState } from "preact/hooks";
import { api } from "../api/endpoints";
import { errorMessage } from "../api/errors";
import { type HistoryEvent, historyApi } from "../api/history";
import { formatDate, t } from "../i18n";
import { onLinkClick } from "../ui/router";
import { useAsync } from "../ui/useAsync";
import { describeChanges, textReader } from "./historyDiff";
import "./workflow.css";
import "./settings.css";

type Subject = { docId: number } | { username: string };

/** Who changed what, when: one document's history, or one person's work in the project. */
export function HistoryPage({ pk, subject }: { pk: number; subject: Subject }) {
  const project = useAsync(() => api.project(pk), [pk]);
  // Attribute, group and value names in the reader's language (none until loaded: raw names).
  const labels = useAsync(() => api.labels(pk), [pk]);
  const docId = "docId" in subject ? subject.docId : null;
  const username = "username" in subject ? subject.username : null;
  const document = useAsync(
    () => (docId ? api.document(pk, docId) : Promise.resolve(null)),
    [pk, docId],
  );
  const [events, setEvents] = useState<HistoryEvent[]>([]);
  const [next, setNext] = useState<number | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [error, setError] = useState("");
  const [texts, setTexts] = useState<Map<number, (s: number, e: number) => string>>(new Map());

  async function load(page: number): Promise<void> {
    try {
      const answer = docId
        ? await historyApi.ofDocument(pk, docId, page)
        : await historyApi.ofPerson(pk, username ?? "", page);
      setEvents((list) => (page === 1 ? answer.results : [...list, ...answer.results]));
      setCount(answer.count);
      setNext(answer.next ? page + 1 : null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  useEffect(() => {
    setEvents([]);
    void load(1);
  }, [pk, docId, username]);

  // A person's history spans documents: read each one's text once, to quote the spans.
  useEffect(() => {
    const missing = [
      ...new Set(events.map((e) => e.document?.id).filter((id) => id !== undefined)),
    ].filter((id) => !texts.has(id as number)) as number[];
    if (!missing.length) return;
    Promise.all(
      missing.map((id) => api.document(pk, id).then((d) => [id, textReader(d.text)] as const)),
    ).then(
      (read) => setTexts((m) => new Map([...m, ...read])),
      () => {},
    );
  }, [events]);

  const documentText = document.data ? textReader(document.data.text) : null;
  const textFor = (event: HistoryEvent) =>
    documentText ?? (event.document ? texts.get(event.document.id) : undefined) ?? (() => "");
  const heading = docId
    ? t("history.ofDocument", {
        title: document.data?.title || t("history.document", { id: String(docId) }),
      })
    : t("history.ofPerson", { name: username ?? "" });
  return (
    <main class="page history-page">
      <p>
        <a href={`/projects/${pk}/`} onClick={onLinkClick}>
          ← {project.data?.name ?? t("history.project")}
        </a>
      </p>
      <h1>{heading}</h1>
      {count !== null && <p class="muted">{t("history.count", { count })}</p>}
      {error && <p role="alert">{error}</p>}
      {count === null && !error && <p>{t("common.loading")}</p>}
      {count === 0 && <p>{t("history.empty")}</p>}
      <ol class="history" aria-label={t("history.events")}>
        {events.map((event) => (
          <li key={event.id} class="history-event">
            <p class="history-head">
              <time dateTime={event.created_at}>{formatDate(event.created_at)}</time>{" "}
              <strong>{event.actor ?? t("history.someone")}</strong>{" "}
              {event.is_gold
                ? t("history.onGold", { version: event.version })
                : t("history.onAnnotation", {
                    name: event.annotator ?? "",
                    version: event.version,
                  })}
              {event.document && (
                <>
                  {" · "}
                  <a
                    href={`/projects/${pk}/documents/${event.document.id}/history/`}
                    onClick={onLinkClick}
                  >
                    {event.document.title || event.document.external_id}
                  </a>
                </>
              )}
            </p>
            <ul class="diff">
              {describeChanges(event.action, event.changes, textFor(event), labels.data ?? []).map(
                (line, i) => (
                  <li key={i} class={`diff-${line.kind}`}>
                    <span class="diff-mark" aria-hidden="true">
                      {line.kind === "added"
                        ? "+"
                        : line.kind === "removed"
                          ? "−"
                          : line.kind === "changed"
                            ? "~"
                            : "·"}
                    </span>
                    <span class="sr-only">
                      {line.kind === "added" && t("history.added")}
                      {line.kind === "removed" && t("history.removed")}
                      {line.kind === "changed" && t("history.changed")}
                    </span>{" "}
                    {line.text}
                  </li>
                ),
              )}
            </ul>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" onClick={() => load(next)}>
          {t("history.more")}
        </button>
      )}
    </main>
  );
}
