/**
 * A room's heating as the resident sets it, and the one temperature the platform sends its
 * radiators at any instant. Pure: no I/O, safe in the browser.
 *
 * Modes:
 * - off: no heat wanted. The platform still sends FROST_C: a room left unheated in winter
 *   freezes its pipes, so "off" is frost protection the resident does not have to think about.
 * - frost: FROST_C, chosen on purpose (away for a week). Same temperature as off; shown apart.
 * - eco / comfort: the room's ecoC / comfortC, all day.
 * - programme: the weekly programme's block temperature; time no block covers is at ecoC.
 * - boost: the radiator at full heat (the TARGET_BOUNDS_C maximum, which its thermostat can only
 *   chase at full power) until boostUntil; from that instant the mode before the boost returns.
 *
 * An override (a temperature until an instant) takes over from the mode until it ends: "until
 * the next block" of the programme, or "for N hours". A boost outranks an override.
 *
 * Times: a programme is written on the site's wall clock (its IANA zone), Monday = day 0, minutes
 * of the day on a 15-minute grid. Blocks follow the wall clock: on the spring-forward day the
 * clock skips 02:00–03:00, so a block 02:00–03:00 does not run that day and a block 01:00–04:00
 * lasts two real hours; on the autumn day 02:00–03:00 is lived twice, and a block covering it
 * runs through both. Instants are epoch milliseconds.
 */

export const HEATING_MODES = ["off", "frost", "eco", "comfort", "programme", "boost"] as const;
export type HeatingMode = (typeof HEATING_MODES)[number];
/** What a boost returns to. */
export type BaseMode = Exclude<HeatingMode, "boost">;

export const TARGET_BOUNDS_C = { min: 7, max: 28 } as const;
export const TARGET_STEP_C = 0.5;
export const FROST_C = 7;
/** A boost asks the radiator for the most the platform ever sends: full heat until it ends. */
export const BOOST_C = TARGET_BOUNDS_C.max;
export const BOOST_MINUTES = [30, 60, 120, 180] as const;
export const OVERRIDE_HOURS = { min: 1, max: 24 } as const;
export const PROGRAMME_GRAIN_MINUTES = 15;
export const MINUTES_PER_DAY = 1440;
/** Enough for six periods a day, every day. */
export const MAX_PROGRAMME_BLOCKS = 84;
export const DEFAULT_COMFORT_C = 20;
export const DEFAULT_ECO_C = 17;

export type ProgrammeBlock = {
  /** 0 = Monday … 6 = Sunday, on the site's wall clock. */
  day: number;
  /** Minute of the day the block starts, on the 15-minute grid. */
  startMinute: number;
  /** Minute of the day it ends (exclusive), after startMinute, at most 1440 (midnight). */
  endMinute: number;
  targetC: number;
};

/** untilMs null: until the mode changes (in programme mode with no blocks, "the next block" never comes). */
export type HeatingOverride = { targetC: number; untilMs: number | null };

export type RoomHeating = {
  mode: HeatingMode;
  comfortC: number;
  ecoC: number;
  programme: ProgrammeBlock[];
  /** Set while mode is boost. */
  boostUntilMs: number | null;
  modeBeforeBoost: BaseMode | null;
  override: HeatingOverride | null;
};

export type TargetSource = "off" | "frost" | "eco" | "comfort" | "programme" | "boost" | "override";
export type EffectiveTarget = {
  targetC: number;
  source: TargetSource;
  /** When this target next changes, if known (a boost's or override's end, the programme's next block boundary). */
  until: number | null;
};

export type Refusal = { field: string; message: string };

// ---------------------------------------------------------------------------------------------
// Validators: each answers the first refusal, naming the field, or null.

/** A temperature a resident may set: within the bounds, on the 0.5 °C step. */
export function targetRefusal(value: unknown, field = "targetC"): Refusal | null {
  if (typeof value !== "number" || !Number.isFinite(value)) return { field, message: "Give a temperature in °C." };
  if (value < TARGET_BOUNDS_C.min || value > TARGET_BOUNDS_C.max) {
    return { field, message: `Choose between ${TARGET_BOUNDS_C.min} and ${TARGET_BOUNDS_C.max} °C.` };
  }
  if (!Number.isInteger(value / TARGET_STEP_C)) return { field, message: `Temperatures go in steps of ${TARGET_STEP_C} °C.` };
  return null;
}

