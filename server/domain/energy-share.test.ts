import { describe, expect, it } from "vitest";
import { energyShareWh, formatEnergyShareWh } from "./energy-share";

describe("energyShareWh", () => {
  it("shares the task's metered energy by core-seconds, so equal work reads equal", () => {
    // Four instances of 120 core-seconds each; the ledger's whole-Wh lines read 0, 2, 1 and 0.
    const task = { coreSeconds: 480, energyWh: 3 };
    expect(energyShareWh(120, task)).toBe(0.75);
    expect([120, 120, 120, 120].map((cs) => energyShareWh(cs, task)).reduce((a, b) => a + b)).toBe(3);
    expect(energyShareWh(360, task)).toBe(2.25);
  });

  it("is nothing for an instance that has not run, or a task not yet metered", () => {
    expect(energyShareWh(0, { coreSeconds: 480, energyWh: 3 })).toBe(0);
    expect(energyShareWh(120, { coreSeconds: 0, energyWh: 0 })).toBe(0);
    expect(energyShareWh(120, { coreSeconds: 480, energyWh: 0 })).toBe(0);
  });

  it("never gives an instance more than the task's total", () => {
    expect(energyShareWh(600, { coreSeconds: 480, energyWh: 3 })).toBe(3);
  });
});

describe("formatEnergyShareWh", () => {
  it("shows small shares to a tenth of a Wh and tiny ones as under it", () => {
    expect(formatEnergyShareWh(0)).toBe("0 Wh");
    expect(formatEnergyShareWh(0.01)).toBe("< 0.1 Wh");
    expect(formatEnergyShareWh(0.75)).toBe("0.8 Wh");
    expect(formatEnergyShareWh(0.7)).toBe("0.7 Wh");
    expect(formatEnergyShareWh(2)).toBe("2.0 Wh");
    expect(formatEnergyShareWh(9.96)).toBe("10 Wh");
  });

  it("shows larger ones in whole Wh, then kWh", () => {
    expect(formatEnergyShareWh(12.4)).toBe("12 Wh");
    expect(formatEnergyShareWh(9_999)).toBe("9,999 Wh");
    expect(formatEnergyShareWh(10_400)).toBe("10.4 kWh");
  });
});
