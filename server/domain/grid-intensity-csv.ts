import { zoneOffsetMs } from "./heating";

/**
 * A grid's carbon intensity hour by hour, from a CSV file, in one of two shapes:
 *
 * - **RTE éCO2mix** (the French grid operator's export, eco2mix.rte-france.com and
 *   odre.opendatasoft.com): separated by semicolons (or tabs, as RTE's ".xls" downloads are), a
 *   header line naming the columns, among them `Périmètre;Nature;Date;Heures;…;Taux de CO2`.
 *   `Date` is YYYY-MM-DD and `Heures` HH:MM, the wall clock of Europe/Paris, every quarter or half
 *   hour; `Taux de CO2` is in g/kWh, decimals with a comma or a point, empty on lines RTE has not
 *   published (those are skipped and counted, not errors). The values within each UTC hour are
 *   averaged into that hour. On the autumn day the clocks go back, 02:00–02:59 appear twice: the
 *   first time is summer time (UTC+2), the second winter time (UTC+1), in the file's order. On the
 *   spring day 02:00–02:59 do not exist; a value there is an error.
 * - **Generic**: `hour_start,intensity_g_per_kwh`, one line per hour, the hour's start in ISO 8601
 *   with its offset or Z (`2026-01-15T10:00:00Z`, `2026-01-15T11:00:00+01:00`), g/kWh with a
 *   decimal point. Every line must carry a value, and an hour only once.
 *
 * A file with any bad line is refused as a whole (the caller writes nothing); every bad line is
 * named by its number, the header being line 1. Pure: no I/O.
 */

const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
/** The zone of the RTE export's `Date` and `Heures`. */
export const RTE_TIME_ZONE = "Europe/Paris";
/** Above any grid's hourly figure by a wide margin (lignite is about 1,100 g/kWh): a value beyond is a mistake. */
export const MAX_INTENSITY_G_PER_KWH = 2000;
/** The largest file staff may load: 5 MB (a month of RTE's full export is about 1 MB). Decoded, it has at most as many characters. */
export const GRID_CSV_MAX_BYTES = 5_000_000;
export const GRID_CSV_MAX_CHARS = GRID_CSV_MAX_BYTES;
/** RTE's perimeters that are a whole country's grid, by the country's ISO 3166 code. */
export const RTE_PERIMETER_COUNTRIES: Readonly<Record<string, string>> = { france: "FR" };
/** The disclaimer RTE's downloads end with: not data. */
const RTE_DISCLAIMER = /^RTE ne pourra .tre tenu responsable/i;

export type GridCsvShape = "rte" | "generic";
export type GridIntensityHour = {
  hourStartMs: number;
  /** The mean of the file's values within the hour, in mg of CO2e per kWh (21.7 g/kWh is 21,700). */
  intensityMgPerKWh: number;
  /** How many of the file's values the hour averages (4 for quarter-hours). */
  values: number;
};
/** A line, numbered from 1 (the header is line 1), and what is wrong with it or why it was skipped. */
export type GridCsvProblem = { line: number; message: string };

export type ParsedGridIntensityCsv = {
  shape: GridCsvShape | null;
  /** The RTE file's `Périmètre` ("France"), when it has one. */
  perimeter: string | null;
  /** One per UTC hour, in time order. */
  hours: GridIntensityHour[];
  /** RTE lines without a value: nothing to load for them, not an error. */
  skipped: GridCsvProblem[];
  /** Lines that cannot be read; a file with any is refused as a whole. */
  errors: GridCsvProblem[];
};

/** The ISO 3166 code of an RTE perimeter that is a country's whole grid ("France" → "FR"), else null. */
export function countryOfPerimeter(perimeter: string): string | null {
  return RTE_PERIMETER_COUNTRIES[normalizeHeader(perimeter)] ?? null;
}

/**
 * An intensity typed in g/kWh with at most three decimals (a point or a comma), in mg/kWh:
 * "21.7" → 21,700. Null when it is not such a number, or beyond what a grid emits.
 */
export function typedGramsToMg(typed: string): number | null {
  const value = typed.trim();
  if (!/^(\d+([.,]\d{0,3})?|[.,]\d{1,3})$/.test(value)) return null;
  const mg = Math.round(Number(value.replace(",", ".")) * 1000);
  return mg <= MAX_INTENSITY_G_PER_KWH * 1000 ? mg : null;
}

/** mg/kWh as people read it, in g/kWh: 21,700 → "21.7". */
export function formatMgAsGrams(mgPerKWh: number): string {
  return (mgPerKWh / 1000).toLocaleString("en-GB", { maximumFractionDigits: 3 });
}

/**
 * A file's bytes as text: UTF-8 (with or without its BOM) when they are valid UTF-8, else
 * Latin-1 (Windows-1252, a superset), in which RTE's ".xls" downloads are written.
 */
export function decodeCsvBytes(bytes: Uint8Array): string {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    return new TextDecoder("windows-1252").decode(bytes);
  }
}

