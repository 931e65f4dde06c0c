import { describe, expect, it } from "vitest";
import fc from "fast-check";
import {
  blackScholesPrice,
  normCdf,
  poolEstimates,
  priceMonteCarlo,
  Z_95,
  type MonteCarloEstimate,
  type OptionParams,
} from "./option-pricing";

const atm: OptionParams = { spot: 100, strike: 100, rate: 0.05, volatility: 0.2, maturityYears: 1, right: "call" };

/** Discrete geometric-average Asian call: a closed form, and a lower bound of the arithmetic one (AM ≥ GM path by path). */
function geometricAsianCall(p: OptionParams, steps: number): number {
  const n = steps;
  const mean = Math.log(p.spot) + (p.rate - p.volatility ** 2 / 2) * p.maturityYears * ((n + 1) / (2 * n));
  const variance = p.volatility ** 2 * p.maturityYears * (((n + 1) * (2 * n + 1)) / (6 * n * n));
  const sd = Math.sqrt(variance);
  const d2 = (mean - Math.log(p.strike)) / sd;
  const d1 = d2 + sd;
  return Math.exp(-p.rate * p.maturityYears) * (Math.exp(mean + variance / 2) * normCdf(d1) - p.strike * normCdf(d2));
}

describe("normCdf", () => {
  it("matches reference values to 1e-12", () => {
    expect(normCdf(0)).toBe(0.5);
    expect(normCdf(1)).toBeCloseTo(0.8413447460685429, 12);
    expect(normCdf(1.96)).toBeCloseTo(0.9750021048517795, 12);
    expect(normCdf(-3)).toBeCloseTo(0.0013498980316301, 12);
    expect(normCdf(-10)).toBeCloseTo(7.61985302416e-24, 12);
    expect(normCdf(40)).toBe(1);
    expect(normCdf(-40)).toBe(0);
  });

  it("is symmetric and increasing", () => {
    fc.assert(
      fc.property(fc.double({ min: -40, max: 40, noNaN: true }), fc.double({ min: 0, max: 5, noNaN: true }), (x, step) => {
        expect(Math.abs(normCdf(x) + normCdf(-x) - 1)).toBeLessThan(1e-15);
        expect(normCdf(x + step)).toBeGreaterThanOrEqual(normCdf(x));
      }),
    );
  });
});

describe("blackScholesPrice", () => {
  it("matches the textbook values (S=K=100, r=5 %, σ=20 %, T=1)", () => {
    expect(blackScholesPrice(atm)).toBeCloseTo(10.450583572185565, 10);
    expect(blackScholesPrice({ ...atm, right: "put" })).toBeCloseTo(5.573526022256971, 10);
  });

  it("satisfies put–call parity: C − P = S − K·e^(−rT)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: 1, max: 1000, noNaN: true }),
        fc.double({ min: -0.05, max: 0.2, noNaN: true }),
        fc.double({ min: 0, max: 2, noNaN: true }),
        fc.double({ min: 0.01, max: 30, noNaN: true }),
        (spot, strike, rate, volatility, maturityYears) => {
          const p = { spot, strike, rate, volatility, maturityYears };
          const call = blackScholesPrice({ ...p, right: "call" });
          const put = blackScholesPrice({ ...p, right: "put" });
          const parity = spot - strike * Math.exp(-rate * maturityYears);
          expect(Math.abs(call - put - parity)).toBeLessThan(1e-9 * Math.max(spot, strike));
        },
      ),
    );
  });

  it("stays within the no-arbitrage bounds", () => {
    const call = blackScholesPrice(atm);
    expect(call).toBeGreaterThan(atm.spot - atm.strike * Math.exp(-atm.rate));
    expect(call).toBeLessThan(atm.spot);
  });

  it("with no volatility, is the discounted intrinsic value", () => {
    expect(blackScholesPrice({ ...atm, volatility: 0 })).toBeCloseTo(100 - 100 * Math.exp(-0.05), 12);
    expect(blackScholesPrice({ ...atm, volatility: 0, right: "put" })).toBe(0);
  });

  it("refuses nonsense inputs", () => {
    expect(() => blackScholesPrice({ ...atm, spot: 0 })).toThrow(/spot/);
    expect(() => blackScholesPrice({ ...atm, strike: -1 })).toThrow(/strike/);
    expect(() => blackScholesPrice({ ...atm, volatility: -0.1 })).toThrow(/volatility/);
    expect(() => blackScholesPrice({ ...atm, maturityYears: NaN })).toThrow(/maturityYears/);
  });
});

