import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { jsonb, pgArray } from "@/server/db/sql-params";
import { planAssignments, type QueuedInstance, type RadiatorSlot } from "@/server/domain/scheduling";
import { chargeEndedAttempt, lockChargesOf } from "./billing";
import { notifyTaskEnded } from "./notifications";

/**
 * The dispatcher and the life cycle of attempts. Safe with several processes at once:
 * radiators and queued instances are taken with `FOR UPDATE SKIP LOCKED`, so one radiator is
 * filled by one scheduler at a time (one customer per radiator) and one instance is given to
 * one radiator (an instance row is locked and its state checked in the same transaction).
 * Lock order everywhere: radiator_states, then instances.
 */


/** A radiator that has not reported for this long is considered gone; its work runs elsewhere. */
export const SILENT_AFTER_S = 300;

export type Assignment = {
  attemptId: number;
  instanceId: number;
  radiatorId: string;
  taskId: string;
  organizationId: string;
  instanceNumber: number;
  coresAssigned: number;
};

type RadiatorRow = {
  radiator_id: string;
  free_cores: number;
  total_cores: number;
  ram_gb: number;
  container_runtime: boolean;
  current_organization_id: string | null;
};

type CandidateRow = {
  id: string;
  task_id: string;
  organization_id: string;
  instance_number: number;
  priority_class: number;
  cores_needed: number;
  min_cores: number;
  min_ram_gb: number;
  requires_container_runtime: boolean;
  attempt_count: number;
};

