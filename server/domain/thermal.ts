/**
 * A room heated by a Q.rad, as a lumped resistance–capacitance network (ISO 13790's simple
 * hourly method, with the radiator body as a node of its own). Three temperatures:
 *
 *   radiator body ──g_rad── room air ──g_im── building mass
 *        ↑ P                 │  ↑ gains           │
 *                       g_air (+ open window)   g_mass
 *                            └──── outside ───────┘
 *
 * - The radiator's electrical power all becomes heat in its body, which gives it to the air.
 *   C_rad ≈ 60 kJ/K and R_rad ≈ 0.06 K/W make τ ≈ 1 h: "an hour to heat, an hour to cool".
 * - Air and furniture (C_i ≈ 0.3 MJ/K) are tied to the walls and floors (C_m ≈ 4 MJ/K) by
 *   R_im ≈ 0.0022 K/W (ISO 13790's h_ms = 9.1 W/m²K over 2.5 m² of mass surface per m² of floor).
 * - Loss to outside is split as ISO 13790 does: ventilation and glazing leave from the air
 *   (g_air), conduction through the opaque outside wall leaves from the mass (g_mass), because
 *   that heat has to cross the wall to get out. So an aired room cools in minutes but its walls
 *   keep the heat and bring the air back. The split is sized so that the whole room, seen from
 *   the air, loses UA = 38 W/K (R ≈ 0.026 K/W) in steady state.
 * - An open window adds a large air-side loss (about 15 air changes per hour).
 *
 * UA = 38 W/K sits in DOMAIN.md's 35–40 W/K and is where both of its checks hold with margin:
 * 5 °C outside with 500 W + 100 W gives 20.8 °C, Paris January (3.4 °C) at full power 19.2 °C.
 *
 * Integration is exact for inputs held constant over a step (zero-order hold): the network is
 * linear, so x(t + dt) = x_ss + Φ (x(t) − x_ss) with Φ = exp(A dt) and x_ss the steady state for
 * the step's inputs. Φ's eigenvalues are exp(λ dt) with λ < 0, in (0, 1) for every dt: the step
 * is unconditionally stable, and one 60 s step equals sixty 1 s steps up to rounding.
 */

import { coresWanted, heatDemand, powerForCoresW } from "./thermostat";

/** Reference room of DOMAIN.md: 20 m², one outside wall, a 1970s flat. */
export const REFERENCE_AREA_M2 = 20;

const REF = {
  airCapacityJPerK: 0.3e6,
  massCapacityJPerK: 4.0e6,
  airToMassWPerK: 1 / 0.0022,
  /** Whole-room loss to outside seen from the air, in steady state. */
  uaWPerK: 38,
  /** Ventilation (0.5 air change per hour of 50 m³ ≈ 8.5 W/K) and about 2 m² of glazing. */
  airToOutsideWPerK: 15,
  /** Airing: 15 air changes per hour of 50 m³ × 0.34 Wh/(m³·K). */
  windowOpenWPerK: 250,
};

/** One radiator body; a room with several radiators has them in parallel. */
export const RADIATOR_CAPACITY_J_PER_K = 60e3;
export const RADIATOR_TO_AIR_W_PER_K = 1 / 0.06;

export type RoomThermalParams = Readonly<{
  areaM2: number;
  radiatorCapacityJPerK: number;
  airCapacityJPerK: number;
  massCapacityJPerK: number;
  radiatorToAirWPerK: number;
  airToMassWPerK: number;
  airToOutsideWPerK: number;
  massToOutsideWPerK: number;
  /** Added to airToOutsideWPerK while a window is open. */
  windowOpenWPerK: number;
}>;

/** Temperatures of the three nodes. Mutable so the hot path can step it in place. */
export type RoomState = { radiatorC: number; airC: number; massC: number };

export type RoomInputs = Readonly<{
  outdoorTempC: number;
  /** Electrical power of the room's radiators; all of it becomes heat in their bodies. */
  radiatorPowerW: number;
  /** People, cooking, appliances: heat released into the air. */
  gainsW: number;
  windowOpen: boolean;
}>;

/**
 * Parameters of a room of `areaM2` with `radiators` radiators. The envelope scales with floor
 * area: a bigger room of the same flat has proportionally more air, more wall and floor mass, a
 * longer outside wall and more ventilation, so capacities and conductances all grow as
 * area / 20 m² and the room's time constants stay those of the reference room. The radiator
 * node belongs to the hardware and scales with the number of radiators, not with the room.
 */
