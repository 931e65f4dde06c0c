import { bigint, check, date, index, integer, pgEnum, pgTable, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { dwellings } from "./fleet";
import { users } from "./tenancy";
import { REFUND_LINE_KINDS } from "@/server/domain/refunds";

/**
 * Enrolment for the monthly electricity refund, one row per version of a dwelling's details.
 * Append-only: a change is a new row, so the details in force at any date stay known. The
 * dwelling's current details are its latest row; refunds start with the month of its first row.
 */
export const refundEnrolments = pgTable(
  "refund_enrolments",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    dwellingId: uuid("dwelling_id")
      .notNull()
      .references(() => dwellings.id, { onDelete: "restrict" }),
    /** The resident who gave these details. */
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** The electricity contract holder, as the name appears on the bill. */
    holderName: text("holder_name").notNull(),
    /** The delivery point number (PDL / PRM) of the electricity contract: 14 digits. */
    deliveryPoint: text("delivery_point").notNull(),
    /** The IBAN, AES-256-GCM encrypted under HEARTH_DATA_KEY; never sent anywhere whole. */
    ibanEncrypted: text("iban_encrypted").notNull(),
    /** What may be shown: country, check digits and last four characters, e.g. "FR76 •••• •••• •••• 1234". */
    ibanMasked: text("iban_masked").notNull(),
    bic: text("bic"),
    /** The contract's tariff option, matched against tariff_versions.option (e.g. "base-6kva"). */
    tariffOption: text("tariff_option").notNull().default("base-6kva"),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("refund_enrolments_dwelling_idx").on(t.dwellingId, t.createdAt),
    check("refund_enrolments_delivery_point_digits", sql`${t.deliveryPoint} ~ '^[0-9]{14}$'`),
  ],
);

/**
 * Electricity tariffs, one row per version. Never updated: a correction is a new version. The
 * price in force at an instant is the version of the site's country and the contract's option
 * with the latest effectiveFrom at or before that instant's local date (ties: the latest id).
 * A version whose effectiveFrom falls in a closed month is refused.
 */
export const tariffVersions = pgTable(
  "tariff_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** ISO 3166-1 alpha-2, e.g. "FR". */
    country: text("country").notNull(),
    /** e.g. "base-6kva" (Tarif Bleu, option Base, 6 kVA). */
    option: text("option").notNull(),
    label: text("label").notNull(),
    /** Local date (the site's zone) from which the price applies, 00:00. */
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    /** Price per kWh including taxes, in millionths of a euro: 0.1940 €/kWh is 194000. */
    priceMicroEurosPerKWh: integer("price_micro_euros_per_kwh").notNull(),
    /** Where the price comes from (a regulator's decision, a published table). */
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("tariff_versions_lookup_idx").on(t.country, t.option, t.effectiveFrom),
    check("tariff_versions_price_positive", sql`${t.priceMicroEurosPerKWh} > 0`),
  ],
);

/** Every run of the monthly close, by staff or by the engine (runByUserId null). Append-only. */
export const refundCloses = pgTable(
  "refund_closes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** The month closed: its first day. */
    month: date("month", { mode: "string" }).notNull(),
    runByUserId: uuid("run_by_user_id").references(() => users.id, { onDelete: "set null" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp("finished_at", { withTimezone: true }),
    /** Statements this run wrote; a re-run writes none for dwellings already closed. */
    statementsWritten: integer("statements_written").notNull().default(0),
    statementsAlreadyClosed: integer("statements_already_closed").notNull().default(0),
  },
  (t) => [index("refund_closes_month_idx").on(t.month)],
);

/**
 * A dwelling's refund statement for a month: written once by the close, never rewritten. Energy
 * metered later for a closed month goes on a later statement as an adjustment line.
 */
export const refundStatements = pgTable(
  "refund_statements",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    dwellingId: uuid("dwelling_id")
      .notNull()
      .references(() => dwellings.id, { onDelete: "restrict" }),
    month: date("month", { mode: "string" }).notNull(),
    closeId: bigint("close_id", { mode: "number" })
      .notNull()
      .references(() => refundCloses.id, { onDelete: "restrict" }),
    /** The enrolment version the statement pays (whose holder and masked IBAN it shows). */
    enrolmentId: bigint("enrolment_id", { mode: "number" })
      .notNull()
      .references(() => refundEnrolments.id, { onDelete: "restrict" }),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull(),
    /** The sum of the lines' amounts. */
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull(),
  },
  (t) => [uniqueIndex("refund_statements_dwelling_month_idx").on(t.dwellingId, t.month), index("refund_statements_month_idx").on(t.month)],
);

export const refundLineKind = pgEnum("refund_line_kind", REFUND_LINE_KINDS);

/**
 * A statement's lines: for each radiator and the dwelling's own gateway, one line per tariff
 * version in force during the month (the meter readings at the split), and adjustment lines for
 * energy of earlier, closed months metered after their close. Each line's amount is rounded to the
 * cent once. Append-only, written with their statement.
 */
export const refundStatementLines = pgTable(
  "refund_statement_lines",
  {
    statementId: uuid("statement_id")
      .notNull()
      .references(() => refundStatements.id, { onDelete: "restrict" }),
    position: integer("position").notNull(),
    kind: refundLineKind("kind").notNull(),
    /**
     * The device metered, without a foreign key: a line is a ledger entry that carries its
     * device's serial and room itself, so it neither holds the fleet's records in place nor pays
     * a lookup per line when a month of ten thousand radiators is closed.
     */
    radiatorId: uuid("radiator_id"),
    gatewayId: uuid("gateway_id"),
    /** Snapshots at the close, so the statement reads the same after a room is renamed. */
    deviceSerial: text("device_serial").notNull(),
    roomName: text("room_name"),
    /** The month the energy belongs to: the statement's month, or an earlier one for an adjustment. */
    energyMonth: date("energy_month", { mode: "string" }).notNull(),
    periodStart: timestamp("period_start", { withTimezone: true }).notNull(),
    periodEnd: timestamp("period_end", { withTimezone: true }).notNull(),
    /** The meter (cumulative energy counter) at the period's start and end; null on adjustments. */
    meterStartWh: bigint("meter_start_wh", { mode: "number" }),
    meterEndWh: bigint("meter_end_wh", { mode: "number" }),
    energyWh: bigint("energy_wh", { mode: "number" }).notNull(),
    tariffVersionId: bigint("tariff_version_id", { mode: "number" })
      .notNull()
      .references(() => tariffVersions.id, { onDelete: "restrict" }),
    priceMicroEurosPerKWh: integer("price_micro_euros_per_kwh").notNull(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
  },
  (t) => [
    uniqueIndex("refund_statement_lines_position_idx").on(t.statementId, t.position),
    index("refund_statement_lines_radiator_idx").on(t.radiatorId, t.energyMonth),
    index("refund_statement_lines_gateway_idx").on(t.gatewayId, t.energyMonth),
  ],
);

/** A statement's payment, recorded by staff: at most one per statement. Append-only. */
export const refundPayments = pgTable("refund_payments", {
  statementId: uuid("statement_id")
    .primaryKey()
    .references(() => refundStatements.id, { onDelete: "restrict" }),
  amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
  reference: text("reference").notNull(),
  paidOn: date("paid_on", { mode: "string" }).notNull(),
  recordedAt: timestamp("recorded_at", { withTimezone: true }).notNull().defaultNow(),
  recordedByUserId: uuid("recorded_by_user_id").references(() => users.id, { onDelete: "set null" }),
});
