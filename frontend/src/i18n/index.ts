/**
 * The browser's translations: i18next with our JSON catalogs (`locales/{en,id}.json`),
 * plural rules from `Intl.PluralRules` (Indonesian has one form, English two: keys end in
 * `_one` / `_other`), numbers and dates from `Intl`. Every key used in the source exists in
 * every catalog (i18n/catalogs.test.ts) and every visible string goes through `t`.
 */

import i18next, { type TOptions } from "i18next";
import { formattingLocale, type Language, pageLanguage } from "./language";
import en from "./locales/en.json";
import id from "./locales/id.json";

export { LANGUAGE_NAMES, LANGUAGES, type Language } from "./language";

export const catalogs = { en, id } as const;

const i18n = i18next.createInstance();
let current: Language = "en";
let locale = "en";

// Numbers filled into a text are formatted for the locale (`{{count}}` → `1.234`); pass an
// identifier as a string to keep it as it is.
i18n.use({
  type: "formatter",
  init() {},
  add() {},
  addCached() {},
  format: (value: unknown) => (typeof value === "number" ? formatNumber(value) : value),
});
void i18n.init({
  lng: "en",
  fallbackLng: "en",
  resources: { en: { translation: en }, id: { translation: id } },
  initAsync: false,
  // Preact escapes text; escaping here too would show &amp; on screen.
  interpolation: { escapeValue: false, alwaysFormat: true },
  returnNull: false,
} as Parameters<typeof i18n.init>[0]);

/** Speak `language` from now on (at start-up: the page's language). */
export function setLanguage(language: Language = pageLanguage()): void {
  current = language;
  locale = formattingLocale(language);
  formatters.clear();
  texts.clear();
  void i18n.changeLanguage(language);
}

/** The interface language in use. */
export function language(): Language {
  return current;
}

/**
 * The text for `key` in the interface language, with `{{name}}` filled from `values`;
 * `count` picks the plural form (and fills `{{count}}` as a formatted number).
 */
export function t(key: string, values?: Record<string, unknown> & { count?: number }): string {
  // i18next resolves and interpolates on every call (a few hundred per editor frame): the
  // texts are kept per language, keyed by the key and its plain values.
  const memo = memoKey(key, values);
  let text = memo === null ? undefined : texts.get(memo);
  if (text === undefined) {
    text = i18n.t(key, values as TOptions) as string;
    if (memo !== null) {
      if (texts.size >= MAX_TEXTS) texts.clear();
      texts.set(memo, text);
    }
  }
  return text;
}

const texts = new Map<string, string>();
const MAX_TEXTS = 5000;

/** The cache key of a call, or null when a value is not a string, number or boolean. */
function memoKey(key: string, values?: Record<string, unknown>): string | null {
  if (!values) return key;
  let memo = key;
  for (const name in values) {
    const v = values[name];
    const kind = typeof v;
    if (kind !== "string" && kind !== "number" && kind !== "boolean") return null;
    memo += `\u0000${name}\u0001${kind[0]}${v}`;
  }
  return memo;
}

const formatters = new Map<string, Intl.NumberFormat | Intl.DateTimeFormat>();

function cached<F extends Intl.NumberFormat | Intl.DateTimeFormat>(
  kind: string,
  options: object,
  make: () => F,
): F {
  const key = `${kind}:${JSON.stringify(options)}`;
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = make();
    formatters.set(key, formatter);
  }
  return formatter as F;
}

/** `1234.5` → `1,234.5` in English, `1.234,5` in Indonesian. */
export function formatNumber(value: number, options: Intl.NumberFormatOptions = {}): string {
  return cached("n", options, () => new Intl.NumberFormat(locale, options)).format(value);
}

/** A share (0.82) as a percentage (`82%`, Indonesian `82%`). */
export function formatPercent(share: number, fractionDigits = 0): string {
  return formatNumber(share, {
    style: "percent",
    minimumFractionDigits: fractionDigits,
    maximumFractionDigits: fractionDigits,
  });
}

/** A date and time (ISO string or Date): `Dec 1, 2026, 10:35` / `1 Des 2026, 10.35`. */
export function formatDate(
  value: string | number | Date,
  options: Intl.DateTimeFormatOptions = { dateStyle: "medium", timeStyle: "short" },
): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return String(value);
  return cached("d", options, () => new Intl.DateTimeFormat(locale, options)).format(date);
}

setLanguage();
