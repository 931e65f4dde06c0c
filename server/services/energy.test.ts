import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dwellings, radiators, rooms } from "@/server/db/schema";
import { MeteredGateway } from "@/server/test/metered-gateway";
import { organizationIdByName, resetEngine, useTestDb } from "@/server/test/db";
import { radiatorEnergy, workEnergy, type EnergyAnswer, type RadiatorEnergyTotals } from "./energy";
import { InvalidInputError } from "./errors";
import { createTask } from "./tasks";

const db = useTestDb();
const HOUR_MS = 3_600_000;
const at = (iso: string) => new Date(iso);
const STAFF = { staff: true } as const;

// The resident's flat (A-204, three radiators, one gateway) in Paris; a flat of another landlord in Bordeaux.
let gateway: MeteredGateway;
let lumen: string;
let carmin: string;
let parisLandlord: string;
let girondeLandlord: string;
let home: { dwellingId: string; buildingId: string; roomId: string };
let elsewhere: { dwellingId: string; buildingId: string; radiatorId: string };
let neighbourRadiatorId: string;

async function dwellingByLabel(label: string) {
  const [row] = await db.select({ id: dwellings.id, buildingId: dwellings.buildingId }).from(dwellings).where(eq(dwellings.label, label));
  return row!;
}

async function radiatorOf(dwellingLabel: string) {
  const [row] = await db
    .select({ id: radiators.id, roomId: radiators.roomId })
    .from(radiators)
    .innerJoin(rooms, eq(rooms.id, radiators.roomId))
    .innerJoin(dwellings, eq(dwellings.id, rooms.dwellingId))
    .where(eq(dwellings.label, dwellingLabel))
    .orderBy(radiators.serial)
    .limit(1);
  return row!;
}

beforeAll(async () => {
  gateway = await MeteredGateway.load(db, "QBOX-PAR-A-204");
  lumen = await organizationIdByName(db, "Lumen Animation Studio");
  carmin = await organizationIdByName(db, "Carmin Risk Analytics");
  parisLandlord = await organizationIdByName(db, "Paris Habitat Ouest");
  girondeLandlord = await organizationIdByName(db, "Gironde Logis");
  const a204 = await dwellingByLabel("A-204");
  home = { dwellingId: a204.id, buildingId: a204.buildingId, roomId: (await radiatorOf("A-204")).roomId };
  const q305 = await dwellingByLabel("Q-305");
  elsewhere = { dwellingId: q305.id, buildingId: q305.buildingId, radiatorId: (await radiatorOf("Q-305")).id };
  neighbourRadiatorId = (await radiatorOf("A-209")).id;
});

afterAll(async () => {
  await resetEngine(db);
  await gateway.forget();
});

const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/** The ledger plus idle energy is the meter: for the total and for every bucket. */
function expectReconciled(answer: EnergyAnswer<RadiatorEnergyTotals>) {
  expect(answer.total.computeEnergyWh + answer.total.idleEnergyWh).toBe(answer.total.energyWh);
  for (const b of answer.buckets) expect(b.computeEnergyWh + b.idleEnergyWh, b.start.toISOString()).toBe(b.energyWh);
  for (const key of ["energyWh", "computeEnergyWh", "idleEnergyWh", "computeCoreSeconds", "idleCoreSeconds"] as const) {
    if (answer.buckets.length > 0) expect(sum(answer.buckets.map((b) => b[key])), key).toBe(answer.total[key]);
  }
}

