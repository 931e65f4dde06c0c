import { asc, eq } from "drizzle-orm";
import { organizations, users } from "@/server/db/schema";
import type { Tx } from "@/server/db/client";
import { found } from "./errors";

/** A compute customer's organization and its members (never their password hashes). */
export async function accountOverview(db: Tx, opts: { organizationId: string }) {
  const [row] = await db
    .select({ id: organizations.id, name: organizations.name, createdAt: organizations.createdAt })
    .from(organizations)
    .where(eq(organizations.id, opts.organizationId));
  const organization = found(row, "Organization");
  const members = await db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role })
    .from(users)
    .where(eq(users.organizationId, opts.organizationId))
    .orderBy(asc(users.name));
  return { organization, members };
}
