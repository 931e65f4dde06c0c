import { sql, type SQL } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { HOUR_MS } from "@/server/domain/metering";
import { InvalidInputError } from "./errors";
import { isUuid } from "@/server/domain/text";
import { canonicalTimeZone } from "@/server/domain/viewer-zone";

/**
 * The metering read side: every figure of energy the product shows or settles (residents'
 * history and refunds, landlords' figures, customers' carbon facts and bills) is read here.
 *
 * Two sources, written together by the gateway report handler for each counter delta:
 * - telemetry_hourly: per radiator and UTC hour, the metered energy (energyWh) and the part no
 *   attempt used (idleEnergyWh, idleCoreSeconds);
 * - energy_allocations, the ledger: customers' work only, per attempt and hour of the closing
 *   reading, with the customer kept when a task is deleted.
 * A radiator's ledger energy plus its idle energy is its metered energy, hour by hour.
 *
 * Two entry points, each taking a discriminated union of subjects: `radiatorEnergy` for places
 * (a radiator, a room, a dwelling, a building, a landlord's sites), answered from the meters with
 * their compute / idle split, and `workEnergy` for customers' work (a task, an instance, a
 * customer), answered from the ledger. Their answers differ in shape and source; within each,
 * subjects differ only in which radiators or attempts they cover, so one function keeps the
 * range, the buckets and the scope check in one place rather than seven.
 *
 * Time: the rollups' resolution is the UTC hour. Energy counts in the hour of the reading that
 * closed its delta, and a range [from, to) takes the hours that start within it (so `to: now`
 * reads "so far"). Day buckets are local days of an IANA zone, 23 or 25 hours long on a
 * daylight-saving change; in a zone whose offset is not whole hours, an hour counts in the day
 * it starts in.
 */

/** Who reads places: staff the whole fleet, a landlord its sites, a resident their home. */
export type FleetScope = { staff: true } | { organizationId: string } | { dwellingId: string };
/** Who reads work: staff all of it, a customer its own. */
export type WorkScope = { staff: true } | { organizationId: string };

export type RadiatorSubject =
  | { kind: "radiator"; radiatorId: string }
  | { kind: "room"; roomId: string }
  | { kind: "dwelling"; dwellingId: string }
  | { kind: "building"; buildingId: string }
  /** A landlord: the radiators of its sites. */
  | { kind: "organization"; organizationId: string };

export type WorkSubject =
  | { kind: "task"; taskId: string }
  | { kind: "instance"; taskId: string; instanceNumber: number }
  /** A customer: the energy the ledger allocated to its work, deleted tasks' included. */
  | { kind: "organization"; organizationId: string };

export type EnergyRange = {
  from: Date;
  to: Date;
  /** Also answer per UTC hour, or per local day. */
  bucket?: "hour" | "day";
  /**
   * IANA zone of the day buckets. A radiator, room, dwelling or building defaults to its site's
   * zone; an organization, a task or an instance has none and needs one for day buckets.
   */
  timeZone?: string;
};

export type RadiatorEnergyTotals = {
  /** What the meters counted. */
  energyWh: number;
  /** The part customers' work used (the ledger). */
  computeEnergyWh: number;
  /** The part no work used: heating-only cores, the board, the fans. */
  idleEnergyWh: number;
  computeCoreSeconds: number;
  idleCoreSeconds: number;
};

export type WorkEnergyTotals = {
  /** All the energy the work's attempts used, lost attempts' included: the meters ran for them. */
  energyWh: number;
  coreSeconds: number;
};

export type EnergyBucket<T> = T & { start: Date; end: Date };

export type EnergyAnswer<T> = {
  total: T;
  /** Empty unless a bucket was asked for; every bucket of the range, with zeros where nothing was metered. */
  buckets: Array<EnergyBucket<T>>;
  /** The zone of the day buckets: the one asked for, or the site's; null when there is neither. */
  timeZone: string | null;
};

/** Hourly buckets over more than about a year are refused: ask for days. */
export const MAX_ENERGY_BUCKETS = 10_000;

