import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { formatInstanceRanges, formatRanges, parseInstanceRanges } from "./instance-ranges";

const limits = { maxInstances: 1000, maxInstanceNumber: 1_000_000 };

function numbersOf(spec: string, l = limits): number[] {
  const result = parseInstanceRanges(spec, l);
  if (!result.ok) throw new Error(result.error);
  return result.numbers;
}

function errorOf(spec: string, l = limits): string {
  const result = parseInstanceRanges(spec, l);
  if (result.ok) throw new Error(`expected an error for "${spec}"`);
  return result.error;
}

describe("parseInstanceRanges", () => {
  it("reads single numbers, ranges and lists", () => {
    expect(numbersOf("5")).toEqual([5]);
    expect(numbersOf("0-9")).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(numbersOf("1-3,200")).toEqual([1, 2, 3, 200]);
    expect(numbersOf("1-100,200")).toHaveLength(101);
    expect(numbersOf("7-7")).toEqual([7]);
  });

  it("tolerates whitespace", () => {
    expect(numbersOf("  1 - 3 , 7 ")).toEqual([1, 2, 3, 7]);
    expect(numbersOf("\t4\n")).toEqual([4]);
  });

  it("sorts and de-duplicates", () => {
    expect(numbersOf("9,1-3,2,3-4,1")).toEqual([1, 2, 3, 4, 9]);
  });

  it("refuses an empty spec", () => {
    expect(errorOf("")).toMatch(/no instances/i);
    expect(errorOf("   ")).toMatch(/no instances/i);
  });

  it("refuses malformed parts and names them", () => {
    expect(errorOf("1-3,abc")).toContain('"abc"');
    expect(errorOf("-5")).toContain('"-5"');
    expect(errorOf("1.5")).toContain('"1.5"');
    expect(errorOf("1-2-3")).toContain('"1-2-3"');
    expect(errorOf("1 2")).toContain('"1 2"');
    expect(errorOf("3-")).toContain('"3-"');
    expect(errorOf("1,,2")).toMatch(/empty part/i);
    expect(errorOf("1,")).toMatch(/empty part/i);
  });

  it("refuses a reversed range", () => {
    expect(errorOf("1,9-3")).toContain('"9-3"');
    expect(errorOf("9-3")).toMatch(/reversed/);
  });

  it("refuses numbers above the maximum and names them", () => {
    const small = { maxInstances: 1000, maxInstanceNumber: 99 };
    expect(errorOf("0-5,100", small)).toContain("100");
    expect(errorOf("50-150", small)).toContain('"50-150"');
    expect(numbersOf("99", small)).toEqual([99]);
    expect(errorOf("123456789012345678901234567890")).toMatch(/larger than the maximum/);
  });

  it("refuses too many instances without building them", () => {
    const huge = { maxInstances: 1000, maxInstanceNumber: Number.MAX_SAFE_INTEGER };
    const started = Date.now();
    expect(errorOf("0-999999999", huge)).toMatch(/too many instances: 1000000000/i);
    expect(errorOf("0-999999999999999", huge)).toMatch(/too many/i);
    expect(Date.now() - started).toBeLessThan(1000);
    expect(numbersOf("0-999")).toHaveLength(1000);
    expect(errorOf("0-1000")).toMatch(/1001/);
    // Overlaps count once.
    expect(numbersOf("0-999,0-999,500")).toHaveLength(1000);
  });
});

describe("formatInstanceRanges", () => {
  it("writes compact ranges", () => {
    expect(formatInstanceRanges([])).toBe("");
    expect(formatInstanceRanges([5])).toBe("5");
    expect(formatInstanceRanges([1, 2, 3, 7, 9, 10])).toBe("1-3,7,9-10");
    expect(formatInstanceRanges([10, 9, 3, 7, 1, 2, 2, 9])).toBe("1-3,7,9-10");
  });

  it("refuses what is not an instance number", () => {
    expect(() => formatInstanceRanges([-1])).toThrow(RangeError);
    expect(() => formatInstanceRanges([1.5])).toThrow(RangeError);
  });
});

describe("formatRanges", () => {
  it("writes ranges in any order, joining those that touch or overlap", () => {
    expect(formatRanges([])).toBe("");
    expect(formatRanges([[9, 10], [1, 3], [4, 4], [7, 7], [2, 3]])).toBe("1-4,7,9-10");
    expect(() => formatRanges([[3, 1]])).toThrow(RangeError);
    expect(() => formatRanges([[-1, 2]])).toThrow(RangeError);
  });
});

describe("properties", () => {
  const instanceNumbers = fc.array(fc.nat({ max: 300 }), { maxLength: 80 });
  const wide = { maxInstances: 10_000, maxInstanceNumber: 1_000 };

  it("parse(format(ns)) is ns sorted and unique", () => {
    fc.assert(
      fc.property(instanceNumbers.filter((ns) => ns.length > 0), (ns) => {
        expect(numbersOf(formatInstanceRanges(ns), wide)).toEqual([...new Set(ns)].sort((a, b) => a - b));
      }),
    );
  });

  it("format(parse(spec)) gives back a canonical spec, and canonical specs round-trip", () => {
    // Any valid spec built from random parts with random spacing.
    const part = fc.oneof(
      fc.nat({ max: 300 }).map((n) => `${n}`),
      fc.tuple(fc.nat({ max: 300 }), fc.nat({ max: 40 })).map(([a, len]) => `${a}-${a + len}`),
    );
    const space = fc.constantFrom("", " ", "  ");
    const spec = fc
      .array(fc.tuple(space, part, space), { minLength: 1, maxLength: 10 })
      .map((parts) => parts.map(([a, p, b]) => a + p + b).join(","));
    fc.assert(
      fc.property(spec, (s) => {
        const numbers = numbersOf(s, wide);
        const canonical = formatInstanceRanges(numbers);
        expect(numbersOf(canonical, wide)).toEqual(numbers);
        expect(formatInstanceRanges(numbersOf(canonical, wide))).toBe(canonical);
      }),
    );
  });

  it("the count check agrees with the materialised count", () => {
    fc.assert(
      fc.property(instanceNumbers.filter((ns) => ns.length > 0), fc.nat({ max: 100 }), (ns, max) => {
        const unique = new Set(ns).size;
        const result = parseInstanceRanges(formatInstanceRanges(ns), { maxInstances: max, maxInstanceNumber: 1000 });
        expect(result.ok).toBe(unique <= max);
      }),
    );
  });
});