/** One round on up to `batchSize` radiators, after `afterRadiatorId`. */
async function dispatchBatch(
  tx: Tx,
  opts: { now: Date; onlineSince: Date; radiatorIds?: string[]; afterRadiatorId: string; batchSize: number },
) {
  // Each (class, customer) with queued work, found by a skip scan of the queue index.
  const groups = await tx.execute<{ priority_class: number; organization_id: string }>(sql`
    with recursive g as (
      (select priority_class, organization_id from instances where state = 'queued'
        order by priority_class, organization_id limit 1)
      union all
      select n.priority_class, n.organization_id from g, lateral (
        select priority_class, organization_id from instances
        where state = 'queued' and (priority_class, organization_id) > (g.priority_class, g.organization_id)
        order by priority_class, organization_id limit 1) n
    )
    select priority_class, organization_id from g`);
  // Nothing queued: no need to lock any radiator.
  if (groups.length === 0) return null;

  const radiatorFilter = opts.radiatorIds
    ? sql`and rs.radiator_id = any(${pgArray(opts.radiatorIds)}::uuid[])`
    : sql``;
  const radiators = await tx.execute<RadiatorRow>(sql`
    select rs.radiator_id, (rs.cores_wanted - rs.cores_assigned)::int as free_cores, h.cores as total_cores,
      h.ram_gb, rs.container_runtime, rs.current_organization_id
    from radiator_states rs
    join radiators r on r.id = rs.radiator_id
    join hardware_models h on h.id = r.hardware_model_id
    where rs.cores_wanted > rs.cores_assigned and rs.last_reading_at >= ${opts.onlineSince.toISOString()}
      and rs.radiator_id > ${opts.afterRadiatorId} ${radiatorFilter}
    order by rs.radiator_id
    limit ${opts.batchSize}
    for update of rs skip locked`);
  if (radiators.length === 0) return null;
  const lastRadiatorId = radiators[radiators.length - 1]!.radiator_id;
  const freeCores = radiators.reduce((n, r) => n + r.free_cores, 0);

  // Lock a fair share of instances per customer (twice what an even split of the free cores would
  // give), not the whole free capacity per customer: locking is the expensive part. A customer cut
  // short by this cap gets another pass over the same radiators (see `capped`).
  const customersPerClass = new Map<number, number>();
  for (const g of groups) customersPerClass.set(g.priority_class, (customersPerClass.get(g.priority_class) ?? 0) + 1);
  const candidates: CandidateRow[] = [];
  let cappedClass: number | null = null;
  for (const group of groups) {
    // A capped customer of a higher class must not see a lower class take heat it could use:
    // lower classes wait for the next pass.
    if (cappedClass !== null && group.priority_class > cappedClass) break;
    const limit = Math.min(freeCores, Math.ceil((2 * freeCores) / customersPerClass.get(group.priority_class)!));
    const rows = await tx.execute<CandidateRow>(sql`
      select id, task_id, organization_id, instance_number, priority_class, cores_needed, min_cores, min_ram_gb,
        requires_container_runtime, attempt_count
      from instances
      where state = 'queued' and priority_class = ${group.priority_class} and organization_id = ${group.organization_id}
        -- Never before it was queued: a clock in the past (the simulator filling history) must not run it.
        and queued_at <= ${opts.now.toISOString()}
      order by queued_at, id
      limit ${limit}
      for update skip locked`);
    candidates.push(...rows);
    if (rows.length === limit && limit < freeCores) cappedClass ??= group.priority_class;
  }
  const capped = cappedClass !== null;
  if (candidates.length === 0) return { lastRadiatorId, assignments: [], capped: false };

  const running = await tx.execute<{ organization_id: string; cores: number }>(sql`
    select current_organization_id as organization_id, sum(cores_assigned)::int as cores
    from radiator_states where current_organization_id is not null group by 1`);

  const slots: RadiatorSlot[] = radiators.map((r) => ({
    radiatorId: r.radiator_id,
    freeCores: r.free_cores,
    totalCores: r.total_cores,
    ramGb: r.ram_gb,
    containerRuntime: r.container_runtime,
    currentOrganizationId: r.current_organization_id,
  }));
  const queue: QueuedInstance[] = candidates.map((c) => ({
    instanceId: Number(c.id),
    organizationId: c.organization_id,
    priorityClass: c.priority_class,
    coresNeeded: c.cores_needed,
    minCores: c.min_cores,
    minRamGb: c.min_ram_gb,
    requiresContainerRuntime: c.requires_container_runtime,
  }));
  queue.sort((a, b) => a.instanceId - b.instanceId);
  const plan = planAssignments(slots, queue, new Map(running.map((r) => [r.organization_id, r.cores])));
  if (plan.length === 0) return { lastRadiatorId, assignments: [], capped: false };

  const byId = new Map(candidates.map((c) => [Number(c.id), c]));
  const rows = plan.map((p) => {
    const c = byId.get(p.instanceId)!;
    return { instance_id: p.instanceId, radiator_id: p.radiatorId, attempt_number: c.attempt_count + 1, cores: p.coresNeeded, org: p.organizationId };
  });
  const now = opts.now.toISOString();
  const inserted = await tx.execute<{ id: string; instance_id: string }>(sql`
    insert into instance_attempts (instance_id, radiator_id, attempt_number, cores_assigned, state, dispatched_at)
    select v.instance_id, v.radiator_id, v.attempt_number, v.cores, 'dispatched', ${now}
    from jsonb_to_recordset(${jsonb(rows)}) as v(instance_id bigint, radiator_id uuid, attempt_number smallint, cores smallint)
    returning id, instance_id`);
  await tx.execute(sql`
    update instances i set state = 'dispatched', radiator_id = v.radiator_id, attempt_count = i.attempt_count + 1,
      progress_pct = null
    from jsonb_to_recordset(${jsonb(rows)}) as v(instance_id bigint, radiator_id uuid)
    where i.id = v.instance_id`);
  const perRadiator = new Map<string, { cores: number; org: string }>();
  for (const p of plan) {
    const entry = perRadiator.get(p.radiatorId) ?? { cores: 0, org: p.organizationId };
    entry.cores += p.coresNeeded;
    perRadiator.set(p.radiatorId, entry);
  }
  await tx.execute(sql`
    update radiator_states rs set cores_assigned = rs.cores_assigned + v.cores, current_organization_id = v.org
    from jsonb_to_recordset(${jsonb([...perRadiator].map(([radiatorId, e]) => ({ radiator_id: radiatorId, cores: e.cores, org: e.org })))})
      as v(radiator_id uuid, cores int, org uuid)
    where rs.radiator_id = v.radiator_id`);

  const attemptByInstance = new Map(inserted.map((r) => [Number(r.instance_id), Number(r.id)]));
  const assignments: Assignment[] = plan.map((p) => {
    const c = byId.get(p.instanceId)!;
    return {
      attemptId: attemptByInstance.get(p.instanceId)!,
      instanceId: p.instanceId,
      radiatorId: p.radiatorId,
      taskId: c.task_id,
      organizationId: p.organizationId,
      instanceNumber: c.instance_number,
      coresAssigned: p.coresNeeded,
    };
  });
  return { lastRadiatorId, assignments, capped };
}

