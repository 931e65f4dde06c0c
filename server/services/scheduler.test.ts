import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { closeDb, createDb, type Db } from "@/server/db/client";
import { instanceAttempts, instances, radiatorStates } from "@/server/db/schema";
import { radiatorsOf, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { assignWork, failOverdueAttempts, finishAttempt, markAttemptsRunning, OVERDUE_GRACE_S, reclaimSilentRadiators } from "./scheduler";
import { cancelTask, createTask } from "./tasks";

const db = useTestDb();
const now = new Date("2026-01-15T10:00:00Z");
let lumen: string;
let carmin: string;
let donor: string;

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  donor = await organizationIdByName(db, "Hearth Operations");
});

/** The engine's invariants, read from the database. */
async function expectInvariants(on: Db = db) {
  const [twice] = await on.execute<{ n: number }>(sql`
    select count(*)::int as n from (select instance_id from instance_attempts where state in ('dispatched','running')
      group by instance_id having count(*) > 1) x`);
  expect(twice!.n, "an instance is active on two radiators").toBe(0);
  const [mixed] = await on.execute<{ n: number }>(sql`
    select count(*)::int as n from (select a.radiator_id from instance_attempts a join instances i on i.id = a.instance_id
      where a.state in ('dispatched','running') group by a.radiator_id having count(distinct i.organization_id) > 1) x`);
  expect(mixed!.n, "a radiator runs two customers").toBe(0);
  const [overfull] = await on.execute<{ n: number }>(sql`
    select count(*)::int as n from radiator_states rs where rs.cores_assigned > rs.cores_wanted
      or rs.cores_assigned <> coalesce((select sum(cores_assigned) from instance_attempts a
        where a.radiator_id = rs.radiator_id and a.state in ('dispatched','running')), 0)`);
  expect(overfull!.n, "radiator cores out of step with its attempts").toBe(0);
}

