/** The languages of the residents' and landlords' pages. Client-safe. */
export const LOCALES = ["fr", "en"] as const;
export type Locale = (typeof LOCALES)[number];

/** Residents mostly speak French: their pages start in French until they choose otherwise. */
export const DEFAULT_LOCALE: Locale = "fr";

/** The cookie that remembers the chosen language (a year), on this browser. */
export const LOCALE_COOKIE = "hearth-locale";
export const LOCALE_COOKIE_MAX_AGE_S = 365 * 24 * 3600;

/** Each language named in itself, as a switch offers it. */
export const LOCALE_NAMES: Readonly<Record<Locale, string>> = { fr: "Français", en: "English" };

export function isLocale(value: unknown): value is Locale {
  return typeof value === "string" && (LOCALES as readonly string[]).includes(value);
}
