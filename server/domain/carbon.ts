/**
 * The carbon methodology: from the energy customers' work drew on radiators (the metering ledger)
 * to the fields of a Carbon Facts label, the same field names as Qarnot's Carbon Facts API, plus
 * the Software Carbon Intensity (SCI, ISO/IEC 21031:2024) per instance-hour.
 *
 * A methodology is a version: its rules are this file's functions and its factors are the
 * constants of its entry in METHODOLOGIES, each with its source and date. A published version is
 * frozen: a change of factor or rule is a new version (a test holds each published version's
 * factors to what was published), and every label names the version that made it.
 *
 * Pure: the service (server/services/carbon.ts) reads the ledger grouped into slices and the
 * grid's intensities; everything here is arithmetic on those.
 */

export type SiteKind = "housing" | "all_year_heat_sink";

/** A figure the methodology uses, with where it comes from. */
export type Factor = { value: number; unit: string; source: string; date: string };

export type ComparisonDatacenter = {
  /** The name the API takes as ?comparisonDatacenter= and answers as equivalent_datacenter_name. */
  name: string;
  label: string;
  pue: Factor;
};

export type CarbonMethodology = {
  version: string;
  publishedOn: string;
  /** What the heat the work gave a room that asked for it would otherwise have emitted, per kWh of heat. */
  replacedHeatGPerKWh: Record<SiteKind, Factor>;
  /** One radiator's manufacturing footprint, and the years it is used before it is replaced. */
  radiatorEmbodiedKg: Factor;
  radiatorLifeYears: Factor;
  /** Water the sites use per kWh of IT energy. */
  siteWueLPerKWh: Factor;
  datacenters: ComparisonDatacenter[];
  defaultDatacenter: string;
  /** What changed from the previous version, newest last. */
  changes: string[];
};

const HEARTH_CARBON_1: CarbonMethodology = {
  version: "hearth-carbon-1",
  publishedOn: "2026-12-06",
  replacedHeatGPerKWh: {
    housing: {
      value: 79,
      unit: "gCO2e/kWh",
      source: "Electric heating, seasonal factor of the French RE2020 and DPE 2021 (arrêté du 31 mars 2021)",
      date: "2021-03-31",
    },
    all_year_heat_sink: {
      value: 227,
      unit: "gCO2e/kWh",
      source: "Natural gas, factor of the French DPE 2021 (arrêté du 31 mars 2021); boiler losses not counted, which understates the saving",
      date: "2021-03-31",
    },
  },
  radiatorEmbodiedKg: {
    value: 400,
    unit: "kgCO2e per radiator",
    source:
      "Hearth estimate with Boavizta's component method: processors, 64 GB of RAM, mainboard and power supply, no disk, plus the radiator's casing; to be replaced by the manufacturer's product carbon footprint",
    date: "2026-12-06",
  },
  radiatorLifeYears: {
    value: 4,
    unit: "years",
    source: "Operator's replacement cycle of 3 to 5 years (public interviews), middle value",
    date: "2026-12-06",
  },
  siteWueLPerKWh: {
    value: 0,
    unit: "L/kWh",
    source: "Radiators are cooled by the room's air; no water is used on site",
    date: "2026-12-06",
  },
  datacenters: [
    {
      name: "average-datacenter",
      label: "Average datacenter",
      pue: { value: 1.56, unit: "ratio", source: "Uptime Institute, Global Data Center Survey 2024, average PUE", date: "2024-07-01" },
    },
    {
      name: "hyperscale-datacenter",
      label: "Hyperscale datacenter",
      pue: { value: 1.1, unit: "ratio", source: "Google, 2024 Environmental Report, fleet-wide trailing twelve-month PUE for 2023", date: "2024-07-01" },
    },
  ],
  defaultDatacenter: "average-datacenter",
  changes: ["First version."],
};

export const METHODOLOGIES: Record<string, CarbonMethodology> = {
  "hearth-carbon-1": HEARTH_CARBON_1,
  // Every factor of the first version; two rules of measurement changed.
  "hearth-carbon-2": {
    ...HEARTH_CARBON_1,
    version: "hearth-carbon-2",
    publishedOn: "2026-12-06",
    changes: [
      "Wanted heat is measured reading by reading (every few minutes) instead of per radiator-hour: a room that stops asking for heat stops counting at that reading, not on average over its hour.",
      "The gateways' share is taken report by report: each report's gateway meter delta is shared by the energy its radiators metered in the same report, instead of per gateway-hour.",
      "Factors unchanged.",
    ],
  },
};

