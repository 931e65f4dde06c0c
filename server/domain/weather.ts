/**
 * Outdoor temperature at a site, as a pure function of (climate, time, seed):
 *   seasonal normal + daily cycle + weather noise.
 * - Seasonal: a smooth curve through the station's monthly normals (DOMAIN.md). It is the
 *   12-point Fourier series of the normals with each harmonic divided by its average over a
 *   month, so the curve's mean over each twelfth of the year is the normal exactly, not just
 *   its value at mid-month.
 * - Daily cycle: minimum at 06:00, maximum at 15:00 standard time (UTC+1 all year: the sun does
 *   not observe summer time, so in July the peak is at 16:00 on the clock), half-range by
 *   season, close to the stations' normal (Tmax − Tmin) / 2.
 * - Weather: a few slow sinusoids (periods of 2.5 to 13 days, the passage of weather systems)
 *   with seeded periods and phases; σ ≈ 2 °C. Sinusoids, not a random walk, because the mean of
 *   each over a month is bounded by amplitude × period / (π × month): every seed keeps every
 *   monthly mean within about 0.6 °C of the normal, so the season a simulation shows is the
 *   climate's, whatever the seed.
 */
import { hashUnit } from "./random";

export type ClimateKey = "paris" | "bordeaux";

export type Climate = Readonly<{
  key: ClimateKey;
  station: string;
  /** January to December, °C. */
  monthlyMeanTempC: readonly number[];
  dailyHalfRangeWinterC: number;
  dailyHalfRangeSummerC: number;
  /** Fourier coefficients of the seasonal curve, derived from the normals. */
  seasonalCos: readonly number[];
  seasonalSin: readonly number[];
  annualMeanTempC: number;
}>;

/** Harmonics 1..6 of the 12 monthly means, corrected for averaging over a month. */
function defineClimate(
  key: ClimateKey,
  station: string,
  monthlyMeanTempC: readonly number[],
  dailyHalfRangeWinterC: number,
  dailyHalfRangeSummerC: number,
): Climate {
  if (monthlyMeanTempC.length !== 12) throw new RangeError("12 monthly normals are needed");
  const seasonalCos: number[] = [];
  const seasonalSin: number[] = [];
  for (let h = 1; h <= 6; h++) {
    let c = 0;
    let s = 0;
    monthlyMeanTempC.forEach((t, j) => {
      const angle = (2 * Math.PI * h * (j + 0.5)) / 12;
      c += t * Math.cos(angle);
      s += t * Math.sin(angle);
    });
    // The Nyquist harmonic (h = 6) has half the weight; its cosine vanishes at every mid-month.
    const weight = h === 6 ? 1 / 12 : 2 / 12;
    const x = (Math.PI * h) / 12;
    const monthAverage = Math.sin(x) / x;
    seasonalCos.push(h === 6 ? 0 : (c * weight) / monthAverage);
    seasonalSin.push((s * weight) / monthAverage);
  }
  const annualMeanTempC = monthlyMeanTempC.reduce((a, b) => a + b, 0) / 12;
  return Object.freeze({
    key,
    station,
    monthlyMeanTempC: Object.freeze([...monthlyMeanTempC]),
    dailyHalfRangeWinterC,
    dailyHalfRangeSummerC,
    seasonalCos: Object.freeze(seasonalCos),
    seasonalSin: Object.freeze(seasonalSin),
    annualMeanTempC,
  });
}

export const CLIMATES: Readonly<Record<ClimateKey, Climate>> = Object.freeze({
  // Normals from DOMAIN.md.
  paris: defineClimate("paris", "Paris (older normals)", [3.4, 4.1, 7.6, 10.7, 14.3, 17.5, 19.1, 18.7, 16.0, 11.4, 7.1, 4.3], 2.5, 4.5),
  bordeaux: defineClimate(
    "bordeaux",
    "Bordeaux-Mérignac 1981–2010",
    [6.6, 7.5, 10.2, 12.3, 16.1, 19.3, 21.3, 21.4, 18.5, 14.9, 9.9, 7.2],
    3.5,
    5.5,
  ),
});

/**
 * The climate of a site from its city or French climate zone: Paris and the north (H1) use the
 * Paris normals, the south-west (H2, H3) Bordeaux-Mérignac's. Unknown places fall back to Paris,
 * the colder of the two, so a simulation errs towards more heat.
 */
