import { sql, type SQL } from "drizzle-orm";
import { pgArray } from "@/server/db/sql-params";
import { formatRanges } from "@/server/domain/instance-ranges";
import { encodeInstanceGrid, instanceGridVersion, type EncodedInstanceGrid, type StateRun } from "@/server/domain/instance-grid";
import { deriveTaskState, isFinalTaskState, PRIORITY_CLASS, TASK_STATES, type InstanceStateCounts, type TaskState } from "@/server/domain/task-state";
import type { Tx } from "@/server/db/client";
import { footprintsOfTasks } from "./carbon";
import { SILENT_AFTER_S } from "./scheduler";
import { outputNamesOf } from "./task-outputs";
import { isUuid } from "@/server/domain/text";

/**
 * What customers see of their tasks: the queue view, a task's detail, its instances and where it
 * stands in the queue. Every query is bounded by the caller's organization; no radiator, gateway
 * or home is ever named (PRODUCT.md C12).
 */

export type InstanceState = keyof InstanceStateCounts;

export type TaskFilter = {
  state?: TaskState;
  tag?: string;
  profile?: string;
  createdFrom?: Date;
  createdTo?: Date;
  /** Name or shortname (contains, case-insensitive), or the start of the id. */
  search?: string;
  jobId?: string;
};

export type TaskSummary = {
  id: string;
  shortname: string | null;
  name: string;
  profileName: string;
  state: TaskState;
  schedulingType: "Reserved" | "OnDemand" | "Flex";
  donated: boolean;
  tags: string[];
  instanceCount: number;
  counts: InstanceStateCounts;
  /** 0..100: ended instances, plus the reported progress of those on radiators. */
  progressPct: number;
  createdAt: Date;
  endedAt: Date | null;
  jobId: string | null;
  /** Billable attempts only: what the customer pays for (attempts lost to a silent radiator are not). */
  coreSeconds: number;
  energyWh: number;
  /** Cost so far: what the charges ledger holds for its attempts that ended billable, in cents. */
  costCents: number;
  /** Carbon so far: the footprint its Carbon Facts label shows (qarnot_carbon_footprint), gCO2e to 0.01 g. */
  carbonGCO2e: number;
  cancelRequested: boolean;
};

export type TaskDetail = TaskSummary & {
  constants: Record<string, string>;
  instanceRanges: string;
  minCores: number;
  minRamGb: number;
  maxWallTimeS: number | null;
  maxRetriesPerInstance: number;
  dependsOn: string[];
  succeededRange: string;
  failedRange: string;
  /** Sum of the wall times of all its attempts that started. */
  executionTimeS: number;
  /** From its first start to its end, or to now. */
  wallTimeS: number;
};

export type InstanceView = {
  instanceNumber: number;
  state: InstanceState;
  attemptCount: number;
  maxAttempts: number;
  progressPct: number | null;
  exitCode: number | null;
  /** Of its latest attempt; null while it waits for one. */
  startedAt: Date | null;
  endedAt: Date | null;
  wallTimeS: number | null;
  coreSeconds: number;
  energyWh: number;
  /** The processor of the node its latest attempt ran on; null before it ran. */
  hardware: InstanceHardware | null;
};

export type InstanceHardware = { cpuModel: string | null; cores: number; cpuClockMhz: number | null };

export type QueueStanding = {
  waitingInstances: number;
  /** Instances of other work that the dispatcher serves before this task's next one. */
  position: number | null;
  /** Until this task's waiting instances have run, at today's heat demand. */
  etaSeconds: number | null;
  reason: string | null;
};

/** The procedures bound pages to 100 rows; the REST API reads a task's first 1,000 instances at once. */
const MAX_PAGE_SIZE = 1000;

function pageOf(page: number, pageSize: number) {
  const limit = Math.min(MAX_PAGE_SIZE, Math.max(1, Math.floor(pageSize)));
  return { limit, offset: (Math.max(1, Math.floor(page)) - 1) * limit };
}

const seconds = (fromIso: string, to: Date) => Math.max(0, Math.round((to.getTime() - Date.parse(fromIso)) / 1000));

// ---------------------------------------------------------------------------------------------
// The queue view

function filterCondition(organizationId: string, filter: TaskFilter): SQL {
  const parts: SQL[] = [sql`t.organization_id = ${organizationId}`];
  if (filter.tag) parts.push(sql`${filter.tag} = any(t.tags)`);
  if (filter.profile) parts.push(sql`p.name = ${filter.profile}`);
  if (filter.createdFrom) parts.push(sql`t.created_at >= ${filter.createdFrom.toISOString()}`);
  if (filter.createdTo) parts.push(sql`t.created_at < ${filter.createdTo.toISOString()}`);
  if (filter.jobId) parts.push(isUuid(filter.jobId) ? sql`t.job_id = ${filter.jobId}` : sql`false`);
  const search = filter.search?.trim();
  if (search) {
    // Literal text: % and _ typed by a person are not wildcards.
    const literal = search.replace(/[\\%_]/g, (c) => `\\${c}`);
    parts.push(sql`(t.name ilike ${`%${literal}%`} or t.shortname ilike ${`%${literal}%`} or t.id::text like ${`${literal.toLowerCase()}%`})`);
  }
  return sql.join(parts, sql` and `);
}

