import { describe, expect, it } from "vitest";
import {
  buildingAverageWhPerM2,
  formatEuros,
  formatPricePerKWh,
  formatStatementMonth,
  groupLines,
  isStatementMonth,
  statementFileName,
  yearSummaries,
  type StatementLine,
} from "./refund-statements";

const spaces = (text: string) => text.replace(/[\u00a0\u202f]/g, " ");

describe("euros", () => {
  it("formats cents to the cent in each language", () => {
    expect(spaces(formatEuros(123_456, "fr"))).toBe("1 234,56 €");
    expect(formatEuros(123_456, "en")).toBe("€1,234.56");
    expect(spaces(formatEuros(5, "fr"))).toBe("0,05 €");
    expect(formatEuros(0, "en")).toBe("€0.00");
  });

  it("formats a price per kWh to the ten-thousandth", () => {
    expect(spaces(formatPricePerKWh(227_600, "fr"))).toBe("0,2276 €/kWh");
    expect(formatPricePerKWh(194_000, "en")).toBe("€0.1940/kWh");
  });
});

describe("months", () => {
  it("accepts YYYY-MM only", () => {
    expect(isStatementMonth("2026-01")).toBe(true);
    for (const bad of ["2026-13", "2026-1", "2026-01-01", "1969-12", "", null]) expect(isStatementMonth(bad)).toBe(false);
  });

  it("names a month in words", () => {
    expect(formatStatementMonth("2026-01", "fr")).toBe("janvier 2026");
    expect(formatStatementMonth("2026-01", "en")).toBe("January 2026");
  });

  it("names the PDF in the statement's language", () => {
    expect(statementFileName("2026-01", "fr")).toBe("releve-remboursement-2026-01.pdf");
    expect(statementFileName("2026-01", "en")).toBe("refund-statement-2026-01.pdf");
  });
});

describe("yearSummaries", () => {
  it("adds each year's statements, paid and due, newest year first", () => {
    const years = yearSummaries([
      { month: "2026-02", energyWh: 100_000, amountCents: 2_276, paidOn: null, paidAmountCents: null },
      { month: "2026-01", energyWh: 200_000, amountCents: 4_552, paidOn: "2026-02-06", paidAmountCents: 4_552 },
      { month: "2025-12", energyWh: 50_000, amountCents: 1_138, paidOn: "2026-01-07", paidAmountCents: 1_138 },
    ]);
    expect(years).toEqual([
      { year: 2026, statements: 2, energyWh: 300_000, amountCents: 6_828, paidStatements: 1, paidAmountCents: 4_552, dueAmountCents: 2_276 },
      { year: 2025, statements: 1, energyWh: 50_000, amountCents: 1_138, paidStatements: 1, paidAmountCents: 1_138, dueAmountCents: 0 },
    ]);
    expect(yearSummaries([])).toEqual([]);
  });
});

describe("buildingAverageWhPerM2", () => {
  it("shows from five dwellings only", () => {
    expect(buildingAverageWhPerM2({ dwellings: 4, energyWh: 400_000, areaM2: 200 })).toBeNull();
    expect(buildingAverageWhPerM2({ dwellings: 5, energyWh: 500_000, areaM2: 300 })).toBe(1667);
  });

  it("has nothing to say without floor area", () => {
    expect(buildingAverageWhPerM2({ dwellings: 6, energyWh: 500_000, areaM2: 0 })).toBeNull();
  });
});

describe("groupLines", () => {
  const line = (position: number, over: Partial<StatementLine>): StatementLine => ({
    position,
    kind: "radiator",
    deviceSerial: "QRAD-1",
    roomName: "Séjour",
    energyMonth: "2026-01-01",
    periodStart: new Date("2026-01-01T00:00:00Z"),
    periodEnd: new Date("2026-02-01T00:00:00Z"),
    meterStartWh: 0,
    meterEndWh: 1000,
    energyWh: 1000,
    tariffVersionId: 1,
    priceMicroEurosPerKWh: 200_000,
    amountCents: 20,
    ...over,
  });

  it("groups a device's tariff periods, rooms first, then the gateway, then adjustments by month", () => {
    const groups = groupLines([
      line(5, { kind: "adjustment", energyMonth: "2025-12-01", meterStartWh: null, meterEndWh: null, amountCents: 3 }),
      line(4, { kind: "gateway", deviceSerial: "GW-1", roomName: null }),
      line(2, { deviceSerial: "QRAD-2", roomName: "Chambre" }),
      line(0, { amountCents: 12 }),
      line(1, { amountCents: 8, tariffVersionId: 2 }),
    ]);
    expect(groups.map((g) => [g.kind, g.deviceSerial, g.lines.map((l) => l.position), g.amountCents])).toEqual([
      ["radiator", "QRAD-2", [2], 20],
      ["radiator", "QRAD-1", [0, 1], 20],
      ["gateway", "GW-1", [4], 20],
      ["adjustment", "QRAD-1", [5], 3],
    ]);
  });
});