/** Energy of a place over [from, to), or null when it does not exist or is not the reader's. */
export async function radiatorEnergy(
  db: Tx,
  scope: FleetScope,
  subject: RadiatorSubject,
  range: EnergyRange,
): Promise<EnergyAnswer<RadiatorEnergyTotals> | null> {
  const hasSiteZone = subject.kind !== "organization";
  const window = checkRange(range, hasSiteZone);
  const id = subjectId(subject);
  if (!isUuid(id)) return null;
  // The scope as a condition on a place's dwelling (null: not within one) and organization.
  const inScope = (dwelling: SQL | null, organization: SQL) =>
    "staff" in scope
      ? sql`true`
      : "dwellingId" in scope
        ? dwelling === null
          ? sql`false`
          : sql`${dwelling} = ${scope.dwellingId}`
        : sql`${organization} = ${scope.organizationId}`;

  const place = sql`radiators r join rooms ro on ro.id = r.room_id join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id`;
  const found: Record<RadiatorSubject["kind"], SQL> = {
    radiator: sql`select s.time_zone from ${place} where r.id = ${id} and ${inScope(sql`ro.dwelling_id`, sql`s.organization_id`)}`,
    room: sql`select s.time_zone from rooms ro join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id
      where ro.id = ${id} and ${inScope(sql`ro.dwelling_id`, sql`s.organization_id`)}`,
    dwelling: sql`select s.time_zone from dwellings d join buildings b on b.id = d.building_id join sites s on s.id = b.site_id
      where d.id = ${id} and ${inScope(sql`d.id`, sql`s.organization_id`)}`,
    building: sql`select s.time_zone from buildings b join sites s on s.id = b.site_id where b.id = ${id} and ${inScope(null, sql`s.organization_id`)}`,
    organization: sql`select null::text as time_zone from organizations o where o.id = ${id} and ${inScope(null, sql`o.id`)}`,
  };
  const covers: Record<RadiatorSubject["kind"], SQL> = {
    radiator: sql`r.id = ${id}`,
    room: sql`r.room_id = ${id}`,
    dwelling: sql`ro.dwelling_id = ${id}`,
    building: sql`ro.building_id = ${id}`,
    organization: sql`s.organization_id = ${id}`,
  };
  // The subject's radiators, under the scope again: a reader never sums a radiator it cannot see.
  const radiatorIds = sql`select r.id from ${place} where ${covers[subject.kind]} and ${inScope(sql`ro.dwelling_id`, sql`s.organization_id`)}
    and exists (select 1 from subject)`;
  const hours = sql`
    select hour_start, energy_wh, 0::bigint as compute_energy_wh, idle_energy_wh, 0::bigint as compute_core_seconds, idle_core_seconds
    from telemetry_hourly
    where radiator_id in (${radiatorIds}) and hour_start >= ${window.fromIso} and hour_start < ${window.toIso}
    union all
    select date_trunc('hour', period_end, 'UTC'), 0, energy_wh, 0, core_seconds, 0
    from energy_allocations
    where radiator_id in (${radiatorIds}) and period_end >= ${window.fromIso} and period_end < ${window.toIso}`;
  return answer<RadiatorEnergyTotals>(db, window, found[subject.kind], hours, {
    energyWh: "energy_wh",
    computeEnergyWh: "compute_energy_wh",
    idleEnergyWh: "idle_energy_wh",
    computeCoreSeconds: "compute_core_seconds",
    idleCoreSeconds: "idle_core_seconds",
  });
}

/** Energy of customers' work over [from, to), or null when it does not exist or is not the reader's. */
export async function workEnergy(
  db: Tx,
  scope: WorkScope,
  subject: WorkSubject,
  range: EnergyRange,
): Promise<EnergyAnswer<WorkEnergyTotals> | null> {
  const window = checkRange(range, false);
  const id = subjectId(subject);
  if (!isUuid(id)) return null;
  if (subject.kind === "instance" && !Number.isSafeInteger(subject.instanceNumber)) return null;
  const inScope = (organization: SQL) => ("staff" in scope ? sql`true` : sql`${organization} = ${scope.organizationId}`);

  const found: Record<WorkSubject["kind"], SQL> = {
    task: sql`select null::text as time_zone from tasks t where t.id = ${id} and ${inScope(sql`t.organization_id`)}`,
    instance: sql`select null::text as time_zone from instances i join tasks t on t.id = i.task_id
      where t.id = ${id} and i.instance_number = ${subject.kind === "instance" ? subject.instanceNumber : null}
        and ${inScope(sql`t.organization_id`)}`,
    organization: sql`select null::text as time_zone from organizations o where o.id = ${id} and ${inScope(sql`o.id`)}`,
  };
  const ofAttempts = (instanceCondition: SQL) =>
    sql`e.attempt_id in (select a.id from instances i join instance_attempts a on a.instance_id = i.id where ${instanceCondition})`;
  const covers: Record<WorkSubject["kind"], SQL> = {
    task: ofAttempts(sql`i.task_id = ${id}`),
    instance: ofAttempts(sql`i.task_id = ${id} and i.instance_number = ${subject.kind === "instance" ? subject.instanceNumber : null}`),
    organization: sql`e.organization_id = ${id}`,
  };
  const hours = sql`
    select date_trunc('hour', e.period_end, 'UTC') as hour_start, e.energy_wh, e.core_seconds
    from energy_allocations e
    where ${covers[subject.kind]} and ${inScope(sql`e.organization_id`)} and exists (select 1 from subject)
      and e.period_end >= ${window.fromIso} and e.period_end < ${window.toIso}`;
  return answer<WorkEnergyTotals>(db, window, found[subject.kind], hours, { energyWh: "energy_wh", coreSeconds: "core_seconds" });
}

// ---------------------------------------------------------------------------------------------

type Window = { fromIso: string; toIso: string; hours: number; bucket: "hour" | "day" | null; timeZone: string | null };

