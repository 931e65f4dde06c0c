import { asc, eq, inArray } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import {
  refundCloses,
  refundEnrolments,
  refundPayments,
  refundStatementLines,
  refundStatements,
  radiators,
  rooms,
  tariffVersions,
} from "@/server/db/schema";

/**
 * Refund ledger rows written straight into the test database, as the monthly close and the
 * enrolment would write them, and removed again by `cleanup()` so other suites see the seed.
 */

export const TEST_IBAN_MASKED = "FR76 •••• •••• •••• 0189";
export const TEST_HOLDER = "Camille Martin";
/** A delivery point no page or PDF may ever show. */
export const TEST_DELIVERY_POINT = "30001234567890";
export const TEST_IBAN_SEALED = "sealed:opaque-test-cipher";

/** What the close computes: round half up of energyWh × µ€/kWh / 10^7, in integers. */
export const amountCentsOf = (energyWh: number, priceMicroEurosPerKWh: number) =>
  Number((BigInt(energyWh) * BigInt(priceMicroEurosPerKWh) * 2n + 10n ** 7n) / (2n * 10n ** 7n));

export type LineSpec = {
  kind?: "radiator" | "gateway" | "adjustment";
  /** Index into the dwelling's radiators (by serial); ignored for gateways and adjustments. */
  radiator?: number;
  energyMonth?: string;
  periodStart: string;
  periodEnd: string;
  meterStartWh: number | null;
  meterEndWh: number | null;
  energyWh: number;
  tariffId: number;
  price: number;
};

export class RefundFixtures {
  private tariffIds: number[] = [];
  private enrolmentIds: number[] = [];
  private closeIds: number[] = [];
  private statementIds: string[] = [];

  constructor(private readonly db: Db) {}

  async tariff(opts: { label: string; effectiveFrom: string; price: number }) {
    const [row] = await this.db
      .insert(tariffVersions)
      .values({ country: "FR", option: "base-6kva-test", label: opts.label, effectiveFrom: opts.effectiveFrom, priceMicroEurosPerKWh: opts.price, source: "test table" })
      .returning({ id: tariffVersions.id });
    this.tariffIds.push(row!.id);
    return row!.id;
  }

  async enrol(dwellingId: string, consentAt: Date) {
    const [row] = await this.db
      .insert(refundEnrolments)
      .values({
        dwellingId,
        holderName: TEST_HOLDER,
        deliveryPoint: TEST_DELIVERY_POINT,
        ibanEncrypted: TEST_IBAN_SEALED,
        ibanMasked: TEST_IBAN_MASKED,
        consentAt,
        createdAt: consentAt,
      })
      .returning({ id: refundEnrolments.id });
    this.enrolmentIds.push(row!.id);
    return row!.id;
  }

  async close(month: string) {
    const [row] = await this.db.insert(refundCloses).values({ month, finishedAt: new Date() }).returning({ id: refundCloses.id });
    this.closeIds.push(row!.id);
    return row!.id;
  }

  /** A statement of `month` ("YYYY-MM-01") with its lines, amounts as the close rounds them; paid when `paidOn` is given. */
  async statement(opts: { dwellingId: string; month: string; closeId: number; enrolmentId: number; lines: LineSpec[]; paidOn?: string; reference?: string }) {
    const devices = await this.db
      .select({ id: radiators.id, serial: radiators.serial, roomName: rooms.name })
      .from(radiators)
      .innerJoin(rooms, eq(rooms.id, radiators.roomId))
      .where(eq(rooms.dwellingId, opts.dwellingId))
      .orderBy(asc(radiators.serial));
    const lines = opts.lines.map((spec, position) => {
      const kind = spec.kind ?? "radiator";
      const device = devices[spec.radiator ?? 0]!;
      return {
        position,
        kind,
        radiatorId: kind === "gateway" ? null : device.id,
        deviceSerial: kind === "gateway" ? "GW-TEST-0001" : device.serial,
        roomName: kind === "gateway" ? null : device.roomName,
        energyMonth: spec.energyMonth ?? opts.month,
        periodStart: new Date(spec.periodStart),
        periodEnd: new Date(spec.periodEnd),
        meterStartWh: spec.meterStartWh,
        meterEndWh: spec.meterEndWh,
        energyWh: spec.energyWh,
        tariffVersionId: spec.tariffId,
        priceMicroEurosPerKWh: spec.price,
        amountCents: amountCentsOf(spec.energyWh, spec.price),
      };
    });
    const energyWh = lines.reduce((n, l) => n + l.energyWh, 0);
    const amountCents = lines.reduce((n, l) => n + l.amountCents, 0);
    const [row] = await this.db
      .insert(refundStatements)
      .values({ dwellingId: opts.dwellingId, month: opts.month, closeId: opts.closeId, enrolmentId: opts.enrolmentId, energyWh, amountCents, createdAt: new Date() })
      .returning({ id: refundStatements.id });
    const statementId = row!.id;
    this.statementIds.push(statementId);
    if (lines.length > 0) await this.db.insert(refundStatementLines).values(lines.map((l) => ({ ...l, statementId })));
    if (opts.paidOn) await this.db.insert(refundPayments).values({ statementId, amountCents, reference: opts.reference ?? "VIR-TEST", paidOn: opts.paidOn });
    return { id: statementId, energyWh, amountCents, lines };
  }

