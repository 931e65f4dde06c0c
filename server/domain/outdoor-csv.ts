/**
 * Hourly outdoor temperatures as Météo-France publishes them (meteo.data.gouv.fr, "données
 * climatologiques de base horaires", files H_<département>_<période>.csv): semicolon-separated,
 * one header line naming the columns, among them
 *   NUM_POSTE;NOM_USUEL;LAT;LON;ALTI;AAAAMMJJHH;...;T;QT;...
 * AAAAMMJJHH is the hour of the observation in UTC, T the air temperature under shelter in °C
 * (empty when not observed). Older files write decimals with a comma; both are read. Only
 * NUM_POSTE, AAAAMMJJHH and T are required; the other columns are carried along and ignored.
 *
 * A file is for one station: one site's temperatures come from the station nearest to it.
 */

const HOUR_MS = 3_600_000;
/** Beyond what any French station has measured, by a margin: a value outside is a mistake. */
const PLAUSIBLE_MIN_C = -60;
const PLAUSIBLE_MAX_C = 60;

export const OUTDOOR_CSV_COLUMNS = ["NUM_POSTE", "NOM_USUEL", "LAT", "LON", "ALTI", "AAAAMMJJHH", "T"] as const;

export type OutdoorObservation = { hourStartMs: number; tempC: number };
/** A line that could not be read, numbered from 1 (the header is line 1). */
export type OutdoorCsvProblem = { line: number; message: string };

export type ParsedOutdoorCsv = {
  /** The station's number (NUM_POSTE), e.g. "75114001" for Paris-Montsouris. */
  station: string | null;
  observations: OutdoorObservation[];
  /** Hours the station did not observe (T empty): nothing to import, not an error. */
  missing: OutdoorCsvProblem[];
  /** Lines that cannot be read; a file with any is refused as a whole. */
  errors: OutdoorCsvProblem[];
};

/** Reads a file; never throws: what is wrong is in `errors`, by line. */
export function parseOutdoorCsv(text: string): ParsedOutdoorCsv {
  const lines = text.replace(/^\uFEFF/, "").split(/\r?\n/);
  const result: ParsedOutdoorCsv = { station: null, observations: [], missing: [], errors: [] };
  const header = splitLine(lines[0] ?? "");
  const column = (name: string) => header.findIndex((h) => h.toUpperCase() === name);
  const stationAt = column("NUM_POSTE");
  const hourAt = column("AAAAMMJJHH");
  const tempAt = column("T");
  const absent = [["NUM_POSTE", stationAt], ["AAAAMMJJHH", hourAt], ["T", tempAt]].filter(([, i]) => i === -1).map(([n]) => n);
  if (absent.length > 0) {
    result.errors.push({
      line: 1,
      message: `the header must name the columns ${absent.join(", ")} (a Météo-France hourly file, separated by semicolons)`,
    });
    return result;
  }
  const seen = new Map<number, number>();
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    if (lines[i]!.trim() === "") continue;
    const fields = splitLine(lines[i]!);
    if (fields.length !== header.length) {
      result.errors.push({ line, message: `${fields.length} fields where the header has ${header.length}` });
      continue;
    }
    const station = fields[stationAt]!;
    if (station === "") {
      result.errors.push({ line, message: "no station number (NUM_POSTE)" });
      continue;
    }
    if (result.station === null) result.station = station;
    else if (station !== result.station) {
      result.errors.push({ line, message: `station ${station}, but the file began with station ${result.station}: import one station at a time` });
      continue;
    }
    const hourStartMs = parseHour(fields[hourAt]!);
    if (hourStartMs === null) {
      result.errors.push({ line, message: `"${fields[hourAt]}" is not an hour written AAAAMMJJHH (UTC)` });
      continue;
    }
    const earlier = seen.get(hourStartMs);
    if (earlier !== undefined) {
      result.errors.push({ line, message: `the hour ${fields[hourAt]} was already given on line ${earlier}` });
      continue;
    }
    seen.set(hourStartMs, line);
    const raw = fields[tempAt]!;
    if (raw === "") {
      result.missing.push({ line, message: `no temperature for ${fields[hourAt]}` });
      continue;
    }
    const tempC = parseDecimal(raw);
    if (tempC === null) {
      result.errors.push({ line, message: `the temperature "${raw}" is not a number` });
      continue;
    }
    if (tempC < PLAUSIBLE_MIN_C || tempC > PLAUSIBLE_MAX_C) {
      result.errors.push({ line, message: `the temperature ${raw} °C is not plausible` });
      continue;
    }
    result.observations.push({ hourStartMs, tempC });
  }
  return result;
}

export type OutdoorStation = { number: string; name: string; lat: number; lon: number; altitudeM: number };

/** Writes observations in the same format, with the columns the reader needs (the simulator's weather feeds the import this way). */
export function formatOutdoorCsv(station: OutdoorStation, observations: readonly OutdoorObservation[]): string {
  const lines = [OUTDOOR_CSV_COLUMNS.join(";")];
  for (const o of observations) {
    lines.push([station.number, station.name, station.lat, station.lon, station.altitudeM, formatHour(o.hourStartMs), o.tempC.toFixed(1)].join(";"));
  }
  return lines.join("\n") + "\n";
}

function splitLine(line: string): string[] {
  return line.split(";").map((f) => f.trim().replace(/^"(.*)"$/, "$1").trim());
}

function parseHour(value: string): number | null {
  const match = /^(\d{4})(\d{2})(\d{2})(\d{2})$/.exec(value);
  if (!match) return null;
  const [year, month, day, hour] = match.slice(1).map(Number) as [number, number, number, number];
  const ms = Date.UTC(year, month - 1, day, hour);
  const d = new Date(ms);
  // Date.UTC rolls 31 February over into March: such a date does not exist.
  if (d.getUTCFullYear() !== year || d.getUTCMonth() !== month - 1 || d.getUTCDate() !== day || d.getUTCHours() !== hour) return null;
  return ms;
}

function formatHour(ms: number): string {
  const d = new Date(Math.floor(ms / HOUR_MS) * HOUR_MS);
  const two = (n: number) => String(n).padStart(2, "0");
  return `${d.getUTCFullYear()}${two(d.getUTCMonth() + 1)}${two(d.getUTCDate())}${two(d.getUTCHours())}`;
}

function parseDecimal(value: string): number | null {
  if (!/^[+-]?(\d+([.,]\d*)?|[.,]\d+)$/.test(value)) return null;
  return Number(value.replace(",", "."));
}
