import { bigint, check, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { BUDGET_POLICIES, CREDIT_ENTRY_KINDS } from "@/server/domain/billing";
import { jobs, schedulingType, tasks } from "./compute";
import { organizations, users } from "./tenancy";

/**
 * The rate card: one row per version of a scheduling type's price, in cents per core-hour. Never
 * updated: a new price is a new version, effective from its time (ties: the latest id). An attempt
 * is charged at the version in force when it ends.
 */
export const rateCardVersions = pgTable(
  "rate_card_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    schedulingType: schedulingType("scheduling_type").notNull(),
    rateCentsPerCoreHour: integer("rate_cents_per_core_hour").notNull(),
    effectiveFrom: timestamp("effective_from", { withTimezone: true }).notNull(),
    label: text("label").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("rate_card_versions_lookup_idx").on(t.schedulingType, t.effectiveFrom),
    check("rate_card_versions_rate_positive", sql`${t.rateCentsPerCoreHour} > 0`),
  ],
);

/**
 * The charges ledger: one row per attempt that ended billable, written in the transaction that
 * ended it. Append-only. The attempt is named without a foreign key (attempts are deleted with
 * their task; the charge is not), and unique, so an attempt is never charged twice. The task and
 * job links go null when they are deleted; the task's name is kept for invoices.
 */
export const taskCharges = pgTable(
  "task_charges",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    taskId: uuid("task_id").references(() => tasks.id, { onDelete: "set null" }),
    jobId: uuid("job_id").references(() => jobs.id, { onDelete: "set null" }),
    /** The task's name when the attempt ended. */
    taskName: text("task_name").notNull(),
    attemptId: bigint("attempt_id", { mode: "number" }).notNull(),
    instanceNumber: integer("instance_number").notNull(),
    schedulingType: schedulingType("scheduling_type").notNull(),
    coreSeconds: bigint("core_seconds", { mode: "number" }).notNull(),
    /** ceil(coreSeconds / 60): core-minutes. */
    billedMinutes: bigint("billed_minutes", { mode: "number" }).notNull(),
    rateVersionId: bigint("rate_version_id", { mode: "number" })
      .notNull()
      .references(() => rateCardVersions.id, { onDelete: "restrict" }),
    rateCentsPerCoreHour: integer("rate_cents_per_core_hour").notNull(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    /** When the attempt ended: the month it is invoiced in. */
    chargedAt: timestamp("charged_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("task_charges_attempt_idx").on(t.attemptId),
    index("task_charges_organization_idx").on(t.organizationId, t.chargedAt),
    index("task_charges_task_idx").on(t.taskId),
    check("task_charges_amount_not_negative", sql`${t.amountCents} >= 0`),
  ],
);

export const creditEntryKind = pgEnum("credit_entry_kind", CREDIT_ENTRY_KINDS);

/**
 * Prepaid credits, a ledger: grants by staff (positive) and draws by charges (negative, one per
 * charge). The balance is the sum. Append-only: a correction is a new entry.
 */
export const creditEntries = pgTable(
  "credit_entries",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    kind: creditEntryKind("kind").notNull(),
    /** Grants positive, draws negative. */
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    chargeId: bigint("charge_id", { mode: "number" }).references(() => taskCharges.id, { onDelete: "restrict" }),
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("credit_entries_organization_idx").on(t.organizationId, t.createdAt),
    uniqueIndex("credit_entries_charge_idx").on(t.chargeId),
    check(
      "credit_entries_sign",
      sql`(${t.kind} = 'grant' and ${t.amountCents} > 0 and ${t.chargeId} is null) or (${t.kind} = 'draw' and ${t.amountCents} <= 0 and ${t.chargeId} is not null)`,
    ),
  ],
);

export const budgetPolicy = pgEnum("budget_policy", BUDGET_POLICIES);

/** An organization's monthly budget (each calendar month, BILLING_TIME_ZONE) and what overrunning it does. */
export const organizationBudgets = pgTable(
  "organization_budgets",
  {
    organizationId: uuid("organization_id")
      .primaryKey()
      .references(() => organizations.id, { onDelete: "cascade" }),
    monthlyBudgetCents: bigint("monthly_budget_cents", { mode: "number" }).notNull(),
    policy: budgetPolicy("policy").notNull(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
    updatedByUserId: uuid("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [check("organization_budgets_not_negative", sql`${t.monthlyBudgetCents} >= 0`)],
);
