/**
 * A radiator's local thermostat and what it draws. The Q.rad makes heat by running processors:
 * the thermostat turns the gap between setpoint and room into a heat demand, the demand into a
 * number of cores, and the cores into electrical power (which all becomes heat).
 *
 * Demand is a proportional band with no hysteresis: full 1 °C below the setpoint, none from
 * 0.2 °C above it, a straight ramp between. A smooth ramp rather than on/off because the
 * platform dispatches work against `coresWanted`: a thermostat that flapped between 0 and all
 * cores would make the scheduler start and cancel work every few minutes. The price of a pure
 * proportional band is a steady offset: on the coldest days, where the radiator needs most of
 * its power, the room settles up to about 1 °C under the setpoint (at full power the radiator
 * could not do better anyway).
 *
 * With no work assigned the radiator still heats. Residents must never be cold because the
 * compute queue is empty, so every core the thermostat wants runs: the ones without customer
 * work run for heat alone (a local load that only makes heat). This is what the gateway
 * protocol's `coresActive` already counts ("for work or for heat alone") and what metering
 * books as idle (heating-only) energy, refunded to the resident and billed to nobody. Donated
 * research work is not started locally: the platform places it like any other work, as its
 * lowest priority class, so the radiator never has to pick a customer itself.
 */

export const FULL_DEMAND_BELOW_SETPOINT_C = 1;
export const ZERO_DEMAND_ABOVE_SETPOINT_C = 0.2;
/** The board, memory, fans and network while no core runs: the radiator stays reachable. */
export const IDLE_POWER_SHARE = 0.05;

export type RadiatorHardware = Readonly<{ maxPowerW: number; cores: number }>;

function assertHardware(cores: number, maxPowerW: number): void {
  if (!Number.isSafeInteger(cores) || cores <= 0) throw new RangeError(`cores must be a positive integer: ${cores}`);
  if (!(maxPowerW > 0) || !Number.isFinite(maxPowerW)) throw new RangeError(`maxPowerW must be positive: ${maxPowerW}`);
}

/** Heat demand in [0, 1] from the setpoint and the room's air temperature. */
export function heatDemand(setpointC: number, roomTempC: number): number {
  // Ends compared first so that they are exactly 1 and 0, not 0.9999… after rounding.
  if (roomTempC <= setpointC - FULL_DEMAND_BELOW_SETPOINT_C) return 1;
  if (roomTempC >= setpointC + ZERO_DEMAND_ABOVE_SETPOINT_C) return 0;
  const demand = (setpointC + ZERO_DEMAND_ABOVE_SETPOINT_C - roomTempC) / (FULL_DEMAND_BELOW_SETPOINT_C + ZERO_DEMAND_ABOVE_SETPOINT_C);
  // Also maps NaN (no reading) to no demand: never heat on a broken sensor.
  return demand > 0 ? (demand < 1 ? demand : 1) : 0;
}

/** Cores to run for a demand: the nearest whole number. */
export function coresWanted(demand: number, cores: number): number {
  const d = demand >= 1 ? 1 : demand > 0 ? demand : 0;
  return Math.round(d * cores);
}

export function idlePowerW(maxPowerW: number): number {
  return maxPowerW * IDLE_POWER_SHARE;
}

/** Power drawn with `coresActive` busy: idle plus an equal share per core, all cores = maxPowerW. */
export function powerForCoresW(coresActive: number, hardware: RadiatorHardware): number {
  const idle = idlePowerW(hardware.maxPowerW);
  return Math.min(hardware.maxPowerW, idle + ((hardware.maxPowerW - idle) * coresActive) / hardware.cores);
}

export type RadiatorOutput = {
  coresWanted: number;
  /** Cores running, for work or for heat alone. */
  coresActive: number;
  /** Of which running customer (or donated) work the platform assigned. */
  coresComputing: number;
  /** Of which running only to make the heat the room asks for. */
  coresHeatingOnly: number;
  powerW: number;
};

/**
 * What the radiator runs and draws for a demand and the cores the platform has promised to
 * work. Every wanted core runs, with work or for heat alone; assigned work beyond what is
 * wanted keeps running until it ends (the platform assigns no more than is wanted, so this is a
 * brief overshoot after the room warmed, not a way to heat a warm room).
 */
export function radiatorOutput(input: {
  demand: number;
  coresAssigned: number;
  cores: number;
  maxPowerW: number;
}): RadiatorOutput {
  const { demand, cores, maxPowerW } = input;
  assertHardware(cores, maxPowerW);
  if (!Number.isSafeInteger(input.coresAssigned) || input.coresAssigned < 0)
    throw new RangeError(`coresAssigned must be a non-negative integer: ${input.coresAssigned}`);
  const wanted = coresWanted(demand, cores);
  const computing = Math.min(input.coresAssigned, cores);
  const active = Math.max(wanted, computing);
  return {
    coresWanted: wanted,
    coresActive: active,
    coresComputing: computing,
    coresHeatingOnly: active - computing,
    powerW: powerForCoresW(active, { cores, maxPowerW }),
  };
}

/** The whole local loop in one call: setpoint and room temperature to cores and power. */
export function thermostatStep(
  hardware: RadiatorHardware,
  setpointC: number,
  roomTempC: number,
  coresAssigned = 0,
): RadiatorOutput {
  return radiatorOutput({ demand: heatDemand(setpointC, roomTempC), coresAssigned, cores: hardware.cores, maxPowerW: hardware.maxPowerW });
}
