import { bigint, index, jsonb, pgEnum, pgTable, real, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { HEATING_MODES, type ProgrammeBlock } from "@/server/domain/heating";
import { rooms } from "./fleet";
import { users } from "./tenancy";

export const heatingMode = pgEnum("heating_mode", HEATING_MODES);
export const heatingActor = pgEnum("heating_actor", ["resident", "programme", "thermostat", "staff"]);

/**
 * A room's heating as its resident set it (see server/domain/heating.ts). A room without a row
 * gets no target from the platform: its radiators' own thermostats rule.
 */
export const roomHeating = pgTable("room_heating", {
  roomId: uuid("room_id")
    .primaryKey()
    .references(() => rooms.id, { onDelete: "cascade" }),
  mode: heatingMode("mode").notNull(),
  comfortC: real("comfort_c").notNull(),
  ecoC: real("eco_c").notNull(),
  /** The weekly programme, checked by programmeRefusal before it is written. */
  programme: jsonb("programme").$type<ProgrammeBlock[]>().notNull(),
  boostUntil: timestamp("boost_until", { withTimezone: true }),
  modeBeforeBoost: heatingMode("mode_before_boost"),
  overrideTargetC: real("override_target_c"),
  /** Null with a target: until the mode changes. */
  overrideUntil: timestamp("override_until", { withTimezone: true }),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  updatedByUserId: uuid("updated_by_user_id").references(() => users.id, { onDelete: "set null" }),
});

/** Every change of a room's heating, and who made it. Append-only. */
export const heatingChanges = pgTable(
  "heating_changes",
  {
    id: bigint("id", { mode: "number" }).primaryKey().generatedAlwaysAsIdentity(),
    roomId: uuid("room_id")
      .notNull()
      .references(() => rooms.id, { onDelete: "cascade" }),
    at: timestamp("at", { withTimezone: true }).notNull(),
    actor: heatingActor("actor").notNull(),
    userId: uuid("user_id").references(() => users.id, { onDelete: "set null" }),
    /** What changed: "target", "override", "cancel_override", "mode", "boost", "temperatures", "programme". */
    kind: text("kind").notNull(),
    details: jsonb("details").$type<Record<string, unknown>>().notNull(),
  },
  (t) => [index("heating_changes_room_idx").on(t.roomId, t.at)],
);
