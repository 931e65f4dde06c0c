import { cookies } from "next/headers";
import { getRequestConfig } from "next-intl/server";
import { MESSAGES } from "@/messages";
import { DEFAULT_LOCALE, isLocale, LOCALE_COOKIE } from "./locales";

/**
 * The language of a request: the one chosen on this browser, else French. Pages outside the
 * residents' and landlords' areas are English and ask for it explicitly (getTranslations({ locale })).
 */
export default getRequestConfig(async ({ locale: asked }) => {
  const chosen = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(asked) ? asked : isLocale(chosen) ? chosen : DEFAULT_LOCALE;
  // The demo's sites are all in France; a page about a site in another zone passes its own.
  return { locale, messages: MESSAGES[locale], timeZone: "Europe/Paris" };
});
