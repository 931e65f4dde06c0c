import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TRPCError } from "@trpc/server";
import { ZodError } from "zod";
import { callerAs, useTestDb } from "@/server/test/db";
import { dropRefundDwelling, enrol, makeRefundDwelling, radiatorHours, type RefundDwelling } from "@/server/test/refund-fixtures";
import { fieldErrorsOf } from "../trpc";

/** The refunds router: staff only, inputs refused naming their field, nothing written on a refusal. */
const db = useTestDb();
const SOURCE = "REFUNDROUTER tariffs";
let d: RefundDwelling;
const closeIds: number[] = [];

async function refusalOf(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}
const fieldsOf = (error: TRPCError) => (error.cause instanceof ZodError ? Object.keys(fieldErrorsOf(error.cause)) : []);
const tariffCount = async () => (await db.execute(sql`select 1 from tariff_versions where source = ${SOURCE}`)).length;
const tariff = (effectiveFrom: string, priceMicroEurosPerKWh: number) => ({
  country: "BE",
  option: "base-6kva",
  label: "Tarif test",
  effectiveFrom,
  priceMicroEurosPerKWh,
  source: SOURCE,
});

beforeAll(async () => {
  d = await makeRefundDwelling(db, "REFUNDROUTER");
  await enrol(db, d.dwellingId, new Date("2025-12-31T23:00:00Z"));
  await radiatorHours(db, d.radiatorA, [{ at: "2026-01-10T10:00:00Z", energyWh: 12_345, first: 1_000, last: 13_345 }]);
});
afterAll(async () => {
  if (d) await dropRefundDwelling(db, d, { tariffSource: SOURCE, closeIds });
});

describe("refunds router", () => {
  it("refuses every audience but staff", async () => {
    for (const email of ["resident@hearth.test", "landlord@hearth.test", "customer@hearth.test"]) {
      const api = await callerAs(db, email);
      expect((await refusalOf(api.refunds.months())).code).toBe("FORBIDDEN");
      expect((await refusalOf(api.refunds.runClose({ month: "2026-01-01" }))).code).toBe("FORBIDDEN");
      expect((await refusalOf(api.refunds.addTariff(tariff("2027-01-01", 200_000)))).code).toBe("FORBIDDEN");
    }
    expect((await refusalOf((await callerAs(db, null)).refunds.tariffs())).code).toBe("UNAUTHORIZED");
    expect(await tariffCount()).toBe(0);
  });

  it("closes a month for staff and pays it once", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    await api.refunds.addTariff(tariff("2026-01-01", 200_000));
    const preview = await api.refunds.preview({ month: "2026-01-01" });
    expect(preview.anomalies).toEqual(expect.arrayContaining([expect.objectContaining({ kind: "silent", dwellingId: d.dwellingId, serial: "QRAD-REFUNDROUTER-A" })]));
    const closed = await api.refunds.runClose({ month: "2026-01-01" });
    closeIds.push(closed.closeId);
    const mine = (await api.refunds.statements({ month: "2026-01-01" })).find((s) => s.dwellingId === d.dwellingId)!;
    // 12,345 Wh at 0.20 € = 2.469 € → 2.47 €.
    expect(mine).toMatchObject({ energyWh: 12_345, amountCents: 247, dwellingLabel: "REFUNDROUTER-1", paidOn: null });
    expect(await api.refunds.markPaid({ statementIds: [mine.id], reference: "VIR-1", paidOn: "2026-02-05" })).toEqual({ paid: 1, alreadyPaid: 0 });
    expect(await api.refunds.markPaid({ statementIds: [mine.id], reference: "VIR-1", paidOn: "2026-02-05" })).toEqual({ paid: 0, alreadyPaid: 1 });
    const tariffs = await api.refunds.tariffs();
    expect(tariffs.find((t) => t.source === SOURCE)).toMatchObject({ usedByClosedMonth: true, effectiveFrom: "2026-01-01" });
  });

  it("answers BAD_REQUEST naming the field, and writes nothing", async () => {
    const api = await callerAs(db, "staff@hearth.test");
    const before = await tariffCount();
    const negative = await refusalOf(api.refunds.addTariff(tariff("2027-01-01", -194_000)));
    expect(negative.code).toBe("BAD_REQUEST");
    expect(fieldsOf(negative)).toEqual(["priceMicroEurosPerKWh"]);
    // January 2026 is closed for BE: a price cannot start in it, nor before it.
    for (const date of ["2026-01-20", "2025-12-01"]) {
      const closed = await refusalOf(api.refunds.addTariff(tariff(date, 210_000)));
      expect(closed.code).toBe("BAD_REQUEST");
      expect(fieldsOf(closed)).toEqual(["effectiveFrom"]);
    }
    expect(await tariffCount()).toBe(before);

    const month = await refusalOf(api.refunds.runClose({ month: "2026-01-15" }));
    expect([month.code, fieldsOf(month)]).toEqual(["BAD_REQUEST", ["month"]]);
    const notOver = await refusalOf(api.refunds.runClose({ month: "2099-01-01" }));
    expect([notOver.code, fieldsOf(notOver)]).toEqual(["BAD_REQUEST", ["month"]]);
    const paidOn = await refusalOf(api.refunds.markPaid({ statementIds: [d.dwellingId], reference: "VIR-2", paidOn: "05/02/2026" }));
    expect([paidOn.code, fieldsOf(paidOn)]).toEqual(["BAD_REQUEST", ["paidOn"]]);
    // An unknown statement is not found, and pays nothing.
    expect((await refusalOf(api.refunds.markPaid({ statementIds: [d.dwellingId], reference: "VIR-2", paidOn: "2026-02-05" }))).code).toBe("NOT_FOUND");
  });
});
