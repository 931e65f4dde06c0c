import { sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { parisLocalMs } from "@/server/domain/household";
import { createProfilePool, type ProfilePool } from "@/server/profiles/worker";
import { DEMO_CUSTOMERS } from "@/server/services/seed";
import { leaveFleetAsSeeded, resetEngine, useTestDb } from "@/server/test/db";
import { DEMO_PREPAID_CREDITS, DemoWork, demoWorkSchedule } from "./demo-work";
import { HISTORY_CADENCE, Simulation } from "./simulation";

const db = useTestDb();

const DAY_MS = 86_400_000;
// Two flats of the Paris residence, each its own gateway.
const GATEWAYS = ["QBOX-PAR-A-305", "QBOX-PAR-A-309"];
// Monday to Wednesday of a January week: seed 1 has both customers submit in it.
const FROM_MS = Date.parse("2026-01-12T00:00:00Z");
const TO_MS = Date.parse("2026-01-15T00:00:00Z");

describe("the demo customers' schedule", () => {
  it("is a handful of tasks a week on working days, in office hours, the same for a seed", () => {
    const fromMs = Date.parse("2026-01-05T00:00:00Z");
    const toMs = fromMs + 8 * 7 * DAY_MS;
    const plan = demoWorkSchedule({ seed: 1, fromMs, toMs });
    expect(demoWorkSchedule({ seed: 1, fromMs, toMs })).toEqual(plan);
    expect(demoWorkSchedule({ seed: 2, fromMs, toMs })).not.toEqual(plan);
    // A handful a week, from both customers with sign-in accounts, each with its own profile.
    expect(plan.length).toBeGreaterThanOrEqual(8 * 3);
    expect(plan.length).toBeLessThanOrEqual(8 * 7);
    expect(new Set(plan.map((p) => `${p.organization}|${p.task.profileName}`))).toEqual(
      new Set([`${DEMO_CUSTOMERS.lumen}|render`, `${DEMO_CUSTOMERS.carmin}|monte-carlo`]),
    );
    for (const p of plan) {
      const local = new Date(parisLocalMs(p.atMs));
      expect([1, 2, 3, 4, 5]).toContain(local.getUTCDay());
      expect(local.getUTCHours()).toBeGreaterThanOrEqual(9);
      expect(local.getUTCHours()).toBeLessThan(20);
      expect(p.atMs % 60_000).toBe(0);
    }
    // In submission order, each with a shortname of its own (a resumed fill cannot submit it twice).
    expect(plan.map((p) => p.atMs)).toEqual([...plan.map((p) => p.atMs)].sort((a, b) => a - b));
    expect(new Set(plan.map((p) => `${p.organization}|${p.task.shortname}`)).size).toBe(plan.length);
    // A window holds what the whole period holds between its ends.
    const week = demoWorkSchedule({ seed: 1, fromMs: fromMs + 7 * DAY_MS, toMs: fromMs + 14 * DAY_MS });
    expect(week).toEqual(plan.filter((p) => p.atMs >= fromMs + 7 * DAY_MS && p.atMs < fromMs + 14 * DAY_MS));
  });
});

describe("the demo customers' work in a filled history", () => {
  let pool: ProfilePool;

  beforeAll(() => {
    pool = createProfilePool(1);
  });

  afterAll(async () => {
    await pool.close();
    await leaveFleetAsSeeded(db, { gatewaySerials: GATEWAYS });
  });

  beforeEach(async () => {
    await resetEngine(db);
  });

  it("runs on the fleet through the platform: ended in the past, metered, charged at its end, drawn on credits", async () => {
    const workload = await DemoWork.load(db, { seed: 1, fromMs: FROM_MS, toMs: TO_MS });
    const planned = demoWorkSchedule({ seed: 1, fromMs: FROM_MS, toMs: TO_MS });
    expect(workload.size).toBe(planned.length);
    expect(new Set(planned.map((p) => p.organization)).size).toBe(2);
    const sim = await Simulation.create({ db, gatewaySerials: GATEWAYS, seed: 1, startMs: FROM_MS, runner: pool, outages: null, concurrency: 2, workload });
    await sim.runUntil(TO_MS, HISTORY_CADENCE);
    expect(workload.stats).toEqual({ submitted: planned.length, refused: 0 });

    // Each task as its customer submitted it, at its time, and every instance succeeded within
    // the hours after: dispatched at the next hour, ended and reported within the hour after.
    const tasks = await db.execute<{ name: string; organization: string; created_at: string; instances: number; succeeded: number; last_end: string }>(sql`
      select t.name, o.name as organization, t.created_at, count(i.id)::int as instances,
        (count(*) filter (where i.state = 'succeeded'))::int as succeeded,
        (select max(a.ended_at) from instance_attempts a join instances j on j.id = a.instance_id where j.task_id = t.id) as last_end
      from tasks t join organizations o on o.id = t.organization_id join instances i on i.task_id = t.id
      group by t.id, o.name order by t.created_at`);
    expect(tasks.map((t) => [t.name, t.organization, Date.parse(t.created_at), t.instances])).toEqual(
      planned.map((p) => [p.task.name, p.organization, p.atMs, p.task.instanceCount]),
    );
    for (const t of tasks) {
      expect(t.succeeded).toBe(t.instances);
      expect(Date.parse(t.last_end)).toBeGreaterThan(Date.parse(t.created_at));
      expect(Date.parse(t.last_end)).toBeLessThan(Date.parse(t.created_at) + 3 * 3_600_000);
    }

    // Charges: one per billable ended attempt, at its end (in the simulated past), each drawn on
    // the customer's credits; the ledger holds each attempt's energy, in the past too.
    const [check] = await db.execute<{
      attempts: number;
      billable: number;
      charges: number;
      charged_elsewhen: number;
      latest_charge: string;
      charged_cents: number;
      drawn_cents: number;
      draws_elsewhen: number;
      attempt_wh: number;
      ledger_wh: number;
      ledger_attempts: number;
      latest_ledger: string;
    }>(sql`
      select
        (select count(*)::int from instance_attempts) as attempts,
        (select count(*)::int from instance_attempts where billable and ended_at is not null) as billable,
        (select count(*)::int from task_charges) as charges,
        (select count(*)::int from task_charges c join instance_attempts a on a.id = c.attempt_id
          where c.charged_at <> a.ended_at or not a.billable) as charged_elsewhen,
        (select max(charged_at) from task_charges) as latest_charge,
        (select coalesce(sum(amount_cents), 0)::int from task_charges) as charged_cents,
        (select coalesce(-sum(amount_cents), 0)::int from credit_entries where kind = 'draw') as drawn_cents,
        (select count(*)::int from credit_entries e join task_charges c on c.id = e.charge_id
          where e.created_at <> c.charged_at or e.organization_id <> c.organization_id) as draws_elsewhen,
        (select coalesce(sum(energy_wh), 0)::int from instance_attempts) as attempt_wh,
        (select coalesce(sum(energy_wh), 0)::int from energy_allocations) as ledger_wh,
        (select count(distinct attempt_id)::int from energy_allocations) as ledger_attempts,
        (select max(period_end) from energy_allocations) as latest_ledger`);
    expect(check!.attempts).toBe(tasks.reduce((n, t) => n + t.instances, 0));
    expect(check!.billable).toBe(check!.attempts);
    expect(check!.charges).toBe(check!.billable);
    expect(check!.charged_elsewhen).toBe(0);
    expect(Date.parse(check!.latest_charge)).toBeLessThan(TO_MS);
    expect(check!.charged_cents).toBeGreaterThan(0);
    // Lumen's prepaid credits pay its charges as far as they go; Carmin has none, and pays in full.
    const [lumenCharged] = await db.execute<{ cents: number; granted: number }>(sql`
      select coalesce(sum(c.amount_cents), 0)::int as cents,
        (select coalesce(sum(amount_cents), 0)::int from credit_entries e where e.organization_id = o.id and e.kind = 'grant') as granted
      from organizations o left join task_charges c on c.organization_id = o.id where o.name = ${DEMO_CUSTOMERS.lumen} group by o.id`);
    expect(lumenCharged!.granted).toBe(DEMO_PREPAID_CREDITS[DEMO_CUSTOMERS.lumen]);
    expect(lumenCharged!.cents).toBeGreaterThan(0);
    expect(check!.drawn_cents).toBe(Math.min(lumenCharged!.cents, lumenCharged!.granted));
    expect(check!.draws_elsewhen).toBe(0);
    expect(check!.ledger_wh).toBeGreaterThan(0);
    expect(check!.ledger_wh).toBe(check!.attempt_wh);
    expect(check!.ledger_attempts).toBe(check!.attempts);
    expect(Date.parse(check!.latest_ledger)).toBeLessThanOrEqual(TO_MS);

    // Each customer's charges and ledger are its own.
    const byCustomer = await db.execute<{ organization: string; charges: number; ledger_rows: number }>(sql`
      select o.name as organization,
        (select count(*)::int from task_charges c where c.organization_id = o.id) as charges,
        (select count(*)::int from energy_allocations e where e.organization_id = o.id) as ledger_rows
      from organizations o where o.kind = 'customer' order by o.name`);
    for (const c of byCustomer) {
      const mine = tasks.filter((t) => t.organization === c.organization).reduce((n, t) => n + t.instances, 0);
      expect(c.charges).toBe(mine);
      if (mine > 0) expect(c.ledger_rows).toBeGreaterThan(0);
    }

    // The customer who came back to submit had read the earlier tasks' notifications.
    const [unread] = await db.execute<{ n: number; all: number }>(sql`
      select (count(*) filter (where read_at is null))::int as n, count(*)::int as all from notifications`);
    expect(unread!.all).toBe(tasks.length);
    expect(unread!.n).toBeLessThanOrEqual(2);

    // A fill resumed over the same days submits nothing twice.
    const again = await DemoWork.load(db, { seed: 1, fromMs: FROM_MS, toMs: TO_MS });
    expect(await again.submitDue(TO_MS)).toBe(0);
    expect(again.stats).toEqual({ submitted: 0, refused: planned.length });
    expect(await again.waiting()).toBe(false);
  }, 120_000);

  it("submits nothing on a platform without the demo customers", async () => {
    await db.execute(sql`update organizations set name = name || ' (renamed)' where kind = 'customer'`);
    try {
      const workload = await DemoWork.load(db, { seed: 1, fromMs: FROM_MS, toMs: TO_MS });
      expect(workload.size).toBe(0);
      expect(workload.nextAtMs).toBe(Infinity);
    } finally {
      await db.execute(sql`update organizations set name = replace(name, ' (renamed)', '') where kind = 'customer'`);
    }
  });
});
