import { z } from "zod";

/**
 * Task constants arrive as a string → string map (as in Qarnot's API). Each built-in profile
 * describes its constants once, as a table; the zod schema that parses them (for the radiator
 * program, the customer form and the API alike) and the defaults are derived from it, so the
 * three cannot disagree.
 */

export type NumberConstantSpec = {
  kind: "number";
  description: string;
  default: string;
  min: number;
  max: number;
  /** When true, `min` itself is refused (a price or a maturity of 0). */
  exclusiveMin?: boolean;
  integer?: boolean;
};

export type EnumConstantSpec<V extends string = string> = {
  kind: "enum";
  description: string;
  default: V;
  values: readonly [V, ...V[]];
};

export type ConstantSpec = NumberConstantSpec | EnumConstantSpec;

export type ConstantsOf<S extends Record<string, ConstantSpec>> = {
  [K in keyof S]: S[K] extends EnumConstantSpec<infer V> ? V : number;
};

export type ConstantsInput<S extends Record<string, ConstantSpec>> = { [K in keyof S]?: string };

// Decimal notation with an optional exponent: "100", "0.05", ".5", "2e6". No hex, no "Infinity".
const DECIMAL = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

const show = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 10 });

function numberSchema(spec: NumberConstantSpec) {
  let n = z.number();
  n = spec.exclusiveMin ? n.gt(spec.min, { error: `must be greater than ${show(spec.min)}` }) : n.min(spec.min, { error: `must be at least ${show(spec.min)}` });
  n = n.max(spec.max, { error: `must be at most ${show(spec.max)}` });
  const checked = spec.integer ? z.int({ error: "must be a whole number" }).pipe(n) : n;
  return z
    .string({ error: "must be a string" })
    .trim()
    .regex(DECIMAL, { error: spec.integer ? "must be a whole number, e.g. 1000" : "must be a number, e.g. 0.25" })
    .transform(Number)
    .pipe(checked)
    .prefault(spec.default);
}

function enumSchema(spec: EnumConstantSpec) {
  const list = spec.values.map((v) => `"${v}"`).join(" or ");
  return z
    .string({ error: "must be a string" })
    .trim()
    .toLowerCase()
    .pipe(z.enum(spec.values, { error: `must be ${list}` }))
    .prefault(spec.default);
}

/**
 * The zod schema of a profile's constants: strings in, typed values out, missing constants take
 * their defaults, constants the profile does not know are dropped (tasks may carry others).
 */
export function constantsSchema<S extends Record<string, ConstantSpec>>(specs: S): z.ZodType<ConstantsOf<S>, ConstantsInput<S>> {
  const shape: Record<string, z.ZodType> = {};
  for (const [name, spec] of Object.entries(specs)) {
    shape[name] = (spec.kind === "number" ? numberSchema(spec) : enumSchema(spec)).describe(spec.description);
  }
  return z.object(shape) as unknown as z.ZodType<ConstantsOf<S>, ConstantsInput<S>>;
}

export function defaultsOf<S extends Record<string, ConstantSpec>>(specs: S): { [K in keyof S]: string } {
  return Object.fromEntries(Object.entries(specs).map(([name, spec]) => [name, spec.default])) as { [K in keyof S]: string };
}

export type ParsedConstants<T> = { ok: true; value: T; unknown: string[] } | { ok: false; errors: string[] };

/**
 * Parses constants and words each problem as a person reads it, naming the constant and what it
 * was given: `Constant "spot" must be greater than 0 (got "-5").` Unknown names come back apart,
 * so a program can warn about a likely typo without failing.
 */
export function parseConstants<T>(
  schema: z.ZodType<T, unknown>,
  specs: Record<string, ConstantSpec>,
  constants: Record<string, string>,
): ParsedConstants<T> {
  const unknown = Object.keys(constants).filter((name) => !Object.hasOwn(specs, name));
  const parsed = schema.safeParse(constants);
  if (parsed.success) return { ok: true, value: parsed.data, unknown };
  const errors = parsed.error.issues.map((issue) => {
    const name = issue.path[0];
    if (typeof name !== "string") return `Constants ${issue.message}.`;
    const given = constants[name];
    return `Constant "${name}" ${issue.message}${given === undefined ? "" : ` (got ${JSON.stringify(given)})`}.`;
  });
  return { ok: false, errors };
}

/** Thrown by a profile program given constants it cannot run with; `errors` has one line per problem. */
export class ConstantsError extends Error {
  constructor(readonly errors: string[]) {
    super(errors.join(" "));
    this.name = "ConstantsError";
  }
}
