import { z } from "zod";
import { SCHEDULING_TYPES } from "@/server/domain/task-state";
import { constantsChars, TASK_LIMITS } from "@/server/domain/task-limits";
import { hasControlCharacters, noControlCharacters, noNul } from "@/server/domain/text";
import { isUuid } from "@/server/domain/text";
import { RestError } from "./errors";

/**
 * What clients send, parsed at the edge: Qarnot's task and job JSON as its SDK writes it.
 *
 * Rule for Qarnot fields Hearth does not implement (buckets, pools, secrets, snapshots, labels,
 * forced constants…): the value the SDK sends by default is accepted and ignored; any other value
 * is refused with a 400 naming the field, so nothing a client asked for is silently dropped.
 * Fields unknown to Qarnot's API are ignored, as Qarnot does.
 */

/** The task limits every edge shares, and the REST API's own: its body size and bulk submissions. */
export const INPUT_LIMITS = {
  ...TASK_LIMITS,
  maxBodyBytes: 1024 * 1024,
  maxBulkTasks: 100,
  /** A paginate filter's nesting ({"operator": "And", "filters": [...]}): deeper is refused before it is walked. */
  maxFilterDepth: 8,
} as const;

/**
 * The request bodies, by the name the OpenAPI description gives them: GET /openapi.json is
 * generated from these very schemas (input side), so the document cannot drift from what is parsed.
 */
export const requestBodies = z.registry<{ id: string; description?: string }>();

/** "constants.2.key" → "constants[2].key", as a person reading the JSON would write it. */
export function fieldPath(path: ReadonlyArray<PropertyKey>, prefix = ""): string {
  let out = prefix;
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out || "body";
}

/** Parses `value` or throws a 400 naming the first field at fault. */
export function parseInput<S extends z.ZodType>(schema: S, value: unknown, prefix = ""): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = fieldPath(issue.path, prefix);
    throw new RestError(400, `${field}: ${issue.message}`, field);
  }
  return parsed.data;
}

// ---------------------------------------------------------------------------------------------
// Shared pieces

/** Names, tags, path segments, query parameters and filter values hold no control characters (NUL included). */
export const NO_CONTROL_CHARACTERS = "must not hold control characters (such as NUL, tab or line breaks)";
const plain = <S extends z.ZodType<string>>(schema: S) => noControlCharacters(schema, NO_CONTROL_CHARACTERS);

const name = plain(
  z
    .string({ error: "must be a string" })
    .trim()
    .min(1, { error: "must not be empty" })
    .max(INPUT_LIMITS.maxNameChars, { error: `must be at most ${INPUT_LIMITS.maxNameChars} characters` }),
);

/** Letters, digits, "-", "_" and "."; not shaped like a uuid, so a path segment means one thing. */
const shortname = z
  .string({ error: "must be a string" })
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, { error: "must start with a letter or digit and hold only letters, digits, '.', '_' and '-'" })
  .max(INPUT_LIMITS.maxShortnameChars, { error: `must be at most ${INPUT_LIMITS.maxShortnameChars} characters` })
  .refine((s) => !isUuid(s), { error: "must not look like a uuid" });

const uuid = z.string({ error: "must be a string" }).refine(isUuid, { error: "must be a uuid" });

/** Qarnot's time spans: "hh:mm:ss" or "d.hh:mm:ss", with optional fractions of a second; or seconds. */
const TIMESPAN = /^(?:(\d{1,5})\.)?(\d{1,2}):([0-5]\d):([0-5]\d)(?:\.\d{1,7})?$/;
export function parseTimespanS(value: string): number | null {
  const m = TIMESPAN.exec(value.trim());
  if (!m) return null;
  const [, d, h, min, s] = m;
  if (Number(h) > 23 && d !== undefined) return null;
  return Number(d ?? 0) * 86_400 + Number(h) * 3600 + Number(min) * 60 + Number(s);
}

