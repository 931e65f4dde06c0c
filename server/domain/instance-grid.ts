import { formatInstanceRanges, parseInstanceRanges } from "./instance-ranges";
import { INSTANCE_RANGE_LIMITS } from "./task-limits";
import { INSTANCE_STATES, type InstanceState } from "./task-state";

/**
 * A task's instance grid as the browser reads it: the instance numbers as ranges ("0-99999") and
 * their states, in number order, run-length encoded: each run is its state's letter (A for
 * INSTANCE_STATES[0], B for the next…) followed by its length in base 36 when longer than one,
 * e.g. "Bzz" is 1,295 queued instances. 100,000 instances in a few states cost a few bytes; the
 * worst case (every neighbour in another state) one character per instance.
 */
export type EncodedInstanceGrid = { numbers: string; runs: string };

const LETTER_A = "A".charCodeAt(0);

export function encodeInstanceGrid(numbers: readonly number[], states: readonly InstanceState[]): EncodedInstanceGrid {
  const codes = states.map((s) => INSTANCE_STATES.indexOf(s));
  let runs = "";
  for (let i = 0; i < codes.length; ) {
    let j = i + 1;
    while (j < codes.length && codes[j] === codes[i]) j++;
    runs += String.fromCharCode(LETTER_A + codes[i]!) + (j - i > 1 ? (j - i).toString(36) : "");
    i = j;
  }
  return { numbers: formatInstanceRanges(numbers), runs };
}

/** The instance numbers in order, and each one's state as its index in INSTANCE_STATES. */
export function decodeInstanceGrid(grid: EncodedInstanceGrid): { numbers: number[]; codes: Uint8Array } {
  const parsed = grid.numbers === "" ? { ok: true as const, numbers: [] } : parseInstanceRanges(grid.numbers, INSTANCE_RANGE_LIMITS);
  const numbers = parsed.ok ? parsed.numbers : [];
  const codes = new Uint8Array(numbers.length);
  let at = 0;
  for (const [, letter, length] of grid.runs.matchAll(/([A-Z])([0-9a-z]*)/g)) {
    const code = letter!.charCodeAt(0) - LETTER_A;
    const end = Math.min(numbers.length, at + (length ? Number.parseInt(length, 36) : 1));
    codes.fill(code, at, end);
    at = end;
  }
  return { numbers, codes };
}

/** A short fingerprint of an encoded grid (FNV-1a), so that a reader can ask for it only when it changed. */
export function instanceGridVersion(grid: EncodedInstanceGrid): string {
  let hash = 0x811c9dc5;
  const text = `${grid.numbers}|${grid.runs}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return `${text.length.toString(36)}.${(hash >>> 0).toString(36)}`;
}