type TaskRow = {
  id: string;
  shortname: string | null;
  name: string;
  profile_name: string;
  scheduling_type: TaskSummary["schedulingType"];
  donated: boolean;
  tags: string[];
  instance_count: number;
  created_at: string;
  ended_at: string | null;
  job_id: string | null;
  cancel_requested: boolean;
  cores_per_instance: number;
};

const taskColumns = sql`t.id, t.shortname, t.name, p.name as profile_name, t.scheduling_type, t.donated, t.tags, t.instance_count,
  t.created_at, t.ended_at, t.job_id, t.cancel_requested_at is not null as cancel_requested, p.cores_per_instance`;

type DetailRow = TaskRow & {
  constants: Record<string, string>;
  instance_ranges: string;
  min_cores: number;
  min_ram_gb: number;
  max_wall_time_s: number | null;
  max_attempts_per_instance: number;
  depends_on: string[];
};

const detailColumns = sql`${taskColumns}, t.constants, t.instance_ranges, t.min_cores, t.min_ram_gb, t.max_wall_time_s,
  t.max_attempts_per_instance,
  array(select d.depends_on_task_id::text from task_dependencies d where d.task_id = t.id order by 1) as depends_on`;

const emptyCounts = (): InstanceStateCounts => ({ waiting: 0, queued: 0, dispatched: 0, running: 0, succeeded: 0, failed: 0, cancelled: 0 });

type InstanceTally = {
  counts: InstanceStateCounts;
  progressPctSum: number;
  /** Ranges of the succeeded and failed instances' numbers, [first, last] each: only when asked for. */
  succeeded: Array<[number, number]>;
  failed: Array<[number, number]>;
};

const emptyTally = (): InstanceTally => ({ counts: emptyCounts(), progressPctSum: 0, succeeded: [], failed: [] });

/**
 * Instance counts per state of the given tasks (and the progress reported by those on radiators),
 * in one grouped query; with `numbers`, also which instances succeeded and failed, as ranges of
 * consecutive numbers that the database groups (a few rows, not one per instance).
 */
async function tallyInstances(db: Tx, taskIds: string[], opts: { numbers?: boolean } = {}): Promise<Map<string, InstanceTally>> {
  const tallies = new Map<string, InstanceTally>();
  if (taskIds.length === 0) return tallies;
  const ids = pgArray(taskIds);
  const [rows, ranges] = await Promise.all([
    db.execute<{ task_id: string; state: InstanceState; n: number; progress: number }>(sql`
      select task_id, state, count(*)::int as n, coalesce(sum(progress_pct), 0)::float8 as progress
      from instances where task_id = any(${ids}::uuid[])
      group by task_id, state`),
    opts.numbers
      ? // Consecutive numbers of one state keep the same difference to their rank: one range per difference.
        db.execute<{ task_id: string; state: "succeeded" | "failed"; first: number; last: number }>(sql`
          select task_id, state, min(instance_number) as first, max(instance_number) as last
          from (
            select task_id, state, instance_number,
              instance_number - row_number() over (partition by task_id, state order by instance_number) as gap
            from instances where task_id = any(${ids}::uuid[]) and state in ('succeeded', 'failed')
          ) x
          group by task_id, state, gap`)
      : [],
  ]);
  for (const row of rows) {
    const tally = tallies.get(row.task_id) ?? emptyTally();
    tally.counts[row.state] = row.n;
    if (row.state === "dispatched" || row.state === "running") tally.progressPctSum += row.progress;
    tallies.set(row.task_id, tally);
  }
  for (const range of ranges) tallies.get(range.task_id)?.[range.state].push([range.first, range.last]);
  return tallies;
}

type Meter = { coreSeconds: number; energyWh: number; executionS: number; firstStart: string | null; chargedCents: number };

/**
 * Billable core-seconds and energy per task; with `now`, also the wall time of all their attempts
 * that started (running ones up to `now`) and the first start.
 */
