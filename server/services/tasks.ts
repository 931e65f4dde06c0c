import { randomUUID } from "node:crypto";
import { and, asc, eq, isNull, ne, sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { jsonb, pgArray } from "@/server/db/sql-params";
import { DONATED_PROFILE } from "@/server/db/reference-data";
import { jobs, profiles, taskDependencies, tasks } from "@/server/db/schema";
import { DEFAULT_QUOTA, INSTANCE_RANGE_LIMITS, TASK_LIMITS } from "@/server/domain/task-limits";
import { PRIORITY_CLASS } from "@/server/domain/task-state";
import { isUuid } from "@/server/domain/text";
import { parseInstanceRanges } from "@/server/domain/instance-ranges";
import { constantsProblems, taskInputProblems } from "@/server/domain/task-check";
import { budgetContextOf, budgetContextSql, estimateWith, judgeSubmission, type BudgetContext } from "./billing";
import { BudgetExceededError, ConflictError, InvalidInputError, isUniqueViolation, QuotaExceededError } from "./errors";
import { settleTask } from "./scheduler";

function checkConstants(profileName: string, constants: Record<string, string>) {
  const errors = constantsProblems(profileName, constants);
  if (errors.length > 0) throw new InvalidInputError(errors.join(" "), "constants");
}

/**
 * The organization's quota of active instances (its own, or the default) and how many it has
 * now. The organization's submissions take turns here, so that two cannot both squeeze in.
 */
async function lockQuota(tx: Tx, organizationId: string, now: Date = new Date()): Promise<{ max: number; active: number; billing: BudgetContext }> {
  // The lock is taken before the active instances are counted (the next statement). What the
  // budget guard needs comes with it, in the same round trip.
  const [quota] = await tx.execute<{ max: number | null; billing: Parameters<typeof budgetContextOf>[0] }>(sql`
    select pg_advisory_xact_lock(hashtextextended(${`quota:${organizationId}`}, 0)) is null as locked,
      (select max_active_instances from customer_quotas where organization_id = ${organizationId}) as max,
      ${budgetContextSql(organizationId, now)} as billing`);
  // Only tasks that have not ended can hold active instances.
  const [active] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from tasks t join instances i on i.task_id = t.id
    where t.organization_id = ${organizationId} and t.ended_at is null
      and i.state in ('waiting', 'queued', 'dispatched', 'running')`);
  return { max: quota?.max ?? DEFAULT_QUOTA.maxActiveInstances, active: active!.n, billing: budgetContextOf(quota!.billing) };
}

const formatCount = (x: number) => x.toLocaleString("en-US");

/** Refuses `adding` more active instances when they would exceed the quota. */
function judgeQuota(quota: { max: number; active: number }, adding: number) {
  const total = quota.active + adding;
  if (total > quota.max) {
    const n = formatCount;
    throw new QuotaExceededError(
      `This would bring your active instances to ${n(total)}, above your quota of ${n(quota.max)} ` +
        `(${n(quota.active)} active now). Wait for running work to end, or ask us for a higher quota.`,
    );
  }
}

/** Refuses a task that would bring one request's instances over the limit; the tasks before it stand. */
function judgeRequest(requested: number, adding: number) {
  const total = requested + adding;
  if (total > DEFAULT_QUOTA.maxInstancesPerRequest) {
    throw new QuotaExceededError(
      `A request may submit at most ${formatCount(DEFAULT_QUOTA.maxInstancesPerRequest)} instances; this task would bring ` +
        `this one to ${formatCount(total)}. Submit the rest in another request.`,
    );
  }
}

/** Refuses `adding` more active instances when they would exceed the organization's quota (its own, or the default). */
async function checkQuota(tx: Tx, organizationId: string, adding: number) {
  judgeQuota(await lockQuota(tx, organizationId), adding);
}

export type NewTask = {
  organizationId: string;
  profileName: string;
  name: string;
  /** Qarnot's optional short name, unique in the organization. */
  shortname?: string | null;
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

/** The profiles customers may submit to, by name: donated research is the operator's own work. */
export function customerProfiles(db: Tx) {
  return db
    .select({
      name: profiles.name,
      description: profiles.description,
      coresPerInstance: profiles.coresPerInstance,
      minRamGb: profiles.minRamGb,
      requiresContainerRuntime: profiles.requiresContainerRuntime,
      expectedCoreSecondsPerInstance: profiles.expectedCoreSecondsPerInstance,
    })
    .from(profiles)
    .where(ne(profiles.name, DONATED_PROFILE))
    .orderBy(asc(profiles.name));
}

/** A shortname names a task or job in a path, where a uuid-shaped segment is taken for an id. */
function checkShortname(shortname: string | null | undefined) {
  if (shortname && isUuid(shortname)) throw new InvalidInputError("A shortname must not look like a uuid.", "shortname");
}

export type Task = typeof tasks.$inferSelect;

/**
 * What became of one task of createTasks: created (with its estimate, in cents, and whether it
 * overran an alert-only budget), or refused for the reason given.
 */
export type TaskCreation =
  | { task: Task; estimateCents: number; budgetAlert: string | null }
  | { error: InvalidInputError | QuotaExceededError | BudgetExceededError };

/** Creates a task and its instances, queued (or waiting for the tasks it depends on). */
export async function createTask(db: Db, input: NewTask): Promise<Task> {
  const [created] = await createTasks(db, [input]);
  if ("error" in created!) throw created.error;
  return created!.task;
}

/** Instance numbers (ascending) as runs of consecutive numbers: [first, last] each. */
function runsOf(numbers: number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const n of numbers) {
    const last = runs[runs.length - 1];
    if (last && n === last[1] + 1) last[1] = n;
    else runs.push([n, n]);
  }
  return runs;
}

/**
 * Creates tasks of one organization as createTask does each, in order and each on its own: one
 * refused (bad input, a job or dependency not found, the quota, a shortname taken) creates
 * nothing and takes no quota from those after it. One transaction and a bounded number of
 * queries, whatever the number of tasks.
 */
export async function createTasks(db: Db, inputs: NewTask[]): Promise<TaskCreation[]> {
  if (inputs.length === 0) return [];
  const organizationId = inputs[0]!.organizationId;
  if (inputs.some((input) => input.organizationId !== organizationId)) throw new Error("createTasks takes tasks of one organization.");
  const results: Array<TaskCreation | undefined> = inputs.map(() => undefined);
  const refusing = (k: number, check: () => void) => {
    try {
      check();
      return false;
    } catch (error) {
      if (!(error instanceof InvalidInputError || error instanceof QuotaExceededError || error instanceof BudgetExceededError)) throw error;
      results[k] = { error };
      return true;
    }
  };

  // What can be checked without the database, and the profiles, read once.
  const profilesByName = new Map((await db.select().from(profiles)).map((p) => [p.name, p]));
  const prepared = inputs.flatMap((input, k) => {
    let spec = "";
    let numbers: number[] = [];
    let profile: typeof profiles.$inferSelect | undefined;
    const refused = refusing(k, () => {
      // Every problem at once: the input's own, then the profile's.
      const problems = taskInputProblems(input);
      profile = profilesByName.get(input.profileName);
      if (!profile) problems.profile = `Unknown profile "${input.profileName}".`;
      else if (profile.name === DONATED_PROFILE && !input.donated) problems.profile = `"${DONATED_PROFILE}" is donated work, run by the operator only.`;
      if (Object.keys(problems).length > 0) throw InvalidInputError.of(problems);
      spec = input.instanceRanges ?? (input.instanceCount !== undefined ? `0-${input.instanceCount - 1}` : "");
      const parsed = parseInstanceRanges(spec, INSTANCE_RANGE_LIMITS);
      numbers = parsed.ok ? parsed.numbers : [];
    });
    return refused ? [] : [{ k, input, spec, numbers, profile: profile!, now: input.now ?? new Date(), dependsOn: [...new Set((input.dependsOnTaskIds ?? []).map((d) => d.toLowerCase()))] }];
  });
  if (prepared.length === 0) return results as TaskCreation[];

  await db.transaction(async (tx) => {
    // Everything the checks read, once: dependencies, jobs, the quota and the shortnames taken.
    const dependencyIds = [...new Set(prepared.flatMap((p) => (p.dependsOn.every(isUuid) ? p.dependsOn.map((d) => d.toLowerCase()) : [])))];
    const jobIds = [...new Set(prepared.flatMap((p) => (p.input.jobId && isUuid(p.input.jobId) ? [p.input.jobId.toLowerCase()] : [])))];
    const shortnames = [...new Set(prepared.flatMap((p) => (p.input.shortname ? [p.input.shortname] : [])))];
    // In the transaction, one at a time: the connection runs its statements in turn anyway.
    const dependencies =
      dependencyIds.length === 0
        ? []
        : await tx.execute<{ id: string; unfinished: boolean }>(sql`
            select t.id, exists (select 1 from instances j where j.task_id = t.id and j.state <> 'succeeded') as unfinished
            from tasks t where t.organization_id = ${organizationId} and t.id = any(${pgArray(dependencyIds)}::uuid[])`);
    const jobRows =
      jobIds.length === 0
        ? []
        : await tx.execute<{ id: string; state: string }>(sql`
            select id, state from jobs where organization_id = ${organizationId} and id = any(${pgArray(jobIds)}::uuid[])`);
    const quota = await lockQuota(tx, organizationId, prepared[0]!.now);
    const billing = quota.billing;
    const taken =
      shortnames.length === 0
        ? []
        : await tx.execute<{ shortname: string }>(sql`
            select shortname from tasks where organization_id = ${organizationId}
              and shortname in (select jsonb_array_elements_text(${jsonb(shortnames)}))`);
    const unfinished = new Map(dependencies.map((d) => [d.id, d.unfinished]));
    const jobStates = new Map(jobRows.map((j) => [j.id, j.state]));
    const takenNames = new Set(taken.map((t) => t.shortname));

    // Each in order, as if alone: those accepted before it count in the quota and own their shortnames.
    let adding = 0;
    let addingCents = 0;
    const accepted = prepared.flatMap((p) => {
      const { input } = p;
      // Donated research is the operator's own work: never charged, never estimated.
      const estimateCents = input.donated
        ? 0
        : estimateWith(billing, {
            schedulingType: input.schedulingType ?? "Flex",
            expectedCoreSecondsPerInstance: p.profile.expectedCoreSecondsPerInstance,
            instanceCount: p.numbers.length,
          });
      let budgetAlert: string | null = null;
      const refused = refusing(p.k, () => {
        // The fields the database refuses, all at once; the quota only for an input otherwise fine.
        const problems: Record<string, string> = {};
        const found = p.dependsOn.every(isUuid) ? new Set(p.dependsOn.map((d) => d.toLowerCase()).filter((d) => unfinished.has(d))) : new Set();
        if (found.size !== new Set(p.dependsOn).size) problems.dependsOn = "A task it depends on does not exist.";
        if (input.jobId) {
          const state = isUuid(input.jobId) ? jobStates.get(input.jobId.toLowerCase()) : undefined;
          if (!state) problems.jobId = "No such job in this account.";
          else if (state !== "Active") problems.jobId = "This job has been terminated: it takes no more tasks.";
        }
        if (input.shortname && takenNames.has(input.shortname)) {
          problems.shortname = `Another task of this account is already named "${input.shortname}".`;
        }
        if (Object.keys(problems).length > 0) throw InvalidInputError.of(problems);
        judgeRequest(adding, p.numbers.length);
        judgeQuota({ max: quota.max, active: quota.active + adding }, p.numbers.length);
        const budget = judgeSubmission(billing, estimateCents, addingCents);
        if (budget.kind === "over" && budget.policy === "block") throw new BudgetExceededError(budget.message);
        if (budget.kind === "over") budgetAlert = budget.message;
      });
      if (refused) return [];
      adding += p.numbers.length;
      addingCents += estimateCents;
      if (input.shortname) takenNames.add(input.shortname);
      // Dependencies not yet succeeded keep the instances waiting; settleTask releases them.
      const blocked = p.dependsOn.some((d) => unfinished.get(d.toLowerCase()));
      return [{ ...p, id: randomUUID(), state: blocked ? ("waiting" as const) : ("queued" as const), estimateCents, budgetAlert }];
    });
    if (accepted.length === 0) return;

    const rows = await tx
      .insert(tasks)
      .values(
        accepted.map(({ id, input, spec, numbers, profile, now }) => ({
          id,
          organizationId,
          jobId: input.jobId ?? null,
          profileId: profile.id,
          name: input.name,
          shortname: input.shortname ?? null,
          constants: input.constants ?? {},
          tags: input.tags ?? [],
          instanceRanges: spec,
          instanceCount: numbers.length,
          schedulingType: input.schedulingType ?? "Flex",
          donated: input.donated ?? false,
          coresPerInstance: profile.coresPerInstance,
          minCores: Math.max(input.minCores ?? 1, profile.coresPerInstance),
          minRamGb: Math.max(input.minRamGb ?? 1, profile.minRamGb),
          requiresContainerRuntime: profile.requiresContainerRuntime,
          maxWallTimeS: input.maxWallTimeS ?? null,
          maxAttemptsPerInstance: 1 + (input.maxRetriesPerInstance ?? 2),
          createdAt: now,
        })),
      )
      // A shortname taken since it was read (by a submission running alongside) skips the row.
      .onConflictDoNothing()
      .returning();
    const byId = new Map(rows.map((row) => [row.id, row]));
    const inserted = accepted.filter((a) => {
      if (byId.has(a.id)) return true;
      results[a.k] = { error: new InvalidInputError(`Another task of this account is already named "${a.input.shortname}".`, "shortname") };
      return false;
    });
    if (inserted.length === 0) return;

    const links = inserted.flatMap((a) => a.dependsOn.map((d) => ({ taskId: a.id, dependsOnTaskId: d })));
    if (links.length > 0) await tx.insert(taskDependencies).values(links);
    // Runs of numbers keep the statement small for 100,000 instances; ids follow the tasks' order, then the numbers'.
    const runs = inserted.flatMap((a) => {
      const task = byId.get(a.id)!;
      const priorityClass = task.donated ? PRIORITY_CLASS.research : PRIORITY_CLASS[task.schedulingType];
      return runsOf(a.numbers).map(([first, last]) => ({ taskId: a.id, first, last, priorityClass, state: a.state, queuedAt: a.now.toISOString() }));
    });
    const column = <K extends keyof (typeof runs)[number]>(key: K) => pgArray(runs.map((r) => r[key]));
    await tx.execute(sql`
      insert into instances (task_id, organization_id, instance_number, priority_class, cores_needed, min_cores,
        min_ram_gb, requires_container_runtime, state, max_attempts, queued_at)
      select t.id, t.organization_id, n, r.priority_class, t.cores_per_instance, t.min_cores,
        t.min_ram_gb, t.requires_container_runtime, r.state::instance_state, t.max_attempts_per_instance, r.queued_at
      from unnest(${column("taskId")}::uuid[], ${column("first")}::int[], ${column("last")}::int[], ${column("priorityClass")}::smallint[],
          ${column("state")}::text[], ${column("queuedAt")}::timestamptz[]) with ordinality as r(task_id, first, last, priority_class, state, queued_at, ord)
        join tasks t on t.id = r.task_id
        cross join generate_series(r.first, r.last) as n
      order by r.ord, n`);
    for (const a of inserted) results[a.k] = { task: byId.get(a.id)!, estimateCents: a.estimateCents, budgetAlert: a.budgetAlert };
  });
  return results as TaskCreation[];
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

/**
 * Cancels some instances of a task; returns how many were still active, or null for no such task.
 * Each is cancelled at once: it will produce no result and is not retried. One still on a radiator
 * keeps its attempt (its cores stay held and metered, so no other customer lands there) until the
 * gateway, told to stop it on its next report, confirms.
 */
export async function cancelInstances(
  db: Tx,
  opts: { organizationId: string; taskId: string; instanceNumbers: number[]; now: Date },
): Promise<number | null> {
  if (!isUuid(opts.taskId)) return null;
  return db.transaction(async (tx) => {
    const [task] = await tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)));
    if (!task) return null;
    const numbers = opts.instanceNumbers.filter((n) => Number.isSafeInteger(n) && n >= 0 && n <= TASK_LIMITS.maxInstanceNumber);
    if (numbers.length === 0) return 0;
    const cancelled = await tx.execute<{ id: string }>(sql`
      update instances set state = 'cancelled', radiator_id = null, ended_at = ${opts.now.toISOString()}
      where task_id = ${opts.taskId} and instance_number = any(${pgArray(numbers)}::int[])
        and state in ('waiting', 'queued', 'dispatched', 'running')
      returning id`);
    await settleTask(tx, opts.taskId, opts.now);
    return cancelled.length;
  });
}

/**
 * Puts a task's failed instances back in the queue, each with a fresh budget of attempts, and
 * reopens the task. Returns how many, or null for no such task.
 */
export async function rerunFailedInstances(
  db: Tx,
  opts: { organizationId: string; taskId: string; now: Date },
): Promise<number | null> {
  if (!isUuid(opts.taskId)) return null;
  return db.transaction(async (tx) => {
    const [task] = await tx
      .select({ endedAt: tasks.endedAt, cancelRequestedAt: tasks.cancelRequestedAt, maxAttempts: tasks.maxAttemptsPerInstance })
      .from(tasks)
      .where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)));
    if (!task) return null;
    // While a cancellation is under way, reopening the task would undo it for running instances.
    if (task.cancelRequestedAt && !task.endedAt) {
      throw new ConflictError("This task is being cancelled: rerun its failed instances once it has stopped.");
    }
    const [failed] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from instances where task_id = ${opts.taskId} and state = 'failed'`);
    if (failed!.n === 0) return 0;
    await checkQuota(tx, opts.organizationId, failed!.n);
    // attempt_count keeps counting the attempts made; the budget grows by a task's worth.
    await tx.execute(sql`
      update instances set state = 'queued', max_attempts = attempt_count + ${task.maxAttempts},
        queued_at = ${opts.now.toISOString()}, ended_at = null, exit_code = null, progress_pct = null, radiator_id = null
      where task_id = ${opts.taskId} and state = 'failed'`);
    // Reopened: it ends, and notifies, again. A past cancellation no longer applies to the rerun.
    await tx.update(tasks).set({ endedAt: null, cancelRequestedAt: null }).where(eq(tasks.id, opts.taskId));
    return failed!.n;
  });
}

