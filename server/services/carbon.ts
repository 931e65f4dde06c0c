import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import {
  carbonFacts,
  CURRENT_METHODOLOGY,
  gridKey,
  roundedFacts,
  UnknownDatacenterError,
  type CarbonFacts,
  type CarbonSlice,
  type GridData,
  type SiteKind,
} from "@/server/domain/carbon";
import { pgArray } from "@/server/db/sql-params";
import { isUuid } from "@/server/domain/text";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * The Carbon Facts of customers' work: reads the metering ledger grouped into the methodology's
 * slices (one per UTC hour, country and kind of site), and the grid intensities those hours need,
 * then lets server/domain/carbon.ts do the arithmetic. Computed on each read from the ledger, so a
 * label is always what its methodology version makes of what was metered so far.
 */

export type CarbonSubject =
  | { kind: "task"; taskId: string }
  | { kind: "job"; jobId: string }
  /** A customer's work metered in [from, to), deleted tasks' included (the ledger keeps the customer). */
  | { kind: "organization"; organizationId: string; from: Date; to: Date };
export type CarbonScope = { staff: true } | { organizationId: string };

/** The work's Carbon Facts; NotFoundError when it does not exist or is not the reader's. */
export async function workCarbonFacts(
  db: Tx,
  scope: CarbonScope,
  subject: CarbonSubject,
  options: { datacenter?: string | null } = {},
): Promise<CarbonFacts> {
  // Refuse a bad comparison before reading anything.
  const datacenter = checkDatacenter(options.datacenter);
  // The subject's check and the ledger's read go together; the figures are only used once the check passed.
  const { condition, exists } = subjectLedger(scope, subject);
  const [found, { slices, grid }] = await Promise.all([exists === null ? true : db.execute(exists).then((rows) => rows.length > 0), readWork(db, condition)]);
  if (!found) throw new NotFoundError(subject.kind);
  return carbonFacts(slices, grid, { datacenter });
}

/**
 * Each task's footprint so far (a label's qarnot_carbon_footprint: gCO2e, rounded as the label
 * rounds it), for a page of tasks in two queries run together whatever its size: the ledger's
 * slices grouped by task with their hours' grid intensities, and the annual factors. A task
 * without metered energy is 0. The caller has already bounded the ids to the reader's tasks.
 */
export async function footprintsOfTasks(db: Tx, taskIds: readonly string[]): Promise<Map<string, number>> {
  const footprints = new Map(taskIds.map((id) => [id, 0]));
  if (taskIds.length === 0) return footprints;
  const { slices, grid } = await readWork(db, sql`i.task_id = any(${pgArray(taskIds)}::uuid[])`, sql`i.task_id`);
  const byTask = new Map<string, CarbonSlice[]>();
  for (const s of slices) {
    if (s.group === null) continue;
    const list = byTask.get(s.group);
    if (list) list.push(s);
    else byTask.set(s.group, [s]);
  }
  for (const [taskId, taskSlices] of byTask) footprints.set(taskId, roundedFacts(carbonFacts(taskSlices, grid)).footprintG);
  return footprints;
}

/** Which ledger rows (over e, a, i) are the subject's, once the subject is known to be the reader's. */
export async function ledgerCondition(db: Tx, scope: CarbonScope, subject: CarbonSubject): Promise<SQL> {
  const { condition, exists } = subjectLedger(scope, subject);
  if (exists !== null && (await db.execute(exists)).length === 0) throw new NotFoundError(subject.kind);
  return condition;
}

/**
 * The subject's ledger rows (a condition over e, a and i), and the query that answers a row when
 * the subject exists and is the reader's (null when that is known without one).
 */