const wallTime = z
  .union([z.string(), z.number()], { error: 'must be a time span like "01:30:00" or "2.00:00:00", or seconds' })
  .nullish()
  .meta({ description: 'The longest an instance may run: "hh:mm:ss", "d.hh:mm:ss" or seconds; "00:00:00" for no limit.' })
  .transform((v, ctx) => {
    if (v === null || v === undefined) return null;
    const s = typeof v === "number" ? v : parseTimespanS(v);
    if (s === null || !Number.isFinite(s)) {
      ctx.addIssue({ code: "custom", message: 'must be a time span like "01:30:00" or "2.00:00:00"' });
      return z.NEVER;
    }
    if (s === 0) return null; // Qarnot's "00:00:00": no limit
    if (s < 1 || s > INPUT_LIMITS.maxWallTimeS || !Number.isInteger(s)) {
      ctx.addIssue({ code: "custom", message: `must be whole seconds between 1 s and ${INPUT_LIMITS.maxWallTimeS / 86_400} days` });
      return z.NEVER;
    }
    return s;
  });

/** A field Hearth does not implement: only its "nothing" values are accepted. */
function unsupported(what: string, isDefault: (v: unknown) => boolean) {
  return z
    .unknown()
    .refine((v) => v === undefined || v === null || isDefault(v), { error: `${what}: not supported by Hearth; leave it unset` })
    .optional()
    .meta({ description: `${what}: not supported by Hearth; accepted only unset, empty or at the SDK's default.` });
}
const emptyList = (v: unknown) => Array.isArray(v) && v.length === 0;
const emptyObject = (v: unknown) =>
  typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every((x) => x === null || emptyList(x));
const isFalse = (v: unknown) => v === false;

const tags = z
  .array(
    plain(
      z
        .string({ error: "must be a string" })
        .trim()
        .min(1, { error: "must not be empty" })
        .max(INPUT_LIMITS.maxTagChars, { error: `must be at most ${INPUT_LIMITS.maxTagChars} characters` }),
    ),
    { error: "must be a list of strings" },
  )
  .max(INPUT_LIMITS.maxTags, { error: `at most ${INPUT_LIMITS.maxTags} tags` })
  .nullish()
  .transform((t) => [...new Set(t ?? [])]);

/** Qarnot's constants: a list of {key, value}; numbers and booleans are taken as their text. */
const constants = z
  .array(
    z.object(
      {
        key: plain(
          z
            .string({ error: "must be a string" })
            .trim()
            .min(1, { error: "must not be empty" })
            .max(INPUT_LIMITS.maxConstantKeyChars, { error: `must be at most ${INPUT_LIMITS.maxConstantKeyChars} characters` }),
        ),
        value: z
          .union([z.string(), z.number(), z.boolean()], { error: "must be a string" })
          .nullish()
          .transform((v) => (v === null || v === undefined ? "" : String(v)))
          // A value may hold tabs and line breaks (a script, a list); PostgreSQL cannot store NUL.
          .pipe(
            noNul(
              z.string().max(INPUT_LIMITS.maxConstantValueChars, { error: `must be at most ${INPUT_LIMITS.maxConstantValueChars} characters` }),
              "must not hold NUL characters",
            ),
          ),
      },
      { error: 'must be an object {"key": …, "value": …}' },
    ).register(requestBodies, { id: "ConstantInput", description: "A constant; numbers and booleans are taken as their text." }),
    { error: 'must be a list of {"key": …, "value": …}' },
  )
  .max(INPUT_LIMITS.maxConstants, { error: `at most ${INPUT_LIMITS.maxConstants} constants` })
  .nullish()
  .superRefine((list, ctx) => {
    const seen = new Set<string>();
    for (const [i, c] of (list ?? []).entries()) {
      if (seen.has(c.key)) ctx.addIssue({ code: "custom", path: [i, "key"], message: `"${c.key}" is given twice` });
      seen.add(c.key);
    }
    if (constantsChars((list ?? []).map((c) => [c.key, c.value] as const)) > INPUT_LIMITS.maxConstantsTotalChars) {
      ctx.addIssue({ code: "custom", message: `hold at most ${INPUT_LIMITS.maxConstantsTotalChars} characters in all` });
    }
  })
  .transform((list) => Object.fromEntries((list ?? []).map((c) => [c.key, c.value])) as Record<string, string>);

