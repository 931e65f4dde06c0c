import { and, desc, eq, gt } from "drizzle-orm";
import type { Db } from "@/server/db/client";
import { organizations, signInFailures, users } from "@/server/db/schema";
import { decideThrottle, THROTTLE_WINDOW_MS } from "@/server/domain/sign-in-throttle";
import { hashPassword, verifyPassword } from "./password";

export type SessionUser = {
  id: string;
  email: string;
  name: string;
  role: "customer" | "resident" | "landlord" | "staff";
  organizationId: string;
  organizationName: string;
};

export type AuthenticationResult =
  | { ok: true; user: SessionUser }
  | { ok: false; reason: "invalid" }
  | { ok: false; reason: "throttled"; retryAfterS: number };

const sessionUserColumns = {
  id: users.id,
  email: users.email,
  name: users.name,
  role: users.role,
  organizationId: users.organizationId,
  organizationName: organizations.name,
};

// Compared against when the e-mail is unknown, so that a miss costs as much time as a hit.
let decoyHash: Promise<string> | undefined;

export function normalizeEmail(email: string) {
  return email.trim().toLowerCase();
}

/** Checks a password, with throttling per account and per client address. */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ipAddress: string },
  now = new Date(),
): Promise<AuthenticationResult> {
  const email = normalizeEmail(input.email);
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);
  const [accountFailures, addressFailures] = await Promise.all([
    db
      .select({ failedAt: signInFailures.failedAt })
      .from(signInFailures)
      .where(and(eq(signInFailures.email, email), gt(signInFailures.failedAt, since)))
      .orderBy(desc(signInFailures.failedAt))
      .limit(50),
    db
      .select({ failedAt: signInFailures.failedAt })
      .from(signInFailures)
      .where(and(eq(signInFailures.ipAddress, input.ipAddress), gt(signInFailures.failedAt, since)))
      .orderBy(desc(signInFailures.failedAt))
      .limit(50),
  ]);
  const decision = decideThrottle({
    accountFailures: accountFailures.map((r) => r.failedAt),
    addressFailures: addressFailures.map((r) => r.failedAt),
    now,
  });
  if (!decision.allowed) return { ok: false, reason: "throttled", retryAfterS: decision.retryAfterS };

  const [user] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email))
    .limit(1);
  decoyHash ??= hashPassword("decoy password, never valid");
  const valid = await verifyPassword(input.password, user?.passwordHash ?? (await decoyHash));
  if (!user || !valid) {
    await db.insert(signInFailures).values({ email, ipAddress: input.ipAddress, failedAt: now });
    return { ok: false, reason: "invalid" };
  }
  await db.delete(signInFailures).where(eq(signInFailures.email, email));
  const { id, name, role, organizationId, organizationName } = user;
  return { ok: true, user: { id, email: user.email, name, role, organizationId, organizationName } };
}

/** The user behind a session, read fresh so that a removed account or changed role takes effect. */
export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const [user] = await db
    .select(sessionUserColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.id, userId))
    .limit(1);
  return user ?? null;
}
