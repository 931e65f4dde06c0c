import { TRPCError } from "@trpc/server";
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildings, dwellings, radiators, residents, rooms } from "@/server/db/schema";
import type { Reading } from "@/server/device/protocol";
import { handleReport } from "@/server/device/report";
import { formatOutdoorCsv } from "@/server/domain/outdoor-csv";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { callerAs, resetEngine, useTestDb, userIdByEmail } from "@/server/test/db";
import { radiatorEnergy } from "./energy";
import { InvalidInputError, NotFoundError } from "./errors";
import { roomHistory } from "./history";
import { importOutdoorTemperatures } from "./outdoor-temperatures";
import { rollUpTelemetryDays } from "./telemetry-daily";
import { dropExpiredTelemetryPartitions } from "./telemetry-partitions";

const db = useTestDb();
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// The resident's flat A-204 in Paris, reported by its gateway a day at a time.
let gateway: MeteredGateway;
let home: { dwellingId: string; roomId: string; siteId: string; radiatorIds: string[] };
let seq = 0;
const counters = new Map<string, number>();

async function report(now: Date, readingsBySerial: Map<string, Reading[]>) {
  return handleReport(
    db,
    gateway.gatewayId,
    { protocolVersion: 1, seq: ++seq, sentAt: now.toISOString(), radiators: [...readingsBySerial].map(([serial, readings]) => ({ serial, readings })), events: [] },
    now,
  );
}

/** Every radiator of the flat reads every `stepMs` over [fromMs, toMs), one report a day. */
async function fill(fromMs: number, toMs: number, stepMs: number) {
  for (let dayMs = fromMs; dayMs < toMs; dayMs += DAY_MS) {
    const bySerial = new Map<string, Reading[]>();
    let lastMs = dayMs;
    for (const [i, r] of gateway.radiators.entries()) {
      const list: Reading[] = [];
      for (let t = dayMs; t < Math.min(toMs, dayMs + DAY_MS); t += stepMs) {
        // Seasonal heating: more power and energy in winter, each radiator its own.
        const winter = Math.cos(((t - Date.UTC(2025, 0, 15)) / (365 * DAY_MS)) * 2 * Math.PI) * 0.5 + 0.5;
        const powerW = Math.round(100 + 350 * winter) + 10 * i;
        const counter = (counters.get(r.id) ?? 100_000 + 1000 * i) + Math.round((powerW * stepMs) / HOUR_MS);
        counters.set(r.id, counter);
        list.push({ at: new Date(t).toISOString(), roomTempC: 19 + winter, setpointC: 20, powerW, energyCounterWh: counter, coresActive: 2, coresWanted: 2 });
        lastMs = t;
      }
      bySerial.set(r.serial, list);
    }
    await report(new Date(lastMs + 60_000), bySerial);
  }
}

beforeAll(async () => {
  await resetEngine(db);
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  const [a204] = await db
    .select({ id: dwellings.id, siteId: buildings.siteId })
    .from(dwellings)
    .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
    .where(eq(dwellings.label, "A-204"));
  const [first] = await db
    .select({ roomId: radiators.roomId })
    .from(radiators)
    .innerJoin(rooms, eq(rooms.id, radiators.roomId))
    .where(eq(rooms.dwellingId, a204!.id))
    .orderBy(radiators.serial)
    .limit(1);
  const inRoom = await db.select({ id: radiators.id }).from(radiators).where(eq(radiators.roomId, first!.roomId));
  home = { dwellingId: a204!.id, roomId: first!.roomId, siteId: a204!.siteId, radiatorIds: inRoom.map((r) => r.id) };
});

afterAll(async () => {
  await db.execute(sql`truncate telemetry_daily, outdoor_temperatures, outdoor_daily`);
  await resetEngine(db);
  await dropExpiredTelemetryPartitions(db, { retentionDays: 60 });
  await gateway.forget();
});

