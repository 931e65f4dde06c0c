/**
 * A token bucket per API key, in this process's memory: each key may send `burst` requests at
 * once and `ratePerS` per second on average. With several web processes each keeps its own
 * buckets, so the effective limit is per process (docs/rest-api.md says so).
 */

/** Requests per second and burst per API key, per process. */
export const RATE_LIMIT = { ratePerS: 50, burst: 100 } as const;

export type RateDecision = { ok: true } | { ok: false; retryAfterS: number };

type Bucket = { tokens: number; updatedMs: number };

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    readonly ratePerS = 50,
    readonly burst = 100,
    /** Buckets kept at most; full (idle) buckets are forgotten first. */
    private readonly maxKeys = 100_000,
  ) {
    if (!(ratePerS > 0) || !(burst >= 1)) throw new RangeError("rate and burst must be positive");
  }

  take(key: string, nowMs: number): RateDecision {
    const bucket = this.buckets.get(key) ?? { tokens: this.burst, updatedMs: nowMs };
    const elapsedS = Math.max(0, nowMs - bucket.updatedMs) / 1000;
    bucket.tokens = Math.min(this.burst, bucket.tokens + elapsedS * this.ratePerS);
    bucket.updatedMs = Math.max(bucket.updatedMs, nowMs);
    if (!this.buckets.has(key)) {
      if (this.buckets.size >= this.maxKeys) this.evict(nowMs);
      this.buckets.set(key, bucket);
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { ok: true };
    }
    return { ok: false, retryAfterS: Math.max(1, Math.ceil((1 - bucket.tokens) / this.ratePerS)) };
  }

  /** Drops the buckets that have refilled (they behave exactly like a new one), else the oldest half. */
  private evict(nowMs: number) {
    for (const [key, b] of this.buckets) {
      if (b.tokens + ((nowMs - b.updatedMs) / 1000) * this.ratePerS >= this.burst) this.buckets.delete(key);
    }
    if (this.buckets.size < this.maxKeys) return;
    let n = Math.ceil(this.buckets.size / 2);
    for (const key of this.buckets.keys()) {
      if (n-- <= 0) break;
      this.buckets.delete(key);
    }
  }
}