/**
 * Qarnot's DELETE: cancels the task if it is still active, then deletes it with its instances,
 * logs and outputs. Returns false for no such task. Refused (ConflictError) while unfinished tasks
 * depend on it, and while its instances are still stopping on radiators: a gateway still reports
 * about those attempts, so they must outlive the task's cancellation by a report or two.
 */
export async function deleteTask(db: Tx, opts: { organizationId: string; taskId: string; now: Date }): Promise<boolean> {
  if (!isUuid(opts.taskId)) return false;
  const [task] = await db
    .select({ id: tasks.id })
    .from(tasks)
    .where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)));
  if (!task) return false;
  const [dependent] = await db.execute<{ name: string }>(sql`
    select t.name from task_dependencies d join tasks t on t.id = d.task_id
    where d.depends_on_task_id = ${opts.taskId} and t.ended_at is null limit 1`);
  if (dependent) {
    throw new ConflictError(`Task "${dependent.name}" waits for this one: cancel or delete it first.`);
  }
  await cancelTask(db, { organizationId: opts.organizationId, taskId: opts.taskId, now: opts.now });
  return db.transaction(async (tx) => {
    const [stopping] = await tx.execute<{ n: number }>(sql`
      select count(*)::int as n from instances i join instance_attempts a on a.instance_id = i.id
      where i.task_id = ${opts.taskId} and a.state in ('dispatched', 'running')`);
    if (stopping!.n > 0) {
      throw new ConflictError(
        `Cancelled; ${stopping!.n} of its instances are still stopping on their radiators. Delete it again in a minute or two.`,
      );
    }
    const deleted = await tx
      .delete(tasks)
      .where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)))
      .returning({ id: tasks.id });
    return deleted.length > 0;
  });
}