/**
 * Fills the free wanted cores of online radiators (all, or `radiatorIds`) with queued work,
 * in batches of radiators, each batch in its own short transaction.
 */
export async function assignWork(
  db: Tx,
  opts: { now: Date; radiatorIds?: string[]; batchSize?: number; silentAfterS?: number },
): Promise<Assignment[]> {
  if (opts.radiatorIds && opts.radiatorIds.length === 0) return [];
  const onlineSince = new Date(opts.now.getTime() - (opts.silentAfterS ?? SILENT_AFTER_S) * 1000);
  const all: Assignment[] = [];
  let afterRadiatorId = "00000000-0000-0000-0000-000000000000";
  for (;;) {
    const round = await db.transaction((tx) =>
      dispatchBatch(tx, { now: opts.now, onlineSince, radiatorIds: opts.radiatorIds, afterRadiatorId, batchSize: opts.batchSize ?? 500 }),
    );
    if (!round) return all;
    all.push(...round.assignments);
    // Move on to the next radiators unless a capped customer may still use heat left on these.
    if (!(round.capped && round.assignments.length > 0)) afterRadiatorId = round.lastRadiatorId;
  }
}

/** Attempts the gateway reported started: running, and so are their instances. */
export async function markAttemptsRunning(tx: Tx, starts: ReadonlyArray<{ attemptId: number; startedAt: Date }>) {
  if (starts.length === 0) return;
  const sorted = [...starts].sort((a, b) => a.attemptId - b.attemptId); // one lock order
  await tx.execute(sql`
    with started as (
      update instance_attempts a set state = 'running', started_at = v.started_at
      from unnest(${pgArray(sorted.map((s) => s.attemptId))}::bigint[],
        ${pgArray(sorted.map((s) => s.startedAt.toISOString()))}::timestamptz[]) as v(id, started_at)
      where a.id = v.id and a.state = 'dispatched'
      returning a.instance_id
    )
    update instances set state = 'running' where id in (select instance_id from started) and state = 'dispatched'`);
}

/**
 * SET clause for an instance (`i`, with its task `t`) whose attempt failed or was lost: back in
 * the queue while attempts remain, else failed; cancelled if its task is being cancelled.
 */
function afterUnsuccessfulAttempt(at: string) {
  const retry = sql`t.cancel_requested_at is null and i.attempt_count < i.max_attempts`;
  return sql`
    state = case when t.cancel_requested_at is not null then 'cancelled'
      when i.attempt_count < i.max_attempts then 'queued' else 'failed' end::instance_state,
    radiator_id = null,
    queued_at = case when ${retry} then ${at}::timestamptz else i.queued_at end,
    ended_at = case when ${retry} then null else ${at}::timestamptz end`;
}

/** Frees an attempt's cores on its radiator; the radiator is free for any customer once empty. */
async function releaseCores(tx: Tx, radiatorId: string, cores: number) {
  await tx.execute(sql`
    update radiator_states set cores_assigned = greatest(0, cores_assigned - ${cores}),
      current_organization_id = case when cores_assigned - ${cores} <= 0 then null else current_organization_id end
    where radiator_id = ${radiatorId}`);
}

/**
 * Ends an attempt as the gateway reported it. Idempotent: an attempt that already ended
 * (a repeated report, or one lost to a timeout meanwhile) is left as it is. Returns whether it ended now.
 */
