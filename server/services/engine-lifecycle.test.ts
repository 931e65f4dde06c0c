import fc from "fast-check";
import { eq, sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { emailOutbox, instances, radiatorStates } from "@/server/db/schema";
import { radiatorsOf } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { runEngineTick, runPeriodicWork } from "./engine-loop";
import type { MailTransport } from "./notifications";
import { finishAttempt, markAttemptsRunning } from "./scheduler";
import { getTask } from "./task-queries";
import { createTask } from "./tasks";

/**
 * The engine as a whole, driven through random histories of dispatch, success, failure,
 * radiators going silent and coming back: after every step, the invariants hold in the database.
 */
const db = useTestDb();
let orgs: string[] = [];
let pool: string[] = [];

beforeEach(async () => {
  await resetEngine(db);
  orgs = [await organizationIdByName(db, "Lumen Animation Studio"), await organizationIdByName(db, "Carmin Risk Analytics")];
  pool = await radiatorsOf(db, "Résidence Balard", 6);
});

async function checkInvariants() {
  const [row] = await db.execute<{ twice: number; mixed: number; over: number; bad_count: number; billed_lost: number; stranded: number }>(sql`
    select
      (select count(*) from (select instance_id from instance_attempts where state in ('dispatched','running')
        group by instance_id having count(*) > 1) x)::int as twice,
      (select count(*) from (select a.radiator_id from instance_attempts a join instances i on i.id = a.instance_id
        where a.state in ('dispatched','running') group by a.radiator_id having count(distinct i.organization_id) > 1) x)::int as mixed,
      (select count(*) from radiator_states rs where rs.cores_assigned <> coalesce((select sum(a.cores_assigned)
        from instance_attempts a where a.radiator_id = rs.radiator_id and a.state in ('dispatched','running')), 0))::int as over,
      (select count(*) from instances where attempt_count > max_attempts
        or attempt_count <> (select count(*) from instance_attempts a where a.instance_id = instances.id))::int as bad_count,
      (select count(*) from instance_attempts where state = 'lost' and billable)::int as billed_lost,
      -- Every instance has ended, or can still run: queued with attempts left, or on a radiator now.
      (select count(*) from instances i where not (
        i.state in ('succeeded','failed','cancelled')
        or (i.state = 'queued' and i.attempt_count < i.max_attempts)
        or (i.state in ('dispatched','running') and exists (
          select 1 from instance_attempts a where a.instance_id = i.id and a.state in ('dispatched','running')))
      ))::int as stranded`);
  expect(row).toEqual({ twice: 0, mixed: 0, over: 0, bad_count: 0, billed_lost: 0, stranded: 0 });
}

type Step =
  | { kind: "tick" }
  | { kind: "finish"; pick: number; outcome: "succeeded" | "failed" }
  | { kind: "start"; pick: number }
  | { kind: "silence"; radiator: number }
  | { kind: "revive"; radiator: number; cores: number };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.constant<Step>({ kind: "tick" }),
  fc.record({ kind: fc.constant("finish" as const), pick: fc.nat(), outcome: fc.constantFrom("succeeded" as const, "failed" as const) }),
  fc.record({ kind: fc.constant("start" as const), pick: fc.nat() }),
  fc.record({ kind: fc.constant("silence" as const), radiator: fc.nat() }),
  fc.record({ kind: fc.constant("revive" as const), radiator: fc.nat(), cores: fc.integer({ min: 0, max: 4 }) }),
);

const taskArb = fc.record({
  org: fc.nat(),
  instances: fc.integer({ min: 1, max: 6 }),
  retries: fc.integer({ min: 0, max: 2 }),
  type: fc.constantFrom("Flex" as const, "OnDemand" as const),
});