const schedulingType = z
  .string({ error: 'must be "Flex", "OnDemand" or "Reserved"' })
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined) return "Flex" as const;
    const found = SCHEDULING_TYPES.find((t) => t.toLowerCase() === v.toLowerCase());
    if (!found) {
      ctx.addIssue({ code: "custom", message: 'must be "Flex", "OnDemand" or "Reserved"' });
      return z.NEVER;
    }
    return found;
  });

/** Hardware constraints Hearth can honour: a minimum of cores and of memory on the node. */
const hardwareConstraint = z
  .looseObject({
    discriminator: z.string({ error: "must be a string" }),
  })
  .register(requestBodies, {
    id: "HardwareConstraintInput",
    description:
      `MinimumCoreHardwareConstraint with coreCount (1–${INPUT_LIMITS.maxCores}), MinimumRamHardwareConstraint with ` +
      `minimumMemoryMB (0–${INPUT_LIMITS.maxRamGb * 1024}), or NoGpuHardwareConstraint (always met).`,
  })
  .transform((c, ctx) => {
    const num = (key: string) => {
      const v = c[key];
      return typeof v === "number" && Number.isFinite(v) && v >= 0 ? v : null;
    };
    switch (c.discriminator) {
      case "MinimumCoreHardwareConstraint": {
        const n = num("coreCount");
        if (n === null || !Number.isInteger(n) || n < 1 || n > INPUT_LIMITS.maxCores) {
          ctx.addIssue({ code: "custom", path: ["coreCount"], message: `must be a whole number of cores between 1 and ${INPUT_LIMITS.maxCores}` });
          return z.NEVER;
        }
        return { minCores: n };
      }
      case "MinimumRamHardwareConstraint": {
        const mb = num("minimumMemoryMB");
        if (mb === null || mb > INPUT_LIMITS.maxRamGb * 1024) {
          ctx.addIssue({ code: "custom", path: ["minimumMemoryMB"], message: `must be a number of MB between 0 and ${INPUT_LIMITS.maxRamGb * 1024}` });
          return z.NEVER;
        }
        return { minRamGb: Math.max(1, Math.ceil(mb / 1024)) };
      }
      case "NoGpuHardwareConstraint":
        return {}; // Hearth's nodes have no GPU: always met
      default:
        ctx.addIssue({
          code: "custom",
          path: ["discriminator"],
          message: `${JSON.stringify(c.discriminator)} is not supported; Hearth honours MinimumCoreHardwareConstraint, MinimumRamHardwareConstraint and NoGpuHardwareConstraint`,
        });
        return z.NEVER;
    }
  });

// ---------------------------------------------------------------------------------------------
// Tasks

