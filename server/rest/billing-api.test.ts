import { sql } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { creditEntries } from "@/server/db/schema";
import { setBudget } from "@/server/services/billing";
import { useTestDb } from "@/server/test/db";
import { useRestHarness, type ApiClient } from "./testing";

/**
 * Billing over the Qarnot-compatible API, over real HTTP against a real database: what a task has
 * cost (its instances run and end through the gateway protocol), the account's credits, and
 * another customer's task answered 404.
 */

const db = useTestDb();
let clock = new Date("2026-01-15T10:00:00Z");
const tick = (seconds: number) => (clock = new Date(clock.getTime() + seconds * 1000));
const { lumen, carmin, anonymous, fleet } = useRestHarness(db, { keyName: "billing test", options: () => ({ now: () => clock }) });
beforeEach(() => {
  clock = new Date("2026-01-15T10:00:00Z");
});

async function submit(client: ApiClient, more: Record<string, unknown> = {}) {
  const res = await client.post("/tasks", { name: "price options", profile: "monte-carlo", instanceCount: 2, constants: [{ key: "paths", value: "1000" }], ...more });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  return res.body.uuid as string;
}

/** Runs every queued instance for `seconds`, through the gateway's reports. */
async function runAll(seconds: number) {
  await fleet.wantHeat(clock);
  const assignments = await fleet.dispatch(clock);
  await fleet.report(clock, assignments.map((a) => fleet.started(a.attemptId, clock)));
  tick(seconds);
  await fleet.report(clock, assignments.map((a) => fleet.exit(a.attemptId, clock, "succeeded")));
  return assignments;
}

describe("GET /credits/v1/tasks/{uuid}/credits", () => {
  it("answers what the task has cost so far, in euros", async () => {
    const uuid = await submit(lumen);
    expect((await lumen.get(`/credits/v1/tasks/${uuid}/credits`)).body).toEqual({ credits: 0 });
    // Two instances of one core for an hour, Flex at 25 c per core-hour: €0.50.
    expect(await runAll(3600)).toHaveLength(2);
    const res = await lumen.get(`/credits/v1/tasks/${uuid}/credits`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ credits: 0.5 });
    // The task's own view carries the same, in cents.
    expect((await lumen.get(`/tasks/${uuid}`)).body.hearth).toMatchObject({ costCents: 50 });
    // By shortname too, as every task path.
    const named = await submit(lumen, { shortname: "priced" });
    expect((await lumen.get("/credits/v1/tasks/priced/credits")).body).toEqual({ credits: 0 });
    expect(named).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("bills by the started minute: 61 seconds of one core cost two minutes", async () => {
    // Reserved at 60 c per core-hour: 2 instances × 2 min = 4 core-minutes → 2 × 2 c.
    const uuid = await submit(lumen, { schedulingType: "Reserved" });
    await runAll(61);
    expect((await lumen.get(`/credits/v1/tasks/${uuid}/credits`)).body).toEqual({ credits: 0.04 });
  });

  it("answers 404 for another customer's task, as for one that does not exist", async () => {
    const uuid = await submit(lumen);
    await runAll(3600);
    const theirs = await carmin.get(`/credits/v1/tasks/${uuid}/credits`);
    const missing = await carmin.get("/credits/v1/tasks/00000000-0000-4000-8000-000000000000/credits");
    expect(theirs.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(theirs.body.message).toBe(`No task ${JSON.stringify(uuid)} in this account.`);
    expect((await anonymous.get(`/credits/v1/tasks/${uuid}/credits`)).status).toBe(401);
  });
});

describe("GET /credits/v1/accounts/credits", () => {
  it("answers the account's prepaid balance in euros: grants less what its charges drew", async () => {
    await db.insert(creditEntries).values({ organizationId: lumen.organizationId, kind: "grant", amountCents: 1000, note: "billing test" });
    expect((await lumen.get("/credits/v1/accounts/credits")).body).toEqual({ credits: 10 });
    await submit(lumen);
    await runAll(3600);
    expect((await lumen.get("/credits/v1/accounts/credits")).body).toEqual({ credits: 9.5 });
    // Another customer's balance is its own.
    expect((await carmin.get("/credits/v1/accounts/credits")).body).toEqual({ credits: 0 });
    expect((await anonymous.get("/credits/v1/accounts/credits")).status).toBe(401);
  });

  it("never answers below zero: charges the credits do not cover are due on the invoice", async () => {
    await db.insert(creditEntries).values({ organizationId: lumen.organizationId, kind: "grant", amountCents: 30, note: "billing test" });
    // Two instances of one core for an hour, 25 c each, against 30 c of credits.
    await submit(lumen);
    await runAll(3600);
    expect((await lumen.get("/credits/v1/accounts/credits")).body).toEqual({ credits: 0 });
  });
});

describe("the budget guard on POST /tasks", () => {
  const taskCount = async () => Number((await db.execute<{ n: string }>(sql`select count(*) as n from tasks where organization_id = ${lumen.organizationId}`))[0]!.n);

  it("answers each task's estimate, and 402 saying by how much a blocking budget would be overrun; nothing is created", async () => {
    // €0.50 charged this month: two instances of one core for an hour at 25 c.
    await submit(lumen);
    await runAll(3600);
    await setBudget(db, { organizationId: lumen.organizationId, budget: { monthlyBudgetCents: 100, policy: "block" }, userId: null, now: clock });
    // Monte-Carlo: 120 expected core-seconds, 2 minutes at 25 c per core-hour: 5/6 c an instance,
    // the task rounded once (60 instances: 50 c).
    const fits = await lumen.post("/tasks", { name: "fits", profile: "monte-carlo", instanceCount: 60 });
    expect(fits.status).toBe(201);
    expect(fits.body.hearth).toEqual({ estimateCents: 50, estimatedCredits: 0.5, budgetAlert: null });
    const before = await taskCount();
    const over = await lumen.post("/tasks", { name: "too much", profile: "monte-carlo", instanceCount: 72 });
    expect(over.status).toBe(402);
    expect(over.body.message).toBe(
      "This task's estimate of €0.60 would overrun your monthly budget of €1.00 by €0.10 (€0.50 charged this month so far).",
    );
    expect(await taskCount()).toBe(before);
    // In a bulk submission, only the task that overruns is refused.
    const bulk = await lumen.post("/tasks", [
      { name: "small", profile: "monte-carlo", instanceCount: 12 },
      { name: "big", profile: "monte-carlo", instanceCount: 120 },
    ]);
    expect(bulk.status).toBe(200);
    expect(bulk.body.map((r: { statusCode: number }) => r.statusCode)).toEqual([201, 402]);
    // Another customer has no budget: nothing refused.
    expect((await carmin.post("/tasks", { name: "theirs", profile: "monte-carlo", instanceCount: 1000 })).status).toBe(201);
  });

  it("lets a task through an alert-only budget, saying so", async () => {
    await setBudget(db, { organizationId: lumen.organizationId, budget: { monthlyBudgetCents: 100, policy: "alert" }, userId: null, now: clock });
    const res = await lumen.post("/tasks", { name: "over", profile: "monte-carlo", instanceCount: 180 });
    expect(res.status).toBe(201);
    expect(res.body.hearth).toEqual({
      estimateCents: 150,
      estimatedCredits: 1.5,
      budgetAlert: "This task's estimate of €1.50 would overrun your monthly budget of €1.00 by €0.50.",
    });
  });
});
