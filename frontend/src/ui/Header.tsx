import { csrfToken } from "../api/client";
import type { Me } from "../api/types";
import { onLinkClick } from "./router";

export function Header({ me }: { me: Me | null }) {
  return (
    <header class="topbar">
      <a class="brand" href="/" onClick={onLinkClick}>
        News workbench
      </a>
      <span class="spacer" />
      {me && <span class="who">{me.username}</span>}
      <form method="post" action="/logout/" class="logout">
        <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
        <button type="submit" class="link-button">
          Log out
        </button>
      </form>
    </header>
  );
}