/**
 * Qarnot's PUT on a task: its name, tags or constants (instances dispatched from now on get the
 * new constants). Returns false for no such task.
 */
export async function updateTask(
  db: Tx,
  opts: { organizationId: string; taskId: string; name?: string; tags?: string[]; constants?: Record<string, string> },
): Promise<boolean> {
  if (!isUuid(opts.taskId)) return false;
  const [task] = await db
    .select({ profileName: profiles.name })
    .from(tasks)
    .innerJoin(profiles, eq(profiles.id, tasks.profileId))
    .where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)));
  if (!task) return false;
  if (opts.name !== undefined && opts.name.trim() === "") throw new InvalidInputError("A task needs a name.", "name");
  if (opts.constants) checkConstants(task.profileName, opts.constants);
  const changes = {
    ...(opts.name !== undefined && { name: opts.name.trim() }),
    ...(opts.tags && { tags: opts.tags }),
    ...(opts.constants && { constants: opts.constants }),
  };
  if (Object.keys(changes).length > 0) {
    await db.update(tasks).set(changes).where(and(eq(tasks.id, opts.taskId), eq(tasks.organizationId, opts.organizationId)));
  }
  return true;
}

// ---------------------------------------------------------------------------------------------
// Jobs

export type JobState = "Active" | "Terminated" | "Completed";