describe("engine life cycle", () => {
  it("keeps its invariants through random histories", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(taskArb, { minLength: 1, maxLength: 3 }), fc.array(stepArb, { minLength: 5, maxLength: 25 }), async (taskSpecs, steps) => {
        await resetEngine(db);
        let now = new Date("2026-01-15T08:00:00Z");
        await db.insert(radiatorStates).values(pool.map((radiatorId) => ({ radiatorId, coresWanted: 2, lastReadingAt: now })));
        for (const [i, t] of taskSpecs.entries()) {
          await createTask(db, {
            organizationId: orgs[t.org % orgs.length]!,
            profileName: "monte-carlo",
            name: `t${i}`,
            instanceCount: t.instances,
            maxRetriesPerInstance: t.retries,
            schedulingType: t.type,
            now,
          });
        }
        const silent = new Set<string>();
        for (const step of steps) {
          now = new Date(now.getTime() + 60_000);
          // Radiators that are not silent keep reporting.
          await db.execute(sql`update radiator_states set last_reading_at = ${now.toISOString()}
            where radiator_id in (select value::uuid from jsonb_array_elements_text(${JSON.stringify(pool.filter((id) => !silent.has(id)))}::jsonb))`);
          const active = await db.execute<{ id: string }>(sql`
            select id from instance_attempts where state in ('dispatched','running') order by id`);
          if (step.kind === "tick") {
            await runEngineTick(db, now);
          } else if (step.kind === "finish" && active.length > 0) {
            const attemptId = Number(active[step.pick % active.length]!.id);
            await finishAttempt(db, { attemptId, outcome: step.outcome, exitCode: step.outcome === "succeeded" ? 0 : 1, endedAt: now });
          } else if (step.kind === "start" && active.length > 0) {
            await markAttemptsRunning(db, [{ attemptId: Number(active[step.pick % active.length]!.id), startedAt: now }]);
          } else if (step.kind === "silence") {
            silent.add(pool[step.radiator % pool.length]!);
            // Long enough for the engine to give up on it at its next tick.
            now = new Date(now.getTime() + 10 * 60_000);
          } else if (step.kind === "revive") {
            const id = pool[step.radiator % pool.length]!;
            silent.delete(id);
            await db.update(radiatorStates).set({ coresWanted: step.cores, lastReadingAt: now }).where(eq(radiatorStates.radiatorId, id));
          }
          await checkInvariants();
        }
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  it("moves work off a silent radiator on the next tick and reports task states from instances", async () => {
    const now = new Date("2026-01-15T08:00:00Z");
    await db.insert(radiatorStates).values([{ radiatorId: pool[0]!, coresWanted: 2, lastReadingAt: now }]);
    const task = await createTask(db, { organizationId: orgs[0]!, profileName: "monte-carlo", name: "t", instanceCount: 3, now });
    expect(await runEngineTick(db, now)).toEqual({ reclaimed: 0, overdue: 0, assigned: 2 });
    expect(await getTask(db, { organizationId: orgs[0]!, taskId: task.id })).toMatchObject({
      state: "PartiallyDispatched",
      counts: { dispatched: 2, queued: 1 },
    });
    // Another customer sees nothing of it.
    expect(await getTask(db, { organizationId: orgs[1]!, taskId: task.id })).toBeNull();

    const later = new Date(now.getTime() + 10 * 60_000);
    await db.insert(radiatorStates).values([{ radiatorId: pool[1]!, coresWanted: 4, lastReadingAt: later }]);
    expect(await runEngineTick(db, later)).toEqual({ reclaimed: 2, overdue: 0, assigned: 3 });
    const rows = await db.select({ radiatorId: instances.radiatorId }).from(instances).where(eq(instances.taskId, task.id));
    expect(rows.every((r) => r.radiatorId === pool[1])).toBe(true);
    expect(await getTask(db, { organizationId: orgs[0]!, taskId: task.id })).toMatchObject({ state: "FullyDispatched" });
  });
});

describe("the process's periodic work", () => {
  it("sends e-mail with or without the engine's tick, and ticks only when asked", async () => {
    await db.delete(emailOutbox);
    await db.insert(emailOutbox).values({ toAddress: "ines.fabre@lumen.test", subject: "Task ended", bodyText: "…" });
    await db.insert(radiatorStates).values([{ radiatorId: pool[0]!, coresWanted: 1, lastReadingAt: new Date() }]);
    await createTask(db, { organizationId: orgs[0]!, profileName: "monte-carlo", name: "t", instanceCount: 1 });
    const sent: string[] = [];
    const transport: MailTransport = { sendMail: async (message) => sent.push(String(message.to)) };
    const mail = { transport };

    // Another clock drives the engine (the simulator): nothing dispatched, the message sent.
    expect(await runPeriodicWork(db, { tick: false, mail })).toMatchObject({ tick: null, mail: { sent: 1, failed: 0 } });
    expect(sent).toEqual(["ines.fabre@lumen.test"]);
    expect(await db.select().from(instances).where(eq(instances.state, "dispatched"))).toHaveLength(0);

    expect(await runPeriodicWork(db, { tick: true, mail })).toMatchObject({ tick: { assigned: 1 }, mail: { sent: 0 } });
  });
});
