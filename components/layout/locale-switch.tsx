import { getLocale, getTranslations } from "next-intl/server";
import { setLocaleAction } from "@/server/actions/locale";
import { LOCALE_NAMES, LOCALES } from "@/server/i18n/locales";
import { cn } from "@/components/ui/cn";

/** The language switch: a form, so it works before any script has loaded. */
export async function LocaleSwitch() {
  const [locale, t] = await Promise.all([getLocale(), getTranslations("common")]);
  return (
    <form action={setLocaleAction} aria-label={t("language")} className="flex overflow-hidden rounded-md border border-stone-300 text-sm">
      {LOCALES.map((l) => (
        <button
          key={l}
          type="submit"
          name="locale"
          value={l}
          lang={l}
          aria-pressed={l === locale}
          className={cn(
            "min-h-9 px-2.5 font-medium uppercase",
            l === locale ? "bg-brand-700 text-white" : "bg-white text-stone-800 hover:bg-stone-100",
          )}
        >
          {l}
          <span className="sr-only"> {LOCALE_NAMES[l]}</span>
        </button>
      ))}
    </form>
  );
}