export const CURRENT_METHODOLOGY = METHODOLOGIES["hearth-carbon-2"]!;

/**
 * The part of `energyWh`, metered at `reading`, that the room asked for, in mWh: energyWh × min(1,
 * cores the thermostat wanted ÷ cores running) at that reading. Written to the ledger with the
 * energy, so a label sums it rather than working it out again.
 */
export function wantedEnergyMwh(energyWh: number, reading: { coresActive: number; coresWanted: number }): number {
  if (reading.coresActive <= 0 || energyWh <= 0) return 0;
  return Math.round(energyWh * 1000 * Math.min(1, Math.max(0, reading.coresWanted) / reading.coresActive));
}

const SECONDS_PER_YEAR = 365.25 * 24 * 3600;

/**
 * The ledger's energy of one UTC hour at one kind of site in one country, summed over the rows of
 * the work asked about. What was metered, and the shares the rules need.
 */
export type CarbonSlice = {
  hourStartMs: number;
  country: string;
  siteKind: SiteKind;
  /** Energy the radiators' meters gave the work (the ledger), Wh. */
  itEnergyWh: number;
  /**
   * The part of itEnergyWh drawn while the room asked for that heat: each reading's energy ×
   * min(1, cores its thermostat wanted ÷ cores running), see wantedEnergyMwh. At an all-year site, all of it.
   */
  wantedEnergyWh: number;
  /** The work's share of its gateways' own meters: each report's gateway delta × the work's part of its radiators' energy, Wh. */
  overheadEnergyWh: number;
  /** Σ core-seconds ÷ the radiator's cores: the share of machines' time the work reserved, in seconds. */
  machineSeconds: number;
  /** Σ core-seconds ÷ the cores the attempt had: instance time, in seconds. */
  instanceSeconds: number;
};

/** The grid's intensity data the method reads: hourly series and annual versions, per country. */
export type GridData = {
  /** `${country}:${hourStartMs}` → the imported value and the import it came from. */
  hourly: Map<string, { mgPerKWh: number; importId: number }>;
  /** Each country's annual versions, any order. */
  annual: Array<{ id: number; country: string; effectiveFrom: string; mgPerKWh: number; source: string }>;
};

export type GridIntensity = { mgPerKWh: number; basis: "hourly"; importId: number } | { mgPerKWh: number; basis: "annual"; versionId: number } | { mgPerKWh: 0; basis: "none" };

export const gridKey = (country: string, hourStartMs: number) => `${country}:${hourStartMs}`;

/**
 * The intensity of an hour: the country's hourly series where it has the hour, else the annual
 * version in force on the hour's UTC date (latest effectiveFrom at or before it, ties by latest
 * id), else nothing known (counted as 0 and named on the label: no country lacks one in practice).
 */
export function intensityAt(grid: GridData, country: string, hourStartMs: number): GridIntensity {
  const hourly = grid.hourly.get(gridKey(country, hourStartMs));
  if (hourly) return { mgPerKWh: hourly.mgPerKWh, basis: "hourly", importId: hourly.importId };
  const day = new Date(hourStartMs).toISOString().slice(0, 10);
  let best: GridData["annual"][number] | null = null;
  for (const v of grid.annual) {
    if (v.country !== country || v.effectiveFrom > day) continue;
    if (!best || v.effectiveFrom > best.effectiveFrom || (v.effectiveFrom === best.effectiveFrom && v.id > best.id)) best = v;
  }
  return best ? { mgPerKWh: best.mgPerKWh, basis: "annual", versionId: best.id } : { mgPerKWh: 0, basis: "none" };
}