export type JobView = {
  id: string;
  name: string;
  shortname: string | null;
  state: JobState;
  useDependencies: boolean;
  maxWallTimeS: number | null;
  createdAt: Date;
  endedAt: Date | null;
  taskIds: string[];
  /** Its tasks that have not ended (a Terminated job's are still stopping). */
  openTasks: number;
};

export async function createJob(
  db: Tx,
  opts: { organizationId: string; name: string; shortname?: string | null; useDependencies?: boolean; maxWallTimeS?: number | null; now?: Date },
) {
  if (opts.name.trim() === "") throw new InvalidInputError("A job needs a name.", "name");
  checkShortname(opts.shortname);
  const [job] = await db
    .insert(jobs)
    .values({
      organizationId: opts.organizationId,
      name: opts.name.trim(),
      shortname: opts.shortname ?? null,
      useDependencies: opts.useDependencies ?? false,
      maxWallTimeS: opts.maxWallTimeS ?? null,
      createdAt: opts.now ?? new Date(),
    })
    .returning()
    .catch((error: unknown) => {
      if (isUniqueViolation(error, "jobs_shortname_idx")) {
        throw new InvalidInputError(`Another job of this account is already named "${opts.shortname}".`, "shortname");
      }
      throw error;
    });
  return job!;
}

