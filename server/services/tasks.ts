import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import { PRIORITY_CLASS, profiles, taskDependencies, tasks } from "@/server/db/schema";
import { parseInstanceRanges } from "@/server/domain/instance-ranges";
import { deriveTaskState, type InstanceStateCounts, type TaskState } from "@/server/domain/task-state";
import { settleTask, type Tx } from "./scheduler";

export const MAX_INSTANCES_PER_TASK = 100_000;
export const MAX_INSTANCE_NUMBER = 10_000_000;

export class TaskInputError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

export type NewTask = {
  organizationId: string;
  profileName: string;
  name: string;
  /** Instance numbers as Qarnot writes them: "1-100,200"; or give `instanceCount` for 0..n-1. */
  instanceRanges?: string;
  instanceCount?: number;
  schedulingType?: "Reserved" | "OnDemand" | "Flex";
  donated?: boolean;
  constants?: Record<string, string>;
  tags?: string[];
  minCores?: number;
  minRamGb?: number;
  maxWallTimeS?: number | null;
  maxRetriesPerInstance?: number;
  jobId?: string | null;
  dependsOnTaskIds?: string[];
  now?: Date;
};

/** Creates a task and its instances, queued (or waiting for the tasks it depends on). */
export async function createTask(db: Db, input: NewTask) {
  const spec = input.instanceRanges ?? (input.instanceCount !== undefined ? `0-${input.instanceCount - 1}` : "");
  if (input.instanceCount !== undefined && input.instanceCount < 1) {
    throw new TaskInputError("A task needs at least one instance.", "instanceCount");
  }
  const parsed = parseInstanceRanges(spec, { maxInstances: MAX_INSTANCES_PER_TASK, maxInstanceNumber: MAX_INSTANCE_NUMBER });
  if (!parsed.ok) throw new TaskInputError(parsed.error, input.instanceRanges !== undefined ? "instanceRanges" : "instanceCount");
  const [profile] = await db.select().from(profiles).where(eq(profiles.name, input.profileName));
  if (!profile) throw new TaskInputError(`Unknown profile "${input.profileName}".`, "profile");
  const now = input.now ?? new Date();

  return db.transaction(async (tx) => {
    const dependsOn = input.dependsOnTaskIds ?? [];
    if (dependsOn.length > 0) {
      const found = await tx
        .select({ id: tasks.id })
        .from(tasks)
        .where(and(inArray(tasks.id, dependsOn), eq(tasks.organizationId, input.organizationId)));
      if (found.length !== new Set(dependsOn).size) throw new TaskInputError("A task it depends on does not exist.", "dependsOn");
    }
    const [task] = await tx
      .insert(tasks)
      .values({
        organizationId: input.organizationId,
        jobId: input.jobId ?? null,
        profileId: profile.id,
        name: input.name,
        constants: input.constants ?? {},
        tags: input.tags ?? [],
        instanceRanges: spec,
        instanceCount: parsed.numbers.length,
        schedulingType: input.schedulingType ?? "Flex",
        donated: input.donated ?? false,
        coresPerInstance: profile.coresPerInstance,
        minCores: Math.max(input.minCores ?? 1, profile.coresPerInstance),
        minRamGb: Math.max(input.minRamGb ?? 1, profile.minRamGb),
        requiresContainerRuntime: profile.requiresContainerRuntime,
        maxWallTimeS: input.maxWallTimeS ?? null,
        maxAttemptsPerInstance: 1 + (input.maxRetriesPerInstance ?? 2),
        createdAt: now,
      })
      .returning();
    if (dependsOn.length > 0) {
      await tx.insert(taskDependencies).values(dependsOn.map((d) => ({ taskId: task!.id, dependsOnTaskId: d })));
    }
    const priorityClass = task!.donated ? PRIORITY_CLASS.research : PRIORITY_CLASS[task!.schedulingType];
    // Dependencies not yet succeeded keep the instances waiting; settleTask releases them.
    const [blocked] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from task_dependencies d join instances j on j.task_id = d.depends_on_task_id
      where d.task_id = ${task!.id} and j.state <> 'succeeded'`);
    const state = blocked!.n > 0 ? "waiting" : "queued";
    await tx.execute(sql`
      insert into instances (task_id, organization_id, instance_number, priority_class, cores_needed, min_cores,
        min_ram_gb, requires_container_runtime, state, max_attempts, queued_at)
      select ${task!.id}, ${task!.organizationId}, n, ${priorityClass}, ${task!.coresPerInstance}, ${task!.minCores},
        ${task!.minRamGb}, ${task!.requiresContainerRuntime}, ${state}::instance_state, ${task!.maxAttemptsPerInstance}, ${now.toISOString()}
      from unnest(${pgArray(parsed.numbers)}::int[]) as n`);
    return task!;
  });
}

/**
 * Asks to cancel a task: what has not started is cancelled now; running instances are told to
 * stop on their gateway's next report and end when it confirms.
 */
export async function cancelTask(db: Db | Tx, opts: { taskId: string; organizationId: string; now: Date }) {
  return db.transaction(async (tx) => {
    const [task] = await tx
      .update(tasks)
      .set({ cancelRequestedAt: opts.now })
      .where(
        and(
          eq(tasks.id, opts.taskId),
          eq(tasks.organizationId, opts.organizationId),
          isNull(tasks.cancelRequestedAt),
          isNull(tasks.endedAt), // a finished task keeps its outcome
        ),
      )
      .returning({ id: tasks.id });
    if (!task) return false;
    await tx.execute(sql`
      update instances set state = 'cancelled', ended_at = ${opts.now.toISOString()}
      where task_id = ${opts.taskId} and state in ('waiting', 'queued')`);
    await settleTask(tx, opts.taskId, opts.now);
    return true;
  });
}

export type TaskStatus = { taskId: string; state: TaskState; counts: InstanceStateCounts };

/** Each task's Qarnot state, derived from its instances (of `organizationId` only). */
export async function taskStatuses(db: Db | Tx, opts: { organizationId: string; taskIds: string[] }): Promise<TaskStatus[]> {
  if (opts.taskIds.length === 0) return [];
  const rows = await db.execute<{ task_id: string; cancel_requested: boolean; state: keyof InstanceStateCounts | null; n: number }>(sql`
    select t.id as task_id, t.cancel_requested_at is not null as cancel_requested, i.state, count(i.id)::int as n
    from tasks t left join instances i on i.task_id = t.id
    where t.organization_id = ${opts.organizationId}
      and t.id = any(${pgArray(opts.taskIds)}::uuid[])
    group by t.id, i.state`);
  const byTask = new Map<string, { cancelRequested: boolean; counts: InstanceStateCounts }>();
  for (const row of rows) {
    const entry = byTask.get(row.task_id) ?? {
      cancelRequested: row.cancel_requested,
      counts: { waiting: 0, queued: 0, dispatched: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 },
    };
    if (row.state) entry.counts[row.state] += row.n;
    byTask.set(row.task_id, entry);
  }
  return opts.taskIds
    .filter((id) => byTask.has(id))
    .map((taskId) => {
      const { cancelRequested, counts } = byTask.get(taskId)!;
      return { taskId, state: deriveTaskState(counts, cancelRequested), counts };
    });
}
