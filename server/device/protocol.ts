import { z } from "zod";
import { STORABLE_TIME_RANGE_MS } from "@/server/domain/metering";
import { hasNul, noControlCharacters } from "@/server/domain/text";

/**
 * The gateway protocol, version 1: the messages a gateway (Q.box) and the platform exchange.
 * docs/device-protocol.md is the implementer's description; keep the two together.
 *
 * Within v1 changes are additive only: new optional fields, new event types gateways may ignore.
 * Unknown fields in a report are ignored (stripped), so newer gateways can talk to older servers.
 */
export const PROTOCOL_VERSION = 1 as const;
export const SUPPORTED_PROTOCOL_VERSIONS = [1] as const;

export const LIMITS = {
  maxBodyBytes: 16 * 1024 * 1024,
  maxRadiatorsPerReport: 1000,
  maxReadingsPerRadiator: 100,
  maxEventsPerReport: 5000,
  maxLogChunkBytes: 64 * 1024,
  maxOutputBytes: 8 * 1024 * 1024,
  maxCores: 512,
  maxPowerW: 20_000,
  minTempC: -50,
  maxTempC: 100,
} as const;

const isoTime = z.iso.datetime({ offset: true, error: "must be an ISO 8601 date-time with a time zone, e.g. 2026-01-15T08:30:00Z" });
/**
 * A time the platform stores as is (a report's sentAt, an event's time): one the database can
 * hold, or the report is refused naming it. A reading's time is checked reading by reading
 * instead (see `refusedReadings` in the answer), so that one bad clock does not lose the rest.
 */
const storableTime = isoTime.refine(
  (s) => {
    const ms = Date.parse(s);
    // A malformed time is the format check's to name, once.
    return Number.isNaN(ms) || (ms >= STORABLE_TIME_RANGE_MS.min && ms <= STORABLE_TIME_RANGE_MS.max);
  },
  { error: "must be a time between the years 0001 and 9999 (UTC)" },
);
const tempC = z.number().min(LIMITS.minTempC).max(LIMITS.maxTempC);
const cores = z.int().min(0).max(LIMITS.maxCores);
// Attempt ids are bigint identities; numbers stay exact up to 2^53.
const attemptId = z.int().min(1).max(Number.MAX_SAFE_INTEGER);

export const readingSchema = z.object({
  /**
   * When the radiator took the reading. A well-formed time outside the plausible window (not
   * storable, before the radiator was installed, ahead of the server's clock) refuses this
   * reading alone: see `refusedReadings` in the answer.
   */
  at: isoTime,
  roomTempC: tempC,
  setpointC: tempC,
  powerW: z.int().min(0).max(LIMITS.maxPowerW),
  /** The radiator's own electricity meter: monotonic, in whole Wh, reset only by a hardware swap or reflash. */
  energyCounterWh: z.int().min(0).max(Number.MAX_SAFE_INTEGER),
  coresActive: cores,
  /** Cores the room's thermostat wants running to make the heat it asks for. */
  coresWanted: cores,
});

export const radiatorReportSchema = z.object({
  serial: noControlCharacters(z.string().min(1).max(64), "must not hold control characters"),
  /** Whether the radiator can run container workloads; omitted: unchanged. */
  containerRuntime: z.boolean().optional(),
  readings: z.array(readingSchema).max(LIMITS.maxReadingsPerRadiator),
  /**
   * The attempts the radiator has started and not yet reported ended (in this report or an
   * earlier one). When sent, a started attempt the platform has on the radiator that is not
   * listed, and started before `sentAt`, has vanished (a reboot): it is lost, unbilled, and its
   * instance runs again elsewhere. Listed attempts the platform no longer has on the radiator
   * come back in `cancellations`. Omitted: nothing is concluded.
   */
  runningAttemptIds: z.array(attemptId).max(LIMITS.maxCores).optional(),
});

// Output names become download names: no paths, no leading dot, nothing a shell or browser misreads.
const SAFE_FILE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
// A plain character class: a grouped pattern like (?:[..]{4})* overflows V8's regex stack on megabytes.
const BASE64_CHARS = /^[A-Za-z0-9+/]*={0,2}$/;
const MAX_OUTPUT_BASE64_CHARS = Math.ceil(LIMITS.maxOutputBytes / 3) * 4;

const eventBase = { attemptId, at: storableTime };

export const startedEventSchema = z.object({ ...eventBase, type: z.literal("started") });

export const progressEventSchema = z.object({
  ...eventBase,
  type: z.literal("progress"),
  progressPct: z.number().min(0).max(100),
});

export const logEventSchema = z.object({
  ...eventBase,
  type: z.literal("log"),
  stream: z.enum(["stdout", "stderr"]),
  /** Per attempt and stream, from 0: a re-sent chunk with the same number is a no-op. */
  chunkSeq: z.int().min(0).max(2_147_483_647),
  content: z
    .string()
    .refine((s) => Buffer.byteLength(s, "utf8") <= LIMITS.maxLogChunkBytes, {
      error: `must be at most ${LIMITS.maxLogChunkBytes} bytes (UTF-8); split it into more chunks`,
    })
    // PostgreSQL text cannot hold NUL; the gateway must escape or drop it.
    .refine((s) => !hasNul(s), { error: "must not contain NUL characters" }),
});

