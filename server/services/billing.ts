import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import {
  BILLING_TIME_ZONE,
  billingMonthOf,
  creditDrawCents,
  crossesBudget,
  describeBudgetReached,
  estimateTaskCents,
  judgeBudget,
  priceAttempt,
  rateInForce,
  type BudgetJudgement,
  type BudgetPolicy,
} from "@/server/domain/billing";
import { coreSecondsInPeriod } from "@/server/domain/metering";
import { SCHEDULING_TYPES, type SchedulingType } from "@/server/domain/task-state";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * Billing's reads and writes around server/domain/billing.ts: the rate card, the charges ledger
 * (written when an attempt ends billable, in the transaction that ends it), credits, budgets and
 * estimates. Every read is bounded by the caller's organization.
 */

export type RateVersion = { id: number; schedulingType: SchedulingType; rateCentsPerCoreHour: number; effectiveFrom: Date; label: string };

/** Every version of the rate card, oldest first. */
export async function listRateVersions(db: Tx): Promise<RateVersion[]> {
  const rows = await db.execute<{ id: string; scheduling_type: SchedulingType; rate_cents_per_core_hour: number; effective_from: string; label: string }>(sql`
    select id, scheduling_type, rate_cents_per_core_hour, effective_from, label from rate_card_versions order by effective_from, id`);
  return rows.map((r) => ({
    id: Number(r.id),
    schedulingType: r.scheduling_type,
    rateCentsPerCoreHour: r.rate_cents_per_core_hour,
    effectiveFrom: new Date(r.effective_from),
    label: r.label,
  }));
}

/** The rate in force now for each scheduling type (cents per core-hour); a type without a version is left out. */
export async function currentRates(db: Tx, now: Date): Promise<Partial<Record<SchedulingType, number>>> {
  const versions = await listRateVersions(db);
  const rates: Partial<Record<SchedulingType, number>> = {};
  for (const type of SCHEDULING_TYPES) {
    const v = rateInForce(versions, type, now);
    if (v) rates[type] = v.rateCentsPerCoreHour;
  }
  return rates;
}

/** A new rate card version, effective from a time after `now` (a price never changes for work already charged). */
export async function addRateVersion(
  db: Tx,
  opts: { schedulingType: SchedulingType; rateCentsPerCoreHour: number; effectiveFrom: Date; label: string; userId: string | null; now: Date },
) {
  if (opts.effectiveFrom.getTime() <= opts.now.getTime()) {
    throw new InvalidInputError("A new rate takes effect later than now: charges already made keep their rate.", "effectiveFrom");
  }
  const [row] = await db.execute<{ id: string }>(sql`
    insert into rate_card_versions (scheduling_type, rate_cents_per_core_hour, effective_from, label, created_by_user_id)
    values (${opts.schedulingType}, ${opts.rateCentsPerCoreHour}, ${opts.effectiveFrom.toISOString()}, ${opts.label}, ${opts.userId})
    returning id`);
  return { id: Number(row!.id) };
}

/** First key of the two-key advisory lock that takes an organization's charges one at a time (its credits, its budget). */
const CREDITS_LOCK_NAMESPACE = 0x6877_0004;

/** The advisory lock of an organization's charges, as SQL for its id (an SQL expression). */
const creditsLockSql = (organizationId: SQL) =>
  sql`pg_advisory_xact_lock(${CREDITS_LOCK_NAMESPACE}::int, hashtext(${organizationId}::text))`;

/**
 * Takes, in one fixed order (by lock key), the charge locks of the organizations whose attempts
 * the caller is about to end, for a transaction that may end attempts of several organizations
 * (a gateway's report, the engine's overdue attempts). Each charge takes its organization's lock
 * again (taken twice, it is held once); taken up front, in order, two such transactions cannot
 * each hold one organization's lock and wait for the other's, nor hold it while waiting for a
 * task or instance row that the other changed before its charge. Call it once the rows the
 * caller locks first are held (the radiators'), before the first attempt ends.
 */
export async function lockChargesOf(tx: Tx, attemptIds: readonly number[]): Promise<void> {
  if (attemptIds.length === 0) return;
  // The subquery's order is the order the locks are taken in.
  await tx.execute(sql`
    select count(pg_advisory_xact_lock(${CREDITS_LOCK_NAMESPACE}::int, k.key)) from (
      select distinct hashtext(t.organization_id::text) as key
      from instance_attempts a join instances i on i.id = a.instance_id join tasks t on t.id = i.task_id
      where a.id = any(${pgArray(attemptIds)}::bigint[])
      order by 1) k`);
}

