import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { carbonFacts, CURRENT_METHODOLOGY, roundedFacts, type CarbonSlice } from "@/server/domain/carbon";
import {
  CARBON_MONTH_RE,
  CARBON_REPORT_TIME_ZONE,
  carbonMonthOf,
  monthBounds,
  reportMonths,
  type CarbonTaskLine,
} from "@/server/domain/carbon-report";
import { pgArray } from "@/server/db/sql-params";
import { checkDatacenter, gridSources, ledgerCondition, readWork, type CarbonScope } from "./carbon";
import { InvalidInputError } from "./errors";

/**
 * A customer's carbon report (K4): the Carbon Facts of its work month by month, and a month's per
 * task, from the same ledger, slices and methodology as the task and job labels, rounded the same
 * way. Deleted tasks' energy stays in its months (the ledger keeps the customer), on one line.
 */

export const DELETED_TASKS = "Deleted tasks";

/** The last twelve months' Carbon Facts, oldest first; a month without work is all zeros. */
export async function carbonMonths(db: Tx, scope: CarbonScope, organizationId: string, now = new Date()) {
  const months = reportMonths(now.getTime());
  const from = monthBounds(months[0]!).from;
  const to = monthBounds(months[months.length - 1]!).to;
  const { slices, grid } = await readWork(db, await ledgerCondition(db, scope, { kind: "organization", organizationId, from, to }));
  const byMonth = new Map<string, CarbonSlice[]>();
  for (const s of slices) {
    const month = carbonMonthOf(s.hourStartMs);
    const list = byMonth.get(month);
    if (list) list.push(s);
    else byMonth.set(month, [s]);
  }
  return {
    timeZone: CARBON_REPORT_TIME_ZONE,
    methodologyVersion: CURRENT_METHODOLOGY.version,
    months: months.map((month) => ({ month, ...monthBounds(month), figures: roundedFacts(carbonFacts(byMonth.get(month) ?? [], grid)) })),
    total: roundedFacts(carbonFacts(slices, grid)),
  };
}

export type CarbonMonths = Awaited<ReturnType<typeof carbonMonths>>;

/**
 * A month's Carbon Facts and its lines per task (the largest footprint first, deleted tasks last),
 * with the grid data it used, against the comparison datacenter asked for (the methodology's
 * default otherwise). `page` of `pageSize` lines, or every line with pageSize null.
 */
export async function carbonMonth(
  db: Tx,
  scope: CarbonScope,
  organizationId: string,
  month: string,
  options: { page?: number; pageSize?: number | null; now?: Date; datacenter?: string | null } = {},
) {
  if (!CARBON_MONTH_RE.test(month)) throw new InvalidInputError("A month is written YYYY-MM, for example 2026-01.", "month");
  if (month > carbonMonthOf((options.now ?? new Date()).getTime())) throw new InvalidInputError(`${month} has not begun yet.`, "month");
  const datacenter = checkDatacenter(options.datacenter);
  const { from, to } = monthBounds(month);
  const { slices, grid } = await readWork(db, await ledgerCondition(db, scope, { kind: "organization", organizationId, from, to }), sql`i.task_id`);
  const byTask = new Map<string | null, CarbonSlice[]>();
  for (const s of slices) {
    const list = byTask.get(s.group);
    if (list) list.push(s);
    else byTask.set(s.group, [s]);
  }
  const ids = [...byTask.keys()].filter((id): id is string => id !== null);
  const [names, [organization]] = await Promise.all([
    ids.length === 0
      ? []
      : db.execute<{ id: string; name: string }>(sql`
          select id, name from tasks where organization_id = ${organizationId} and id = any(${pgArray(ids)}::uuid[])`),
    db.execute<{ name: string }>(sql`select name from organizations where id = ${organizationId}`),
  ]);
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  const lines = [...byTask].map(([taskId, taskSlices]) => {
    const facts = carbonFacts(taskSlices, grid, { datacenter });
    const name = taskId === null ? undefined : nameOf.get(taskId);
    return { taskId: name === undefined ? null : taskId, name: name ?? DELETED_TASKS, figures: roundedFacts(facts), footprintG: facts.footprintG };
  });
  lines.sort((a, b) => Number(a.taskId === null) - Number(b.taskId === null) || b.footprintG - a.footprintG || a.name.localeCompare(b.name));
  const facts = carbonFacts(slices, grid, { datacenter });
  const pageSize = options.pageSize === undefined ? 50 : options.pageSize;
  const pages = pageSize === null ? 1 : Math.max(1, Math.ceil(lines.length / pageSize));
  const page = Math.min(Math.max(1, options.page ?? 1), pages);
  const shown = pageSize === null ? lines : lines.slice((page - 1) * pageSize, page * pageSize);
  return {
    month,
    from,
    to,
    timeZone: CARBON_REPORT_TIME_ZONE,
    organizationName: organization?.name ?? "",
    methodologyVersion: facts.methodologyVersion,
    datacenter: facts.datacenter,
    figures: roundedFacts(facts),
    grid: { hoursHourly: facts.grid.hoursHourly, hoursAnnual: facts.grid.hoursAnnual, hoursUnknown: facts.grid.hoursUnknown, ...(await gridSources(db, facts)) },
    tasks: shown.map(({ taskId, name, figures }): CarbonTaskLine => ({ taskId, name, figures })),
    taskCount: lines.length,
    page,
    pages,
  };
}

export type CarbonMonth = Awaited<ReturnType<typeof carbonMonth>>;
