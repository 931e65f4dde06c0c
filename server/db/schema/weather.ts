import { date, doublePrecision, integer, pgTable, primaryKey, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { sites } from "./fleet";

/**
 * Hourly outdoor air temperature at a site, imported from observation files (Météo-France's
 * hourly open data, or the simulator's weather in the demo). One row per site and UTC hour; a
 * later import of the same hour replaces it.
 */
export const outdoorTemperatures = pgTable(
  "outdoor_temperatures",
  {
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    hourStart: timestamp("hour_start", { withTimezone: true }).notNull(),
    tempC: real("temp_c").notNull(),
    /** Where the value came from: the station (e.g. "meteo-france:75114001") or "simulator". */
    source: text("source").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.hourStart] })],
);

/**
 * outdoor_temperatures summed per local day of the site, rewritten by each import for the days it
 * touched: a year's chart reads 365 rows, not 8,760.
 */
export const outdoorDaily = pgTable(
  "outdoor_daily",
  {
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    day: date("day", { mode: "string" }).notNull(),
    tempSumC: doublePrecision("temp_sum_c").notNull(),
    hours: integer("hours").notNull(),
  },
  (t) => [primaryKey({ columns: [t.siteId, t.day] })],
);
