/**
 * Option pricing for the built-in "monte-carlo" profile: the Black–Scholes closed form (the
 * reference a customer can check against), a Monte-Carlo pricer under geometric Brownian motion
 * for European and arithmetic-average Asian options, and the pooling of many instances' estimates
 * into one task price with its confidence interval.
 *
 * Rates and volatilities are annual and continuously compounded; maturities are in years.
 */

export type OptionRight = "call" | "put";
export type OptionStyle = "european" | "asian";

export type OptionParams = {
  spot: number;
  strike: number;
  /** Risk-free rate per year, continuously compounded (0.05 = 5 %); may be negative. */
  rate: number;
  /** Annualised volatility of the underlying (0.2 = 20 %). */
  volatility: number;
  maturityYears: number;
  right: OptionRight;
};

/** Two-sided 95 % quantile of the standard normal. */
export const Z_95 = 1.959963984540054;

function assertOptionParams(p: OptionParams): void {
  const positive = (name: string, v: number) => {
    if (!Number.isFinite(v) || v <= 0) throw new RangeError(`${name} must be a positive number: ${v}`);
  };
  positive("spot", p.spot);
  positive("strike", p.strike);
  positive("maturityYears", p.maturityYears);
  if (!Number.isFinite(p.rate)) throw new RangeError(`rate must be a finite number: ${p.rate}`);
  if (!Number.isFinite(p.volatility) || p.volatility < 0) {
    throw new RangeError(`volatility must be a non-negative number: ${p.volatility}`);
  }
  if (p.right !== "call" && p.right !== "put") throw new RangeError(`right must be "call" or "put": ${String(p.right)}`);
}

// ---------------------------------------------------------------------------------------------
// Closed form

/**
 * Standard normal CDF, Hart's double-precision rational approximation as given by West (2005),
 * "Better approximations to cumulative normal functions": absolute error below 1e-14. It is
 * computed on |x| and reflected, so normCdf(x) + normCdf(-x) = 1 and put–call parity holds to
 * rounding.
 */
export function normCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const a = Math.abs(x);
  let tail: number;
  if (a > 37) {
    tail = 0;
  } else {
    const e = Math.exp((-a * a) / 2);
    if (a < 7.07106781186547) {
      let num = 3.52624965998911e-2 * a + 0.700383064443688;
      num = num * a + 6.37396220353165;
      num = num * a + 33.912866078383;
      num = num * a + 112.079291497871;
      num = num * a + 221.213596169931;
      num = num * a + 220.206867912376;
      let den = 8.83883476483184e-2 * a + 1.75566716318264;
      den = den * a + 16.064177579207;
      den = den * a + 86.7807322029461;
      den = den * a + 296.564248779674;
      den = den * a + 637.333633378831;
      den = den * a + 793.826512519948;
      den = den * a + 440.413735824752;
      tail = (e * num) / den;
    } else {
      let b = a + 0.65;
      b = a + 4 / b;
      b = a + 3 / b;
      b = a + 2 / b;
      b = a + 1 / b;
      tail = e / b / 2.506628274631;
    }
  }
  return x > 0 ? 1 - tail : tail;
}

/** Black–Scholes price of a European call or put on a non-dividend-paying underlying. */
export function blackScholesPrice(p: OptionParams): number {
  assertOptionParams(p);
  const discountedStrike = p.strike * Math.exp(-p.rate * p.maturityYears);
  const sd = p.volatility * Math.sqrt(p.maturityYears);
  if (sd === 0) {
    // No randomness left: the payoff is known, discounted at the risk-free rate.
    return p.right === "call" ? Math.max(p.spot - discountedStrike, 0) : Math.max(discountedStrike - p.spot, 0);
  }
  const d1 = Math.log(p.spot / discountedStrike) / sd + sd / 2;
  const d2 = d1 - sd;
  return p.right === "call"
    ? p.spot * normCdf(d1) - discountedStrike * normCdf(d2)
    : discountedStrike * normCdf(-d2) - p.spot * normCdf(-d1);
}

