import { householdAt, householdProfile, parisLocalMs, type HouseholdProfile, type HouseholdState } from "@/server/domain/household";
import { hashUnit, seedFromString } from "@/server/domain/random";
import { roomStepper, roomThermalParams, stepRoomInPlace, steadyStateTemps } from "@/server/domain/thermal";
import { outdoorTempC, type ClimateKey } from "@/server/domain/weather";
import type { FleetSpec, RadiatorSpec, RoomSpec } from "./fleet";
import { SimRadiator, SimRoom } from "./radiator";

/**
 * The physical side of the simulation: weather per climate, households per flat, rooms and
 * radiators, breaker trips. Pure and deterministic for a seed: no I/O, no clock of its own.
 *
 * One step of `stepS` seconds at time t:
 *   power(t)     breakers: radiators lose power (and their work) or boot again;
 *   sample(t)    weather (once per climate), households (once per flat), breakers, then each
 *                radiator's thermostat decides cores and power from its room's temperature now;
 *   record(t)    (on reading steps) each radiator that has power takes a reading;
 *   integrate(t) the meters count power × stepS, the rooms move to t + stepS (exact for inputs
 *                held over the step).
 * The simulation may change radiators' work between sample and integrate (answers to reports)
 * and call `redecide` for them.
 */

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

// ---------------------------------------------------------------------------------------------
// Outages: deterministic from (seed, key, day)

export type OutageRates = Readonly<{
  /** Breaker trips per radiator per 30 days, and how long the power stays off. */
  breakerTripsPerMonth: number;
  breakerMinMs: number;
  breakerMaxMs: number;
  /** Internet losses per gateway per 30 days, and how long they last. */
  internetLossesPerMonth: number;
  internetMinMs: number;
  internetMaxMs: number;
}>;

/**
 * About one trip per radiator a month, 10 min to 6 h (log-uniform: most are short, some last an
 * afternoon), so a radiator is off about 1.5 h a month; gateways lose the internet about twice a
 * month, from 2 minutes (unnoticed by the platform) to 4 hours.
 */
export const DEFAULT_OUTAGES: OutageRates = Object.freeze({
  breakerTripsPerMonth: 1,
  breakerMinMs: 10 * MINUTE_MS,
  breakerMaxMs: 6 * 60 * MINUTE_MS,
  internetLossesPerMonth: 2,
  internetMinMs: 2 * MINUTE_MS,
  internetMaxMs: 4 * 60 * MINUTE_MS,
});

/**
 * When something is out, as a pure function of (seed, day): at most one outage starts per day
 * (with probability perMonth / 30), at a uniform time, lasting log-uniformly between min and max
 * (under a day). A forced outage (tests, operators' drills) can be added on top.
 */
export class OutageSchedule {
  private start = -Infinity;
  private end = -Infinity;
  /** The instant from which start/end is the next outage: asking about an earlier time looks again. */
  private from = Infinity;
  private forced: { start: number; end: number } | null = null;

  constructor(
    private readonly seed: number,
    private readonly perMonth: number,
    private readonly minMs: number,
    private readonly maxMs: number,
  ) {}

  /** The scheduled outage starting on `day`, if any. */
  private onDay(day: number): { start: number; end: number } | null {
    if (this.perMonth <= 0 || hashUnit(this.seed, day, 0) >= this.perMonth / 30) return null;
    const start = day * DAY_MS + Math.floor(hashUnit(this.seed, day, 1) * DAY_MS);
    const length = this.minMs * Math.pow(this.maxMs / this.minMs, hashUnit(this.seed, day, 2));
    return { start, end: start + Math.round(length) };
  }

  /** Whether it is out at `t`. Cheap when t moves forward: the next outage is looked up only past the current one. */
  isOut(t: number): boolean {
    if (this.forced && t >= this.forced.start && t < this.forced.end) return true;
    if (t >= this.end || t < this.from) {
      this.from = t;
      this.start = Infinity;
      this.end = Infinity;
      const first = Math.floor(t / DAY_MS) - 1;
      for (let day = first; day < first + 400; day++) {
        const o = this.onDay(day);
        if (o && o.end > t) {
          this.start = o.start;
          this.end = o.end;
          break;
        }
      }
    }
    return t >= this.start && t < this.end;
  }

  force(start: number, end: number): void {
    this.forced = { start, end };
  }
}

// ---------------------------------------------------------------------------------------------

