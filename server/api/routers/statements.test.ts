import { TRPCError } from "@trpc/server";
import { asc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ZodError } from "zod";
import { dwellings, rooms } from "@/server/db/schema";
import { STATEMENT_MONTH_MESSAGE } from "@/server/domain/refund-statements";
import { dwellingOfResident } from "@/server/services/home";
import { callerAs, useTestDb, userIdByEmail } from "@/server/test/db";
import { amountCentsOf, RefundFixtures, residentStatements, TEST_DELIVERY_POINT, TEST_HOLDER, TEST_IBAN_MASKED, TEST_IBAN_SEALED } from "@/server/test/statement-fixtures";

import { fieldErrorsOf } from "../trpc";

const db = useTestDb();
const fixtures = new RefundFixtures(db);
let made: Awaited<ReturnType<typeof residentStatements>>;
let neighbours: string[];

async function codeOf(promise: Promise<unknown>) {
  try {
    await promise;
    return "OK";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

beforeAll(async () => {
  const dwellingId = await dwellingOfResident(db, { userId: await userIdByEmail(db, "resident@hearth.test") });
  made = await residentStatements(fixtures, dwellingId);
  // Four neighbours of the same building with a February statement: five in all, the average shows.
  const [home] = await db.select({ buildingId: dwellings.buildingId }).from(dwellings).where(eq(dwellings.id, dwellingId));
  const others = await db.select({ id: dwellings.id }).from(dwellings).where(eq(dwellings.buildingId, home!.buildingId)).orderBy(asc(dwellings.label));
  neighbours = others.map((d) => d.id).filter((id) => id !== dwellingId).slice(0, 4);
  for (const [i, neighbour] of neighbours.entries()) {
    const enrolmentId = await fixtures.enrol(neighbour, new Date("2025-01-10T10:00:00Z"));
    await fixtures.statement({
      dwellingId: neighbour,
      month: "2025-02-01",
      closeId: made.februaryClose,
      enrolmentId,
      lines: [
        {
          periodStart: "2025-01-31T23:00:00Z",
          periodEnd: "2025-02-28T23:00:00Z",
          meterStartWh: 0,
          meterEndWh: 100_000 * (i + 1),
          energyWh: 100_000 * (i + 1),
          tariffId: made.winter,
          price: 251_600,
        },
      ],
    });
  }
});

afterAll(() => fixtures.cleanup());

describe("statements.list", () => {
  it("lists the resident's own statements, newest first, with the year summary and the enrolment month", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    const list = await api.statements.list();
    const mine = list.statements.filter((s) => s.month === "2025-02" || s.month === "2024-12");
    expect(mine).toEqual([
      { month: "2025-02", energyWh: made.february.energyWh, amountCents: made.february.amountCents, paidOn: null, paidAmountCents: null },
      { month: "2024-12", energyWh: 203_457, amountCents: made.december.amountCents, paidOn: "2025-01-08", paidAmountCents: made.december.amountCents },
    ]);
    // 30 Nov 2024 23:00 UTC is 1 December in Paris.
    expect(list.enrolledSince).toBe("2024-12");
    expect(list.years.find((y) => y.year === 2024)).toEqual({
      year: 2024,
      statements: 1,
      energyWh: 203_457,
      amountCents: made.december.amountCents,
      paidStatements: 1,
      paidAmountCents: made.december.amountCents,
      dueAmountCents: 0,
    });
    expect(list.years.find((y) => y.year === 2025)).toMatchObject({ paidStatements: 0, dueAmountCents: made.february.amountCents });
  });

  it("shows another resident none of them", async () => {
    const list = await (await callerAs(db, "resident2@hearth.test")).statements.list();
    expect(list.statements.map((s) => s.month)).not.toContain("2024-12");
    expect(list.statements.map((s) => s.month)).not.toContain("2025-02");
  });
});

describe("statements.get", () => {
  it("gives the month's lines, tariffs, payee, payment and the building's average", async () => {
    const statement = await (await callerAs(db, "resident@hearth.test")).statements.get({ month: "2025-02" });
    expect(statement).toMatchObject({
      month: "2025-02",
      energyWh: 144_500,
      amountCents: made.february.amountCents,
      holderName: TEST_HOLDER,
      ibanMasked: TEST_IBAN_MASKED,
      payment: null,
      dwelling: { label: "A-204", timeZone: "Europe/Paris" },
    });
    // Each line rounded once: 50.5 kWh at 0.2516 €/kWh = 12.7058 € → 12.71 €.
    expect(statement.lines[0]).toMatchObject({ position: 0, energyWh: 50_500, meterStartWh: 1_300_000, meterEndWh: 1_350_500, amountCents: 1271 });
    expect(statement.amountCents).toBe(statement.lines.reduce((n, l) => n + l.amountCents, 0));
    expect(statement.lines.map((l) => l.kind)).toEqual(["radiator", "radiator", "radiator", "radiator", "gateway", "adjustment"]);
    expect(statement.tariffs).toEqual([
      expect.objectContaining({ id: made.winter, effectiveFrom: "2024-02-01", priceMicroEurosPerKWh: 251_600 }),
      expect.objectContaining({ id: made.spring, effectiveFrom: "2025-02-15", priceMicroEurosPerKWh: 201_600 }),
    ]);
    expect(statement.comparison.dwellings).toBe(5);
    expect(statement.comparison.buildingWhPerM2).toEqual(expect.any(Number));
    expect(statement.comparison.homeWhPerM2).toEqual(expect.any(Number));
    // The neighbours' own figures are nowhere, nor the sealed IBAN or the delivery point.
    const text = JSON.stringify(statement);
    for (const secret of [TEST_IBAN_SEALED, TEST_DELIVERY_POINT, ...neighbours]) expect(text).not.toContain(secret);
  });

  it("gives the payment of a paid month and hides the building's average below five dwellings", async () => {
    const statement = await (await callerAs(db, "resident@hearth.test")).statements.get({ month: "2024-12" });
    expect(statement.payment).toEqual({ paidOn: "2025-01-08", amountCents: made.december.amountCents, reference: "VIR-2024-12-0042" });
    expect(statement.amountCents).toBe(amountCentsOf(123_457, 251_600) + amountCentsOf(80_000, 251_600));
    expect(statement.comparison).toMatchObject({ buildingWhPerM2: null, dwellings: 1, minimumDwellings: 5 });
  });

  it("answers NOT_FOUND for another dwelling's month and for a month without a statement", async () => {
    expect(await codeOf((await callerAs(db, "resident2@hearth.test")).statements.get({ month: "2025-02" }))).toBe("NOT_FOUND");
    expect(await codeOf((await callerAs(db, "resident@hearth.test")).statements.get({ month: "2020-01" }))).toBe("NOT_FOUND");
  });

  it("refuses a malformed month as BAD_REQUEST naming the field", async () => {
    const api = await callerAs(db, "resident@hearth.test");
    for (const month of ["2025-13", "2025-2", "2025-02-01", ""]) {
      const error = await api.statements.get({ month }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(TRPCError);
      expect((error as TRPCError).code).toBe("BAD_REQUEST");
      expect(fieldErrorsOf((error as TRPCError).cause as ZodError)).toEqual({ month: STATEMENT_MONTH_MESSAGE });
    }
  });

  it("refuses other roles and anonymous callers", async () => {
    for (const email of ["landlord@hearth.test", "customer@hearth.test", "staff@hearth.test"]) {
      const api = await callerAs(db, email);
      expect(await codeOf(api.statements.get({ month: "2025-02" }))).toBe("FORBIDDEN");
      expect(await codeOf(api.statements.list())).toBe("FORBIDDEN");
    }
    expect(await codeOf((await callerAs(db, null)).statements.list())).toBe("UNAUTHORIZED");
  });
});

describe("the rooms of the statement", () => {
  it("names the rooms as the close saw them", async () => {
    const statement = await (await callerAs(db, "resident@hearth.test")).statements.get({ month: "2025-02" });
    const names = new Set((await db.select({ name: rooms.name }).from(rooms)).map((r) => r.name));
    for (const line of statement.lines.filter((l) => l.kind === "radiator")) expect(names.has(line.roomName!)).toBe(true);
  });
});
