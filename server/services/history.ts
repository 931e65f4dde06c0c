import { sql } from "drizzle-orm";
import type { Tx } from "@/server/db/client";
import { heatingShare, historyPeriod, type HistoryRange } from "@/server/domain/history-period";
import { localDay } from "@/server/domain/history-view";
import { isUuid } from "@/server/domain/text";
import { radiatorEnergy } from "./energy";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * A room's heating history for residents' charts: a day or a week hour by hour, a month or a year
 * day by day, in the site's zone. Hours come from telemetry_hourly, days from telemetry_daily
 * (a year is 365 rows a radiator), outdoor temperatures from outdoor_temperatures (by hour) or
 * outdoor_daily (by day); the energy
 * per day and the totals of a day, a week or a month from the metering read side (energy.ts),
 * a year's from the daily rollup, which sums the same hourly figures.
 *
 * The answer's shape, for a chart: `points` is every hour or day of the period in order, gaps
 * included (null means no reading or no observation, never zero heat), each with its instants
 * and a local label for the axis; `energyByDay` is one bar per local day; `previousAnchor` and
 * `nextAnchor` page the chart.
 */

export type HistoryPoint = {
  start: Date;
  end: Date;
  /** Local to the site: 'YYYY-MM-DDTHH:mm' for hours, 'YYYY-MM-DD' for days. */
  label: string;
  /** Mean of the room's readings (all its radiators'). */
  roomTempC: number | null;
  /** Mean setpoint the radiators were heating to. */
  targetTempC: number | null;
  /** Mean of the site's hourly observations. */
  outdoorTempC: number | null;
  /** See heatingShare (server/domain/history-period.ts): 0 to 1. */
  heatingShare: number | null;
  energyWh: number;
};

export type RoomHistory = {
  roomId: string;
  timeZone: string;
  range: HistoryRange;
  anchor: string;
  resolution: "hour" | "day";
  /** The period: local days [startDate, endDate), and the instants [start, end). */
  startDate: string;
  endDate: string;
  start: Date;
  end: Date;
  previousAnchor: string;
  nextAnchor: string;
  points: HistoryPoint[];
  energyByDay: Array<{ day: string; energyWh: number }>;
  totals: {
    energyWh: number;
    computeEnergyWh: number;
    idleEnergyWh: number;
    readingCount: number;
    roomTempC: number | null;
    targetTempC: number | null;
    outdoorTempC: number | null;
    heatingShare: number | null;
  };
};

type Row = {
  startMs: number;
  endMs: number;
  label: string;
  n: number;
  temp: number | null;
  setpoint: number | null;
  power: number | null;
  fullPower: number | null;
  energy: number | null;
  idle: number | null;
  outdoorSum: number | null;
  outdoorN: number;
};

/** A resident's room over a day, week, month or year around `anchor` (a local day, 'YYYY-MM-DD'). */
export async function roomHistory(db: Tx, opts: { dwellingId: string; roomId: string; range: HistoryRange; anchor: string }): Promise<RoomHistory> {
  const period = historyPeriod(opts.range, opts.anchor);
  if (!period) throw new InvalidInputError(`"${opts.anchor}" is not a day: give the anchor as YYYY-MM-DD.`, "anchor");
  if (!isUuid(opts.roomId)) throw new NotFoundError("Room");
  const [room] = await db.execute<{ siteId: string; timeZone: string; startMs: number; endMs: number }>(sql`
    select s.id as "siteId", s.time_zone as "timeZone",
      extract(epoch from ${period.startDate}::date::timestamp at time zone s.time_zone) * 1000 as "startMs",
      extract(epoch from ${period.endDate}::date::timestamp at time zone s.time_zone) * 1000 as "endMs"
    from rooms ro join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id
    where ro.id = ${opts.roomId} and ro.dwelling_id = ${opts.dwellingId}`);
  if (!room) throw new NotFoundError("Room");
  const start = new Date(Number(room.startMs));
  const end = new Date(Number(room.endMs));
  const q = { roomId: opts.roomId, siteId: room.siteId, timeZone: room.timeZone, fromIso: start.toISOString(), toIso: end.toISOString() };
  const rows = period.resolution === "hour" ? await hourRows(db, q) : await dayRows(db, { ...q, startDate: period.startDate, endDate: period.endDate });

  const points: HistoryPoint[] = rows.map((r) => ({
    start: new Date(Number(r.startMs)),
    end: new Date(Number(r.endMs)),
    label: r.label,
    roomTempC: mean(r.temp, r.n),
    targetTempC: mean(r.setpoint, r.n),
    outdoorTempC: mean(r.outdoorSum, r.outdoorN),
    heatingShare: round(heatingShare(Number(r.power ?? 0), Number(r.fullPower ?? 0)), 3),
    energyWh: Number(r.energy ?? 0),
  }));
  const sum = (pick: (r: Row) => number | null) => rows.reduce((a, r) => a + Number(pick(r) ?? 0), 0);
  const readingCount = sum((r) => r.n);

  let energyByDay: RoomHistory["energyByDay"];
  let energy: Pick<RoomHistory["totals"], "energyWh" | "computeEnergyWh" | "idleEnergyWh">;
  if (period.range === "year") {
    energyByDay = points.map((p) => ({ day: p.label, energyWh: p.energyWh }));
    const energyWh = sum((r) => r.energy);
    const idleEnergyWh = sum((r) => r.idle);
    energy = { energyWh, computeEnergyWh: energyWh - idleEnergyWh, idleEnergyWh };
  } else {
    const metered = await radiatorEnergy(db, { dwellingId: opts.dwellingId }, { kind: "room", roomId: opts.roomId }, {
      from: start,
      to: end,
      bucket: "day",
      timeZone: room.timeZone,
    });
    if (!metered) throw new NotFoundError("Room");
    energyByDay = metered.buckets.map((b) => ({ day: localDay(b.start, room.timeZone), energyWh: b.energyWh }));
    energy = { energyWh: metered.total.energyWh, computeEnergyWh: metered.total.computeEnergyWh, idleEnergyWh: metered.total.idleEnergyWh };
  }

  return {
    roomId: opts.roomId,
    timeZone: room.timeZone,
    range: period.range,
    anchor: opts.anchor,
    resolution: period.resolution,
    startDate: period.startDate,
    endDate: period.endDate,
    start,
    end,
    previousAnchor: period.previousAnchor,
    nextAnchor: period.nextAnchor,
    points,
    energyByDay,
    totals: {
      ...energy,
      readingCount,
      roomTempC: mean(sum((r) => r.temp), readingCount),
      targetTempC: mean(sum((r) => r.setpoint), readingCount),
      outdoorTempC: mean(sum((r) => r.outdoorSum), sum((r) => r.outdoorN)),
      heatingShare: round(heatingShare(sum((r) => r.power), sum((r) => r.fullPower)), 3),
    },
  };
}

