/**
 * Billing's formulas: pure, no I/O, client-safe (the submit form shows the estimate as it is filled).
 *
 * Rule (C9, DOMAIN.md's "€0.25 per processor-hour, billed by the minute"): an attempt that ended
 * billable is charged for its core-seconds rounded UP to whole core-minutes,
 * billedMinutes = ceil(coreSeconds / 60) (61 core-seconds bill 2 minutes), at its scheduling
 * type's rate in cents per core-hour. Amounts are exact in integers (sixtieths of a cent,
 * billedMinutes × rateCentsPerCoreHour) and rounded once per task, half up: each charge is what it
 * adds to the task's rounded total, so a task's charges add up to its exact price rounded once
 * (a thousand 2-minute attempts at 25 c/h cost 833 c, not 1,000 c nor 0 c).
 * Attempts lost to a silent radiator, a reboot or a gateway that never started them are never charged.
 */

import type { SchedulingType } from "./task-state";

export const BUDGET_POLICIES = ["alert", "block"] as const;
export type BudgetPolicy = (typeof BUDGET_POLICIES)[number];

export const CREDIT_ENTRY_KINDS = ["grant", "draw"] as const;
export type CreditEntryKind = (typeof CREDIT_ENTRY_KINDS)[number];

/** Calendar months of invoices and budgets are the operator's (Europe/Paris), whoever views them. */
export const BILLING_TIME_ZONE = "Europe/Paris";

/** The rate card the platform starts with, cents per core-hour; staff add later versions. */
export const DEFAULT_RATES_CENTS_PER_CORE_HOUR: Readonly<Record<SchedulingType, number>> = {
  // DOMAIN.md's published price.
  Flex: 25,
  // Served before Flex whenever heat is wanted: a premium for the shorter wait.
  OnDemand: 40,
  // Capacity held for the customer ahead of the queue: the highest price.
  Reserved: 60,
};

function assertWhole(name: string, value: number): void {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`${name} must be a non-negative integer: ${value}`);
}

/** Whole core-minutes billed for `coreSeconds`: every started minute counts. */
export function billedMinutes(coreSeconds: number): number {
  assertWhole("coreSeconds", coreSeconds);
  return Math.ceil(coreSeconds / 60);
}

/** `numerator / denominator` rounded half up, both non-negative integers, exactly. */
function divideHalfUp(numerator: number, denominator: number): number {
  const quotient = Math.floor(numerator / denominator);
  const remainder = numerator - quotient * denominator;
  return remainder * 2 >= denominator ? quotient + 1 : quotient;
}

export type Charge = { coreSeconds: number; billedMinutes: number; amountCents: number };

/**
 * What an attempt that ended billable costs (see the rule above), after the task's earlier charges
 * came to `earlierSixtiethsOfCent` (Σ their billedMinutes × rateCentsPerCoreHour).
 */
export function priceAttempt(coreSeconds: number, rateCentsPerCoreHour: number, earlierSixtiethsOfCent = 0): Charge {
  assertWhole("rateCentsPerCoreHour", rateCentsPerCoreHour);
  assertWhole("earlierSixtiethsOfCent", earlierSixtiethsOfCent);
  const minutes = billedMinutes(coreSeconds);
  const total = earlierSixtiethsOfCent + minutes * rateCentsPerCoreHour;
  if (!Number.isSafeInteger(total)) throw new RangeError("Charge too large to price exactly.");
  return { coreSeconds, billedMinutes: minutes, amountCents: divideHalfUp(total, 60) - divideHalfUp(earlierSixtiethsOfCent, 60) };
}

/**
 * A task's cost before it runs (C2): every instance priced as one attempt of the profile's expected
 * core-seconds, per the rule above, so an estimate is what the same run would be charged.
 */
export function estimateTaskCents(opts: { expectedCoreSecondsPerInstance: number; instanceCount: number; rateCentsPerCoreHour: number }): number {
  assertWhole("instanceCount", opts.instanceCount);
  assertWhole("rateCentsPerCoreHour", opts.rateCentsPerCoreHour);
  const total = billedMinutes(opts.expectedCoreSecondsPerInstance) * opts.rateCentsPerCoreHour * opts.instanceCount;
  if (!Number.isSafeInteger(total)) throw new RangeError("Estimate too large to price exactly.");
  return divideHalfUp(total, 60);
}

/** The rate version in force at `at`: the latest effectiveFrom at or before it (ties: the latest id). */
export function rateInForce<R extends { id: number; schedulingType: SchedulingType; effectiveFrom: Date }>(
  versions: readonly R[],
  schedulingType: SchedulingType,
  at: Date,
): R | null {
  let best: R | null = null;
  for (const v of versions) {
    if (v.schedulingType !== schedulingType || v.effectiveFrom.getTime() > at.getTime()) continue;
    if (!best || v.effectiveFrom.getTime() > best.effectiveFrom.getTime() || (v.effectiveFrom.getTime() === best.effectiveFrom.getTime() && v.id > best.id)) best = v;
  }
  return best;
}

/** Euros as people read them: €12.40 (cents, signed). */
export function formatEuros(cents: number): string {
  const sign = cents < 0 ? "-" : "";
  const abs = Math.abs(cents);
  return `${sign}€${Math.floor(abs / 100).toLocaleString("en-US")}.${String(abs % 100).padStart(2, "0")}`;
}