async function meterTasks(db: Tx, taskIds: string[], now?: Date): Promise<Map<string, Meter>> {
  if (taskIds.length === 0) return new Map();
  const rows = await db.execute<{
    task_id: string;
    core_seconds: string;
    energy_wh: string;
    charged_cents: string;
    execution_s?: number;
    first_start?: string | null;
  }>(sql`
    -- What the charges ledger holds for the task: its attempts that ended billable.
    select m.*, (select coalesce(sum(c.amount_cents), 0) from task_charges c where c.task_id = m.task_id)::bigint as charged_cents
    from (${
    now
      ? sql`
        select i.task_id, coalesce(sum(a.core_seconds) filter (where a.billable), 0)::bigint as core_seconds,
          coalesce(sum(a.energy_wh) filter (where a.billable), 0)::bigint as energy_wh,
          coalesce(sum(extract(epoch from coalesce(a.ended_at, ${now.toISOString()}::timestamptz) - a.started_at))
            filter (where a.started_at is not null), 0)::float8 as execution_s,
          min(a.started_at) as first_start
        from instances i join instance_attempts a on a.instance_id = i.id
        where i.task_id = any(${pgArray(taskIds)}::uuid[])
        group by i.task_id`
      : sql`
        select i.task_id, sum(a.core_seconds)::bigint as core_seconds, sum(a.energy_wh)::bigint as energy_wh
        from instances i join instance_attempts a on a.instance_id = i.id
        where i.task_id = any(${pgArray(taskIds)}::uuid[]) and a.billable
        group by i.task_id`
  }) m`);
  return new Map(
    rows.map((r) => [
      r.task_id,
      {
        coreSeconds: Number(r.core_seconds),
        energyWh: Number(r.energy_wh),
        executionS: r.execution_s ?? 0,
        firstStart: r.first_start ?? null,
        chargedCents: Number(r.charged_cents),
      },
    ]),
  );
}

function summaryOf(row: TaskRow, tally: InstanceTally = emptyTally(), meter?: Meter, carbonGCO2e = 0): TaskSummary {
  const { counts: c, progressPctSum } = tally;
  const ended = c.succeeded + c.failed + c.cancelled;
  const total = ended + c.waiting + c.queued + c.dispatched + c.running;
  const done = total === 0 ? 0 : (ended + progressPctSum / 100) / total;
  return {
    id: row.id,
    shortname: row.shortname,
    name: row.name,
    profileName: row.profile_name,
    state: deriveTaskState(c, row.cancel_requested),
    schedulingType: row.scheduling_type,
    donated: row.donated,
    tags: row.tags,
    instanceCount: row.instance_count,
    counts: c,
    progressPct: Math.min(100, Math.round(done * 1000) / 10),
    createdAt: new Date(row.created_at),
    endedAt: row.ended_at ? new Date(row.ended_at) : null,
    jobId: row.job_id,
    coreSeconds: meter?.coreSeconds ?? 0,
    energyWh: meter?.energyWh ?? 0,
    costCents: meter?.chargedCents ?? 0,
    carbonGCO2e,
    cancelRequested: row.cancel_requested,
  };
}

/**
 * Summaries of the given tasks: instance counts, metering and carbon of these tasks only, so the
 * cost and carbon follow the page and not the account. `tallies` when the caller has counted already.
 */
async function summarize(db: Tx, rows: TaskRow[], tallies?: Map<string, InstanceTally>): Promise<TaskSummary[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [counted, meters, carbon] = await Promise.all([tallies ?? tallyInstances(db, ids), meterTasks(db, ids), footprintsOfTasks(db, ids)]);
  return rows.map((row) => summaryOf(row, counted.get(row.id), meters.get(row.id), carbon.get(row.id)));
}

/** Details of the given tasks, in a few queries whatever their number. */
async function detail(db: Tx, rows: DetailRow[], now: Date): Promise<TaskDetail[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [tallies, meters, carbon] = await Promise.all([
    tallyInstances(db, ids, { numbers: true }),
    meterTasks(db, ids, now),
    footprintsOfTasks(db, ids),
  ]);
  return rows.map((row) => {
    const tally = tallies.get(row.id) ?? emptyTally();
    const meter = meters.get(row.id);
    const summary = summaryOf(row, tally, meter, carbon.get(row.id));
    return {
      ...summary,
      constants: row.constants,
      instanceRanges: row.instance_ranges,
      minCores: row.min_cores,
      minRamGb: row.min_ram_gb,
      maxWallTimeS: row.max_wall_time_s,
      maxRetriesPerInstance: row.max_attempts_per_instance - 1,
      dependsOn: row.depends_on,
      succeededRange: formatRanges(tally.succeeded),
      failedRange: formatRanges(tally.failed),
      executionTimeS: Math.round(meter?.executionS ?? 0),
      wallTimeS: meter?.firstStart ? seconds(meter.firstStart, summary.endedAt ?? now) : 0,
    };
  });
}

/**
 * Tasks in `state`, newest first. A state is derived from instance counts, never stored, so the
 * candidates are counted and deriveTaskState decides. Candidates are narrowed first by what the
 * engine keeps true: a task has ended (ended_at set) exactly when none of its instances is active,
 * so final states are looked for among ended tasks only, the others among unfinished ones.
 */
