import { ApiError } from "../api/errors";
import { t } from "../i18n";
import { onLinkClick } from "./router";

type Kind = "offline" | "forbidden" | "notFound" | "server" | "failed";

function kindOf(error: unknown): Kind {
  if (!(error instanceof ApiError)) return "failed";
  if (error.status === 0) return "offline";
  if (error.status === 403) return "forbidden";
  if (error.status === 404) return "notFound";
  if (error.status >= 500) return "server";
  return "failed";
}

/**
 * A page that could not be shown: what went wrong in words (no connection, not allowed,
 * not found, the server's fault), what to do next, and a way back. The server's own
 * sentence follows as the detail.
 */
export function Problem({
  error,
  back,
}: {
  error: unknown;
  back?: { href: string; label: string };
}) {
  const kind = kindOf(error);
  const titles: Record<Kind, string> = {
    offline: t("problem.offlineTitle"),
    forbidden: t("problem.forbiddenTitle"),
    notFound: t("problem.notFoundTitle"),
    server: t("problem.serverTitle"),
    failed: t("problem.failedTitle"),
  };
  const advice: Record<Kind, string> = {
    offline: t("problem.offlineText"),
    forbidden: t("problem.forbiddenText"),
    notFound: t("problem.notFoundText"),
    server: t("problem.serverText"),
    failed: t("problem.failedText"),
  };
  const detail = error instanceof Error ? error.message : error ? String(error) : "";
  return (
    <section class="problem" role="alert" aria-labelledby="problem-title" data-problem={kind}>
      <h2 id="problem-title">{titles[kind]}</h2>
      <p>{advice[kind]}</p>
      {detail && <p class="muted">{detail}</p>}
      <p class="row">
        {(kind === "offline" || kind === "server") && (
          <button type="button" onClick={() => location.reload()}>
            {t("problem.retry")}
          </button>
        )}
        {back && (
          <a href={back.href} onClick={onLinkClick}>
            {back.label}
          </a>
        )}
        <a href="/" onClick={onLinkClick}>
          {t("problem.toProjects")}
        </a>
      </p>
    </section>
  );
}

/** The app's page for an address it does not know. */
export function NotFoundPage() {
  return (
    <main class="page">
      <h1>{t("problem.notFoundTitle")}</h1>
      <p>{t("problem.noSuchPage")}</p>
      <p>
        <a href="/" onClick={onLinkClick}>
          {t("problem.toProjects")}
        </a>
      </p>
    </main>
  );
}