/** Cents as the euros Qarnot's credits API answers (a number). */
export const centsToEuros = (cents: number) => cents / 100;

export type BudgetJudgement =
  | { kind: "within" }
  | { kind: "over"; policy: BudgetPolicy; overrunCents: number; message: string };

/**
 * Whether a submission estimated at `estimateCents` fits this month's budget, given what the month
 * has been charged so far. No budget: always within.
 */
export function judgeBudget(opts: {
  budget: { monthlyBudgetCents: number; policy: BudgetPolicy } | null;
  monthChargedCents: number;
  estimateCents: number;
}): BudgetJudgement {
  if (!opts.budget) return { kind: "within" };
  const overrunCents = opts.monthChargedCents + opts.estimateCents - opts.budget.monthlyBudgetCents;
  if (overrunCents <= 0) return { kind: "within" };
  const message =
    `This task's estimate of ${formatEuros(opts.estimateCents)} would overrun your monthly budget of ` +
    `${formatEuros(opts.budget.monthlyBudgetCents)} by ${formatEuros(overrunCents)}` +
    (opts.monthChargedCents > 0 ? ` (${formatEuros(opts.monthChargedCents)} charged this month so far).` : ".");
  return { kind: "over", policy: opts.budget.policy, overrunCents, message };
}

/**
 * What a charge draws on the prepaid credits (C9): all of it while the balance covers it, else what
 * is left, so the balance never goes below zero. The rest is due on the month's invoice. A balance
 * already below zero (written before this rule) covers nothing.
 */
export function creditDrawCents(amountCents: number, balanceCents: number): number {
  assertWhole("amountCents", amountCents);
  if (!Number.isSafeInteger(balanceCents)) throw new RangeError(`balanceCents must be an integer: ${balanceCents}`);
  return Math.min(amountCents, Math.max(0, balanceCents));
}

/**
 * Whether a charge takes its month across the monthly budget: the month stood below it before the
 * charge and at or above it after (before < budget ≤ after). A month already at or over its budget
 * crosses nothing more; no budget, nothing to cross.
 */
export function crossesBudget(opts: { budgetCents: number | null; beforeCents: number; afterCents: number }): boolean {
  return opts.budgetCents !== null && opts.beforeCents < opts.budgetCents && opts.budgetCents <= opts.afterCents;
}

/** "January 2026" for "2026-01". */
export function formatBillingMonth(month: string): string {
  return new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" }).format(new Date(`${month}-01T00:00:00Z`));
}

/**
 * What the organization is told when a charge takes its month to its budget: where the month
 * stands, and what the policy does now (an alert lets tasks through; a block refuses new ones).
 */
export function describeBudgetReached(opts: { month: string; policy: BudgetPolicy; budgetCents: number; monthChargedCents: number }): {
  title: string;
  body: string;
} {
  const month = formatBillingMonth(opts.month);
  const overCents = opts.monthChargedCents - opts.budgetCents;
  const stands =
    `Your charges for ${month} stand at ${formatEuros(opts.monthChargedCents)}` +
    (overCents > 0 ? `, ${formatEuros(overCents)} over your monthly budget of ${formatEuros(opts.budgetCents)}.` : ", exactly your monthly budget.");
  const policy =
    opts.policy === "block"
      ? " New tasks are refused until next month, or until your budget is raised; tasks already submitted run on and are charged."
      : " New tasks are still accepted, with a warning, and charged as usual.";
  return { title: `Monthly budget reached for ${month}`, body: stands + policy };
}

/** "2026-01" for the billing month holding `at` (BILLING_TIME_ZONE). */
export function billingMonthOf(at: Date): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: BILLING_TIME_ZONE, year: "numeric", month: "2-digit" }).formatToParts(at);
  const year = parts.find((p) => p.type === "year")!.value;
  const month = parts.find((p) => p.type === "month")!.value;
  return `${year}-${month}`;
}

/** A billing month written "YYYY-MM". */
export const isBillingMonth = (s: string) => /^\d{4}-(0[1-9]|1[0-2])$/.test(s);

/** Euros as typed ("12.40", "12,4", "1 000") in cents; NaN for anything else (a negative amount included). */
export function parseEurosToCents(typed: string): number {
  const text = typed.trim().replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  if (!/^\d+(\.\d{1,2})?$/.test(text)) return Number.NaN;
  const [whole, fraction = ""] = text.split(".");
  return Number(whole) * 100 + Number(fraction.padEnd(2, "0"));
}

/** The instant a billing day ("YYYY-MM-DD") begins, 00:00 in BILLING_TIME_ZONE; null for no such day. */
export function billingDayStart(day: string): Date | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  const parsed = new Date(`${day}T00:00:00Z`);
  // Date rolls 30 February over to 2 March: a day that does not read back is no day.
  if (Number.isNaN(parsed.getTime()) || parsed.toISOString().slice(0, 10) !== day) return null;
  const noonUtc = new Date(`${day}T12:00:00Z`);
  const name = new Intl.DateTimeFormat("en-US", { timeZone: BILLING_TIME_ZONE, timeZoneName: "longOffset" })
    .formatToParts(noonUtc)
    .find((p) => p.type === "timeZoneName")!.value; // "GMT+01:00", or "GMT" at +00:00
  return new Date(`${day}T00:00:00${name === "GMT" ? "Z" : name.slice(3)}`);
}
