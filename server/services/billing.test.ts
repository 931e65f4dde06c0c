import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { activeAttempts, finish, radiatorsOf, startAll, wantHeat, type ActiveAttempt } from "@/server/test/compute-fixtures";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import {
  chargeEndedAttempt,
  creditBalanceCents,
  grantCredits,
  lockChargesOf,
  monthChargedCents,
  setBudget,
  taskChargedCents,
  type Budget,
} from "./billing";
import { getInvoice, listInvoiceMonths } from "./invoices";
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
  await db.execute(sql`delete from email_outbox where subject like 'Monthly budget reached%'`);
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
  db.execute<{ amount_cents: string }>(sql`select amount_cents from credit_entries where organization_id = ${organizationId} and kind = 'draw' order by id`);
const grant = (organizationId: string, amountCents: number) => grantCredits(db, { organizationId, amountCents, note: "order", userId: null, now: t0 });
const budget = (organizationId: string, value: Budget) => setBudget(db, { organizationId, budget: value, userId: null, now: t0 });

/**
 * A task of `instances` monte-carlo instances (one core each, Flex at 25 c per core-hour), all
 * started at `from`, each on its own radiator (as attempts that different gateways end).
 */
async function started(name: string, instances: number, from: Date, organizationId = lumen) {
  await wantHeat(db, await radiatorsOf(db, "Résidence Balard", 4), 1, from);
  const task = await createTask(db, { organizationId, profileName: "monte-carlo", name, instanceCount: instances, now: from });
  const attempts = await startAll(db, task.id, from);
  expect(attempts).toHaveLength(instances);
  return attempts;
}

/** Ends an attempt after an hour of one core (25 c), in its own transaction. */
const endAfterAnHour = (attempt: ActiveAttempt, from: Date) =>
  finishAttempt(db, { attemptId: attempt.attemptId, outcome: "succeeded", exitCode: 0, endedAt: new Date(from.getTime() + 3_600_000) });

/**
 * Ends two attempts in two transactions at once, the first holding its transaction open (its
 * charge made, not committed) until the second is seen waiting for a lock, or for at most two
 * seconds: without the organization's lock, the second would read the balance and the month as
 * they were before the first charge.
 */
