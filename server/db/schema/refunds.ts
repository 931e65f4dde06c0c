import { bigint, check, index, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { dwellings } from "./fleet";
import { users } from "./tenancy";

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
    /** What may be shown: country, check digits and last four characters, e.g. "FR76 •••• 1234". */
    ibanMasked: text("iban_masked").notNull(),
    bic: text("bic"),
    consentAt: timestamp("consent_at", { withTimezone: true }).notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("refund_enrolments_dwelling_idx").on(t.dwellingId, t.createdAt),
    check("refund_enrolments_delivery_point_digits", sql`${t.deliveryPoint} ~ '^[0-9]{14}$'`),
  ],
);
