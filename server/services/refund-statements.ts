import { and, asc, desc, eq, inArray, sql } from "drizzle-orm";
import {
  buildings,
  dwellings,
  refundEnrolments,
  refundPayments,
  refundStatementLines,
  refundStatements,
  sites,
  tariffVersions,
} from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import {
  BUILDING_AVERAGE_MIN_DWELLINGS,
  buildingAverageWhPerM2,
  isStatementMonth,
  ledgerMonthOf,
  STATEMENT_MONTH_MESSAGE,
  statementMonthOf,
  yearSummaries,
} from "@/server/domain/refund-statements";
import { found, InvalidInputError } from "./errors";

/**
 * A resident's refund statements (PRODUCT.md R5): every read is bounded by the resident's
 * dwelling. What the close wrote is shown as written; the holder and masked IBAN are those of
 * the enrolment version the statement pays. The whole IBAN and the delivery point are never read.
 */

/** The month (site-local) of the dwelling's first enrolment, "YYYY-MM", or null when not enrolled. */
async function enrolledSince(db: Tx, dwellingId: string): Promise<string | null> {
  const [row] = await db.execute<{ month: string | null }>(sql`
    select to_char(min(e.consent_at) at time zone s.time_zone, 'YYYY-MM') as month
    from refund_enrolments e join dwellings d on d.id = e.dwelling_id join buildings b on b.id = d.building_id join sites s on s.id = b.site_id
    where e.dwelling_id = ${dwellingId}
    group by s.time_zone`);
  return row?.month ?? null;
}

/** The dwelling's statements, newest first, with what each year adds up to. */
export async function listStatements(db: Tx, opts: { dwellingId: string }) {
  const rows = await db
    .select({
      month: refundStatements.month,
      energyWh: refundStatements.energyWh,
      amountCents: refundStatements.amountCents,
      paidOn: refundPayments.paidOn,
      paidAmountCents: refundPayments.amountCents,
    })
    .from(refundStatements)
    .leftJoin(refundPayments, eq(refundPayments.statementId, refundStatements.id))
    .where(eq(refundStatements.dwellingId, opts.dwellingId))
    .orderBy(desc(refundStatements.month));
  const statements = rows.map((r) => ({ ...r, month: statementMonthOf(r.month) }));
  return { enrolledSince: await enrolledSince(db, opts.dwellingId), statements, years: yearSummaries(statements) };
}

/**
 * One month's statement of the dwelling: its lines, the tariff versions they used, who is paid
 * and where (masked), the payment, and the building's average energy per m² over the dwellings
 * with a statement that month (at least BUILDING_AVERAGE_MIN_DWELLINGS, else null). Another
 * dwelling's month, or a month without a statement, is not found.
 */