describe("raw telemetry's monthly partitions", () => {
  it("lands a report whose readings fall in a month without a partition, creating it", async () => {
    // The server's clock in a month no partition was made for.
    const now = new Date("2031-03-15T12:00:00Z");
    const before = await db.execute<{ n: number }>(sql`select count(*)::int as n from pg_class where relname = 'telemetry_readings_203103'`);
    expect(before[0]!.n).toBe(0);
    await report(now, new Map([[gateway.radiators[0]!.serial, [{ at: "2031-03-15T11:59:00Z", roomTempC: 20, setpointC: 20, powerW: 300, energyCounterWh: 1, coresActive: 1, coresWanted: 1 }]]]));
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from telemetry_readings_203103`);
    expect(row!.n).toBe(1);
    // Another process's retention drops it while this one has it cached: the next report still lands.
    await db.execute(sql`drop table telemetry_readings_203103`);
    await report(now, new Map([[gateway.radiators[0]!.serial, [{ at: "2031-03-15T11:59:30Z", roomTempC: 20, setpointC: 20, powerW: 300, energyCounterWh: 2, coresActive: 1, coresWanted: 1 }]]]));
    const [again] = await db.execute<{ n: number }>(sql`select count(*)::int as n from telemetry_readings_203103`);
    expect(again!.n).toBe(1);
    await db.execute(sql`drop table telemetry_readings_203103`);
    await resetEngine(db);
    seq = 0;
  });
});

describe("a year of history", () => {
  const yearFrom = Date.UTC(2025, 0, 1); // midnight UTC, 01:00 in Paris: all of it in Paris's 2025
  const yearTo = Date.UTC(2025, 11, 31, 20);
  const STEP_MS = 2 * HOUR_MS;

  beforeAll(async () => {
    await fill(yearFrom, yearTo, STEP_MS);
    await rollUpTelemetryDays(db);
  }, 120_000);

  /** What the raw readings of the room say. */
  async function rawTotals() {
    const [row] = await db.execute<{ readings: number; energyWh: number }>(sql`
      with r as (
        select radiator_id, count(*) as n, max(energy_counter_wh) - min(energy_counter_wh) as wh
        from telemetry_readings where radiator_id in (select id from radiators where room_id = ${home.roomId})
          and recorded_at >= '2025-01-01' and recorded_at < '2026-01-01'
        group by 1
      )
      select coalesce(sum(n), 0)::int as readings, coalesce(sum(wh), 0)::int as "energyWh" from r`);
    return row!;
  }

  it("rolls days up from hours: the year's rollups answer the raw readings' totals", async () => {
    const raw = await rawTotals();
    expect(raw.readings).toBeGreaterThan(4000);
    const year = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "year", anchor: "2025-06-01" });
    expect(year).toMatchObject({ startDate: "2025-01-01", endDate: "2026-01-01", previousAnchor: "2024-01-01", nextAnchor: "2026-01-01", resolution: "day", timeZone: "Europe/Paris" });
    expect(year.points).toHaveLength(365);
    expect(year.totals.readingCount).toBe(raw.readings);
    expect(year.totals.energyWh).toBe(raw.energyWh);
    expect(year.points.reduce((a, p) => a + p.energyWh, 0)).toBe(raw.energyWh);
    // The metering read side, from the hourly rollups, agrees day by day.
    const metered = await radiatorEnergy(db, { dwellingId: home.dwellingId }, { kind: "room", roomId: home.roomId }, { from: year.start, to: year.end, bucket: "day" });
    expect(metered!.total.energyWh).toBe(raw.energyWh);
    expect(metered!.buckets.map((b) => b.energyWh)).toEqual(year.energyByDay.map((d) => d.energyWh));
    // Winter heats more than summer.
    const january = year.points.slice(0, 31);
    const july = year.points.slice(181, 212);
    expect(Math.min(...january.map((p) => p.heatingShare!))).toBeGreaterThan(Math.max(...july.map((p) => p.heatingShare!)));
    expect(year.totals.targetTempC).toBe(20);
  });

  it("answers a month day by day, a week and a day hour by hour, in local time", async () => {
    const month = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "month", anchor: "2025-03-30" });
    expect(month.points).toHaveLength(31);
    expect(month.energyByDay).toHaveLength(31);
    expect(month.points.map((p) => p.energyWh)).toEqual(month.energyByDay.map((d) => d.energyWh));
    // The spring change: a 23-hour day.
    const day = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "day", anchor: "2025-03-30" });
    expect(day.points).toHaveLength(23);
    expect(day.points[0]!.label).toBe("2025-03-30T00:00");
    expect(day.points[2]!.label).toBe("2025-03-30T03:00");
    expect(day.totals.energyWh).toBe(month.points[29]!.energyWh);
    const week = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "week", anchor: "2025-03-30" });
    expect(week).toMatchObject({ startDate: "2025-03-24", endDate: "2025-03-31", resolution: "hour" });
    expect(week.points).toHaveLength(7 * 24 - 1);
    expect(week.energyByDay.map((d) => d.day)).toEqual(["2025-03-24", "2025-03-25", "2025-03-26", "2025-03-27", "2025-03-28", "2025-03-29", "2025-03-30"]);
    expect(week.points.filter((p) => p.roomTempC !== null).length).toBeGreaterThan(80);
  });

  it("shows the site's imported outdoor temperatures", async () => {
    const observations = Array.from({ length: 48 }, (_, h) => ({ hourStartMs: Date.UTC(2025, 1, 9, 23) + h * HOUR_MS, tempC: h < 24 ? 2 : 4 }));
    const csv = formatOutdoorCsv({ number: "75114001", name: "PARIS-MONTSOURIS", lat: 48.82, lon: 2.34, altitudeM: 75 }, observations);
    expect(await importOutdoorTemperatures(db, home.siteId, csv)).toMatchObject({ inserted: 48, updated: 0, refused: [], station: "75114001" });
    const day = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "day", anchor: "2025-02-10" });
    expect(day.points.map((p) => p.outdoorTempC)).toEqual(Array(24).fill(2));
    const month = await roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range: "month", anchor: "2025-02-10" });
    expect(month.points[9]!.outdoorTempC).toBe(2);
    expect(month.points[10]!.outdoorTempC).toBe(4);
    expect(month.points[11]!.outdoorTempC).toBeNull();
    // Again: the same hours are replaced, not added.
    expect(await importOutdoorTemperatures(db, home.siteId, csv)).toMatchObject({ inserted: 0, updated: 48 });
  });

  it("keeps every history view's answer when the old raw partitions are dropped", async () => {
    const views = async () =>
      Promise.all(
        (["day", "week", "month", "year"] as const).map((range) =>
          roomHistory(db, { dwellingId: home.dwellingId, roomId: home.roomId, range, anchor: "2025-11-12" }),
        ),
      );
    const before = await views();
    const dropped = await dropExpiredTelemetryPartitions(db, { retentionDays: 60 });
    expect(dropped).toEqual(expect.arrayContaining(["telemetry_readings_202501", "telemetry_readings_202512"]));
    // This month's partition stays.
    const current = new Date().toISOString().slice(0, 7).replace("-", "");
    expect(dropped).not.toContain(`telemetry_readings_${current}`);
    expect((await rawTotals()).readings).toBe(0);
    expect(await views()).toEqual(before);
    // The dropped months take new readings again should a late report bring some.
    await fill(Date.UTC(2025, 11, 31, 20), Date.UTC(2025, 11, 31, 22), STEP_MS);
    expect((await rawTotals()).readings).toBeGreaterThan(0);
  });
});

describe("history.room and history.importOutdoor", () => {
  it("refuses a bad anchor naming it, and another dwelling's room as not found", async () => {
    const resident = await callerAs(db, "resident@hearth.test");
    const [link] = await db.select({ dwellingId: residents.dwellingId }).from(residents).where(eq(residents.userId, await userIdByEmail(db, "resident@hearth.test")));
    const [own] = await db.select({ id: rooms.id }).from(rooms).where(eq(rooms.dwellingId, link!.dwellingId)).limit(1);
    const bad = await resident.history.room({ roomId: own!.id, range: "day", anchor: "2025-02-30" }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(TRPCError);
    expect((bad as TRPCError).code).toBe("BAD_REQUEST");
    expect((bad as TRPCError).message).toMatch(/anchor/);
    await expect(roomHistory(db, { dwellingId: link!.dwellingId, roomId: own!.id, range: "day", anchor: "12/05/2026" })).rejects.toMatchObject({
      field: "anchor",
    });
    // A-204 is the first resident's; the second resident lives elsewhere.
    expect(link!.dwellingId).toBe(home.dwellingId);
    const neighbour = await callerAs(db, "resident2@hearth.test");
    await expect(neighbour.history.room({ roomId: home.roomId, range: "year", anchor: "2025-01-01" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(roomHistory(db, { dwellingId: home.dwellingId, roomId: crypto.randomUUID(), range: "day", anchor: "2025-01-01" })).rejects.toBeInstanceOf(NotFoundError);
  });

  it("refuses a bad file naming its line, and writes nothing of it", async () => {
    const staff = await callerAs(db, "staff@hearth.test");
    const csv = ["NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;T", "99999001;X;1;2;3;2024010100;1,5", "99999001;X;1;2;3;2024010101;chaud"].join("\n");
    const error = await staff.history.importOutdoor({ siteId: home.siteId, csv }).catch((e: unknown) => e);
    expect((error as TRPCError).code).toBe("BAD_REQUEST");
    expect((error as TRPCError).message).toMatch(/^Line 3: the temperature "chaud" is not a number/);
    await expect(importOutdoorTemperatures(db, home.siteId, csv)).rejects.toBeInstanceOf(InvalidInputError);
    const [row] = await db.execute<{ n: number }>(sql`select count(*)::int as n from outdoor_temperatures where source = 'meteo-france:99999001'`);
    expect(row!.n).toBe(0);
    await expect(staff.history.importOutdoor({ siteId: crypto.randomUUID(), csv: "NUM_POSTE;AAAAMMJJHH;T\n1;2024010100;1" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    // Hours without a value are listed, the rest imported.
    const gappy = ["NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;T", "99999002;X;1;2;3;2024010100;", "99999002;X;1;2;3;2024010101;-2.5"].join("\n");
    expect(await staff.history.importOutdoor({ siteId: home.siteId, csv: gappy })).toMatchObject({ inserted: 1, refused: [{ line: 2 }] });
  });
});