/** Every figure of a label, unrounded; `qarnotFields` and the label round them the same way. */
export type CarbonFacts = {
  methodologyVersion: string;
  datacenter: ComparisonDatacenter;
  itEnergyWh: number;
  overheadEnergyWh: number;
  consumedEnergyWh: number;
  reusedEnergyWh: number;
  /** Grid emissions of the consumed energy, g. */
  operationalG: number;
  /** The hardware's manufacturing share for the time the work reserved, g. */
  embodiedG: number;
  /** operational + embodied: what the work emitted. Avoided emissions never lower it. */
  footprintG: number;
  /** The same work in the comparison datacenter on the same grid, same hardware, g. */
  datacenterComputeG: number;
  /** What heating the rooms that asked for this heat would have emitted otherwise, g. */
  replacedHeatG: number;
  /** datacenterComputeG + replacedHeatG: the datacenter's work plus the rooms' own heating. */
  equivalentG: number;
  savedComputeG: number;
  savedHeatG: number;
  savedTotalG: number;
  savedPercent: number;
  pue: number;
  ere: number;
  erf: number;
  wue: number;
  instanceHours: number;
  /** SCI = (E × I + M) / R with R one instance-hour, g per instance-hour. */
  sciGPerInstanceHour: number;
  grid: {
    /** Energy-weighted mean intensity of the consumed energy, g/kWh. */
    meanGPerKWh: number;
    hoursHourly: number;
    hoursAnnual: number;
    hoursUnknown: number;
    importIds: number[];
    versionIds: number[];
  };
};

export class UnknownDatacenterError extends Error {
  constructor(readonly name: string) {
    super(`No comparison datacenter is named "${name}".`);
  }
}

export function comparisonDatacenter(methodology: CarbonMethodology, name: string | null | undefined): ComparisonDatacenter {
  const wanted = name ?? methodology.defaultDatacenter;
  const found = methodology.datacenters.find((d) => d.name === wanted);
  if (!found) throw new UnknownDatacenterError(wanted);
  return found;
}

/** A datacenter name from a page's query when the current methodology knows it, else undefined (the default). */
export function knownDatacenter(name: string | undefined): string | undefined {
  return CURRENT_METHODOLOGY.datacenters.some((d) => d.name === name) ? name : undefined;
}

/** The Carbon Facts of work from its slices. No slices (nothing metered yet): all zeros. */
export function carbonFacts(
  slices: readonly CarbonSlice[],
  grid: GridData,
  options: { methodology?: CarbonMethodology; datacenter?: string | null } = {},
): CarbonFacts {
  const m = options.methodology ?? CURRENT_METHODOLOGY;
  const datacenter = comparisonDatacenter(m, options.datacenter);
  const embodiedGPerMachineSecond = (m.radiatorEmbodiedKg.value * 1000) / (m.radiatorLifeYears.value * SECONDS_PER_YEAR);

  let itWh = 0, overheadWh = 0, reusedWh = 0, operationalG = 0, dcOperationalG = 0, replacedHeatG = 0, machineSeconds = 0, instanceSeconds = 0;
  const hours = { hourly: new Set<string>(), annual: new Set<string>(), none: new Set<string>() };
  const importIds = new Set<number>();
  const versionIds = new Set<number>();
  for (const s of slices) {
    const intensity = intensityAt(grid, s.country, s.hourStartMs);
    const gPerWh = intensity.mgPerKWh / 1_000_000; // mg/kWh → g/Wh
    const key = gridKey(s.country, s.hourStartMs);
    hours[intensity.basis].add(key);
    if (intensity.basis === "hourly") importIds.add(intensity.importId);
    if (intensity.basis === "annual") versionIds.add(intensity.versionId);

    itWh += s.itEnergyWh;
    overheadWh += s.overheadEnergyWh;
    const wantedWh = Math.min(s.wantedEnergyWh, s.itEnergyWh);
    reusedWh += wantedWh;
    operationalG += (s.itEnergyWh + s.overheadEnergyWh) * gPerWh;
    dcOperationalG += s.itEnergyWh * datacenter.pue.value * gPerWh;
    replacedHeatG += (wantedWh / 1000) * m.replacedHeatGPerKWh[s.siteKind].value;
    machineSeconds += s.machineSeconds;
    instanceSeconds += s.instanceSeconds;
  }
  const consumedWh = itWh + overheadWh;
  const embodiedG = machineSeconds * embodiedGPerMachineSecond;
  const footprintG = operationalG + embodiedG;
  // The comparison runs the same hardware for the same time: its embodied share is the same.
  const datacenterComputeG = dcOperationalG + embodiedG;
  const equivalentG = datacenterComputeG + replacedHeatG;
  const savedComputeG = datacenterComputeG - footprintG;
  const instanceHours = instanceSeconds / 3600;
  const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
  return {
    methodologyVersion: m.version,
    datacenter,
    itEnergyWh: itWh,
    overheadEnergyWh: overheadWh,
    consumedEnergyWh: consumedWh,
    reusedEnergyWh: reusedWh,
    operationalG,
    embodiedG,
    footprintG,
    datacenterComputeG,
    replacedHeatG,
    equivalentG,
    savedComputeG,
    savedHeatG: replacedHeatG,
    savedTotalG: savedComputeG + replacedHeatG,
    savedPercent: ratio(savedComputeG + replacedHeatG, equivalentG) * 100,
    pue: ratio(consumedWh, itWh),
    ere: ratio(consumedWh - reusedWh, itWh),
    erf: ratio(reusedWh, consumedWh),
    wue: itWh > 0 ? m.siteWueLPerKWh.value : 0,
    instanceHours,
    sciGPerInstanceHour: ratio(footprintG, instanceHours),
    grid: {
      meanGPerKWh: ratio(operationalG, consumedWh / 1000),
      hoursHourly: hours.hourly.size,
      hoursAnnual: hours.annual.size,
      hoursUnknown: hours.none.size,
      importIds: [...importIds].sort((a, b) => a - b),
      versionIds: [...versionIds].sort((a, b) => a - b),
    },
  };
}