export function roomThermalParams(areaM2: number, radiators = 1): RoomThermalParams {
  if (!(areaM2 > 0) || !Number.isFinite(areaM2)) throw new RangeError(`areaM2 must be positive: ${areaM2}`);
  if (!(radiators > 0) || !Number.isFinite(radiators)) throw new RangeError(`radiators must be positive: ${radiators}`);
  const k = areaM2 / REFERENCE_AREA_M2;
  // g_mass such that g_air + series(g_im, g_mass) = UA: the opaque wall's share seen from the air.
  const wallFromAirWPerK = REF.uaWPerK - REF.airToOutsideWPerK;
  const massToOutsideWPerK = 1 / (1 / wallFromAirWPerK - 1 / REF.airToMassWPerK);
  return Object.freeze({
    areaM2,
    radiatorCapacityJPerK: RADIATOR_CAPACITY_J_PER_K * radiators,
    airCapacityJPerK: REF.airCapacityJPerK * k,
    massCapacityJPerK: REF.massCapacityJPerK * k,
    radiatorToAirWPerK: RADIATOR_TO_AIR_W_PER_K * radiators,
    airToMassWPerK: REF.airToMassWPerK * k,
    airToOutsideWPerK: REF.airToOutsideWPerK * k,
    massToOutsideWPerK: massToOutsideWPerK * k,
    windowOpenWPerK: REF.windowOpenWPerK * k,
  });
}

/** The room's loss to outside seen from the air in steady state (W/K): UA of DOMAIN.md. */
export function effectiveUaWPerK(p: RoomThermalParams, windowOpen = false): number {
  const airSide = p.airToOutsideWPerK + (windowOpen ? p.windowOpenWPerK : 0);
  return airSide + 1 / (1 / p.airToMassWPerK + 1 / p.massToOutsideWPerK);
}

/**
 * The analytic steady state of the network for constant inputs: all the heat that enters
 * (P + gains) leaves through UA, the mass sits on the wall's divider between air and outside,
 * and the radiator sits P / g_rad above the air.
 */
export function steadyStateTemps(p: RoomThermalParams, inputs: RoomInputs): RoomState {
  const out: RoomState = { radiatorC: 0, airC: 0, massC: 0 };
  writeSteadyState(p, inputs, out);
  return out;
}

function writeSteadyState(p: RoomThermalParams, inputs: RoomInputs, out: RoomState): void {
  const to = inputs.outdoorTempC;
  const airC = to + (inputs.radiatorPowerW + inputs.gainsW) / effectiveUaWPerK(p, inputs.windowOpen);
  out.airC = airC;
  out.massC = to + (p.airToMassWPerK / (p.airToMassWPerK + p.massToOutsideWPerK)) * (airC - to);
  out.radiatorC = airC + inputs.radiatorPowerW / p.radiatorToAirWPerK;
}

/** Φ = exp(A dt) for one fixed step, window closed and open. Row-major 3×3. */
export type RoomStepper = Readonly<{
  params: RoomThermalParams;
  dtSeconds: number;
  phiClosed: Float64Array;
  phiOpen: Float64Array;
}>;

/** The system matrix A (row-major 3×3, order radiator, air, mass) of dT/dt = A T + B u. */
function systemMatrix(p: RoomThermalParams, windowOpen: boolean): Float64Array {
  const gr = p.radiatorToAirWPerK;
  const gim = p.airToMassWPerK;
  const ga = p.airToOutsideWPerK + (windowOpen ? p.windowOpenWPerK : 0);
  const gm = p.massToOutsideWPerK;
  const cr = p.radiatorCapacityJPerK;
  const ci = p.airCapacityJPerK;
  const cm = p.massCapacityJPerK;
  return Float64Array.of(-gr / cr, gr / cr, 0, gr / ci, -(gr + gim + ga) / ci, gim / ci, 0, gim / cm, -(gim + gm) / cm);
}

function matMul3(a: Float64Array, b: Float64Array): Float64Array {
  const c = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) c[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  return c;
}

/** exp(M) of a 3×3 matrix by scaling and squaring with a Taylor series: done once per stepper. */
function expm3(m: Float64Array): Float64Array {
  let norm = 0;
  for (let i = 0; i < 3; i++) norm = Math.max(norm, Math.abs(m[i * 3]!) + Math.abs(m[i * 3 + 1]!) + Math.abs(m[i * 3 + 2]!));
  // Scale to a norm ≤ 1/4, where 16 Taylor terms are exact to double precision.
  const squarings = norm > 0.25 ? Math.ceil(Math.log2(norm / 0.25)) : 0;
  const scaled = m.map((v) => v / 2 ** squarings);
  let result: Float64Array = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  let term: Float64Array = Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
  for (let k = 1; k <= 16; k++) {
    term = matMul3(term, scaled).map((v) => v / k);
    result = result.map((v, i) => v + term[i]!);
  }
  for (let s = 0; s < squarings; s++) result = matMul3(result, result);
  return result;
}