describe("energy of work driven through the report handler", () => {
  // Five hours of a January morning: two customers' work on the flat's radiators, 5-minute readings.
  const from = at("2026-01-15T06:00:00Z");
  const to = at("2026-01-15T10:55:00Z"); // the last reading
  const range = { from, to: at("2026-01-15T12:00:00Z") };
  // Radiator i draws a little more each hour, and each its own.
  const whPerStep = (i: number, atMs: number) => 30 + 4 * i + Math.floor((atMs - from.getTime()) / HOUR_MS);
  let lumenTask: string;
  let carminTask: string;

  beforeAll(async () => {
    await resetEngine(db);
    gateway.reset();
    lumenTask = (await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "mc", instanceCount: 9, now: from })).id;
    carminTask = (await createTask(db, { organizationId: carmin, profileName: "monte-carlo", name: "risk", instanceCount: 5, now: from })).id;
    // The work is offered in the first answer, starts at the next report and runs 70 minutes.
    await gateway.run({ from, to, stepS: 300, cores: 4, whPerStep, runS: 70 * 60 });
  });

  it("reconciles each radiator's meter with the ledger and its idle energy, hour by hour", async () => {
    let computeWh = 0;
    for (const [i, radiator] of gateway.radiators.entries()) {
      const answer = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId: radiator.id }, { ...range, bucket: "hour" });
      expectReconciled(answer!);
      // What the radiator drew: every step after the first reading.
      let expected = 0;
      for (let t = from.getTime() + 300_000; t <= to.getTime(); t += 300_000) expected += whPerStep(i, t);
      expect(answer!.total.energyWh).toBe(expected);
      expect(answer!.buckets).toHaveLength(6);
      expect(answer!.buckets[0]!.start).toEqual(from);
      expect(answer!.buckets[5]).toMatchObject({ energyWh: 0, computeEnergyWh: 0, idleEnergyWh: 0 });
      computeWh += answer!.total.computeEnergyWh;
    }
    // Work ran, and did not take the whole meter (4 cores wanted per radiator, work on fewer).
    expect(computeWh).toBeGreaterThan(0);

    // The ledger, customer by customer, is the radiators' compute energy.
    const byCustomer = await Promise.all(
      [lumen, carmin].map((organizationId) => workEnergy(db, { organizationId }, { kind: "organization", organizationId }, range)),
    );
    for (const answer of byCustomer) expect(answer!.total.energyWh).toBeGreaterThan(0);
    expect(sum(byCustomer.map((a) => a!.total.energyWh))).toBe(computeWh);
  });

  it("sums places: radiators make the dwelling, which is all its building and its landlord metered", async () => {
    const radiatorsOfHome = await Promise.all(
      gateway.radiators.map((r) => radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId: r.id }, range)),
    );
    const dwelling = await radiatorEnergy(db, STAFF, { kind: "dwelling", dwellingId: home.dwellingId }, { ...range, bucket: "day" });
    expectReconciled(dwelling!);
    for (const key of ["energyWh", "computeEnergyWh", "idleEnergyWh", "computeCoreSeconds", "idleCoreSeconds"] as const) {
      expect(dwelling!.total[key], key).toBe(sum(radiatorsOfHome.map((a) => a!.total[key])));
    }
    // Only this flat reported.
    const building = await radiatorEnergy(db, { organizationId: parisLandlord }, { kind: "building", buildingId: home.buildingId }, range);
    const landlord = await radiatorEnergy(db, { organizationId: parisLandlord }, { kind: "organization", organizationId: parisLandlord }, range);
    expect(building!.total).toEqual(dwelling!.total);
    expect(landlord!.total).toEqual(dwelling!.total);
    const other = await radiatorEnergy(db, { organizationId: girondeLandlord }, { kind: "organization", organizationId: girondeLandlord }, range);
    expect(other!.total.energyWh).toBe(0);
    // One room's share is part of the flat's.
    const room = await radiatorEnergy(db, { dwellingId: home.dwellingId }, { kind: "room", roomId: home.roomId }, range);
    expect(room!.total.energyWh).toBeGreaterThan(0);
    expect(room!.total.energyWh).toBeLessThan(dwelling!.total.energyWh);
    // A day bucket in the site's zone (Paris, UTC+1 in January).
    expect(dwelling!.timeZone).toBe("Europe/Paris");
    expect(dwelling!.buckets).toEqual([
      expect.objectContaining({ start: at("2026-01-14T23:00:00Z"), end: at("2026-01-15T23:00:00Z"), energyWh: dwelling!.total.energyWh }),
    ]);
  });

  it("sums work: instances make the task, tasks the customer; the ledger agrees with the attempts' meters", async () => {
    const scope = { organizationId: lumen };
    const task = await workEnergy(db, scope, { kind: "task", taskId: lumenTask }, range);
    const instances = await Promise.all(
      Array.from({ length: 9 }, (_, n) => workEnergy(db, scope, { kind: "instance", taskId: lumenTask, instanceNumber: n }, range)),
    );
    expect(task!.total.energyWh).toBeGreaterThan(0);
    expect(sum(instances.map((a) => a!.total.energyWh))).toBe(task!.total.energyWh);
    expect(sum(instances.map((a) => a!.total.coreSeconds))).toBe(task!.total.coreSeconds);
    const customer = await workEnergy(db, scope, { kind: "organization", organizationId: lumen }, range);
    expect(customer!.total).toEqual(task!.total);

    // The handler also keeps running totals on each attempt: the ledger adds up to them.
    const [attempts] = await db.execute<{ energy_wh: number; core_seconds: number }>(sql`
      select sum(a.energy_wh)::int as energy_wh, sum(a.core_seconds)::int as core_seconds
      from instance_attempts a join instances i on i.id = a.instance_id where i.task_id = ${lumenTask}`);
    expect(task!.total).toEqual({ energyWh: attempts!.energy_wh, coreSeconds: attempts!.core_seconds });

    // Hour buckets of the task sum to it, and the hours before its first reading hold nothing.
    const hourly = await workEnergy(db, scope, { kind: "task", taskId: lumenTask }, { ...range, bucket: "hour" });
    expect(sum(hourly!.buckets.map((b) => b.energyWh))).toBe(task!.total.energyWh);
    expect(hourly!.buckets.map((b) => b.start.getTime() - from.getTime())).toEqual([0, 1, 2, 3, 4, 5].map((h) => h * HOUR_MS));
  });

  it("takes the hours that start within [from, to)", async () => {
    const radiatorId = gateway.radiators[0]!.id;
    const hourly = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId }, { ...range, bucket: "hour" });
    const of = (h: number) => hourly!.buckets[h]!.energyWh;
    // From 07:30 to 09:10: the hours of 08:00 and 09:00.
    const part = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId }, { from: at("2026-01-15T07:30:00Z"), to: at("2026-01-15T09:10:00Z"), bucket: "hour" });
    expect(part!.total.energyWh).toBe(of(2) + of(3));
    expect(part!.buckets.map((b) => b.start)).toEqual([at("2026-01-15T08:00:00Z"), at("2026-01-15T09:00:00Z")]);
    // Within one hour, after its start: no hour at all.
    const none = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId }, { from: at("2026-01-15T07:10:00Z"), to: at("2026-01-15T07:50:00Z"), bucket: "day" });
    expect(none).toMatchObject({ total: { energyWh: 0 }, buckets: [] });
  });

  it("answers null for another tenant's subject, never its numbers", async () => {
    const resident = { dwellingId: home.dwellingId };
    const radiatorId = gateway.radiators[0]!.id;
    // The resident: their home, its rooms and radiators; nothing else, not even their building.
    expect(await radiatorEnergy(db, resident, { kind: "dwelling", dwellingId: home.dwellingId }, range)).not.toBeNull();
    expect(await radiatorEnergy(db, resident, { kind: "radiator", radiatorId }, range)).not.toBeNull();
    expect(await radiatorEnergy(db, resident, { kind: "radiator", radiatorId: neighbourRadiatorId }, range)).toBeNull();
    expect(await radiatorEnergy(db, resident, { kind: "dwelling", dwellingId: elsewhere.dwellingId }, range)).toBeNull();
    expect(await radiatorEnergy(db, resident, { kind: "building", buildingId: home.buildingId }, range)).toBeNull();
    expect(await radiatorEnergy(db, resident, { kind: "organization", organizationId: parisLandlord }, range)).toBeNull();
    expect(await radiatorEnergy(db, { dwellingId: elsewhere.dwellingId }, { kind: "radiator", radiatorId }, range)).toBeNull();

    // Another landlord: none of the Paris landlord's places, nor the Paris landlord itself.
    const gironde = { organizationId: girondeLandlord };
    expect(await radiatorEnergy(db, gironde, { kind: "radiator", radiatorId }, range)).toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "room", roomId: home.roomId }, range)).toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "dwelling", dwellingId: home.dwellingId }, range)).toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "building", buildingId: home.buildingId }, range)).toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "organization", organizationId: parisLandlord }, range)).toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "building", buildingId: elsewhere.buildingId }, range)).not.toBeNull();
    expect(await radiatorEnergy(db, gironde, { kind: "radiator", radiatorId: elsewhere.radiatorId }, range)).not.toBeNull();
    // A customer is no landlord of these places.
    expect(await radiatorEnergy(db, { organizationId: lumen }, { kind: "dwelling", dwellingId: home.dwellingId }, range)).toBeNull();

    // Another customer: none of Lumen's work.
    const other = { organizationId: carmin };
    expect(await workEnergy(db, other, { kind: "task", taskId: lumenTask }, range)).toBeNull();
    expect(await workEnergy(db, other, { kind: "instance", taskId: lumenTask, instanceNumber: 0 }, range)).toBeNull();
    expect(await workEnergy(db, other, { kind: "organization", organizationId: lumen }, range)).toBeNull();
    expect(await workEnergy(db, other, { kind: "task", taskId: carminTask }, range)).not.toBeNull();
    // Staff see everything.
    expect(await workEnergy(db, STAFF, { kind: "task", taskId: lumenTask }, range)).not.toBeNull();

    // Unknown or malformed subjects read the same.
    expect(await workEnergy(db, { organizationId: lumen }, { kind: "instance", taskId: lumenTask, instanceNumber: 99 }, range)).toBeNull();
    expect(await workEnergy(db, { organizationId: lumen }, { kind: "task", taskId: "not-a-uuid" }, range)).toBeNull();
    expect(await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId: "00000000-0000-0000-0000-000000000000" }, range)).toBeNull();
  });

  it("refuses a range it cannot answer, naming the field", async () => {
    const subject = { kind: "task", taskId: lumenTask } as const;
    const scope = { organizationId: lumen };
    const field = (p: Promise<unknown>) => p.then(() => null, (e: unknown) => (e instanceof InvalidInputError ? e.field : e));
    expect(await field(workEnergy(db, scope, subject, { from: to, to: from }))).toBe("to");
    expect(await field(workEnergy(db, scope, subject, { from: new Date(Number.NaN), to }))).toBe("from");
    // Work has no site: its days need a zone.
    expect(await field(workEnergy(db, scope, subject, { ...range, bucket: "day" }))).toBe("timeZone");
    expect(await field(workEnergy(db, scope, subject, { ...range, bucket: "day", timeZone: "Europe/Atlantis" }))).toBe("timeZone");
    expect(await field(workEnergy(db, scope, subject, { from: at("2020-01-01T00:00:00Z"), to, bucket: "hour" }))).toBe("bucket");
  });
});