/** Comfort and eco temperatures: each a valid target, eco no warmer than comfort. */
export function temperaturesRefusal(comfortC: unknown, ecoC: unknown): Refusal | null {
  const refusal = targetRefusal(comfortC, "comfortC") ?? targetRefusal(ecoC, "ecoC");
  if (refusal) return refusal;
  if ((ecoC as number) > (comfortC as number)) return { field: "ecoC", message: "The eco temperature cannot be above the comfort one." };
  return null;
}

/** A mode the resident picks directly; a boost is started with its length (boostRefusal). */
export function modeRefusal(mode: unknown, field = "mode"): Refusal | null {
  if (!(HEATING_MODES as readonly unknown[]).includes(mode)) return { field, message: `Unknown mode; one of ${HEATING_MODES.join(", ")}.` };
  if (mode === "boost") return { field, message: "A boost is started with its length." };
  return null;
}

export function boostRefusal(minutes: unknown, field = "minutes"): Refusal | null {
  if (!(BOOST_MINUTES as readonly unknown[]).includes(minutes)) return { field, message: `A boost lasts ${BOOST_MINUTES.join(", ")} minutes.` };
  return null;
}

/** Hours of an override, or null for "until the next block" (programme mode only). */
export function overrideHoursRefusal(hours: unknown, mode: HeatingMode, field = "hours"): Refusal | null {
  if (hours === null) {
    return mode === "programme" ? null : { field, message: "“Until the next block” needs the programme mode; give a number of hours." };
  }
  if (typeof hours !== "number" || !Number.isInteger(hours) || hours < OVERRIDE_HOURS.min || hours > OVERRIDE_HOURS.max) {
    return { field, message: `Give whole hours from ${OVERRIDE_HOURS.min} to ${OVERRIDE_HOURS.max}.` };
  }
  return null;
}

const onGrain = (m: unknown): m is number => typeof m === "number" && Number.isInteger(m) && m % PROGRAMME_GRAIN_MINUTES === 0;

