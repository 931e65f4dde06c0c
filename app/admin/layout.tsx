import { AppShell } from "@/components/layout/app-shell";
import { requireRole } from "@/server/auth/session";

const NAV = [
  { href: "/admin", label: "Fleet" },
  { href: "/admin/gateways", label: "Gateways" },
  { href: "/admin/refunds", label: "Refunds" },
  { href: "/admin/tariffs", label: "Tariffs" },
  { href: "/admin/carbon", label: "Carbon" },
  { href: "/admin/billing", label: "Billing" },
];

export default async function Layout({ children }: { children: React.ReactNode }) {
  const user = await requireRole("staff", "/admin");
  return (
    <AppShell audience="Operator console" homeHref="/admin" userName={user.name} organizationName={user.organizationName} nav={NAV}>
      {children}
    </AppShell>
  );
}