const round = (x: number, digits: number) => {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
};

/** A label's rounding: energy in whole Wh, emissions to 0.01 g, ratios to 0.001, percent to 0.1. */
export function roundedFacts(f: CarbonFacts) {
  return {
    consumedEnergyWh: Math.round(f.consumedEnergyWh),
    itEnergyWh: Math.round(f.itEnergyWh),
    overheadEnergyWh: round(f.overheadEnergyWh, 2),
    reusedEnergyWh: Math.round(f.reusedEnergyWh),
    operationalG: round(f.operationalG, 2),
    embodiedG: round(f.embodiedG, 2),
    footprintG: round(f.footprintG, 2),
    datacenterComputeG: round(f.datacenterComputeG, 2),
    replacedHeatG: round(f.replacedHeatG, 2),
    equivalentG: round(f.equivalentG, 2),
    savedComputeG: round(f.savedComputeG, 2),
    savedHeatG: round(f.savedHeatG, 2),
    savedTotalG: round(f.savedTotalG, 2),
    savedPercent: round(f.savedPercent, 1),
    pue: round(f.pue, 3),
    ere: round(f.ere, 3),
    erf: round(f.erf, 3),
    wue: round(f.wue, 3),
    instanceHours: round(f.instanceHours, 3),
    sciGPerInstanceHour: round(f.sciGPerInstanceHour, 2),
    meanGridGPerKWh: round(f.grid.meanGPerKWh, 1),
  };
}

/** The body of GET /carbon/v1/…/carbon-facts: Qarnot's field names, energy in Wh, emissions in gCO2e. */
export function qarnotCarbonFacts(f: CarbonFacts) {
  const r = roundedFacts(f);
  return {
    total_consumed_energy_Wh: r.consumedEnergyWh,
    total_energy_it_Wh: r.itEnergyWh,
    total_reused_energy_Wh: r.reusedEnergyWh,
    qarnot_carbon_footprint: r.footprintG,
    equivalent_datacenter_name: f.datacenter.name,
    equivalent_DC_carbon_footprint: r.equivalentG,
    saved_carbon_footprint_compute: r.savedComputeG,
    saved_carbon_footprint_heat: r.savedHeatG,
    saved_carbon_footprint_compute_heat: r.savedTotalG,
    saved_carbon_footprint_percent: r.savedPercent,
    PUE: r.pue,
    ERE: r.ere,
    ERF: r.erf,
    WUE: r.wue,
    methodology_version: f.methodologyVersion,
    sci_gCO2e_per_instance_hour: r.sciGPerInstanceHour,
  };
}