export function climateForSite(site: { city?: string | null; climateZone?: string | null }): ClimateKey {
  const city = (site.city ?? "").normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
  if (city.includes("bordeaux") || city.includes("merignac")) return "bordeaux";
  if (city.includes("paris")) return "paris";
  const zone = (site.climateZone ?? "").toUpperCase();
  if (zone.startsWith("H2") || zone.startsWith("H3")) return "bordeaux";
  return "paris";
}

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** 2000-01-01T00:00Z; years are counted in mean Gregorian years from there (≤ 1 day off the calendar). */
const EPOCH_2000_MS = 946_684_800_000;
const YEAR_MS = 365.2425 * DAY_MS;
/** Central European standard time, for the sun's clock. */
const SOLAR_OFFSET_MS = HOUR_MS;

function resolve(climate: ClimateKey | Climate): Climate {
  return typeof climate === "string" ? CLIMATES[climate] : climate;
}

/** Fraction of the year elapsed at `atMs`, 0 at 1 January 00:00. */
function yearPhase(atMs: number): number {
  const years = (atMs - EPOCH_2000_MS) / YEAR_MS;
  return years - Math.floor(years);
}

/** The normal temperature for the time of year, without daily cycle or weather. */
export function seasonalTempC(climate: ClimateKey | Climate, atMs: number): number {
  const c = resolve(climate);
  const phase = 2 * Math.PI * yearPhase(atMs);
  let t = c.annualMeanTempC;
  for (let h = 1; h <= 6; h++) t += c.seasonalCos[h - 1]! * Math.cos(h * phase) + c.seasonalSin[h - 1]! * Math.sin(h * phase);
  return t;
}

/** Daily cycle shape in [−1, 1]: −1 at 06:00, +1 at 15:00 (standard time), mean 0 over a day, smooth. */
export function dailyCycleShape(atMs: number): number {
  const hour = ((((atMs + SOLAR_OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / HOUR_MS;
  // Nine hours of warming after dawn, fifteen of cooling; half a cosine each.
  if (hour >= 6 && hour < 15) return -Math.cos((Math.PI * (hour - 6)) / 9);
  const sinceMax = hour >= 15 ? hour - 15 : hour + 9;
  return Math.cos((Math.PI * sinceMax) / 15);
}

/** Half the daily range for the time of year: smallest mid-January, largest mid-July. */
export function dailyHalfRangeC(climate: ClimateKey | Climate, atMs: number): number {
  const c = resolve(climate);
  const mid = (c.dailyHalfRangeWinterC + c.dailyHalfRangeSummerC) / 2;
  const half = (c.dailyHalfRangeSummerC - c.dailyHalfRangeWinterC) / 2;
  return mid - half * Math.cos(2 * Math.PI * (yearPhase(atMs) - 15 / 365));
}

const NOISE_PERIODS_DAYS = [2.5, 3.7, 5.3, 7.9, 11.3];
const NOISE_AMPLITUDE_C = 1.3;

/** The weather's departure from the normal (°C): a seeded, smooth, zero-mean process. */
export function weatherNoiseC(atMs: number, seed: number): number {
  const days = (atMs - EPOCH_2000_MS) / DAY_MS;
  let t = 0;
  for (let i = 0; i < NOISE_PERIODS_DAYS.length; i++) {
    // Seeded period (±15 %) and phase: different seeds give different, unsynchronised weather.
    const periodDays = NOISE_PERIODS_DAYS[i]! * (0.85 + 0.3 * hashUnit(seed, i, 0));
    const phase = 2 * Math.PI * hashUnit(seed, i, 1);
    t += NOISE_AMPLITUDE_C * Math.sin((2 * Math.PI * days) / periodDays + phase);
  }
  return t;
}

/**
 * The climate's expected outdoor temperature at `atMs`: its normal for the season and the hour,
 * without weather. What the product shows until a site reports measured temperatures.
 */
export function normalOutdoorTempC(climate: ClimateKey | Climate, atMs: number): number {
  const c = resolve(climate);
  return seasonalTempC(c, atMs) + dailyHalfRangeC(c, atMs) * dailyCycleShape(atMs);
}

/** Outdoor air temperature (°C) at `atMs` for a climate and a weather seed. */
export function outdoorTempC(climate: ClimateKey | Climate, atMs: number, seed: number): number {
  const c = resolve(climate);
  return normalOutdoorTempC(c, atMs) + weatherNoiseC(atMs, seed);
}