/** The seed of a climate's weather in a simulation: the same for the world's rooms and the sites' observations. */
export function weatherSeed(simulationSeed: number, climate: ClimateKey): number {
  return seedFromString(`${simulationSeed}|weather|${climate}`);
}

/** Weather of one climate, shared by the sites in it (Bordeaux and Mérignac are 10 km apart). */
export class SimClimate {
  outdoorC = 10;
  constructor(
    readonly key: ClimateKey,
    readonly seed: number,
  ) {}
  update(t: number) {
    this.outdoorC = outdoorTempC(this.key, t, this.seed);
  }
}

/** A flat's household: habits, and now and then a resident who turns the thermostat up or down for a few hours. */
export class SimDwelling {
  readonly state: HouseholdState = { occupancy: "home", setpointC: 19, gainsW: 0, windowOpen: false };
  /** The local day (Paris clock) of the last update, for per-day draws. */
  day = 0;
  readonly rooms: SimRoom[] = [];
  readonly profile: HouseholdProfile;

  constructor(
    readonly key: string,
    readonly seed: number,
  ) {
    this.profile = householdProfile(seed);
  }

  update(t: number) {
    householdAt(this.profile, t, this.state);
    const local = parisLocalMs(t);
    const day = Math.floor(local / DAY_MS);
    this.day = day;
    // A manual change on about one evening in six: +0.5 to +1.5 °C (a cold evening, a bath) or
    // −1 °C, from 17:00–21:00 for one to four hours, while someone is home.
    if (this.state.occupancy === "home" && hashUnit(this.seed, day, 101) < 0.17) {
      const minute = (local - day * DAY_MS) / MINUTE_MS;
      const start = 17 * 60 + hashUnit(this.seed, day, 102) * 240;
      const length = 60 + hashUnit(this.seed, day, 103) * 180;
      if (minute >= start && minute < start + length) {
        const u = hashUnit(this.seed, day, 104);
        this.state.setpointC += u < 0.35 ? 0.5 : u < 0.65 ? 1 : u < 0.8 ? 1.5 : -1;
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Heat sinks: a swimming pool's digital boilers heat its water loop, which needs heat all year.

/** The pool loop's setpoint (°C). */
export const HEAT_SINK_SETPOINT_C = 28;
/** Mains water and the hall's air: the loop loses heat towards this, which follows the outdoor air only partly. */
const HEAT_SINK_AMBIENT_BASE_C = 12;
const HEAT_SINK_AMBIENT_FOLLOWS = 0.4;
/** The pool needs this many times the boilers' power at the base ambient temperature: they never catch up, even in summer. */
const HEAT_SINK_OVERSIZE = 1.5;
const PLANT_ROOM_SETPOINT_C = 16;

function heatSinkAmbientC(outdoorC: number): number {
  return HEAT_SINK_AMBIENT_BASE_C + HEAT_SINK_AMBIENT_FOLLOWS * (outdoorC - HEAT_SINK_AMBIENT_BASE_C);
}

// ---------------------------------------------------------------------------------------------

export type WorldOptions = {
  seed: number;
  /** Physics step (s); 60 by default. */
  stepS?: number;
  /** Outage rates, or null for none (forced outages still work). */
  outages?: OutageRates | null;
  /** When the world starts: meters of radiators never heard of start with what they would have counted since installation. */
  startMs: number;
};

export class World {
  readonly climates: SimClimate[] = [];
  readonly dwellings: SimDwelling[] = [];
  readonly rooms: SimRoom[] = [];
  readonly radiators: SimRadiator[] = [];
  readonly bySerial = new Map<string, SimRadiator>();
  readonly stepS: number;
  readonly seed: number;
  private readonly breakers: OutageSchedule[] = [];
  private readonly gatewayLinks = new Map<string, OutageSchedule>();
  private readonly roomClimate: SimClimate[] = [];
  private readonly outages: OutageRates | null;

  constructor(fleet: FleetSpec, opts: WorldOptions) {
    this.seed = opts.seed | 0;
    this.stepS = opts.stepS ?? 60;
    this.outages = opts.outages === undefined ? DEFAULT_OUTAGES : opts.outages;
    const climates = new Map<ClimateKey, SimClimate>();
    const dwellings = new Map<string, SimDwelling>();
    const rooms = new Map<string, { spec: RoomSpec; radiators: RadiatorSpec[] }>();
    for (const g of fleet.gateways) {
      const link = this.outages;
      this.gatewayLinks.set(
        g.serial,
        new OutageSchedule(
          seedFromString(`${this.seed}|internet|${g.serial}`),
          link?.internetLossesPerMonth ?? 0,
          link?.internetMinMs ?? MINUTE_MS,
          link?.internetMaxMs ?? MINUTE_MS,
        ),
      );
      for (const r of g.radiators) {
        const entry = rooms.get(r.room.key);
        if (entry) entry.radiators.push(r);
        else rooms.set(r.room.key, { spec: r.room, radiators: [r] });
      }
    }

    for (const { spec, radiators } of rooms.values()) {
      let climate = climates.get(spec.site.climate);
      if (!climate) {
        climate = new SimClimate(spec.site.climate, weatherSeed(this.seed, spec.site.climate));
        climates.set(spec.site.climate, climate);
        this.climates.push(climate);
      }
      const room = this.buildRoom(spec, radiators, climate);
      if (spec.dwellingKey !== null && room.kind === "home") {
        let dwelling = dwellings.get(spec.dwellingKey);
        if (!dwelling) {
          dwelling = new SimDwelling(spec.dwellingKey, seedFromString(`${this.seed}|household|${spec.dwellingKey}`));
          dwellings.set(spec.dwellingKey, dwelling);
          this.dwellings.push(dwelling);
        }
        dwelling.rooms.push(room);
        room.household = dwelling;
      }
      for (const r of radiators) {
        const radiator = new SimRadiator(r, room, r.memory.energyCounterWh ?? initialMeterWh(r, opts.startMs, this.seed));
        room.radiators.push(radiator);
        this.radiators.push(radiator);
        this.bySerial.set(r.serial, radiator);
        const o = this.outages;
        // Aligned with this.radiators, index for index.
        this.breakers.push(
          new OutageSchedule(
            seedFromString(`${this.seed}|breaker|${r.serial}`),
            o?.breakerTripsPerMonth ?? 0,
            o?.breakerMinMs ?? MINUTE_MS,
            o?.breakerMaxMs ?? MINUTE_MS,
          ),
        );
      }
    }
    for (const dwelling of this.dwellings) {
      const total = dwelling.rooms.reduce((a, r) => a + r.spec.areaM2, 0);
      for (const room of dwelling.rooms) room.gainsShare = room.spec.areaM2 / total;
    }
  }

  private buildRoom(spec: RoomSpec, radiators: RadiatorSpec[], climate: SimClimate): SimRoom {
    const kind = spec.site.kind === "all_year_heat_sink" ? "heat_sink" : spec.dwellingKey === null ? "plant" : "home";
    let params;
    if (kind === "heat_sink") {
      // Size the loop's loss so that the boilers' full power covers 1/HEAT_SINK_OVERSIZE of the need.
      const powerW = radiators.reduce((a, r) => a + r.hardware.maxPowerW, 0);
      const uaWPerK = (HEAT_SINK_OVERSIZE * powerW) / (HEAT_SINK_SETPOINT_C - HEAT_SINK_AMBIENT_BASE_C);
      params = roomThermalParams((20 * uaWPerK) / 38, Math.max(1, powerW / 500));
    } else {
      params = roomThermalParams(spec.areaM2, radiators.length);
    }
    const remembered = radiators.find((r) => r.memory.roomTempC !== null)?.memory.roomTempC ?? null;
    const startC = remembered ?? (kind === "heat_sink" ? HEAT_SINK_SETPOINT_C : kind === "plant" ? PLANT_ROOM_SETPOINT_C : 19.5);
    const state = { radiatorC: startC, airC: startC, massC: startC - (remembered === null ? 1 : 0.3) };
    const room = new SimRoom(spec, kind, params, roomStepper(params, this.stepS), state, seedFromString(`${this.seed}|room|${spec.key}`));
    room.baseSetpointC = kind === "heat_sink" ? HEAT_SINK_SETPOINT_C : kind === "plant" ? PLANT_ROOM_SETPOINT_C : 19;
    this.rooms.push(room);
    this.roomClimate.push(climate);
    return room;
  }

  /** Whether a gateway's internet link is down at `t`. */
  internetDown(gatewaySerial: string, t: number): boolean {
    return this.gatewayLinks.get(gatewaySerial)?.isOut(t) ?? false;
  }

  /** Trips a radiator's breaker from `start` to `end` (tests, demonstrations). */
  forceBreakerTrip(serial: string, start: number, end: number): void {
    const i = this.radiators.findIndex((r) => r.serial === serial);
    if (i < 0) throw new Error(`no simulated radiator ${serial}`);
    this.breakers[i]!.force(start, end);
  }

  /** Cuts a gateway's internet from `start` to `end`. */
  forceInternetLoss(gatewaySerial: string, start: number, end: number): void {
    const link = this.gatewayLinks.get(gatewaySerial);
    if (!link) throw new Error(`no simulated gateway ${gatewaySerial}`);
    link.force(start, end);
  }

  /** Weather, households, breakers and every thermostat's decision at `t`. */
  sample(t: number): void {
    for (const c of this.climates) c.update(t);
    for (const d of this.dwellings) d.update(t);
    const rooms = this.rooms;
    for (let i = 0; i < rooms.length; i++) {
      const room = rooms[i]!;
      const outdoorC = this.roomClimate[i]!.outdoorC;
      const inputs = room.inputs;
      if (room.kind === "home") {
        const dwelling = room.household;
        if (dwelling) {
          const s = dwelling.state;
          room.baseSetpointC = s.setpointC;
          inputs.gainsW = s.gainsW * room.gainsShare;
          // Each room takes part in about two airings in three.
          inputs.windowOpen = s.windowOpen && hashUnit(room.seed, dwelling.day, 7) < 0.67;
        }
        inputs.outdoorTempC = outdoorC;
      } else {
        inputs.gainsW = 0;
        inputs.windowOpen = false;
        inputs.outdoorTempC = room.kind === "heat_sink" ? heatSinkAmbientC(outdoorC) : outdoorC;
      }
    }
    this.power(t);
    const radiators = this.radiators;
    for (let i = 0; i < radiators.length; i++) radiators[i]!.decide();
  }

  /** Breakers at `t`: radiators lose power or boot again. Idempotent for one instant. */
  power(t: number): void {
    const radiators = this.radiators;
    for (let i = 0; i < radiators.length; i++) {
      const r = radiators[i]!;
      const out = this.breakers[i]!.isOut(t);
      if (out !== r.off) {
        if (out) r.powerOff();
        else r.boot(t);
      }
    }
  }

  /** Every powered radiator takes a reading of the current step. */
  record(t: number): void {
    const at = new Date(t).toISOString();
    for (const r of this.radiators) r.record(at);
  }

  /** Meters count the step's energy; rooms move to t + stepS. */
  integrate(): void {
    const hours = this.stepS / 3600;
    for (const room of this.rooms) {
      let powerW = 0;
      for (const r of room.radiators) {
        powerW += r.powerW;
        r.energyWh += r.powerW * hours;
      }
      room.inputs.radiatorPowerW = powerW;
      stepRoomInPlace(room.stepper, room.state, room.inputs);
    }
  }

  /** Runs the physics from `fromMs` for `ms` without readings: a warm-up that brings rooms and walls to a plausible state. */
  warmUp(fromMs: number, ms: number): void {
    const stepMs = this.stepS * 1000;
    // Start near the steady state of the first hour, so the warm-up need not be long.
    this.sample(fromMs);
    for (const room of this.rooms) {
      const ss = steadyStateTemps(room.params, { ...room.inputs, radiatorPowerW: room.radiators.reduce((a, r) => a + r.powerW, 0) });
      const target = room.baseSetpointC;
      room.state.airC = Math.min(target + 0.5, Math.max(ss.airC, target - 1.5));
      room.state.massC = room.state.airC - 1;
      room.state.radiatorC = room.state.airC;
    }
    for (let t = fromMs; t < fromMs + ms; t += stepMs) {
      this.sample(t);
      this.integrate();
    }
  }
}

/**
 * A meter that was never heard of starts where installation would have put it: about 3 kWh a
 * day since it was installed, so that statements show realistic meter readings.
 */
function initialMeterWh(r: RadiatorSpec, startMs: number, seed: number): number {
  const days = Math.max(0, (startMs - Date.parse(`${r.installedOn}T00:00:00Z`)) / DAY_MS);
  const perDay = (r.hardware.maxPowerW / 500) * (2500 + 1000 * hashUnit(seedFromString(`${seed}|meter|${r.serial}`), 0, 0));
  return Math.floor(days * perDay);
}