describe("assignWork", () => {
  it("fills the cores that rooms want, and no more", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 10);
    await wantHeat(db, rads, 3, now);
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 100, now });
    const assigned = await assignWork(db, { now });
    expect(assigned).toHaveLength(30);
    await expectInvariants();
    // Nothing more to give until heat is wanted again.
    expect(await assignWork(db, { now })).toHaveLength(0);
  });

  it("never dispatches an instance at a time before it was queued", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 2);
    await wantHeat(db, rads, 2, new Date(now.getTime() - 120_000));
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "later", instanceCount: 4, now });
    expect(await assignWork(db, { now: new Date(now.getTime() - 60_000) })).toHaveLength(0);
    expect(await assignWork(db, { now })).toHaveLength(4);
  });

  it("sends OnDemand work before Flex work queued earlier", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 2);
    await wantHeat(db, rads, 2, now);
    const flex = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "flex", instanceCount: 10, now });
    const onDemand = await createTask(db, {
      organizationId: carmin,
      profileName: "monte-carlo",
      name: "od",
      instanceCount: 3,
      schedulingType: "OnDemand",
      now,
    });
    const assigned = await assignWork(db, { now });
    expect(assigned.filter((a) => a.taskId === onDemand.id)).toHaveLength(3);
    expect(assigned.filter((a) => a.taskId === flex.id)).toHaveLength(0); // the last free core is on Carmin's radiator
    await expectInvariants();
  });

  it("runs donated research only on heat that no paid work can use", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 4);
    await wantHeat(db, rads, 4, now);
    await createTask(db, { organizationId: donor, profileName: "research", name: "folding", instanceCount: 50, donated: true, now });
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "paid", instanceCount: 8, now });
    const assigned = await assignWork(db, { now });
    expect(assigned.filter((a) => a.organizationId === lumen)).toHaveLength(8);
    expect(assigned.filter((a) => a.organizationId === donor)).toHaveLength(8);
  });

  it("keeps container work waiting on a fleet without a container runtime", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 5), 8, now);
    await createTask(db, {
      organizationId: lumen,
      profileName: "docker-batch",
      name: "docker",
      instanceCount: 5,
      constants: { image: "alpine:3.20", command: "true" },
      now,
    });
    expect(await assignWork(db, { now })).toHaveLength(0);
  });

  it("puts paid work on the all-year site in summer, when flats want no heat", async () => {
    const summer = new Date("2026-07-15T14:00:00Z");
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 50), 0, summer);
    const pool = await radiatorsOf(db, "Centre aquatique de Mérignac", 12);
    await wantHeat(db, pool, 96, summer);
    await createTask(db, { organizationId: lumen, profileName: "render", name: "frames", instanceRanges: "1-120", now: summer });
    const assigned = await assignWork(db, { now: summer });
    expect(assigned).toHaveLength(120);
    expect(new Set(assigned.map((a) => a.radiatorId)).size).toBeLessThanOrEqual(12);
    expect(assigned.every((a) => pool.includes(a.radiatorId))).toBe(true);
  });

  it("ignores radiators that stopped reporting", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 3);
    await wantHeat(db, rads, 4, new Date(now.getTime() - 3600_000));
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 5, now });
    expect(await assignWork(db, { now })).toHaveLength(0);
  });

  it("uses all the heat when one customer has most of the queue", async () => {
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 50), 4, now);
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "big", instanceCount: 500, now });
    await createTask(db, { organizationId: carmin, profileName: "monte-carlo", name: "small", instanceCount: 1, now });
    await createTask(db, { organizationId: donor, profileName: "monte-carlo", name: "tiny", instanceCount: 1, now });
    await createTask(db, { organizationId: carmin, profileName: "research", name: "donated", instanceCount: 50, donated: true, now });
    const assigned = await assignWork(db, { now });
    // 50 radiators × 4 cores: one each for Carmin and the small task (one customer per radiator),
    // Carmin's donated research fills Carmin's radiator, and Lumen fills all the other 48.
    expect(assigned.filter((a) => a.organizationId === lumen)).toHaveLength(48 * 4);
    expect(assigned.filter((a) => a.organizationId === carmin)).toHaveLength(4);
    expect(assigned).toHaveLength(197);
    await expectInvariants();
  });

  it("holds the invariants when two schedulers race on the same queue", async () => {
    const rads = await radiatorsOf(db, "Résidence Balard", 200);
    await wantHeat(db, rads, 4, now);
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "a", instanceCount: 500, now });
    await createTask(db, { organizationId: carmin, profileName: "monte-carlo", name: "b", instanceCount: 500, now });
    const url = process.env.DATABASE_URL!;
    const [one, two] = [createDb(url, { maxConnections: 2 }), createDb(url, { maxConnections: 2 })];
    try {
      const results = await Promise.all([
        assignWork(one, { now, batchSize: 20 }),
        assignWork(two, { now, batchSize: 20 }),
        assignWork(one, { now, batchSize: 50 }),
      ]);
      const all = results.flat();
      expect(new Set(all.map((a) => a.instanceId)).size).toBe(all.length);
      await expectInvariants();
      // Whatever one scheduler skipped because the other held it is picked up by the next round.
      await assignWork(db, { now });
      const [{ n }] = (await db.execute<{ n: number }>(sql`select sum(cores_assigned)::int as n from radiator_states`)) as unknown as [{ n: number }];
      expect(n).toBe(800);
      await expectInvariants();
    } finally {
      await Promise.all([closeDb(one), closeDb(two)]);
    }
  });
});