export async function getStatement(db: Tx, opts: { dwellingId: string; month: string }) {
  if (!isStatementMonth(opts.month)) throw new InvalidInputError(STATEMENT_MONTH_MESSAGE, "month");
  const month = ledgerMonthOf(opts.month);
  const [row] = await db
    .select({
      id: refundStatements.id,
      energyWh: refundStatements.energyWh,
      amountCents: refundStatements.amountCents,
      createdAt: refundStatements.createdAt,
      holderName: refundEnrolments.holderName,
      ibanMasked: refundEnrolments.ibanMasked,
      dwellingLabel: dwellings.label,
      buildingId: buildings.id,
      buildingName: buildings.name,
      address: buildings.address,
      city: sites.city,
      timeZone: sites.timeZone,
      operatorName: sql<string | null>`(select o.name from organizations o where o.kind = 'operator' order by o.created_at limit 1)`,
    })
    .from(refundStatements)
    .innerJoin(refundEnrolments, eq(refundEnrolments.id, refundStatements.enrolmentId))
    .innerJoin(dwellings, eq(dwellings.id, refundStatements.dwellingId))
    .innerJoin(buildings, eq(buildings.id, dwellings.buildingId))
    .innerJoin(sites, eq(sites.id, buildings.siteId))
    .where(and(eq(refundStatements.dwellingId, opts.dwellingId), eq(refundStatements.month, month)));
  const statement = found(row, "Statement");

  const [lines, [payment], figures] = await Promise.all([
    db
      .select({
        position: refundStatementLines.position,
        kind: refundStatementLines.kind,
        deviceSerial: refundStatementLines.deviceSerial,
        roomName: refundStatementLines.roomName,
        energyMonth: refundStatementLines.energyMonth,
        periodStart: refundStatementLines.periodStart,
        periodEnd: refundStatementLines.periodEnd,
        meterStartWh: refundStatementLines.meterStartWh,
        meterEndWh: refundStatementLines.meterEndWh,
        energyWh: refundStatementLines.energyWh,
        tariffVersionId: refundStatementLines.tariffVersionId,
        priceMicroEurosPerKWh: refundStatementLines.priceMicroEurosPerKWh,
        amountCents: refundStatementLines.amountCents,
      })
      .from(refundStatementLines)
      .where(eq(refundStatementLines.statementId, statement.id))
      .orderBy(asc(refundStatementLines.position)),
    db
      .select({ paidOn: refundPayments.paidOn, amountCents: refundPayments.amountCents, reference: refundPayments.reference })
      .from(refundPayments)
      .where(eq(refundPayments.statementId, statement.id)),
    monthFigures(db, { buildingId: statement.buildingId, dwellingId: opts.dwellingId, month }),
  ]);
  const tariffIds = [...new Set(lines.map((l) => l.tariffVersionId))];
  const tariffs =
    tariffIds.length === 0
      ? []
      : await db
          .select({
            id: tariffVersions.id,
            label: tariffVersions.label,
            effectiveFrom: tariffVersions.effectiveFrom,
            priceMicroEurosPerKWh: tariffVersions.priceMicroEurosPerKWh,
            source: tariffVersions.source,
          })
          .from(tariffVersions)
          .where(inArray(tariffVersions.id, tariffIds))
          .orderBy(asc(tariffVersions.effectiveFrom), asc(tariffVersions.id));

  const { id, buildingId, operatorName, dwellingLabel, buildingName, address, city, timeZone, holderName, ibanMasked, ...totals } = statement;
  return {
    id,
    month: opts.month,
    ...totals,
    operatorName: operatorName ?? "Hearth",
    dwelling: { label: dwellingLabel, buildingName, address, city, timeZone },
    holderName,
    ibanMasked,
    lines,
    tariffs,
    payment: payment ?? null,
    comparison: {
      homeWhPerM2: figures.homeAreaM2 > 0 ? Math.round(figures.homeEnergyWh / figures.homeAreaM2) : null,
      buildingWhPerM2: buildingAverageWhPerM2({ dwellings: figures.dwellings, energyWh: figures.buildingEnergyWh, areaM2: figures.buildingAreaM2 }),
      dwellings: figures.dwellings,
      minimumDwellings: BUILDING_AVERAGE_MIN_DWELLINGS,
    },
  };
}

export type Statement = Awaited<ReturnType<typeof getStatement>>;

/**
 * The month's metered energy (lines of that month, adjustments of earlier months left out) and
 * floor area of the building's dwellings that have a statement, summed in the database: no
 * neighbour's own figure reaches this process.
 */
async function monthFigures(db: Tx, opts: { buildingId: string; dwellingId: string; month: string }) {
  const [row] = await db.execute<{
    dwellings: number;
    buildingEnergyWh: number;
    buildingAreaM2: number;
    homeEnergyWh: number;
    homeAreaM2: number;
  }>(sql`
    with stated as (
      select st.dwelling_id,
        (select coalesce(sum(l.energy_wh), 0) from refund_statement_lines l where l.statement_id = st.id and l.energy_month = st.month) as energy_wh,
        (select coalesce(sum(r.area_m2), 0) from rooms r where r.dwelling_id = st.dwelling_id) as area_m2
      from refund_statements st join dwellings d on d.id = st.dwelling_id
      where d.building_id = ${opts.buildingId} and st.month = ${opts.month}
    )
    select count(*)::int as dwellings, coalesce(sum(energy_wh), 0)::float8 as "buildingEnergyWh", coalesce(sum(area_m2), 0)::float8 as "buildingAreaM2",
      coalesce((select energy_wh from stated where dwelling_id = ${opts.dwellingId}), 0)::float8 as "homeEnergyWh",
      coalesce((select area_m2 from stated where dwelling_id = ${opts.dwellingId}), 0)::float8 as "homeAreaM2"
    from stated`);
  return row!;
}
