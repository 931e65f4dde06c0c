import { ComputeNav } from "@/components/compute/compute-nav";
import { RememberViewerZone } from "@/components/compute/remember-viewer-zone";
import { AppShell } from "@/components/layout/app-shell";
import { TRPCReactProvider } from "@/components/providers/trpc-provider";
import { serverApi } from "@/server/api/request-context";
import { requireRole } from "@/server/auth/session";

export default async function Layout({ children }: { children: React.ReactNode }) {
  const user = await requireRole("customer", "/compute");
  const api = await serverApi("customer", "/compute");
  const { unread } = await api.compute.notifications({ unreadOnly: true, limit: 1 });
  return (
    <TRPCReactProvider user={user.id}>
      <AppShell audience="Compute" homeHref="/compute" userName={user.name} organizationName={user.organizationName}>
        <RememberViewerZone />
        <ComputeNav unread={unread} />
        {children}
      </AppShell>
    </TRPCReactProvider>
  );
}
