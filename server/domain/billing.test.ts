import { describe, expect, it } from "vitest";
import {
  billedMinutes,
  billingMonthOf,
  creditDrawCents,
  crossesBudget,
  describeBudgetReached,
  estimateTaskCents,
  formatEuros,
  judgeBudget,
  priceAttempt,
  rateInForce,
} from "./billing";

describe("billing by the minute", () => {
  it("bills every started core-minute", () => {
    expect(billedMinutes(0)).toBe(0);
    expect(billedMinutes(1)).toBe(1);
    expect(billedMinutes(60)).toBe(1);
    expect(billedMinutes(61)).toBe(2);
    expect(billedMinutes(3600)).toBe(60);
  });

  it("prices to the cent, rounded once, half up", () => {
    // 61 core-seconds → 2 minutes at 25 c/h = 50/60 = 0.833 c → 1 c.
    expect(priceAttempt(61, 25)).toEqual({ coreSeconds: 61, billedMinutes: 2, amountCents: 1 });
    // An hour of one core at the Flex rate: 25 c exactly.
    expect(priceAttempt(3600, 25).amountCents).toBe(25);
    // 6 minutes at 25 c/h = 2.5 c → 3 c (half up); 1 minute = 0.4167 c → 0 c.
    expect(priceAttempt(360, 25).amountCents).toBe(3);
    expect(priceAttempt(60, 25).amountCents).toBe(0);
    // 4 cores for 10 min 1 s = 2404 core-seconds → 41 minutes at 40 c/h = 27.33 c → 27 c.
    expect(priceAttempt(2404, 40)).toEqual({ coreSeconds: 2404, billedMinutes: 41, amountCents: 27 });
    // Large: 1e9 core-seconds exact in integers (16,666,667 minutes × 60 c / 60 = 16,666,667 c).
    expect(priceAttempt(1_000_000_000, 60).amountCents).toBe(16_666_667);
  });

  it("refuses what cannot be a meter", () => {
    expect(() => priceAttempt(-1, 25)).toThrow(RangeError);
    expect(() => priceAttempt(1.5, 25)).toThrow(RangeError);
    expect(() => priceAttempt(10, -25)).toThrow(RangeError);
  });

  it("rounds once per task: each charge adds what it takes the task's rounded total up by", () => {
    // A thousand 2-minute attempts at 25 c/h: 50,000 sixtieths of a cent, 833.33 c → 833 c in all.
    let earlier = 0;
    let charged = 0;
    const amounts = new Set<number>();
    for (let i = 0; i < 1000; i++) {
      const charge = priceAttempt(120, 25, earlier);
      earlier += charge.billedMinutes * 25;
      charged += charge.amountCents;
      amounts.add(charge.amountCents);
    }
    expect(charged).toBe(833);
    expect([...amounts].sort()).toEqual([0, 1]);
    // Minute-long attempts are not free: the second of two 1-minute attempts at 25 c/h brings the task to 0.83 c → 1 c.
    expect(priceAttempt(60, 25, 0).amountCents).toBe(0);
    expect(priceAttempt(60, 25, 25).amountCents).toBe(1);
    // Rates may differ between a task's attempts: the sum stays the exact total rounded once.
    expect(priceAttempt(61, 40, 30).amountCents).toBe(Math.round((30 + 80) / 60) - Math.round(30 / 60));
    expect(() => priceAttempt(60, 25, -1)).toThrow(RangeError);
  });

  it("estimates each instance as one run of the profile's expected core-seconds, the task rounded once", () => {
    // monte-carlo: 120 core-seconds → 2 minutes each → 1,000 × 50/60 c = 833.33 c → 833 c.
    expect(estimateTaskCents({ expectedCoreSecondsPerInstance: 120, instanceCount: 1000, rateCentsPerCoreHour: 25 })).toBe(833);
    // 2,400 expected core-seconds per instance → 40 minutes → 250 × 16.67 c = 4,166.67 c → 4,167 c at Flex.
    expect(estimateTaskCents({ expectedCoreSecondsPerInstance: 2400, instanceCount: 250, rateCentsPerCoreHour: 25 })).toBe(4167);
  });
});

describe("the rate in force", () => {
  const versions = [
    { id: 1, schedulingType: "Flex" as const, effectiveFrom: new Date("2000-01-01T00:00:00Z"), rate: 25 },
    { id: 2, schedulingType: "OnDemand" as const, effectiveFrom: new Date("2000-01-01T00:00:00Z"), rate: 40 },
    { id: 3, schedulingType: "Flex" as const, effectiveFrom: new Date("2026-03-01T00:00:00Z"), rate: 30 },
    { id: 4, schedulingType: "Flex" as const, effectiveFrom: new Date("2026-03-01T00:00:00Z"), rate: 28 },
  ];
  it("is the latest version at or before the time, the latest id on a tie", () => {
    expect(rateInForce(versions, "Flex", new Date("2026-02-28T23:59:59Z"))?.rate).toBe(25);
    expect(rateInForce(versions, "Flex", new Date("2026-03-01T00:00:00Z"))?.rate).toBe(28);
    expect(rateInForce(versions, "OnDemand", new Date("2026-03-05T00:00:00Z"))?.rate).toBe(40);
    expect(rateInForce(versions, "Reserved", new Date("2026-03-05T00:00:00Z"))).toBeNull();
  });
});

