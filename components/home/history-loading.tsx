import { getTranslations } from "next-intl/server";

/** A year of history takes a moment: say so, in the shape of the view to come. */
export async function HistoryLoading() {
  const t = await getTranslations("history");
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <p className="text-stone-700">{t("loading")}</p>
      <div aria-hidden="true" className="h-24 animate-pulse rounded-md bg-stone-200" />
      <div aria-hidden="true" className="h-72 animate-pulse rounded-lg bg-stone-200" />
      <div aria-hidden="true" className="h-48 animate-pulse rounded-lg bg-stone-200" />
    </div>
  );
}