async function tasksInState(db: Tx, where: SQL, state: TaskState) {
  const candidates = await db.execute<{ id: string; cancel_requested: boolean }>(sql`
    select t.id, t.cancel_requested_at is not null as cancel_requested from tasks t join profiles p on p.id = t.profile_id
    where ${where} and ${isFinalTaskState(state) ? sql`t.ended_at is not null` : sql`t.ended_at is null`}
    order by t.created_at desc, t.id desc`);
  const tallies = await tallyInstances(db, candidates.map((c) => c.id));
  const ids = candidates
    .filter((c) => deriveTaskState(tallies.get(c.id)?.counts ?? emptyCounts(), c.cancel_requested) === state)
    .map((c) => c.id);
  return { ids, tallies };
}

/** How many of the organization's tasks are in each state, every state listed. */
export async function countTasksByState(db: Tx, opts: { organizationId: string }): Promise<Record<TaskState, number>> {
  const tasks = await db.execute<{ id: string; cancel_requested: boolean }>(sql`
    select id, cancel_requested_at is not null as cancel_requested from tasks where organization_id = ${opts.organizationId}`);
  const tallies = await tallyInstances(db, tasks.map((t) => t.id));
  const counts = Object.fromEntries(TASK_STATES.map((s) => [s, 0])) as Record<TaskState, number>;
  for (const t of tasks) counts[deriveTaskState(tallies.get(t.id)?.counts ?? emptyCounts(), t.cancel_requested)] += 1;
  return counts;
}

/** Which of the organization's tasks: some by id, or a page of those matching a filter, newest first. */
export type TaskSelection = { taskIds: string[] } | { filter?: TaskFilter; page: number; pageSize: number };

/**
 * The rows of the selected tasks (bounded by the organization in the WHERE clause: another's task
 * is not selected) and how many match; `tallies` when the state filter has counted instances.
 */
async function selectTasks<Row extends TaskRow>(
  db: Tx,
  organizationId: string,
  selection: TaskSelection,
  columns: SQL,
): Promise<{ total: number; rows: Row[]; tallies?: Map<string, InstanceTally> }> {
  const order = sql`order by t.created_at desc, t.id desc`;
  if ("taskIds" in selection) {
    const ids = selection.taskIds.filter(isUuid);
    if (ids.length === 0) return { total: 0, rows: [] };
    const rows = await db.execute<Row>(sql`
      select ${columns} from tasks t join profiles p on p.id = t.profile_id
      where t.organization_id = ${organizationId} and t.id = any(${pgArray(ids)}::uuid[])
      ${order}`);
    return { total: rows.length, rows: [...rows] as Row[] };
  }
  const where = filterCondition(organizationId, selection.filter ?? {});
  const { limit, offset } = pageOf(selection.page, selection.pageSize);
  const state = selection.filter?.state;
  if (state) {
    const { ids, tallies } = await tasksInState(db, where, state);
    const pageIds = ids.slice(offset, offset + limit);
    if (pageIds.length === 0) return { total: ids.length, rows: [] };
    const rows = await db.execute<Row>(sql`
      select ${columns} from tasks t join profiles p on p.id = t.profile_id
      where t.id = any(${pgArray(pageIds)}::uuid[])
      ${order}`);
    return { total: ids.length, rows: [...rows] as Row[], tallies };
  }
  const [rows, [count]] = await Promise.all([
    db.execute<Row>(sql`
      select ${columns} from tasks t join profiles p on p.id = t.profile_id
      where ${where}
      ${order}
      limit ${limit} offset ${offset}`),
    db.execute<{ total: number }>(sql`
      select count(*)::int as total from tasks t join profiles p on p.id = t.profile_id where ${where}`),
  ]);
  return { total: count!.total, rows: [...rows] as Row[] };
}

/** A page of the organization's tasks, newest first, with the total matching `filter`. */
export async function listTasks(
  db: Tx,
  opts: { organizationId: string; filter?: TaskFilter; page: number; pageSize: number },
): Promise<{ total: number; tasks: TaskSummary[] }> {
  const { total, rows, tallies } = await selectTasks<TaskRow>(db, opts.organizationId, opts, taskColumns);
  return { total, tasks: await summarize(db, rows, tallies) };
}

// ---------------------------------------------------------------------------------------------
// One task

export async function taskExists(db: Tx, opts: { organizationId: string; taskId: string }): Promise<boolean> {
  if (!isUuid(opts.taskId)) return false;
  const [task] = await db.execute<{ id: string }>(sql`
    select id from tasks where id = ${opts.taskId} and organization_id = ${opts.organizationId}`);
  return Boolean(task);
}

