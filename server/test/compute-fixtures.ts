import { asc, eq, sql } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { buildings, gateways, instanceLogs, instanceOutputs, radiators, radiatorStates, sites } from "@/server/db/schema";
import { assignWork, finishAttempt, markAttemptsRunning } from "@/server/services/scheduler";

/** Helpers for tests of the compute services: heat on radiators, and attempts driven as a gateway would. */

/** Radiators of a seeded site, in a stable order. */
export async function radiatorsOf(db: Db, siteName: string, count: number) {
  const rows = await db
    .select({ id: radiators.id })
    .from(radiators)
    .innerJoin(gateways, eq(gateways.id, radiators.gatewayId))
    .innerJoin(buildings, eq(buildings.id, gateways.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(eq(sites.name, siteName))
    .orderBy(asc(radiators.serial))
    .limit(count);
  return rows.map((r) => r.id);
}

/** The radiators report, at `at`, that their rooms want `coresWanted` cores each. */
export async function wantHeat(db: Db, radiatorIds: string[], coresWanted: number, at: Date, containerRuntime = false) {
  if (radiatorIds.length === 0) return;
  await db
    .insert(radiatorStates)
    .values(radiatorIds.map((radiatorId) => ({ radiatorId, coresWanted, lastReadingAt: at, containerRuntime })))
    .onConflictDoUpdate({ target: radiatorStates.radiatorId, set: { coresWanted, lastReadingAt: at, containerRuntime } });
}

export type ActiveAttempt = { attemptId: number; instanceId: number; instanceNumber: number; state: string };

/** Attempts on radiators of a task, by instance number. */
export async function activeAttempts(db: Db, taskId: string): Promise<ActiveAttempt[]> {
  const rows = await db.execute<{ attempt_id: string; instance_id: string; instance_number: number; state: string }>(sql`
    select a.id as attempt_id, a.instance_id, i.instance_number, a.state
    from instance_attempts a join instances i on i.id = a.instance_id
    where i.task_id = ${taskId} and a.state in ('dispatched', 'running')
    order by i.instance_number`);
  return rows.map((r) => ({ attemptId: Number(r.attempt_id), instanceId: Number(r.instance_id), instanceNumber: r.instance_number, state: r.state }));
}

/** Dispatches what the heat allows, and reports every attempt of the task started. */
export async function startAll(db: Db, taskId: string, now: Date) {
  await assignWork(db, { now });
  const attempts = await activeAttempts(db, taskId);
  await markAttemptsRunning(db, attempts.map((a) => ({ attemptId: a.attemptId, startedAt: now })));
  return attempts;
}

/** Ends the running attempts of the given instances as a gateway reports it. */
export async function finish(
  db: Db,
  taskId: string,
  instanceNumbers: number[],
  outcome: "succeeded" | "failed" | "cancelled",
  endedAt: Date,
) {
  for (const a of await activeAttempts(db, taskId)) {
    if (!instanceNumbers.includes(a.instanceNumber)) continue;
    await finishAttempt(db, { attemptId: a.attemptId, outcome, exitCode: outcome === "succeeded" ? 0 : 1, endedAt });
  }
}

export async function addLog(db: Db, attempt: ActiveAttempt, stream: "stdout" | "stderr", chunkSeq: number, content: string) {
  await db.insert(instanceLogs).values({ instanceId: attempt.instanceId, attemptId: attempt.attemptId, stream, chunkSeq, content });
}

export async function addOutput(db: Db, attempt: ActiveAttempt, name: string, contentType: string, content: Buffer) {
  await db.insert(instanceOutputs).values({
    instanceId: attempt.instanceId,
    attemptId: attempt.attemptId,
    name,
    contentType,
    content,
    sizeBytes: content.length,
  });
}
