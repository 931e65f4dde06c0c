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
  const slices = await readSlices(db, await ledgerCondition(db, scope, subject));
  const grid = await readGrid(db, slices);
  return carbonFacts(slices, grid, { datacenter });
}

/**
 * Each task's footprint so far (a label's qarnot_carbon_footprint: gCO2e, rounded as the label
 * rounds it), for a page of tasks in three queries whatever its size: the ledger's slices grouped
 * by task, then the grid of their hours. A task without metered energy is 0. The caller has
 * already bounded the ids to the reader's tasks.
 */
export async function footprintsOfTasks(db: Tx, taskIds: readonly string[]): Promise<Map<string, number>> {
  const footprints = new Map(taskIds.map((id) => [id, 0]));
  if (taskIds.length === 0) return footprints;
  const slices = await readSlices(db, sql`i.task_id = any(${pgArray(taskIds)}::uuid[])`, sql`i.task_id`);
  const grid = await readGrid(db, slices);
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
  const inScope = (organization: SQL) => ("staff" in scope ? sql`true` : sql`${organization} = ${scope.organizationId}`);
  if (subject.kind === "organization") {
    const { organizationId, from, to } = subject;
    if (!isUuid(organizationId) || ("organizationId" in scope && scope.organizationId !== organizationId)) throw new NotFoundError("organization");
    if (!(from.getTime() < to.getTime())) throw new InvalidInputError("The period must end after it starts.", "to");
    return sql`e.organization_id = ${organizationId} and e.period_end >= ${from.toISOString()} and e.period_end < ${to.toISOString()}`;
  }
  const id = subject.kind === "task" ? subject.taskId : subject.jobId;
  if (!isUuid(id)) throw new NotFoundError(subject.kind);
  const exists =
    subject.kind === "task"
      ? sql`select 1 from tasks where id = ${id} and ${inScope(sql`organization_id`)}`
      : sql`select 1 from jobs where id = ${id} and ${inScope(sql`organization_id`)}`;
  if ((await db.execute(exists)).length === 0) throw new NotFoundError(subject.kind);
  return subject.kind === "task" ? sql`i.task_id = ${id}` : sql`i.task_id in (select t.id from tasks t where t.job_id = ${id})`;
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
 * null once a task is deleted), per radiator and hour
 * with the share of each radiator-hour the thermostat wanted, then per gateway and hour with the
 * work's share of the gateway's own meter, summed into slices at the gateways' sites.
 *
 * With `groupBy` (an expression over e, a and i, e.g. i.task_id), each slice is also split by
 * that key, given as `group` (its text, null where the expression is null: a deleted task's
 * rows for i.task_id). Every figure of a slice is a sum, so the groups' slices add up to the
 * ungrouped ones; the gateway's meter is shared between the groups by their IT energy.
 */