describe("a meter that jumps beyond what its hardware can draw", () => {
  // Two hours of 5-minute readings with work running; at 07:00 radiator 0's counter jumps by
  // 100,000 Wh (a QR-500 draws 500 W: at most 62 Wh in 5 minutes, 64 with the rounding slack).
  const from = at("2026-01-15T06:00:00Z");
  const to = at("2026-01-15T07:55:00Z");
  const range = { from, to: at("2026-01-15T09:00:00Z") };
  const JUMP_MS = at("2026-01-15T07:00:00Z").getTime();
  const whPerStep = (i: number, atMs: number) => (i === 0 && atMs === JUMP_MS ? 100_000 : 25 + i);

  beforeAll(async () => {
    await resetEngine(db);
    gateway.reset();
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "jump", instanceCount: 9, now: from });
    await gateway.run({ from, to, stepS: 300, cores: 4, whPerStep, runS: 40 * 60 });
  });

  it("meters none of the jump, and the reads still reconcile: ledger plus idle is the meter", async () => {
    const steps = (to.getTime() - from.getTime()) / 300_000; // readings after the first
    const jumped = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId: gateway.radiators[0]!.id }, { ...range, bucket: "hour" });
    expectReconciled(jumped!);
    // Every step but the jump, at 25 Wh.
    expect(jumped!.total.energyWh).toBe((steps - 1) * 25);
    expect(jumped!.total.computeEnergyWh).toBeGreaterThan(0);
    const other = await radiatorEnergy(db, STAFF, { kind: "radiator", radiatorId: gateway.radiators[1]!.id }, range);
    expect(other!.total.energyWh).toBe(steps * 26);

    // The customer's work is what the radiators' meters gave it, the jump excluded.
    const dwelling = await radiatorEnergy(db, STAFF, { kind: "dwelling", dwellingId: home.dwellingId }, range);
    expectReconciled(dwelling!);
    const work = await workEnergy(db, { organizationId: lumen }, { kind: "organization", organizationId: lumen }, range);
    expect(work!.total.energyWh).toBe(dwelling!.total.computeEnergyWh);
    expect(work!.total.energyWh).toBeLessThan(dwelling!.total.energyWh);

    // Held apart, for staff to look at.
    const [anomaly] = await db.execute<{ radiator_id: string; delta_wh: number; n: number }>(
      sql`select radiator_id, delta_wh::int, (count(*) over ())::int as n from meter_anomalies`,
    );
    expect(anomaly).toEqual({ radiator_id: gateway.radiators[0]!.id, delta_wh: 100_000, n: 1 });
  });
});

