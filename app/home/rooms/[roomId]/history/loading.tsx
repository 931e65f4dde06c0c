import { getTranslations } from "next-intl/server";

/** A year of history takes a moment: say so, in the shape of the page to come. */
export default async function Loading() {
  const t = await getTranslations("history");
  return (
    <div role="status" aria-live="polite" className="flex flex-col gap-4">
      <p className="text-stone-700">{t("loading")}</p>
      <div aria-hidden="true" className="h-11 animate-pulse rounded-md bg-stone-200" />
      <div aria-hidden="true" className="h-72 animate-pulse rounded-lg bg-stone-200" />
      <div aria-hidden="true" className="h-48 animate-pulse rounded-lg bg-stone-200" />
    </div>
  );
}
