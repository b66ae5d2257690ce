import { useState } from "preact/hooks";
import { type TrashItem, trashApi } from "../api/trash";
import { formatDate, t } from "../i18n";
import { lostWork } from "./ConfirmDelete";
import { navigate, onLinkClick } from "./router";
import { useAsync } from "./useAsync";
import "../workflow/dashboard.css";

function kindName(kind: TrashItem["kind"]): string {
  if (kind === "project") return t("trash.kindProject");
  if (kind === "document") return t("trash.kindDocument");
  return t("trash.kindMember");
}

/** What confirmed deletes took that you may bring back: projects you administered,
 * documents and members of projects you administer. */
export function TrashPage() {
  const [version, setVersion] = useState(0);
  const items = useAsync(() => trashApi.items(), [version]);
  const [message, setMessage] = useState("");
  const [error, setError] = useState("");
  const restore = async (item: TrashItem) => {
    setError("");
    try {
      const restored = await trashApi.restore(item.id);
      setVersion((v) => v + 1);
      if (restored.kind === "project") navigate(`/projects/${restored.project}/`);
      else setMessage(t("trash.restored", { name: item.name }));
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    }
  };
  return (
    <main class="page">
      <p>
        <a href="/" onClick={onLinkClick}>
          ← {t("projects.title")}
        </a>
      </p>
      <h1>{t("trash.title")}</h1>
      <p class="muted">{t("trash.explain")}</p>
      {items.loading && !items.data && <p>{t("common.loading")}</p>}
      {items.error && <p role="alert">{items.error}</p>}
      {error && <p role="alert">{error}</p>}
      <p aria-live="polite">{message}</p>
      {items.data && items.data.length === 0 && <p>{t("trash.empty")}</p>}
      {items.data && items.data.length > 0 && (
        // Focusable so a keyboard can scroll it on a narrow screen.
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable region must be reachable
        <section class="table-scroll" tabIndex={0} aria-label={t("trash.title")}>
          <table class="docs">
            <thead>
              <tr>
                <th scope="col">{t("trash.what")}</th>
                <th scope="col">{t("trash.held")}</th>
                <th scope="col">{t("trash.deleted")}</th>
                <th scope="col">{t("trash.until")}</th>
                <th scope="col">
                  <span class="sr-only">{t("trash.restore")}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {items.data.map((item) => (
                <tr key={item.id} data-trash={item.id}>
                  <td>
                    {kindName(item.kind)}: {item.name}
                  </td>
                  <td>{lostWork(item.counts as Record<string, number>)}</td>
                  <td>
                    {formatDate(item.deleted_at)}
                    {item.deleted_by ? ` · ${item.deleted_by}` : ""}
                  </td>
                  <td>{formatDate(item.purge_after)}</td>
                  <td>
                    <button
                      type="button"
                      aria-label={t("trash.restoreWhat", { name: item.name })}
                      onClick={() => restore(item)}
                    >
                      {t("trash.restore")}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
