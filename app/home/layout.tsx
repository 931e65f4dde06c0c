import { getLocale, getTranslations } from "next-intl/server";
import { NextIntlClientProvider } from "next-intl";
import { AppShell } from "@/components/layout/app-shell";
import { TRPCReactProvider } from "@/components/providers/trpc-provider";
import { requireRole } from "@/server/auth/session";

export default async function Layout({ children }: { children: React.ReactNode }) {
  const user = await requireRole("resident", "/home");
  const [locale, t, refunds] = await Promise.all([getLocale(), getTranslations("home"), getTranslations("refunds")]);
  const nav = [
    { href: "/home", label: t("audience") },
    { href: "/home/refunds", label: refunds("nav") },
  ];
  return (
    <TRPCReactProvider user={user.id}>
      <AppShell locale={locale} audience={t("audience")} homeHref="/home" userName={user.name} nav={nav}>
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </AppShell>
    </TRPCReactProvider>
  );
}