/** Reads a file in either shape; never throws: what is wrong is in `errors`, by line. */
export function parseGridIntensityCsv(text: string): ParsedGridIntensityCsv {
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\n|\r/);
  const result: ParsedGridIntensityCsv = { shape: null, perimeter: null, hours: [], skipped: [], errors: [] };
  const headerLine = lines[0] ?? "";
  const separator = headerLine.includes(";") ? ";" : headerLine.includes("\t") ? "\t" : ",";
  const header = splitLine(headerLine, separator).map(normalizeHeader);
  const column = (...names: string[]) => header.findIndex((h) => names.includes(h));

  const hourStartAt = column("hour_start");
  const genericValueAt = column("intensity_g_per_kwh");
  const dateAt = column("date");
  const timeAt = column("heures", "heure");
  const co2At = column("taux de co2");
  const perimeterAt = column("perimetre");

  /** Values in mg/kWh by UTC hour, in the order met. */
  const sums = new Map<number, { totalMg: number; values: number }>();
  const add = (hourStartMs: number, mg: number) => {
    const s = sums.get(hourStartMs) ?? { totalMg: 0, values: 0 };
    s.totalMg += mg;
    s.values += 1;
    sums.set(hourStartMs, s);
  };

  if (hourStartAt !== -1 && genericValueAt !== -1) {
    result.shape = "generic";
    const seen = new Map<number, number>();
    eachLine(lines, header.length, separator, result, (line, fields) => {
      const raw = fields[hourStartAt]!;
      const hourStartMs = parseIsoInstant(raw);
      if (hourStartMs === null) return `"${raw}" is not a time written in ISO 8601 with its offset or Z (2026-01-15T10:00:00Z)`;
      if (hourStartMs % HOUR_MS !== 0) return `${raw} is not the start of an hour (in UTC)`;
      const earlier = seen.get(hourStartMs);
      if (earlier !== undefined) return `the hour ${raw} was already given on line ${earlier}`;
      seen.set(hourStartMs, line);
      const value = fields[genericValueAt]!;
      if (value === "") return `no intensity for ${raw}`;
      const mg = intensityMg(value);
      if (typeof mg === "string") return mg;
      add(hourStartMs, mg);
      return null;
    });
  } else if (dateAt !== -1 && timeAt !== -1 && co2At !== -1) {
    result.shape = "rte";
    /** Line of each wall time (date and time) met, twice for the autumn's repeated hour. */
    const seen = new Map<string, number[]>();
    eachLine(lines, header.length, separator, result, (line, fields) => {
      if (perimeterAt !== -1) {
        const perimeter = fields[perimeterAt]!;
        if (result.perimeter === null) result.perimeter = perimeter;
        else if (perimeter !== result.perimeter) return `the perimeter "${perimeter}", but the file began with "${result.perimeter}": load one perimeter at a time`;
      }
      const date = fields[dateAt]!;
      const time = fields[timeAt]!;
      const wallMs = parseWallTime(date, time);
      if (wallMs === null) return `"${date} ${time}" is not a date and time written YYYY-MM-DD and HH:MM`;
      const key = `${date} ${time}`;
      const value = fields[co2At]!;
      const empty = value === "" || value === "ND" || value === "-";
      const instants = instantsOfWallTime(wallMs, RTE_TIME_ZONE);
      if (instants.length === 0) {
        if (!empty) return `${key} does not exist in ${RTE_TIME_ZONE} (the clocks went forward an hour)`;
        result.skipped.push({ line, message: `no CO2 intensity for ${key}, a time that does not exist (the clocks went forward)` });
        return null;
      }
      const earlier = seen.get(key) ?? [];
      if (earlier.length >= instants.length) {
        return instants.length === 1
          ? `${key} was already given on line ${earlier[0]}`
          : `${key} was already given twice (lines ${earlier.join(" and ")}), for summer then winter time`;
      }
      seen.set(key, [...earlier, line]);
      // In the file's order: the first of a repeated autumn time is summer time, the earlier instant.
      const atMs = instants[earlier.length]!;
      if (empty) {
        result.skipped.push({ line, message: `no CO2 intensity for ${key}` });
        return null;
      }
      const mg = intensityMg(value);
      if (typeof mg === "string") return mg;
      add(Math.floor(atMs / HOUR_MS) * HOUR_MS, mg);
      return null;
    });
  } else {
    result.errors.push({
      line: 1,
      message:
        "the header must name either the columns Date, Heures and Taux de CO2 (RTE's éCO2mix export, separated by semicolons), " +
        "or hour_start and intensity_g_per_kwh (separated by commas)",
    });
    return result;
  }

  result.hours = [...sums.entries()]
    .sort(([a], [b]) => a - b)
    .map(([hourStartMs, s]) => ({ hourStartMs, intensityMgPerKWh: Math.round(s.totalMg / s.values), values: s.values }));
  return result;
}