export async function getTask(db: Tx, opts: { organizationId: string; taskId: string; now?: Date }): Promise<TaskDetail | null> {
  if (!isUuid(opts.taskId)) return null;
  const { rows } = await selectTasks<DetailRow>(db, opts.organizationId, { taskIds: [opts.taskId] }, detailColumns);
  const [task] = await detail(db, rows, opts.now ?? new Date());
  return task ?? null;
}

type InstanceRow = {
  instance_number: number;
  state: InstanceState;
  attempt_count: number;
  max_attempts: number;
  progress_pct: number | null;
  exit_code: number | null;
  ended_at: string | null;
  started_at: string | null;
  attempt_ended_at: string | null;
  core_seconds: string;
  energy_wh: string;
  cpu_model: string | null;
  cpu_cores: number | null;
  cpu_clock_mhz: number | null;
};

/**
 * What an instance row needs besides its own columns: its latest attempt's times and the processor
 * it ran on (the hardware model's, never which radiator or home), and its billable metering.
 */
const instanceAttemptJoins = sql`
  left join lateral (select a.started_at, a.ended_at, hm.cpu_model, hm.cores as cpu_cores, hm.cpu_clock_mhz
    from instance_attempts a left join radiators r on r.id = a.radiator_id left join hardware_models hm on hm.id = r.hardware_model_id
    where a.instance_id = i.id
    order by a.attempt_number desc limit 1) last on true
  left join lateral (select sum(a.core_seconds) filter (where a.billable)::bigint as core_seconds,
    sum(a.energy_wh) filter (where a.billable)::bigint as energy_wh
    from instance_attempts a where a.instance_id = i.id) m on true`;

const instanceColumns = sql`i.instance_number, i.state, i.attempt_count, i.max_attempts, i.progress_pct, i.exit_code, i.ended_at,
  last.started_at, last.ended_at as attempt_ended_at, last.cpu_model, last.cpu_cores, last.cpu_clock_mhz,
  coalesce(m.core_seconds, 0) as core_seconds, coalesce(m.energy_wh, 0) as energy_wh`;

function instanceViewOf(r: InstanceRow, now: Date): InstanceView {
  // A retry waiting in the queue shows no run: its last attempt's times belong to the past.
  const started = r.state === "waiting" || r.state === "queued" ? null : r.started_at;
  return {
    instanceNumber: r.instance_number,
    state: r.state,
    attemptCount: r.attempt_count,
    maxAttempts: r.max_attempts,
    progressPct: r.progress_pct,
    exitCode: r.exit_code,
    startedAt: started ? new Date(started) : null,
    endedAt: r.ended_at ? new Date(r.ended_at) : null,
    wallTimeS: started ? seconds(started, r.attempt_ended_at ? new Date(r.attempt_ended_at) : now) : null,
    coreSeconds: Number(r.core_seconds),
    energyWh: Number(r.energy_wh),
    hardware: started && r.cpu_cores !== null ? { cpuModel: r.cpu_model, cores: r.cpu_cores, cpuClockMhz: r.cpu_clock_mhz } : null,
  };
}

/** A page of a task's instances by number, or null for no such task. */
export async function listInstances(
  db: Tx,
  opts: { organizationId: string; taskId: string; page: number; pageSize: number; state?: InstanceState; instanceNumber?: number; now?: Date },
): Promise<{ total: number; instances: InstanceView[] } | null> {
  if (!isUuid(opts.taskId)) return null;
  const now = opts.now ?? new Date();
  const { limit, offset } = pageOf(opts.page, opts.pageSize);
  if (!(await taskExists(db, opts))) return null;
  const stateFilter = sql`${opts.state ? sql`and i.state = ${opts.state}` : sql``}
    ${opts.instanceNumber !== undefined ? sql`and i.instance_number = ${opts.instanceNumber}` : sql``}`;
  const [rows, [count]] = await Promise.all([
    db.execute<InstanceRow>(sql`
      select ${instanceColumns}
      from instances i ${instanceAttemptJoins}
      where i.task_id = ${opts.taskId} ${stateFilter}
      order by i.instance_number
      limit ${limit} offset ${offset}`),
    db.execute<{ total: number }>(sql`select count(*)::int as total from instances i where i.task_id = ${opts.taskId} ${stateFilter}`),
  ]);
  return { total: count!.total, instances: rows.map((r) => instanceViewOf(r, now)) };
}

// ---------------------------------------------------------------------------------------------
// Tasks as API clients read them: in a bounded number of queries, whatever the number of tasks

/** A task's summary and the cores each of its instances holds. */
export type TaskSummaryView = TaskSummary & { coresPerInstance: number };

/** A task whole, with the instances and output names that its JSON shows. */
export type TaskView = TaskDetail & {
  coresPerInstance: number;
  /** Those of its first `instancesPerTask` instances (by number) that have left the queue. */
  instances: InstanceView[];
  /** Output names of its succeeded instances, by instance number; only for tasks of at most `instancesPerTask` instances. */
  outputNames: Map<number, string[]>;
};