export async function finishAttempt(
  tx: Tx,
  opts: { attemptId: number; outcome: "succeeded" | "failed" | "cancelled"; exitCode: number | null; endedAt: Date },
) {
  const endedAt = opts.endedAt.toISOString();
  const [attempt] = await tx.execute<{ instance_id: string; radiator_id: string; cores_assigned: number }>(sql`
    update instance_attempts set state = ${opts.outcome}, ended_at = ${endedAt}, exit_code = ${opts.exitCode}
    where id = ${opts.attemptId} and state in ('dispatched', 'running')
    returning instance_id, radiator_id, cores_assigned`);
  if (!attempt) return false;
  await releaseCores(tx, attempt.radiator_id, attempt.cores_assigned);
  // Ended billable: charged in this same transaction (lost attempts never come here).
  await chargeEndedAttempt(tx, opts.attemptId);
  const next =
    opts.outcome === "succeeded"
      ? sql`state = 'succeeded', radiator_id = null, ended_at = ${endedAt}, progress_pct = 100`
      : opts.outcome === "cancelled"
        ? sql`state = 'cancelled', radiator_id = null, ended_at = ${endedAt}`
        : afterUnsuccessfulAttempt(endedAt);
  // An instance cancelled by request while on the radiator (cancelInstances) stays cancelled.
  const [instance] = await tx.execute<{ task_id: string }>(sql`
    update instances i set ${next}, exit_code = ${opts.exitCode}
    from tasks t
    where i.id = ${attempt.instance_id} and t.id = i.task_id and i.state in ('dispatched', 'running')
    returning i.task_id`);
  if (instance) await settleTask(tx, instance.task_id, opts.endedAt);
  return true;
}

/**
 * When every instance of a task has ended, records the end (notifying the customer, once per
 * ending) and releases the tasks that depended on it (their waiting instances join the queue once
 * all their dependencies succeeded).
 */
export async function settleTask(tx: Tx, taskId: string, now: Date) {
  const [open] = await tx.execute<{ n: number }>(sql`
    select count(*)::int as n from instances
    where task_id = ${taskId} and state in ('waiting', 'queued', 'dispatched', 'running')`);
  if (open!.n > 0) return;
  const ended = await tx.execute(sql`
    update tasks set ended_at = ${now.toISOString()} where id = ${taskId} and ended_at is null returning id`);
  if (ended.length > 0) await notifyTaskEnded(tx, { taskId, now });
  await tx.execute(sql`
    update instances i set state = 'queued', queued_at = ${now.toISOString()}
    where i.state = 'waiting' and i.task_id in (
      select d.task_id from task_dependencies d where d.depends_on_task_id = ${taskId}
      and not exists (
        select 1 from task_dependencies d2 join instances j on j.task_id = d2.depends_on_task_id
        where d2.task_id = d.task_id and j.state <> 'succeeded'))`);
}

/**
 * Takes the work back from radiators silent for longer than `silentAfterS`: their attempts are
 * lost (not billed) and their instances go back to the queue while attempts remain.
 */
export async function reclaimSilentRadiators(db: Tx, opts: { now: Date; silentAfterS?: number }) {
  const cutoff = new Date(opts.now.getTime() - (opts.silentAfterS ?? SILENT_AFTER_S) * 1000).toISOString();
  const now = opts.now.toISOString();
  return db.transaction(async (tx) => {
    const silent = await tx.execute<{ radiator_id: string }>(sql`
      select radiator_id from radiator_states
      where cores_assigned > 0 and (last_reading_at is null or last_reading_at < ${cutoff})
      for update skip locked`);
    if (silent.length === 0) return 0;
    const ids = pgArray(silent.map((r) => r.radiator_id));
    const lost = await tx.execute<{ instance_id: string }>(sql`
      update instance_attempts set state = 'lost', ended_at = ${now}, billable = false
      where state in ('dispatched', 'running') and radiator_id = any(${ids}::uuid[])
      returning instance_id`);
    await tx.execute(sql`
      update radiator_states set cores_assigned = 0, current_organization_id = null
      where radiator_id = any(${ids}::uuid[])`);
    await requeueLostInstances(tx, lost.map((r) => r.instance_id), opts.now);
    return lost.length;
  });
}

/** How long past its wall-time limit a running attempt may still be reported ended by its gateway. */
export const OVERDUE_GRACE_S = 15 * 60;

/**
 * Ends, as failed, the running attempts past their task's wall-time limit by more than the grace:
 * their gateway should have stopped them and said so, and has not. Each ends at its limit, like a
 * run the gateway stopped there; its instance is retried while attempts remain. If the radiator
 * still lists it as running, the answer to its report tells it to stop. Returns how many ended.
 */
