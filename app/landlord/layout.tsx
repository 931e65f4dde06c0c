import { getLocale, getTranslations } from "next-intl/server";
import { NextIntlClientProvider } from "next-intl";
import { AppShell } from "@/components/layout/app-shell";
import { requireRole } from "@/server/auth/session";

export default async function Layout({ children }: { children: React.ReactNode }) {
  const user = await requireRole("landlord", "/landlord");
  const [locale, t] = await Promise.all([getLocale(), getTranslations("landlord")]);
  return (
    <AppShell locale={locale} audience={t("audience")} homeHref="/landlord" userName={user.name} organizationName={user.organizationName}>
      <NextIntlClientProvider>{children}</NextIntlClientProvider>
    </AppShell>
  );
}
