import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { hashUnit, mix32, mulberry32, seedFromString } from "./random";

/** Chi-square of `n` draws over 20 equal buckets; 19 degrees of freedom, 99.9th percentile ≈ 43.8. */
function chiSquare(draw: (i: number) => number, n: number): number {
  const buckets = new Array<number>(20).fill(0);
  for (let i = 0; i < n; i++) buckets[Math.floor(draw(i) * 20)]!++;
  const expected = n / 20;
  return buckets.reduce((sum, count) => sum + (count - expected) ** 2 / expected, 0);
}

describe("mulberry32", () => {
  it("is deterministic for a seed and differs between seeds", () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const c = mulberry32(43);
    const as = Array.from({ length: 5 }, () => a());
    expect(Array.from({ length: 5 }, () => b())).toEqual(as);
    expect(Array.from({ length: 5 }, () => c())).not.toEqual(as);
  });

  it("draws in [0, 1), roughly uniformly", () => {
    const next = mulberry32(7);
    const values = Array.from({ length: 20_000 }, () => next());
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(chiSquare((i) => values[i]!, values.length)).toBeLessThan(43.8);
  });
});

describe("hashUnit", () => {
  it("property: a pure function of its arguments, in [0, 1)", () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.integer(), (seed, a, b) => {
        const v = hashUnit(seed, a, b);
        expect(v).toBe(hashUnit(seed, a, b));
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(1);
      }),
    );
  });

  it("is roughly uniform along consecutive keys, and the key order matters", () => {
    expect(chiSquare((i) => hashUnit(1, i), 20_000)).toBeLessThan(43.8);
    expect(chiSquare((i) => hashUnit(i, 3, 1), 20_000)).toBeLessThan(43.8);
    expect(hashUnit(5, 1, 2)).not.toBe(hashUnit(5, 2, 1));
  });

  it("neighbouring keys are uncorrelated", () => {
    const n = 20_000;
    let sum = 0;
    for (let i = 0; i < n; i++) sum += (hashUnit(9, i) - 0.5) * (hashUnit(9, i + 1) - 0.5);
    // Lag-1 correlation of independent uniforms: mean 0, standard deviation (1/12)/√n.
    expect(Math.abs(sum / n / (1 / 12))).toBeLessThan(0.03);
  });
});

describe("seedFromString and mix32", () => {
  it("give stable 32-bit unsigned values that differ for different inputs", () => {
    expect(seedFromString("QRAD-PAR-000083")).toBe(seedFromString("QRAD-PAR-000083"));
    expect(seedFromString("QRAD-PAR-000083")).not.toBe(seedFromString("QRAD-PAR-000084"));
    for (const s of ["", "a", "QRAD-BDX-000001"]) {
      const seed = seedFromString(s);
      expect(Number.isInteger(seed) && seed >= 0 && seed < 2 ** 32).toBe(true);
    }
    expect(mix32(0)).toBe(0);
    expect(mix32(1)).not.toBe(mix32(2));
  });
});
