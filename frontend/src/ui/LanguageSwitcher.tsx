import { csrfToken } from "../api/client";
import { LANGUAGE_NAMES, LANGUAGES, language, t } from "../i18n";

/**
 * The header's language switch: the same form as the server-rendered pages' (POST
 * /language/), so the choice is saved on the user's preferences, the page comes back in the
 * new language and leaving unsaved work still asks first.
 */
export function LanguageSwitcher() {
  const current = language();
  const comeBack = (e: Event) => {
    const next = (e.currentTarget as HTMLFormElement).elements.namedItem("next");
    if (next instanceof HTMLInputElement) next.value = location.pathname + location.search;
  };
  return (
    <form method="post" action="/language/" class="languages" onSubmit={comeBack}>
      <input type="hidden" name="csrfmiddlewaretoken" value={csrfToken()} />
      <input type="hidden" name="next" value="/" />
      <span class="languages-label">{t("header.language")}:</span>
      {LANGUAGES.map((code) => (
        <button
          key={code}
          type="submit"
          name="language"
          value={code}
          lang={code}
          title={LANGUAGE_NAMES[code]}
          aria-pressed={code === current}
        >
          {code.toUpperCase()}
          <span class="sr-only"> · {LANGUAGE_NAMES[code]}</span>
        </button>
      ))}
    </form>
  );
}