/** The selected tasks' summaries, and how many match (another organization's tasks are never selected). */
export async function taskSummaryViews(
  db: Tx,
  opts: { organizationId: string } & TaskSelection,
): Promise<{ total: number; tasks: TaskSummaryView[] }> {
  const { total, rows, tallies } = await selectTasks<TaskRow>(db, opts.organizationId, opts, taskColumns);
  const summaries = await summarize(db, rows, tallies);
  return { total, tasks: summaries.map((summary, i) => ({ ...summary, coresPerInstance: rows[i]!.cores_per_instance })) };
}

/** The selected tasks whole, and how many match: five queries or so for a page as for one task. */
export async function taskViews(
  db: Tx,
  opts: { organizationId: string; instancesPerTask: number; now: Date } & TaskSelection,
): Promise<{ total: number; tasks: TaskView[] }> {
  const { total, rows } = await selectTasks<DetailRow>(db, opts.organizationId, opts, detailColumns);
  const [details, instances, outputNames] = await Promise.all([
    detail(db, rows, opts.now),
    firstInstances(db, opts.organizationId, rows.map((r) => r.id), opts.instancesPerTask, opts.now),
    outputNamesOf(db, {
      organizationId: opts.organizationId,
      taskIds: rows.filter((r) => r.instance_count <= opts.instancesPerTask).map((r) => r.id),
    }),
  ]);
  return {
    total,
    tasks: details.map((task, i) => ({
      ...task,
      coresPerInstance: rows[i]!.cores_per_instance,
      instances: instances.get(task.id) ?? [],
      outputNames: outputNames.get(task.id) ?? new Map(),
    })),
  };
}

/**
 * The first `perTask` instances by number of each task, but for those waiting or queued (they
 * have no run to show), in one query.
 */
async function firstInstances(db: Tx, organizationId: string, taskIds: string[], perTask: number, now: Date) {
  const byTask = new Map<string, InstanceView[]>();
  if (taskIds.length === 0) return byTask;
  const { limit } = pageOf(1, perTask);
  const rows = await db.execute<InstanceRow & { task_id: string }>(sql`
    select i.task_id, ${instanceColumns}
    from unnest(${pgArray(taskIds)}::uuid[]) as v(task_id)
    cross join lateral (select * from instances i where i.task_id = v.task_id and i.organization_id = ${organizationId}
      order by i.instance_number limit ${limit}) i
    ${instanceAttemptJoins}
    where i.state not in ('waiting', 'queued')
    order by i.task_id, i.instance_number`);
  for (const row of rows) {
    const list = byTask.get(row.task_id) ?? [];
    list.push(instanceViewOf(row, now));
    byTask.set(row.task_id, list);
  }
  return byTask;
}

/**
 * Every instance's state in number order, run-length encoded (a few bytes for 100,000 instances
 * in a few states), with a version: a reader that sends the version it holds as `since` gets
 * `changed: false` and nothing else while no instance changed state. Null for no such task.
 */
export type InstanceGridRead = { version: string } & ({ changed: true; total: number } & EncodedInstanceGrid | { changed: false });

export async function instanceGrid(
  db: Tx,
  opts: { organizationId: string; taskId: string; since?: string },
): Promise<InstanceGridRead | null> {
  if (!isUuid(opts.taskId)) return null;
  // The database walks the instances in number order and returns only where something changes:
  // the first and last instance, where a range of consecutive numbers starts, where a run of one
  // state starts. A task of 100,000 instances in a few states is a few rows.
  const rows = await db.execute<{
    n: number | null;
    state: InstanceState;
    position: number;
    previous_n: number | null;
    starts_range: boolean;
    starts_run: boolean;
  }>(sql`
    select b.n, b.state, b.position::int, b.previous_n, b.previous_n is distinct from b.n - 1 as starts_range,
      b.previous_state is distinct from b.state as starts_run
    from tasks t left join lateral (
      select * from (
        select i.instance_number as n, i.state::text as state, row_number() over w as position,
          lag(i.instance_number) over w as previous_n, lag(i.state::text) over w as previous_state, lead(i.instance_number) over w as next_n
        from instances i where i.task_id = t.id
        window w as (order by i.instance_number)
      ) w
      where w.previous_n is null or w.previous_n <> w.n - 1 or w.previous_state <> w.state or w.next_n is null
    ) b on true
    where t.id = ${opts.taskId} and t.organization_id = ${opts.organizationId}
    order by b.position`);
  if (rows.length === 0) return null;
  const changes = rows.filter((r) => r.n !== null);
  const last = changes.at(-1);
  const total = last?.position ?? 0;
  const ranges: Array<[number, number]> = [];
  const runs: StateRun[] = [];
  let runStart = 1;
  for (const row of changes) {
    if (row.starts_range) {
      if (ranges.length > 0) ranges.at(-1)![1] = row.previous_n!;
      ranges.push([row.n!, row.n!]);
    }
    if (row.starts_run) {
      // The run before this one ends where this one starts.
      if (runs.length > 0) runs.at(-1)!.length = row.position - runStart;
      runs.push({ state: row.state, length: 0 });
      runStart = row.position;
    }
  }
  if (last) {
    ranges.at(-1)![1] = last.n!;
    runs.at(-1)!.length = total + 1 - runStart;
  }
  const grid = encodeInstanceGrid(ranges, runs);
  const version = instanceGridVersion(grid);
  if (opts.since === version) return { version, changed: false };
  return { version, changed: true, total, ...grid };
}

