/**
 * Residents' weekly habits, as pure functions of a dwelling's seed and the time: whether they
 * are home, awake or asleep, the temperature they want, the heat they give off and when they air
 * the room. Every day's variations (a later wake-up, a Saturday outing, an airing) come from
 * hashing (seed, local day, what), so any moment can be asked about without replaying the past.
 *
 * Schedules are in the site's local clock time, Europe/Paris: people get up at 06:30 on the
 * clock, summer time or not.
 */
import { hashUnit, mulberry32 } from "./random";

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// Local time, Europe/Paris: UTC+1, and UTC+2 from the last Sunday of March 01:00 UTC to the last
// Sunday of October 01:00 UTC (the EU rule since 1996). Calendar arithmetic on day numbers
// (Howard Hinnant's algorithms), so no Date object is made on the hot path.

/** Days since 1970-01-01 of a proleptic Gregorian date (month 1..12). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const doy = Math.floor((153 * (month > 2 ? month - 3 : month + 9) + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** The Gregorian year of a day number. */
function yearOfDays(days: number): number {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  return yoe + era * 400 + (mp >= 10 ? 1 : 0);
}

/** 0 = Sunday … 6 = Saturday; 1970-01-01 was a Thursday. */
function weekdayOfDays(days: number): number {
  return (((days + 4) % 7) + 7) % 7;
}

function lastSundayDays(year: number, month: number, lastDay: number): number {
  const days = daysFromCivil(year, month, lastDay);
  return days - weekdayOfDays(days);
}

/** Offset of Paris clock time from UTC at `atMs`, in minutes: 60 or 120. */
export function parisUtcOffsetMinutes(atMs: number): number {
  const year = yearOfDays(Math.floor(atMs / DAY_MS));
  const startMs = lastSundayDays(year, 3, 31) * DAY_MS + HOUR_MS;
  const endMs = lastSundayDays(year, 10, 31) * DAY_MS + HOUR_MS;
  return atMs >= startMs && atMs < endMs ? 120 : 60;
}

/** Paris clock time at `atMs`, as milliseconds since 1970-01-01T00:00 on that clock. */
export function parisLocalMs(atMs: number): number {
  return atMs + parisUtcOffsetMinutes(atMs) * MINUTE_MS;
}

// ---------------------------------------------------------------------------------------------
// Households

export type HouseholdKind =
  /** Out on weekdays, roughly 08:30–17:30. */
  | "worker"
  /** Out on weekday mornings. */
  | "part_time"
  /** Home most of the day: retired, young children, working from home. */
  | "home_all_day";

export type Occupancy = "home" | "away" | "asleep";

export type HouseholdProfile = Readonly<{
  seed: number;
  kind: HouseholdKind;
  /** What they set when home and awake, 19–21 °C. */
  comfortC: number;
  /** Lowered by this at night. */
  nightSetbackC: number;
  /** Lowered by this while out on their weekday schedule (0 for those home all day). */
  awaySetbackC: number;
  /** Local minutes after midnight. */
  wakeMinute: number;
  weekendWakeMinute: number;
  bedMinute: number;
  leaveMinute: number;
  returnMinute: number;
  /** Heat given off in the room when home and awake (people, appliances, lights). */
  homeGainsW: number;
  /** Ten-minute airings per week, on average. */
  airingsPerWeek: number;
}>;

export type HouseholdState = {
  occupancy: Occupancy;
  setpointC: number;
  gainsW: number;
  windowOpen: boolean;
};

/** Heat given off when nobody is in: fridge, standby. */
export const AWAY_GAINS_W = 20;
/** Asleep: people at rest, most appliances off. */
const ASLEEP_GAINS_SHARE = 0.6;
/** Cooking and eating, 12:00–13:00 and 19:00–20:30, when home. */
const MEAL_GAINS_W = 100;
export const AIRING_MINUTES = 10;

/** A household's type and habits, drawn once from the dwelling's seed. */
export function householdProfile(seed: number): HouseholdProfile {
  const next = mulberry32(seed);
  const u = next();
  const kind: HouseholdKind = u < 0.5 ? "worker" : u < 0.7 ? "part_time" : "home_all_day";
  const between = (lo: number, hi: number) => lo + (hi - lo) * next();
  const wakeMinute = Math.round(between(6 * 60, 7 * 60)); // 06:00–07:00
  return Object.freeze({
    seed,
    kind,
    comfortC: 19 + 0.5 * Math.floor(next() * 5), // 19, 19.5 … 21
    nightSetbackC: 2,
    awaySetbackC: kind === "home_all_day" ? 0 : Math.round(between(2, 3) * 2) / 2,
    wakeMinute,
    weekendWakeMinute: wakeMinute + Math.round(between(60, 150)),
    bedMinute: Math.round(between(22 * 60 + 30, 23 * 60 + 30)),
    leaveMinute: Math.round(between(8 * 60, 9 * 60)), // about 08:30
    returnMinute: kind === "part_time" ? Math.round(between(12 * 60 + 30, 13 * 60 + 30)) : Math.round(between(17 * 60, 18 * 60 + 30)),
    homeGainsW: Math.round(between(60, 150)),
    airingsPerWeek: Math.round(between(2, 7)),
  });
}

