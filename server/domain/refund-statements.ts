/**
 * The read side of the monthly electricity refund: what a resident's statements add up to, how
 * their amounts read, and the building's average that a statement may show. Pure and client-safe.
 */

/** Fewer dwellings than this and the building's average would come close to a neighbour's own figure. */
export const BUILDING_AVERAGE_MIN_DWELLINGS = 5;

/** A statement's month as people and URLs name it: "2026-01". From 1970, like every other month here. */
export const STATEMENT_MONTH = /^(19[7-9]\d|[2-9]\d{3})-(0[1-9]|1[0-2])$/;
export const STATEMENT_MONTH_MESSAGE = "Give the month as YYYY-MM, for example 2026-01.";

export function isStatementMonth(value: unknown): value is string {
  return typeof value === "string" && STATEMENT_MONTH.test(value);
}

/** "2026-01" → "2026-01-01", the ledger's month. */
export const ledgerMonthOf = (month: string) => `${month}-01`;
/** "2026-01-01" → "2026-01". */
export const statementMonthOf = (ledgerMonth: string) => ledgerMonth.slice(0, 7);

/** Euros to the cent in the reader's language: "1 234,56 €" in French, "€1,234.56" in English. */
export function formatEuros(amountCents: number, locale: string): string {
  return new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(
    amountCents / 100,
  );
}

/** A price in millionths of a euro per kWh, to the ten-thousandth: "0,2276 €/kWh". */
export function formatPricePerKWh(priceMicroEurosPerKWh: number, locale: string): string {
  const euros = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR", minimumFractionDigits: 4, maximumFractionDigits: 6 }).format(
    priceMicroEurosPerKWh / 1_000_000,
  );
  return `${euros}/kWh`;
}

/** The month in words: "janvier 2026", "January 2026". */
export function formatStatementMonth(month: string, locale: string): string {
  const [year, monthNumber] = month.split("-").map(Number);
  return new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" }).format(Date.UTC(year!, monthNumber! - 1, 1));
}

export type StatementSummary = { month: string; energyWh: number; amountCents: number; paidOn: string | null; paidAmountCents: number | null };

export type YearSummary = {
  year: number;
  statements: number;
  energyWh: number;
  amountCents: number;
  paidStatements: number;
  paidAmountCents: number;
  /** Refunds of the year's statements not paid yet. */
  dueAmountCents: number;
};

/** Each year of statements (by the statement's month), newest first. */
export function yearSummaries(statements: readonly StatementSummary[]): YearSummary[] {
  const byYear = new Map<number, YearSummary>();
  for (const s of statements) {
    const year = Number(s.month.slice(0, 4));
    const sum = byYear.get(year) ?? { year, statements: 0, energyWh: 0, amountCents: 0, paidStatements: 0, paidAmountCents: 0, dueAmountCents: 0 };
    sum.statements += 1;
    sum.energyWh += s.energyWh;
    sum.amountCents += s.amountCents;
    if (s.paidOn !== null) {
      sum.paidStatements += 1;
      sum.paidAmountCents += s.paidAmountCents ?? s.amountCents;
    } else sum.dueAmountCents += s.amountCents;
    byYear.set(year, sum);
  }
  return [...byYear.values()].sort((a, b) => b.year - a.year);
}

/**
 * Metered energy per m² of floor, in whole Wh (1 kWh/m² = 1000), over the dwellings that have a
 * statement for the month; null below BUILDING_AVERAGE_MIN_DWELLINGS dwellings or without floor area.
 */
export function buildingAverageWhPerM2(building: { dwellings: number; energyWh: number; areaM2: number }): number | null {
  if (building.dwellings < BUILDING_AVERAGE_MIN_DWELLINGS || !(building.areaM2 > 0)) return null;
  return Math.round(building.energyWh / building.areaM2);
}

export type StatementLine = {
  position: number;
  kind: "radiator" | "gateway" | "adjustment";
  deviceSerial: string;
  roomName: string | null;
  energyMonth: string;
  periodStart: Date;
  periodEnd: Date;
  meterStartWh: number | null;
  meterEndWh: number | null;
  energyWh: number;
  tariffVersionId: number;
  priceMicroEurosPerKWh: number;
  amountCents: number;
};

export type LineGroup<L extends StatementLine = StatementLine> = {
  kind: StatementLine["kind"];
  roomName: string | null;
  deviceSerial: string;
  /** For adjustments: the earlier month the energy belongs to. */
  energyMonth: string;
  lines: L[];
  energyWh: number;
  amountCents: number;
};

/**
 * The lines of a statement by device (one group per radiator or gateway, its tariff periods in
 * order), the month's devices first by room, then the adjustments of earlier months by month.
 */
export function groupLines<L extends StatementLine>(lines: readonly L[]): LineGroup<L>[] {
  const groups = new Map<string, LineGroup<L>>();
  for (const line of [...lines].sort((a, b) => a.position - b.position)) {
    const key = `${line.kind === "adjustment" ? `adjustment:${line.energyMonth}:` : ""}${line.deviceSerial}`;
    const group = groups.get(key) ?? {
      kind: line.kind,
      roomName: line.roomName,
      deviceSerial: line.deviceSerial,
      energyMonth: line.energyMonth,
      lines: [],
      energyWh: 0,
      amountCents: 0,
    };
    group.lines.push(line);
    group.energyWh += line.energyWh;
    group.amountCents += line.amountCents;
    groups.set(key, group);
  }
  const rank = (g: LineGroup<L>) => (g.kind === "adjustment" ? 2 : g.kind === "gateway" ? 1 : 0);
  return [...groups.values()].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      (a.kind === "adjustment" ? a.energyMonth.localeCompare(b.energyMonth) : 0) ||
      (a.roomName ?? "").localeCompare(b.roomName ?? "") ||
      a.deviceSerial.localeCompare(b.deviceSerial),
  );
}

/** The PDF's file name: ASCII, the month in it, in the statement's language. */
export function statementFileName(month: string, locale: string): string {
  return `${locale === "fr" ? "releve-remboursement" : "refund-statement"}-${month}.pdf`;
}