// ---------------------------------------------------------------------------------------------
// Where a task stands in the queue

const CLASS_NAMES = Object.fromEntries(Object.entries(PRIORITY_CLASS).map(([name, n]) => [n, name])) as Record<number, string>;

/**
 * How much work is ahead of the task's next queued instance, in the dispatcher's order: every
 * instance of a higher priority class; within its class, its own organization's older instances
 * (first in, first out) and, from each other customer, about as many as fair share serves them
 * before it (the dispatcher alternates between customers); and why it waits, from current heat
 * demand and what the online radiators offer. Null for no such task.
 */
export async function queueStanding(
  db: Tx,
  opts: { organizationId: string; taskId: string; now: Date },
): Promise<QueueStanding | null> {
  if (!isUuid(opts.taskId)) return null;
  const [task] = await db.execute<{
    profile_name: string;
    expected_core_seconds: number;
    cores_per_instance: number;
    min_cores: number;
    min_ram_gb: number;
    requires_container_runtime: boolean;
    waiting: number;
    queued: number;
    head_class: number | null;
    head_queued_at: string | null;
    head_id: string | null;
  }>(sql`
    select p.name as profile_name, p.expected_core_seconds_per_instance as expected_core_seconds, t.cores_per_instance,
      t.min_cores, t.min_ram_gb, t.requires_container_runtime,
      (select count(*) from instances i where i.task_id = t.id and i.state = 'waiting')::int as waiting,
      (select count(*) from instances i where i.task_id = t.id and i.state = 'queued')::int as queued,
      h.priority_class as head_class, h.queued_at as head_queued_at, h.id as head_id
    from tasks t join profiles p on p.id = t.profile_id
    left join lateral (select i.priority_class, i.queued_at, i.id from instances i where i.task_id = t.id and i.state = 'queued'
      order by i.queued_at, i.id limit 1) h on true
    where t.id = ${opts.taskId} and t.organization_id = ${opts.organizationId}`);
  if (!task) return null;
  const waitingInstances = task.waiting + task.queued;
  if (waitingInstances === 0) return { waitingInstances: 0, position: null, etaSeconds: null, reason: null };

  const onlineSince = new Date(opts.now.getTime() - SILENT_AFTER_S * 1000).toISOString();
  const [fleet] = await db.execute<{ online: number; with_runtime: number; fitting: number; wanted_cores: number; free_cores: number }>(sql`
    with online as (
      select rs.cores_wanted, rs.cores_assigned, rs.container_runtime, rs.current_organization_id,
        h.cores >= ${task.min_cores} and h.ram_gb >= ${task.min_ram_gb}
          and (rs.container_runtime or not ${task.requires_container_runtime}) as fits
      from radiator_states rs join radiators r on r.id = rs.radiator_id join hardware_models h on h.id = r.hardware_model_id
      where rs.last_reading_at >= ${onlineSince}
    )
    select count(*)::int as online, (count(*) filter (where container_runtime))::int as with_runtime,
      (count(*) filter (where fits))::int as fitting,
      coalesce(sum(cores_wanted) filter (where fits), 0)::int as wanted_cores,
      coalesce(sum(cores_wanted - cores_assigned) filter (where fits and cores_wanted - cores_assigned >= ${task.cores_per_instance}
        and (current_organization_id is null or current_organization_id = ${opts.organizationId})), 0)::int as free_cores
    from online`);
  const heat = fleet!;
  if (task.head_class === null) {
    return { waitingInstances, position: null, etaSeconds: null, reason: waitReason(task, heat, null) };
  }
  // Read in the dispatcher's order, and only as far as it matters: our own older work, then from
  // each other customer of our class as many instances as fair share serves before our head; the
  // work of classes served first is counted whole (the queue index keeps each group contiguous).
  const [own] = await db.execute<{ n: number; core_seconds: number }>(sql`
    select coalesce(sum(x.n), 0)::int as n, coalesce(sum(x.n * p.expected_core_seconds_per_instance), 0)::float8 as core_seconds
    from (
      select i.task_id, count(*) as n from instances i
      where i.state = 'queued' and i.priority_class = ${task.head_class} and i.organization_id = ${opts.organizationId}
        and (i.queued_at, i.id) < (${task.head_queued_at}::timestamptz, ${task.head_id}::bigint) and i.task_id <> ${opts.taskId}
      group by i.task_id
    ) x join tasks t on t.id = x.task_id join profiles p on p.id = t.profile_id`);
  const ownEarlier = own!.n;
  // Each (class, customer) with queued work, by a skip scan of the queue index, then its share.
  const groups = await db.execute<{ priority_class: number; organization_id: string; n: number; core_seconds: number }>(sql`
    with recursive g as (
      (select priority_class, organization_id from instances where state = 'queued' and priority_class <= ${task.head_class}
        order by priority_class, organization_id limit 1)
      union all
      select n.priority_class, n.organization_id from g, lateral (
        select priority_class, organization_id from instances
        where state = 'queued' and priority_class <= ${task.head_class}
          and (priority_class, organization_id) > (g.priority_class, g.organization_id)
        order by priority_class, organization_id limit 1) n
    )
    select g.priority_class, g.organization_id, s.n, s.core_seconds
    from g, lateral (
      select count(*)::int as n, coalesce(sum(p.expected_core_seconds_per_instance), 0)::float8 as core_seconds
      from (
        select i.task_id from instances i
        where i.state = 'queued' and i.priority_class = g.priority_class and i.organization_id = g.organization_id
        order by i.queued_at, i.id
        limit case when g.priority_class < ${task.head_class} then null else ${ownEarlier + 1}::int end
      ) x join tasks t on t.id = x.task_id join profiles p on p.id = t.profile_id
    ) s
    where not (g.priority_class = ${task.head_class} and g.organization_id = ${opts.organizationId})`);
  const ahead = standingAhead(groups, task.head_class, { n: ownEarlier, coreSeconds: own!.core_seconds });
  const ownCoreSeconds = waitingInstances * task.expected_core_seconds;
  return {
    waitingInstances,
    position: ahead.instances,
    // The cores that rooms want now run the work ahead, then this task's.
    etaSeconds: heat.wanted_cores > 0 ? Math.round((ahead.coreSeconds + ownCoreSeconds) / heat.wanted_cores) : null,
    reason: waitReason(task, heat, ahead),
  };
}