/** A weekly programme: blocks on the grid, within a day, end after start, not overlapping on a day. */
export function programmeRefusal(blocks: unknown, field = "blocks"): Refusal | null {
  if (!Array.isArray(blocks)) return { field, message: "Give a list of blocks." };
  if (blocks.length > MAX_PROGRAMME_BLOCKS) return { field, message: `At most ${MAX_PROGRAMME_BLOCKS} blocks in a week.` };
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i] as Partial<ProgrammeBlock> | null;
    const at = `${field}.${i}`;
    if (typeof b !== "object" || b === null) return { field: at, message: "Give a day, a start, an end and a temperature." };
    if (typeof b.day !== "number" || !Number.isInteger(b.day) || b.day < 0 || b.day > 6) {
      return { field: `${at}.day`, message: "The day is 0 (Monday) to 6 (Sunday)." };
    }
    for (const key of ["startMinute", "endMinute"] as const) {
      const m = b[key];
      if (!onGrain(m)) return { field: `${at}.${key}`, message: `Times go by ${PROGRAMME_GRAIN_MINUTES} minutes.` };
      if (m < 0 || m > MINUTES_PER_DAY) return { field: `${at}.${key}`, message: "The time is within the day (00:00 to 24:00)." };
    }
    if (b.endMinute! <= b.startMinute!) return { field: `${at}.endMinute`, message: "A block ends after it starts." };
    const refusal = targetRefusal(b.targetC, `${at}.targetC`);
    if (refusal) return refusal;
  }
  const typed = blocks as ProgrammeBlock[];
  for (let i = 0; i < typed.length; i++) {
    for (let j = 0; j < i; j++) {
      const a = typed[i]!;
      const b = typed[j]!;
      if (a.day === b.day && a.startMinute < b.endMinute && b.startMinute < a.endMinute) {
        return { field: `${field}.${i}`, message: `Overlaps another block of the same day (block ${j + 1}).` };
      }
    }
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Programmes

const sortBlocks = (blocks: ProgrammeBlock[]) =>
  blocks.sort((a, b) => a.day - b.day || a.startMinute - b.startMinute);

const everyDay = (days: number[], periods: Array<[number, number]>, targetC: number): ProgrammeBlock[] =>
  days.flatMap((day) => periods.map(([startMinute, endMinute]) => ({ day, startMinute, endMinute, targetC })));

const WEEKDAYS = [0, 1, 2, 3, 4];
const WEEKEND = [5, 6];
const ALL_DAYS = [...WEEKDAYS, ...WEEKEND];
const h = (hours: number, minutes = 0) => hours * 60 + minutes;

/**
 * Starting programmes, at comfort temperature in their blocks (eco elsewhere). Names are the
 * pages' (message files, by id); templateBlocks puts the room's own comfort temperature in.
 */
export const PROGRAMME_TEMPLATES = [
  { id: "home_all_day", blocks: everyDay(ALL_DAYS, [[h(7), h(22, 30)]], DEFAULT_COMFORT_C) },
  {
    id: "out_at_work",
    blocks: sortBlocks([
      ...everyDay(WEEKDAYS, [[h(6, 30), h(8, 30)], [h(17, 30), h(22, 30)]], DEFAULT_COMFORT_C),
      ...everyDay(WEEKEND, [[h(8), h(23)]], DEFAULT_COMFORT_C),
    ]),
  },
  // Comfort all waking hours, eco only at night.
  { id: "night_eco", blocks: everyDay(ALL_DAYS, [[h(6), h(23)]], DEFAULT_COMFORT_C) },
] as const satisfies ReadonlyArray<{ id: string; blocks: ProgrammeBlock[] }>;
export type ProgrammeTemplateId = (typeof PROGRAMME_TEMPLATES)[number]["id"];
export const PROGRAMME_TEMPLATE_IDS = PROGRAMME_TEMPLATES.map((t) => t.id);

/** A template's blocks at the room's comfort temperature. */
export function templateBlocks(id: ProgrammeTemplateId, comfortC: number): ProgrammeBlock[] {
  const template = PROGRAMME_TEMPLATES.find((t) => t.id === id);
  if (!template) throw new RangeError(`unknown programme template: ${id}`);
  return template.blocks.map((b) => ({ ...b, targetC: comfortC }));
}

/** The programme with `toDays` made like `fromDay` (their own blocks replaced). */
export function copyDay(blocks: ProgrammeBlock[], fromDay: number, toDays: number[]): ProgrammeBlock[] {
  const targets = new Set(toDays.filter((d) => d !== fromDay));
  const source = blocks.filter((b) => b.day === fromDay);
  return sortBlocks([
    ...blocks.filter((b) => !targets.has(b.day)).map((b) => ({ ...b })),
    ...[...targets].flatMap((day) => source.map((b) => ({ ...b, day }))),
  ]);
}

// ---------------------------------------------------------------------------------------------
// Wall clock

const MINUTE_MS = 60_000;
const QUARTER_MS = PROGRAMME_GRAIN_MINUTES * MINUTE_MS;
const DAY_MS = 86_400_000;
const QUARTERS_PER_WEEK = (7 * MINUTES_PER_DAY) / PROGRAMME_GRAIN_MINUTES;
/** Far enough to find the next boundary of any programme that has one. */
const SCAN_MS = 8 * DAY_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The zone's offset from UTC at an instant, in ms (Paris in winter: +3,600,000). */
export function zoneOffsetMs(atMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(atMs)) if (p.type !== "literal") parts[p.type] = Number(p.value);
  const wall = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
  return wall - Math.floor(atMs / 1000) * 1000;
}

/** Wall-clock day (0 = Monday) and minute of the day at an instant. */
export function localDayMinute(atMs: number, timeZone: string): { day: number; minute: number } {
  return wallDayMinute(atMs + zoneOffsetMs(atMs, timeZone));
}

