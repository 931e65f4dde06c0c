import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { handleReport } from "@/server/device/report";
import { PROTOCOL_VERSION } from "@/server/device/protocol";
import { dropRefundDwelling, enrol, gatewayHours, makeRefundDwelling, radiatorHours, type RefundDwelling } from "@/server/test/refund-fixtures";
import { useTestDb } from "@/server/test/db";
import { addTariffVersion, closeDueMonth, closeSimulatedHistory, listClosedMonths, listStatements, markPaid, previewClose, runClose } from "./refunds";
import { InvalidInputError } from "./errors";

/**
 * The close against the real database, on a Brussels flat of its own (tariffs of country BE are
 * the test's): statements to the cent, closing twice, a late reading, payments.
 */
const db = useTestDb();
const SOURCE = "REFUNDTEST tariffs";
const NOW = new Date("2026-05-04T08:00:00Z");
let d: RefundDwelling;
const closeIds: number[] = [];

async function statementRows(month: string) {
  const rows = await db.execute<{ row: Record<string, unknown> }>(sql`
    select to_jsonb(s) || jsonb_build_object('lines', (select jsonb_agg(l order by l.position) from refund_statement_lines l where l.statement_id = s.id)) as row
    from refund_statements s where s.dwelling_id = ${d.dwellingId} and s.month = ${month}::date`);
  return rows.map((r) => r.row);
}

async function close(month: string, now = NOW) {
  const result = await runClose(db, { month, userId: null }, now);
  closeIds.push(result.closeId);
  return result;
}

beforeAll(async () => {
  d = await makeRefundDwelling(db, "REFUNDTEST");
  await enrol(db, d.dwellingId, new Date("2026-02-15T10:00:00Z"));
  await addTariffVersion(db, { country: "BE", option: "base-6kva", label: "Test 0.20", effectiveFrom: "2026-01-01", priceMicroEurosPerKWh: 200_000, source: SOURCE, userId: null });
  await addTariffVersion(db, { country: "BE", option: "base-6kva", label: "Test 0.25", effectiveFrom: "2026-03-16", priceMicroEurosPerKWh: 250_000, source: SOURCE, userId: null });
  // Brussels: March starts at 2026-02-28T23:00Z; the change at 2026-03-15T23:00Z; April at 2026-03-31T22:00Z.
  await radiatorHours(db, d.radiatorA, [
    { at: "2026-02-28T20:00:00Z", energyWh: 100, first: 900, last: 1_000 },
    { at: "2026-03-05T10:00:00Z", energyWh: 20_000, first: 1_100, last: 21_000 },
    { at: "2026-03-10T10:00:00Z", energyWh: 30_000, first: 21_100, last: 51_000 },
    // The counter restarted: 500 Wh up to 51,500, then 8,500 since 0.
    { at: "2026-03-20T10:00:00Z", energyWh: 9_000, first: 51_500, last: 8_500, restarts: 1 },
  ]);
  // The replacement radiator of the bedroom, from the 25th: its first reading only sets its meter.
  await radiatorHours(db, d.radiatorB, [
    { at: "2026-03-25T10:00:00Z", energyWh: 0, first: 0, last: 0, readings: 1 },
    { at: "2026-03-26T10:00:00Z", energyWh: 4_321, first: 2_000, last: 4_321 },
  ]);
  await gatewayHours(db, d.gatewayId, [
    { at: "2026-03-02T00:00:00Z", energyWh: 0, first: 100, last: 100 },
    { at: "2026-03-31T12:00:00Z", energyWh: 3_600, first: 3_700, last: 3_700 },
  ]);
});

afterAll(async () => {
  if (d) await dropRefundDwelling(db, d, { tariffSource: SOURCE, closeIds });
});