export async function failOverdueAttempts(db: Tx, opts: { now: Date; graceS?: number }) {
  const graceS = opts.graceS ?? OVERDUE_GRACE_S;
  return db.transaction(async (tx) => {
    const overdue = await tx.execute<{ id: string; radiator_id: string; limit_at: string }>(sql`
      select a.id, a.radiator_id, a.started_at + make_interval(secs => t.max_wall_time_s) as limit_at
      from instance_attempts a join instances i on i.id = a.instance_id join tasks t on t.id = i.task_id
      where a.state = 'running' and t.max_wall_time_s is not null
        and a.started_at + make_interval(secs => t.max_wall_time_s + ${graceS}) < ${opts.now.toISOString()}`);
    if (overdue.length === 0) return 0;
    // The scheduler's lock order: radiators first. A radiator busy with a report waits for the next tick.
    const locked = await tx.execute<{ radiator_id: string }>(sql`
      select radiator_id from radiator_states
      where radiator_id = any(${pgArray([...new Set(overdue.map((a) => a.radiator_id))])}::uuid[])
      order by radiator_id for update skip locked`);
    const free = new Set(locked.map((r) => r.radiator_id));
    const ending = overdue.filter((a) => free.has(a.radiator_id));
    // Then the charges' locks of their customers, in order (see lockChargesOf).
    await lockChargesOf(tx, ending.map((a) => Number(a.id)));
    let ended = 0;
    for (const a of ending) {
      if (await finishAttempt(tx, { attemptId: Number(a.id), outcome: "failed", exitCode: null, endedAt: new Date(a.limit_at) })) ended += 1;
    }
    return ended;
  });
}

/**
 * Takes back started attempts that a radiator no longer runs: its gateway listed what runs on it
 * (`keep`, at `listedAt` on the gateway's clock), and an attempt started before that is not in
 * the list vanished (the radiator rebooted). Each is lost, unbilled, from the radiator's reading
 * before the list (`lastReadingAt`), and its instance goes back to the queue while attempts
 * remain. Returns how many were lost. The caller holds the radiators' radiator_states rows.
 */
export async function loseVanishedAttempts(
  tx: Tx,
  opts: { radiators: ReadonlyArray<{ radiatorId: string; keep: readonly number[]; lastReadingAt: Date | null }>; listedAt: Date; now: Date },
) {
  if (opts.radiators.length === 0) return 0;
  const listed = opts.radiators.map((r) => ({ radiator_id: r.radiatorId, last_reading_at: r.lastReadingAt?.toISOString() ?? null }));
  const keep = opts.radiators.flatMap((r) => r.keep.map((attemptId) => ({ radiator_id: r.radiatorId, attempt_id: attemptId })));
  const lost = await tx.execute<{ instance_id: string; radiator_id: string; cores_assigned: number }>(sql`
    update instance_attempts a set state = 'lost', billable = false,
      ended_at = greatest(a.started_at, coalesce(v.last_reading_at, a.started_at))
    from jsonb_to_recordset(${jsonb(listed)}) as v(radiator_id uuid, last_reading_at timestamptz)
    where a.radiator_id = v.radiator_id and a.state = 'running' and a.started_at < ${opts.listedAt.toISOString()}
      and not exists (select 1 from jsonb_to_recordset(${jsonb(keep)}) as k(radiator_id uuid, attempt_id bigint)
        where k.radiator_id = a.radiator_id and k.attempt_id = a.id)
    returning a.instance_id, a.radiator_id, a.cores_assigned`);
  await afterLosing(tx, lost, opts.now);
  return lost.length;
}

/**
 * Answers that may offer an attempt its gateway does not start: past that, the gateway evidently
 * cannot run it (and says nothing), so it is taken back and run elsewhere.
 */
export const MAX_OFFERS = 10;

/**
 * Counts one more offer of these not-yet-started attempts to their gateway. Those offered
 * MAX_OFFERS times already are lost instead (unbilled, their instance queued again while attempts
 * remain, their cores freed): returns their ids, to leave out of the answer. The caller holds the
 * radiators' radiator_states rows.
 */
export async function recordOffers(tx: Tx, attemptIds: readonly number[], now: Date): Promise<Set<number>> {
  if (attemptIds.length === 0) return new Set();
  const ids = pgArray([...attemptIds].sort((a, b) => a - b));
  const at = now.toISOString();
  const given = await tx.execute<{ id: string; instance_id: string; radiator_id: string; cores_assigned: number }>(sql`
    update instance_attempts set state = 'lost', billable = false, ended_at = ${at}
    where id = any(${ids}::bigint[]) and state = 'dispatched' and offer_count >= ${MAX_OFFERS}
    returning id, instance_id, radiator_id, cores_assigned`);
  await tx.execute(sql`
    update instance_attempts set offer_count = offer_count + 1
    where id = any(${ids}::bigint[]) and state = 'dispatched'`);
  await afterLosing(tx, given, now);
  return new Set(given.map((a) => Number(a.id)));
}