function subjectId(subject: RadiatorSubject | WorkSubject): string {
  switch (subject.kind) {
    case "radiator":
      return subject.radiatorId;
    case "room":
      return subject.roomId;
    case "dwelling":
      return subject.dwellingId;
    case "building":
      return subject.buildingId;
    case "organization":
      return subject.organizationId;
    case "task":
    case "instance":
      return subject.taskId;
  }
}

/** The hours [from, to) takes: those starting within it, from the first whole hour at or after `from`. */
function checkRange(range: EnergyRange, hasSiteZone: boolean): Window {
  const fromMs = range.from.getTime();
  const toMs = range.to.getTime();
  if (Number.isNaN(fromMs)) throw new InvalidInputError("Give the start of the period as a date.", "from");
  if (Number.isNaN(toMs)) throw new InvalidInputError("Give the end of the period as a date.", "to");
  if (!(toMs > fromMs)) throw new InvalidInputError("The end of the period must come after its start.", "to");
  const bucket = range.bucket ?? null;
  if (range.timeZone !== undefined && canonicalTimeZone(range.timeZone) === null) {
    throw new InvalidInputError(`Unknown time zone "${range.timeZone}": use an IANA name such as Europe/Paris.`, "timeZone");
  }
  if (bucket === "day" && range.timeZone === undefined && !hasSiteZone) {
    throw new InvalidInputError("Day buckets need a time zone (an IANA name such as Europe/Paris).", "timeZone");
  }
  const ceilHour = (ms: number) => Math.ceil(ms / HOUR_MS) * HOUR_MS;
  const fromHourMs = ceilHour(fromMs);
  const toHourMs = Math.max(fromHourMs, ceilHour(toMs));
  const hours = (toHourMs - fromHourMs) / HOUR_MS;
  if (bucket === "hour" && hours > MAX_ENERGY_BUCKETS) {
    throw new InvalidInputError(`At most ${MAX_ENERGY_BUCKETS} hourly buckets: ask for days, or a shorter period.`, "bucket");
  }
  return {
    fromIso: new Date(fromHourMs).toISOString(),
    toIso: new Date(toHourMs).toISOString(),
    hours,
    bucket,
    timeZone: range.timeZone ?? null,
  };
}

/**
 * One statement: whether the subject is the reader's (and its site's zone), the range's totals
 * and its buckets, from `hours` (rows of hour_start and the columns named in `columns`, several
 * rows an hour allowed).
 */
async function answer<T extends Record<string, number>>(
  db: Tx,
  window: Window,
  subject: SQL,
  hours: SQL,
  columns: Record<keyof T, string>,
): Promise<EnergyAnswer<T> | null> {
  const names = Object.keys(columns) as Array<keyof T & string>;
  const sums = sql.raw(names.map((name) => `'${name}', coalesce(sum(h.${columns[name]}), 0)`).join(", "));
  const bucketSums = sql.raw(names.map((name) => `coalesce(sum(h.${columns[name]}), 0) as "${name}"`).join(", "));
  // Every bucket of the range, joined to what was metered in it.
  let series: SQL | null = null;
  if (window.bucket === "hour" && window.hours > 0) {
    series = sql`select t as start, t + interval '1 hour' as "end"
      from generate_series(${window.fromIso}::timestamptz, ${window.toIso}::timestamptz - interval '1 hour', interval '1 hour') t`;
  } else if (window.bucket === "day" && window.hours > 0) {
    // Local days as wall-clock dates, each turned into its instants: 23 or 25 hours across a change.
    series = sql`select d at time zone z.tz as start, (d + interval '1 day') at time zone z.tz as "end"
      from zone z, generate_series(date_trunc('day', ${window.fromIso}::timestamptz at time zone z.tz),
        date_trunc('day', (${window.toIso}::timestamptz - interval '1 hour') at time zone z.tz), interval '1 day') d`;
  }
  const bucketOf = window.bucket === "day" ? sql`date_trunc('day', h.hour_start, (select tz from zone))` : sql`h.hour_start`;
  const buckets = series
    ? sql`(select coalesce(json_agg(x order by x."startMs"), '[]'::json) from (
        select extract(epoch from b.start) * 1000 as "startMs", extract(epoch from b."end") * 1000 as "endMs", ${bucketSums}
        from (${series}) b left join hours h on ${bucketOf} = b.start
        group by b.start, b."end") x)`
    : sql`'[]'::json`;

  const [row] = await db.execute<{ found: boolean; timeZone: string | null; total: T; buckets: Array<T & { startMs: number; endMs: number }> }>(sql`
    with subject as (${subject}),
    zone as (select coalesce(${window.timeZone}::text, (select time_zone from subject)) as tz),
    hours as (${hours})
    select exists (select 1 from subject) as found, (select tz from zone) as "timeZone",
      (select json_build_object(${sums}) from hours h) as total,
      ${buckets} as buckets`);
  if (!row?.found) return null;
  const numbers = (values: T): T => Object.fromEntries(names.map((name) => [name, Number(values[name])])) as T;
  return {
    total: numbers(row.total),
    buckets: row.buckets.map((b) => ({ start: new Date(b.startMs), end: new Date(b.endMs), ...numbers(b) })),
    timeZone: row.timeZone,
  };
}