async function endTogether(first: ActiveAttempt, second: ActiveAttempt, from: Date): Promise<{ secondWaited: boolean }> {
  let firstCharged!: () => void;
  const charged = new Promise<void>((resolve) => (firstCharged = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  const endedAt = new Date(from.getTime() + 3_600_000);
  const end = (attempt: ActiveAttempt) => (tx: Parameters<Parameters<typeof db.transaction>[0]>[0]) =>
    finishAttempt(tx, { attemptId: attempt.attemptId, outcome: "succeeded", exitCode: 0, endedAt });
  let secondWaited = false;
  await Promise.all([
    db.transaction(async (tx) => {
      await end(first)(tx);
      firstCharged();
      await released;
    }),
    (async () => {
      await charged;
      const second$ = db.transaction(end(second));
      for (let waited = 0; waited < 2000 && !secondWaited; waited += 20) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        secondWaited = await advisoryWaiter();
      }
      release();
      await second$;
    })(),
  ]);
  return { secondWaited };
}

/** Whether a session of this database waits for an advisory lock. */
async function advisoryWaiter(): Promise<boolean> {
  const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from pg_locks
    where locktype = 'advisory' and not granted and database = (select oid from pg_database where datname = current_database())`);
  return row!.n > 0;
}

const budgetNotices = (organizationId: string) =>
  db.execute<{ title: string; body: string; billing_month: string; task_id: string | null; created_at: string }>(sql`
    select title, body, billing_month, task_id, created_at from notifications
    where organization_id = ${organizationId} and kind = 'budget_reached' order by created_at, id`);
const budgetEmails = () =>
  db.execute<{ to_address: string; subject: string; body_text: string }>(sql`
    select to_address, subject, body_text from email_outbox where subject like 'Monthly budget reached%' order by subject, to_address`);

describe("charges", () => {
  it("bills each ended attempt by the started core-minute at its scheduling type's rate, to the cent", async () => {
    // Monte-Carlo, one core per instance, Flex at 25 c per core-hour.
    const task = await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "pricing", instanceCount: 3, now: t0 });
    await startAll(db, task.id, t0);
    // Each charge is what it takes the task's total, rounded once, up by: 0.83 c → 1 c, then
    // 25.83 c → 26 c, then 28.33 c → 28 c.
    await finish(db, task.id, [0], "succeeded", at(61)); // 61 core-s → 2 min → 0.83 c → 1 c
    await finish(db, task.id, [1], "failed", at(3600)); // an hour → 25 c, failed or not
    await finish(db, task.id, [2], "succeeded", at(360)); // 6 min → 2.5 c, the task's 28.33 c → 28 c: 2 c
    const rows = await charges(lumen);
    expect(rows.map((r) => [Number(r.core_seconds), Number(r.billed_minutes), Number(r.amount_cents), r.rate_cents_per_core_hour])).toEqual([
      [61, 2, 1, 25],
      [3600, 60, 25, 25],
      [360, 6, 2, 25],
    ]);
    expect((await getTask(db, { organizationId: lumen, taskId: task.id, now: at(3600) }))!.costCents).toBe(28);
    expect(await taskChargedCents(db, { organizationId: lumen, taskId: task.id })).toBe(28);
    expect(await monthChargedCents(db, lumen, at(4000))).toBe(28);
    // Without prepaid credits nothing is drawn (a draw of nothing is no entry): all of it is due.
    expect(await draws(lumen)).toHaveLength(0);
    expect(await creditBalanceCents(db, lumen)).toBe(0);
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
    await grantCredits(db, { organizationId: lumen, amountCents: 100, note: "order", userId: null, now: t0 });
    expect(await finishAttempt(db, { attemptId: attempt!.attemptId, outcome: "succeeded", exitCode: 0, endedAt: at(3600) })).toBe(true);
    expect(await finishAttempt(db, { attemptId: attempt!.attemptId, outcome: "succeeded", exitCode: 0, endedAt: at(7200) })).toBe(false);
    await chargeEndedAttempt(db, attempt!.attemptId);
    expect((await charges(lumen)).map((r) => Number(r.amount_cents))).toEqual([25]);
    expect(await draws(lumen)).toEqual([{ amount_cents: "-25" }]);
    expect(await creditBalanceCents(db, lumen)).toBe(75);
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
    expect(await creditBalanceCents(db, lumen)).toBe(0);
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

describe("prepaid credits", () => {
  it("pay each charge as far as they go and never go below zero; the rest is due on the invoice", async () => {
    await grant(lumen, 30);
    const [a, b, c] = await started("credits", 3, t0);
    await endAfterAnHour(a!, t0); // 25 c: all of it from the credits, 5 c left
    expect(await creditBalanceCents(db, lumen)).toBe(5);
    await endAfterAnHour(b!, t0); // 25 c: the last 5 c from the credits, 20 c due
    expect(await creditBalanceCents(db, lumen)).toBe(0);
    await endAfterAnHour(c!, t0); // 25 c: nothing left to draw, no entry
    expect((await draws(lumen)).map((d) => Number(d.amount_cents))).toEqual([-25, -5]);
    expect(await creditBalanceCents(db, lumen)).toBe(0);

    const now = at(7200);
    expect(await getInvoice(db, { organizationId: lumen, month: "2026-01", now })).toMatchObject({ totalCents: 75, paidFromCreditsCents: 30, dueCents: 45 });
    expect(await listInvoiceMonths(db, { organizationId: lumen, now })).toEqual([
      { month: "2026-01", totalCents: 75, paidFromCreditsCents: 30, dueCents: 45, tasks: 1, inProgress: true },
    ]);
    // A new grant pays the charges that come after it, not the amount already due.
    await grant(lumen, 100);
    expect(await creditBalanceCents(db, lumen)).toBe(100);
    expect(await getInvoice(db, { organizationId: lumen, month: "2026-01", now })).toMatchObject({ paidFromCreditsCents: 30, dueCents: 45 });
  });

  it("are never overdrawn by two charges at once", async () => {
    await grant(lumen, 30);
    const [a, b] = await started("together", 2, t0);
    const { secondWaited } = await endTogether(a!, b!, t0);
    // 2 × 25 c against 30 c: one charge drew 25 c, the other the 5 c left.
    expect((await charges(lumen)).map((r) => Number(r.amount_cents))).toEqual([25, 25]);
    expect((await draws(lumen)).map((d) => Number(d.amount_cents)).sort((x, y) => x - y)).toEqual([-25, -5]);
    expect(await creditBalanceCents(db, lumen)).toBe(0);
    expect(await getInvoice(db, { organizationId: lumen, month: "2026-01", now: at(7200) })).toMatchObject({ totalCents: 50, paidFromCreditsCents: 30, dueCents: 20 });
    // The second charge waited for the first's organization lock (nothing else held it up).
    expect(secondWaited).toBe(true);
  });

  it("take turns without deadlock when two transactions end work of the same customers in opposite orders", async () => {
    // As two gateways' reports would: each takes the charges' locks of what it ends first (lockChargesOf).
    await grant(lumen, 100);
    await grant(carmin, 100);
    const [ours] = await started("ours", 1, t0);
    const [theirs] = await started("theirs", 1, t0, carmin);
    const endedAt = at(3600);
    const end = (tx: Parameters<Parameters<typeof db.transaction>[0]>[0], attempt: ActiveAttempt) =>
      finishAttempt(tx, { attemptId: attempt.attemptId, outcome: "succeeded", exitCode: 0, endedAt });
    let firstEnded!: () => void;
    const ended = new Promise<void>((resolve) => (firstEnded = resolve));
    let secondEnded = false;
    const results = await Promise.allSettled([
      db.transaction(async (tx) => {
        await lockChargesOf(tx, [ours!.attemptId, theirs!.attemptId]);
        await end(tx, ours!);
        firstEnded();
        // Until the other has ended its first attempt, or waits for a lock (at most two seconds).
        for (let waited = 0; waited < 2000 && !secondEnded && !(await advisoryWaiter()); waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
        await end(tx, theirs!);
      }),
      (async () => {
        await ended;
        await db.transaction(async (tx) => {
          await lockChargesOf(tx, [theirs!.attemptId, ours!.attemptId]);
          await end(tx, theirs!);
          secondEnded = true;
          await end(tx, ours!);
        });
      })(),
    ]);
    expect(results.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(await creditBalanceCents(db, lumen)).toBe(75);
    expect(await creditBalanceCents(db, carmin)).toBe(75);
  });
});

describe("the monthly budget notice", () => {
  it("tells the organization once, with the charge that reaches the budget; not below it, not again that month, again a later month", async () => {
    await budget(lumen, { monthlyBudgetCents: 50, policy: "alert" });
    const january = await started("january", 3, t0);
    await endAfterAnHour(january[0]!, t0); // 25 c of 50: below
    expect(await budgetNotices(lumen)).toHaveLength(0);
    await endAfterAnHour(january[1]!, t0); // 50 c: reached
    expect(await budgetNotices(lumen)).toEqual([
      {
        title: "Monthly budget reached for January 2026",
        body: "Your charges for January 2026 stand at €0.50, exactly your monthly budget. New tasks are still accepted, with a warning, and charged as usual.",
        billing_month: "2026-01",
        task_id: null,
        created_at: expect.any(String),
      },
    ]);
    expect(new Date((await budgetNotices(lumen))[0]!.created_at)).toEqual(at(3600));
    // Over it, and even over a budget raised meanwhile and reached again: not again in January.
    await endAfterAnHour(january[2]!, t0);
    await budget(lumen, { monthlyBudgetCents: 100, policy: "alert" });
    const more = await started("january again", 2, at(4000));
    await endAfterAnHour(more[0]!, at(4000));
    await endAfterAnHour(more[1]!, at(4000)); // 125 c of 100
    expect(await budgetNotices(lumen)).toHaveLength(1);

    // February starts from nothing: its budget reached is told again, under the policy then.
    const february = new Date("2026-02-10T10:00:00Z");
    await budget(lumen, { monthlyBudgetCents: 40, policy: "block" });
    const next = await started("february", 2, february);
    await endAfterAnHour(next[0]!, february);
    expect(await budgetNotices(lumen)).toHaveLength(1);
    await endAfterAnHour(next[1]!, february); // 50 c of 40
    const notices = await budgetNotices(lumen);
    expect(notices.map((n) => n.billing_month)).toEqual(["2026-01", "2026-02"]);
    expect(notices[1]).toMatchObject({
      title: "Monthly budget reached for February 2026",
      body:
        "Your charges for February 2026 stand at €0.50, €0.10 over your monthly budget of €0.40. New tasks are refused until next month, " +
        "or until your budget is raised; tasks already submitted run on and are charged.",
    });
    // Each customer user of the organization is e-mailed, once a notice; another customer hears nothing.
    const members = await db.execute<{ email: string }>(sql`
      select email from users where organization_id = ${lumen} and role = 'customer' order by email`);
    expect(members.length).toBeGreaterThan(0);
    const emails = await budgetEmails();
    expect(emails.map((e) => [e.subject, e.to_address])).toEqual([
      ...members.map((m) => ["Monthly budget reached for February 2026", m.email]),
      ...members.map((m) => ["Monthly budget reached for January 2026", m.email]),
    ]);
    expect(emails[0]!.body_text).toContain("€0.10 over your monthly budget of €0.40");
    expect(await budgetNotices(carmin)).toHaveLength(0);
  });

  it("says nothing without a budget, or for a month already over it", async () => {
    const [a, b] = await started("no budget", 2, t0);
    await endAfterAnHour(a!, t0);
    await budget(lumen, { monthlyBudgetCents: 10, policy: "block" }); // set under what January was charged already
    await endAfterAnHour(b!, t0);
    expect(await budgetNotices(lumen)).toHaveLength(0);
    expect(await budgetEmails()).toHaveLength(0);
  });

  it("is told once when two charges at once reach the budget together", async () => {
    // Budget 40 c, two charges of 25 c: only the second reaches it, so the second must see the first.
    await budget(lumen, { monthlyBudgetCents: 40, policy: "alert" });
    const [a, b] = await started("together", 2, t0);
    const { secondWaited } = await endTogether(a!, b!, t0);
    expect(await budgetNotices(lumen)).toEqual([
      expect.objectContaining({ billing_month: "2026-01", body: expect.stringContaining("stand at €0.50, €0.10 over your monthly budget of €0.40") }),
    ]);
    expect(secondWaited).toBe(true);
  });
});