describe("day buckets across daylight-saving changes (Europe/Paris)", () => {
  const WH = 10; // per radiator and 15-minute step: 40 Wh an hour
  const perHour = () => gateway.radiators.length * 4 * WH;

  async function drive(fromIso: string, toIso: string) {
    await resetEngine(db);
    gateway.reset();
    const from = at(fromIso);
    // Work all along, so that the ledger's days are tested as well as the meters'.
    await createTask(db, { organizationId: lumen, profileName: "monte-carlo", name: "night", instanceCount: 60, now: from });
    await gateway.run({ from, to: at(toIso), stepS: 900, cores: 2, whPerStep: () => WH, runS: 2 * 3600 });
  }

  /** The dwelling's and the customer's day buckets: the ledger's days are the meters' compute energy. */
  async function days(fromIso: string, toIso: string) {
    const range = { from: at(fromIso), to: at(toIso), bucket: "day" as const };
    const dwelling = await radiatorEnergy(db, { dwellingId: home.dwellingId }, { kind: "dwelling", dwellingId: home.dwellingId }, range);
    const work = await workEnergy(db, { organizationId: lumen }, { kind: "organization", organizationId: lumen }, { ...range, timeZone: "Europe/Paris" });
    expectReconciled(dwelling!);
    expect(work!.buckets.map((b) => [b.start, b.end, b.energyWh])).toEqual(dwelling!.buckets.map((b) => [b.start, b.end, b.computeEnergyWh]));
    expect(work!.total.energyWh).toBeGreaterThan(0);
    return dwelling!;
  }

  it("counts 23 hours in the day clocks go forward", async () => {
    // Clocks go from 02:00 to 03:00 local on 29 March 2026 (01:00 UTC).
    await drive("2026-03-28T20:00:00Z", "2026-03-30T02:00:00Z");
    const answer = await days("2026-03-27T23:00:00Z", "2026-03-30T22:00:00Z");
    expect(answer.buckets.map((b) => [b.start, b.end])).toEqual([
      [at("2026-03-27T23:00:00Z"), at("2026-03-28T23:00:00Z")],
      [at("2026-03-28T23:00:00Z"), at("2026-03-29T22:00:00Z")],
      [at("2026-03-29T22:00:00Z"), at("2026-03-30T22:00:00Z")],
    ]);
    // 28 March: 20:00 (its first reading only opens the meter: 3 steps), 21:00 and 22:00 UTC.
    // 29 March: 23 hours. 30 March: 22:00 to 01:00 UTC, and the reading of 02:00.
    expect(answer.buckets.map((b) => b.energyWh)).toEqual([(3 + 4 + 4) * perHour() / 4, 23 * perHour(), (4 * 4 + 1) * perHour() / 4]);

    // Hour buckets run straight through the change, UTC hour after UTC hour.
    const hourly = await radiatorEnergy(db, STAFF, { kind: "dwelling", dwellingId: home.dwellingId }, { from: at("2026-03-29T00:00:00Z"), to: at("2026-03-29T03:00:00Z"), bucket: "hour" });
    expect(hourly!.buckets.map((b) => [b.start.toISOString(), b.energyWh])).toEqual([
      ["2026-03-29T00:00:00.000Z", perHour()],
      ["2026-03-29T01:00:00.000Z", perHour()],
      ["2026-03-29T02:00:00.000Z", perHour()],
    ]);
  });

  it("counts 25 hours in the day clocks go back", async () => {
    // Clocks go from 03:00 back to 02:00 local on 25 October 2026 (01:00 UTC).
    await drive("2026-10-24T21:00:00Z", "2026-10-25T23:00:00Z");
    const answer = await days("2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z");
    expect(answer.buckets.map((b) => [b.start, b.end])).toEqual([[at("2026-10-24T22:00:00Z"), at("2026-10-25T23:00:00Z")]]);
    // 22:00 UTC on the 24th to 22:00 UTC on the 25th: 25 whole hours (the hour of 21:00 is the day before).
    expect(answer.total.energyWh).toBe(25 * perHour());
    // The same day read in UTC cuts elsewhere: the zone matters.
    const utc = await radiatorEnergy(db, STAFF, { kind: "dwelling", dwellingId: home.dwellingId }, { from: at("2026-10-24T22:00:00Z"), to: at("2026-10-25T23:00:00Z"), bucket: "day", timeZone: "UTC" });
    expect(utc!.buckets.map((b) => b.start)).toEqual([at("2026-10-24T00:00:00Z"), at("2026-10-25T00:00:00Z")]);
    expect(utc!.total).toEqual(answer.total);
  });
});