/**
 * Charges an attempt that has just ended, in the caller's transaction: its core-seconds (its cores
 * over its run, from start to end, as the metering ledger splits the same interval), billed by the
 * minute at its task's rate in force at its end. Nothing for an attempt lost (billable = false),
 * never started, of donated work, or that ran no whole core-second. Idempotent: an attempt is
 * charged at most once (unique key).
 *
 * The charge draws on the organization's prepaid credits as far as they go (creditDrawCents: the
 * balance never goes below zero; the rest is due on the month's invoice), and the charge that
 * takes the month to its budget notifies the organization, once a month. Both read what the
 * organization's earlier charges wrote: its charges take turns, under an advisory lock taken after
 * the rows the caller locked (the attempt's and its radiator's), the last lock before the charge's
 * writes; a caller that ends attempts of several organizations takes their locks first, in order
 * (lockChargesOf).
 */
export async function chargeEndedAttempt(tx: Tx, attemptId: number): Promise<void> {
  // The lock comes with the attempt, for billable work only; what it guards is read by the next
  // statement, whose snapshot is taken once the lock is held.
  const [a] = await tx.execute<{
    cores_assigned: number;
    started_at: string | null;
    ended_at: string;
    instance_number: number;
    task_id: string;
    job_id: string | null;
    organization_id: string;
    task_name: string;
    scheduling_type: SchedulingType;
  }>(sql`
    select a.cores_assigned, a.started_at, a.ended_at, i.instance_number, t.id as task_id, t.job_id,
      t.organization_id, t.name as task_name, t.scheduling_type, ${creditsLockSql(sql`t.organization_id`)} is null as locked
    from instance_attempts a join instances i on i.id = a.instance_id join tasks t on t.id = i.task_id
    where a.id = ${attemptId} and a.ended_at is not null and a.billable and not t.donated and a.started_at is not null`);
  if (!a) return;
  const endedAt = new Date(a.ended_at);
  const coreSeconds = coreSecondsInPeriod(
    { from: new Date(a.started_at!), to: endedAt, cores: a.cores_assigned },
    { start: new Date(a.started_at!), end: endedAt },
  );
  if (coreSeconds === 0) return;
  const month = billingMonthOf(endedAt);
  const { from, to } = billingMonthBounds(month);
  const [state] = await tx.execute<{
    charged: boolean;
    earlier_sixtieths: string;
    rate_id: string | null;
    rate_cents_per_core_hour: number | null;
    balance_cents: string;
    month_cents: string;
    monthly_budget_cents: string | null;
    policy: BudgetPolicy | null;
  }>(sql`
    select exists (select 1 from task_charges where attempt_id = ${attemptId}) as charged,
      -- The task's exact price so far, in sixtieths of a cent: its charges round once per task.
      (select coalesce(sum(billed_minutes::bigint * rate_cents_per_core_hour), 0) from task_charges where task_id = ${a.task_id})::bigint
        as earlier_sixtieths,
      r.id as rate_id, r.rate_cents_per_core_hour,
      (select coalesce(sum(amount_cents), 0) from credit_entries where organization_id = ${a.organization_id})::bigint as balance_cents,
      (select coalesce(sum(amount_cents), 0) from task_charges
        where organization_id = ${a.organization_id} and charged_at >= ${from} and charged_at < ${to})::bigint as month_cents,
      b.monthly_budget_cents, b.policy
    from (select 1) one
    left join lateral (select id, rate_cents_per_core_hour from rate_card_versions
      where scheduling_type = ${a.scheduling_type} and effective_from <= ${a.ended_at}
      order by effective_from desc, id desc limit 1) r on true
    left join organization_budgets b on b.organization_id = ${a.organization_id}`);
  if (state!.charged) return;
  if (state!.rate_id === null) {
    console.error(`billing: no ${a.scheduling_type} rate in force at ${a.ended_at}; attempt ${attemptId} not charged`);
    return;
  }
  const charge = priceAttempt(coreSeconds, state!.rate_cents_per_core_hour!, Number(state!.earlier_sixtieths));
  const drawCents = creditDrawCents(charge.amountCents, Number(state!.balance_cents));
  const beforeCents = Number(state!.month_cents);
  const budgetCents = state!.monthly_budget_cents === null ? null : Number(state!.monthly_budget_cents);
  const notice =
    budgetCents !== null && crossesBudget({ budgetCents, beforeCents, afterCents: beforeCents + charge.amountCents })
      ? describeBudgetReached({ month, policy: state!.policy!, budgetCents, monthChargedCents: beforeCents + charge.amountCents })
      : null;
  // One statement: the charge, its draw (none when the credits are spent: a draw of nothing is no
  // entry), and the budget notice with its e-mail to each customer user of the organization.
  await tx.execute(sql`
    with charge as (
      insert into task_charges (organization_id, task_id, job_id, task_name, attempt_id, instance_number, scheduling_type,
        core_seconds, billed_minutes, rate_version_id, rate_cents_per_core_hour, amount_cents, charged_at)
      values (${a.organization_id}, ${a.task_id}, ${a.job_id}, ${a.task_name}, ${attemptId}, ${a.instance_number}, ${a.scheduling_type},
        ${charge.coreSeconds}, ${charge.billedMinutes}, ${state!.rate_id}, ${state!.rate_cents_per_core_hour}, ${charge.amountCents}, ${a.ended_at})
      on conflict (attempt_id) do nothing
      returning id, organization_id, charged_at
    )${
      drawCents > 0
        ? sql`, draw as (
      insert into credit_entries (organization_id, kind, amount_cents, charge_id, created_at)
      select organization_id, 'draw', ${-drawCents}, id, charged_at from charge
    )`
        : sql``
    }${notice ? budgetNoticeSql(notice, month) : sql``}
    select count(*) from charge`);
}

