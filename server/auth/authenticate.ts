import { and, desc, eq, gt, sql } from "drizzle-orm";
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

/** First keys of the two-key advisory locks that take sign-in tries one at a time per account and per address. */
const ACCOUNT_LOCK_NAMESPACE = 0x6877_0002;
const ADDRESS_LOCK_NAMESPACE = 0x6877_0003;
/** Enough recent failures to judge every limit. */
const FAILURES_READ = 100;

/**
 * Checks a password, with throttling per account and address, per address and per account.
 * Counting and recording are one step: in a short transaction that holds the account's and the
 * address's locks, a try that is allowed is recorded as a failure before its password is checked,
 * so tries sent at once cannot all pass the count; a right password takes its record back.
 */
export async function authenticate(
  db: Db,
  input: { email: string; password: string; ipAddress: string },
  options: { now?: Date; verifyPassword?: typeof verifyPassword } = {},
): Promise<AuthenticationResult> {
  const now = options.now ?? new Date();
  const verify = options.verifyPassword ?? verifyPassword;
  const email = normalizeEmail(input.email);
  const { ipAddress } = input;
  const since = new Date(now.getTime() - THROTTLE_WINDOW_MS);

  const decision = await db.transaction(async (tx) => {
    // Always the account's lock first, then the address's: no two tries wait on each other in a cycle.
    await tx.execute(sql`select pg_advisory_xact_lock(${ACCOUNT_LOCK_NAMESPACE}::int, hashtext(${email})),
      pg_advisory_xact_lock(${ADDRESS_LOCK_NAMESPACE}::int, hashtext(${ipAddress}))`);
    const accountFailures = await tx
      .select({ failedAt: signInFailures.failedAt, ipAddress: signInFailures.ipAddress })
      .from(signInFailures)
      .where(and(eq(signInFailures.email, email), gt(signInFailures.failedAt, since)))
      .orderBy(desc(signInFailures.failedAt))
      .limit(FAILURES_READ);
    const addressFailures = await tx
      .select({ failedAt: signInFailures.failedAt })
      .from(signInFailures)
      .where(and(eq(signInFailures.ipAddress, ipAddress), gt(signInFailures.failedAt, since)))
      .orderBy(desc(signInFailures.failedAt))
      .limit(FAILURES_READ);
    const throttle = decideThrottle({
      accountAddressFailures: accountFailures.filter((r) => r.ipAddress === ipAddress).map((r) => r.failedAt),
      addressFailures: addressFailures.map((r) => r.failedAt),
      accountFailures: accountFailures.map((r) => r.failedAt),
      now,
    });
    if (throttle.allowed) await tx.insert(signInFailures).values({ email, ipAddress, failedAt: now });
    return throttle;
  });
  if (!decision.allowed) return { ok: false, reason: "throttled", retryAfterS: decision.retryAfterS };

  const [user] = await db
    .select({ ...sessionUserColumns, passwordHash: users.passwordHash })
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .where(eq(users.email, email))
    .limit(1);
  decoyHash ??= hashPassword("decoy password, never valid");
  const valid = await verify(input.password, user?.passwordHash ?? (await decoyHash));
  if (!user || !valid) return { ok: false, reason: "invalid" };
  // The owner, from this address: their failures from here (this try's record among them) are
  // forgotten; failures from other addresses still count against the account.
  await db.delete(signInFailures).where(and(eq(signInFailures.email, email), eq(signInFailures.ipAddress, ipAddress)));
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
