import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import {
  carbonFacts,
  CURRENT_METHODOLOGY,
  gridKey,
  intensityAt,
  METHODOLOGIES,
  qarnotCarbonFacts,
  roundedFacts,
  UnknownDatacenterError,
  wantedEnergyMwh,
  type CarbonSlice,
  type GridData,
} from "./carbon";

const at = (iso: string) => Date.parse(iso);
const FR_ANNUAL: GridData["annual"] = [
  { id: 1, country: "FR", effectiveFrom: "2023-01-01", mgPerKWh: 32_000, source: "RTE 2023" },
  { id: 2, country: "FR", effectiveFrom: "2024-01-01", mgPerKWh: 21_700, source: "RTE 2024" },
];
const grid = (hourly: Array<[string, number, number]> = []): GridData => ({
  hourly: new Map(hourly.map(([iso, mg, importId]) => [gridKey("FR", at(iso)), { mgPerKWh: mg, importId }])),
  annual: FR_ANNUAL,
});
/** One 16-core instance running a whole hour on a 16-core radiator. */
const slice = (over: Partial<CarbonSlice>): CarbonSlice => ({
  hourStartMs: at("2026-01-15T02:00:00Z"),
  country: "FR",
  siteKind: "housing",
  itEnergyWh: 500,
  wantedEnergyWh: 500,
  overheadEnergyWh: 1,
  machineSeconds: 3600,
  instanceSeconds: 3600,
  ...over,
});
// 400 kgCO2e over 4 years of 365.25 days, for one machine-hour.
const EMBODIED_ONE_MACHINE_HOUR_G = (400_000 * 3600) / (4 * 365.25 * 86_400);

describe("a winter night task in Paris, the room asking for all its heat", () => {
  // 500 Wh at the radiator, 1 Wh of the gateway's meter, 40 g/kWh in the grid operator's series that hour.
  const facts = carbonFacts([slice({})], grid([["2026-01-15T02:00:00Z", 40_000, 7]]));
  const r = roundedFacts(facts);

  it("counts the consumed energy as the radiators' plus the gateway's share, and all of it reused heat but the gateway's", () => {
    expect(r).toMatchObject({ itEnergyWh: 500, consumedEnergyWh: 501, reusedEnergyWh: 500 });
    expect(r).toMatchObject({ pue: 1.002, erf: 0.998, ere: 0.002, wue: 0 });
  });

  it("emits 501 Wh × 40 g/kWh = 20.04 g from the grid plus 11.41 g of the radiator's manufacture", () => {
    expect(EMBODIED_ONE_MACHINE_HOUR_G).toBeCloseTo(11.4077, 4);
    expect(r.operationalG).toBe(20.04);
    expect(r.embodiedG).toBe(11.41);
    expect(r.footprintG).toBe(31.45);
    expect(r.sciGPerInstanceHour).toBe(31.45);
  });

  it("compares with an average datacenter (PUE 1.56) on the same grid plus the rooms' electric heating", () => {
    // Datacenter: 500 Wh × 1.56 × 40 g/kWh = 31.2 g + the same 11.41 g embodied; heating: 0.5 kWh × 79 g/kWh = 39.5 g.
    expect(r.datacenterComputeG).toBe(42.61);
    expect(r.replacedHeatG).toBe(39.5);
    expect(r.equivalentG).toBe(82.11);
    expect(r.savedComputeG).toBe(11.16);
    expect(r.savedTotalG).toBe(50.66);
    expect(r.savedPercent).toBe(61.7);
  });

  it("names the hourly series it used", () => {
    expect(facts.grid).toMatchObject({ hoursHourly: 1, hoursAnnual: 0, importIds: [7], versionIds: [], meanGPerKWh: 40 });
  });

  it("answers Qarnot's field names with the same numbers as the label", () => {
    expect(qarnotCarbonFacts(facts)).toEqual({
      total_consumed_energy_Wh: 501,
      total_energy_it_Wh: 500,
      total_reused_energy_Wh: 500,
      qarnot_carbon_footprint: 31.45,
      equivalent_datacenter_name: "average-datacenter",
      equivalent_DC_carbon_footprint: 82.11,
      saved_carbon_footprint_compute: 11.16,
      saved_carbon_footprint_heat: 39.5,
      saved_carbon_footprint_compute_heat: 50.66,
      saved_carbon_footprint_percent: 61.7,
      PUE: 1.002,
      ERE: 0.002,
      ERF: 0.998,
      WUE: 0,
      methodology_version: "hearth-carbon-2",
      sci_gCO2e_per_instance_hour: 31.45,
    });
  });
});

