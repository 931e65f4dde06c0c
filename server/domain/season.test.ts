import { describe, expect, it } from "vitest";
import { householdAt, householdProfile, type HouseholdState } from "./household";
import { REFERENCE_AREA_M2, roomStepper, roomThermalParams, steadyStateTemps, stepRoomInPlace } from "./thermal";
import { thermostatStep } from "./thermostat";
import { CLIMATES, outdoorTempC, type ClimateKey } from "./weather";

// The four models together, as the fleet simulator will run them: weather → room ← radiator ←
// thermostat ← household. A Q.rad QR-500 (500 W, 16 cores) in the reference 20 m² room.
const hardware = { maxPowerW: 500, cores: 16 };
const params = roomThermalParams(REFERENCE_AREA_M2);
const DAY_MS = 86_400_000;

type Run = { meanCoresWanted: number; meanAirC: number; energyWh: number };

/** Steps a room from `fromMs` for `days` with `stepS` steps, after 3 days of warm-up (not counted). */
function simulate(climate: ClimateKey, householdSeed: number, fromMs: number, days: number, stepS: number, constantSetpointC?: number): Run {
  const profile = householdProfile(householdSeed);
  const stepper = roomStepper(params, stepS);
  const month = new Date(fromMs).getUTCMonth();
  // Start near the month's balance; the warm-up settles the building mass.
  const state = steadyStateTemps(params, {
    outdoorTempC: CLIMATES[climate].monthlyMeanTempC[month]!,
    radiatorPowerW: 300,
    gainsW: 80,
    windowOpen: false,
  });
  const household: HouseholdState = { occupancy: "home", setpointC: 20, gainsW: 0, windowOpen: false };
  const inputs = { outdoorTempC: 0, radiatorPowerW: 0, gainsW: 0, windowOpen: false };
  let cores = 0;
  let air = 0;
  let energyWh = 0;
  let n = 0;
  const weatherSeed = 7;
  for (let t = fromMs - 3 * DAY_MS; t < fromMs + days * DAY_MS; t += stepS * 1000) {
    householdAt(profile, t, household);
    if (constantSetpointC !== undefined) {
      household.setpointC = constantSetpointC;
      household.gainsW = 100;
      household.windowOpen = false;
    }
    const out = thermostatStep(hardware, household.setpointC, state.airC);
    if (t >= fromMs) {
      cores += out.coresWanted;
      air += state.airC;
      energyWh += (out.powerW * stepS) / 3600;
      n++;
    }
    inputs.outdoorTempC = outdoorTempC(climate, t, weatherSeed);
    inputs.radiatorPowerW = out.powerW;
    inputs.gainsW = household.gainsW;
    inputs.windowOpen = household.windowOpen;
    stepRoomInPlace(stepper, state, inputs);
  }
  return { meanCoresWanted: cores / n, meanAirC: air / n, energyWh };
}

describe("seasons", () => {
  it("a January week wants at least twice the cores of a July week (DOMAIN.md: capacity varies by a factor of two)", () => {
    for (const climate of ["paris", "bordeaux"] as const) {
      let january = 0;
      let july = 0;
      for (let seed = 1; seed <= 6; seed++) {
        january += simulate(climate, seed, Date.UTC(2026, 0, 12), 7, 300).meanCoresWanted;
        july += simulate(climate, seed, Date.UTC(2026, 6, 13), 7, 300).meanCoresWanted;
      }
      expect(january / 6).toBeGreaterThan(4); // a quarter of the cores at least, in midwinter
      expect(january).toBeGreaterThanOrEqual(2 * july);
    }
  });

  it("a Paris January held at 20 °C under the thermostat uses about 370 kWh", () => {
    // DOMAIN.md: about 370 kWh (≈ €72). The proportional thermostat runs near full power all
    // month and the room settles a little under its setpoint (the 500 W are barely enough).
    const run = simulate("paris", 1, Date.UTC(2026, 0, 1), 31, 60, 20);
    expect(run.energyWh / 1000).toBeGreaterThan(330);
    expect(run.energyWh / 1000).toBeLessThanOrEqual(372);
    expect(run.meanAirC).toBeGreaterThan(18);
    expect(run.meanAirC).toBeLessThan(20.2);
  });
});
