import { sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { DEFAULT_QUOTA } from "@/server/domain/task-limits";
import { isUuid } from "@/server/domain/text";

/**
 * Small read-only lookups the REST layer needs and the services do not offer: Qarnot lets a path
 * name a task or job by uuid or by shortname, and the SDK's /info wants account counts. Every
 * query is bounded by the caller's organization.
 */

/** The uuid of the organization's task named `ref` (a uuid or a shortname), or null: another's task is not found. */
export async function resolveTaskRef(db: Db, organizationId: string, ref: string): Promise<string | null> {
  const match = isUuid(ref) ? sql`id = ${ref.toLowerCase()}` : sql`shortname = ${ref}`;
  const [row] = await db.execute<{ id: string }>(sql`select id from tasks where organization_id = ${organizationId} and ${match}`);
  return row?.id ?? null;
}

export async function resolveJobRef(db: Db, organizationId: string, ref: string): Promise<string | null> {
  const match = isUuid(ref) ? sql`id = ${ref.toLowerCase()}` : sql`shortname = ${ref}`;
  const [row] = await db.execute<{ id: string }>(sql`select id from jobs where organization_id = ${organizationId} and ${match}`);
  return row?.id ?? null;
}

/** Whether task `taskId` (already known to be the caller's) has instance number `n`. */
export async function hasInstance(db: Db, taskId: string, n: number): Promise<boolean> {
  const [row] = await db.execute<{ ok: boolean }>(sql`
    select exists (select 1 from instances where task_id = ${taskId} and instance_number = ${n}) as ok`);
  return row!.ok;
}


export type AccountFigures = {
  email: string;
  organizationName: string;
  taskCount: number;
  runningTaskCount: number;
  jobCount: number;
  /** The account's own quota, or the default every account has. */
  maxActiveInstances: number;
  /** Active (waiting, queued, dispatched, running) instances and their cores, by scheduling type. */
  active: Record<"Flex" | "OnDemand" | "Reserved", { instances: number; cores: number }>;
};

/** What GET /info reports: counts of the caller's account and its quota. */
export async function accountFigures(db: Db, auth: { organizationId: string; userId: string | null }): Promise<AccountFigures> {
  const org = auth.organizationId;
  const [[head], activeRows] = await Promise.all([
    db.execute<{
      email: string | null;
      organization_name: string;
      task_count: number;
      running_task_count: number;
      job_count: number;
      max_active_instances: number | null;
    }>(sql`
      select (select email from users where id = ${auth.userId} and organization_id = ${org}) as email,
        o.name as organization_name,
        (select count(*) from tasks where organization_id = ${org})::int as task_count,
        (select count(*) from tasks where organization_id = ${org} and ended_at is null)::int as running_task_count,
        (select count(*) from jobs where organization_id = ${org})::int as job_count,
        (select max_active_instances from customer_quotas where organization_id = ${org}) as max_active_instances
      from organizations o where o.id = ${org}`),
    // Only tasks that have not ended hold active instances: the index on (organization, created) finds them.
    db.execute<{ scheduling_type: "Flex" | "OnDemand" | "Reserved"; instances: number; cores: number }>(sql`
      select t.scheduling_type, count(*)::int as instances, coalesce(sum(i.cores_needed), 0)::int as cores
      from tasks t join instances i on i.task_id = t.id
      where t.organization_id = ${org} and t.ended_at is null and i.state in ('waiting', 'queued', 'dispatched', 'running')
      group by t.scheduling_type`),
  ]);
  const active: AccountFigures["active"] = {
    Flex: { instances: 0, cores: 0 },
    OnDemand: { instances: 0, cores: 0 },
    Reserved: { instances: 0, cores: 0 },
  };
  for (const r of activeRows) active[r.scheduling_type] = { instances: r.instances, cores: r.cores };
  return {
    email: head?.email ?? "",
    organizationName: head?.organization_name ?? "",
    taskCount: head?.task_count ?? 0,
    runningTaskCount: head?.running_task_count ?? 0,
    jobCount: head?.job_count ?? 0,
    maxActiveInstances: head?.max_active_instances ?? DEFAULT_QUOTA.maxActiveInstances,
    active,
  };
}
