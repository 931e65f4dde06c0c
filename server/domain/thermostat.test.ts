import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  coresWanted,
  FULL_DEMAND_BELOW_SETPOINT_C,
  heatDemand,
  idlePowerW,
  radiatorOutput,
  thermostatStep,
  ZERO_DEMAND_ABOVE_SETPOINT_C,
} from "./thermostat";

const tempArb = fc.double({ min: -20, max: 40, noNaN: true });
const hardwareArb = fc.record({
  cores: fc.integer({ min: 1, max: 128 }),
  maxPowerW: fc.integer({ min: 50, max: 5000 }),
});
const demandArb = fc.double({ min: 0, max: 1, noNaN: true });

describe("heatDemand", () => {
  it("is full 1 °C below the setpoint, none from just above it, a ramp between", () => {
    expect(heatDemand(20, 20 - FULL_DEMAND_BELOW_SETPOINT_C)).toBe(1);
    expect(heatDemand(20, 15)).toBe(1);
    expect(heatDemand(20, 20 + ZERO_DEMAND_ABOVE_SETPOINT_C)).toBe(0);
    expect(heatDemand(20, 25)).toBe(0);
    expect(heatDemand(20, 20)).toBeCloseTo(ZERO_DEMAND_ABOVE_SETPOINT_C / (1 + ZERO_DEMAND_ABOVE_SETPOINT_C), 12);
    expect(heatDemand(20, 19.4)).toBeCloseTo(0.8 / 1.2, 12);
  });

  it("asks for nothing without a reading", () => {
    expect(heatDemand(20, Number.NaN)).toBe(0);
  });

  it("property: in [0, 1] and monotone in the gap setpoint − room", () => {
    fc.assert(
      fc.property(tempArb, tempArb, tempArb, (setpointC, a, b) => {
        const [colder, warmer] = a <= b ? [a, b] : [b, a];
        const d = heatDemand(setpointC, colder);
        expect(d).toBeGreaterThanOrEqual(0);
        expect(d).toBeLessThanOrEqual(1);
        expect(d).toBeGreaterThanOrEqual(heatDemand(setpointC, warmer));
        // Raising the setpoint never lowers the demand.
        expect(heatDemand(setpointC + 0.5, colder)).toBeGreaterThanOrEqual(d);
      }),
    );
  });

  it("property: continuous, no jump larger than the slope allows", () => {
    fc.assert(
      fc.property(tempArb, tempArb, (setpointC, roomC) => {
        const slope = 1 / (FULL_DEMAND_BELOW_SETPOINT_C + ZERO_DEMAND_ABOVE_SETPOINT_C);
        expect(Math.abs(heatDemand(setpointC, roomC) - heatDemand(setpointC, roomC + 0.01))).toBeLessThanOrEqual(slope * 0.01 + 1e-12);
      }),
    );
  });
});

describe("radiatorOutput", () => {
  it("draws idle power with nothing to do and maxPowerW with every core busy", () => {
    const idle = radiatorOutput({ demand: 0, coresAssigned: 0, cores: 16, maxPowerW: 500 });
    expect(idle).toEqual({ coresWanted: 0, coresActive: 0, coresComputing: 0, coresHeatingOnly: 0, powerW: 25 });
    const full = radiatorOutput({ demand: 1, coresAssigned: 16, cores: 16, maxPowerW: 500 });
    expect(full).toEqual({ coresWanted: 16, coresActive: 16, coresComputing: 16, coresHeatingOnly: 0, powerW: 500 });
    // Half the cores: idle plus half of the rest.
    expect(radiatorOutput({ demand: 0.5, coresAssigned: 8, cores: 16, maxPowerW: 500 }).powerW).toBeCloseTo(262.5, 9);
  });

  it("heats with no work assigned: the wanted cores run for heat alone", () => {
    const out = radiatorOutput({ demand: 0.75, coresAssigned: 0, cores: 16, maxPowerW: 500 });
    expect(out).toMatchObject({ coresWanted: 12, coresActive: 12, coresComputing: 0, coresHeatingOnly: 12 });
    const some = radiatorOutput({ demand: 0.75, coresAssigned: 5, cores: 16, maxPowerW: 500 });
    expect(some).toMatchObject({ coresActive: 12, coresComputing: 5, coresHeatingOnly: 7 });
    expect(some.powerW).toBe(out.powerW);
  });

  it("lets assigned work finish when the room no longer wants it", () => {
    const out = radiatorOutput({ demand: 0.1, coresAssigned: 6, cores: 16, maxPowerW: 500 });
    expect(out).toMatchObject({ coresWanted: 2, coresActive: 6, coresComputing: 6, coresHeatingOnly: 0 });
  });

  it("rounds the demand to the nearest core", () => {
    expect(coresWanted(0.49 / 16, 16)).toBe(0);
    expect(coresWanted(0.51 / 16, 16)).toBe(1);
    expect(coresWanted(1.5, 16)).toBe(16);
    expect(coresWanted(-1, 16)).toBe(0);
  });

  it("refuses impossible hardware or assignments", () => {
    expect(() => radiatorOutput({ demand: 1, coresAssigned: 0, cores: 0, maxPowerW: 500 })).toThrow(RangeError);
    expect(() => radiatorOutput({ demand: 1, coresAssigned: 0, cores: 2.5, maxPowerW: 500 })).toThrow(RangeError);
    expect(() => radiatorOutput({ demand: 1, coresAssigned: 0, cores: 16, maxPowerW: 0 })).toThrow(RangeError);
    expect(() => radiatorOutput({ demand: 1, coresAssigned: -1, cores: 16, maxPowerW: 500 })).toThrow(RangeError);
  });

  it("property: cores within the hardware, power between idle and maxPowerW, parts add up", () => {
    fc.assert(
      fc.property(hardwareArb, demandArb, fc.integer({ min: 0, max: 200 }), (hw, demand, coresAssigned) => {
        const out = radiatorOutput({ demand, coresAssigned, ...hw });
        expect(out.coresWanted).toBeLessThanOrEqual(hw.cores);
        expect(out.coresActive).toBeLessThanOrEqual(hw.cores);
        expect(out.coresActive).toBeGreaterThanOrEqual(out.coresWanted);
        expect(out.coresComputing + out.coresHeatingOnly).toBe(out.coresActive);
        expect(out.coresHeatingOnly).toBeGreaterThanOrEqual(0);
        expect(out.powerW).toBeLessThanOrEqual(hw.maxPowerW);
        expect(out.powerW).toBeGreaterThanOrEqual(idlePowerW(hw.maxPowerW));
        if (coresAssigned === 0) expect(out.coresActive).toBe(out.coresWanted); // the heat asked for, work or not
      }),
    );
  });

  it("property: power grows with demand and with the gap setpoint − room", () => {
    fc.assert(
      fc.property(hardwareArb, demandArb, demandArb, tempArb, tempArb, (hw, a, b, setpointC, roomC) => {
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        const power = (demand: number) => radiatorOutput({ demand, coresAssigned: 0, ...hw }).powerW;
        expect(power(hi)).toBeGreaterThanOrEqual(power(lo));
        const cold = thermostatStep(hw, setpointC, roomC - 0.3);
        const warm = thermostatStep(hw, setpointC, roomC);
        expect(cold.coresWanted).toBeGreaterThanOrEqual(warm.coresWanted);
        expect(cold.powerW).toBeGreaterThanOrEqual(warm.powerW);
      }),
    );
  });
});
