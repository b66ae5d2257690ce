import type { Project } from "../api/types";
import { t } from "../i18n";
import { onLinkClick } from "./router";

/** A project without documents: what to do first, for whoever is looking. */
export function EmptyProject({ pk, role }: { pk: number; role: Project["my_role"] | undefined }) {
  return (
    <section class="empty-state" aria-labelledby="empty-title">
      <h2 id="empty-title">{t("empty.title")}</h2>
      {role === "admin" ? (
        <>
          <p>{t("empty.adminText")}</p>
          <p>
            <a href={`/projects/${pk}/settings/`} onClick={onLinkClick}>
              {t("empty.adminAction")}
            </a>
          </p>
        </>
      ) : (
        <p>{t("empty.memberText")}</p>
      )}
    </section>
  );
}