describe("priceMonteCarlo", () => {
  it("European call and put: the 95 % interval of a large run contains Black–Scholes", () => {
    for (const right of ["call", "put"] as const) {
      const p = { ...atm, right };
      const mc = priceMonteCarlo(p, { style: "european", paths: 400_000, seed: 7, stream: 1 });
      expect(mc.paths).toBe(400_000);
      expect(Math.abs(mc.estimate - blackScholesPrice(p))).toBeLessThan(Z_95 * mc.standardError);
      expect(mc.standardError).toBeLessThan(0.03);
    }
  });

  it("the standard error is honest: about 95 % of small runs' intervals cover the closed form", () => {
    const exact = blackScholesPrice(atm);
    const runs = 300;
    let covered = 0;
    for (let stream = 0; stream < runs; stream++) {
      const mc = priceMonteCarlo(atm, { style: "european", paths: 2_000, seed: 1, stream });
      if (Math.abs(mc.estimate - exact) <= Z_95 * mc.standardError) covered += 1;
    }
    // Binomial(300, 0.95): mean 285, sd 3.8; the bounds are more than 3 sd away.
    expect(covered).toBeGreaterThanOrEqual(273);
    expect(covered).toBeLessThanOrEqual(297);
  });

  it("European: Black–Scholes lies within 4 standard errors over random parameters", () => {
    fc.assert(
      fc.property(
        fc.double({ min: 20, max: 200, noNaN: true }),
        fc.double({ min: 0.6, max: 1.6, noNaN: true }),
        fc.double({ min: -0.02, max: 0.1, noNaN: true }),
        fc.double({ min: 0.05, max: 0.6, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        fc.constantFrom("call" as const, "put" as const),
        fc.integer({ min: 0, max: 0xffffffff }),
        (spot, moneyness, rate, volatility, maturityYears, right, seed) => {
          const p = { spot, strike: spot * moneyness, rate, volatility, maturityYears, right };
          // Monte-Carlo cannot see what it never samples: deep out of the money, with a handful of
          // paths in the money, the sample spread understates the error. Keep exercise at ≥ 1 %.
          const sd = volatility * Math.sqrt(maturityYears);
          const d2 = (Math.log(1 / moneyness) + rate * maturityYears) / sd - sd / 2;
          fc.pre(normCdf(right === "call" ? d2 : -d2) >= 0.01);
          const mc = priceMonteCarlo(p, { style: "european", paths: 20_000, seed });
          expect(Math.abs(mc.estimate - blackScholesPrice(p))).toBeLessThanOrEqual(4 * mc.standardError);
        },
      ),
      // A statistical property: fixed seed so that a 1-in-16,000 tail never makes CI flaky.
      { numRuns: 60, seed: 20240601 },
    );
  });

  it("reproduces a run from its seed and stream, and differs between streams", () => {
    const o = { style: "european" as const, paths: 1_000, seed: 42 };
    expect(priceMonteCarlo(atm, { ...o, stream: 3 })).toEqual(priceMonteCarlo(atm, { ...o, stream: 3 }));
    expect(priceMonteCarlo(atm, { ...o, stream: 3 }).estimate).not.toBe(priceMonteCarlo(atm, { ...o, stream: 4 }).estimate);
    expect(priceMonteCarlo(atm, { ...o, seed: 43, stream: 3 }).estimate).not.toBe(priceMonteCarlo(atm, { ...o, stream: 3 }).estimate);
  });

  it("rounds odd path counts up to whole antithetic pairs", () => {
    expect(priceMonteCarlo(atm, { style: "european", paths: 1_001, seed: 0 }).paths).toBe(1_002);
  });

  it("antithetic pairs narrow the interval against the plain estimator's σ/√n", () => {
    // For an ATM call the payoff's own standard deviation is about 14.7: plain MC would give 14.7/√n.
    const mc = priceMonteCarlo(atm, { style: "european", paths: 100_000, seed: 5 });
    expect(mc.standardError).toBeLessThan((14.7 / Math.sqrt(100_000)) * 0.8);
  });

  it("Asian call: below the European call, above the geometric-average closed form", () => {
    const steps = 12;
    const asian = priceMonteCarlo(atm, { style: "asian", averagingSteps: steps, paths: 200_000, seed: 11 });
    const european = blackScholesPrice(atm);
    const geometric = geometricAsianCall(atm, steps);
    expect(asian.estimate + 4 * asian.standardError).toBeLessThan(european);
    expect(asian.estimate - 4 * asian.standardError).toBeGreaterThan(geometric);
    // Same option, same draws: the averaging must not be worth more path by path either.
    const europeanMc = priceMonteCarlo(atm, { style: "european", paths: 200_000, seed: 11 });
    expect(asian.estimate).toBeLessThan(europeanMc.estimate);
  });

  it("an Asian option averaged once, at maturity, is the European option", () => {
    const o = { paths: 5_000, seed: 9, stream: 2 };
    const asian = priceMonteCarlo({ ...atm, right: "put" }, { ...o, style: "asian", averagingSteps: 1 });
    const european = priceMonteCarlo({ ...atm, right: "put" }, { ...o, style: "european" });
    expect(asian).toEqual(european);
  });

  it("reports progress and ends with the final figures", () => {
    const seen: MonteCarloEstimate[] = [];
    const result = priceMonteCarlo(atm, { style: "european", paths: 10_000, seed: 1, progressEveryPaths: 2_500, onProgress: (p) => seen.push(p) });
    expect(seen.map((p) => p.paths)).toEqual([2_500, 5_000, 7_500, 10_000]);
    expect(seen.at(-1)).toEqual(result);
  });

  it("refuses nonsense options", () => {
    expect(() => priceMonteCarlo(atm, { style: "european", paths: 0, seed: 0 })).toThrow(/paths/);
    expect(() => priceMonteCarlo(atm, { style: "european", paths: 10, seed: -1 })).toThrow(/seed/);
    expect(() => priceMonteCarlo(atm, { style: "asian", averagingSteps: 0, paths: 10, seed: 0 })).toThrow(/averagingSteps/);
    expect(() => priceMonteCarlo(atm, { style: "bermudan" as never, paths: 10, seed: 0 })).toThrow(/style/);
  });
});

describe("poolEstimates", () => {
  it("weights by paths and adds variances with squared weights", () => {
    const pooled = poolEstimates([
      { estimate: 10, standardError: 0.2, paths: 1_000 },
      { estimate: 13, standardError: 0.1, paths: 3_000 },
    ]);
    expect(pooled.estimate).toBeCloseTo(0.25 * 10 + 0.75 * 13, 12);
    expect(pooled.standardError).toBeCloseTo(Math.sqrt(0.25 ** 2 * 0.04 + 0.75 ** 2 * 0.01), 12);
    expect(pooled.paths).toBe(4_000);
    expect(pooled.instances).toBe(2);
    expect(pooled.ci95Low).toBeCloseTo(pooled.estimate - Z_95 * pooled.standardError, 12);
    expect(pooled.ci95High).toBeCloseTo(pooled.estimate + Z_95 * pooled.standardError, 12);
  });

  it("one instance is its own estimate", () => {
    const one = { estimate: 4.2, standardError: 0.05, paths: 10_000 };
    expect(poolEstimates([one])).toMatchObject({ ...one, instances: 1 });
  });

  it("k equal instances narrow the interval by 1/√k", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -100, max: 100, noNaN: true }),
        fc.double({ min: 1e-6, max: 10, noNaN: true }),
        fc.integer({ min: 1, max: 1_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        (estimate, standardError, paths, k) => {
          const pooled = poolEstimates(Array.from({ length: k }, () => ({ estimate, standardError, paths })));
          expect(pooled.standardError).toBeCloseTo(standardError / Math.sqrt(k), 9);
          expect(pooled.paths).toBe(k * paths);
        },
      ),
      { numRuns: 50 },
    );
  });

  it("k independent instances narrow the interval ~1/√k and still cover Black–Scholes", () => {
    const k = 16;
    const parts = Array.from({ length: k }, (_, stream) => priceMonteCarlo(atm, { style: "european", paths: 20_000, seed: 3, stream }));
    const pooled = poolEstimates(parts);
    const single = parts[0]!.standardError;
    expect(pooled.standardError / (single / Math.sqrt(k))).toBeGreaterThan(0.9);
    expect(pooled.standardError / (single / Math.sqrt(k))).toBeLessThan(1.1);
    const exact = blackScholesPrice(atm);
    expect(pooled.ci95Low).toBeLessThan(exact);
    expect(pooled.ci95High).toBeGreaterThan(exact);
    // Pooling equals one run of all the paths, to sampling error.
    const oneBigRun = priceMonteCarlo(atm, { style: "european", paths: k * 20_000, seed: 4 });
    expect(pooled.standardError / oneBigRun.standardError).toBeGreaterThan(0.95);
    expect(pooled.standardError / oneBigRun.standardError).toBeLessThan(1.05);
  });

  it("refuses an empty list and broken parts", () => {
    expect(() => poolEstimates([])).toThrow(/No instance/);
    expect(() => poolEstimates([{ estimate: 1, standardError: 0.1, paths: 0 }])).toThrow(/paths/);
    expect(() => poolEstimates([{ estimate: NaN, standardError: 0.1, paths: 10 }])).toThrow(/estimate/);
    expect(() => poolEstimates([{ estimate: 1, standardError: -1, paths: 10 }])).toThrow(/standardError/);
  });
});