type JobRow = {
  id: string;
  name: string;
  shortname: string | null;
  state: JobState;
  use_dependencies: boolean;
  max_wall_time_s: number | null;
  created_at: string;
  ended_at: string | null;
  task_ids: string[];
  open_tasks: number;
  last_task_ended_at: string | null;
};

/**
 * Only termination is stored; a job whose tasks have all ended is Completed (when its last task
 * ended) and becomes Active again if a task is added or rerun.
 */
function jobView(row: JobRow): JobView {
  const completed = row.state === "Active" && row.task_ids.length > 0 && row.open_tasks === 0;
  const endedAt = completed ? row.last_task_ended_at : row.ended_at;
  return {
    id: row.id,
    name: row.name,
    shortname: row.shortname,
    state: completed ? "Completed" : row.state,
    useDependencies: row.use_dependencies,
    maxWallTimeS: row.max_wall_time_s,
    createdAt: new Date(row.created_at),
    endedAt: endedAt ? new Date(endedAt) : null,
    taskIds: row.task_ids,
    openTasks: row.open_tasks,
  };
}

function selectJobs(db: Tx, where: SQL, page: { limit: number; offset: number }) {
  return db.execute<JobRow>(sql`
    select j.id, j.name, j.shortname, j.state, j.use_dependencies, j.max_wall_time_s, j.created_at, j.ended_at,
      coalesce(array_agg(t.id::text order by t.created_at, t.id) filter (where t.id is not null), '{}') as task_ids,
      (count(t.id) filter (where t.ended_at is null))::int as open_tasks,
      max(t.ended_at) as last_task_ended_at
    from jobs j left join tasks t on t.job_id = j.id
    where ${where}
    group by j.id
    order by j.created_at desc, j.id desc
    limit ${page.limit} offset ${page.offset}`);
}

