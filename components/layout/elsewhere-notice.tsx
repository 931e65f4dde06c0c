import { getTranslations } from "next-intl/server";
import { elsewhereRole } from "@/server/auth/paths";
import type { Locale } from "@/server/i18n/locales";

/** On a landing page: why it is shown instead of the other audience's page that was asked for. */
export async function ElsewhereNotice({ param, locale = "en" }: { param: string | string[] | undefined; locale?: Locale }) {
  const role = elsewhereRole(param);
  if (!role) return null;
  const t = await getTranslations({ locale, namespace: "common.elsewhere" });
  return (
    <p role="status" data-testid="elsewhere-notice" className="mb-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-900">
      {t(role)}
    </p>
  );
}