function wallDayMinute(wallMs: number) {
  const days = Math.floor(wallMs / DAY_MS);
  // 1970-01-01 was a Thursday: day 3 counting from Monday.
  return { day: (((days + 3) % 7) + 7) % 7, minute: Math.floor((wallMs - days * DAY_MS) / MINUTE_MS) };
}

/**
 * Offsets over [fromMs, fromMs + SCAN_MS]: one, or two around a change of offset (daylight
 * saving), found to the quarter hour (zones' changes fall on it).
 */
function offsetsOver(fromMs: number, timeZone: string): (atMs: number) => number {
  const first = zoneOffsetMs(fromMs, timeZone);
  const last = zoneOffsetMs(fromMs + SCAN_MS, timeZone);
  if (first === last) return () => first;
  let lo = Math.floor(fromMs / QUARTER_MS); // offset there is `first`
  let hi = Math.floor((fromMs + SCAN_MS) / QUARTER_MS); // offset there is `last`
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (zoneOffsetMs(mid * QUARTER_MS, timeZone) === first) lo = mid;
    else hi = mid;
  }
  const changeMs = hi * QUARTER_MS;
  return (atMs) => (atMs < changeMs ? first : last);
}

/** For each quarter hour of the week, the index of the block covering it, or -1. */
function blockByQuarter(programme: ProgrammeBlock[]): Int16Array {
  const slots = new Int16Array(QUARTERS_PER_WEEK).fill(-1);
  programme.forEach((b, i) => {
    const base = (b.day * MINUTES_PER_DAY) / PROGRAMME_GRAIN_MINUTES;
    for (let q = b.startMinute / PROGRAMME_GRAIN_MINUTES; q < b.endMinute / PROGRAMME_GRAIN_MINUTES; q++) slots[base + q] = i;
  });
  return slots;
}

const quarterOfWeek = (wallMs: number) => {
  const { day, minute } = wallDayMinute(wallMs);
  return (day * MINUTES_PER_DAY + minute - (minute % PROGRAMME_GRAIN_MINUTES)) / PROGRAMME_GRAIN_MINUTES;
};

/** The block running at an instant, or null (the programme's eco time). */
export function blockAt(programme: ProgrammeBlock[], atMs: number, timeZone: string): ProgrammeBlock | null {
  const { day, minute } = localDayMinute(atMs, timeZone);
  return programme.find((b) => b.day === day && b.startMinute <= minute && minute < b.endMinute) ?? null;
}

/**
 * The next instant after `nowMs` at which a block starts or ends, on the wall clock (see the
 * rule above for days the clock jumps); null for a programme that never changes.
 */