/** The budget notice's rows after the charge CTE: the notification, once per month (unique), and its e-mail. */
function budgetNoticeSql(notice: { title: string; body: string }, month: string) {
  const emailBody = `${notice.body}\n\nSee your invoices in Hearth, under Compute → Billing.\n\n— Hearth`;
  return sql`, notice as (
      insert into notifications (organization_id, kind, title, body, billing_month, created_at)
      select organization_id, 'budget_reached', ${notice.title}, ${notice.body}, ${month}, charged_at from charge
      on conflict (organization_id, kind, billing_month) where billing_month is not null do nothing
      returning organization_id, created_at
    ), email as (
      insert into email_outbox (to_address, subject, body_text, created_at)
      select u.email, ${notice.title}, ${emailBody}, n.created_at from notice n join users u on u.organization_id = n.organization_id
      where u.role = 'customer'
      order by u.email
    )`;
}

/** The first instant of a billing month ("YYYY-MM"), and of the next, as SQL (BILLING_TIME_ZONE). */
export function billingMonthBounds(month: string) {
  const first = `${month}-01 00:00:00`;
  return {
    from: sql`(${first}::timestamp at time zone ${BILLING_TIME_ZONE})`,
    to: sql`((${first}::timestamp + interval '1 month') at time zone ${BILLING_TIME_ZONE})`,
  };
}

/** The start of the billing month holding `now`, as SQL (BILLING_TIME_ZONE). */
const monthStartSql = (now: Date) =>
  sql`(date_trunc('month', ${now.toISOString()}::timestamptz at time zone ${BILLING_TIME_ZONE}) at time zone ${BILLING_TIME_ZONE})`;

/** Cents charged to the organization in the billing month holding `now`. */
export async function monthChargedCents(db: Tx, organizationId: string, now: Date): Promise<number> {
  const [row] = await db.execute<{ cents: string }>(sql`
    select coalesce(sum(amount_cents), 0)::bigint as cents from task_charges
    where organization_id = ${organizationId} and charged_at >= ${monthStartSql(now)} and charged_at <= ${now.toISOString()}`);
  return Number(row!.cents);
}

/** The prepaid balance: grants less draws. */
export async function creditBalanceCents(db: Tx, organizationId: string): Promise<number> {
  const [row] = await db.execute<{ cents: string }>(sql`
    select coalesce(sum(amount_cents), 0)::bigint as cents from credit_entries where organization_id = ${organizationId}`);
  return Number(row!.cents);
}

/** What a task has been charged so far, or null for no such task of the organization. */
export async function taskChargedCents(db: Tx, opts: { organizationId: string; taskId: string }): Promise<number | null> {
  const [row] = await db.execute<{ cents: string | null }>(sql`
    select (select coalesce(sum(c.amount_cents), 0) from task_charges c where c.task_id = t.id)::bigint as cents
    from tasks t where t.id = ${opts.taskId} and t.organization_id = ${opts.organizationId}`);
  return row ? Number(row.cents) : null;
}

export type Budget = { monthlyBudgetCents: number; policy: BudgetPolicy };