describe("the close", () => {
  it("previews the month: totals, counts and what needs a look", async () => {
    const preview = await previewClose(db, { month: "2026-03-01" }, NOW);
    const anomalies = preview.anomalies.filter((a) => a.dwellingId === d.dwellingId);
    expect(anomalies.map((a) => [a.kind, a.serial])).toEqual(
      expect.arrayContaining([
        ["silent", "QRAD-REFUNDTEST-A"],
        ["meter-reset", "QRAD-REFUNDTEST-A"],
        ["silent", "QRAD-REFUNDTEST-B"],
      ]),
    );
    expect(preview.dwellings).toBeGreaterThanOrEqual(1);
    expect(preview.amountCents).toBeGreaterThanOrEqual(1423);
  });

  it("refuses a month that has not ended, naming the month", async () => {
    await expect(runClose(db, { month: "2026-05-01", userId: null }, NOW)).rejects.toMatchObject({ field: "month" });
  });

  it("writes the statement to the cent: lines per radiator, gateway and tariff period", async () => {
    const result = await close("2026-03-01");
    expect(result.statementsWritten).toBeGreaterThanOrEqual(1);
    const [statement] = await statementRows("2026-03-01");
    const lines = statement!.lines as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.kind, l.device_serial, l.meter_start_wh, l.meter_end_wh, l.energy_wh, l.price_micro_euros_per_kwh, l.amount_cents])).toEqual([
      ["radiator", "QRAD-REFUNDTEST-B", 0, 4_321, 4_321, 250_000, 108], // Chambre: 1.08025 €
      ["radiator", "QRAD-REFUNDTEST-A", 1_000, 51_000, 50_000, 200_000, 1000], // Séjour, to the 15th: 10.00 €
      ["radiator", "QRAD-REFUNDTEST-A", 51_000, 8_500, 9_000, 250_000, 225], // from the 16th, across a restart: 2.25 €
      ["gateway", "GW-REFUNDTEST", 100, 100, 0, 200_000, 0],
      ["gateway", "GW-REFUNDTEST", 100, 3_700, 3_600, 250_000, 90],
    ]);
    // Room names are kept as they are, quotes, commas and backslashes included.
    expect(lines[0]).toMatchObject({ room_name: String.raw`Chambre "bleue", côté cour \ nord` });
    expect(lines[1]).toMatchObject({ period_start: "2026-02-28T23:00:00+00:00", period_end: "2026-03-15T23:00:00+00:00", energy_month: "2026-03-01" });
    expect(statement).toMatchObject({ energy_wh: 66_921, amount_cents: 1423 });
  });

  it("closing again writes nothing and leaves the statement byte for byte", async () => {
    const before = JSON.stringify(await statementRows("2026-03-01"));
    const again = await close("2026-03-01");
    expect(again.statementsWritten).toBe(0);
    expect(again.statementsAlreadyClosed).toBeGreaterThanOrEqual(1);
    expect(JSON.stringify(await statementRows("2026-03-01"))).toBe(before);
  });

  it("puts energy metered after the close on the next statement, never rewriting the closed one", async () => {
    const before = JSON.stringify(await statementRows("2026-03-01"));
    // The gateway was offline: the bedroom's last March readings arrive in April.
    await radiatorHours(db, d.radiatorB, [{ at: "2026-03-31T20:00:00Z", energyWh: 700, first: 4_500, last: 5_021 }]);
    await radiatorHours(db, d.radiatorB, [{ at: "2026-04-10T10:00:00Z", energyWh: 1_000, first: 5_100, last: 6_021 }]);
    await close("2026-04-01");
    expect(JSON.stringify(await statementRows("2026-03-01"))).toBe(before);
    const [april] = await statementRows("2026-04-01");
    const lines = april!.lines as Array<Record<string, unknown>>;
    expect(lines.map((l) => [l.kind, l.device_serial, l.energy_month, l.meter_start_wh, l.meter_end_wh, l.energy_wh, l.amount_cents])).toEqual([
      ["radiator", "QRAD-REFUNDTEST-B", "2026-04-01", 5_021, 6_021, 1_000, 25],
      ["adjustment", "QRAD-REFUNDTEST-B", "2026-03-01", null, null, 700, 18], // 0.7 kWh at March's 0.25 € = 0.175 €
    ]);
    expect(april).toMatchObject({ energy_wh: 1_700, amount_cents: 43 });
    // And once stated, the late energy is not stated again.
    const may = await previewClose(db, { month: "2026-05-01" }, new Date("2026-06-04T00:00:00Z"));
    expect(may.anomalies.filter((a) => a.dwellingId === d.dwellingId).map((a) => a.kind)).toContain("no-readings");
  });

  it("pays each statement once: a second markPaid pays nothing", async () => {
    const [statement] = await statementRows("2026-03-01");
    const id = statement!.id as string;
    expect(await markPaid(db, { statementIds: [id], reference: "VIR-2026-04-0001", paidOn: "2026-04-08", userId: null })).toEqual({ paid: 1, alreadyPaid: 0 });
    expect(await markPaid(db, { statementIds: [id], reference: "VIR-2026-04-0002", paidOn: "2026-04-09", userId: null })).toEqual({ paid: 0, alreadyPaid: 1 });
    const payments = await db.execute<{ amount_cents: number; reference: string }>(sql`select amount_cents::int, reference from refund_payments where statement_id = ${id}`);
    expect(payments).toEqual([expect.objectContaining({ amount_cents: 1423, reference: "VIR-2026-04-0001" })]);
    const listed = (await listStatements(db, { month: "2026-03-01" })).find((s) => s.dwellingId === d.dwellingId);
    expect(listed).toMatchObject({ amountCents: 1423, ibanMasked: "FR76 •••• •••• •••• 0189", holderName: "Camille Martin", paidOn: "2026-04-08", reference: "VIR-2026-04-0001" });
    const months = await listClosedMonths(db);
    expect(months.find((m) => m.month === "2026-03-01")).toMatchObject({ paidStatements: expect.any(Number), closedAt: expect.any(Date) });
  });

  it("refuses a tariff starting inside a closed month, naming the date, and writes nothing", async () => {
    const count = async () => (await db.execute(sql`select 1 from tariff_versions where source = ${SOURCE}`)).length;
    const before = await count();
    const refused = addTariffVersion(db, { country: "BE", option: "base-6kva", label: "Late", effectiveFrom: "2026-04-20", priceMicroEurosPerKWh: 210_000, source: SOURCE, userId: null });
    await expect(refused).rejects.toBeInstanceOf(InvalidInputError);
    await expect(refused).rejects.toMatchObject({ field: "effectiveFrom" });
    await expect(
      addTariffVersion(db, { country: "BE", option: "base-6kva", label: "Negative", effectiveFrom: "2026-06-01", priceMicroEurosPerKWh: -1, source: SOURCE, userId: null }),
    ).rejects.toMatchObject({ field: "priceMicroEurosPerKWh" });
    expect(await count()).toBe(before);
    // The month after the last closed one is open.
    await expect(
      addTariffVersion(db, { country: "BE", option: "base-6kva", label: "Next", effectiveFrom: "2026-05-01", priceMicroEurosPerKWh: 210_000, source: SOURCE, userId: null }),
    ).resolves.toEqual({ id: expect.any(Number) });
  });

  it("the engine closes the previous month from the 3rd, once", async () => {
    expect(await closeDueMonth(db, new Date("2026-06-02T12:00:00Z"))).toBeNull();
    const due = await closeDueMonth(db, new Date("2026-06-03T00:30:00Z"));
    expect(due).toMatchObject({ month: "2026-05-01" });
    closeIds.push(due!.closeId);
    expect(await closeDueMonth(db, new Date("2026-06-03T01:00:00Z"))).toBeNull();
  });

  it("the simulator closes the whole months of its history only", async () => {
    // From mid-June to mid-August: July alone is whole.
    const closed = await closeSimulatedHistory(db, { fromMs: Date.parse("2026-06-14T00:00:00Z"), toMs: Date.parse("2026-08-14T00:00:00Z") }, new Date("2026-08-14T00:00:00Z"));
    closeIds.push(...closed.map((c) => c.closeId));
    expect(closed.map((c) => c.month)).toEqual(["2026-07-01"]);
  });
});