// ---------------------------------------------------------------------------------------------
// Pseudo-random numbers

// murmur3's 32-bit finaliser: a bijection with full avalanche.
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Standard normal draws from xoshiro128** (period 2^128 − 1) through Box–Muller. The state is
 * built from (seed, stream) by bijections, so distinct pairs never start from the same state:
 * instance k of a task uses stream k and no two instances share their draws.
 */
class NormalSource {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number, stream: number) {
    const lo = stream >>> 0;
    const hi = Math.floor(stream / 2 ** 32) >>> 0;
    this.s0 = fmix32((seed ^ 0x9e3779b9) >>> 0);
    this.s1 = fmix32((lo ^ 0x85ebca6b) >>> 0);
    this.s2 = fmix32((hi ^ 0xc2b2ae35) >>> 0);
    this.s3 = fmix32((this.s0 ^ this.s1 ^ this.s2 ^ 0x27d4eb2f) >>> 0);
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s3 = 1; // the one state xoshiro cannot leave
    // Let nearby seeds drift apart before the first draw.
    for (let i = 0; i < 16; i++) this.nextUint32();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in the open interval (0, 1): never 0, so the logarithm below is finite. */
  private uniform(): number {
    return (this.nextUint32() + 0.5) / 4294967296;
  }

  normal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    const r = Math.sqrt(-2 * Math.log(this.uniform()));
    const theta = 2 * Math.PI * this.uniform();
    this.spare = r * Math.sin(theta);
    this.hasSpare = true;
    return r * Math.cos(theta);
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

// ---------------------------------------------------------------------------------------------
// Monte-Carlo

export type MonteCarloEstimate = {
  /** Discounted mean payoff. */
  estimate: number;
  /** Standard error of `estimate`, from the spread of the antithetic pairs. */
  standardError: number;
  /** Paths simulated: twice the antithetic pairs. */
  paths: number;
};

export type MonteCarloOptions = {
  style: OptionStyle;
  /** Paths wanted; rounded up to an even number (paths come in antithetic pairs). */
  paths: number;
  /** Monitoring dates of an Asian option's average, equally spaced, the last at maturity. Ignored for European. */
  averagingSteps?: number;
  /** 32-bit seed: with `stream`, fixes every draw, so a rerun gives the same estimate. */
  seed: number;
  /** Independent stream under the same seed, e.g. the instance number. Default 0. */
  stream?: number;
  /** Called about every `progressEveryPaths` paths, and once at the end. */
  onProgress?: (progress: MonteCarloEstimate) => void;
  progressEveryPaths?: number;
};

/**
 * Prices by simulation under GBM with antithetic variates: each pair uses a draw and its
 * negative, and the pair's mean payoff is one sample. The samples are independent, so the
 * standard error is their standard deviation over √pairs; the negative correlation inside a pair
 * is what narrows it, and it is counted rather than assumed.
 */
export function priceMonteCarlo(p: OptionParams, o: MonteCarloOptions): MonteCarloEstimate {
  assertOptionParams(p);
  if (o.style !== "european" && o.style !== "asian") throw new RangeError(`style must be "european" or "asian": ${String(o.style)}`);
  if (!Number.isSafeInteger(o.paths) || o.paths < 1) throw new RangeError(`paths must be a positive integer: ${o.paths}`);
  if (!Number.isInteger(o.seed) || o.seed < 0 || o.seed > 0xffffffff) throw new RangeError(`seed must be a 32-bit unsigned integer: ${o.seed}`);
  const stream = o.stream ?? 0;
  if (!Number.isSafeInteger(stream) || stream < 0) throw new RangeError(`stream must be a non-negative integer: ${stream}`);
  const steps = o.style === "asian" ? (o.averagingSteps ?? 1) : 1;
  if (!Number.isSafeInteger(steps) || steps < 1) throw new RangeError(`averagingSteps must be a positive integer: ${steps}`);
  const progressEvery = o.progressEveryPaths ?? Infinity;
  if (!(progressEvery > 0)) throw new RangeError(`progressEveryPaths must be positive: ${progressEvery}`);

  const pairs = Math.ceil(o.paths / 2);
  const dt = p.maturityYears / steps;
  const driftStep = (p.rate - (p.volatility * p.volatility) / 2) * dt;
  const volStep = p.volatility * Math.sqrt(dt);
  const discount = Math.exp(-p.rate * p.maturityYears);
  const logSpot = Math.log(p.spot);
  const strike = p.strike;
  const isCall = p.right === "call";
  const rng = new NormalSource(o.seed, stream);

  // Welford's running mean and sum of squared deviations of the pair samples (undiscounted).
  let mean = 0;
  let m2 = 0;
  const progressEveryPairs = Math.max(1, Math.floor(progressEvery / 2));
  const summary = (n: number): MonteCarloEstimate => ({
    estimate: discount * mean,
    standardError: n > 1 ? discount * Math.sqrt(m2 / (n - 1) / n) : Infinity,
    paths: 2 * n,
  });

  for (let i = 1; i <= pairs; i++) {
    let up = logSpot;
    let down = logSpot;
    let sumUp = 0;
    let sumDown = 0;
    for (let j = 0; j < steps; j++) {
      const z = rng.normal();
      up += driftStep + volStep * z;
      down += driftStep - volStep * z;
      sumUp += Math.exp(up);
      sumDown += Math.exp(down);
    }
    // With one step the "average" is the price at maturity: a European option.
    const a = sumUp / steps;
    const b = sumDown / steps;
    const sample = isCall
      ? (Math.max(a - strike, 0) + Math.max(b - strike, 0)) / 2
      : (Math.max(strike - a, 0) + Math.max(strike - b, 0)) / 2;
    const delta = sample - mean;
    mean += delta / i;
    m2 += delta * (sample - mean);
    if (o.onProgress && i % progressEveryPairs === 0 && i < pairs) o.onProgress(summary(i));
  }

  const result = summary(pairs);
  o.onProgress?.(result);
  return result;
}

// ---------------------------------------------------------------------------------------------
// Pooling instances

export type PooledEstimate = MonteCarloEstimate & {
  instances: number;
  ci95Low: number;
  ci95High: number;
};

/**
 * One estimate from many independent instances (different streams): the mean weighted by paths,
 * which is the mean of all paths together, and its standard error Σ (nᵢ/N)² seᵢ² under the root.
 * With k equal instances that is se/√k. Instances that drew the same stream are not independent:
 * pass each stream once.
 */
export function poolEstimates(parts: ReadonlyArray<MonteCarloEstimate>): PooledEstimate {
  if (parts.length === 0) throw new RangeError("No instance estimates to pool");
  let totalPaths = 0;
  parts.forEach((part, i) => {
    if (!Number.isSafeInteger(part.paths) || part.paths < 1) throw new RangeError(`paths of estimate ${i} must be a positive integer: ${part.paths}`);
    if (!Number.isFinite(part.estimate)) throw new RangeError(`estimate ${i} must be a finite number: ${part.estimate}`);
    if (!(part.standardError >= 0)) throw new RangeError(`standardError of estimate ${i} must be a non-negative number: ${part.standardError}`);
    totalPaths += part.paths;
  });
  let estimate = 0;
  let variance = 0;
  for (const part of parts) {
    const weight = part.paths / totalPaths;
    estimate += weight * part.estimate;
    variance += weight * weight * part.standardError * part.standardError;
  }
  const standardError = Math.sqrt(variance);
  return {
    estimate,
    standardError,
    paths: totalPaths,
    instances: parts.length,
    ci95Low: estimate - Z_95 * standardError,
    ci95High: estimate + Z_95 * standardError,
  };
}
