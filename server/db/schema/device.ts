import {
  bigint,
  boolean,
  check,
  date,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgEnum,
  pgTable,
  primaryKey,
  real,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { gateways, radiators, sites } from "./fleet";
import { instanceAttempts } from "./compute";
import { METER_ANOMALY_REASONS } from "@/server/domain/metering";
import { organizations, users } from "./tenancy";

/** A gateway's credential, shown once when issued; only its SHA-256 is kept. */
export const gatewayCredentials = pgTable(
  "gateway_credentials",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    gatewayId: uuid("gateway_id")
      .notNull()
      .references(() => gateways.id, { onDelete: "cascade" }),
    /** Public part of the token, used to find the row before comparing hashes. */
    tokenPrefix: text("token_prefix").notNull().unique(),
    secretHash: text("secret_hash").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    lastUsedAt: timestamp("last_used_at", { withTimezone: true }),
  },
  (t) => [index("gateway_credentials_gateway_idx").on(t.gatewayId)],
);

/** Reports already processed, by sequence number, with the answer given: a retry gets the same answer. */
export const gatewayReports = pgTable(
  "gateway_reports",
  {
    gatewayId: uuid("gateway_id")
      .notNull()
      .references(() => gateways.id, { onDelete: "cascade" }),
    seq: bigint("seq", { mode: "number" }).notNull(),
    receivedAt: timestamp("received_at", { withTimezone: true }).notNull().defaultNow(),
    response: jsonb("response").notNull(),
  },
  (t) => [primaryKey({ columns: [t.gatewayId, t.seq] })],
);

/**
 * A radiator's live state as last reported, and what the scheduler has put on it.
 * The row is the lock that keeps two schedulers from filling the same radiator.
 */
export const radiatorStates = pgTable(
  "radiator_states",
  {
    radiatorId: uuid("radiator_id")
      .primaryKey()
      .references(() => radiators.id, { onDelete: "cascade" }),
    lastReadingAt: timestamp("last_reading_at", { withTimezone: true }),
    roomTempC: real("room_temp_c"),
    setpointC: real("setpoint_c"),
    powerW: integer("power_w"),
    /** The meter as last accounted for: energy deltas are taken from here. */
    energyCounterWh: bigint("energy_counter_wh", { mode: "number" }),
    coresActive: smallint("cores_active").notNull().default(0),
    /** How many cores the room's thermostat wants running. */
    coresWanted: smallint("cores_wanted").notNull().default(0),
    /** Cores promised to dispatched and running attempts. */
    coresAssigned: smallint("cores_assigned").notNull().default(0),
    /** The one customer whose work runs here now (null when idle). */
    currentOrganizationId: uuid("current_organization_id").references(() => organizations.id, {
      onDelete: "restrict",
    }),
    containerRuntime: boolean("container_runtime").notNull().default(false),
    /** The room's target as last sent in an answer, and when it was sent (see heating in server/device/report.ts). */
    targetSentC: real("target_sent_c"),
    targetSentAt: timestamp("target_sent_at", { withTimezone: true }),
    /** When a reading first showed the radiator at the target sent; null while it has not. */
    targetAppliedAt: timestamp("target_applied_at", { withTimezone: true }),
  },
  (t) => [
    index("radiator_states_wanting_idx")
      .on(t.radiatorId)
      .where(sql`${t.coresWanted} > ${t.coresAssigned}`),
  ],
);

/**
 * Raw readings as reported; charts and statements read the rollups. Partitioned by UTC month
 * (telemetry_readings_YYYYMM, see drizzle's telemetry_partitions migration and
 * server/services/telemetry-partitions.ts), kept HEARTH_RAW_RETENTION_DAYS and dropped a month at a
 * time. Drizzle sees the parent's columns only.
 */
export const telemetryReadings = pgTable(
  "telemetry_readings",
  {
    // No foreign key: the protocol handler checks the radiator, and this table is written the most.
    radiatorId: uuid("radiator_id").notNull(),
    recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull(),
    roomTempC: real("room_temp_c").notNull(),
    setpointC: real("setpoint_c").notNull(),
    powerW: integer("power_w").notNull(),
    energyCounterWh: bigint("energy_counter_wh", { mode: "number" }).notNull(),
    coresActive: smallint("cores_active").notNull(),
    coresWanted: smallint("cores_wanted").notNull(),
  },
  (t) => [primaryKey({ columns: [t.radiatorId, t.recordedAt] })],
);

