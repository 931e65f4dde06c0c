import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { activeAttempts, finish, radiatorsOf, startAll, wantHeat } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { chargeEndedAttempt, creditBalanceCents, monthChargedCents, taskChargedCents } from "./billing";
import { finishAttempt, reclaimSilentRadiators } from "./scheduler";
import { getTask } from "./task-queries";
import { createTask, deleteTask } from "./tasks";

/** The charges ledger: written when an attempt ends billable, by the minute, never twice, never for lost work. */
const db = useTestDb();
const t0 = new Date("2026-01-15T10:00:00Z");
const at = (seconds: number) => new Date(t0.getTime() + seconds * 1000);
let lumen: string;
let carmin: string;

beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 4, t0);
});

type Charge = { task_id: string | null; task_name: string; core_seconds: string; billed_minutes: string; amount_cents: string; rate_cents_per_core_hour: number };
const charges = (organizationId: string) =>
  db.execute<Charge>(sql`
    select task_id, task_name, core_seconds, billed_minutes, amount_cents, rate_cents_per_core_hour
    from task_charges where organization_id = ${organizationId} order by instance_number, id`);
const draws = (organizationId: string) =>
  db.execute<{ amount_cents: string }>(sql`select amount_cents from credit_entries where organization_id = ${organizationId} and kind = 'draw'`);

describe("charges", () => {
  it("bills each ended attempt by the started core-minute at its scheduling type's rate, to the cent", async () => {
    // Monte-Carlo, one core per instance, Flex at 25 c per core-hour.
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "pricing", instanceCount: 3, now: t0 });
    await startAll(db, task.id, t0);
    await finish(db, task.id, [0], "succeeded", at(61)); // 61 core-s → 2 min → 0.83 c → 1 c
    await finish(db, task.id, [1], "failed", at(3600)); // an hour → 25 c, failed or not
    await finish(db, task.id, [2], "succeeded", at(360)); // 6 min → 2.5 c → 3 c
    const rows = await charges(lumen);
    expect(rows.map((r) => [Number(r.core_seconds), Number(r.billed_minutes), Number(r.amount_cents), r.rate_cents_per_core_hour])).toEqual([
      [61, 2, 1, 25],
      [3600, 60, 25, 25],
      [360, 6, 3, 25],
    ]);
    expect((await getTask(db, { organizationId: lumen, taskId: task.id, now: at(3600) }))!.costCents).toBe(29);
    expect(await taskChargedCents(db, { organizationId: lumen, taskId: task.id })).toBe(29);
    expect(await monthChargedCents(db, lumen, at(4000))).toBe(29);
    // Each charge draws on the prepaid credits.
    expect((await draws(lumen)).map((d) => Number(d.amount_cents)).sort()).toEqual([-1, -25, -3]);
    expect(await creditBalanceCents(db, lumen)).toBe(-29);
  });

  it("prices OnDemand at its own rate, for every core the attempt held", async () => {
    // Render, four cores per instance: 10 min 1 s → 2,404 core-s → 41 core-min at 40 c → 27.33 c → 27 c.
    const task = await createTask(db, { organizationId: lumen, profileName: "render", name: "frames", instanceCount: 1, schedulingType: "OnDemand", now: t0 });
    await startAll(db, task.id, t0);
    await finish(db, task.id, [0], "succeeded", at(601));
    expect((await charges(lumen)).map((r) => [Number(r.core_seconds), Number(r.billed_minutes), Number(r.amount_cents), r.rate_cents_per_core_hour])).toEqual([
      [2404, 41, 27, 40],
    ]);
  });

  it("charges an attempt once, however often its end is reported", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "once", instanceCount: 1, now: t0 });
    const [attempt] = await startAll(db, task.id, t0);
    expect(await finishAttempt(db, { attemptId: attempt!.attemptId, outcome: "succeeded", exitCode: 0, endedAt: at(3600) })).toBe(true);
    expect(await finishAttempt(db, { attemptId: attempt!.attemptId, outcome: "succeeded", exitCode: 0, endedAt: at(7200) })).toBe(false);
    await chargeEndedAttempt(db, attempt!.attemptId);
    expect((await charges(lumen)).map((r) => Number(r.amount_cents))).toEqual([25]);
    expect(await draws(lumen)).toHaveLength(1);
  });

  it("never charges attempts lost to a silent radiator", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "lost", instanceCount: 2, maxRetriesPerInstance: 0, now: t0 });
    expect(await startAll(db, task.id, t0)).toHaveLength(2);
    // The radiators stop reporting: after 5 minutes their work is taken back, unbilled.
    expect(await reclaimSilentRadiators(db, { now: at(3600) })).toBe(2);
    expect(await activeAttempts(db, task.id)).toHaveLength(0);
    expect(await charges(lumen)).toHaveLength(0);
    expect((await getTask(db, { organizationId: lumen, taskId: task.id, now: at(3600) }))!.costCents).toBe(0);
  });

  it("keeps a deleted task's charges, with its name", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "to delete", instanceCount: 1, now: t0 });
    await startAll(db, task.id, t0);
    await finish(db, task.id, [0], "succeeded", at(3600));
    expect(await deleteTask(db, { organizationId: lumen, taskId: task.id, now: at(3700) })).toBe(true);
    expect(await charges(lumen)).toEqual([expect.objectContaining({ task_id: null, task_name: "to delete", amount_cents: "25" })]);
    expect(await monthChargedCents(db, lumen, at(4000))).toBe(25);
    expect(await creditBalanceCents(db, lumen)).toBe(-25);
  });

  it("keeps each customer's charges to itself", async () => {
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "ours", instanceCount: 1, now: t0 });
    await startAll(db, task.id, t0);
    await finish(db, task.id, [0], "succeeded", at(3600));
    expect(await taskChargedCents(db, { organizationId: carmin, taskId: task.id })).toBeNull();
    expect(await monthChargedCents(db, carmin, at(4000))).toBe(0);
    expect(await creditBalanceCents(db, carmin)).toBe(0);
    expect(await getTask(db, { organizationId: carmin, taskId: task.id })).toBeNull();
  });

  it("counts a month's charges in the operator's zone", async () => {
    // Ends 31 January 23:30 UTC: 1 February 00:30 in Paris, so February's.
    const start = new Date("2026-01-31T22:30:00Z");
    await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 4, start);
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "midnight", instanceCount: 1, now: start });
    await startAll(db, task.id, start);
    await finish(db, task.id, [0], "succeeded", new Date("2026-01-31T23:30:00Z"));
    expect(await monthChargedCents(db, lumen, new Date("2026-01-31T22:59:00Z"))).toBe(0);
    expect(await monthChargedCents(db, lumen, new Date("2026-02-10T00:00:00Z"))).toBe(25);
  });
});