export async function getJob(db: Tx, opts: { organizationId: string; jobId: string }): Promise<JobView | null> {
  if (!isUuid(opts.jobId)) return null;
  const [row] = await selectJobs(db, sql`j.id = ${opts.jobId} and j.organization_id = ${opts.organizationId}`, { limit: 1, offset: 0 });
  return row ? jobView(row) : null;
}

/** The organization's jobs among `jobIds`, in one query; others' and unknown ids are left out. */
export async function getJobs(db: Tx, opts: { organizationId: string; jobIds: string[] }): Promise<JobView[]> {
  const ids = [...new Set(opts.jobIds.filter(isUuid).map((id) => id.toLowerCase()))];
  if (ids.length === 0) return [];
  const rows = await selectJobs(db, sql`j.id = any(${pgArray(ids)}::uuid[]) and j.organization_id = ${opts.organizationId}`, {
    limit: ids.length,
    offset: 0,
  });
  return rows.map(jobView);
}

export async function listJobs(
  db: Tx,
  opts: { organizationId: string; page: number; pageSize: number },
): Promise<{ total: number; jobs: JobView[] }> {
  const pageSize = Math.min(100, Math.max(1, Math.floor(opts.pageSize)));
  const offset = (Math.max(1, Math.floor(opts.page)) - 1) * pageSize;
  const [rows, [count]] = await Promise.all([
    selectJobs(db, sql`j.organization_id = ${opts.organizationId}`, { limit: pageSize, offset }),
    db.execute<{ total: number }>(sql`select count(*)::int as total from jobs where organization_id = ${opts.organizationId}`),
  ]);
  return { total: count!.total, jobs: rows.map(jobView) };
}