describe("attempt life cycle", () => {
  async function oneDispatched(maxRetriesPerInstance = 1) {
    const [rad] = await radiatorsOf(db, "Résidence Balard", 1);
    await wantHeat(db, [rad!], 1, now);
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "t", instanceCount: 1, maxRetriesPerInstance, now });
    const [assignment] = await assignWork(db, { now });
    return { radiatorId: rad!, task, assignment: assignment! };
  }

  it("runs, succeeds, frees the radiator, and ignores a repeated exit", async () => {
    const { assignment, radiatorId } = await oneDispatched();
    await markAttemptsRunning(db, [{ attemptId: assignment.attemptId, startedAt: now }]);
    const end = { attemptId: assignment.attemptId, outcome: "succeeded" as const, exitCode: 0, endedAt: new Date(now.getTime() + 60_000) };
    await finishAttempt(db, end);
    await finishAttempt(db, end);
    const [instance] = await db.select().from(instances).where(eq(instances.id, assignment.instanceId));
    expect(instance).toMatchObject({ state: "succeeded", attemptCount: 1, exitCode: 0 });
    const [state] = await db.select().from(radiatorStates).where(eq(radiatorStates.radiatorId, radiatorId));
    expect(state).toMatchObject({ coresAssigned: 0, currentOrganizationId: null });
  });

  it("retries a failed instance until its attempts run out", async () => {
    const { assignment } = await oneDispatched(1);
    await finishAttempt(db, { attemptId: assignment.attemptId, outcome: "failed", exitCode: 1, endedAt: now });
    const [again] = await assignWork(db, { now });
    expect(again?.instanceId).toBe(assignment.instanceId);
    await finishAttempt(db, { attemptId: again!.attemptId, outcome: "failed", exitCode: 1, endedAt: now });
    const [instance] = await db.select().from(instances).where(eq(instances.id, assignment.instanceId));
    expect(instance).toMatchObject({ state: "failed", attemptCount: 2 });
    expect(await assignWork(db, { now })).toHaveLength(0);
  });

  it("takes work back from a silent radiator without billing the lost attempt", async () => {
    const { assignment, radiatorId } = await oneDispatched(2);
    await markAttemptsRunning(db, [{ attemptId: assignment.attemptId, startedAt: now }]);
    const later = new Date(now.getTime() + 10 * 60_000);
    expect(await reclaimSilentRadiators(db, { now: later })).toBe(1);
    const [attempt] = await db.select().from(instanceAttempts).where(eq(instanceAttempts.id, assignment.attemptId));
    expect(attempt).toMatchObject({ state: "lost", billable: false });
    // Another radiator that wants heat takes it over.
    const [other] = (await radiatorsOf(db, "Résidence Balard", 2)).filter((id) => id !== radiatorId);
    await wantHeat(db, [other!], 1, later);
    const [again] = await assignWork(db, { now: later });
    expect(again).toMatchObject({ instanceId: assignment.instanceId, radiatorId: other });
    // A late exit from the lost attempt changes nothing.
    await finishAttempt(db, { attemptId: assignment.attemptId, outcome: "succeeded", exitCode: 0, endedAt: later });
    const [instance] = await db.select().from(instances).where(eq(instances.id, assignment.instanceId));
    expect(instance).toMatchObject({ state: "dispatched", attemptCount: 2 });
    await expectInvariants();
  });

  it("ends, as failed at its limit, a running attempt that overran its wall time without a word", async () => {
    const [rad] = await radiatorsOf(db, "Résidence Balard", 1);
    await wantHeat(db, [rad!], 1, now);
    await createTask(db, {
      organizationId: lumen,
      profileName: "monte-carlo",
      name: "t",
      instanceCount: 1,
      maxWallTimeS: 600,
      maxRetriesPerInstance: 1,
      now,
    });
    const [assignment] = await assignWork(db, { now });
    await markAttemptsRunning(db, [{ attemptId: assignment!.attemptId, startedAt: now }]);
    const limit = new Date(now.getTime() + 600_000);
    expect(await failOverdueAttempts(db, { now: new Date(limit.getTime() + OVERDUE_GRACE_S * 1000 - 1000) })).toBe(0);
    expect(await failOverdueAttempts(db, { now: new Date(limit.getTime() + OVERDUE_GRACE_S * 1000 + 1000) })).toBe(1);

    const [attempt] = await db.select().from(instanceAttempts).where(eq(instanceAttempts.id, assignment!.attemptId));
    expect(attempt).toMatchObject({ state: "failed", endedAt: limit, exitCode: null });
    const [instance] = await db.select().from(instances).where(eq(instances.id, assignment!.instanceId));
    expect(instance).toMatchObject({ state: "queued", attemptCount: 1 });
    const [state] = await db.select().from(radiatorStates).where(eq(radiatorStates.radiatorId, rad!));
    expect(state).toMatchObject({ coresAssigned: 0, currentOrganizationId: null });
    await expectInvariants();
  });

  it("releases a dependent task when the task it waits for succeeds", async () => {
    const [rad] = await radiatorsOf(db, "Résidence Balard", 1);
    await wantHeat(db, [rad!], 4, now);
    const first = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "first", instanceCount: 1, now });
    const second = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "second", instanceCount: 2, dependsOnTaskIds: [first.id], now });
    const round1 = await assignWork(db, { now });
    expect(round1.map((a) => a.taskId)).toEqual([first.id]);
    await finishAttempt(db, { attemptId: round1[0]!.attemptId, outcome: "succeeded", exitCode: 0, endedAt: now });
    const round2 = await assignWork(db, { now });
    expect(round2.map((a) => a.taskId)).toEqual([second.id, second.id]);
  });

  it("cancels what has not started at once", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "t", instanceCount: 5, now });
    expect(await cancelTask(db, { taskId: task.id, organizationId: carmin, now })).toBe(false);
    expect(await cancelTask(db, { taskId: task.id, organizationId: lumen, now })).toBe(true);
    const rows = await db.select({ state: instances.state }).from(instances).where(eq(instances.taskId, task.id));
    expect(rows.every((r) => r.state === "cancelled")).toBe(true);
  });
});
