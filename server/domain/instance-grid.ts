import { formatRanges, parseInstanceRanges } from "./instance-ranges";
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

/** Consecutive instances (by number) in one state. */
export type StateRun = { state: InstanceState; length: number };

const LETTER_A = "A".charCodeAt(0);

/**
 * The grid from what the database counts: the ranges of consecutive instance numbers and the runs
 * of one state in number order (neighbouring runs of one state are joined).
 */
export function encodeInstanceGrid(numberRanges: ReadonlyArray<readonly [number, number]>, stateRuns: readonly StateRun[]): EncodedInstanceGrid {
  let runs = "";
  for (let i = 0; i < stateRuns.length; ) {
    const state = stateRuns[i]!.state;
    const code = INSTANCE_STATES.indexOf(state);
    if (code < 0) throw new RangeError(`Not an instance state: ${state}`);
    let length = 0;
    do length += stateRuns[i++]!.length;
    while (i < stateRuns.length && stateRuns[i]!.state === state);
    if (length > 0) runs += String.fromCharCode(LETTER_A + code) + (length > 1 ? length.toString(36) : "");
  }
  return { numbers: formatRanges(numberRanges), runs };
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