/** Precomputes the step of `dtSeconds` (any positive length; exact for inputs held over the step). */
export function roomStepper(p: RoomThermalParams, dtSeconds: number): RoomStepper {
  if (!(dtSeconds > 0) || !Number.isFinite(dtSeconds)) throw new RangeError(`dtSeconds must be positive: ${dtSeconds}`);
  const phi = (open: boolean) => expm3(systemMatrix(p, open).map((v) => v * dtSeconds));
  return Object.freeze({ params: p, dtSeconds, phiClosed: phi(false), phiOpen: phi(true) });
}

/**
 * The hot path: advances `state` in place by the stepper's dt with inputs held constant.
 * No allocation: the simulator steps thousands of rooms a second with one stepper per room type.
 */
export function stepRoomInPlace(stepper: RoomStepper, state: RoomState, inputs: RoomInputs): void {
  const p = stepper.params;
  const phi = inputs.windowOpen ? stepper.phiOpen : stepper.phiClosed;
  // Steady state of this step's inputs, inlined from writeSteadyState to avoid an object.
  const to = inputs.outdoorTempC;
  const ssAir = to + (inputs.radiatorPowerW + inputs.gainsW) / effectiveUaWPerK(p, inputs.windowOpen);
  const ssMass = to + (p.airToMassWPerK / (p.airToMassWPerK + p.massToOutsideWPerK)) * (ssAir - to);
  const ssRad = ssAir + inputs.radiatorPowerW / p.radiatorToAirWPerK;
  const dr = state.radiatorC - ssRad;
  const da = state.airC - ssAir;
  const dm = state.massC - ssMass;
  state.radiatorC = ssRad + phi[0]! * dr + phi[1]! * da + phi[2]! * dm;
  state.airC = ssAir + phi[3]! * dr + phi[4]! * da + phi[5]! * dm;
  state.massC = ssMass + phi[6]! * dr + phi[7]! * da + phi[8]! * dm;
}

const stepperCache = new WeakMap<RoomThermalParams, Map<number, RoomStepper>>();

/**
 * Pure form of the step: a new state after `dtSeconds`. Steppers are memoised per params
 * object and dt (params are frozen), so calling this with a fixed dt costs one allocation.
 */
export function stepRoom(p: RoomThermalParams, state: Readonly<RoomState>, inputs: RoomInputs, dtSeconds: number): RoomState {
  let byDt = stepperCache.get(p);
  if (!byDt) stepperCache.set(p, (byDt = new Map()));
  let stepper = byDt.get(dtSeconds);
  if (!stepper) {
    stepper = roomStepper(p, dtSeconds);
    // A caller sweeping many dts should build its own steppers; keep the memo small.
    if (byDt.size >= 8) byDt.clear();
    byDt.set(dtSeconds, stepper);
  }
  const next = { radiatorC: state.radiatorC, airC: state.airC, massC: state.massC };
  stepRoomInPlace(stepper, next, inputs);
  return next;
}

/** Heat leaving the room for outside right now (W), through ventilation, glazing, an open window and the wall. */
export function heatLossW(p: RoomThermalParams, state: Readonly<RoomState>, inputs: RoomInputs): number {
  const airSide = p.airToOutsideWPerK + (inputs.windowOpen ? p.windowOpenWPerK : 0);
  return airSide * (state.airC - inputs.outdoorTempC) + p.massToOutsideWPerK * (state.massC - inputs.outdoorTempC);
}

/** Heat stored in the three nodes (J), counted from 0 °C: only differences mean anything. */
export function storedHeatJ(p: RoomThermalParams, state: Readonly<RoomState>): number {
  return p.radiatorCapacityJPerK * state.radiatorC + p.airCapacityJPerK * state.airC + p.massCapacityJPerK * state.massC;
}

// ---------------------------------------------------------------------------------------------
// Time to reach a target

/** How far ahead the prediction looks, and its step: at most 24 × 60 = 1440 steps per room. */
export const PREDICTION_HORIZON_MINUTES = 24 * 60;
const PREDICTION_STEP_S = 60;
/**
 * The room counts as arrived this close under where it is heading (the target, or what the loop
 * holds): nobody feels 0.3 °C, and the loop's approach to its held temperature is slow at the end.
 */
export const ARRIVAL_TOLERANCE_C = 0.3;

