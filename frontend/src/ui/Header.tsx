import { csrfToken } from "../api/client";
import type { Me } from "../api/types";
import { t } from "../i18n";
import { LanguageSwitcher } from "./LanguageSwitcher";
import { NoticesMenu } from "./NoticesMenu";
import { onLinkClick } from "./router";

export function Header({ me }: { me: Me | null }) {
  return (
    <header class="topbar">
      <a class="brand" href="/" onClick={onLinkClick}>
        {t("header.brand")}
      </a>
      <span class="spacer" />
      {me && <NoticesMenu />}
      {me && (
        <a class="who" href="/account/" onClick={onLinkClick}>
          {me.username}
          <span class="sr-only"> · {t("header.account")}</span>
        </a>
      )}
      <LanguageSwitcher />
      <form method="post" action="/logout/" class="logout">
        <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
        <button type="submit" class="link-button">
          {t("header.logOut")}
        </button>
      </form>
    </header>
  );
}
