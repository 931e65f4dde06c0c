/**
 * Sign-in throttling: failures are counted in a sliding window, per account and per client
 * address. An account gets few tries (guessing one password); an address gets more (a shared
 * office network), which still stops spraying one password over many accounts.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;

export type ThrottleDecision = { allowed: true } | { allowed: false; retryAfterS: number };

/** Seconds until the oldest failure that keeps `failures` at or above `limit` leaves the window. */
function waitFor(failures: readonly Date[], limit: number, now: Date): number {
  const recent = failures
    .map((d) => d.getTime())
    .filter((t) => now.getTime() - t < THROTTLE_WINDOW_MS)
    .sort((a, b) => b - a);
  if (recent.length < limit) return 0;
  // The (limit)-th most recent failure must leave the window before another try is allowed.
  const blocking = recent[limit - 1]!;
  return Math.max(1, Math.ceil((blocking + THROTTLE_WINDOW_MS - now.getTime()) / 1000));
}

export function decideThrottle(input: {
  accountFailures: readonly Date[];
  addressFailures: readonly Date[];
  now: Date;
}): ThrottleDecision {
  const wait = Math.max(
    waitFor(input.accountFailures, MAX_FAILURES_PER_ACCOUNT, input.now),
    waitFor(input.addressFailures, MAX_FAILURES_PER_ADDRESS, input.now),
  );
  return wait === 0 ? { allowed: true } : { allowed: false, retryAfterS: wait };
}