export const telemetryHourly = pgTable(
  "telemetry_hourly",
  {
    radiatorId: uuid("radiator_id")
      .notNull()
      .references(() => radiators.id, { onDelete: "cascade" }),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    readingCount: integer("reading_count").notNull(),
    roomTempSumC: real("room_temp_sum_c").notNull(),
    setpointSumC: real("setpoint_sum_c").notNull(),
    powerSumW: bigint("power_sum_w", { mode: "number" }).notNull(),
    maxPowerW: integer("max_power_w").notNull(),
    coresActiveSum: bigint("cores_active_sum", { mode: "number" }).notNull(),
    coresWantedSum: bigint("cores_wanted_sum", { mode: "number" }).notNull(),
    /** Metered energy attributed to this hour (from counter deltas). */
    energyWh: bigint("energy_wh", { mode: "number" }).notNull().default(0),
    /**
     * The part of energyWh that no instance used: heating-only cores, the board, the fans. The
     * rest is in the ledger (energy_allocations), attempt by attempt.
     */
    idleEnergyWh: bigint("idle_energy_wh", { mode: "number" }).notNull().default(0),
    /** Core-seconds the radiator ran for heat alone in this hour. */
    idleCoreSeconds: bigint("idle_core_seconds", { mode: "number" }).notNull().default(0),
    /**
     * The counter at the hour's first and last metered reading, and the times it restarted at 0
     * in the hour: the meter readings a refund statement shows at its period's edges, kept after
     * the raw readings are dropped. Null on hours without a metered reading.
     */
    firstCounterWh: bigint("first_counter_wh", { mode: "number" }),
    lastCounterWh: bigint("last_counter_wh", { mode: "number" }),
    counterRestarts: integer("counter_restarts").notNull().default(0),
    /**
     * False when the hour changed since its local day was last rolled up into telemetry_daily: the
     * report handler's insert and update leave it false, the daily rollup sets it.
     */
    rolledUp: boolean("rolled_up").notNull().default(false),
  },
  (t) => [
    primaryKey({ columns: [t.radiatorId, t.hourStart] }),
    index("telemetry_hourly_pending_idx").on(t.radiatorId, t.hourStart).where(sql`not ${t.rolledUp}`),
  ],
);

/**
 * A gateway's own electricity meter (gatewayEnergyCounterWh in its reports) per UTC hour: the
 * gateway of a dwelling draws from the dwelling's supply, so it is refunded like the radiators.
 * Energy is counter deltas as for radiators (a restart counts what the counter reached since).
 */
export const gatewayHourly = pgTable(
  "gateway_hourly",
  {
    gatewayId: uuid("gateway_id")
      .notNull()
      .references(() => gateways.id, { onDelete: "cascade" }),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    readingCount: integer("reading_count").notNull(),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull(),
    firstCounterWh: bigint("first_counter_wh", { mode: "number" }).notNull(),
    lastCounterWh: bigint("last_counter_wh", { mode: "number" }).notNull(),
    counterRestarts: integer("counter_restarts").notNull().default(0),
    /** The last reading's time: the next delta is taken from it. */
    lastReadingAt: timestamp("last_reading_at", { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.gatewayId, t.hourStart] })],
);

/**
 * telemetry_hourly summed per local day of the radiator's site (server/services/telemetry-daily.ts),
 * kept for good: the year view reads a radiator's 365 rows, not 8,760.
 */
export const telemetryDaily = pgTable(
  "telemetry_daily",
  {
    radiatorId: uuid("radiator_id")
      .notNull()
      .references(() => radiators.id, { onDelete: "cascade" }),
    /** The local day in the site's zone (23 or 25 hours across a daylight-saving change). */
    day: date("day", { mode: "string" }).notNull(),
    readingCount: integer("reading_count").notNull(),
    roomTempSumC: doublePrecision("room_temp_sum_c").notNull(),
    setpointSumC: doublePrecision("setpoint_sum_c").notNull(),
    powerSumW: bigint("power_sum_w", { mode: "number" }).notNull(),
    coresActiveSum: bigint("cores_active_sum", { mode: "number" }).notNull(),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull(),
    idleEnergyWh: bigint("idle_energy_wh", { mode: "number" }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.radiatorId, t.day] })],
);

