import { describe, expect, it } from "vitest";
import { formatOutdoorCsv, parseOutdoorCsv } from "./outdoor-csv";

const HEADER = "NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;RR1;QRR1;T;QT;TD;QTD";
const row = (hour: string, t: string) => `75114001;PARIS-MONTSOURIS;48.821667;2.337833;75;${hour};0;1;${t};1;;`;

describe("parseOutdoorCsv", () => {
  it("reads Météo-France's hourly file: UTC hours, decimal point or comma", () => {
    const parsed = parseOutdoorCsv(["\uFEFF" + HEADER, row("2026010100", "3.4"), row("2026010101", "-1,5"), row("2026010102", "12")].join("\r\n") + "\r\n");
    expect(parsed.errors).toEqual([]);
    expect(parsed.station).toBe("75114001");
    expect(parsed.observations).toEqual([
      { hourStartMs: Date.parse("2026-01-01T00:00:00Z"), tempC: 3.4 },
      { hourStartMs: Date.parse("2026-01-01T01:00:00Z"), tempC: -1.5 },
      { hourStartMs: Date.parse("2026-01-01T02:00:00Z"), tempC: 12 },
    ]);
  });

  it("counts hours without a temperature as missing, not as errors", () => {
    const parsed = parseOutdoorCsv([HEADER, row("2026010100", ""), "", row("2026010101", "4.0")].join("\n"));
    expect(parsed.errors).toEqual([]);
    expect(parsed.missing).toEqual([{ line: 2, message: "no temperature for 2026010100" }]);
    expect(parsed.observations).toHaveLength(1);
  });

  it("reports every bad line by its number", () => {
    const parsed = parseOutdoorCsv(
      [
        HEADER,
        row("2026010100", "abc"), // 2
        row("2026023100", "1"), // 3: no 31 February
        row("20260101", "1"), // 4
        "75114001;PARIS;1;2", // 5
        row("2026010101", "99"), // 6
        row("2026010102", "1"),
        row("2026010102", "2"), // 8
        row("2026010103", "1").replace("75114001", "33281001"), // 9
      ].join("\n"),
    );
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 8, 9]);
    expect(parsed.errors[0]!.message).toMatch(/"abc" is not a number/);
    expect(parsed.errors[5]!.message).toMatch(/already given on line 7/);
    expect(parsed.errors[6]!.message).toMatch(/one station at a time/);
  });

  it("refuses a file without the columns it needs, at line 1", () => {
    expect(parseOutdoorCsv("date,temp\n2026-01-01,3").errors).toEqual([
      { line: 1, message: expect.stringMatching(/NUM_POSTE, AAAAMMJJHH, T/) },
    ]);
  });

  it("reads back what formatOutdoorCsv writes", () => {
    const observations = [
      { hourStartMs: Date.parse("2026-03-29T00:00:00Z"), tempC: 5.2 },
      { hourStartMs: Date.parse("2026-03-29T01:00:00Z"), tempC: -0.3 },
    ];
    const text = formatOutdoorCsv({ number: "SIM-PARIS", name: "Simulated Paris", lat: 48.85, lon: 2.35, altitudeM: 35 }, observations);
    const parsed = parseOutdoorCsv(text);
    expect(parsed.errors).toEqual([]);
    expect(parsed.station).toBe("SIM-PARIS");
    expect(parsed.observations).toEqual(observations);
  });
});
