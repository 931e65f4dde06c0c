import { sql } from "drizzle-orm";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { callerAs, organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { fieldErrorsOf } from "../trpc";

/** The billing router: a customer's estimate and budget refusal (402); budgets, credits and the rate card for staff only. */
const db = useTestDb();

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
const fieldsOf = (error: TRPCError) => (error.cause instanceof ZodError ? Object.keys(fieldErrorsOf(error.cause)) : []);

let lumen: string;
beforeEach(async () => {
  await resetEngine(db);
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
});
afterAll(async () => {
  await resetEngine(db);
  await db.execute(sql`delete from rate_card_versions where label like 'BILLINGROUTER%'`);
  await db.execute(sql`delete from credit_entries where note like 'BILLINGROUTER%'`);
});

describe("billing router", () => {
  it("estimates a task before it is submitted, at today's rate", async () => {
    const api = await callerAs(db, "customer@hearth.test");
    // 1,000 monte-carlo instances of 2 core-minutes at 40 c per core-hour (OnDemand): 1,333.33 c → 1,333 c.
    expect(await api.billing.estimate({ profile: "monte-carlo", instanceCount: 1000, schedulingType: "OnDemand" })).toMatchObject({
      estimateCents: 1333,
      rateCentsPerCoreHour: 40,
      expectedCoreSecondsPerInstance: 120,
      judgement: { kind: "within" },
    });
    expect((await refusalOf(api.billing.estimate({ profile: "nope", instanceCount: 1, schedulingType: "Flex" }))).code).toBe("NOT_FOUND");
  });

  it("refuses a submission over a blocking budget with PAYMENT_REQUIRED, saying by how much, and creates nothing", async () => {
    const staff = await callerAs(db, "staff@hearth.test");
    const api = await callerAs(db, "customer@hearth.test");
    await staff.billing.setBudget({ organizationId: lumen, budget: { monthlyBudgetCents: 500, policy: "block" } });
    expect(await api.billing.overview()).toMatchObject({ budget: { monthlyBudgetCents: 500, policy: "block" }, monthChargedCents: 0 });
    const refused = await refusalOf(api.compute.submitTask({ profile: "monte-carlo", name: "too big", instanceCount: 720 }));
    expect(refused.code).toBe("PAYMENT_REQUIRED");
    expect(refused.message).toBe("This task's estimate of €6.00 would overrun your monthly budget of €5.00 by €1.00.");
    expect(await db.execute(sql`select 1 from tasks where organization_id = ${lumen}`)).toHaveLength(0);
    // Within the budget, and with the budget removed, it goes through.
    await api.compute.submitTask({ profile: "monte-carlo", name: "fits", instanceCount: 500 });
    await staff.billing.setBudget({ organizationId: lumen, budget: null });
    await api.compute.submitTask({ profile: "monte-carlo", name: "no budget", instanceCount: 600 });
  });

  it("grants credits and sets budgets for staff only, naming a bad field, and NOT_FOUND for an organization that is no customer", async () => {
    const staff = await callerAs(db, "staff@hearth.test");
    const customer = await callerAs(db, "customer@hearth.test");
    expect((await refusalOf(customer.billing.grantCredits({ organizationId: lumen, amountCents: 100, note: "BILLINGROUTER" }))).code).toBe("FORBIDDEN");
    expect((await refusalOf(customer.billing.accounts())).code).toBe("FORBIDDEN");
    const granted = await staff.billing.grantCredits({ organizationId: lumen, amountCents: 5000, note: "BILLINGROUTER order 1" });
    expect(granted.balanceCents).toBeGreaterThanOrEqual(5000);
    expect((await staff.billing.credits({ organizationId: lumen }))[0]).toMatchObject({ kind: "grant", amountCents: 5000, note: "BILLINGROUTER order 1" });
    expect((await staff.billing.accounts()).find((a) => a.id === lumen)).toMatchObject({ creditBalanceCents: granted.balanceCents });
    const negative = await refusalOf(staff.billing.grantCredits({ organizationId: lumen, amountCents: -5, note: "BILLINGROUTER" }));
    expect([negative.code, fieldsOf(negative)]).toEqual(["BAD_REQUEST", ["amountCents"]]);
    const landlord = await organizationIdByName(db, "Paris Habitat Ouest");
    expect((await refusalOf(staff.billing.setBudget({ organizationId: landlord, budget: { monthlyBudgetCents: 1, policy: "block" } }))).code).toBe("NOT_FOUND");
  });

  it("adds a rate version effective later, never one that would reprice work already charged", async () => {
    const staff = await callerAs(db, "staff@hearth.test");
    const past = await refusalOf(
      staff.billing.addRate({ schedulingType: "Flex", rateCentsPerCoreHour: 30, effectiveFrom: new Date("2020-01-01T00:00:00Z"), label: "BILLINGROUTER past" }),
    );
    expect([past.code, fieldsOf(past)]).toEqual(["BAD_REQUEST", ["effectiveFrom"]]);
    const zero = await refusalOf(staff.billing.addRate({ schedulingType: "Flex", rateCentsPerCoreHour: 0, effectiveFrom: new Date("2099-01-01T00:00:00Z"), label: "BILLINGROUTER" }));
    expect(fieldsOf(zero)).toEqual(["rateCentsPerCoreHour"]);
    await staff.billing.addRate({ schedulingType: "Flex", rateCentsPerCoreHour: 30, effectiveFrom: new Date("2099-01-01T00:00:00Z"), label: "BILLINGROUTER later" });
    expect(await staff.billing.rateCard()).toEqual(expect.arrayContaining([expect.objectContaining({ label: "BILLINGROUTER later", rateCentsPerCoreHour: 30 })]));
    // Today's Flex rate is unchanged.
    expect((await (await callerAs(db, "customer@hearth.test")).billing.overview()).rates.Flex).toBe(25);
  });
});