/** Terminates a job: it takes no more tasks and its unfinished tasks are cancelled. False for no such job. */
export async function terminateJob(db: Tx, opts: { organizationId: string; jobId: string; now: Date }): Promise<boolean> {
  if (!isUuid(opts.jobId)) return false;
  return db.transaction(async (tx) => {
    const [job] = await tx
      .select({ id: jobs.id, state: jobs.state })
      .from(jobs)
      .where(and(eq(jobs.id, opts.jobId), eq(jobs.organizationId, opts.organizationId)))
      .for("update");
    if (!job) return false;
    if (job.state === "Active") {
      await tx.update(jobs).set({ state: "Terminated", endedAt: opts.now }).where(eq(jobs.id, job.id));
    }
    const open = await tx
      .select({ id: tasks.id })
      .from(tasks)
      .where(and(eq(tasks.jobId, job.id), isNull(tasks.endedAt)));
    for (const task of open) await cancelTask(tx, { taskId: task.id, organizationId: opts.organizationId, now: opts.now });
    return true;
  });
}

/** Deletes a job once its tasks are gone (Qarnot deletes a job only after its tasks). */
export async function deleteEmptyJob(db: Db, opts: { organizationId: string; jobId: string }): Promise<"deleted" | "missing" | "has-tasks"> {
  const deleted = await db.execute<{ id: string }>(sql`
    delete from jobs j where j.id = ${opts.jobId} and j.organization_id = ${opts.organizationId}
      and not exists (select 1 from tasks t where t.job_id = j.id)
    returning j.id`);
  if (deleted.length > 0) return "deleted";
  const [left] = await db.execute<{ n: number }>(sql`
    select count(*)::int as n from jobs where id = ${opts.jobId} and organization_id = ${opts.organizationId}`);
  return left!.n > 0 ? "has-tasks" : "missing";
}
