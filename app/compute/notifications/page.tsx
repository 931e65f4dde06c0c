import type { Metadata } from "next";
import Link from "next/link";
import { PageTitle } from "@/components/layout/app-shell";
import { Badge } from "@/components/ui/badge";
import { buttonClasses } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { cn } from "@/components/ui/cn";
import { formatDateTime } from "@/components/format";
import { NOTIFICATION_KINDS, notificationHref } from "@/components/compute/notifications";
import { serverApi, viewerZone } from "@/server/api/request-context";
import { markNotificationsReadAction } from "@/server/actions/compute";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationsPage() {
  const api = await serverApi("customer", "/compute/notifications");
  const timeZone = await viewerZone();
  const { unread, items } = await api.compute.notifications({ limit: 200 });
  return (
    <>
      <PageTitle
        title="Notifications"
        subtitle={`${unread > 0 ? `${unread} unread` : "All read"} · a notice each time a task ends, and when a month's charges reach your budget, for everyone in your organization`}
      />
      {unread > 0 && (
        <form action={markNotificationsReadAction} className="mb-4">
          <button type="submit" className={buttonClasses("secondary")}>
            Mark all as read
          </button>
        </form>
      )}
      <Card>
        {items.length === 0 ? (
          <p className="p-4 text-sm text-stone-600">Nothing yet: you will be told here when a task succeeds, fails or is cancelled, and when a month&apos;s charges reach your budget.</p>
        ) : (
          <ul aria-label="Notifications" className="divide-y divide-stone-100">
            {items.map((n) => {
              const kind = NOTIFICATION_KINDS[n.kind] ?? { label: n.kind, tone: "neutral" as const };
              const href = notificationHref(n);
              return (
                <li key={n.id} className={cn("flex flex-wrap items-start justify-between gap-3 px-4 py-3", !n.readAt && "bg-brand-50")}>
                  <div className="min-w-0 flex-1">
                    <p className="flex flex-wrap items-center gap-2">
                      <Badge tone={kind.tone}>{kind.label}</Badge>
                      {href ? (
                        <Link href={href} className={cn("text-brand-700 underline", !n.readAt && "font-semibold")}>
                          {n.title}
                        </Link>
                      ) : (
                        <span className={cn(!n.readAt && "font-semibold")}>{n.title}</span>
                      )}
                      {!n.readAt && <span className="text-xs font-medium text-brand-800">unread</span>}
                    </p>
                    <p className="mt-1 text-sm text-stone-700">{n.body}</p>
                    <p className="mt-1 text-xs text-stone-600">{formatDateTime(n.createdAt, timeZone)}</p>
                  </div>
                  {!n.readAt && (
                    <form action={markNotificationsReadAction}>
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className={buttonClasses("ghost", "sm")}>
                        Mark as read<span className="sr-only">: {n.title}</span>
                      </button>
                    </form>
                  )}
                </li>
              );
            })}
          </ul>
        )}
      </Card>
      {items.length === 200 && <p className="mt-3 text-sm text-stone-600">The 200 newest are shown.</p>}
    </>
  );
}