function subjectLedger(scope: CarbonScope, subject: CarbonSubject): { condition: SQL; exists: SQL | null } {
  const inScope = (organization: SQL) => ("staff" in scope ? sql`true` : sql`${organization} = ${scope.organizationId}`);
  if (subject.kind === "organization") {
    const { organizationId, from, to } = subject;
    if (!isUuid(organizationId) || ("organizationId" in scope && scope.organizationId !== organizationId)) throw new NotFoundError("organization");
    if (!(from.getTime() < to.getTime())) throw new InvalidInputError("The period must end after it starts.", "to");
    return { condition: sql`e.organization_id = ${organizationId} and e.period_end >= ${from.toISOString()} and e.period_end < ${to.toISOString()}`, exists: null };
  }
  const id = subject.kind === "task" ? subject.taskId : subject.jobId;
  if (!isUuid(id)) throw new NotFoundError(subject.kind);
  return subject.kind === "task"
    ? { condition: sql`i.task_id = ${id}`, exists: sql`select 1 from tasks where id = ${id} and ${inScope(sql`organization_id`)}` }
    : {
        condition: sql`i.task_id in (select t.id from tasks t where t.job_id = ${id})`,
        exists: sql`select 1 from jobs where id = ${id} and ${inScope(sql`organization_id`)}`,
      };
}

/** A comparison datacenter's name when the methodology knows it, null for the default; InvalidInputError naming it otherwise. */
export function checkDatacenter(name: string | null | undefined): string | null {
  if (name === undefined || name === null || name === "") return null;
  if (!CURRENT_METHODOLOGY.datacenters.some((d) => d.name === name)) {
    const known = CURRENT_METHODOLOGY.datacenters.map((d) => d.name).join(", ");
    throw new InvalidInputError(`${new UnknownDatacenterError(name.slice(0, 100)).message} Known: ${known}.`, "comparisonDatacenter");
  }
  return name;
}

/**
 * The ledger rows `condition` selects (over e, the ledger, and a and i, its attempt and instance,
 * null once a task is deleted), summed into slices per UTC hour and site, with the grid data those
 * slices need: the imported intensity of each slice's hour, and the annual versions. Each ledger
 * row carries its site, the part the room asked for, its share of the gateway's meter and its
 * machine time (see energy_allocations), so a slice is a grouped sum of the ledger alone.
 *
 * With `groupBy` (an expression over e, a and i, e.g. i.task_id), each slice is also split by
 * that key, given as `group` (its text, null where the expression is null: a deleted task's
 * rows for i.task_id). Every figure of a slice is a sum, so the groups' slices add up to the
 * ungrouped ones.
 */
export async function readWork(db: Tx, condition: SQL): Promise<{ slices: CarbonSlice[]; grid: GridData }>;
export async function readWork(db: Tx, condition: SQL, groupBy: SQL): Promise<{ slices: Array<CarbonSlice & { group: string | null }>; grid: GridData }>;
export async function readWork(db: Tx, condition: SQL, groupBy: SQL = sql`null`): Promise<{ slices: Array<CarbonSlice & { group: string | null }>; grid: GridData }> {
  // date_bin on a fixed UTC origin is the UTC hour, and cheaper than date_trunc with a zone.
  const q = sql`
    select w.hour_start, s.country_code as country, s.kind, w.grp, w.it_wh::bigint as it_wh,
      (case when s.kind = 'all_year_heat_sink' then w.it_wh * 1000 else w.wanted_mwh end)::float8 / 1000 as wanted_wh,
      w.gateway_mwh::float8 / 1000 as overhead_wh, w.machine_ms::float8 / 1000 as machine_seconds, w.instance_seconds,
      gh.intensity_mg_per_kwh, gh.import_id
    from (
      select date_bin('1 hour', e.period_end, timestamptz '2000-01-01T00:00:00Z') as hour_start, e.site_id, (${groupBy})::text as grp,
        sum(e.energy_wh) as it_wh, sum(e.wanted_energy_mwh) as wanted_mwh, sum(e.gateway_energy_mwh) as gateway_mwh,
        sum(e.machine_ms) as machine_ms,
        -- A deleted task's attempts are gone: its core-seconds count as one-core instance time.
        sum(e.core_seconds::float8 / coalesce(a.cores_assigned, 1)) as instance_seconds
      from energy_allocations e
      left join instance_attempts a on a.id = e.attempt_id
      left join instances i on i.id = a.instance_id
      where ${condition}
      group by 1, 2, 3
    ) w
    join sites s on s.id = w.site_id
    left join grid_intensity_hourly gh on gh.country = s.country_code and gh.hour_start = w.hour_start
    order by 1, 2, 3, 4`;
  const [rows, annual] = await Promise.all([
    db.execute<{
      hour_start: string;
      country: string;
      kind: SiteKind;
      grp: string | null;
      it_wh: string;
      wanted_wh: number;
      overhead_wh: number;
      machine_seconds: number;
      instance_seconds: number;
      intensity_mg_per_kwh: number | null;
      import_id: string | null;
    }>(q),
    // A few rows per country and year: all of them, rather than wait for the slices' countries.
    db.execute<{ id: string; country: string; effective_from: string; intensity_mg_per_kwh: number; source: string }>(sql`
      select id, country, effective_from::text, intensity_mg_per_kwh, source from grid_intensity_versions`),
  ]);
  const grid: GridData = { hourly: new Map(), annual: [] };
  const slices = rows.map((r) => {
    const hourStartMs = new Date(r.hour_start).getTime();
    if (r.intensity_mg_per_kwh !== null) grid.hourly.set(gridKey(r.country, hourStartMs), { mgPerKWh: r.intensity_mg_per_kwh, importId: Number(r.import_id) });
    return {
      hourStartMs,
      country: r.country,
      siteKind: r.kind,
      itEnergyWh: Number(r.it_wh),
      wantedEnergyWh: Number(r.wanted_wh),
      overheadEnergyWh: Number(r.overhead_wh),
      machineSeconds: Number(r.machine_seconds),
      instanceSeconds: Number(r.instance_seconds),
      group: r.grp,
    };
  });
  const countries = new Set(slices.map((s) => s.country));
  grid.annual = annual
    .filter((v) => countries.has(v.country))
    .map((v) => ({ id: Number(v.id), country: v.country, effectiveFrom: v.effective_from, mgPerKWh: v.intensity_mg_per_kwh, source: v.source }));
  return { slices, grid };
}