  async cleanup() {
    const db = this.db;
    if (this.statementIds.length > 0) {
      await db.delete(refundPayments).where(inArray(refundPayments.statementId, this.statementIds));
      await db.delete(refundStatementLines).where(inArray(refundStatementLines.statementId, this.statementIds));
      await db.delete(refundStatements).where(inArray(refundStatements.id, this.statementIds));
    }
    if (this.closeIds.length > 0) await db.delete(refundCloses).where(inArray(refundCloses.id, this.closeIds));
    if (this.enrolmentIds.length > 0) await db.delete(refundEnrolments).where(inArray(refundEnrolments.id, this.enrolmentIds));
    if (this.tariffIds.length > 0) await db.delete(tariffVersions).where(inArray(tariffVersions.id, this.tariffIds));
  }
}

/**
 * A resident's two months at Paris's zone: December 2024 (one tariff, paid) and February 2025,
 * split at a tariff change on the 15th, with a gateway line and an adjustment for January 2025.
 */
export async function residentStatements(fixtures: RefundFixtures, dwellingId: string) {
  const winter = await fixtures.tariff({ label: "Tarif Bleu Base 6 kVA", effectiveFrom: "2024-02-01", price: 251_600 });
  const spring = await fixtures.tariff({ label: "Tarif Bleu Base 6 kVA (février 2025)", effectiveFrom: "2025-02-15", price: 201_600 });
  const enrolmentId = await fixtures.enrol(dwellingId, new Date("2024-11-30T23:00:00Z"));
  const december = await fixtures.statement({
    dwellingId,
    month: "2024-12-01",
    closeId: await fixtures.close("2024-12-01"),
    enrolmentId,
    paidOn: "2025-01-08",
    reference: "VIR-2024-12-0042",
    lines: [
      { radiator: 0, periodStart: "2024-11-30T23:00:00Z", periodEnd: "2024-12-31T23:00:00Z", meterStartWh: 1_000_000, meterEndWh: 1_123_457, energyWh: 123_457, tariffId: winter, price: 251_600 },
      { radiator: 1, periodStart: "2024-11-30T23:00:00Z", periodEnd: "2024-12-31T23:00:00Z", meterStartWh: 500_000, meterEndWh: 580_000, energyWh: 80_000, tariffId: winter, price: 251_600 },
    ],
  });
  const februaryClose = await fixtures.close("2025-02-01");
  const february = await fixtures.statement({
    dwellingId,
    month: "2025-02-01",
    closeId: februaryClose,
    enrolmentId,
    lines: [
      { radiator: 0, periodStart: "2025-01-31T23:00:00Z", periodEnd: "2025-02-14T23:00:00Z", meterStartWh: 1_300_000, meterEndWh: 1_350_500, energyWh: 50_500, tariffId: winter, price: 251_600 },
      { radiator: 0, periodStart: "2025-02-14T23:00:00Z", periodEnd: "2025-02-28T23:00:00Z", meterStartWh: 1_350_500, meterEndWh: 1_390_000, energyWh: 39_500, tariffId: spring, price: 201_600 },
      { radiator: 1, periodStart: "2025-01-31T23:00:00Z", periodEnd: "2025-02-14T23:00:00Z", meterStartWh: 700_000, meterEndWh: 730_000, energyWh: 30_000, tariffId: winter, price: 251_600 },
      { radiator: 1, periodStart: "2025-02-14T23:00:00Z", periodEnd: "2025-02-28T23:00:00Z", meterStartWh: 730_000, meterEndWh: 751_000, energyWh: 21_000, tariffId: spring, price: 201_600 },
      { kind: "gateway", periodStart: "2025-01-31T23:00:00Z", periodEnd: "2025-02-28T23:00:00Z", meterStartWh: 10_000, meterEndWh: 12_000, energyWh: 2_000, tariffId: winter, price: 251_600 },
      { kind: "adjustment", radiator: 0, energyMonth: "2025-01-01", periodStart: "2024-12-31T23:00:00Z", periodEnd: "2025-01-31T23:00:00Z", meterStartWh: null, meterEndWh: null, energyWh: 1_500, tariffId: winter, price: 251_600 },
    ],
  });
  return { winter, spring, enrolmentId, december, february, februaryClose };
}