describe("the budget guard", () => {
  it("lets through what fits and says by how much an overrun goes over", () => {
    const budget = { monthlyBudgetCents: 5000, policy: "block" as const };
    expect(judgeBudget({ budget: null, monthChargedCents: 10_000_000, estimateCents: 1 })).toEqual({ kind: "within" });
    expect(judgeBudget({ budget, monthChargedCents: 3760, estimateCents: 1240 })).toEqual({ kind: "within" });
    expect(judgeBudget({ budget, monthChargedCents: 4075, estimateCents: 1240 })).toEqual({
      kind: "over",
      policy: "block",
      overrunCents: 315,
      message: "This task's estimate of €12.40 would overrun your monthly budget of €50.00 by €3.15 (€40.75 charged this month so far).",
    });
    expect(judgeBudget({ budget: { ...budget, policy: "alert" }, monthChargedCents: 0, estimateCents: 5001 })).toMatchObject({
      kind: "over",
      policy: "alert",
      overrunCents: 1,
      message: "This task's estimate of €50.01 would overrun your monthly budget of €50.00 by €0.01.",
    });
  });

  it("writes euros", () => {
    expect(formatEuros(0)).toBe("€0.00");
    expect(formatEuros(123_456_789)).toBe("€1,234,567.89");
    expect(formatEuros(-5)).toBe("-€0.05");
  });

  it("counts months in the operator's zone", () => {
    // 31 Jan 23:30 UTC is 1 Feb 00:30 in Paris.
    expect(billingMonthOf(new Date("2026-01-31T23:30:00Z"))).toBe("2026-02");
    expect(billingMonthOf(new Date("2026-01-31T22:59:59Z"))).toBe("2026-01");
  });
});

describe("prepaid credits", () => {
  it("pay a charge as far as they go, never below zero; the rest is due", () => {
    expect(creditDrawCents(25, 1000)).toBe(25);
    expect(creditDrawCents(25, 25)).toBe(25);
    expect(creditDrawCents(25, 10)).toBe(10);
    expect(creditDrawCents(25, 0)).toBe(0);
    // A balance below zero (written before the floor) pays nothing, and is not made worse.
    expect(creditDrawCents(25, -40)).toBe(0);
    expect(creditDrawCents(0, 1000)).toBe(0);
    expect(() => creditDrawCents(-1, 1000)).toThrow(RangeError);
    expect(() => creditDrawCents(1, 0.5)).toThrow(RangeError);
  });
});

describe("the budget notice", () => {
  it("comes with the charge that takes the month from below its budget to at or above it", () => {
    expect(crossesBudget({ budgetCents: 100, beforeCents: 99, afterCents: 100 })).toBe(true);
    expect(crossesBudget({ budgetCents: 100, beforeCents: 0, afterCents: 250 })).toBe(true);
    expect(crossesBudget({ budgetCents: 100, beforeCents: 50, afterCents: 99 })).toBe(false);
    // Already there: the charge that reached it told.
    expect(crossesBudget({ budgetCents: 100, beforeCents: 100, afterCents: 130 })).toBe(false);
    expect(crossesBudget({ budgetCents: 100, beforeCents: 120, afterCents: 130 })).toBe(false);
    expect(crossesBudget({ budgetCents: null, beforeCents: 0, afterCents: 1_000_000 })).toBe(false);
  });

  it("says where the month stands and what the policy does now", () => {
    expect(describeBudgetReached({ month: "2026-01", policy: "alert", budgetCents: 5000, monthChargedCents: 5315 })).toEqual({
      title: "Monthly budget reached for January 2026",
      body: "Your charges for January 2026 stand at €53.15, €3.15 over your monthly budget of €50.00. New tasks are still accepted, with a warning, and charged as usual.",
    });
    expect(describeBudgetReached({ month: "2026-02", policy: "block", budgetCents: 5000, monthChargedCents: 5000 })).toEqual({
      title: "Monthly budget reached for February 2026",
      body:
        "Your charges for February 2026 stand at €50.00, exactly your monthly budget. New tasks are refused until next month, " +
        "or until your budget is raised; tasks already submitted run on and are charged.",
    });
  });
});

describe("what staff type", () => {
  it("reads euros exactly into cents", async () => {
    const { parseEurosToCents } = await import("./billing");
    expect(parseEurosToCents("12.40")).toBe(1240);
    expect(parseEurosToCents("12,4")).toBe(1240);
    expect(parseEurosToCents("1 000")).toBe(100_000);
    expect(parseEurosToCents("0.07")).toBe(7);
    for (const bad of ["", "-1", "1.234", "abc", "1e3"]) expect(parseEurosToCents(bad)).toBeNaN();
  });

  it("starts a day at midnight in Paris, summer or winter", async () => {
    const { billingDayStart } = await import("./billing");
    expect(billingDayStart("2026-01-15")?.toISOString()).toBe("2026-01-14T23:00:00.000Z");
    expect(billingDayStart("2026-07-01")?.toISOString()).toBe("2026-06-30T22:00:00.000Z");
    expect(billingDayStart("2026-02-30")).toBeNull();
  });
});
