import {
  check,
  date,
  doublePrecision,
  index,
  integer,
  pgEnum,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { organizations, users } from "./tenancy";

export const siteKind = pgEnum("site_kind", ["housing", "all_year_heat_sink"]);

/** A radiator (Q.rad) or digital boiler hardware model. */
export const hardwareModels = pgTable("hardware_models", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull().unique(),
  maxPowerW: integer("max_power_w").notNull(),
  cores: integer("cores").notNull(),
  ramGb: integer("ram_gb").notNull(),
  /** The processor as the operating system names it, e.g. "AMD Ryzen 9 5950X 16-Core Processor"; what compute customers see. */
  cpuModel: text("cpu_model"),
  /** The processor's base clock. */
  cpuClockMhz: integer("cpu_clock_mhz"),
});

/** A place the operator equips, owned by a landlord (or local authority) organization. */
export const sites = pgTable(
  "sites",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    name: text("name").notNull(),
    city: text("city").notNull(),
    countryCode: text("country_code").notNull().default("FR"),
    /** French RT/RE2020 climate zone, e.g. H1a (Paris), H2c (Bordeaux). */
    climateZone: text("climate_zone").notNull(),
    /** IANA zone in which residents see times. */
    timeZone: text("time_zone").notNull().default("Europe/Paris"),
    kind: siteKind("kind").notNull(),
  },
  (t) => [index("sites_organization_idx").on(t.organizationId)],
);

export const buildings = pgTable(
  "buildings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    siteId: uuid("site_id")
      .notNull()
      .references(() => sites.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    address: text("address").notNull(),
  },
  (t) => [index("buildings_site_idx").on(t.siteId)],
);

export const dwellings = pgTable(
  "dwellings",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    buildingId: uuid("building_id")
      .notNull()
      .references(() => buildings.id, { onDelete: "cascade" }),
    /** Flat number as written on the door, e.g. "B-204". */
    label: text("label").notNull(),
    floor: integer("floor").notNull(),
  },
  (t) => [uniqueIndex("dwellings_building_label_idx").on(t.buildingId, t.label)],
);

/** A heated space: a room of a flat, or a plant room of a building (dwellingId null). */
export const rooms = pgTable(
  "rooms",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    buildingId: uuid("building_id")
      .notNull()
      .references(() => buildings.id, { onDelete: "cascade" }),
    dwellingId: uuid("dwelling_id").references(() => dwellings.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    areaM2: doublePrecision("area_m2").notNull(),
  },
  (t) => [
    index("rooms_dwelling_idx").on(t.dwellingId),
    index("rooms_building_idx").on(t.buildingId),
    check("rooms_area_positive", sql`${t.areaM2} > 0`),
  ],
);

/** A gateway (Q.box): one per building, or one per dwelling. */
export const gateways = pgTable(
  "gateways",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serial: text("serial").notNull().unique(),
    buildingId: uuid("building_id")
      .notNull()
      .references(() => buildings.id, { onDelete: "cascade" }),
    dwellingId: uuid("dwelling_id").references(() => dwellings.id, { onDelete: "cascade" }),
    firmwareVersion: text("firmware_version").notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("gateways_building_idx").on(t.buildingId)],
);

/** A computing radiator (Q.rad) or digital boiler, in a room, driven by a gateway. */
export const radiators = pgTable(
  "radiators",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    serial: text("serial").notNull().unique(),
    gatewayId: uuid("gateway_id")
      .notNull()
      .references(() => gateways.id, { onDelete: "restrict" }),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "restrict" }),
    hardwareModelId: uuid("hardware_model_id")
      .notNull()
      .references(() => hardwareModels.id, { onDelete: "restrict" }),
    installedOn: date("installed_on").notNull(),
    lastSeenAt: timestamp("last_seen_at", { withTimezone: true }),
  },
  (t) => [index("radiators_gateway_idx").on(t.gatewayId), index("radiators_room_idx").on(t.roomId)],
);

/** Links a resident's account to the dwelling they live in (one dwelling per resident). */
export const residents = pgTable(
  "residents",
  {
    userId: uuid("user_id")
      .primaryKey()
      .references(() => users.id, { onDelete: "cascade" }),
    dwellingId: uuid("dwelling_id")
      .notNull()
      .references(() => dwellings.id, { onDelete: "restrict" }),
    movedInOn: date("moved_in_on").notNull(),
  },
  (t) => [index("residents_dwelling_idx").on(t.dwellingId)],
);