describe("a summer task on the all-year site (a pool's digital boilers)", () => {
  // August, no hourly series: France's 2024 annual factor, 21.7 g/kWh. The pool takes all the heat all year.
  const facts = carbonFacts(
    [slice({ hourStartMs: at("2026-08-10T13:00:00Z"), siteKind: "all_year_heat_sink", itEnergyWh: 2000, wantedEnergyWh: 2000, overheadEnergyWh: 4, machineSeconds: 0 })],
    grid(),
  );
  const r = roundedFacts(facts);

  it("falls back to the annual factor and says so", () => {
    expect(facts.grid).toMatchObject({ hoursHourly: 0, hoursAnnual: 1, versionIds: [2], importIds: [] });
    expect(r.meanGridGPerKWh).toBe(21.7);
  });

  it("emits 2,004 Wh × 21.7 g/kWh = 43.49 g and replaces 2 kWh of gas heat, 454 g", () => {
    expect(r.operationalG).toBe(43.49);
    expect(r.replacedHeatG).toBe(454);
    // The datacenter: 2,000 Wh × 1.56 × 21.7 g/kWh = 67.70 g.
    expect(r.savedComputeG).toBe(24.22);
    expect(r.reusedEnergyWh).toBe(2000);
  });
});

describe("a task whose room stopped wanting heat halfway", () => {
  const first = slice({ hourStartMs: at("2026-03-20T10:00:00Z") });
  const second = slice({ hourStartMs: at("2026-03-20T11:00:00Z"), wantedEnergyWh: 0 });
  const facts = carbonFacts([first, second], grid());
  const r = roundedFacts(facts);

  it("counts only the first hour's heat as reused and as replacing heating", () => {
    expect(r).toMatchObject({ itEnergyWh: 1000, consumedEnergyWh: 1002, reusedEnergyWh: 500, replacedHeatG: 39.5 });
    expect(r.erf).toBe(0.499);
    // ERE = (1,002 − 500) / 1,000.
    expect(r.ere).toBe(0.502);
  });

  it("emits the same from the grid either way", () => {
    // 1,002 Wh × 21.7 g/kWh.
    expect(r.operationalG).toBe(21.74);
    expect(facts.grid.hoursAnnual).toBe(2);
  });
});

