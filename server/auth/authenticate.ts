import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db, Tx } from "@/server/db/client";
import { organizations, signInFailures, users, userSessions } from "@/server/db/schema";
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
  | { ok: true; user: SessionUser; sessionId: string }
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
  const [session] = await db.insert(userSessions).values({ userId: user.id, startedAt: now }).returning({ id: userSessions.id });
  const { id, name, role, organizationId, organizationName } = user;
  return { ok: true, user: { id, email: user.email, name, role, organizationId, organizationName }, sessionId: session!.id };
}

/** What a session token says: whose it is, and which sign-in began it. */
export type SessionClaim = { userId: string; sessionId: string };

/** A session token's claim, or null for a token without one (issued before sessions were recorded). */
export function sessionClaimOf(token: { sub?: string | null; sessionId?: unknown }): SessionClaim | null {
  const { sub, sessionId } = token;
  return sub && typeof sessionId === "string" ? { userId: sub, sessionId } : null;
}

/**
 * The user behind a session, read fresh so that a removed account or a changed role takes effect,
 * or null once the session has ended (signed out, or all of the user's sessions ended).
 */
export async function loadSessionUser(db: Tx, session: SessionClaim): Promise<SessionUser | null> {
  const [user] = await db
    .select(sessionUserColumns)
    .from(users)
    .innerJoin(organizations, eq(organizations.id, users.organizationId))
    .innerJoin(userSessions, and(eq(userSessions.userId, users.id), eq(userSessions.id, session.sessionId), isNull(userSessions.endedAt)))
    .where(eq(users.id, session.userId))
    .limit(1);
  return user ?? null;
}

/** Signing out: ends this session only; the user's other devices stay signed in. */
export async function endSession(db: Tx, session: SessionClaim, now = new Date()): Promise<void> {
  await db
    .update(userSessions)
    .set({ endedAt: now })
    .where(and(eq(userSessions.id, session.sessionId), eq(userSessions.userId, session.userId), isNull(userSessions.endedAt)));
}

/**
 * Ends every session of a user at once: what changing a password or disabling an account must
 * call (in its own transaction, if it has one). Returns how many sessions it ended.
 */
export async function endAllSessions(db: Tx, userId: string, now = new Date()): Promise<number> {
  const ended = await db
    .update(userSessions)
    .set({ endedAt: now })
    .where(and(eq(userSessions.userId, userId), isNull(userSessions.endedAt)))
    .returning({ id: userSessions.id });
  return ended.length;
}