export const taskCreateSchema = z
  .looseObject(
    {
      name,
      shortname: shortname.nullish().meta({ description: "Unique in the account; letters, digits, '.', '_', '-'; not shaped like a uuid." }),
      profile: plain(
        z
          .string({ error: "must be a profile name (see GET /profiles)" })
          .min(1, { error: "must be a profile name (see GET /profiles)" })
          .max(INPUT_LIMITS.maxProfileNameChars),
      )
        .nullish()
        .meta({ description: "Required: a profile name (see GET /profiles)." }),
      poolUuid: unsupported("Pools", () => false),
      jobUuid: uuid.nullish().meta({ description: "The job to add the task to." }),
      instanceCount: z
        .number({ error: "must be a whole number" })
        .int({ error: "must be a whole number" })
        .min(0, { error: "must be at least 1" })
        .max(INPUT_LIMITS.maxInstancesPerTask, { error: `must be at most ${INPUT_LIMITS.maxInstancesPerTask}` })
        .nullish()
        .meta({ description: "Instances 0..n-1 (at least 1); or give advancedRanges." }),
      advancedRanges: plain(
        z
          .string({ error: 'must be a string like "1-100,200"' })
          .max(INPUT_LIMITS.maxRangeSpecChars, { error: `must be at most ${INPUT_LIMITS.maxRangeSpecChars} characters` }),
      )
        .nullish()
        .meta({ description: 'Instance numbers, e.g. "1-250,300"; or give instanceCount.' }),
      constants,
      tags,
      schedulingType: schedulingType.meta({ description: '"Flex" (the default), "OnDemand" or "Reserved", in any case.' }),
      hardwareConstraints: z
        .array(hardwareConstraint, { error: "must be a list" })
        .max(20, { error: "at most 20 constraints" })
        .nullish()
        .transform((list) => Object.assign({}, ...(list ?? [])) as { minCores?: number; minRamGb?: number }),
      retrySettings: z
        .object(
          {
            maxTotalRetries: unsupported("maxTotalRetries", () => false),
            maxPerInstanceRetries: z
              .number({ error: "must be a whole number" })
              .int({ error: "must be a whole number" })
              .min(0, { error: "must be at least 0" })
              .max(INPUT_LIMITS.maxRetriesPerInstance, { error: `must be at most ${INPUT_LIMITS.maxRetriesPerInstance}` })
              .nullish(),
          },
          { error: "must be an object" },
        )
        .nullish(),
      dependencies: z
        .object(
          {
            dependsOn: z
              .array(uuid, { error: "must be a list of task uuids" })
              .max(INPUT_LIMITS.maxDependencies)
              .nullish()
              .meta({ description: "Tasks of the same job (created with useDependencies) that must succeed first." }),
            advancedDependsOn: unsupported("advancedDependsOn (dependencies with final-state conditions)", emptyList),
          },
          { error: "must be an object" },
        )
        .nullish(),
      /** Hearth's addition: the longest an instance may run (Qarnot puts it on the job only). */
      maxWallTime: wallTime,
      // Qarnot fields Hearth does not implement: the SDK's defaults pass.
      constraints: unsupported("constraints", emptyList),
      forcedConstants: unsupported("forcedConstants", emptyList),
      forcedNetworkRules: unsupported("forcedNetworkRules", emptyList),
      labels: unsupported("labels (use tags)", emptyObject),
      resourceBuckets: unsupported("Buckets", emptyList),
      advancedResourceBuckets: unsupported("Buckets", emptyList),
      resultBucket: unsupported("Buckets (outputs are kept by Hearth: GET /tasks/{uuid}/outputs)", () => false),
      snapshotWhitelist: unsupported("Snapshots", () => false),
      snapshotBlacklist: unsupported("Snapshots", () => false),
      resultsWhitelist: unsupported("resultsWhitelist", () => false),
      resultsBlacklist: unsupported("resultsBlacklist", () => false),
      autoDeleteOnCompletion: unsupported("autoDeleteOnCompletion", isFalse),
      privileges: unsupported("Exporting credentials to the task", (v) => typeof v === "object" && v !== null && !Object.values(v).some(Boolean)),
      secretsAccessRights: unsupported("Secrets", emptyObject),
      targetedReservedMachineKey: unsupported("Reserved machines", () => false),
      targetedReservationName: unsupported("Reservations", () => false),
      projectUuid: unsupported("Projects", () => false),
      maxTimeQueueSeconds: unsupported("maxTimeQueueSeconds", () => false),
      uploadResultsOnCancellation: unsupported("uploadResultsOnCancellation", isFalse),
    },
    { error: "must be a task object" },
  )
  .register(requestBodies, { id: "TaskCreate", description: "Give instanceCount (instances 0..n-1) or advancedRanges (e.g. \"1-250,300\"), not both." })
  .superRefine((t, ctx) => {
    if (!t.profile) ctx.addIssue({ code: "custom", path: ["profile"], message: "is required: a profile name (see GET /profiles)" });
    const hasCount = t.instanceCount !== null && t.instanceCount !== undefined;
    const hasRanges = t.advancedRanges !== null && t.advancedRanges !== undefined;
    if (hasCount && hasRanges) ctx.addIssue({ code: "custom", path: ["advancedRanges"], message: "give either instanceCount or advancedRanges, not both" });
    if (hasCount && t.instanceCount === 0) ctx.addIssue({ code: "custom", path: ["instanceCount"], message: "must be at least 1" });
    if (!hasCount && !hasRanges) ctx.addIssue({ code: "custom", path: ["instanceCount"], message: "is required (or advancedRanges)" });
  });