/** What a label cites: the annual versions and hourly imports it used, with their sources. */
export async function gridSources(db: Tx, facts: CarbonFacts) {
  const [versions, imports] = await Promise.all([
    facts.grid.versionIds.length === 0
      ? []
      : db.execute<{ id: string; country: string; effective_from: string; intensity_mg_per_kwh: number; source: string }>(sql`
          select id, country, effective_from::text, intensity_mg_per_kwh, source from grid_intensity_versions
          where id = any(${pgArray(facts.grid.versionIds)}::bigint[]) order by id`),
    facts.grid.importIds.length === 0
      ? []
      : db.execute<{ id: string; country: string; source: string; file_name: string }>(sql`
          select id, country, source, file_name from grid_intensity_imports where id = any(${pgArray(facts.grid.importIds)}::bigint[]) order by id`),
  ]);
  return {
    annual: versions.map((v) => ({ id: Number(v.id), country: v.country, effectiveFrom: v.effective_from, gPerKWh: v.intensity_mg_per_kwh / 1000, source: v.source })),
    imports: imports.map((i) => ({ id: Number(i.id), country: i.country, source: i.source, fileName: i.file_name })),
  };
}

/** Everything a Carbon Facts label shows: the rounded figures, the comparison, and the grid data it cites. */
export async function carbonLabel(db: Tx, scope: CarbonScope, subject: CarbonSubject, options: { datacenter?: string | null } = {}) {
  const facts = await workCarbonFacts(db, scope, subject, options);
  return {
    methodologyVersion: facts.methodologyVersion,
    datacenter: facts.datacenter,
    figures: roundedFacts(facts),
    grid: { hoursHourly: facts.grid.hoursHourly, hoursAnnual: facts.grid.hoursAnnual, hoursUnknown: facts.grid.hoursUnknown, ...(await gridSources(db, facts)) },
  };
}

export type CarbonLabel = Awaited<ReturnType<typeof carbonLabel>>;

/** The annual grid intensities the methodology falls back on, newest first per country. */
export async function annualGridIntensities(db: Tx) {
  const rows = await db.execute<{ id: string; country: string; effective_from: string; intensity_mg_per_kwh: number; source: string }>(sql`
    select id, country, effective_from::text, intensity_mg_per_kwh, source from grid_intensity_versions order by country, effective_from desc, id desc`);
  return rows.map((v) => ({ id: Number(v.id), country: v.country, effectiveFrom: v.effective_from, gPerKWh: v.intensity_mg_per_kwh / 1000, source: v.source }));
}
