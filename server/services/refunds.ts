import { randomUUID } from "node:crypto";
import { sql, type SQL } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { pgArray } from "@/server/db/sql-params";
import {
  addMonths,
  adjustmentLines,
  ADJUSTMENT_LOOKBACK_MONTHS,
  assembleStatement,
  deviceAnomalies,
  deviceLines,
  isCalendarDate,
  isMonth,
  localMidnightMs,
  monthOf,
  tariffPeriods,
  type CloseAnomalyKind,
  type MeteredDevice,
  type MeterSegment,
  type StatedEnergy,
  type StatementLine,
  type TariffVersion,
} from "@/server/domain/refunds";
import { InvalidInputError, NotFoundError } from "./errors";

/**
 * The monthly electricity refund's close and its ledger, for the operator's staff and the engine.
 * The arithmetic is server/domain/refunds.ts; here are the reads of the meters and the writes of
 * the statements, which are never rewritten: a close skips a dwelling already closed for the
 * month, and energy metered after a close goes on the next statement as an adjustment.
 */

/** First key of the two-key advisory lock: one close of a month at a time. */
const CLOSE_LOCK_NAMESPACE = 0x6877_0010;
/**
 * From this many devices of a zone on, the close sums every device's hours of the range and keeps
 * those it needs: cheaper than testing each hour's device against a long list, and never more
 * than one pass over the range's hours. Below it, the devices' hours are read by key.
 */
const SCAN_ALL_FROM_DEVICES = 2_000;

/** A month can be closed once it has ended in every zone (the latest is UTC−12). */
const LATEST_ZONE_BEHIND_MS = 12 * 3_600_000;
/** ... and begins first at UTC+14. */
const EARLIEST_ZONE_AHEAD_MS = 14 * 3_600_000;

type EnrolledDwelling = {
  dwellingId: string;
  dwellingLabel: string;
  country: string;
  timeZone: string;
  enrolmentId: number;
  tariffOption: string;
};

export type CloseAnomaly = { kind: CloseAnomalyKind; dwellingId: string; dwellingLabel: string; serial?: string; detail: string };

type ComputedStatement = {
  dwelling: EnrolledDwelling;
  radiators: number;
  lines: StatementLine[];
  energyWh: number;
  amountCents: number;
};

/** A PostgreSQL array literal of texts, each quoted (serials and room names may hold commas, quotes, spaces). */
function quotedArray(values: ReadonlyArray<string | null>): string {
  return `{${values.map((v) => (v === null ? "NULL" : `"${v.replace(/["\\]/g, (c) => `\\${c}`)}"`)).join(",")}}`;
}

function checkMonth(month: string): void {
  if (!isMonth(month)) throw new InvalidInputError("A month is its first day, YYYY-MM-01.", "month");
}

function checkEnded(month: string, now: Date): void {
  if (now.getTime() < Date.parse(`${addMonths(month, 1)}T00:00:00Z`) + LATEST_ZONE_BEHIND_MS) {
    throw new InvalidInputError("This month has not ended yet: it can be closed once it is over.", "month");
  }
}

/** Dwellings enrolled for the month (from the month of their first enrolment's consent), with the details in force `now`. */
async function enrolledDwellings(tx: Tx, month: string, now: Date): Promise<EnrolledDwelling[]> {
  const rows = await tx.execute<EnrolledDwelling & { enrolmentId: string }>(sql`
    select d.id as "dwellingId", d.label as "dwellingLabel", s.country_code as country, s.time_zone as "timeZone",
      e.id as "enrolmentId", e.tariff_option as "tariffOption"
    from dwellings d
    join buildings b on b.id = d.building_id
    join sites s on s.id = b.site_id
    join lateral (select consent_at from refund_enrolments f where f.dwelling_id = d.id order by f.created_at, f.id limit 1) f on true
    join lateral (select id, tariff_option from refund_enrolments e where e.dwelling_id = d.id and e.created_at <= ${now.toISOString()}
      order by e.created_at desc, e.id desc limit 1) e on true
    where date_trunc('month', f.consent_at at time zone s.time_zone)::date <= ${month}::date
    order by d.id`);
  return rows.map((r) => ({ ...r, enrolmentId: Number(r.enrolmentId) }));
}

