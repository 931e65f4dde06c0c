import { describe, expect, it } from "vitest";
import {
  countryOfPerimeter,
  decodeCsvBytes,
  formatMgAsGrams,
  instantsOfWallTime,
  parseGridIntensityCsv,
  parseIsoInstant,
  typedGramsToMg,
} from "./grid-intensity-csv";

/** As RTE's éCO2mix export writes it, a few of its many columns kept. */
const RTE_HEADER = "Périmètre;Nature;Date;Heures;Consommation;Nucléaire;Taux de Co2;Ech. comm. Angleterre";
const rte = (date: string, time: string, co2: string) => `France;Données consolidées;${date};${time};45200;38100;${co2};-1200`;
const at = (iso: string) => Date.parse(iso);

describe("parseGridIntensityCsv, RTE's éCO2mix shape", () => {
  it("averages the quarter-hours of each UTC hour, in mg/kWh, Paris winter time", () => {
    const text = [
      "\uFEFF" + RTE_HEADER,
      rte("2026-01-15", "10:00", "20"),
      rte("2026-01-15", "10:15", "21,5"),
      rte("2026-01-15", "10:30", "22"),
      rte("2026-01-15", "10:45", "23.1"),
      rte("2026-01-15", "11:00", "30"),
      rte("2026-01-15", "11:30", "31"),
    ].join("\r\n");
    const parsed = parseGridIntensityCsv(text + "\r\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.shape).toBe("rte");
    expect(parsed.perimeter).toBe("France");
    expect(parsed.hours).toEqual([
      // (20 + 21.5 + 22 + 23.1) / 4 = 21.65 g/kWh; 10:00 in Paris in January is 09:00 UTC.
      { hourStartMs: at("2026-01-15T09:00:00Z"), intensityMgPerKWh: 21_650, values: 4 },
      // Half-hours: (30 + 31) / 2.
      { hourStartMs: at("2026-01-15T10:00:00Z"), intensityMgPerKWh: 30_500, values: 2 },
    ]);
  });

  it("reads summer time as UTC+2", () => {
    const parsed = parseGridIntensityCsv([RTE_HEADER, rte("2026-07-01", "14:00", "40"), rte("2026-07-01", "14:30", "42")].join("\n"));
    expect(parsed.hours).toEqual([{ hourStartMs: at("2026-07-01T12:00:00Z"), intensityMgPerKWh: 41_000, values: 2 }]);
  });

  it("skips and counts lines without a value, and RTE's closing disclaimer", () => {
    const parsed = parseGridIntensityCsv(
      [
        RTE_HEADER,
        rte("2026-01-15", "10:00", "20"),
        rte("2026-01-15", "10:15", ""), // 3
        "",
        rte("2026-01-15", "10:30", "ND"), // 5
        "RTE ne pourra être tenu responsable de l'usage qui pourrait être fait des données mises à disposition.",
      ].join("\n"),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.skipped.map((s) => s.line)).toEqual([3, 5]);
    expect(parsed.skipped[0]!.message).toBe("no CO2 intensity for 2026-01-15 10:15");
    expect(parsed.hours).toEqual([{ hourStartMs: at("2026-01-15T09:00:00Z"), intensityMgPerKWh: 20_000, values: 1 }]);
  });

  it("reads a tab-separated file whose lines end with a separator, columns named as the open-data export names them", () => {
    const text = ["Périmètre\tNature\tDate\tHeure\tTaux de CO2 (g/kWh)", "France\tDonnées temps réel\t2026-01-15\t00:00\t18\t", "France\tDonnées temps réel\t2026-01-15\t00:15\t19\t"].join("\n");
    const parsed = parseGridIntensityCsv(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.hours).toEqual([{ hourStartMs: at("2026-01-14T23:00:00Z"), intensityMgPerKWh: 18_500, values: 2 }]);
  });

  it("the autumn day: 02:00–02:59 twice, summer time first, then winter time", () => {
    // 26 October 2025: at 03:00 summer time (01:00 UTC) the clocks went back to 02:00.
    const day = "2025-10-26";
    const parsed = parseGridIntensityCsv(
      [
        RTE_HEADER,
        rte(day, "01:30", "10"), // 23:30 UTC the day before
        rte(day, "02:00", "20"), // 00:00 UTC
        rte(day, "02:30", "22"),
        rte(day, "02:00", "30"), // 01:00 UTC
        rte(day, "02:30", "32"),
        rte(day, "03:00", "40"), // 02:00 UTC
      ].join("\n"),
    );
    expect(parsed.errors).toEqual([]);
    expect(parsed.hours).toEqual([
      { hourStartMs: at("2025-10-25T23:00:00Z"), intensityMgPerKWh: 10_000, values: 1 },
      { hourStartMs: at("2025-10-26T00:00:00Z"), intensityMgPerKWh: 21_000, values: 2 },
      { hourStartMs: at("2025-10-26T01:00:00Z"), intensityMgPerKWh: 31_000, values: 2 },
      { hourStartMs: at("2025-10-26T02:00:00Z"), intensityMgPerKWh: 40_000, values: 1 },
    ]);
  });

  it("the autumn day: a repeated time a third time, or an ordinary time twice, is an error", () => {
    const day = "2025-10-26";
    const parsed = parseGridIntensityCsv(
      [RTE_HEADER, rte(day, "02:00", "20"), rte(day, "02:00", "30"), rte(day, "02:00", "31"), rte(day, "04:00", "1"), rte(day, "04:00", "2")].join("\n"),
    );
    expect(parsed.errors).toEqual([
      { line: 4, message: "2025-10-26 02:00 was already given twice (lines 2 and 3), for summer then winter time" },
      { line: 6, message: "2025-10-26 04:00 was already given on line 5" },
    ]);
  });

  it("the spring day: 02:00–02:59 do not exist; a value there is an error, an empty line is skipped", () => {
    // 29 March 2026: at 02:00 winter time (01:00 UTC) the clocks went forward to 03:00.
    const day = "2026-03-29";
    const parsed = parseGridIntensityCsv(
      [RTE_HEADER, rte(day, "01:45", "10"), rte(day, "02:00", ""), rte(day, "02:15", "12"), rte(day, "03:00", "20")].join("\n"),
    );
    expect(parsed.errors).toEqual([{ line: 4, message: "2026-03-29 02:15 does not exist in Europe/Paris (the clocks went forward an hour)" }]);
    expect(parsed.skipped.map((s) => s.line)).toEqual([3]);
    const good = parseGridIntensityCsv([RTE_HEADER, rte(day, "01:45", "10"), rte(day, "03:00", "20")].join("\n"));
    expect(good.hours.map((h) => new Date(h.hourStartMs).toISOString())).toEqual(["2026-03-29T00:00:00.000Z", "2026-03-29T01:00:00.000Z"]);
  });

  it("reports every bad line by its number", () => {
    const parsed = parseGridIntensityCsv(
      [
        RTE_HEADER,
        rte("2026-01-15", "10:00", "abc"), // 2
        rte("2026-02-30", "10:00", "20"), // 3: no 30 February
        rte("15/01/2026", "10:00", "20"), // 4
        rte("2026-01-15", "24:00", "20"), // 5
        "France;Données consolidées;2026-01-15;11:00;20", // 6
        rte("2026-01-15", "12:00", "-3"), // 7
        rte("2026-01-15", "13:00", "2000,5"), // 8
        rte("2026-01-15", "14:00", "2000"),
        rte("2026-01-15", "15:00", "25").replace("France", "Bretagne"), // 10
      ].join("\n"),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 10]);
    expect(parsed.errors.map((e) => e.message)).toEqual([
      'the intensity "abc" is not a number of g/kWh',
      '"2026-02-30 10:00" is not a date and time written YYYY-MM-DD and HH:MM',
      '"15/01/2026 10:00" is not a date and time written YYYY-MM-DD and HH:MM',
      '"2026-01-15 24:00" is not a date and time written YYYY-MM-DD and HH:MM',
      "5 fields where the header has 8",
      "the intensity -3 g/kWh is negative",
      "the intensity 2000,5 g/kWh is above 2000 g/kWh: not plausible",
      'the perimeter "Bretagne", but the file began with "France": load one perimeter at a time',
    ]);
  });
});