describe("the report handler keeps what the close reads", () => {
  it("the counter at each hour's edges, its restarts, and the gateway's own meter", async () => {
    const at = (minute: number) => new Date(Date.parse("2026-04-30T10:00:00Z") + minute * 60_000).toISOString();
    const reading = (minute: number, counter: number) => ({ at: at(minute), roomTempC: 20, setpointC: 20, powerW: 300, energyCounterWh: counter, coresActive: 0, coresWanted: 0 });
    const report = (seq: number, sentMinute: number, gatewayWh: number, readings: ReturnType<typeof reading>[]) =>
      handleReport(
        db,
        d.gatewayId,
        {
          protocolVersion: PROTOCOL_VERSION,
          seq,
          sentAt: at(sentMinute),
          gatewayEnergyCounterWh: gatewayWh,
          radiators: [{ serial: "QRAD-REFUNDTEST-A", readings }],
          events: [],
        },
        new Date(at(sentMinute)),
      );
    await report(1, 21, 10_000, [reading(0, 60_000), reading(10, 60_050), reading(20, 60_100)]);
    // A power cut: the counter restarts at 0.
    await report(2, 41, 10_002, [reading(30, 20), reading(40, 70)]);
    await report(2, 41, 10_002, [reading(30, 20), reading(40, 70)]); // the same report again: counted once
    const [hour] = await db.execute<{ energy_wh: number; first_counter_wh: number; last_counter_wh: number; counter_restarts: number }>(sql`
      select energy_wh::int, first_counter_wh::int, last_counter_wh::int, counter_restarts from telemetry_hourly
      where radiator_id = ${d.radiatorA} and hour_start = '2026-04-30T10:00:00Z'`);
    expect(hour).toEqual({ energy_wh: 50 + 50 + 20 + 50, first_counter_wh: 60_000, last_counter_wh: 70, counter_restarts: 1 });
    const [gateway] = await db.execute<{ energy_wh: number; first_counter_wh: number; last_counter_wh: number; reading_count: number }>(sql`
      select energy_wh::int, first_counter_wh::int, last_counter_wh::int, reading_count from gateway_hourly
      where gateway_id = ${d.gatewayId} and hour_start = '2026-04-30T10:00:00Z'`);
    // From the gateway's last reading in March (3,700 Wh), then 2 Wh more.
    expect(gateway).toEqual({ energy_wh: 6_300 + 2, first_counter_wh: 10_000, last_counter_wh: 10_002, reading_count: 2 });
  });
});