async function tariffVersions(tx: Tx): Promise<TariffVersion[]> {
  const rows = await tx.execute<TariffVersion & { id: string }>(sql`
    select id, country, option, label, effective_from::text as "effectiveFrom", price_micro_euros_per_kwh as "priceMicroEurosPerKWh"
    from tariff_versions order by id`);
  return rows.map((r) => ({ ...r, id: Number(r.id) }));
}

type DeviceRow = { id: string; kind: "radiator" | "gateway"; serial: string; roomName: string | null; dwellingId: string; timeZone: string };
/** A device's aggregate: its id, its last hour, and per part k of the range e<k>, n<k>, r<k>, f<k>, l<k> (see meteredDevices). */
type SegmentRow = { deviceId: string; lastAnyMs: number } & Record<string, string | number | null>;

/**
 * Every device's metered hours over [fromMonth, month's end), summed per device and per part of
 * that range between consecutive `thresholds` (local dates: month starts and tariff changes),
 * with the counters at each part's first and last reading and before the range. Per zone and
 * table: one aggregate of the hours grouped by device alone, each part a set of filtered sums
 * (the cut on UTC instants, the thresholds' local midnights), as cheap as a plain sum; then the
 * counters at the parts' edges, read by key.
 */
async function meteredDevices(tx: Tx, devices: DeviceRow[], fromMonth: string, endMonth: string, thresholds: string[]) {
  const segments = new Map<string, MeterSegment[]>();
  const before = new Map<string, number | null>();
  const lastHour = new Map<string, number>();

  const read = async (kind: "radiator" | "gateway", timeZone: string) => {
    const ids = devices.filter((d) => d.kind === kind && d.timeZone === timeZone).map((d) => d.id);
    if (ids.length === 0) return;
    const table = kind === "radiator" ? sql`telemetry_hourly` : sql`gateway_hourly`;
    const idColumn = kind === "radiator" ? sql`radiator_id` : sql`gateway_id`;
    const cuts = [...thresholds, endMonth].map((t) => new Date(localMidnightMs(t, timeZone)).toISOString());
    const from = cuts[0]!;
    const to = cuts[cuts.length - 1]!;
    const epochMs = (value: SQL) => sql`(extract(epoch from ${value}) * 1000)::float8`;
    // One part needs no filter; more are told apart by the part of each hour, computed once.
    const parts = thresholds.map((_, k) => {
      const within = thresholds.length === 1 ? sql`true` : sql`h.part = ${k + 1}`;
      return sql`sum(h.energy_wh) filter (where ${within})::text as ${sql.identifier(`e${k}`)},
        sum(h.reading_count) filter (where ${within})::text as ${sql.identifier(`n${k}`)},
        sum(h.counter_restarts) filter (where ${within})::text as ${sql.identifier(`r${k}`)},
        min(h.first_counter_wh) filter (where ${within})::text as ${sql.identifier(`fc${k}`)},
        max(h.last_counter_wh) filter (where ${within})::text as ${sql.identifier(`lc${k}`)},
        ${epochMs(sql`min(h.hour_start) filter (where ${within} and h.first_counter_wh is not null)`)} as ${sql.identifier(`f${k}`)},
        ${epochMs(sql`max(h.hour_start) filter (where ${within} and h.last_counter_wh is not null)`)} as ${sql.identifier(`l${k}`)}`;
    });
    const aggregates = await tx.execute<SegmentRow>(sql`
      select h.${idColumn} as "deviceId", ${epochMs(sql`max(h.hour_start)`)} as "lastAnyMs", ${sql.join(parts, sql`, `)}
      from (select *${thresholds.length === 1 ? sql`` : sql`, width_bucket(hour_start, ${pgArray(cuts.slice(0, -1))}::timestamptz[]) as part`} from ${table}
        where hour_start >= ${from}::timestamptz and hour_start < ${to}::timestamptz
          ${ids.length <= SCAN_ALL_FROM_DEVICES ? sql`and ${idColumn} = any(${pgArray(ids)}::uuid[])` : sql``}) h
      group by 1`);
    const wanted = new Set(ids);
    // The columns of each part, named once rather than for every device.
    const columns = thresholds.map((_, k) => ({ e: `e${k}`, n: `n${k}`, r: `r${k}`, f: `f${k}`, l: `l${k}`, fc: `fc${k}`, lc: `lc${k}` }));
    const rows = aggregates.filter((a) => wanted.has(a.deviceId)).flatMap((a) =>
      columns.flatMap((c, k) =>
        a[c.n] === null
          ? []
          : [
              {
                deviceId: a.deviceId,
                bucket: k + 1,
                energyWh: a[c.e] as string,
                readingCount: a[c.n] as string,
                restarts: a[c.r] as string,
                firstHourMs: a[c.f] as number | null,
                lastHourMs: a[c.l] as number | null,
                // A counter that never restarted in the part only grows: its edges are its least and greatest readings.
                firstCounterWh: a[c.fc] as string | null,
                lastCounterWh: a[c.lc] as string | null,
                lastAnyMs: a.lastAnyMs,
              },
            ],
      ),
    );
    // Where the counter restarted, the readings at the part's edges, by key; and the counter before the range.
    const edges = rows.filter((r) => r.restarts !== "0").flatMap((r) => [
      ...(r.firstHourMs === null ? [] : [{ id: r.deviceId, at: new Date(r.firstHourMs).toISOString() }]),
      ...(r.lastHourMs === null ? [] : [{ id: r.deviceId, at: new Date(r.lastHourMs).toISOString() }]),
    ]);
    const counters = edges.length === 0 ? [] : await tx.execute<{ id: string; atMs: number; first: string | null; last: string | null }>(sql`
      select h.${idColumn} as id, (extract(epoch from h.hour_start) * 1000)::float8 as "atMs", h.first_counter_wh::text as first,
        h.last_counter_wh::text as last
      from unnest(${pgArray(edges.map((e) => e.id))}::uuid[], ${pgArray(edges.map((e) => e.at))}::timestamptz[]) as u(id, at)
      cross join lateral (select * from ${table} h where h.${idColumn} = u.id and h.hour_start = u.at) h`);
    const counterAt = new Map(counters.map((c) => [`${c.id}|${c.atMs}`, c]));
    const at = (id: string, ms: number | null) => (ms === null ? undefined : counterAt.get(`${id}|${ms}`));
    const previous = await tx.execute<{ id: string; last: string | null }>(sql`
      select u.id, (select h.last_counter_wh from ${table} h where h.${idColumn} = u.id and h.hour_start < ${from}::timestamptz
        and h.last_counter_wh is not null order by h.hour_start desc limit 1)::text as last
      from unnest(${pgArray(ids)}::uuid[]) as u(id)`);
    for (const p of previous) before.set(p.id, p.last === null ? null : Number(p.last));
    for (const r of rows) {
      const list = segments.get(r.deviceId) ?? [];
      const first = r.restarts === "0" ? r.firstCounterWh : at(r.deviceId, r.firstHourMs)?.first;
      const last = r.restarts === "0" ? r.lastCounterWh : at(r.deviceId, r.lastHourMs)?.last;
      list.push({
        fromDate: thresholds[r.bucket - 1]!,
        energyWh: Number(r.energyWh),
        readingCount: Number(r.readingCount),
        restarts: Number(r.restarts),
        firstCounterWh: first == null ? null : Number(first),
        lastCounterWh: last == null ? null : Number(last),
      });
      segments.set(r.deviceId, list);
      lastHour.set(r.deviceId, Math.max(lastHour.get(r.deviceId) ?? 0, r.lastAnyMs));
    }
  };
  for (const zone of new Set(devices.map((d) => d.timeZone))) {
    await read("radiator", zone);
    await read("gateway", zone);
  }

  return devices.map((d) => ({
    row: d,
    device: {
      kind: d.kind,
      id: d.id,
      serial: d.serial,
      roomName: d.roomName,
      counterBeforeWh: before.get(d.id) ?? null,
      segments: (segments.get(d.id) ?? []).sort((a, b) => (a.fromDate < b.fromDate ? -1 : 1)),
    } satisfies MeteredDevice,
    // The end of the last hour with a reading.
    lastReadingMs: lastHour.has(d.id) ? lastHour.get(d.id)! + 3_600_000 : null,
  }));
}