type Query = { roomId: string; siteId: string; timeZone: string; fromIso: string; toIso: string };

/** The room's radiators with their full power (per reading, for the heating share). */
const roomRadiators = (roomId: string) => sql`select r.id, h.max_power_w from radiators r
  join hardware_models h on h.id = r.hardware_model_id where r.room_id = ${roomId}`;

/** Every hour of the period, with the room's hourly rollups and the site's observation. */
export async function hourRows(db: Tx, q: Query): Promise<Row[]> {
  return db.execute<Row>(sql`
    with rads as (${roomRadiators(q.roomId)}),
    hours as (
      select t.hour_start, sum(t.reading_count) as n, sum(t.room_temp_sum_c) as temp, sum(t.setpoint_sum_c) as setpoint,
        sum(t.power_sum_w) as power, sum(t.reading_count::bigint * rads.max_power_w) as full_power, sum(t.energy_wh) as energy,
        sum(t.idle_energy_wh) as idle
      from telemetry_hourly t join rads on rads.id = t.radiator_id
      where t.hour_start >= ${q.fromIso}::timestamptz and t.hour_start < ${q.toIso}::timestamptz
      group by 1
    )
    select extract(epoch from g) * 1000 as "startMs", extract(epoch from g + interval '1 hour') * 1000 as "endMs",
      to_char(g at time zone ${q.timeZone}, 'YYYY-MM-DD"T"HH24:MI') as label,
      coalesce(h.n, 0)::int as n, h.temp, h.setpoint, h.power::float8 as power, h.full_power::float8 as "fullPower",
      h.energy::float8 as energy, h.idle::float8 as idle, o.temp_c::float8 as "outdoorSum", (o.temp_c is not null)::int as "outdoorN"
    from generate_series(${q.fromIso}::timestamptz, ${q.toIso}::timestamptz - interval '1 hour', interval '1 hour') g
      left join hours h on h.hour_start = g
      left join outdoor_temperatures o on o.site_id = ${q.siteId} and o.hour_start = g
    order by g`);
}

/** Every local day of the period, with the room's daily rollups and the site's daily observations. */
export async function dayRows(db: Tx, q: Query & { startDate: string; endDate: string }): Promise<Row[]> {
  return db.execute<Row>(sql`
    with rads as (${roomRadiators(q.roomId)}),
    days as (
      select d.day, sum(d.reading_count) as n, sum(d.room_temp_sum_c) as temp, sum(d.setpoint_sum_c) as setpoint,
        sum(d.power_sum_w) as power, sum(d.reading_count::bigint * rads.max_power_w) as full_power, sum(d.energy_wh) as energy,
        sum(d.idle_energy_wh) as idle
      from telemetry_daily d join rads on rads.id = d.radiator_id
      where d.day >= ${q.startDate}::date and d.day < ${q.endDate}::date
      group by 1
    ),
    outdoor as (
      select day, temp_sum_c as total, hours as n from outdoor_daily
      where site_id = ${q.siteId} and day >= ${q.startDate}::date and day < ${q.endDate}::date
    )
    select extract(epoch from g::timestamp at time zone ${q.timeZone}) * 1000 as "startMs",
      extract(epoch from (g + interval '1 day')::timestamp at time zone ${q.timeZone}) * 1000 as "endMs",
      to_char(g, 'YYYY-MM-DD') as label,
      coalesce(d.n, 0)::int as n, d.temp, d.setpoint, d.power::float8 as power, d.full_power::float8 as "fullPower",
      d.energy::float8 as energy, d.idle::float8 as idle, o.total::float8 as "outdoorSum", coalesce(o.n, 0)::int as "outdoorN"
    from generate_series(${q.startDate}::date, ${q.endDate}::date - 1, interval '1 day') g
      left join days d on d.day = g::date
      left join outdoor o on o.day = g::date
    order by g`);
}

function mean(total: number | null, n: number): number | null {
  if (!(Number(n) > 0) || total === null) return null;
  return round(Number(total) / Number(n), 2);
}

function round(value: number | null, digits: number): number | null {
  if (value === null) return null;
  const f = 10 ** digits;
  return Math.round(value * f) / f;
}