export function nextBlockBoundary(programme: ProgrammeBlock[], nowMs: number, timeZone: string): number | null {
  if (programme.length === 0) return null;
  const slots = blockByQuarter(programme);
  const offsetAt = offsetsOver(nowMs, timeZone);
  const current = slots[quarterOfWeek(nowMs + offsetAt(nowMs))]!;
  const endMs = nowMs + SCAN_MS;
  for (let t = (Math.floor(nowMs / QUARTER_MS) + 1) * QUARTER_MS; t <= endMs; t += QUARTER_MS) {
    if (slots[quarterOfWeek(t + offsetAt(t))] !== current) return t;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// The target

/** The mode in force at an instant: a boost that has ended gives way to the mode before it. */
export function modeAt(state: Pick<RoomHeating, "mode" | "boostUntilMs" | "modeBeforeBoost">, nowMs: number): HeatingMode {
  if (state.mode !== "boost") return state.mode;
  // The boost ends exactly at boostUntil.
  if (state.boostUntilMs !== null && nowMs < state.boostUntilMs) return "boost";
  return state.modeBeforeBoost ?? "programme";
}

/** The override in force at an instant (it ends exactly at untilMs). */
export const overrideAt = (state: Pick<RoomHeating, "override">, nowMs: number): HeatingOverride | null =>
  state.override !== null && (state.override.untilMs === null || nowMs < state.override.untilMs) ? state.override : null;

/** The temperature to send the room's radiators at an instant, where it comes from, and until when. */
export function effectiveTarget(state: RoomHeating, nowMs: number, timeZone: string): EffectiveTarget {
  const mode = modeAt(state, nowMs);
  if (mode === "boost") return { targetC: BOOST_C, source: "boost", until: state.boostUntilMs };
  const override = overrideAt(state, nowMs);
  if (override) return { targetC: override.targetC, source: "override", until: override.untilMs };
  switch (mode) {
    case "off":
    case "frost":
      return { targetC: FROST_C, source: mode, until: null };
    case "eco":
      return { targetC: state.ecoC, source: "eco", until: null };
    case "comfort":
      return { targetC: state.comfortC, source: "comfort", until: null };
    case "programme": {
      const block = blockAt(state.programme, nowMs, timeZone);
      return { targetC: block?.targetC ?? state.ecoC, source: "programme", until: nextBlockBoundary(state.programme, nowMs, timeZone) };
    }
  }
}

/**
 * The state after the resident (or the radiator's own thermostat) asks for a temperature:
 * in programme mode an override until the next block (with no blocks: until the mode changes); in comfort or eco that mode's temperature; from off or frost, comfort at
 * that temperature; during a boost, the boost ends into comfort at that temperature.
 */
export function withTarget(state: RoomHeating, targetC: number, nowMs: number, timeZone: string): RoomHeating {
  const mode = modeAt(state, nowMs);
  const cleared = { ...state, boostUntilMs: null, modeBeforeBoost: null };
  switch (mode) {
    case "programme": {
      const untilMs = nextBlockBoundary(state.programme, nowMs, timeZone);
      return { ...cleared, mode, override: { targetC, untilMs } };
    }
    case "eco":
      return { ...cleared, mode, ecoC: targetC, comfortC: Math.max(state.comfortC, targetC), override: null };
    case "comfort":
      return { ...cleared, mode, comfortC: targetC, ecoC: Math.min(state.ecoC, targetC), override: null };
    case "off":
    case "frost":
    case "boost":
      return { ...cleared, mode: "comfort", comfortC: targetC, ecoC: Math.min(state.ecoC, targetC), override: null };
  }
}

/** A boost of `minutes` from now; the mode in force now returns when it ends. An override is dropped. */
export function withBoost(state: RoomHeating, minutes: number, nowMs: number): RoomHeating {
  const before = modeAt(state, nowMs);
  return {
    ...state,
    mode: "boost",
    boostUntilMs: nowMs + minutes * MINUTE_MS,
    modeBeforeBoost: before === "boost" ? state.modeBeforeBoost : before,
    override: null,
  };
}

/** A mode chosen directly: ends any boost and override. */
export function withMode(state: RoomHeating, mode: BaseMode): RoomHeating {
  return { ...state, mode, boostUntilMs: null, modeBeforeBoost: null, override: null };
}

/** An override for `hours`, or until the next block (hours null, programme mode). */
export function withOverride(state: RoomHeating, targetC: number, hours: number | null, nowMs: number, timeZone: string): RoomHeating {
  const untilMs =
    hours === null ? nextBlockBoundary(state.programme, nowMs, timeZone) : nowMs + hours * 60 * MINUTE_MS;
  const mode = modeAt(state, nowMs);
  // An override replaces a running boost: the resident asked for a temperature now.
  const base = mode === "boost" ? { ...state, mode: state.modeBeforeBoost ?? "programme" } : { ...state, mode };
  return { ...base, boostUntilMs: null, modeBeforeBoost: null, override: { targetC, untilMs } };
}

/** A new state for a room that has none: programme mode on a template, defaults for the rest. */
export function initialHeating(templateId: ProgrammeTemplateId = "home_all_day"): RoomHeating {
  return {
    mode: "programme",
    comfortC: DEFAULT_COMFORT_C,
    ecoC: DEFAULT_ECO_C,
    programme: templateBlocks(templateId, DEFAULT_COMFORT_C),
    boostUntilMs: null,
    modeBeforeBoost: null,
    override: null,
  };
}