/**
 * The metering ledger: the energy each attempt used, its share (by core-seconds) of each counter
 * delta of its radiator, summed per hour. What no attempt used is the hour's idle energy in
 * telemetry_hourly, so a radiator's ledger plus its idle energy is its meter. Append-only.
 *
 * Each row also keeps what the carbon methodology needs of the moment it was metered, so a
 * Carbon Facts label is a grouped sum of the ledger alone: where the energy was used, the part of
 * it the room asked for, the row's share of the gateway's own meter, and the machine time.
 */
export const energyAllocations = pgTable(
  "energy_allocations",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    radiatorId: uuid("radiator_id")
      .notNull()
      .references(() => radiators.id, { onDelete: "cascade" }),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    /** Null once a customer deleted the task it belonged to. */
    attemptId: bigint("attempt_id", { mode: "number" }).references(() => instanceAttempts.id, {
      onDelete: "set null",
    }),
    /** The customer whose work used it; kept when the attempt is deleted with its task. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    coreSeconds: bigint("core_seconds", { mode: "number" }).notNull(),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull(),
    /** The site of the radiator's building when the energy was metered. */
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    /**
     * The part of energyWh drawn while the room asked for heat, in mWh: each reading's share ×
     * min(1, cores the thermostat wanted ÷ cores running) at that reading.
     */
    wantedEnergyMwh: bigint("wanted_energy_mwh", { mode: "number" }).notNull(),
    /** The row's share of the gateway's own meter, in mWh: the report's gateway delta × energyWh ÷ all its radiators' delta. */
    gatewayEnergyMwh: bigint("gateway_energy_mwh", { mode: "number" }).notNull(),
    /** The radiator's time the work took, in ms: core-seconds × 1000 ÷ the radiator's cores. */
    machineMs: bigint("machine_ms", { mode: "number" }).notNull(),
  },
  (t) => [
    index("energy_allocations_radiator_idx").on(t.radiatorId, t.periodEnd),
    index("energy_allocations_attempt_idx").on(t.attemptId),
    // A customer's months (carbon report) read the ledger by customer and time.
    index("energy_allocations_organization_idx").on(t.organizationId, t.periodEnd),
  ],
);

export const meterAnomalyReason = pgEnum("meter_anomaly_reason", METER_ANOMALY_REASONS);
export const meterAnomalyResolution = pgEnum("meter_anomaly_resolution", ["accepted", "rejected"]);

/**
 * Counter deltas held apart instead of metered (see meterReading): more energy than the radiator's
 * hardware can draw in the time. Neither in telemetry_hourly's energy nor in the ledger, so neither
 * billed nor refunded until staff resolve them; the radiator's counter baseline moved on all the
 * same. Append-only but for the resolution, set once.
 */
export const meterAnomalies = pgTable(
  "meter_anomalies",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    radiatorId: uuid("radiator_id")
      .notNull()
      .references(() => radiators.id, { onDelete: "cascade" }),
    /** The previous accounted reading and the one that closed the delta. */
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    counterBeforeWh: bigint("counter_before_wh", { mode: "number" }).notNull(),
    counterAfterWh: bigint("counter_after_wh", { mode: "number" }).notNull(),
    /** What the counter claims for the period (after a reset: the whole new counter). */
    deltaWh: bigint("delta_wh", { mode: "number" }).notNull(),
    /** The most the hardware could plausibly have drawn in the period (plausibleDeltaWh). */
    maxPlausibleWh: bigint("max_plausible_wh", { mode: "number" }).notNull(),
    /** The hardware model's maximum power the limit was taken from. */
    maxPowerW: integer("max_power_w").notNull(),
    reason: meterAnomalyReason("reason").notNull(),
    detectedAt: timestamp("detected_at", { withTimezone: true }).notNull(),
    resolvedAt: timestamp("resolved_at", { withTimezone: true }),
    resolvedByUserId: uuid("resolved_by_user_id").references(() => users.id, { onDelete: "set null" }),
    resolution: meterAnomalyResolution("resolution"),
  },
  (t) => [
    // One delta ends at one reading of a radiator; the staff page reads a gateway's radiators by it.
    uniqueIndex("meter_anomalies_radiator_period_idx").on(t.radiatorId, t.periodEnd),
    check("meter_anomalies_resolved_together", sql`(${t.resolvedAt} is null) = (${t.resolution} is null)`),
  ],
);
