/**
 * Instance numbers as Qarnot writes them: "1-100,200", "0-9", "5". A task is submitted with such
 * a spec and one instance is created per number, so the spec is parsed once at submission and
 * stored as given; `formatInstanceRanges` gives the compact form back for display.
 */

export type InstanceRangeLimits = { maxInstances: number; maxInstanceNumber: number };

export type ParsedInstanceRanges = { ok: true; numbers: number[] } | { ok: false; error: string };

// One part: a number or "a-b", spaces allowed around each piece. Only digits, so "-5" and "1.5"
// are malformed rather than read as something else.
const PART = /^\s*(\d+)\s*(?:-\s*(\d+)\s*)?$/;

export function parseInstanceRanges(spec: string, limits: InstanceRangeLimits): ParsedInstanceRanges {
  if (spec.trim() === "") return { ok: false, error: "No instances given: expected e.g. \"1-100,200\"." };

  const ranges: Array<[number, number]> = [];
  for (const raw of spec.split(",")) {
    const part = raw.trim();
    if (part === "") return { ok: false, error: `Empty part in "${spec.trim()}": remove the extra comma.` };
    const match = PART.exec(part);
    if (!match) {
      return { ok: false, error: `"${part}" is not a number or a range like "1-100".` };
    }
    // Number() of a long digit string is imprecise but still larger than any sane limit.
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (to < from) return { ok: false, error: `Range "${part}" is reversed: write "${to}-${from}".` };
    if (to > limits.maxInstanceNumber) {
      return {
        ok: false,
        error: `Instance number ${match[2] ?? match[1]} in "${part}" is larger than the maximum ${limits.maxInstanceNumber}.`,
      };
    }
    ranges.push([from, to]);
  }

  // Count the distinct numbers on merged ranges before building any array, so that
  // "0-999999999" is refused without allocating a billion numbers.
  const merged = mergeRanges(ranges);
  const count = merged.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
  if (count > limits.maxInstances) {
    return { ok: false, error: `Too many instances: ${count}, at most ${limits.maxInstances} per task.` };
  }

  const numbers: number[] = [];
  for (const [from, to] of merged) for (let n = from; n <= to; n++) numbers.push(n);
  return { ok: true, numbers };
}

/** Compact ranges, e.g. [9, 1, 2, 3, 7, 10, 2] → "1-3,7,9-10"; "" for none. */
export function formatInstanceRanges(numbers: readonly number[]): string {
  for (const n of numbers) {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError(`Not an instance number: ${n}`);
  }
  const sorted = [...new Set(numbers)].sort((a, b) => a - b);
  return formatRanges(sorted.map((n): [number, number] => [n, n]));
}

/**
 * The same compact form from ranges of instance numbers, [first, last] each, in any order and
 * overlapping or not (as the database groups runs of consecutive numbers).
 */
export function formatRanges(ranges: ReadonlyArray<readonly [number, number]>): string {
  for (const [from, to] of ranges) {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || from < 0 || to < from) {
      throw new RangeError(`Not a range of instance numbers: ${from}-${to}`);
    }
  }
  const runs = mergeRanges(ranges.map(([from, to]): [number, number] => [from, to]));
  return runs.map(([from, to]) => (from === to ? `${from}` : `${from}-${to}`)).join(",");
}

/** Sorted, disjoint, non-adjacent ranges covering the same numbers. */
function mergeRanges(ranges: ReadonlyArray<[number, number]>): Array<[number, number]> {
  const sorted = [...ranges].sort((a, b) => a[0] - b[0]);
  const merged: Array<[number, number]> = [];
  for (const [from, to] of sorted) {
    const last = merged[merged.length - 1];
    if (last && from <= last[1] + 1) last[1] = Math.max(last[1], to);
    else merged.push([from, to]);
  }
  return merged;
}