export async function getBudget(db: Tx, organizationId: string): Promise<Budget | null> {
  const [row] = await db.execute<{ monthly_budget_cents: string; policy: BudgetPolicy }>(sql`
    select monthly_budget_cents, policy from organization_budgets where organization_id = ${organizationId}`);
  return row ? { monthlyBudgetCents: Number(row.monthly_budget_cents), policy: row.policy } : null;
}

/** What the submission path needs to judge budgets: read once per request, under the organization's quota lock. */
export type BudgetContext = {
  budget: Budget | null;
  monthChargedCents: number;
  rates: Partial<Record<SchedulingType, number>>;
};

/**
 * What budgetContext reads, as one SQL expression (a JSON object), so that a caller can read it in a
 * statement it runs anyway (the submission path reads it with the quota's lock). See budgetContextOf.
 */
export function budgetContextSql(organizationId: string, now: Date) {
  return sql`json_build_object(
    'budget', (select json_build_object('monthlyBudgetCents', b.monthly_budget_cents, 'policy', b.policy)
      from organization_budgets b where b.organization_id = ${organizationId}),
    'monthChargedCents', (select coalesce(sum(c.amount_cents), 0) from task_charges c
      where c.organization_id = ${organizationId} and c.charged_at >= ${monthStartSql(now)} and c.charged_at <= ${now.toISOString()}),
    'rates', (select coalesce(json_object_agg(r.scheduling_type, r.rate_cents_per_core_hour), '{}'::json) from (
      select distinct on (scheduling_type) scheduling_type, rate_cents_per_core_hour from rate_card_versions
      where effective_from <= ${now.toISOString()} order by scheduling_type, effective_from desc, id desc) r))`;
}

type BudgetContextJson = {
  budget: { monthlyBudgetCents: number | string; policy: BudgetPolicy } | null;
  monthChargedCents: number | string;
  rates: Partial<Record<SchedulingType, number>>;
};

export function budgetContextOf(json: BudgetContextJson): BudgetContext {
  return {
    budget: json.budget ? { monthlyBudgetCents: Number(json.budget.monthlyBudgetCents), policy: json.budget.policy } : null,
    monthChargedCents: Number(json.monthChargedCents),
    rates: json.rates,
  };
}

export async function budgetContext(tx: Tx, organizationId: string, now: Date): Promise<BudgetContext> {
  const [row] = await tx.execute<{ ctx: BudgetContextJson }>(sql`select ${budgetContextSql(organizationId, now)} as ctx`);
  return budgetContextOf(row!.ctx);
}

/** A task's estimate in cents at the rates of `ctx` (0 for a type without a rate). */
export function estimateWith(
  ctx: Pick<BudgetContext, "rates">,
  task: { schedulingType: SchedulingType; expectedCoreSecondsPerInstance: number; instanceCount: number },
): number {
  const rate = ctx.rates[task.schedulingType];
  if (rate === undefined) return 0;
  return estimateTaskCents({ expectedCoreSecondsPerInstance: task.expectedCoreSecondsPerInstance, instanceCount: task.instanceCount, rateCentsPerCoreHour: rate });
}

/** Judges one more submission of `estimateCents` after `alreadyAddedCents` accepted in the same request. */
export function judgeSubmission(ctx: BudgetContext, estimateCents: number, alreadyAddedCents: number): BudgetJudgement {
  return judgeBudget({ budget: ctx.budget, monthChargedCents: ctx.monthChargedCents + alreadyAddedCents, estimateCents });
}

/** The estimate of a task not submitted yet (C2), with what the month's budget would say. */
export async function estimateTask(
  db: Tx,
  opts: { organizationId: string; profileName: string; instanceCount: number; schedulingType: SchedulingType; now: Date },
) {
  const [profile] = await db.execute<{ expected: number }>(sql`
    select expected_core_seconds_per_instance as expected from profiles where name = ${opts.profileName}`);
  if (!profile) throw new NotFoundError("Profile", `Unknown profile "${opts.profileName}".`);
  const ctx = await budgetContext(db, opts.organizationId, opts.now);
  const estimateCents = estimateWith(ctx, { ...opts, expectedCoreSecondsPerInstance: profile.expected });
  return {
    estimateCents,
    rateCentsPerCoreHour: ctx.rates[opts.schedulingType] ?? null,
    expectedCoreSecondsPerInstance: profile.expected,
    budget: ctx.budget,
    monthChargedCents: ctx.monthChargedCents,
    judgement: judgeSubmission(ctx, estimateCents, 0),
  };
}

