import { z } from "zod";
import { poolEstimates } from "./option-pricing";

/**
 * A task's consolidated result, from its instances' outputs (C7). For "monte-carlo" that is the
 * price pooled over every finished instance's result.json, with its 95 % confidence interval; for
 * "render" it is the contact sheet, built from the frames elsewhere, so there is nothing numeric
 * here; other profiles have no consolidated result.
 */

export type ConsolidatedPrice = {
  price: number;
  standardError: number;
  ci95Low: number;
  ci95High: number;
  paths: number;
  instances: number;
  /** The option the instances priced, as they reported it. */
  parameters: MonteCarloParameters;
};

export type TaskResultConsolidation = { ok: true; result: ConsolidatedPrice | null } | { ok: false; error: string };

// What server/profiles/monte-carlo.ts writes (version 1); only what pooling needs is checked strictly.
const parametersSchema = z.object({
  optionType: z.enum(["european", "asian"]),
  right: z.enum(["call", "put"]),
  spot: z.number(),
  strike: z.number(),
  rate: z.number(),
  volatility: z.number(),
  maturityYears: z.number(),
  averagingSteps: z.int().nullable(),
});

const resultSchema = z.object({
  profile: z.literal("monte-carlo"),
  version: z.literal(1),
  instanceNumber: z.int().min(0),
  seed: z.int().min(0),
  estimate: z.number().refine(Number.isFinite, { error: "must be finite" }),
  standardError: z.number().min(0).refine(Number.isFinite, { error: "must be finite" }),
  paths: z.int().min(1),
  parameters: parametersSchema,
});

export type MonteCarloParameters = z.infer<typeof parametersSchema>;

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** Pools monte-carlo instances' result.json contents (as text or bytes, in any order). */
export function consolidateMonteCarloResults(resultJsons: ReadonlyArray<string | Uint8Array>): TaskResultConsolidation {
  if (resultJsons.length === 0) return { ok: false, error: "No finished instance yet: nothing to consolidate." };

  const results: Array<z.infer<typeof resultSchema>> = [];
  const seen = new Set<string>();
  for (let i = 0; i < resultJsons.length; i++) {
    const raw = resultJsons[i]!;
    let data: unknown;
    try {
      data = JSON.parse(typeof raw === "string" ? raw : utf8.decode(raw));
    } catch {
      return { ok: false, error: `Result ${i + 1} of ${resultJsons.length} is not valid JSON.` };
    }
    const parsed = resultSchema.safeParse(data);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, error: `Result ${i + 1} of ${resultJsons.length} is not a monte-carlo result.json: ${issue.path.join(".") || "value"} ${issue.message}.` };
    }
    // A rerun of an instance draws the same numbers: counting it twice would overstate precision.
    const key = `${parsed.data.seed}/${parsed.data.instanceNumber}`;
    if (seen.has(key)) continue;
    seen.add(key);
    results.push(parsed.data);
  }

  const first = results[0]!;
  const reference = JSON.stringify(first.parameters);
  const stranger = results.find((r) => JSON.stringify(r.parameters) !== reference);
  if (stranger) {
    return {
      ok: false,
      error: `Instances ${first.instanceNumber} and ${stranger.instanceNumber} priced different options; only one task's results can be pooled.`,
    };
  }

  const pooled = poolEstimates(results);
  return {
    ok: true,
    result: {
      price: pooled.estimate,
      standardError: pooled.standardError,
      ci95Low: pooled.ci95Low,
      ci95High: pooled.ci95High,
      paths: pooled.paths,
      instances: pooled.instances,
      parameters: first.parameters,
    },
  };
}

/** The numeric consolidated result of a task of `profileName`; `result: null` when the profile has none. */
export function consolidateTaskResult(profileName: string, resultJsons: ReadonlyArray<string | Uint8Array>): TaskResultConsolidation {
  return profileName === "monte-carlo" ? consolidateMonteCarloResults(resultJsons) : { ok: true, result: null };
}