/**
 * Every statement the close of `month` would write now, for the enrolled dwellings not closed yet
 * for it, and what needs a look. Reads only; no query per dwelling.
 */
async function computeClose(tx: Tx, month: string, now: Date) {
  const enrolled = await enrolledDwellings(tx, month, now);
  const closedRows = await tx.execute<{ dwellingId: string; month: string }>(sql`
    select dwelling_id as "dwellingId", month::text as month from refund_statements
    where month between ${addMonths(month, -ADJUSTMENT_LOOKBACK_MONTHS)}::date and ${month}::date
      and dwelling_id = any(${pgArray(enrolled.map((d) => d.dwellingId))}::uuid[])`);
  const closedMonths = new Map<string, string[]>();
  for (const r of closedRows) closedMonths.set(r.dwellingId, [...(closedMonths.get(r.dwellingId) ?? []), r.month]);
  const alreadyClosed = enrolled.filter((d) => closedMonths.get(d.dwellingId)?.includes(month)).length;
  const open = enrolled.filter((d) => !closedMonths.get(d.dwellingId)?.includes(month));

  const versions = await tariffVersions(tx);
  const anomalies: CloseAnomaly[] = [];
  const priced = open.filter((d) => {
    if (tariffPeriods(versions, d.country, d.tariffOption, month)) return true;
    anomalies.push({
      kind: "no-tariff",
      dwellingId: d.dwellingId,
      dwellingLabel: d.dwellingLabel,
      detail: `no tariff for ${d.country} ${d.tariffOption} covers the whole month`,
    });
    return false;
  });

  const ids = priced.map((d) => d.dwellingId);
  const deviceRows = await tx.execute<DeviceRow>(sql`
    select r.id, 'radiator' as kind, r.serial, ro.name as "roomName", ro.dwelling_id as "dwellingId", s.time_zone as "timeZone"
    from rooms ro join radiators r on r.room_id = ro.id join buildings b on b.id = ro.building_id join sites s on s.id = b.site_id
    where ro.dwelling_id = any(${pgArray(ids)}::uuid[])
    union all
    select g.id, 'gateway', g.serial, null, g.dwelling_id, s.time_zone
    from gateways g join buildings b on b.id = g.building_id join sites s on s.id = b.site_id
    where g.dwelling_id = any(${pgArray(ids)}::uuid[])`);

  // The range read: back to the oldest closed month an adjustment may concern.
  const earlier = closedRows.map((r) => r.month).filter((m) => m < month);
  const fromMonth = earlier.length > 0 ? earlier.reduce((a, b) => (a < b ? a : b)) : month;
  const endMonth = addMonths(month, 1);
  const thresholds = new Set<string>();
  for (let m = fromMonth; m < endMonth; m = addMonths(m, 1)) thresholds.add(m);
  for (const v of versions) if (v.effectiveFrom > fromMonth && v.effectiveFrom < endMonth) thresholds.add(v.effectiveFrom);
  const metered = await meteredDevices(tx, deviceRows, fromMonth, endMonth, [...thresholds].sort());

  const statedRows =
    earlier.length === 0
      ? []
      : await tx.execute<{ dwellingId: string; deviceId: string; energyMonth: string; tariffVersionId: string; energyWh: string }>(sql`
          select s.dwelling_id as "dwellingId", coalesce(l.radiator_id, l.gateway_id) as "deviceId", l.energy_month::text as "energyMonth",
            l.tariff_version_id as "tariffVersionId", sum(l.energy_wh) as "energyWh"
          from refund_statements s join refund_statement_lines l on l.statement_id = s.id
          where s.dwelling_id = any(${pgArray(ids)}::uuid[]) and l.energy_month >= ${fromMonth}::date and l.energy_month < ${month}::date
          group by 1, 2, 3, 4`);
  const stated = new Map<string, StatedEnergy[]>();
  for (const r of statedRows) {
    const list = stated.get(r.dwellingId) ?? [];
    list.push({ deviceId: r.deviceId, energyMonth: r.energyMonth, tariffVersionId: Number(r.tariffVersionId), energyWh: Number(r.energyWh) });
    stated.set(r.dwellingId, list);
  }

  const byDwelling = new Map<string, typeof metered>();
  for (const m of metered) {
    const list = byDwelling.get(m.row.dwellingId);
    if (list) list.push(m);
    else byDwelling.set(m.row.dwellingId, [m]);
  }

  const statements: ComputedStatement[] = priced.map((dwelling) => {
    const devices = byDwelling.get(dwelling.dwellingId) ?? [];
    const periods = tariffPeriods(versions, dwelling.country, dwelling.tariffOption, month)!;
    const lines: StatementLine[] = [];
    const recomputed: StatementLine[] = [];
    const earlierMonths = (closedMonths.get(dwelling.dwellingId) ?? []).filter((m) => m < month);
    for (const { device, lastReadingMs } of devices) {
      lines.push(...deviceLines(device, month, periods, dwelling.timeZone));
      if (device.kind === "radiator") {
        for (const a of deviceAnomalies(device, month, lastReadingMs, dwelling.timeZone)) {
          anomalies.push({ ...a, dwellingId: dwelling.dwellingId, dwellingLabel: dwelling.dwellingLabel, serial: device.serial });
        }
      }
      for (const m of earlierMonths) {
        const before = tariffPeriods(versions, dwelling.country, dwelling.tariffOption, m);
        if (before) recomputed.push(...deviceLines(device, m, before, dwelling.timeZone));
      }
    }
    lines.push(...adjustmentLines(recomputed, stated.get(dwelling.dwellingId) ?? []));
    const statement = assembleStatement(lines);
    return { dwelling, radiators: devices.filter((d) => d.device.kind === "radiator").length, ...statement };
  });
  return { enrolled: enrolled.length, alreadyClosed, statements, anomalies };
}