describe("the rules that hold for every label", () => {
  it("never lowers the footprint by the avoided emissions", () => {
    const withHeat = carbonFacts([slice({})], grid());
    const withoutHeat = carbonFacts([slice({ wantedEnergyWh: 0 })], grid());
    expect(withHeat.savedHeatG).toBeGreaterThan(0);
    expect(withoutHeat.savedHeatG).toBe(0);
    expect(withHeat.footprintG).toBe(withoutHeat.footprintG);
    expect(withHeat.footprintG).toBe(withHeat.operationalG + withHeat.embodiedG);
  });

  it("caps the reused energy at what was metered", () => {
    expect(carbonFacts([slice({ wantedEnergyWh: 900 })], grid()).reusedEnergyWh).toBe(500);
  });

  it("answers zeros, not an error, for work that has used no energy yet", () => {
    const body = qarnotCarbonFacts(carbonFacts([], grid()));
    for (const [field, value] of Object.entries(body)) {
      if (typeof value === "number") expect([field, value]).toEqual([field, 0]);
    }
    expect(body.equivalent_datacenter_name).toBe("average-datacenter");
  });

  it("compares with the datacenter asked for, and refuses one it does not know by name", () => {
    const hyperscale = carbonFacts([slice({})], grid([["2026-01-15T02:00:00Z", 40_000, 7]]), { datacenter: "hyperscale-datacenter" });
    // 500 Wh × 1.1 × 40 g/kWh − 501 Wh × 40 g/kWh.
    expect(roundedFacts(hyperscale).savedComputeG).toBe(1.96);
    expect(() => carbonFacts([], grid(), { datacenter: "mars-1" })).toThrow(UnknownDatacenterError);
    expect(() => carbonFacts([], grid(), { datacenter: "mars-1" })).toThrow('"mars-1"');
  });

  it("takes the annual version in force on the hour's date, the latest on a tie", () => {
    const annual = [...FR_ANNUAL, { id: 3, country: "FR", effectiveFrom: "2024-01-01", mgPerKWh: 22_000, source: "RTE 2024, corrected" }];
    const g: GridData = { hourly: new Map(), annual };
    expect(intensityAt(g, "FR", at("2023-12-31T23:00:00Z"))).toEqual({ mgPerKWh: 32_000, basis: "annual", versionId: 1 });
    expect(intensityAt(g, "FR", at("2024-01-01T00:00:00Z"))).toEqual({ mgPerKWh: 22_000, basis: "annual", versionId: 3 });
    expect(intensityAt(g, "BE", at("2024-01-01T00:00:00Z"))).toEqual({ mgPerKWh: 0, basis: "none" });
    expect(intensityAt(g, "FR", at("2022-06-01T00:00:00Z")).basis).toBe("none");
  });

  it("keeps a published methodology's factors as they were published", () => {
    // A change of factor or rule is a new version with its own entry: never edit a published one.
    const published = createHash("sha256").update(JSON.stringify(METHODOLOGIES["hearth-carbon-1"])).digest("hex");
    expect(published).toBe("5ad61318528cd3e2a1777303b0b04f711e171e4d442d4bbff8b56f68572929e3");
    const second = createHash("sha256").update(JSON.stringify(METHODOLOGIES["hearth-carbon-2"])).digest("hex");
    expect(second).toBe("c8b0d2659bc2ce1cb4ea84b56c89e25e4cc50e35bfda46b0ce1cffcc0b2abe6c");
  });

  it("keeps every factor of the first version in the second, which changes rules only", () => {
    const { version, changes, publishedOn: _published, ...factors } = METHODOLOGIES["hearth-carbon-2"]!;
    const { version: firstVersion, changes: firstChanges, publishedOn: _firstPublished, ...firstFactors } = METHODOLOGIES["hearth-carbon-1"]!;
    expect([version, firstVersion]).toEqual(["hearth-carbon-2", "hearth-carbon-1"]);
    expect(factors).toEqual(firstFactors);
    expect(changes).not.toEqual(firstChanges);
    expect(CURRENT_METHODOLOGY.version).toBe("hearth-carbon-2");
  });

  it("counts the part of a reading's energy the room asked for, in mWh", () => {
    expect(wantedEnergyMwh(12, { coresActive: 16, coresWanted: 12 })).toBe(9000);
    expect(wantedEnergyMwh(7, { coresActive: 3, coresWanted: 1 })).toBe(2333);
    // More wanted than running: all of it, never more.
    expect(wantedEnergyMwh(5, { coresActive: 2, coresWanted: 8 })).toBe(5000);
    expect(wantedEnergyMwh(5, { coresActive: 4, coresWanted: 0 })).toBe(0);
    expect(wantedEnergyMwh(5, { coresActive: 0, coresWanted: 4 })).toBe(0);
    expect(wantedEnergyMwh(0, { coresActive: 4, coresWanted: 4 })).toBe(0);
  });
});
