import type { Metadata } from "next";
import Link from "next/link";
import { AutoRefresh } from "@/components/compute/auto-refresh";
import { notificationHref } from "@/components/compute/notifications";
import { isActiveTaskState, TASK_STATE_LABELS } from "@/components/compute/format";
import { TaskTable } from "@/components/compute/task-table";
import { TASK_STATES } from "@/components/compute/types";
import { PageTitle } from "@/components/layout/app-shell";
import { ElsewhereNotice } from "@/components/layout/elsewhere-notice";
import { buttonClasses } from "@/components/ui/button";
import { Card, CardContent, CardHeader } from "@/components/ui/card";
import { formatDateTime, formatInteger } from "@/components/format";
import { serverApi, viewerZone } from "@/server/api/request-context";
import { requireRole } from "@/server/auth/session";

export const metadata: Metadata = { title: "Compute" };

export default async function ComputeOverviewPage({ searchParams }: { searchParams: Promise<{ elsewhere?: string | string[] }> }) {
  const user = await requireRole("customer", "/compute");
  const api = await serverApi("customer", "/compute");
  const timeZone = await viewerZone();
  const [counts, recent, notifications] = await Promise.all([
    api.compute.taskCounts(),
    api.compute.tasks({ page: 1, pageSize: 8 }),
    api.compute.notifications({ limit: 5 }),
  ]);
  const activeStates = TASK_STATES.filter(isActiveTaskState);
  const active = activeStates.reduce((n, s) => n + counts[s], 0);
  const headline: Array<{ label: string; value: number; href: string }> = [
    { label: "Active tasks", value: active, href: "/compute/tasks" },
    { label: "Succeeded", value: counts.Success, href: "/compute/tasks?state=Success" },
    { label: "Failed", value: counts.Failure, href: "/compute/tasks?state=Failure" },
    { label: "Cancelled", value: counts.Cancelled, href: "/compute/tasks?state=Cancelled" },
  ];
  const { elsewhere } = await searchParams;
  return (
    <>
      <ElsewhereNotice param={elsewhere} />
      <PageTitle title={user.organizationName} subtitle="Your batch work on radiators that heat homes." />
      <div className="mb-6 flex flex-wrap items-center justify-between gap-3">
        <Link href="/compute/tasks/new" className={buttonClasses("primary")}>
          Submit a task
        </Link>
        <AutoRefresh active={active > 0} intervalMs={5000} timeZone={timeZone} />
      </div>
      <dl className="mb-6 grid grid-cols-2 gap-4 lg:grid-cols-4">
        {headline.map((h) => (
          <div key={h.label} className="rounded-lg border border-stone-200 bg-white p-4 shadow-sm">
            <dt className="text-sm text-stone-600">{h.label}</dt>
            <dd className="mt-1 text-2xl font-semibold tabular-nums">
              <Link href={h.href} className="text-stone-900 underline-offset-4 hover:underline">
                {formatInteger(h.value)}
              </Link>
            </dd>
          </div>
        ))}
      </dl>
      {active > 0 && (
        <p className="mb-6 text-sm text-stone-700">
          Active by state:{" "}
          {activeStates
            .filter((s) => counts[s] > 0)
            .map((s, i) => (
              <span key={s}>
                {i > 0 && " · "}
                <Link href={`/compute/tasks?state=${s}`} className="text-brand-700 underline">
                  {TASK_STATE_LABELS[s]}: {formatInteger(counts[s])}
                </Link>
              </span>
            ))}
        </p>
      )}
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-3">
        <Card className="lg:col-span-2">
          <CardHeader
            title="Recent tasks"
            actions={
              <Link href="/compute/tasks" className={buttonClasses("secondary", "sm")}>
                All tasks
              </Link>
            }
          />
          <TaskTable tasks={recent.tasks} caption="Recent tasks" compact timeZone={timeZone} />
        </Card>
        <Card>
          <CardHeader
            title="Notifications"
            description={notifications.unread > 0 ? `${notifications.unread} unread` : "Nothing unread"}
            actions={
              <Link href="/compute/notifications" className={buttonClasses("secondary", "sm")}>
                All
              </Link>
            }
          />
          <CardContent>
            {notifications.items.length === 0 ? (
              <p className="text-sm text-stone-600">You will be told here when a task ends or fails, and when a month&apos;s charges reach your budget.</p>
            ) : (
              <ul className="flex flex-col gap-3">
                {notifications.items.slice(0, 5).map((n) => {
                  const href = notificationHref(n);
                  return (
                    <li key={n.id} className="text-sm">
                      {href ? (
                        <Link href={href} className={n.readAt ? "text-brand-700 underline" : "font-semibold text-brand-700 underline"}>
                          {n.title}
                        </Link>
                      ) : (
                        <span className={n.readAt ? undefined : "font-semibold"}>{n.title}</span>
                      )}
                      {!n.readAt && <span className="sr-only"> (unread)</span>}
                      <span className="block text-xs text-stone-600">{formatDateTime(n.createdAt, timeZone)}</span>
                    </li>
                  );
                })}
              </ul>
            )}
          </CardContent>
        </Card>
      </div>
    </>
  );
}
