import { bigint, check, date, index, integer, pgTable, primaryKey, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { users } from "./tenancy";

/**
 * A country's annual grid carbon intensity, one row per version. Never updated: a new figure is a
 * new version. The factor in force at an instant is the country's version with the latest
 * effectiveFrom at or before that instant's UTC date (ties: the latest id). The carbon
 * methodology uses it for the hours an hourly series does not cover, and says so on the label.
 */
export const gridIntensityVersions = pgTable(
  "grid_intensity_versions",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    /** ISO 3166-1 alpha-2, e.g. "FR". */
    country: text("country").notNull(),
    effectiveFrom: date("effective_from", { mode: "string" }).notNull(),
    /** Grams of CO2e per kWh, in milligrams: 21.7 g/kWh is 21700. */
    intensityMgPerKWh: integer("intensity_mg_per_kwh").notNull(),
    /** Where the figure comes from, with its date (e.g. "RTE, Bilan électrique 2024, production"). */
    source: text("source").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
  },
  (t) => [
    index("grid_intensity_versions_lookup_idx").on(t.country, t.effectiveFrom),
    check("grid_intensity_versions_positive", sql`${t.intensityMgPerKWh} >= 0`),
  ],
);

/** Each hourly series a staff member loaded (a grid operator's export). Append-only. */
export const gridIntensityImports = pgTable("grid_intensity_imports", {
  id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
  country: text("country").notNull(),
  /** Where the series comes from, e.g. "RTE éCO2mix, consolidated data". */
  source: text("source").notNull(),
  fileName: text("file_name").notNull(),
  hours: integer("hours").notNull(),
  firstHourStart: timestamp("first_hour_start", { withTimezone: true }).notNull(),
  lastHourStart: timestamp("last_hour_start", { withTimezone: true }).notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  createdByUserId: uuid("created_by_user_id").references(() => users.id, { onDelete: "set null" }),
});

/**
 * A country's grid carbon intensity per UTC hour, from the imports. A later import of the same hour
 * replaces the value and names itself, so a label can say which import each hour came from.
 */
export const gridIntensityHourly = pgTable(
  "grid_intensity_hourly",
  {
    country: text("country").notNull(),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    intensityMgPerKWh: integer("intensity_mg_per_kwh").notNull(),
    importId: bigint("import_id", { mode: "number" })
      .notNull()
      .references(() => gridIntensityImports.id, { onDelete: "restrict" }),
  },
  (t) => [
    primaryKey({ columns: [t.country, t.hourStart] }),
    check("grid_intensity_hourly_positive", sql`${t.intensityMgPerKWh} >= 0`),
  ],
);
