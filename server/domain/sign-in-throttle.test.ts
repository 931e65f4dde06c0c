import { describe, expect, it } from "vitest";
import {
  decideThrottle,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS,
  MAX_FAILURES_PER_ADDRESS,
  THROTTLE_WINDOW_MS,
} from "./sign-in-throttle";

const now = new Date("2026-01-15T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const times = (n: number, spacingMs = 1000) => Array.from({ length: n }, (_, i) => ago((i + 1) * spacingMs));
const none = { accountAddressFailures: [], addressFailures: [], accountFailures: [], now };

describe("decideThrottle", () => {
  it("allows a first try and tries below the limits", () => {
    expect(decideThrottle(none)).toEqual({ allowed: true });
    expect(
      decideThrottle({
        accountAddressFailures: times(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS - 1),
        addressFailures: times(MAX_FAILURES_PER_ADDRESS - 1),
        accountFailures: times(MAX_FAILURES_PER_ACCOUNT - 1),
        now,
      }),
    ).toEqual({ allowed: true });
  });

  it("refuses an account tried from one address at its limit until the blocking failure leaves the window", () => {
    const failures = times(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS, 60_000); // 1..5 minutes ago
    const decision = decideThrottle({ ...none, accountAddressFailures: failures, accountFailures: failures });
    expect(decision).toEqual({ allowed: false, retryAfterS: (THROTTLE_WINDOW_MS - 5 * 60_000) / 1000 });
  });

  it("lets an account's owner in from another address while one address is refused", () => {
    const elsewhere = times(MAX_FAILURES_PER_ACCOUNT_AND_ADDRESS);
    expect(decideThrottle({ ...none, accountFailures: elsewhere })).toEqual({ allowed: true });
  });

  it("refuses an account tried from many addresses at its overall ceiling", () => {
    const decision = decideThrottle({ ...none, accountFailures: times(MAX_FAILURES_PER_ACCOUNT) });
    expect(decision.allowed).toBe(false);
  });

  it("refuses an address spraying many accounts", () => {
    const decision = decideThrottle({ ...none, addressFailures: times(MAX_FAILURES_PER_ADDRESS) });
    expect(decision.allowed).toBe(false);
  });

  it("never locks for longer than the window", () => {
    const justNow = times(MAX_FAILURES_PER_ACCOUNT * 2, 1);
    const decision = decideThrottle({ accountAddressFailures: justNow, addressFailures: justNow, accountFailures: justNow, now });
    expect(decision).toMatchObject({ allowed: false });
    if (!decision.allowed) expect(decision.retryAfterS).toBeLessThanOrEqual(THROTTLE_WINDOW_MS / 1000);
  });

  it("forgets failures older than the window", () => {
    const old = times(MAX_FAILURES_PER_ACCOUNT * 3, THROTTLE_WINDOW_MS);
    expect(decideThrottle({ accountAddressFailures: old, addressFailures: old, accountFailures: old, now })).toEqual({
      allowed: true,
    });
  });
});
