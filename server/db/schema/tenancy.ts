import { index, integer, pgEnum, pgTable, text, timestamp, uuid } from "drizzle-orm/pg-core";

export const organizationKind = pgEnum("organization_kind", ["customer", "landlord", "operator"]);
export const userRole = pgEnum("user_role", ["customer", "resident", "landlord", "staff"]);

/** A tenant: a compute customer, a landlord (or local authority), or the operator itself. */
export const organizations = pgTable("organizations", {
  id: uuid("id").primaryKey().defaultRandom(),
  name: text("name").notNull(),
  kind: organizationKind("kind").notNull(),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

export const users = pgTable(
  "users",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    email: text("email").notNull().unique(),
    name: text("name").notNull(),
    /** scrypt hash in the PHC-like form produced by server/auth/password.ts */
    passwordHash: text("password_hash").notNull(),
    role: userRole("role").notNull(),
    /** Residents belong to their landlord's organization; their dwelling is in `residents`. */
    organizationId: uuid("organization_id")
      .notNull()
      .references(() => organizations.id, { onDelete: "restrict" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("users_organization_idx").on(t.organizationId)],
);

/** Failed sign-ins, kept briefly to slow down guessing by address and by account. */
export const signInFailures = pgTable(
  "sign_in_failures",
  {
    id: integer("id").primaryKey().generatedAlwaysAsIdentity(),
    email: text("email").notNull(),
    ipAddress: text("ip_address").notNull(),
    failedAt: timestamp("failed_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("sign_in_failures_email_idx").on(t.email, t.failedAt),
    index("sign_in_failures_ip_idx").on(t.ipAddress, t.failedAt),
  ],
);

/**
 * One per sign-in: its id is carried in the session token, and a token whose session has ended
 * is refused at once. Signing out ends that session; a changed password or a disabled account
 * ends all of the user's.
 */
export const userSessions = pgTable(
  "user_sessions",
  {
    id: uuid("id").primaryKey().defaultRandom(),
    userId: uuid("user_id")
      .notNull()
      .references(() => users.id, { onDelete: "cascade" }),
    startedAt: timestamp("started_at", { withTimezone: true }).notNull(),
    endedAt: timestamp("ended_at", { withTimezone: true }),
  },
  (t) => [index("user_sessions_user_idx").on(t.userId)],
);
