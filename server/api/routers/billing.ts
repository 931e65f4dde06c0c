import { z } from "zod";
import { BUDGET_POLICIES } from "@/server/domain/billing";
import { SCHEDULING_TYPES } from "@/server/domain/task-state";
import { noControlCharacters } from "@/server/domain/text";
import {
  addRateVersion,
  billingOverview,
  creditEntriesOf,
  customerAccounts,
  estimateTask,
  grantCredits,
  listRateVersions,
  setBudget,
} from "@/server/services/billing";
import { getInvoice, listInvoiceMonths } from "@/server/services/invoices";
import { createTRPCRouter, customerProcedure, staffProcedure } from "../trpc";

/** At most a million euros at once: a typo of a few zeros is refused rather than granted. */
const MAX_CENTS = 100_000_000;
const cents = (what: string) =>
  z.int(`The ${what} is a whole number of cents.`).min(0, `The ${what} cannot be negative.`).max(MAX_CENTS, `The ${what} is at most €1,000,000.`);

/** Billing: the customer's balance, budget and estimates; the rate card, budgets and credits for staff. */
export const billingRouter = createTRPCRouter({
  /** The account's prepaid balance, this month's charges, its budget and today's rates. */
  overview: customerProcedure.query(({ ctx }) => billingOverview(ctx.db, { organizationId: ctx.organizationId, now: new Date() })),

  /** What a task would cost before it is submitted (C2), and what the month's budget would say. */
  estimate: customerProcedure
    .input(
      z.object({
        profile: z.string().min(1).max(100),
        instanceCount: z.int().min(1).max(100_000),
        schedulingType: z.enum(SCHEDULING_TYPES),
      }),
    )
    .query(({ ctx, input }) =>
      estimateTask(ctx.db, { organizationId: ctx.organizationId, profileName: input.profile, instanceCount: input.instanceCount, schedulingType: input.schedulingType, now: new Date() }),
    ),

  /** The months the account was charged in, newest first, the current one (so far) always first. */
  invoices: customerProcedure.query(({ ctx }) => listInvoiceMonths(ctx.db, { organizationId: ctx.organizationId, now: new Date() })),

  /** A month's invoice, a line per task: NOT_FOUND for a month without charges (but the current one). */
  invoice: customerProcedure
    .input(z.object({ month: z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "A month is written YYYY-MM.") }))
    .query(({ ctx, input }) => getInvoice(ctx.db, { organizationId: ctx.organizationId, month: input.month, now: new Date() })),

  /** Every version of the rate card. */
  rateCard: staffProcedure.query(({ ctx }) => listRateVersions(ctx.db)),

  /** A new price for a scheduling type, effective later than now. */
  addRate: staffProcedure
    .input(
      z.object({
        schedulingType: z.enum(SCHEDULING_TYPES),
        rateCentsPerCoreHour: z.int("The rate is a whole number of cents per core-hour.").min(1, "The rate is at least 1 cent.").max(100_000, "The rate is at most €1,000 per core-hour."),
        effectiveFrom: z.coerce.date("Give the time the rate applies from."),
        label: noControlCharacters(z.string().trim().min(1, "Give the label.").max(100, "The label has at most 100 characters.")),
      }),
    )
    .mutation(({ ctx, input }) => addRateVersion(ctx.db, { ...input, userId: ctx.user.id, now: new Date() })),

  /** Customer organizations with their balance, this month's charges and budget. */
  accounts: staffProcedure.query(({ ctx }) => customerAccounts(ctx.db, { now: new Date() })),

  /** An organization's credit ledger, newest first. */
  credits: staffProcedure.input(z.object({ organizationId: z.uuid() })).query(({ ctx, input }) => creditEntriesOf(ctx.db, input)),

  /** Sets (or, with null, removes) an organization's monthly budget. */
  setBudget: staffProcedure
    .input(
      z.object({
        organizationId: z.uuid(),
        budget: z.object({ monthlyBudgetCents: cents("budget"), policy: z.enum(BUDGET_POLICIES) }).nullable(),
      }),
    )
    .mutation(({ ctx, input }) => setBudget(ctx.db, { ...input, userId: ctx.user.id, now: new Date() })),

  /** Grants prepaid credits to an organization. */
  grantCredits: staffProcedure
    .input(
      z.object({
        organizationId: z.uuid(),
        amountCents: cents("amount").min(1, "The amount is at least 1 cent."),
        note: noControlCharacters(z.string().trim().min(1, "Say why (an order, a gift).").max(200, "The note has at most 200 characters.")),
      }),
    )
    .mutation(({ ctx, input }) => grantCredits(ctx.db, { ...input, userId: ctx.user.id, now: new Date() })),
});
