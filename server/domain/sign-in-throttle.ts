/**
 * Sign-in throttling: failures are counted in a sliding window, per account from one address,
 * per address and per account from all addresses. An account tried from one address gets few
 * tries (guessing one password); an address gets more (a shared office network), which still stops
 * spraying one password over many accounts. An account's overall ceiling is higher than its limit
 * from one address, so that someone else's failures from elsewhere cannot lock its owner out (it
 * takes failures from several addresses), while a guess spread over many addresses stays bounded.
 */
export const THROTTLE_WINDOW_MS = 15 * 60 * 1000;
export const MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS = 5;
export const MAX_FAILURES_PER_ADDRESS = 20;
export const MAX_FAILURES_PER_ACCOUNT = 25;

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
  /** The account's failures from the address trying now. */
  accountAddressFailures: readonly Date[];
  /** The address's failures, on any account. */
  addressFailures: readonly Date[];
  /** The account's failures, from any address. */
  accountFailures: readonly Date[];
  now: Date;
}): ThrottleDecision {
  const wait = Math.max(
    waitFor(input.accountAddressFailures, MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, input.now),
    waitFor(input.addressFailures, MAX_FAILURES_PER_ADDRESS, input.now),
    waitFor(input.accountFailures, MAX_FAILURES_PER_ACCOUNT, input.now),
  );
  return wait === 0 ? { allowed: true } : { allowed: false, retryAfterS: wait };
}
