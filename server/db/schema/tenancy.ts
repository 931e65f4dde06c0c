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
    /**
     * Carried in each session token at sign-in; a token with another value is refused. Raised to
     * end every session of the user at once (sign-out, a changed password, a disabled account).
     */
    sessionVersion: integer("session_version").notNull().default(0),
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