describe("parseGridIntensityCsv, the generic shape", () => {
  const HEADER = "hour_start,intensity_g_per_kwh";

  it("reads hours with Z or an offset", () => {
    const parsed = parseGridIntensityCsv([HEADER, "2026-01-15T10:00:00Z,52.3", "2026-01-15T12:00:00+01:00,48", "2026-01-15T12:00Z,0.0005"].join("\n") + "\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.shape).toBe("generic");
    expect(parsed.perimeter).toBeNull();
    expect(parsed.skipped).toEqual([]);
    expect(parsed.hours).toEqual([
      { hourStartMs: at("2026-01-15T10:00:00Z"), intensityMgPerKWh: 52_300, values: 1 },
      { hourStartMs: at("2026-01-15T11:00:00Z"), intensityMgPerKWh: 48_000, values: 1 },
      { hourStartMs: at("2026-01-15T12:00:00Z"), intensityMgPerKWh: 1, values: 1 },
    ]);
  });

  it("refuses a time without an offset, an hour given twice, a time within an hour, a missing value", () => {
    const parsed = parseGridIntensityCsv(
      [
        HEADER,
        "2026-01-15T10:00:00,50", // 2: no offset
        "2026-01-15T11:00:00Z,50",
        "2026-01-15T12:00:00+01:00,51", // 4: 11:00 UTC again
        "2026-01-15T12:30:00Z,50", // 5
        "2026-01-15T13:00:00Z,", // 6
        "2026-01-15T14:00:00Z,2001", // 7
        "2026-01-15T15:00:00Z,50,1", // 8
        "2026-13-15T15:00:00Z,50", // 9
      ].join("\n"),
    );
    expect(parsed.errors).toEqual([
      { line: 2, message: '"2026-01-15T10:00:00" is not a time written in ISO 8601 with its offset or Z (2026-01-15T10:00:00Z)' },
      { line: 4, message: "the hour 2026-01-15T12:00:00+01:00 was already given on line 3" },
      { line: 5, message: "2026-01-15T12:30:00Z is not the start of an hour (in UTC)" },
      { line: 6, message: "no intensity for 2026-01-15T13:00:00Z" },
      { line: 7, message: "the intensity 2001 g/kWh is above 2000 g/kWh: not plausible" },
      { line: 8, message: "3 fields where the header has 2" },
      { line: 9, message: '"2026-13-15T15:00:00Z" is not a time written in ISO 8601 with its offset or Z (2026-01-15T10:00:00Z)' },
    ]);
  });
});

describe("parseGridIntensityCsv, neither shape", () => {
  it("refuses the file at line 1, naming the columns it needs", () => {
    const parsed = parseGridIntensityCsv("time;co2\n2026-01-15 10:00;20");
    expect(parsed.shape).toBeNull();
    expect(parsed.errors).toEqual([{ line: 1, message: expect.stringMatching(/Date, Heures and Taux de CO2.*hour_start and intensity_g_per_kwh/) }]);
    expect(parseGridIntensityCsv("").errors).toHaveLength(1);
  });
});

describe("decodeCsvBytes", () => {
  it("reads UTF-8, and Latin-1 when the bytes are not UTF-8", () => {
    expect(decodeCsvBytes(new TextEncoder().encode("Périmètre;Date"))).toBe("Périmètre;Date");
    // "Périmètre" in Latin-1: é is 0xE9, è 0xE8.
    const latin1 = Uint8Array.from([0x50, 0xe9, 0x72, 0x69, 0x6d, 0xe8, 0x74, 0x72, 0x65]);
    expect(decodeCsvBytes(latin1)).toBe("Périmètre");
    expect(parseGridIntensityCsv(decodeCsvBytes(Uint8Array.from([...latin1, ...new TextEncoder().encode(";Date;Heures;Taux de CO2\nFrance;2026-01-15;10:00;20")]))).hours).toHaveLength(1);
  });
});

describe("helpers", () => {
  it("instantsOfWallTime: none, one or two instants", () => {
    const wall = (iso: string) => Date.parse(`${iso}Z`);
    expect(instantsOfWallTime(wall("2026-03-29T02:30:00"), "Europe/Paris")).toEqual([]);
    expect(instantsOfWallTime(wall("2026-01-15T10:00:00"), "Europe/Paris")).toEqual([at("2026-01-15T09:00:00Z")]);
    expect(instantsOfWallTime(wall("2025-10-26T02:30:00"), "Europe/Paris")).toEqual([at("2025-10-26T00:30:00Z"), at("2025-10-26T01:30:00Z")]);
  });

  it("parseIsoInstant needs an offset", () => {
    expect(parseIsoInstant("2026-01-15T10:00:00.500-02:30")).toBe(at("2026-01-15T12:30:00.500Z"));
    expect(parseIsoInstant("2026-01-15T10:00:00")).toBeNull();
    expect(parseIsoInstant("2026-02-29T10:00:00Z")).toBeNull();
  });

  it("countryOfPerimeter", () => {
    expect(countryOfPerimeter("France")).toBe("FR");
    expect(countryOfPerimeter("Bretagne")).toBeNull();
  });
});

describe("typed intensities", () => {
  it("typedGramsToMg: g/kWh with at most three decimals", () => {
    expect(typedGramsToMg("21.7")).toBe(21_700);
    expect(typedGramsToMg(" 51,28 ")).toBe(51_280);
    expect(typedGramsToMg("0.001")).toBe(1);
    expect(typedGramsToMg("2000")).toBe(2_000_000);
    for (const bad of ["", "21.7345", "-3", "abc", "2000.001", "1e3", "21.7 g"]) expect(typedGramsToMg(bad), bad).toBeNull();
  });

  it("formatMgAsGrams", () => {
    expect(formatMgAsGrams(21_700)).toBe("21.7");
    expect(formatMgAsGrams(1_234_567)).toBe("1,234.567");
  });
});