/**
 * After attempts were lost on radiators that stay in service: their cores are free again, in one
 * statement, and their instances queued again. The caller holds the radiators' rows.
 */
async function afterLosing(tx: Tx, lost: ReadonlyArray<{ instance_id: string; radiator_id: string; cores_assigned: number }>, now: Date) {
  if (lost.length === 0) return;
  await tx.execute(sql`
    update radiator_states rs set cores_assigned = greatest(0, rs.cores_assigned - v.cores),
      current_organization_id = case when rs.cores_assigned - v.cores <= 0 then null else rs.current_organization_id end
    from (select radiator_id, sum(cores)::int as cores
      from unnest(${pgArray(lost.map((a) => a.radiator_id))}::uuid[], ${pgArray(lost.map((a) => a.cores_assigned))}::int[]) as u(radiator_id, cores)
      group by radiator_id) v
    where rs.radiator_id = v.radiator_id`);
  await requeueLostInstances(tx, lost.map((a) => a.instance_id), now);
}

/** Instances whose attempt was lost: queued again while attempts remain, and their tasks settled. */
async function requeueLostInstances(tx: Tx, instanceIds: readonly string[], now: Date) {
  if (instanceIds.length === 0) return;
  const at = now.toISOString();
  const touched = await tx.execute<{ task_id: string }>(sql`
    update instances i set ${afterUnsuccessfulAttempt(at)}
    from tasks t
    where t.id = i.task_id and i.id = any(${pgArray(instanceIds)}::bigint[])
      and i.state in ('dispatched', 'running')
    returning i.task_id`);
  for (const taskId of new Set(touched.map((r) => r.task_id))) await settleTask(tx, taskId, now);
}

export type ActiveAttempt = {
  attemptId: number;
  instanceId: number;
  radiatorId: string;
  coresAssigned: number;
  dispatchedAt: Date;
  startedAt: Date | null;
  cancelRequested: boolean;
  taskId: string;
  instanceNumber: number;
  profileName: string;
  constants: Record<string, string>;
  maxWallTimeS: number | null;
};

/** Attempts dispatched or running on the given radiators, with what a gateway needs to run them. */
export async function activeAttemptsOnRadiators(tx: Tx, radiatorIds: string[]): Promise<ActiveAttempt[]> {
  if (radiatorIds.length === 0) return [];
  const rows = await tx.execute<{
    attempt_id: string;
    instance_id: string;
    radiator_id: string;
    cores_assigned: number;
    dispatched_at: string;
    started_at: string | null;
    cancel_requested: boolean;
    task_id: string;
    instance_number: number;
    profile_name: string;
    constants: Record<string, string>;
    max_wall_time_s: number | null;
  }>(sql`
    select a.id as attempt_id, a.instance_id, a.radiator_id, a.cores_assigned, a.dispatched_at, a.started_at,
      -- The whole task cancelled, or this instance (cancelInstances ends it before its radiator stops).
      (t.cancel_requested_at is not null or i.state = 'cancelled') as cancel_requested, t.id as task_id, i.instance_number,
      p.name as profile_name, t.constants, t.max_wall_time_s
    from instance_attempts a
    join instances i on i.id = a.instance_id
    join tasks t on t.id = i.task_id
    join profiles p on p.id = t.profile_id
    where a.state in ('dispatched', 'running')
      and a.radiator_id = any(${pgArray(radiatorIds)}::uuid[])
    order by a.id`);
  return rows.map((r) => ({
    attemptId: Number(r.attempt_id),
    instanceId: Number(r.instance_id),
    radiatorId: r.radiator_id,
    coresAssigned: r.cores_assigned,
    dispatchedAt: new Date(r.dispatched_at),
    startedAt: r.started_at ? new Date(r.started_at) : null,
    cancelRequested: r.cancel_requested,
    taskId: r.task_id,
    instanceNumber: r.instance_number,
    profileName: r.profile_name,
    constants: r.constants,
    maxWallTimeS: r.max_wall_time_s,
  }));
}
