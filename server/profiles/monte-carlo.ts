import {
  blackScholesPrice,
  priceMonteCarlo,
  type OptionParams,
  type OptionRight,
  type OptionStyle,
} from "../domain/option-pricing";
import {
  constantsSchema,
  ConstantsError,
  defaultsOf,
  parseConstants,
  type ConstantsOf,
  type ConstantSpec,
  type ParsedConstants,
} from "./constants";

/**
 * The "monte-carlo" profile's program: one instance prices the task's option on its own stream
 * of random numbers (the instance number) and writes `result.json`; the customer's consolidated
 * price pools the instances (server/domain/task-results.ts).
 */

/** One instance's work is bounded: more precision comes from more instances, which run in parallel. */
export const MONTE_CARLO_LIMITS = {
  maxPathsPerInstance: 2_000_000,
  maxAveragingSteps: 1_000,
  /** paths × averagingSteps: about 2.5 s of one core. */
  maxPathStepsPerInstance: 50_000_000,
} as const;

export const MONTE_CARLO_CONSTANTS = {
  optionType: { kind: "enum", values: ["european", "asian"], default: "european", description: "European (pays on the price at maturity) or Asian (on the arithmetic average of the prices at the averaging dates)" },
  right: { kind: "enum", values: ["call", "put"], default: "call", description: "Call (right to buy) or put (right to sell)" },
  spot: { kind: "number", min: 0, exclusiveMin: true, max: 1e9, default: "100", description: "Price of the underlying today" },
  strike: { kind: "number", min: 0, exclusiveMin: true, max: 1e9, default: "100", description: "Strike price" },
  rate: { kind: "number", min: -0.2, max: 1, default: "0.05", description: "Risk-free rate per year, continuously compounded (0.05 = 5 %)" },
  volatility: { kind: "number", min: 0, exclusiveMin: true, max: 5, default: "0.2", description: "Annualised volatility of the underlying (0.2 = 20 %)" },
  maturity: { kind: "number", min: 0, exclusiveMin: true, max: 50, default: "1", description: "Time to maturity in years" },
  paths: { kind: "number", integer: true, min: 100, max: MONTE_CARLO_LIMITS.maxPathsPerInstance, default: "100000", description: "Simulated paths per instance (rounded up to an even number: antithetic pairs)" },
  averagingSteps: { kind: "number", integer: true, min: 1, max: MONTE_CARLO_LIMITS.maxAveragingSteps, default: "12", description: "Asian only: equally spaced averaging dates, the last at maturity (12 = monthly over a year)" },
  seed: { kind: "number", integer: true, min: 0, max: 0xffffffff, default: "0", description: "Random seed; with the instance number it fixes every draw, so a rerun gives the same result. Change it for an independent task" },
} as const satisfies Record<string, ConstantSpec>;

export const MONTE_CARLO_DEFAULTS = defaultsOf(MONTE_CARLO_CONSTANTS);

export type MonteCarloConstants = ConstantsOf<typeof MONTE_CARLO_CONSTANTS>;

export const monteCarloConstantsSchema = constantsSchema(MONTE_CARLO_CONSTANTS).superRefine((c, ctx) => {
  if (c.optionType === "asian" && c.paths * c.averagingSteps > MONTE_CARLO_LIMITS.maxPathStepsPerInstance) {
    ctx.addIssue({
      code: "custom",
      path: ["paths"],
      message: `times averagingSteps (${c.averagingSteps}) must be at most ${MONTE_CARLO_LIMITS.maxPathStepsPerInstance.toLocaleString("en-US")} per instance; use fewer paths and more instances`,
    });
  }
});

export function parseMonteCarloConstants(constants: Record<string, string>): ParsedConstants<MonteCarloConstants> {
  return parseConstants(monteCarloConstantsSchema, MONTE_CARLO_CONSTANTS, constants);
}

/** What one instance writes to result.json. `version` changes if the shape does. */
export type MonteCarloResult = {
  profile: "monte-carlo";
  version: 1;
  instanceNumber: number;
  seed: number;
  estimate: number;
  standardError: number;
  paths: number;
  parameters: {
    optionType: OptionStyle;
    right: OptionRight;
    spot: number;
    strike: number;
    rate: number;
    volatility: number;
    maturityYears: number;
    /** Null for a European option. */
    averagingSteps: number | null;
  };
  /** Black–Scholes for a European option, a check on the estimate; null for an Asian one. */
  closedFormPrice: number | null;
};

const fmt = (n: number, digits = 4) => n.toFixed(digits);

/**
 * Runs one instance. Throws ConstantsError on constants it cannot run with (run.ts turns that
 * into stderr and exit code 1, as a real program would).
 */
export function runMonteCarlo(constants: Record<string, string>, instanceNumber: number): { result: MonteCarloResult; stdout: string[] } {
  if (!Number.isSafeInteger(instanceNumber) || instanceNumber < 0) throw new RangeError(`Instance number must be a non-negative integer: ${instanceNumber}`);
  const parsed = parseMonteCarloConstants(constants);
  if (!parsed.ok) throw new ConstantsError(parsed.errors);
  const c = parsed.value;
  const stdout: string[] = [];
  const say = (line: string) => stdout.push(`monte-carlo: ${line}`);
  for (const name of parsed.unknown) say(`note: ignoring unknown constant "${name}"`);

  const option: OptionParams = { spot: c.spot, strike: c.strike, rate: c.rate, volatility: c.volatility, maturityYears: c.maturity, right: c.right };
  const asian = c.optionType === "asian";
  say(
    `${c.optionType} ${c.right}: spot ${c.spot}, strike ${c.strike}, rate ${c.rate}, volatility ${c.volatility}, maturity ${c.maturity} y` +
      (asian ? `, ${c.averagingSteps} averaging dates` : ""),
  );
  const pairs = Math.ceil(c.paths / 2);
  say(`instance ${instanceNumber}, seed ${c.seed}: ${(2 * pairs).toLocaleString("en-US")} paths in ${pairs.toLocaleString("en-US")} antithetic pairs`);

  const estimate = priceMonteCarlo(option, {
    style: c.optionType,
    paths: c.paths,
    averagingSteps: c.averagingSteps,
    seed: c.seed,
    stream: instanceNumber,
    progressEveryPaths: Math.max(2, Math.ceil(c.paths / 10)),
    onProgress: (p) => {
      const pct = Math.min(100, Math.round((100 * p.paths) / (2 * pairs)));
      say(`${String(pct).padStart(3)}% ${p.paths.toLocaleString("en-US")} paths, running estimate ${fmt(p.estimate)} ± ${fmt(p.standardError)}`);
    },
  });
  const closedFormPrice = asian ? null : blackScholesPrice(option);
  // No elapsed time: this process's clock is not the radiator's, whose run the platform times.
  say(`done: ${(2 * pairs).toLocaleString("en-US")} paths, price ${fmt(estimate.estimate, 6)}, standard error ${fmt(estimate.standardError, 6)}`);
  if (closedFormPrice !== null) say(`Black–Scholes closed form: ${fmt(closedFormPrice, 6)}`);

  return {
    result: {
      profile: "monte-carlo",
      version: 1,
      instanceNumber,
      seed: c.seed,
      estimate: estimate.estimate,
      standardError: estimate.standardError,
      paths: estimate.paths,
      parameters: {
        optionType: c.optionType,
        right: c.right,
        spot: c.spot,
        strike: c.strike,
        rate: c.rate,
        volatility: c.volatility,
        maturityYears: c.maturity,
        averagingSteps: asian ? c.averagingSteps : null,
      },
      closedFormPrice,
    },
    stdout,
  };
}