/** What closing `month` now would write, and what needs a look first. */
export async function previewClose(db: Db, input: { month: string }, now = new Date()) {
  checkMonth(input.month);
  const { alreadyClosed, statements, anomalies } = await computeClose(db, input.month, now);
  return {
    month: input.month,
    dwellings: statements.length,
    radiators: statements.reduce((sum, s) => sum + s.radiators, 0),
    energyWh: statements.reduce((sum, s) => sum + s.energyWh, 0),
    amountCents: statements.reduce((sum, s) => sum + s.amountCents, 0),
    alreadyClosed,
    anomalies,
  };
}

/**
 * Closes a month: writes the statement of every enrolled dwelling not closed yet for it, in one
 * transaction under the month's lock, and records the run. A second run writes nothing new.
 */
export async function runClose(db: Db, input: { month: string; userId: string | null }, now = new Date()) {
  checkMonth(input.month);
  checkEnded(input.month, now);
  return db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${CLOSE_LOCK_NAMESPACE}::int, hashtext(${input.month}))`);
    const { alreadyClosed, statements } = await computeClose(tx, input.month, now);
    const nowIso = now.toISOString();
    const [close] = await tx.execute<{ id: string }>(sql`
      insert into refund_closes (month, run_by_user_id, started_at, statements_written, statements_already_closed)
      values (${input.month}, ${input.userId}, ${nowIso}, ${statements.length}, ${alreadyClosed}) returning id`);
    const closeId = Number(close!.id);
    const ids = statements.map(() => randomUUID());
    if (statements.length > 0) {
      await tx.execute(sql`
        insert into refund_statements (id, dwelling_id, month, close_id, enrolment_id, energy_wh, amount_cents, created_at)
        select u.id, u.dwelling_id, ${input.month}::date, ${closeId}, u.enrolment_id, u.energy_wh, u.amount_cents, ${nowIso}::timestamptz
        from unnest(${pgArray(ids)}::uuid[], ${pgArray(statements.map((s) => s.dwelling.dwellingId))}::uuid[],
          ${pgArray(statements.map((s) => s.dwelling.enrolmentId))}::bigint[], ${pgArray(statements.map((s) => s.energyWh))}::bigint[],
          ${pgArray(statements.map((s) => s.amountCents))}::bigint[]) as u(id, dwelling_id, enrolment_id, energy_wh, amount_cents)`);
      const lines = statements.flatMap((s, i) => s.lines.map((line, position) => ({ statementId: ids[i]!, position, line })));
      if (lines.length > 0) {
        const column = <T extends string | number | null>(of: (l: (typeof lines)[number]) => T) => lines.map(of);
        await tx.execute(sql`
          insert into refund_statement_lines (statement_id, position, kind, radiator_id, gateway_id, device_serial, room_name, energy_month,
            period_start, period_end, meter_start_wh, meter_end_wh, energy_wh, tariff_version_id, price_micro_euros_per_kwh, amount_cents)
          select * from unnest(${pgArray(column((l) => l.statementId))}::uuid[], ${pgArray(column((l) => l.position))}::int[],
            ${pgArray(column((l) => l.line.kind))}::refund_line_kind[], ${pgArray(column((l) => l.line.radiatorId))}::uuid[],
            ${pgArray(column((l) => l.line.gatewayId))}::uuid[], ${quotedArray(column((l) => l.line.deviceSerial))}::text[],
            ${quotedArray(column((l) => l.line.roomName))}::text[], ${pgArray(column((l) => l.line.energyMonth))}::date[],
            ${pgArray(column((l) => new Date(l.line.periodStartMs).toISOString()))}::timestamptz[],
            ${pgArray(column((l) => new Date(l.line.periodEndMs).toISOString()))}::timestamptz[],
            ${pgArray(column((l) => l.line.meterStartWh))}::bigint[], ${pgArray(column((l) => l.line.meterEndWh))}::bigint[],
            ${pgArray(column((l) => l.line.energyWh))}::bigint[], ${pgArray(column((l) => l.line.tariffVersionId))}::bigint[],
            ${pgArray(column((l) => l.line.priceMicroEurosPerKWh))}::int[], ${pgArray(column((l) => l.line.amountCents))}::bigint[])`);
      }
    }
    await tx.execute(sql`update refund_closes set finished_at = clock_timestamp() where id = ${closeId}`);
    return { closeId, statementsWritten: statements.length, statementsAlreadyClosed: alreadyClosed };
  });
}

/** Whether some enrolled dwelling still waits for the month's statement. */
async function hasOpenDwellings(db: Db, month: string): Promise<boolean> {
  const [row] = await db.execute<{ open: boolean }>(sql`
    select exists (
      select 1 from dwellings d join buildings b on b.id = d.building_id join sites s on s.id = b.site_id
      join lateral (select consent_at from refund_enrolments f where f.dwelling_id = d.id order by f.created_at, f.id limit 1) f on true
      where date_trunc('month', f.consent_at at time zone s.time_zone)::date <= ${month}::date
        and not exists (select 1 from refund_statements r where r.dwelling_id = d.id and r.month = ${month}::date)
    ) as open`);
  return row!.open;
}

/** The engine closes the previous month by itself from the 3rd of each month (UTC date), when some dwelling waits for it. */
export const CLOSE_DAY_OF_MONTH = 3;

export async function closeDueMonth(db: Db, now = new Date()) {
  if (now.getUTCDate() < CLOSE_DAY_OF_MONTH) return null;
  const month = addMonths(monthOf(now.toISOString().slice(0, 10)), -1);
  if (!(await hasOpenDwellings(db, month))) return null;
  return { month, ...(await runClose(db, { month, userId: null }, now)) };
}

/**
 * The simulator's history, once filled over [fromMs, toMs): each month wholly inside it is
 * closed, oldest first, as the engine would have on its 3rd. Months already closed are skipped.
 */
export async function closeSimulatedHistory(db: Db, range: { fromMs: number; toMs: number }, now = new Date()) {
  const results = [];
  // Whole months in every zone: from the first one starting (at UTC+14) after fromMs ...
  let month = monthOf(new Date(range.fromMs).toISOString().slice(0, 10));
  if (Date.parse(`${month}T00:00:00Z`) - EARLIEST_ZONE_AHEAD_MS < range.fromMs) month = addMonths(month, 1);
  // ... to the last ending by toMs everywhere.
  for (; Date.parse(`${addMonths(month, 1)}T00:00:00Z`) + LATEST_ZONE_BEHIND_MS <= Math.min(range.toMs, now.getTime()); month = addMonths(month, 1)) {
    if (await hasOpenDwellings(db, month)) results.push({ month, ...(await runClose(db, { month, userId: null }, now)) });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Payments

/** Records the payment of statements (their amount, a bank reference, the day paid); a statement already paid is left as it was. */
export async function markPaid(db: Db, input: { statementIds: string[]; reference: string; paidOn: string; userId: string | null }) {
  const reference = input.reference.trim();
  if (reference.length === 0) throw new InvalidInputError("Give the payment's bank reference.", "reference");
  if (!isCalendarDate(input.paidOn)) throw new InvalidInputError("The payment date is a day, YYYY-MM-DD.", "paidOn");
  const ids = [...new Set(input.statementIds)];
  if (ids.length === 0) throw new InvalidInputError("Choose at least one statement.", "statementIds");
  return db.transaction(async (tx) => {
    const known = await tx.execute<{ id: string }>(sql`select id from refund_statements where id = any(${pgArray(ids)}::uuid[])`);
    if (known.length !== ids.length) throw new NotFoundError("Statement");
    const paid = await tx.execute<{ statementId: string }>(sql`
      insert into refund_payments (statement_id, amount_cents, reference, paid_on, recorded_by_user_id)
      select s.id, s.amount_cents, ${reference}, ${input.paidOn}::date, ${input.userId}
      from refund_statements s where s.id = any(${pgArray(ids)}::uuid[])
      order by s.id
      on conflict (statement_id) do nothing
      returning statement_id as "statementId"`);
    return { paid: paid.length, alreadyPaid: ids.length - paid.length };
  });
}

// ---------------------------------------------------------------------------------------------
// Tariffs

export async function listTariffVersions(db: Db) {
  const rows = await db.execute<{
    id: string;
    country: string;
    option: string;
    label: string;
    effectiveFrom: string;
    priceMicroEurosPerKWh: number;
    source: string;
    createdAt: string;
    usedByClosedMonth: boolean;
  }>(sql`
    select t.id, t.country, t.option, t.label, t.effective_from::text as "effectiveFrom", t.price_micro_euros_per_kwh as "priceMicroEurosPerKWh",
      t.source, t.created_at as "createdAt",
      exists (select 1 from refund_statement_lines l where l.tariff_version_id = t.id) as "usedByClosedMonth"
    from tariff_versions t order by t.country, t.option, t.effective_from desc, t.id desc`);
  return rows.map((r) => ({ ...r, id: Number(r.id), createdAt: new Date(r.createdAt) }));
}

/**
 * A new tariff version. Versions are never changed: a correction is a new version, which must
 * start after the last month closed for its country (closed statements keep their prices).
 */
export async function addTariffVersion(
  db: Db,
  input: { country: string; option: string; label: string; effectiveFrom: string; priceMicroEurosPerKWh: number; source: string; userId: string | null },
) {
  if (!Number.isSafeInteger(input.priceMicroEurosPerKWh) || input.priceMicroEurosPerKWh <= 0) {
    throw new InvalidInputError("The price is a whole number of micro-euros per kWh, above zero.", "priceMicroEurosPerKWh");
  }
  if (!isCalendarDate(input.effectiveFrom)) throw new InvalidInputError("The date is a day, YYYY-MM-DD.", "effectiveFrom");
  return db.transaction(async (tx) => {
    // Closes of any month wait for this: a version cannot slip in under a close running now.
    await tx.execute(sql`lock table tariff_versions in share row exclusive mode`);
    const [closed] = await tx.execute<{ month: string | null }>(sql`
      select max(r.month)::text as month from refund_statements r
      join dwellings d on d.id = r.dwelling_id join buildings b on b.id = d.building_id join sites s on s.id = b.site_id
      where s.country_code = ${input.country}`);
    const lastClosed = closed?.month ?? null;
    if (lastClosed !== null && input.effectiveFrom < addMonths(lastClosed, 1)) {
      throw new InvalidInputError(
        `Months up to ${lastClosed.slice(0, 7)} are closed for ${input.country}: a new price can start on ${addMonths(lastClosed, 1)} at the earliest.`,
        "effectiveFrom",
      );
    }
    const [row] = await tx.execute<{ id: string }>(sql`
      insert into tariff_versions (country, option, label, effective_from, price_micro_euros_per_kwh, source, created_by_user_id)
      values (${input.country}, ${input.option}, ${input.label}, ${input.effectiveFrom}::date, ${input.priceMicroEurosPerKWh}, ${input.source}, ${input.userId})
      returning id`);
    return { id: Number(row!.id) };
  });
}

// ---------------------------------------------------------------------------------------------
// Reads of the ledger

/** Months with statements, newest first, with their totals and what is paid. */
export async function listClosedMonths(db: Db) {
  const rows = await db.execute<{
    month: string;
    closedAt: string | null;
    statements: number;
    energyWh: string;
    amountCents: string;
    paidStatements: number;
    paidAmountCents: string;
  }>(sql`
    select s.month::text as month, (select max(c.finished_at) from refund_closes c where c.month = s.month) as "closedAt",
      count(*)::int as statements, sum(s.energy_wh) as "energyWh", sum(s.amount_cents) as "amountCents",
      count(p.statement_id)::int as "paidStatements", coalesce(sum(p.amount_cents), 0) as "paidAmountCents"
    from refund_statements s left join refund_payments p on p.statement_id = s.id
    group by s.month order by s.month desc`);
  return rows.map((r) => ({
    month: r.month,
    closedAt: r.closedAt === null ? null : new Date(r.closedAt),
    statements: r.statements,
    energyWh: Number(r.energyWh),
    amountCents: Number(r.amountCents),
    paidStatements: r.paidStatements,
    paidAmountCents: Number(r.paidAmountCents),
  }));
}

/** A month's statements, with whom each pays (holder and masked IBAN of the enrolment it pays) and its payment. */
export async function listStatements(db: Db, input: { month: string }) {
  checkMonth(input.month);
  const rows = await db.execute<{
    id: string;
    dwellingId: string;
    dwellingLabel: string;
    buildingName: string;
    energyWh: string;
    amountCents: string;
    ibanMasked: string;
    holderName: string;
    paidOn: string | null;
    reference: string | null;
  }>(sql`
    select s.id, s.dwelling_id as "dwellingId", d.label as "dwellingLabel", b.name as "buildingName", s.energy_wh as "energyWh",
      s.amount_cents as "amountCents", e.iban_masked as "ibanMasked", e.holder_name as "holderName", p.paid_on::text as "paidOn", p.reference
    from refund_statements s
    join dwellings d on d.id = s.dwelling_id join buildings b on b.id = d.building_id
    join refund_enrolments e on e.id = s.enrolment_id
    left join refund_payments p on p.statement_id = s.id
    where s.month = ${input.month}::date
    order by b.name, d.label`);
  return rows.map((r) => ({ ...r, energyWh: Number(r.energyWh), amountCents: Number(r.amountCents) }));
}
