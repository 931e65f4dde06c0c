import { describe, expect, it } from "vitest";
import {
  decideThrottle,
  MAX_FAILURES_PER_ACCOUNT,
  MAX_FAILURES_PER_ADDRESS,
  THROTTLE_WINDOW_MS,
} from "./sign-in-throttle";

const now = new Date("2026-01-15T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);
const times = (n: number, spacingMs = 1000) => Array.from({ length: n }, (_, i) => ago((i + 1) * spacingMs));

describe("decideThrottle", () => {
  it("allows a first try and tries below the limits", () => {
    expect(decideThrottle({ accountFailures: [], addressFailures: [], now })).toEqual({ allowed: true });
    expect(
      decideThrottle({
        accountFailures: times(MAX_FAILURES_PER_ACCOUNT - 1),
        addressFailures: times(MAX_FAILURES_PER_ADDRESS - 1),
        now,
      }),
    ).toEqual({ allowed: true });
  });

  it("refuses an account at its limit until the blocking failure leaves the window", () => {
    const failures = times(MAX_FAILURES_PER_ACCOUNT, 60_000); // 1..5 minutes ago
    const decision = decideThrottle({ accountFailures: failures, addressFailures: [], now });
    expect(decision).toEqual({ allowed: false, retryAfterS: (THROTTLE_WINDOW_MS - 5 * 60_000) / 1000 });
  });

  it("refuses an address spraying many accounts", () => {
    const decision = decideThrottle({ accountFailures: [], addressFailures: times(MAX_FAILURES_PER_ADDRESS), now });
    expect(decision.allowed).toBe(false);
  });

  it("forgets failures older than the window", () => {
    const old = times(MAX_FAILURES_PER_ACCOUNT * 3, THROTTLE_WINDOW_MS);
    expect(decideThrottle({ accountFailures: old, addressFailures: old, now })).toEqual({ allowed: true });
  });
});