/**
 * Instances and core-seconds served before the task's head: our own older work of its class,
 * every group of a class served first, and what each other customer of its class gets first
 * (fair share: about one instance per one of ours, ties to the older; the groups' counts are
 * already bounded by that).
 */
function standingAhead(
  groups: Array<{ priority_class: number; organization_id: string; n: number; core_seconds: number }>,
  headClass: number,
  own: { n: number; coreSeconds: number },
) {
  const ownEarlier = own.n;
  const higherClass = new Map<number, number>();
  let instances = ownEarlier;
  let coreSeconds = own.coreSeconds;
  let otherCustomers = 0;
  for (const g of groups) {
    if (g.priority_class < headClass) {
      higherClass.set(g.priority_class, (higherClass.get(g.priority_class) ?? 0) + g.n);
    } else {
      otherCustomers += g.n;
    }
    instances += g.n;
    coreSeconds += g.core_seconds;
  }
  return { instances, coreSeconds, higherClass, ownEarlier, otherCustomers };
}

function waitReason(
  task: { waiting: number; queued: number; profile_name: string; requires_container_runtime: boolean; min_cores: number; min_ram_gb: number; cores_per_instance: number },
  heat: { online: number; with_runtime: number; fitting: number; wanted_cores: number; free_cores: number },
  ahead: ReturnType<typeof standingAhead> | null,
): string | null {
  if (!ahead) return "Waits for the tasks it depends on";
  if (heat.online === 0) return "No radiator is online";
  if (task.requires_container_runtime && heat.with_runtime === 0) return `No node offers a container runtime (${task.profile_name})`;
  if (heat.fitting === 0) return `No node has ${task.min_cores} cores and ${task.min_ram_gb} GB of RAM`;
  if (heat.wanted_cores === 0) return "No radiator wants heat right now";
  if (ahead.higherClass.size > 0) {
    const names = [...ahead.higherClass.keys()].sort((a, b) => a - b).map((c) => CLASS_NAMES[c]);
    return `${names.join(" and ")} work is ahead`;
  }
  if (heat.free_cores < task.cores_per_instance) return "Every radiator that wants heat is busy";
  if (ahead.ownEarlier > 0) return "Your earlier tasks are ahead";
  if (ahead.otherCustomers > 0) return "Other customers' work shares the heat (fair share)";
  return null;
}
