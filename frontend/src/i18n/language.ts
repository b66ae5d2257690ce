/**
 * Which interface language the page speaks. The server decides (the user's saved choice,
 * else the browser's Accept-Language, annotations/language.py) and writes it on
 * `<html lang>`; the browser only reads it, so server-rendered pages, API error messages
 * and the app always agree.
 */

export const LANGUAGES = ["en", "id"] as const;
export type Language = (typeof LANGUAGES)[number];

/** Each language's name in itself: what a switcher shows. */
export const LANGUAGE_NAMES: Record<Language, string> = {
  en: "English",
  id: "Bahasa Indonesia",
};

/** `id-ID` → `id`; anything we do not speak → undefined. */
export function supported(tag: string | null | undefined): Language | undefined {
  const base = (tag ?? "").toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(base) ? (base as Language) : undefined;
}

/** The page's language: `<html lang>`, else the browser's first one we speak, else English. */
export function pageLanguage(doc: Document = document, nav: Navigator = navigator): Language {
  const fromPage = supported(doc.documentElement.lang);
  if (fromPage) return fromPage;
  for (const tag of nav.languages ?? [nav.language]) {
    const found = supported(tag);
    if (found) return found;
  }
  return "en";
}

/**
 * The locale numbers and dates are formatted in: the browser's own tag when it is a variant
 * of the interface language (`en-GB` keeps day-month order), else the language itself.
 */
export function formattingLocale(language: Language, nav: Navigator = navigator): string {
  const own = (nav.languages ?? [nav.language]).find((tag) => supported(tag) === language);
  return own ?? language;
}