/** The account's billing at a glance: balance, this month, budget, and the rates now. */
export async function billingOverview(db: Tx, opts: { organizationId: string; now: Date }) {
  return {
    creditBalanceCents: await creditBalanceCents(db, opts.organizationId),
    monthChargedCents: await monthChargedCents(db, opts.organizationId, opts.now),
    budget: await getBudget(db, opts.organizationId),
    rates: await currentRates(db, opts.now),
  };
}

// ---------------------------------------------------------------------------------------------
// Staff: budgets and credits of customer organizations

async function customerOrganization(db: Tx, organizationId: string) {
  const [org] = await db.execute<{ id: string; name: string }>(sql`
    select id, name from organizations where id = ${organizationId} and kind = 'customer'`);
  if (!org) throw new NotFoundError("Organization");
  return org;
}

/** Sets an organization's monthly budget and its policy; null removes it (no budget: nothing refused). */
export async function setBudget(
  db: Tx,
  opts: { organizationId: string; budget: Budget | null; userId: string | null; now: Date },
): Promise<Budget | null> {
  await customerOrganization(db, opts.organizationId);
  if (opts.budget === null) {
    await db.execute(sql`delete from organization_budgets where organization_id = ${opts.organizationId}`);
    return null;
  }
  await db.execute(sql`
    insert into organization_budgets (organization_id, monthly_budget_cents, policy, updated_at, updated_by_user_id)
    values (${opts.organizationId}, ${opts.budget.monthlyBudgetCents}, ${opts.budget.policy}, ${opts.now.toISOString()}, ${opts.userId})
    on conflict (organization_id) do update set monthly_budget_cents = excluded.monthly_budget_cents, policy = excluded.policy,
      updated_at = excluded.updated_at, updated_by_user_id = excluded.updated_by_user_id`);
  return opts.budget;
}

/** Grants prepaid credits: a new entry of the ledger (a correction is another entry, never an edit). */
export async function grantCredits(
  db: Tx,
  opts: { organizationId: string; amountCents: number; note: string; userId: string | null; now: Date },
): Promise<{ id: number; balanceCents: number }> {
  await customerOrganization(db, opts.organizationId);
  const [row] = await db.execute<{ id: string }>(sql`
    insert into credit_entries (organization_id, kind, amount_cents, note, created_at, created_by_user_id)
    values (${opts.organizationId}, 'grant', ${opts.amountCents}, ${opts.note}, ${opts.now.toISOString()}, ${opts.userId})
    returning id`);
  return { id: Number(row!.id), balanceCents: await creditBalanceCents(db, opts.organizationId) };
}

/** Customer organizations with their balance, this month's charges and budget, for staff. */
export async function customerAccounts(db: Tx, opts: { now: Date }) {
  const rows = await db.execute<{
    id: string;
    name: string;
    balance_cents: string;
    month_cents: string;
    monthly_budget_cents: string | null;
    policy: BudgetPolicy | null;
  }>(sql`
    select o.id, o.name,
      (select coalesce(sum(e.amount_cents), 0) from credit_entries e where e.organization_id = o.id)::bigint as balance_cents,
      (select coalesce(sum(c.amount_cents), 0) from task_charges c
        where c.organization_id = o.id and c.charged_at >= ${monthStartSql(opts.now)} and c.charged_at <= ${opts.now.toISOString()})::bigint as month_cents,
      b.monthly_budget_cents, b.policy
    from organizations o left join organization_budgets b on b.organization_id = o.id
    where o.kind = 'customer'
    order by o.name`);
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    creditBalanceCents: Number(r.balance_cents),
    monthChargedCents: Number(r.month_cents),
    budget: r.monthly_budget_cents === null ? null : { monthlyBudgetCents: Number(r.monthly_budget_cents), policy: r.policy! },
  }));
}

/** An organization's credit ledger, newest first (at most `limit` entries). */
export async function creditEntriesOf(db: Tx, opts: { organizationId: string; limit?: number }) {
  const rows = await db.execute<{ id: string; kind: "grant" | "draw"; amount_cents: string; note: string | null; created_at: string; task_name: string | null }>(sql`
    select e.id, e.kind, e.amount_cents, e.note, e.created_at, c.task_name
    from credit_entries e left join task_charges c on c.id = e.charge_id
    where e.organization_id = ${opts.organizationId}
    order by e.created_at desc, e.id desc limit ${opts.limit ?? 50}`);
  return rows.map((r) => ({
    id: Number(r.id),
    kind: r.kind,
    amountCents: Number(r.amount_cents),
    note: r.note,
    createdAt: new Date(r.created_at),
    taskName: r.task_name,
  }));
}