export const outputEventSchema = z.object({
  ...eventBase,
  type: z.literal("output"),
  name: z.string().regex(SAFE_FILE_NAME, {
    error: "must be a plain file name: letters, digits, '.', '_' or '-', not starting with '.', at most 128 characters",
  }),
  contentType: z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9!#$&^_.+-]+\/[A-Za-z0-9!#$&^_.+-]+(?:\s*;\s*[A-Za-z0-9!#$&^_.+-]+=[A-Za-z0-9!#$&^_.+"-]+)*$/, {
      error: "must be a media type, e.g. application/octet-stream",
    }),
  contentBase64: z
    .string()
    .max(MAX_OUTPUT_BASE64_CHARS, { error: `decodes to more than ${LIMITS.maxOutputBytes} bytes` })
    .refine((s) => s.length % 4 === 0 && BASE64_CHARS.test(s), {
      error: "must be standard base64 (RFC 4648, with padding)",
    })
    .refine((s) => base64DecodedBytes(s) <= LIMITS.maxOutputBytes, {
      error: `decodes to more than ${LIMITS.maxOutputBytes} bytes`,
    }),
});

export const exitEventSchema = z.object({
  ...eventBase,
  type: z.literal("exit"),
  outcome: z.enum(["succeeded", "failed", "cancelled"]),
  /** The process's exit code; null when it never ran or was killed without one. */
  exitCode: z.int().min(-2_147_483_648).max(2_147_483_647).nullable(),
});

export const eventSchema = z.discriminatedUnion("type", [
  startedEventSchema,
  progressEventSchema,
  logEventSchema,
  outputEventSchema,
  exitEventSchema,
]);

export const reportSchema = z
  .object({
    protocolVersion: z.literal(PROTOCOL_VERSION),
    /** Per gateway, from 1, increasing; the idempotency key of the report. */
    seq: z.int().min(1).max(Number.MAX_SAFE_INTEGER),
    sentAt: storableTime,
    /**
     * Optional: the gateway's own electricity meter at `sentAt`, in whole Wh, monotonic (reset only
     * by a hardware swap or reflash). A gateway in a dwelling draws from the dwelling's supply, so
     * its energy is refunded with the radiators'. Gateways without a meter leave it out.
     */
    gatewayEnergyCounterWh: z.int().min(0).max(Number.MAX_SAFE_INTEGER).optional(),
    radiators: z.array(radiatorReportSchema).max(LIMITS.maxRadiatorsPerReport),
    events: z.array(eventSchema).max(LIMITS.maxEventsPerReport),
  })
  .superRefine((report, ctx) => {
    const seen = new Set<string>();
    report.radiators.forEach((r, i) => {
      if (seen.has(r.serial)) {
        ctx.addIssue({ code: "custom", path: ["radiators", i, "serial"], message: "radiator listed twice in one report" });
      }
      seen.add(r.serial);
    });
  });

export type Reading = z.infer<typeof readingSchema>;
export type RadiatorReport = z.infer<typeof radiatorReportSchema>;
export type DeviceEvent = z.infer<typeof eventSchema>;
export type Report = z.infer<typeof reportSchema>;

export const assignmentSchema = z.object({
  radiatorSerial: z.string(),
  attemptId: z.int(),
  instanceId: z.int(),
  taskId: z.string(),
  instanceNumber: z.int(),
  /** Name of the built-in profile (what to run). */
  profile: z.string(),
  constants: z.record(z.string(), z.string()),
  cores: z.int(),
  /** Kill the attempt (exit outcome "failed") when it runs longer; null: no limit. */
  maxWallTimeS: z.int().nullable(),
});

/**
 * A reading the platform did not take, though the rest of the report landed. Not stored, not
 * metered, and the answer acknowledges it: sending it again changes nothing (fix the clock).
 */
export const refusedReadingSchema = z.object({
  radiatorSerial: z.string(),
  /** The reading's `at`, as sent. */
  at: z.string(),
  /** Where it was in the report, as in validation issues: "radiators.0.readings.3.at". */
  field: z.string(),
  /**
   * A code (READING_REFUSAL_REASONS in server/domain/metering.ts): "invalid_time",
   * "before_installation", "ahead_of_clock". Gateways must accept codes they do not know.
   */
  reason: z.string(),
  /** For people. */
  message: z.string(),
});

export const reportResponseSchema = z.object({
  protocolVersion: z.literal(PROTOCOL_VERSION),
  seq: z.int(),
  serverTime: z.string(),
  assignments: z.array(assignmentSchema),
  cancellations: z.array(z.object({ radiatorSerial: z.string(), attemptId: z.int() })),
  setpoints: z.array(z.object({ radiatorSerial: z.string(), setpointC: z.number() })),
  /** Added within v1, present only when a reading was refused; older gateways ignore it. */
  refusedReadings: z.array(refusedReadingSchema).optional(),
});

export type RefusedReading = z.infer<typeof refusedReadingSchema>;
export type Assignment = z.infer<typeof assignmentSchema>;
export type ReportResponse = z.infer<typeof reportResponseSchema>;

export const discoveryResponse = {
  protocolVersion: PROTOCOL_VERSION,
  supportedVersions: [...SUPPORTED_PROTOCOL_VERSIONS],
  endpoints: { report: "/api/device/v1/report" },
  limits: {
    maxBodyBytes: LIMITS.maxBodyBytes,
    maxRadiatorsPerReport: LIMITS.maxRadiatorsPerReport,
    maxReadingsPerRadiator: LIMITS.maxReadingsPerRadiator,
    maxEventsPerReport: LIMITS.maxEventsPerReport,
    maxLogChunkBytes: LIMITS.maxLogChunkBytes,
    maxOutputBytes: LIMITS.maxOutputBytes,
  },
  docs: "docs/device-protocol.md",
} as const;

/** Decoded size of a padded base64 string, without decoding it. */
export function base64DecodedBytes(base64: string): number {
  const padding = base64.endsWith("==") ? 2 : base64.endsWith("=") ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}