// Keys of the per-day draws, so each kind of variation has its own stream.
const K_WAKE = 1;
const K_BED = 2;
const K_LEAVE = 3;
const K_RETURN = 4;
const K_DAY_OFF = 5;
const K_OUTING = 6;
const K_OUTING_START = 7;
const K_AIRING = 8; // + slot
const K_AIRING_START = 10; // + slot

/** ± `halfWidthMin` minutes of day-to-day variation. */
function jitter(seed: number, day: number, key: number, halfWidthMin: number): number {
  return (hashUnit(seed, day, key) * 2 - 1) * halfWidthMin;
}

// What occupancyAt found, as small integers so the hot path allocates nothing.
const HOME = 0;
const OUT = 1; // an outing the thermostat's programme does not know about
const OUT_SCHEDULED = 2; // the weekday absence the programme sets back for
const ASLEEP = 3;

function wakeMinuteOn(p: HouseholdProfile, day: number, weekend: boolean): number {
  return (weekend ? p.weekendWakeMinute : p.wakeMinute) + jitter(p.seed, day, K_WAKE, 15);
}

function occupancyAt(p: HouseholdProfile, day: number, minute: number): number {
  const weekday = weekdayOfDays(day);
  const weekend = weekday === 0 || weekday === 6;
  // Later to bed on Friday and Saturday nights.
  const bed = p.bedMinute + (weekday === 5 || weekday === 6 ? 60 : 0) + jitter(p.seed, day, K_BED, 20);
  if (minute < wakeMinuteOn(p, day, weekend) || minute >= bed) return ASLEEP;

  // A worker stays home on about one weekday in twelve (ill, on leave).
  if (!weekend && p.kind !== "home_all_day" && hashUnit(p.seed, day, K_DAY_OFF) >= 0.08) {
    const leave = p.leaveMinute + jitter(p.seed, day, K_LEAVE, 15);
    const back = p.returnMinute + jitter(p.seed, day, K_RETURN, 30);
    return minute >= leave && minute < back ? OUT_SCHEDULED : HOME;
  }
  // Days at home: an outing (shopping, a walk, visits) on some of them.
  const outingChance = weekend ? 0.4 : 0.5;
  if (hashUnit(p.seed, day, K_OUTING) < outingChance) {
    const start = 10 * 60 + hashUnit(p.seed, day, K_OUTING_START) * 6 * 60; // 10:00–16:00
    const length = weekend ? 240 : 90;
    if (minute >= start && minute < start + length) return OUT;
  }
  return HOME;
}

/** An airing: a morning slot after getting up and an evening slot, each on some days. */
function windowOpenAt(p: HouseholdProfile, day: number, minute: number, wakeMinute: number): boolean {
  const chance = p.airingsPerWeek / 14;
  for (let slot = 0; slot < 2; slot++) {
    if (hashUnit(p.seed, day, K_AIRING + slot) >= chance) continue;
    const u = hashUnit(p.seed, day, K_AIRING_START + slot);
    const start = slot === 0 ? wakeMinute + 10 + u * 50 : 18 * 60 + 30 + u * 120;
    if (minute >= start && minute < start + AIRING_MINUTES) return true;
  }
  return false;
}

/**
 * The household at `atMs`, from its profile (or its seed). Pass `out` to reuse an object on
 * the hot path.
 * - setpoint: comfort when home; comfort − night setback asleep; comfort − away setback while
 *   out on their weekday schedule (unplanned outings keep the comfort setting);
 * - gains: homeGainsW awake and home (+100 W at meal times), 60 % of it asleep, 20 W away;
 * - window: open during an airing, only when someone is home and awake.
 */
export function householdAt(
  household: HouseholdProfile | number,
  atMs: number,
  out?: HouseholdState,
): HouseholdState {
  // A seed is accepted for convenience; the simulator should keep the profile.
  const p = typeof household === "number" ? householdProfile(household) : household;
  const local = parisLocalMs(atMs);
  const day = Math.floor(local / DAY_MS);
  const minute = (local - day * DAY_MS) / MINUTE_MS;
  const code = occupancyAt(p, day, minute);
  const state = out ?? { occupancy: "home", setpointC: 0, gainsW: 0, windowOpen: false };
  state.windowOpen = false;
  if (code === ASLEEP) {
    state.occupancy = "asleep";
    state.setpointC = p.comfortC - p.nightSetbackC;
    state.gainsW = p.homeGainsW * ASLEEP_GAINS_SHARE;
  } else if (code !== HOME) {
    state.occupancy = "away";
    state.setpointC = code === OUT_SCHEDULED ? p.comfortC - p.awaySetbackC : p.comfortC;
    state.gainsW = AWAY_GAINS_W;
  } else {
    state.occupancy = "home";
    state.setpointC = p.comfortC;
    const meal = (minute >= 12 * 60 && minute < 13 * 60) || (minute >= 19 * 60 && minute < 20 * 60 + 30);
    state.gainsW = p.homeGainsW + (meal ? MEAL_GAINS_W : 0);
    const weekday = weekdayOfDays(day);
    state.windowOpen = windowOpenAt(p, day, minute, wakeMinuteOn(p, day, weekday === 0 || weekday === 6));
  }
  return state;
}
