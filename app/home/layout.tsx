import { AppShell } from "@/components/layout/app-shell";
import { requireRole } from "@/server/auth/session";

export default async function Layout({ children }: { children: React.ReactNode }) {
  const user = await requireRole("resident", "/home");
  return (
    <AppShell audience="My home" homeHref="/home" userName={user.name} >
      {children}
    </AppShell>
  );
}