export type TargetPrediction = Readonly<{
  areaM2: number;
  radiatorCount: number;
  /** Each radiator's hardware: its power with every core running, and its cores. */
  maxPowerWPerRadiator: number;
  coresPerRadiator: number;
  roomTempC: number;
  targetC: number;
  /** Held for the whole prediction. */
  outdoorTempC: number;
  /** What the room's radiators draw now, all together; 0 (cold bodies) when unknown. */
  currentPowerW?: number;
  /** People and appliances; 0 when unknown, which errs towards a later arrival. */
  gainsW?: number;
}>;

/**
 * Minutes until the room's air gets to `targetC` with its thermostats set to it: 0 when it is
 * there already; null when the radiators could not hold the target even at full power, or need
 * more than PREDICTION_HORIZON_MINUTES.
 *
 * Where the room is heading is the real loop's: the thermostat's proportional band
 * (thermostat.ts) holds a room a little under its setpoint (up to 1 °C on cold days), so the
 * room arrives at the lower of the target and the temperature the loop holds, less
 * ARRIVAL_TOLERANCE_C. The way there is the radiators at full power, which is what the loop
 * runs until the last degree. The loop eases off over that last degree, so it takes longer than
 * this (over random rooms: +16 % in the median, +42 % at the 90th percentile), but simulating it
 * makes a higher target sometimes arrive sooner (its loop drives harder towards a goal it nears
 * as slowly), which no resident would believe. With one trajectory for every target, a higher
 * target never takes less time.
 *
 * Only the air is measured, so the other two nodes are estimated as settled around it: the
 * radiator body as if its current draw had held a while (P / g_rad above the air), the building
 * mass where the air's heat balance puts it (a little above the air when nothing heats, under it
 * while heating). The mass dominates: a room whose walls are cold takes hours, not the
 * radiator's hour. Cost: at most 1440 steps of a few dozen operations, about 0.1 ms.
 */
export function predictMinutesToTarget(input: TargetPrediction): number | null {
  const { roomTempC, targetC, outdoorTempC, radiatorCount } = input;
  for (const [name, value] of Object.entries({ roomTempC, targetC, outdoorTempC })) {
    if (!Number.isFinite(value)) throw new RangeError(`${name} must be a finite temperature: ${value}`);
  }
  const hardware = { maxPowerW: input.maxPowerWPerRadiator, cores: input.coresPerRadiator };
  const p = roomThermalParams(input.areaM2, radiatorCount);
  powerForCoresW(0, hardware); // checks the hardware
  const gainsW = input.gainsW ?? 0;
  const currentPowerW = input.currentPowerW ?? 0;
  if (roomTempC >= targetC) return 0;

  const ua = effectiveUaWPerK(p);
  const fullPowerW = radiatorCount * hardware.maxPowerW;
  if (outdoorTempC + (fullPowerW + gainsW) / ua < targetC) return null;
  const loopPowerW = (airC: number) => radiatorCount * powerForCoresW(coresWanted(heatDemand(targetC, airC), hardware.cores), hardware);
  const goalC = Math.min(targetC, heldTempC(outdoorTempC, gainsW, ua, loopPowerW)) - ARRIVAL_TOLERANCE_C;
  if (roomTempC >= goalC) return 0;

  const state: RoomState = {
    radiatorC: roomTempC + currentPowerW / p.radiatorToAirWPerK,
    airC: roomTempC,
    massC: roomTempC + (p.airToOutsideWPerK * (roomTempC - outdoorTempC) - currentPowerW - gainsW) / p.airToMassWPerK,
  };
  const stepper = roomStepper(p, PREDICTION_STEP_S);
  const inputs: RoomInputs = { outdoorTempC, radiatorPowerW: fullPowerW, gainsW, windowOpen: false };
  const steps = (PREDICTION_HORIZON_MINUTES * 60) / PREDICTION_STEP_S;
  for (let i = 1; i <= steps; i++) {
    stepRoomInPlace(stepper, state, inputs);
    if (state.airC >= goalC) return (i * PREDICTION_STEP_S) / 60;
  }
  return null;
}

/**
 * The air temperature at which the loop's power balances the room's loss: where
 * T = outdoor + (P(T) + gains) / UA. P falls as T rises, so the difference falls too and
 * bisection finds the one crossing (at a step of whole cores, the loop dithers around it).
 */
function heldTempC(outdoorTempC: number, gainsW: number, uaWPerK: number, loopPowerW: (airC: number) => number): number {
  let low = outdoorTempC + gainsW / uaWPerK;
  let high = outdoorTempC + (loopPowerW(-Infinity) + gainsW) / uaWPerK;
  for (let i = 0; i < 40; i++) {
    const mid = (low + high) / 2;
    if (outdoorTempC + (loopPowerW(mid) + gainsW) / uaWPerK > mid) low = mid;
    else high = mid;
  }
  return low;
}
