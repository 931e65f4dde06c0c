import Link from "next/link";
import type { ReactNode } from "react";
import { signOutAction } from "@/server/auth/actions";
import { getTranslations } from "next-intl/server";
import { buttonClasses } from "@/components/ui/button";
import type { Locale } from "@/server/i18n/locales";
import { LocaleSwitch } from "./locale-switch";

/**
 * The frame of every signed-in page: brand, audience, who is signed in, sign-out. With a
 * `locale` (residents' and landlords' pages) it speaks that language and offers the switch;
 * without, it is English.
 */
export async function AppShell({
  locale,
  audience,
  homeHref,
  userName,
  organizationName,
  nav = [],
  children,
}: {
  locale?: Locale;
  audience: string;
  homeHref: string;
  userName: string;
  organizationName?: string;
  /** The audience's sections, shown next to the brand. */
  nav?: ReadonlyArray<{ href: string; label: string }>;
  children: ReactNode;
}) {
  const t = await getTranslations({ locale: locale ?? "en", namespace: "common" });
  return (
    <div className="flex min-h-dvh flex-col" lang={locale ?? "en"}>
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:bg-white focus:p-2">
        {t("skipToContent")}
      </a>
      <header className="border-b border-stone-200 bg-white">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center justify-between gap-2 px-4 py-3">
          <div className="flex flex-wrap items-baseline gap-x-3 gap-y-1">
            <Link href={homeHref} className="text-lg font-bold text-brand-700">
              Hearth
            </Link>
            <span className="text-sm text-stone-600">{audience}</span>
            {nav.length > 0 && (
              <nav aria-label={audience} className="flex gap-3 text-sm">
                {nav.map((item) => (
                  <Link key={item.href} href={item.href} className="text-stone-800 underline-offset-4 hover:underline">
                    {item.label}
                  </Link>
                ))}
              </nav>
            )}
          </div>
          <div className="flex items-center gap-3 text-sm">
            {locale && <LocaleSwitch />}
            <span className="text-stone-700">
              <span className="font-medium">{userName}</span>
              {organizationName && <span className="hidden sm:inline"> · {organizationName}</span>}
            </span>
            <form action={signOutAction}>
              <button type="submit" className={buttonClasses("secondary", "sm")}>
                {t("signOut")}
              </button>
            </form>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto w-full max-w-6xl flex-1 px-4 py-6">
        {children}
      </main>
    </div>
  );
}

/** A page's heading; `back` links to the list the page belongs to. */
export function PageTitle({
  title,
  subtitle,
  back,
}: {
  title: string;
  subtitle?: ReactNode;
  back?: { href: string; label: string };
}) {
  return (
    <div className="mb-6">
      {back && (
        <p className="mb-2 text-sm">
          <Link href={back.href} className="text-brand-700 underline">
            ← {back.label}
          </Link>
        </p>
      )}
      <h1 className="text-2xl font-semibold text-stone-900">{title}</h1>
      {subtitle && <p className="mt-1 text-stone-600">{subtitle}</p>}
    </div>
  );
}