/** Calls `read` with each data line's fields (blank lines and RTE's closing disclaimer aside); a message it returns is that line's error. */
function eachLine(
  lines: string[],
  fieldCount: number,
  separator: string,
  result: ParsedGridIntensityCsv,
  read: (line: number, fields: string[]) => string | null,
) {
  for (let i = 1; i < lines.length; i++) {
    const line = i + 1;
    const text = lines[i]!;
    if (text.trim() === "" || RTE_DISCLAIMER.test(text.trim())) continue;
    const fields = splitLine(text, separator);
    // RTE's lines often end with a separator the header lacks: an empty last field is not one more.
    if (fields.length === fieldCount + 1 && fields[fieldCount] === "") fields.pop();
    if (fields.length !== fieldCount) {
      result.errors.push({ line, message: `${fields.length} field${fields.length === 1 ? "" : "s"} where the header has ${fieldCount}` });
      continue;
    }
    const problem = read(line, fields);
    if (problem !== null) result.errors.push({ line, message: problem });
  }
}

function splitLine(line: string, separator: string): string[] {
  return line.split(separator).map((f) => f.trim().replace(/^"(.*)"$/, "$1").trim());
}

/** A column's name compared without case, accents, units in brackets or extra spaces ("Taux de Co2 (g/kWh)" → "taux de co2"). */
function normalizeHeader(name: string): string {
  return name
    .normalize("NFD")
    .replace(/[\u0300-\u036f]/g, "")
    .replace(/\(.*\)/g, "")
    .replace(/\s+/g, " ")
    .trim()
    .toLowerCase();
}

const DECIMAL = /^(\d+([.,]\d*)?|[.,]\d+)$/;

/** g/kWh as written (a decimal point or comma) → mg/kWh, an integer; or what is wrong with it. */
function intensityMg(value: string): number | string {
  const form = DECIMAL;
  if (value.startsWith("-") && form.test(value.slice(1))) return `the intensity ${value} g/kWh is negative`;
  if (!form.test(value)) return `the intensity "${value}" is not a number of g/kWh`;
  const g = Number(value.replace(",", "."));
  if (g > MAX_INTENSITY_G_PER_KWH) return `the intensity ${value} g/kWh is above ${MAX_INTENSITY_G_PER_KWH} g/kWh: not plausible`;
  return Math.round(g * 1000);
}

const ISO_INSTANT = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})$/i;

/** An ISO 8601 time with its offset or Z → epoch ms; null when malformed, without an offset, or not a real date. */
export function parseIsoInstant(value: string): number | null {
  const m = ISO_INSTANT.exec(value);
  if (!m) return null;
  const [year, month, day, hour, minute] = m.slice(1, 6).map(Number) as [number, number, number, number, number];
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const millis = m[7] === undefined ? 0 : Number(m[7].slice(0, 3).padEnd(3, "0"));
  if (!validWall(year, month, day, hour, minute) || second > 59) return null;
  let offsetMinutes = 0;
  const zone = m[8]!.toUpperCase();
  if (zone !== "Z") {
    const digits = zone.replace(":", "");
    const hours = Number(digits.slice(1, 3));
    const minutes = Number(digits.slice(3, 5));
    if (hours > 18 || minutes > 59) return null;
    offsetMinutes = (zone.startsWith("-") ? -1 : 1) * (hours * 60 + minutes);
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
}

/** 'YYYY-MM-DD' and 'HH:MM' (or 'HH:MM:SS' with zero seconds) → the wall time as if it were UTC, ms; null when not a real date and time. */
function parseWallTime(date: string, time: string): number | null {
  const d = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const t = /^(\d{1,2}):(\d{2})(?::00)?$/.exec(time);
  if (!d || !t) return null;
  const [year, month, day] = d.slice(1).map(Number) as [number, number, number];
  const [hour, minute] = t.slice(1).map(Number) as [number, number];
  if (!validWall(year, month, day, hour, minute)) return null;
  return Date.UTC(year, month - 1, day, hour, minute);
}

function validWall(year: number, month: number, day: number, hour: number, minute: number): boolean {
  if (hour > 23 || minute > 59) return false;
  const d = new Date(Date.UTC(year, month - 1, day));
  // Date.UTC rolls 31 February over into March: such a date does not exist.
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

/**
 * The instants a wall time names in a zone, earliest first: one on most days, none in the hour
 * skipped when the clocks go forward, two in the hour repeated when they go back.
 */
export function instantsOfWallTime(wallMs: number, timeZone: string): number[] {
  const offsets = new Set([zoneOffsetMs(wallMs - DAY_MS, timeZone), zoneOffsetMs(wallMs, timeZone), zoneOffsetMs(wallMs + DAY_MS, timeZone)]);
  const instants = [...offsets].map((offset) => wallMs - offset).filter((atMs) => zoneOffsetMs(atMs, timeZone) === wallMs - atMs);
  return [...new Set(instants)].sort((a, b) => a - b);
}
