import { describe, expect, it } from "vitest";
import { blackScholesPrice, Z_95 } from "../domain/option-pricing";
import {
  MONTE_CARLO_CONSTANTS,
  MONTE_CARLO_DEFAULTS,
  MONTE_CARLO_LIMITS,
  monteCarloConstantsSchema,
  parseMonteCarloConstants,
  runMonteCarlo,
} from "./monte-carlo";
import { ConstantsError } from "./constants";

function errorsOf(constants: Record<string, string>): string[] {
  const parsed = parseMonteCarloConstants(constants);
  if (parsed.ok) throw new Error(`expected errors for ${JSON.stringify(constants)}`);
  return parsed.errors;
}

describe("monte-carlo constants", () => {
  it("fill in defaults for what is missing", () => {
    const parsed = parseMonteCarloConstants({});
    expect(parsed).toEqual({
      ok: true,
      unknown: [],
      value: { optionType: "european", right: "call", spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturity: 1, paths: 100_000, averagingSteps: 12, seed: 0 },
    });
    expect(MONTE_CARLO_DEFAULTS).toMatchObject({ spot: "100", paths: "100000", optionType: "european" });
    expect(Object.keys(MONTE_CARLO_DEFAULTS).sort()).toEqual(Object.keys(MONTE_CARLO_CONSTANTS).sort());
  });

  it("read numbers as people write them, and options in any case", () => {
    const parsed = parseMonteCarloConstants({ spot: " 42.5 ", paths: "1e5", rate: "-0.01", optionType: "Asian", right: "PUT", volatility: ".3" });
    expect(parsed.ok && parsed.value).toMatchObject({ spot: 42.5, paths: 100_000, rate: -0.01, optionType: "asian", right: "put", volatility: 0.3 });
  });

  it("name the constant, the rule and the value in each error", () => {
    expect(errorsOf({ spot: "-5" })).toEqual(['Constant "spot" must be greater than 0 (got "-5").']);
    expect(errorsOf({ strike: "abc" })).toEqual(['Constant "strike" must be a number, e.g. 0.25 (got "abc").']);
    expect(errorsOf({ volatility: "0" })).toEqual(['Constant "volatility" must be greater than 0 (got "0").']);
    expect(errorsOf({ maturity: "" })[0]).toMatch(/^Constant "maturity" must be a number/);
    expect(errorsOf({ paths: "100.5" })).toEqual(['Constant "paths" must be a whole number (got "100.5").']);
    expect(errorsOf({ paths: "3000000" })).toEqual(['Constant "paths" must be at most 2,000,000 (got "3000000").']);
    expect(errorsOf({ optionType: "bermudan" })).toEqual(['Constant "optionType" must be "european" or "asian" (got "bermudan").']);
    expect(errorsOf({ right: "cal" })).toEqual(['Constant "right" must be "call" or "put" (got "cal").']);
    expect(errorsOf({ rate: "Infinity" })[0]).toMatch(/^Constant "rate" must be a number/);
    expect(errorsOf({ seed: "0x10" })[0]).toMatch(/^Constant "seed" must be a whole number/);
  });

  it("report every bad constant at once", () => {
    const errors = errorsOf({ spot: "0", strike: "x", averagingSteps: "0" });
    expect(errors).toHaveLength(3);
    for (const name of ["spot", "strike", "averagingSteps"]) expect(errors.some((e) => e.includes(`"${name}"`))).toBe(true);
  });

  it("bound an Asian instance's work by paths × averaging dates", () => {
    const ok = { optionType: "asian", paths: "100000", averagingSteps: "500" };
    expect(parseMonteCarloConstants(ok).ok).toBe(true);
    const errors = errorsOf({ ...ok, paths: "2000000" });
    expect(errors[0]).toMatch(/^Constant "paths" times averagingSteps \(500\) must be at most 50,000,000/);
    // A European option ignores averagingSteps, so it does not count.
    expect(parseMonteCarloConstants({ ...ok, optionType: "european", paths: "2000000" }).ok).toBe(true);
    expect(MONTE_CARLO_LIMITS.maxPathsPerInstance).toBe(2_000_000);
  });

  it("the exported zod schema is the one the program uses (the API and UI reuse it)", () => {
    expect(monteCarloConstantsSchema.safeParse({ spot: "-1" }).success).toBe(false);
    const parsed = monteCarloConstantsSchema.parse({ spot: "120", other: "kept by the task, dropped here" });
    expect(parsed.spot).toBe(120);
    expect(parsed).not.toHaveProperty("other");
  });

  it("set unknown constants apart so the program can warn about typos", () => {
    const parsed = parseMonteCarloConstants({ volatilty: "0.3" });
    expect(parsed.ok && parsed.unknown).toEqual(["volatilty"]);
  });
});

describe("runMonteCarlo", () => {
  it("prices the default option close to Black–Scholes and says what it did", () => {
    const { result, stdout } = runMonteCarlo({}, 1);
    expect(result).toMatchObject({ profile: "monte-carlo", version: 1, instanceNumber: 1, seed: 0, paths: 100_000 });
    expect(result.parameters).toEqual({ optionType: "european", right: "call", spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, averagingSteps: null });
    expect(result.closedFormPrice).toBeCloseTo(blackScholesPrice({ spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, right: "call" }), 12);
    expect(Math.abs(result.estimate - result.closedFormPrice!)).toBeLessThan(4 * result.standardError);
    expect(stdout[0]).toMatch(/^monte-carlo: european call/);
    expect(stdout.filter((l) => /%/.test(l))).toHaveLength(10);
    // Says what it did, not how long this process took: the platform times the radiator's run.
    expect(stdout.some((l) => /^monte-carlo: done: 100,000 paths, price \d/.test(l))).toBe(true);
    expect(stdout.some((l) => /\bms\b/.test(l))).toBe(false);
  });

  it("instances are independent and a rerun reproduces", () => {
    const a = runMonteCarlo({ paths: "2000" }, 5).result;
    expect(runMonteCarlo({ paths: "2000" }, 5).result).toEqual(a);
    expect(runMonteCarlo({ paths: "2000" }, 6).result.estimate).not.toBe(a.estimate);
    expect(runMonteCarlo({ paths: "2000", seed: "1" }, 5).result.estimate).not.toBe(a.estimate);
  });

  it("prices an Asian put, with its averaging dates in the result", () => {
    const { result } = runMonteCarlo({ optionType: "asian", right: "put", paths: "20000", averagingSteps: "52" }, 3);
    expect(result.parameters).toMatchObject({ optionType: "asian", right: "put", averagingSteps: 52 });
    expect(result.closedFormPrice).toBeNull();
    const europeanPut = blackScholesPrice({ spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, right: "put" });
    expect(result.estimate).toBeGreaterThan(0);
    expect(result.estimate - Z_95 * result.standardError).toBeLessThan(europeanPut);
  });

  it("throws a ConstantsError listing every problem", () => {
    expect(() => runMonteCarlo({ spot: "-1", paths: "0" }, 1)).toThrow(ConstantsError);
    try {
      runMonteCarlo({ spot: "-1", paths: "0" }, 1);
    } catch (error) {
      expect((error as ConstantsError).errors).toEqual([
        'Constant "spot" must be greater than 0 (got "-1").',
        'Constant "paths" must be at least 100 (got "0").',
      ]);
    }
  });

  it("refuses a negative instance number", () => {
    expect(() => runMonteCarlo({}, -1)).toThrow(/Instance number/);
  });
});