export type TaskCreateInput = z.output<typeof taskCreateSchema>;

/** PUT /tasks/{uuid}: what may change on a submitted task. The SDK sends the whole task; the rest is ignored. */
export const taskUpdateSchema = z.looseObject(
  { name: name.optional(), tags: tags.optional(), constants: constants.optional() },
  { error: "must be a task object" },
).register(requestBodies, { id: "TaskUpdate", description: "What may change on a submitted task; other fields are ignored." });

// ---------------------------------------------------------------------------------------------
// Jobs

export const jobCreateSchema = z.looseObject(
  {
    name,
    shortname: shortname.nullish(),
    useDependencies: z.boolean({ error: "must be true or false" }).nullish(),
    maxWallTime: wallTime,
    poolUuid: unsupported("Pools", () => false),
    tags: unsupported("Job tags", emptyList),
    autoDeleteOnCompletion: unsupported("autoDeleteOnCompletion", isFalse),
    projectUuid: unsupported("Projects", () => false),
  },
  { error: "must be a job object" },
).register(requestBodies, { id: "JobCreate" });

// ---------------------------------------------------------------------------------------------
// Pagination: Qarnot's {filter, token, maximumResults}

export type ApiFilter = { operator: string; field?: string; value?: unknown; filters?: ApiFilter[] };

const apiFilter: z.ZodType<ApiFilter> = z
  .lazy(() =>
    z.looseObject({
      operator: plain(z.string({ error: "must be a string" })),
      field: plain(z.string({ error: "must be a string" })).optional(),
      value: z
        .unknown()
        .refine((v) => typeof v !== "string" || !hasControlCharacters(v), { error: NO_CONTROL_CHARACTERS })
        .optional(),
      filters: z.array(apiFilter).max(50).optional(),
    }),
  )
  .register(requestBodies, {
    id: "PaginateFilter",
    description:
      'Tasks: {"operator": "Equal", "field": "Tags"|"State"|"Profile"|"JobUuid", "value": …}, or {"operator": "And", "filters": [those]}; ' +
      `nested at most ${INPUT_LIMITS.maxFilterDepth} levels.`,
  });

export const paginateSchema = z
  .looseObject(
    {
      filter: apiFilter.nullish(),
      token: z
        .string({ error: "must be the nextToken of a previous page" })
        .max(500)
        .nullish()
        .meta({ description: "The nextToken of the previous page; null for the first." }),
      maximumResults: z
        .number({ error: "must be a whole number" })
        .int({ error: "must be a whole number" })
        .min(1, { error: "must be at least 1" })
        .max(INPUT_LIMITS.maxPageSize, { error: `must be at most ${INPUT_LIMITS.maxPageSize}` })
        .nullish()
        .meta({ description: "Page size (default 50)." }),
    },
    { error: "must be an object {filter, token, maximumResults}" },
  )
  .register(requestBodies, { id: "PaginateRequest" })
  .nullish()
  .transform((v) => v ?? {});

/** How deep `filters` nest in a filter tree, counted without recursion and stopping past `limit`. */
function filterDepthExceeds(filter: unknown, limit: number): boolean {
  let level: unknown[] = [filter];
  for (let depth = 1; level.length > 0; depth++) {
    if (depth > limit) return true;
    const next: unknown[] = [];
    for (const node of level) {
      const children = typeof node === "object" && node !== null ? (node as { filters?: unknown }).filters : undefined;
      if (Array.isArray(children)) next.push(...children);
    }
    level = next;
  }
  return false;
}

/** A paginate request's body; a filter nested past INPUT_LIMITS.maxFilterDepth is refused before zod walks it. */
export function parsePaginate(body: unknown): z.output<typeof paginateSchema> {
  const filter = typeof body === "object" && body !== null ? (body as { filter?: unknown }).filter : undefined;
  if (filterDepthExceeds(filter, INPUT_LIMITS.maxFilterDepth)) {
    throw new RestError(400, `filter: must not nest more than ${INPUT_LIMITS.maxFilterDepth} levels`, "filter");
  }
  return parseInput(paginateSchema, body);
}