export async function readSlices(db: Tx, condition: SQL): Promise<CarbonSlice[]>;
export async function readSlices(db: Tx, condition: SQL, groupBy: SQL): Promise<Array<CarbonSlice & { group: string | null }>>;
export async function readSlices(db: Tx, condition: SQL, groupBy: SQL = sql`null`): Promise<Array<CarbonSlice & { group: string | null }>> {
  const q = sql`
    with work as (
      select e.radiator_id, date_trunc('hour', e.period_end, 'UTC') as hour_start, (${groupBy})::text as grp, sum(e.energy_wh) as it_wh,
        -- A deleted task's attempts are gone: its core-seconds count as one-core instance time.
        sum(e.core_seconds) as core_seconds, sum(e.core_seconds::float8 / coalesce(a.cores_assigned, 1)) as instance_seconds
      from energy_allocations e
      left join instance_attempts a on a.id = e.attempt_id
      left join instances i on i.id = a.instance_id
      where ${condition}
      group by 1, 2, 3
    ),
    -- Per gateway and hour: a gateway's radiators are all at its building's site.
    by_gateway as (
      select r.gateway_id, w.hour_start, w.grp, sum(w.it_wh) as it_wh, sum(w.instance_seconds) as instance_seconds,
        sum(w.core_seconds::float8 / h.cores) as machine_seconds,
        sum(w.it_wh * coalesce(least(1.0, th.cores_wanted_sum::float8 / nullif(th.cores_active_sum, 0)), 0.0)) as wanted_wh
      from work w
      join radiators r on r.id = w.radiator_id
      join hardware_models h on h.id = r.hardware_model_id
      left join telemetry_hourly th on th.radiator_id = w.radiator_id and th.hour_start = w.hour_start
      group by 1, 2, 3
    ),
    -- All the radiators' energy of each gateway-hour the work touched: the work's share of the gateway's meter is its part of that.
    gateway_radiators as (
      select g.gateway_id, g.hour_start, sum(th.energy_wh) as wh
      from (select distinct gateway_id, hour_start from by_gateway) g
      join radiators r on r.gateway_id = g.gateway_id
      join telemetry_hourly th on th.radiator_id = r.id and th.hour_start = g.hour_start
      group by 1, 2
    )
    select g.hour_start, s.country_code as country, s.kind, g.grp, sum(g.it_wh)::bigint as it_wh,
      sum(case when s.kind = 'all_year_heat_sink' then g.it_wh else g.wanted_wh end)::float8 as wanted_wh,
      sum(coalesce(gh.energy_wh::float8 * g.it_wh / nullif(gr.wh, 0), 0))::float8 as overhead_wh,
      sum(g.machine_seconds)::float8 as machine_seconds, sum(g.instance_seconds)::float8 as instance_seconds
    from by_gateway g
    join gateways gw on gw.id = g.gateway_id
    join buildings b on b.id = gw.building_id
    join sites s on s.id = b.site_id
    left join gateway_radiators gr on gr.gateway_id = g.gateway_id and gr.hour_start = g.hour_start
    left join gateway_hourly gh on gh.gateway_id = g.gateway_id and gh.hour_start = g.hour_start
    group by 1, 2, 3, 4
    order by 1, 2, 3, 4`;
  const rows = await db.execute<{ hour_start: string; country: string; kind: SiteKind; grp: string | null; it_wh: string; wanted_wh: number; overhead_wh: number; machine_seconds: number; instance_seconds: number }>(q);
  return rows.map((r) => ({
    hourStartMs: new Date(r.hour_start).getTime(),
    country: r.country,
    siteKind: r.kind,
    itEnergyWh: Number(r.it_wh),
    wantedEnergyWh: Number(r.wanted_wh),
    overheadEnergyWh: Number(r.overhead_wh),
    machineSeconds: Number(r.machine_seconds),
    instanceSeconds: Number(r.instance_seconds),
    group: r.grp,
  }));
}

/** The hourly intensities of the slices' hours and the annual versions of their countries. */
export async function readGrid(db: Tx, slices: readonly CarbonSlice[]): Promise<GridData> {
  const grid: GridData = { hourly: new Map(), annual: [] };
  const countries = [...new Set(slices.map((s) => s.country))];
  if (countries.length === 0) return grid;
  const hours = [...new Set(slices.map((s) => new Date(s.hourStartMs).toISOString()))];
  const [hourly, annual] = await Promise.all([
    db.execute<{ country: string; hour_start: string; intensity_mg_per_kwh: number; import_id: string }>(sql`
      select country, hour_start, intensity_mg_per_kwh, import_id from grid_intensity_hourly
      where country = any(${pgArray(countries)}::text[]) and hour_start = any(${pgArray(hours)}::timestamptz[])`),
    db.execute<{ id: string; country: string; effective_from: string; intensity_mg_per_kwh: number; source: string }>(sql`
      select id, country, effective_from::text, intensity_mg_per_kwh, source from grid_intensity_versions
      where country = any(${pgArray(countries)}::text[])`),
  ]);
  for (const h of hourly) {
    grid.hourly.set(gridKey(h.country, new Date(h.hour_start).getTime()), { mgPerKWh: h.intensity_mg_per_kwh, importId: Number(h.import_id) });
  }
  grid.annual = annual.map((v) => ({ id: Number(v.id), country: v.country, effectiveFrom: v.effective_from, mgPerKWh: v.intensity_mg_per_kwh, source: v.source }));
  return grid;
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
